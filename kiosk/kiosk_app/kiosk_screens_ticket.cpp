// Kiosk screens around the ticket: summary, progress, done, printer failure, errors, return.
#include "kiosk/kiosk_app/kiosk_screens.hpp"
#include "kiosk/kiosk_app/kiosk_ticket.hpp"
#include "ui/widgets.hpp"

#include <algorithm>

namespace wm::kiosk {

using namespace wm::ui;

namespace {

float big_button_height(Frame& f) {
  return std::max(f.theme().touch_min * 1.4f, f.font_size(FontRole::heading) * 2.4f);
}

// The ticket number as large as the space allows (huge font, centred).
void big_number(Frame& f, Rect r, const std::string& number, std::string_view id) {
  const Palette& c = f.colors();
  f.draw_list()->AddRectFilled(r.min(), r.max(), c.surface, f.theme().rounding);
  f.draw_list()->AddRect(r.min(), r.max(), c.accent, f.theme().rounding, 0, f.theme().border * 2);
  text_centered(f, r.inset(f.theme().gap), number, FontRole::huge, c.text, id);
}

std::string_view printer_reason_key(const std::string& state) {
  if (state == "paper_out") return "kiosk.printer.paper_out";
  if (state == "cover_open") return "kiosk.printer.cover_open";
  if (state == "offline") return "kiosk.printer.offline";
  return "kiosk.printer.error";
}

}  // namespace

namespace {

// How densely the documents are set: the first style whose lists fit is used. Even the
// densest keeps the small font (≥ 24 px, 34 px with large text) and full words.
struct DocStyle {
  FontRole title, label, item;
  int columns;  // of bullets per service
  float gap;    // × theme gap between bullets
};
constexpr DocStyle kDocStyles[] = {
    {FontRole::heading, FontRole::body_bold, FontRole::body, 1, 1.0f},
    {FontRole::body_bold, FontRole::body_bold, FontRole::body, 1, 0.5f},
    {FontRole::body_bold, FontRole::body_bold, FontRole::small, 1, 0.5f},
    {FontRole::body_bold, FontRole::body_bold, FontRole::small, 2, 0.5f},
    {FontRole::body_bold, FontRole::small, FontRole::small, 2, 0.25f},
};

struct DocLine {
  std::string id, text;
  FontRole role;
  int max_lines;
  float height = 0;
};

// One service's block: title, "please bring", bullets (in `columns` columns).
struct DocBlock {
  DocLine title, label;
  std::vector<DocLine> items;
};

float line_height(Frame& f, const DocLine& l, float width) {
  const float cap = f.font_size(l.role) * FitOptions{}.line_spacing * l.max_lines;
  return std::min(text_height(f, l.text, l.role, width) + f.px(4), cap + f.px(4));
}

std::vector<DocBlock> doc_blocks(Frame& f, const KioskView& v, const DocStyle& st) {
  std::vector<DocBlock> out;
  const int n = int(v.selected.size());
  for (int i = 0; i < n; ++i) {
    const ServiceView& s = v.selected[i];
    const std::string sid = "kiosk.summary.service" + std::to_string(i);
    DocBlock b;
    b.title = {sid, (n > 1 ? std::to_string(i + 1) + ". " : std::string()) + s.title, st.title, 2};
    if (!s.documents.empty())
      b.label = {sid + ".documents", std::string(f.t("kiosk.summary.documents")), st.label, 2};
    for (std::size_t d = 0; d < s.documents.size(); ++d)
      b.items.push_back({sid + ".doc" + std::to_string(d), "• " + s.documents[d], st.item, 3});
    out.push_back(std::move(b));
  }
  return out;
}

// Lays the blocks out (heights filled in) and returns the height they need in `width`.
float measure(Frame& f, std::vector<DocBlock>& blocks, const DocStyle& st, float width) {
  const float gap = f.theme().gap;
  const float col_w = (width - gap * (st.columns - 1)) / st.columns;
  float total = 0;
  for (auto& b : blocks) {
    b.title.height = line_height(f, b.title, width);
    total += b.title.height + gap * 0.5f;
    if (!b.label.text.empty()) {
      b.label.height = line_height(f, b.label, width);
      total += b.label.height + gap * 0.5f;
    }
    std::vector<float> cols(st.columns, 0.f);
    const int per_col = (int(b.items.size()) + st.columns - 1) / st.columns;
    for (std::size_t i = 0; i < b.items.size(); ++i) {
      b.items[i].height = line_height(f, b.items[i], col_w);
      cols[per_col ? i / per_col : 0] += b.items[i].height + gap * st.gap;
    }
    total += *std::max_element(cols.begin(), cols.end()) + gap;
  }
  return total;
}

void draw_line(Frame& f, Rect& area, const DocLine& l, float gap) {
  text_wrapped(f, area.take_top(l.height, gap), l.text, l.role, Align::left, std::nullopt, l.id,
               l.max_lines);
}

// Documents per service, as dense as needed to show every one of them.
void documents(Frame& f, const KioskView& v, Rect area) {
  const float gap = f.theme().gap;
  const DocStyle* style = &kDocStyles[0];
  std::vector<DocBlock> blocks;
  for (const DocStyle& st : kDocStyles) {
    style = &st;
    blocks = doc_blocks(f, v, st);
    if (measure(f, blocks, st, area.w) <= area.h) break;
  }
  const DocStyle& st = *style;
  const float col_w = (area.w - gap * (st.columns - 1)) / st.columns;
  for (const auto& b : blocks) {
    draw_line(f, area, b.title, gap * 0.5f);
    if (!b.label.text.empty()) draw_line(f, area, b.label, gap * 0.5f);
    const int per_col = (int(b.items.size()) + st.columns - 1) / st.columns;
    float used = 0;
    for (int c = 0; c < st.columns; ++c) {
      Rect col{area.x + c * (col_w + gap), area.y, col_w, area.h};
      for (int i = c * per_col; i < std::min(int(b.items.size()), (c + 1) * per_col); ++i)
        draw_line(f, col, b.items[i], gap * st.gap);
      used = std::max(used, col.y - area.y);
    }
    area.take_top(used, gap * 0.5f);
  }
}

}  // namespace

void draw_summary(Frame& f, const KioskView& v, Rect body, Intents& in) {
  const Theme& th = f.theme();
  // Landscape: title and the decision (estimate, nearby office, print) on the left; what to
  // bring on the right, over the full height.
  const bool portrait = is_portrait(f);
  Rect info = portrait ? body : body.take_left(body.w * 0.42f, th.margin);
  // The column the extras below go to: above print in portrait; under the documents in
  // landscape, where the decision column has no room left for them with large text.
  Rect& extras = portrait ? info : body;
  screen_title(f, info, f.t("kiosk.summary.title"), "kiosk.summary.title", portrait ? 1 : 2);
  if (touch_button(f, "kiosk.summary.print", f.t("kiosk.summary.print"),
                   info.take_bottom(big_button_height(f), th.gap),
                   {.enabled = v.online, .font = FontRole::heading}))
    in.print = true;
  // What else the visitor may do before printing, where it applies (the model decides): a
  // second concern a counter here serves together with the first, reading the ID card.
  // Quieter than "print", so the common case stays two taps: a tile, then print.
  struct Offer {
    const char* id;  // also the text's key
    bool* intent;
  };
  std::vector<Offer> offers;
  if (v.can_add_second) offers.push_back({"kiosk.summary.add_second", &in.add_second});
  if (v.can_add_id) offers.push_back({"kiosk.summary.add_id", &in.add_id});
  if (const int n = int(offers.size()); n > 0) {
    const float h = std::max(th.touch_min, f.font_size(FontRole::body_bold) * 2.5f + f.px(24));
    Rect area = extras.take_bottom(h, th.gap);
    for (int i = 0; i < n; ++i)
      if (touch_button(f, offers[i].id, f.t(offers[i].id), column(area, n, th.gap, i),
                       {.kind = ButtonKind::secondary, .enabled = v.online}))
        *offers[i].intent = true;
  }
  if (!v.online) {
    const std::string text(f.t("kiosk.summary.offline"));
    const float h = text_height(f, text, FontRole::body_bold, info.w) + f.px(4);
    text_wrapped(f, info.take_bottom(h, th.gap), text, FontRole::body_bold, Align::left,
                 f.colors().danger, "kiosk.summary.offline", 3);
  }
  // The estimate first: it is what the visitor decides on.
  const std::string est = std::string(f.t("common.estimated_wait")) + ": " + minutes_text(f, v.estimate);
  paragraph(f, info, est, "kiosk.summary.estimate", FontRole::heading, std::nullopt, 2);
  if (v.alternative) {
    std::string text = f.t("kiosk.summary.alternative",
                           {{"office", v.alternative->office_name},
                            {"minutes", std::to_string(v.alternative->minutes)}});
    const float h = text_height(f, text, FontRole::body_bold, info.w - 2 * th.margin) + f.px(30);
    banner(f, "kiosk.summary.alternative", text, info.take_top(std::max(h, f.px(80)), th.gap),
           Severity::info);
  }
  Rect docs = portrait ? info : body;
  if (v.identity)
    paragraph(f, docs, f.t("kiosk.summary.id_included"), "kiosk.summary.id_included",
              FontRole::body, f.colors().text_muted, 3);
  documents(f, v, docs);
}

void draw_progress(Frame& f, const KioskView& v, Rect body, Intents&) {
  const bool printing = v.screen == Screen::printing;
  Rect title = body.take_top(body.h * 0.3f);
  text_centered(f, title, printing ? f.t("kiosk.printing") : f.t("common.please_wait"),
                FontRole::title, std::nullopt, "kiosk.progress.title");
  if (printing && !v.number.empty())
    big_number(f, body.take_top(std::min(body.h * 0.5f, f.px(420))), v.number, "kiosk.number");
  f.redraw_after(0.5);
}

void draw_done(Frame& f, const KioskView& v, Rect body, Intents& in) {
  const Theme& th = f.theme();
  screen_title(f, body, f.t("kiosk.done.take_ticket"), "kiosk.done.title", 2);
  if (touch_button(f, "kiosk.done.finish", f.t("kiosk.done.finish"),
                   body.take_bottom(big_button_height(f), th.gap), {.font = FontRole::heading}))
    in.finish = true;
  // Landscape: the number on the right, as tall as the texts beside it.
  Rect number_area = is_portrait(f) ? Rect{} : body.take_right(body.w * 0.42f, th.margin);
  paragraph(f, is_portrait(f) ? body : number_area, f.t("kiosk.done.your_number"),
            "kiosk.done.your_number", FontRole::heading, {}, 1);
  if (is_portrait(f))
    big_number(f, body.take_top(std::min(body.h * 0.45f, f.px(400)), th.gap), v.number,
               "kiosk.number");
  else
    big_number(f, number_area.take_top(std::min(number_area.h, f.px(400))), v.number,
               "kiosk.number");
  if (!v.slot.empty())
    paragraph(f, body, f.t(appointment_line_key(v.late), {{"time", v.slot}}), "kiosk.done.slot",
              v.late ? FontRole::body_bold : FontRole::heading, {}, 3);
  paragraph(f, body, std::string(f.t("common.estimated_wait")) + ": " + minutes_text(f, v.ticket_minutes),
            "kiosk.done.estimate", FontRole::heading, {}, 2);
  paragraph(f, body, f.t("kiosk.done.watch_display"), "kiosk.done.watch", FontRole::body, {}, 3);
}

void draw_print_failed(Frame& f, const KioskView& v, Rect body, Intents& in) {
  const Theme& th = f.theme();
  screen_title(f, body, f.t("kiosk.print_failed.remember"), "kiosk.print_failed.title", 2);
  const float bh = big_button_height(f);
  const bool portrait = is_portrait(f);
  Rect buttons = body.take_bottom(portrait ? bh * 2 + th.gap : bh, th.gap);
  Rect retry = portrait ? row(buttons, 2, th.gap, 0) : column(buttons, 2, th.gap, 0);
  Rect done = portrait ? row(buttons, 2, th.gap, 1) : column(buttons, 2, th.gap, 1);
  if (touch_button(f, "kiosk.print_failed.retry", f.t("kiosk.print_failed.retry"), retry,
                   {.kind = ButtonKind::secondary, .font = FontRole::heading}))
    in.retry_print = true;
  if (touch_button(f, "kiosk.print_failed.finish", f.t("kiosk.print_failed.finish"), done,
                   {.font = FontRole::heading}))
    in.finish = true;
  const std::string reason = f.t("kiosk.print_failed.reason", {{"reason", std::string(f.t(printer_reason_key(v.printer_state)))}});
  const float h = text_height(f, reason, FontRole::body_bold, body.w - f.px(100)) + f.px(30);
  banner(f, "kiosk.print_failed.reason", reason, body.take_top(std::max(h, f.px(80)), th.gap),
         Severity::danger);
  big_number(f, body.take_top(std::min(body.h * 0.6f, f.px(520)), th.gap), v.number,
             "kiosk.number");
  paragraph(f, body, f.t("kiosk.print_failed.valid"), "kiosk.print_failed.valid",
            FontRole::heading, {}, 3);
}

void draw_unavailable(Frame& f, const KioskView& v, Rect body, Intents& in) {
  const Theme& th = f.theme();
  const bool ticket_problem = v.failure == Failure::unknown_ticket || v.failure == Failure::not_parked;
  screen_title(f, body, f.t(ticket_problem ? "kiosk.return.failed_title" : "kiosk.unavailable.title"),
               "kiosk.unavailable.title", 2);
  const char* key = v.failure == Failure::unknown_ticket ? "kiosk.return.unknown"
                    : v.failure == Failure::not_parked   ? "kiosk.return.not_parked"
                    : v.failure == Failure::unavailable  ? "kiosk.unavailable.text"
                    : v.failure == Failure::closed       ? "kiosk.unavailable.closed"
                                                         : "kiosk.unavailable.refused";
  const float bh = big_button_height(f);
  Rect buttons = body.take_bottom(bh, th.gap);
  if (!ticket_problem &&
      touch_button(f, "kiosk.unavailable.retry", f.t("kiosk.unavailable.retry"),
                   buttons.take_left((buttons.w - th.gap) / 2, th.gap),
                   {.font = FontRole::heading}))
    in.retry = true;
  if (touch_button(f, "kiosk.unavailable.finish", f.t("kiosk.done.finish"), buttons,
                   {.kind = ButtonKind::secondary, .font = FontRole::heading}))
    in.finish = true;
  paragraph(f, body, f.t(key), "kiosk.unavailable.text", FontRole::heading, {}, 6);
  if (!ticket_problem)
    paragraph(f, body, f.t("kiosk.unavailable.no_ticket"), "kiosk.unavailable.no_ticket",
              FontRole::heading, f.colors().danger, 3);
}

void draw_returned(Frame& f, const KioskView& v, Rect body, Intents& in) {
  const Theme& th = f.theme();
  screen_title(f, body, f.t("kiosk.return.title"), "kiosk.return.title", 2);
  if (touch_button(f, "kiosk.done.finish", f.t("kiosk.done.finish"),
                   body.take_bottom(big_button_height(f), th.gap), {.font = FontRole::heading}))
    in.finish = true;
  big_number(f, body.take_top(std::min(body.h * 0.45f, f.px(400)), th.gap), v.returned_number,
             "kiosk.number");
  paragraph(f, body, f.t("kiosk.return.text"), "kiosk.return.text", FontRole::heading, {}, 4);
}

}  // namespace wm::kiosk
