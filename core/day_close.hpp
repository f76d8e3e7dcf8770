// End of day (issue 17 item 1): when an office's day closes and what closing it does. The broker
// closes a day with one journaled event, `day.closed`, that State applies like any other, so a
// replayed journal closes exactly the same tickets and counters.
#pragma once

#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/state.hpp"

namespace wm::core {

// Minutes after the day's last closing time: the office's day_close_grace_minutes, else the
// policy's.
int day_close_grace_minutes(const Region& region, const Office& office);

// When the broker closes `day` ("2026-11-26") of `office`: its last closing time that day plus
// the grace, but never later than the following midnight (no ticket outlives its day). A day
// without opening hours (Sunday; an office open around the clock) closes at midnight.
Millis day_close_due(const Region& region, const Office& office, const std::string& day);

// The day the broker must close for `office` now, if any:
//  - today, once its due time has passed and today was not closed yet (once a day, also with
//    nothing open: the journal then says when each office's day ended);
//  - yesterday, when a ticket of an earlier day is still not final (e.g. issued by staff after
//    the close, or the broker was down at closing time): the safety net at midnight.
std::optional<std::string> day_to_close(const State& state, const Office& office, Millis now);

// The `day.closed` event body: {"day", "reason" ("schedule" or "manual"), "tickets",
// "counters"} (the counts are what the close will change, for readers of the journal; the
// applier works them out again from the state).
json day_closed_body(const State& state, const std::string& office, const std::string& day,
                     const std::string& reason);

}  // namespace wm::core
