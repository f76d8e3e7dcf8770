// Keypad grid and code entry field.
#include "ui/keypad.hpp"

#include <algorithm>
#include <cmath>

#include "ui/widget_parts.hpp"
#include "ui/widgets.hpp"

namespace wm::ui {

namespace {

constexpr std::string_view kDigitKeys = "123456789";
constexpr std::string_view kAlnumKeys = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

}  // namespace

KeypadEvent keypad(Frame& f, std::string_view id, const Rect& area, KeypadLayout layout,
                   std::string& value, std::size_t max_length) {
  const bool digits = layout == KeypadLayout::digits;
  const std::string_view keys = digits ? kDigitKeys : kAlnumKeys;
  const float gap = f.theme().gap * 0.6f;
  // Letters: pick the grid whose keys come out biggest (6×6 portrait, 12×3 landscape).
  int columns = 3;
  if (!digits) {
    float best = -1;
    for (int c : {6, 9, 12}) {
      const int r = int(keys.size()) / c + 1;
      const float side = std::min((area.w - gap * (c - 1)) / c, (area.h - gap * (r - 1)) / r);
      if (side > best) {
        best = side;
        columns = c;
      }
    }
  }
  const int rows = int(keys.size()) / columns + 1;  // plus the Delete / (0) / OK row
  const std::string base(id);
  KeypadEvent event = KeypadEvent::none;
  const bool full = value.size() >= max_length;

  ButtonOptions key_style{.kind = ButtonKind::secondary, .enabled = !full, .max_lines = 1};
  key_style.font = FontRole::heading;
  for (int i = 0; i < int(keys.size()); ++i) {
    const std::string ch(1, keys[i]);
    if (touch_button(f, base + ".key." + ch, ch, grid_cell(area, columns, rows, gap, i),
                     key_style)) {
      value += ch;
      event = KeypadEvent::changed;
    }
  }

  const Rect last = grid_cell(area, 1, rows, gap, rows - 1);
  ButtonOptions del{.kind = ButtonKind::secondary, .enabled = !value.empty(), .max_lines = 1};
  ButtonOptions ok{.kind = ButtonKind::primary, .enabled = !value.empty(), .max_lines = 1};
  Rect del_r, zero_r, ok_r;
  if (digits) {
    del_r = column(last, 3, gap, 0);
    zero_r = column(last, 3, gap, 1);
    ok_r = column(last, 3, gap, 2);
    if (touch_button(f, base + ".key.0", "0", zero_r, key_style)) {
      value += '0';
      event = KeypadEvent::changed;
    }
  } else {
    del_r = column(last, 2, gap, 0);
    ok_r = column(last, 2, gap, 1);
  }
  if (touch_button(f, base + ".delete", f.t("common.delete"), del_r, del)) {
    value.pop_back();
    event = KeypadEvent::changed;
  }
  if (touch_button(f, base + ".ok", f.t("common.ok"), ok_r, ok)) event = KeypadEvent::submitted;
  return event;
}

void entry_field(Frame& f, std::string_view id, const Rect& r, std::string_view value,
                 std::size_t length) {
  const Theme& th = f.theme();
  const Palette& c = th.c;
  ImDrawList* dl = f.draw_list();
  length = std::max<std::size_t>(length, std::max<std::size_t>(1, value.size()));
  const float gap = f.px(10);
  const float box_w = std::min(r.h * 0.8f, (r.w - gap * (length - 1)) / float(length));
  const float total = box_w * length + gap * (length - 1);
  ImFont* font = f.font(FontRole::title);
  const float size = std::min(f.font_size(FontRole::title), r.h * 0.7f);
  for (std::size_t i = 0; i < length; ++i) {
    const Rect box{r.x + (r.w - total) * 0.5f + i * (box_w + gap), r.y, box_w, r.h};
    const bool next = i == value.size();
    dl->AddRectFilled(box.min(), box.max(), c.surface, th.rounding * 0.6f);
    dl->AddRect(box.min(), box.max(), next ? c.accent : c.border, th.rounding * 0.6f, 0,
                next ? th.border * 2 : th.border);
    if (i < value.size()) {
      const char* ch = value.data() + i;
      const ImVec2 ts = font->CalcTextSizeA(size, FLT_MAX, 0, ch, ch + 1);
      dl->AddText(font, size,
                  ImVec2(std::round(box.x + (box.w - ts.x) * 0.5f),
                         std::round(box.y + (box.h - ts.y) * 0.5f)),
                  c.text, ch, ch + 1);
    }
  }
  register_widget(f, id, value, r, WidgetKind::field, true, false, total <= r.w + 0.5f);
}

}  // namespace wm::ui
