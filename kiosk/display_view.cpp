// Display drawing with the draw list: sizes chosen for reading from 10 m (a 1080 px high
// screen of ~1.2 m: the newest number is ~20 cm tall, list rows ~6 cm).
#include "kiosk/display_view.hpp"

#include <algorithm>
#include <cmath>

#include "ui/widgets.hpp"

namespace wm::kiosk {

namespace {

// Text at an arbitrary size, shrunk to fit the box width, aligned in the box.
void big_text(ui::Frame& f, ImFont* font, float size, std::string_view text, const ui::Rect& r,
              ImU32 color, ui::Align align = ui::Align::left) {
  ImVec2 ext = font->CalcTextSizeA(size, FLT_MAX, 0, text.data(), text.data() + text.size());
  if (ext.x > r.w && ext.x > 0) {
    size *= r.w / ext.x;
    ext = font->CalcTextSizeA(size, FLT_MAX, 0, text.data(), text.data() + text.size());
  }
  float x = r.x;
  if (align == ui::Align::center) x = r.x + (r.w - ext.x) / 2;
  if (align == ui::Align::right) x = r.x + r.w - ext.x;
  float y = r.y + (r.h - ext.y) / 2;
  f.draw_list()->AddText(font, size, ImVec2(x, y), color, text.data(), text.data() + text.size());
}

// A solid arrow: fonts differ in whether they have one, a drawn arrow always looks the same.
void arrow(ImDrawList* dl, const ui::Rect& r, ImU32 color) {
  const float cy = r.y + r.h / 2, t = r.h * 0.14f;
  const float head = std::min(r.w * 0.45f, r.h * 0.4f);
  dl->AddRectFilled(ImVec2(r.x, cy - t), ImVec2(r.x + r.w - head, cy + t), color);
  dl->AddTriangleFilled(ImVec2(r.x + r.w - head, cy - r.h * 0.36f),
                        ImVec2(r.x + r.w, cy), ImVec2(r.x + r.w - head, cy + r.h * 0.36f), color);
}

void call_row(ui::Frame& f, const DisplayCall& c, ui::Rect r, float number_size, bool lead,
              int index) {
  const auto& col = f.colors();
  ImDrawList* dl = f.draw_list();
  // Blink: alternate strong colours twice a second while the call is new.
  bool on = c.blinking && std::fmod(f.now(), 0.8) < 0.5;
  ImU32 bg = on ? col.warning : (lead ? col.accent : col.surface);
  ImU32 fg = on ? col.on_status : (lead ? col.on_accent : col.text);
  dl->AddRectFilled(r.min(), r.max(), bg, f.theme().rounding);
  ui::Rect in = r.inset(f.px(lead ? 36 : 24), 0);
  ui::Rect num = in.take_left(in.w * 0.40f, f.px(lead ? 24 : 12));
  ui::Rect arr = in.take_left(f.px(lead ? 120 : 64), f.px(lead ? 40 : 24));
  arrow(dl, arr.inset(0, r.h * 0.25f), fg);
  in.take_left(0, f.px(lead ? 40 : 24));
  big_text(f, f.font(ui::FontRole::huge), number_size, c.number, num, fg);
  // The huge font is sharp but ASCII only; names with umlauts use the (scaled) title font.
  const bool ascii = std::all_of(c.counter_name.begin(), c.counter_name.end(),
                                 [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
  big_text(f, f.font(ascii ? ui::FontRole::huge : ui::FontRole::title), number_size * 0.72f,
           c.counter_name, in, fg);
  f.widgets().add(ui::WidgetInfo{"display.call." + std::to_string(index),
                                 c.number + " " + c.counter_name, r, ui::WidgetKind::text});
}

}  // namespace

void draw_display(ui::Frame& f, const DisplayView& v, const DisplayTexts& texts) {
  const auto& col = f.colors();
  ImDrawList* dl = f.draw_list();
  ui::Rect screen = f.viewport();
  const bool portrait = screen.h > screen.w;
  dl->AddRectFilled(screen.min(), screen.max(), col.background);

  ui::Rect area = screen;
  ui::Rect header = area.take_top(f.px(120));
  dl->AddRectFilled(header.min(), header.max(), col.header);
  ui::Rect hin = header.inset(f.px(40), 0);
  ui::Rect clock = hin.take_right(f.px(260));
  big_text(f, f.font(ui::FontRole::title), f.font_size(ui::FontRole::title) * 1.2f, v.clock, clock,
           col.on_header, ui::Align::right);
  big_text(f, f.font(ui::FontRole::heading), f.font_size(ui::FontRole::heading) * 1.2f,
           v.office_name, hin, col.on_header);

  area = area.inset(f.px(40), f.px(28));
  if (!v.online) {
    // Not amber: amber is "your turn" on this screen (a called number); offline is the
    // header's calm blue with a slow blink, for staff, not a call to the seats.
    ui::banner(f, "display.offline", f.t("common.connection_lost"), area.take_top(f.px(70), f.px(20)),
               ui::Severity::info, true);
  }
  ui::Rect bottom = area.take_bottom(v.ticker.empty() ? f.px(170) : f.px(240), f.px(24));
  if (!v.ticker.empty()) {
    ui::Rect tick = bottom.take_bottom(f.px(56), f.px(14));
    ui::text_centered(f, tick, v.ticker, ui::FontRole::heading, col.text_muted, "display.ticker");
  }

  // Waiting counts per service: letter, count, short name.
  ui::text_centered(f, bottom.take_top(f.px(44), f.px(8)), f.t("display.waiting"),
                    ui::FontRole::body_bold, col.text_muted, "display.waiting.title");
  const int n = static_cast<int>(v.waiting.size());
  const int columns = std::max(1, portrait ? std::min(n, 6) : n);
  const int rows = std::max(1, (n + columns - 1) / columns);
  for (int i = 0; i < n; ++i) {
    ui::Rect cell = ui::grid_cell(bottom, columns, rows, f.px(12), i);
    dl->AddRectFilled(cell.min(), cell.max(), col.surface, f.theme().rounding);
    ui::Rect top = cell;
    ui::Rect name = top.take_bottom(top.h * 0.34f);
    // Offline the count is not known (the last one may be long wrong): a dash, not a number.
    std::string big = v.waiting[i].prefix + " " +
                      (v.online ? std::to_string(v.waiting[i].waiting) : std::string("–"));
    big_text(f, f.font(ui::FontRole::title), std::min(f.px(60), top.h * 0.8f), big,
             top.inset(f.px(8), 0), v.online ? col.text : col.text_muted, ui::Align::center);
    f.widgets().add(ui::WidgetInfo{"display.waiting." + v.waiting[i].prefix, big, cell,
                                   ui::WidgetKind::text});
    if (i < static_cast<int>(texts.service_names.size()))
      big_text(f, f.font(ui::FontRole::small), std::min(f.px(22), name.h * 0.9f),
               texts.service_names[i], name.inset(f.px(6), 0), col.text_muted, ui::Align::center);
  }

  // Calls: the newest one or two huge, the rest as a list.
  ui::Rect lead_area = portrait ? area.take_top(area.h * 0.5f, f.px(24))
                                : area.take_left(area.w * 0.62f, f.px(32));
  if (v.calls.empty()) {
    ui::text_centered(f, lead_area, f.t("display.no_calls"), ui::FontRole::title, col.text_muted,
                      "display.empty");
  } else {
    const std::size_t leads = std::min<std::size_t>(2, v.calls.size());
    ui::Rect first = leads == 2 ? lead_area.take_top(lead_area.h * 0.58f, f.px(24)) : lead_area;
    call_row(f, v.calls[0], first, std::min(f.px(230), first.h * 0.8f), true, 0);
    if (leads == 2)
      call_row(f, v.calls[1], lead_area, std::min(f.px(150), lead_area.h * 0.8f), false, 1);
  }
  ui::Rect list = area;
  ui::text_wrapped(f, list.take_top(f.px(50), f.px(10)), f.t("display.last_calls"),
                   ui::FontRole::heading, ui::Align::left, col.text_muted, "display.last.title", 1);
  const int rows_max = portrait ? 6 : 6;
  const float row_h = std::min(f.px(120), (list.h - f.px(12) * (rows_max - 1)) / rows_max);
  for (std::size_t i = 2; i < v.calls.size() && int(i) - 2 < rows_max; ++i) {
    ui::Rect r = list.take_top(row_h, f.px(12));
    call_row(f, v.calls[i], r, row_h * 0.72f, false, static_cast<int>(i));
  }
  if (v.blinking) f.animate_for(0.1);
}

}  // namespace wm::kiosk
