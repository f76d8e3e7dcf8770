// Kiosk screens of the optional ID capture: consent, waiting for the card, confirmation.
#include "kiosk/kiosk_app/kiosk_screens.hpp"
#include "ui/widgets.hpp"

namespace wm::kiosk {

using namespace wm::ui;

namespace {

// Two answers of equal weight side by side at the bottom of `body`: same size, same style,
// same font; neither is the filled "primary" (a nudge towards handing over ID data), and
// neither is on top. "Ja" left, "Nein" right, as they are read.
std::pair<bool, bool> two_choices(Frame& f, Rect& body, std::string_view id_yes,
                                  std::string_view yes, std::string_view id_no,
                                  std::string_view no) {
  const Theme& th = f.theme();
  // Room for two lines of the heading font: long answers (uk, ru, pl) wrap, never shrink.
  const float h = std::max(th.touch_min * 1.3f, f.font_size(FontRole::heading) * 2.5f + f.px(24));
  Rect area = body.take_bottom(h, th.gap);
  const ButtonOptions same{.kind = ButtonKind::secondary, .font = FontRole::heading};
  bool y = touch_button(f, id_yes, yes, column(area, 2, th.gap, 0), same);
  bool n = touch_button(f, id_no, no, column(area, 2, th.gap, 1), same);
  return {y, n};
}

}  // namespace

void draw_consent(Frame& f, const KioskView&, Rect body, Intents& in) {
  screen_title(f, body, f.t("kiosk.consent.title"), "kiosk.consent.title", 2);
  auto [yes, no] = two_choices(f, body, "kiosk.consent.yes", f.t("kiosk.consent.yes"),
                               "kiosk.consent.skip", f.t("kiosk.consent.skip"));
  in.consent_yes = yes;
  in.consent_skip = no;
  paragraph(f, body, f.t("kiosk.consent.benefit"), "kiosk.consent.benefit", FontRole::body, {}, 4);
  paragraph(f, body, f.t("kiosk.consent.text"), "kiosk.consent.text", FontRole::body, {}, 6);
  // What is read, at the size of the rest: the visitor decides on it.
  paragraph(f, body, f.t("kiosk.consent.fields"), "kiosk.consent.fields", FontRole::body, {}, 6);
}

void draw_id_scan(Frame& f, const KioskView&, Rect body, Intents& in) {
  const Theme& th = f.theme();
  screen_title(f, body, f.t("kiosk.id_scan.title"), "kiosk.id_scan.title", 2);
  paragraph(f, body, f.t("kiosk.id_scan.hint"), "kiosk.id_scan.hint", FontRole::body, {}, 4);
  const float h = std::max(th.touch_min * 1.3f, f.font_size(FontRole::body_bold) * 3.2f);
  if (touch_button(f, "kiosk.id_scan.skip", f.t("kiosk.consent.skip"), body.take_bottom(h, th.gap),
                   {.kind = ButtonKind::secondary, .font = FontRole::heading}))
    in.consent_skip = true;
  // A card outline with the MRZ band, so the visitor sees which side goes down.
  const float cw = std::min(body.w * 0.7f, f.px(640)), ch = cw * 0.63f;
  Rect card{body.x + (body.w - cw) / 2, body.y + (body.h - ch) / 2, cw, ch};
  if (card.h < body.h) {
    const Palette& c = f.colors();
    f.draw_list()->AddRectFilled(card.min(), card.max(), c.surface, th.rounding);
    f.draw_list()->AddRect(card.min(), card.max(), c.accent, th.rounding, 0, th.border * 2);
    for (int i = 0; i < 3; ++i) {
      float y = card.y + card.h * (0.68f + 0.09f * i);
      f.draw_list()->AddLine({card.x + cw * 0.08f, y}, {card.x + cw * 0.92f, y}, c.text_muted,
                             f.px(6));
    }
    banner(f, "kiosk.id_scan.waiting", f.t("kiosk.id_scan.waiting"),
           Rect{card.x, card.y + ch * 0.15f, cw, f.px(80)}, Severity::info, true);
    f.redraw_after(0.5);  // the busy dot blinks
  }
}

void draw_id_confirm(Frame& f, const KioskView& v, Rect body, Intents& in) {
  const Theme& th = f.theme();
  screen_title(f, body, f.t("kiosk.id_confirm.title"), "kiosk.id_confirm.title", 2);
  auto [yes, no] = two_choices(f, body, "kiosk.id_confirm.accept", f.t("kiosk.id_confirm.accept"),
                               "kiosk.id_confirm.discard", f.t("kiosk.id_confirm.discard"));
  in.id_accept = yes;
  in.id_discard = no;
  if (!v.identity) return;
  const Identity& id = *v.identity;
  if (id.expired)
    banner(f, "kiosk.id_confirm.expired", f.t("kiosk.id_confirm.expired"),
           body.take_top(f.px(80), th.gap), Severity::warning);
  const std::pair<const char*, std::string> rows[] = {
      {"kiosk.id.surname", id.surname},
      {"kiosk.id.given_names", id.given_names},
      {"kiosk.id.birth_date", id.birth_date},
      {"kiosk.id.nationality", id.nationality},
      {"kiosk.id.document_number", id.document_number},
      {"kiosk.id.expiry", id.expiry},
  };
  const float row_h = f.font_size(FontRole::heading) * 1.9f;
  for (const auto& [key, value] : rows) {
    if (body.h < row_h) break;
    Rect r = body.take_top(row_h, th.gap * 0.5f);
    f.draw_list()->AddRectFilled(r.min(), r.max(), f.colors().surface, th.rounding * 0.5f);
    Rect inner = r.inset(th.gap, 0);
    Rect label = inner.take_left(inner.w * 0.42f, th.gap);
    text_wrapped(f, label, f.t(key), FontRole::body, Align::left, f.colors().text_muted,
                 std::string(key), 1);
    text_wrapped(f, inner, value, FontRole::heading, Align::left, std::nullopt,
                 std::string(key) + ".value", 1);
  }
}

}  // namespace wm::kiosk
