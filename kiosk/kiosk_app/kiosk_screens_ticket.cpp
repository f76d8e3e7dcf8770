// Kiosk screens around the ticket: summary, progress, done, printer failure, errors, return.
#include "kiosk/kiosk_app/kiosk_screens.hpp"
#include "ui/widgets.hpp"

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

void draw_summary(Frame& f, const KioskView& v, Rect body, Intents& in) {
  const Theme& th = f.theme();
  screen_title(f, body, f.t("kiosk.summary.title"), "kiosk.summary.title", 1);
  if (touch_button(f, "kiosk.summary.print", f.t("kiosk.summary.print"),
                   body.take_bottom(big_button_height(f), th.gap),
                   {.enabled = v.online, .font = FontRole::heading}))
    in.print = true;
  if (!v.online)
    paragraph(f, body, f.t("kiosk.summary.offline"), "kiosk.summary.offline", FontRole::body_bold,
              f.colors().danger, 2);
  // The estimate first: it is what the visitor decides on.
  Rect est = body.take_top(f.font_size(FontRole::heading) * 1.5f, th.gap * 0.5f);
  text_wrapped(f, est, std::string(f.t("common.estimated_wait")) + ": " + minutes_text(f, v.estimate),
               FontRole::heading, Align::left, std::nullopt, "kiosk.summary.estimate", 1);
  if (v.alternative) {
    std::string text = f.t("kiosk.summary.alternative",
                           {{"office", v.alternative->office_name},
                            {"minutes", std::to_string(v.alternative->minutes)}});
    const float h = text_height(f, text, FontRole::body_bold, body.w - f.px(100)) + f.px(30);
    banner(f, "kiosk.summary.alternative", text, body.take_top(std::max(h, f.px(80)), th.gap),
           Severity::info);
  }
  if (v.identity)
    paragraph(f, body, f.t("kiosk.summary.id_included"), "kiosk.summary.id_included",
              FontRole::body, f.colors().text_muted, 2);
  // Documents per service: side by side in landscape; the smaller font if the list is long.
  const bool portrait = is_portrait(f);
  const int n = int(v.selected.size());
  for (int i = 0; i < n; ++i) {
    const ServiceView& s = v.selected[i];
    Rect col = portrait ? row(body, n, th.gap, i) : column(body, n, th.gap * 2, i);
    const std::string sid = "kiosk.summary.service" + std::to_string(i);
    paragraph(f, col, (n > 1 ? std::to_string(i + 1) + ". " : std::string()) + s.title, sid,
              FontRole::heading, std::nullopt, 2);
    if (s.documents.empty()) continue;
    paragraph(f, col, f.t("kiosk.summary.documents"), sid + ".documents", FontRole::body_bold,
              std::nullopt, 2);
    FontRole role = FontRole::body;
    float need = 0;
    for (const auto& d : s.documents)
      need += text_height(f, "• " + d, role, col.w) + f.px(4) + th.gap;
    if (need > col.h) role = FontRole::small;
    for (std::size_t d = 0; d < s.documents.size(); ++d)
      paragraph(f, col, "• " + s.documents[d], sid + ".doc" + std::to_string(d), role,
                std::nullopt, 3);
  }
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
  paragraph(f, body, f.t("kiosk.done.your_number"), "kiosk.done.your_number", FontRole::heading,
            {}, 1);
  big_number(f, body.take_top(std::min(body.h * 0.45f, f.px(400)), th.gap), v.number,
             "kiosk.number");
  if (!v.slot.empty())
    paragraph(f, body, f.t("kiosk.done.appointment", {{"time", v.slot}}), "kiosk.done.slot",
              FontRole::heading, {}, 2);
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
