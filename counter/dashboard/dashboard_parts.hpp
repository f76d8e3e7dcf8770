// Pieces of the dashboard view shared between the county and office screens.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "core/stats.hpp"
#include "ui/frame.hpp"
#include "ui/layout.hpp"

namespace wm::counter {

// One clickable office card of the county overview; true when clicked. `live`: today (waiting
// now, counters open); else a past day's totals (arrivals, longest wait, no-shows).
bool office_tile(ui::Frame& f, const core::OfficeStats& o, const ui::Rect& r, bool live);
// Counter id -> the services it works with today, for counters moved from their configured ones.
using MovedCounters = std::map<std::string, std::vector<std::string>>;
// Service and counter tables plus the two day charts of one office (a past day: no live
// counter states, no forecast). Returns the counter whose "services" button was clicked.
std::optional<std::string> draw_office(ui::Frame& f, const core::Region& region,
                                       const core::OfficeStats& o, ui::Rect area,
                                       core::Millis now, bool live, const MovedCounters& moved);
std::string percent_text(double share);

}  // namespace wm::counter
