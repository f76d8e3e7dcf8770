// Pieces of the dashboard view shared between the county and office screens.
#pragma once

#include <string>
#include <string_view>

#include "core/stats.hpp"
#include "ui/frame.hpp"
#include "ui/layout.hpp"

namespace wm::counter {

ImU32 light_color(ui::Frame& f, core::Light l);
// A traffic light that does not rely on colour (WCAG 1.4.1): green a circle with a tick, yellow
// a triangle with "!", red an octagon with a cross; registered as a widget `id` whose label is
// the word (dashboard.light.*), for tests and assistive technology.
void draw_light(ui::Frame& f, core::Light l, ImVec2 centre, float radius, const std::string& id);
// The light's word: "im Ziel", "knapp", "über Ziel" in the viewer's language.
std::string light_word(ui::Frame& f, core::Light l);
// One clickable office card of the county overview; true when clicked. `live`: today (waiting
// now, counters open); else a past day's totals (arrivals, longest wait, no-shows).
bool office_tile(ui::Frame& f, const core::OfficeStats& o, const ui::Rect& r, bool live);
// Service and counter tables plus the two day charts of one office (a past day: no live
// counter states, no forecast).
void draw_office(ui::Frame& f, const core::Region& region, const core::OfficeStats& o,
                 ui::Rect area, core::Millis now, bool live);
std::string percent_text(double share);

}  // namespace wm::counter
