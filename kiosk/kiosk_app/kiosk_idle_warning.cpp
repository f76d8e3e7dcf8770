// The idle warning over any kiosk screen: the seconds left, a ring that empties, "I am still here".
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "kiosk/kiosk_app/kiosk_screens.hpp"
#include "ui/widgets.hpp"

namespace wm::kiosk {

using namespace wm::ui;

void draw_idle_warning(Frame& f, const KioskView& v, Intents& in) {
  if (!v.idle_warning) return;
  const Theme& th = f.theme();
  const Palette& c = f.colors();
  const Rect screen = f.viewport();
  // The screen stays visible below (what would be lost) but takes no touch: the caller drops
  // its intents; any tap anywhere counts as "still here".
  f.draw_list()->AddRectFilled(screen.min(), screen.max(), IM_COL32(0, 0, 0, 170));

  const int left = *v.idle_warning;
  const float w = std::min(screen.w - 2 * th.margin, f.px(960));
  const float pad = th.margin;
  const float inner_w = w - 2 * pad;
  const float ring = f.px(260);
  const float row_h = std::max(th.touch_min, f.font_size(FontRole::body_bold) * 2.6f);
  const std::string title = std::string(f.t("kiosk.idle.title"));
  const std::string text = f.t("kiosk.idle.text", {{"n", std::to_string(left)}});
  const float title_h = text_height(f, title, FontRole::title, inner_w);
  const float text_h = text_height(f, text, FontRole::heading, inner_w);
  const float h = pad + ring + th.gap * 1.5f + title_h + th.gap + text_h + th.gap * 2 + row_h * 2 +
                  th.gap + pad;
  Rect card{screen.x + (screen.w - w) / 2, screen.y + std::max(th.margin, (screen.h - h) / 2), w,
            std::min(h, screen.h - 2 * th.margin)};
  f.draw_list()->AddRectFilled(card.min(), card.max(), c.background, th.rounding);
  f.draw_list()->AddRect(card.min(), card.max(), c.warning, th.rounding, 0, th.border * 3);
  Rect body = card.inset(pad);

  // The picture: a ring that empties with the seconds, the number in its middle.
  Rect dial = body.take_top(ring, th.gap * 1.5f);
  const ImVec2 centre(dial.x + dial.w / 2, dial.y + dial.h / 2);
  const float radius = ring / 2 - f.px(14);
  const float thick = f.px(22);
  ImDrawList* dl = f.draw_list();
  dl->AddCircle(centre, radius, c.border, 96, thick);
  const float share = std::clamp(static_cast<float>(left) / 20.0f, 0.0f, 1.0f);
  constexpr float kPi = 3.14159265f;
  const float start = -kPi / 2;  // from 12 o'clock, clockwise
  dl->PathArcTo(centre, radius, start, start + share * 2 * kPi, 96);
  dl->PathStroke(c.warning, 0, thick);
  const float num_h = f.font_size(FontRole::huge) * 1.1f;
  text_centered(f, Rect{centre.x - radius, centre.y - num_h / 2, radius * 2, num_h},
                std::to_string(left), FontRole::huge, c.text, "kiosk.idle.seconds");

  text_wrapped(f, body.take_top(title_h, th.gap), title, FontRole::title, Align::center, c.text,
               "kiosk.idle.title", 3);
  text_wrapped(f, body.take_top(text_h, th.gap * 2), text, FontRole::heading, Align::center,
               c.text, "kiosk.idle.text", 4);
  // Drop what the screen below asked for: only this dialog answers now.
  Intents none;
  in = none;
  if (touch_button(f, "kiosk.idle.stay", f.t("kiosk.idle.stay"), body.take_top(row_h, th.gap)))
    in.activity = true;
  if (touch_button(f, "kiosk.idle.start_over", f.t("common.start_over"), body.take_top(row_h),
                   {.kind = ButtonKind::secondary}))
    in.start_over = true;
}

}  // namespace wm::kiosk
