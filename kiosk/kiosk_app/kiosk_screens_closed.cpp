// The closed screen (outside the opening hours) and the "opens again …" words it shares with
// the tiles of services past their last-ticket time.
#include "core/clock.hpp"
#include "kiosk/kiosk_app/kiosk_screens.hpp"
#include "ui/widgets.hpp"

namespace wm::kiosk {

using namespace wm::ui;

std::string opening_text(Frame& f, core::Millis now, const std::optional<core::Millis>& at) {
  if (!at) return {};
  const std::string time = core::local_hhmm(*at);
  const std::string day = core::local_day(*at);
  // Today and tomorrow by calendar day; stepping from local noon keeps DST days whole.
  const core::Millis noon = core::local_time_of(core::local_day(now), "12:00").value_or(now);
  if (day == core::local_day(now)) return f.t("kiosk.opens.today", {{"time", time}});
  if (day == core::local_day(noon + 86'400'000LL))
    return f.t("kiosk.opens.tomorrow", {{"time", time}});
  const std::string date = day.size() == 10 ? day.substr(8, 2) + "." + day.substr(5, 2) + "." : day;
  return f.t("kiosk.opens.day." + std::to_string(core::local_weekday(*at)),
             {{"date", date}, {"time", time}});
}

void draw_closed(Frame& f, const KioskView& v, Rect body, Intents& in) {
  const Theme& th = f.theme();
  const float row_h = std::max(th.touch_min, f.font_size(FontRole::body_bold) * 2.6f);
  // It takes the place of the first screen, so it keeps its top: languages and switches.
  start_bar(f, body, in, {}, {});
  Rect bottom = body.take_bottom(row_h, th.gap);
  if (!is_portrait(f)) bottom = bottom.take_right(bottom.w * 0.5f);
  if (touch_button(f, "kiosk.closed.appointment", f.t("kiosk.appointment_button"), bottom,
                   {.kind = ButtonKind::secondary}))
    in.appointment = true;

  screen_title(f, body, f.t("kiosk.closed.title"), "kiosk.closed.title", 2);
  const std::string when = opening_text(f, v.now, v.next_opening);
  const std::string next = when.empty() ? std::string(f.t("kiosk.closed.unknown"))
                                        : f.t("kiosk.closed.next", {{"when", when}});
  paragraph(f, body, next, "kiosk.closed.next", FontRole::title, f.colors().text, 4);
  body.take_top(th.gap);
  paragraph(f, body, f.t("kiosk.closed.hint"), "kiosk.closed.hint", FontRole::body,
            f.colors().text_muted, 6);
}

}  // namespace wm::kiosk
