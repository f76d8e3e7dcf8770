// The read side every front end shares: how a wait is shown, waiting counts, "over target" and
// the nearby-office suggestion, so a kiosk, a ticket, a phone and a counter never disagree.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/state.hpp"

namespace wm::core {

// Minutes of an *estimated* wait as every screen shows it ("about N min"): rounded up to whole
// minutes, at least 1; above 10 rounded up to the next 5, because an estimate is not good to
// the minute and a visitor takes "about 15" as a promise. Used for every estimate a visitor
// or staff member reads (kiosk, paper ticket, status page, CLI, counter, dashboard), so the
// visitor reads the same number on paper and phone and the counter staff say the same.
// Negative counts as 0; anything beyond a day reads as a day (no overflow).
int wait_minutes_for_display(Millis estimate_ms);

// Whole minutes of a wait that has *happened* (waited so far, longest waiting, time at the
// counter): cut down, as a clock does: 4:59 is 4 minutes. Different from the estimate rule on
// purpose: a measured time is exact, rounding it up would overstate it. Negative counts as 0.
int elapsed_minutes(Millis elapsed_ms);

// Whether a wait is over a service's target: when its elapsed minutes (the number the
// dashboard shows) exceed the target, so "31 min, target 30" is over and "30 min" is not.
// The one definition for the statistics (within target, traffic light) and the dashboard's
// alert. A target below 1 minute counts as 1.
bool over_target(Millis waited_ms, int target_minutes);

// Tickets waiting now in an office, per current service, counting the ones sent to a specific
// counter too (what a visitor sees as "waiting for this concern"). Read from the counts
// State::apply keeps, not by walking the tickets. Services nobody waits for are absent.
std::map<std::string, int> waiting_by_service(const State& state, const std::string& office);
int waiting_for(const State& state, const std::string& office, const std::string& service);

// A nearby office worth the drive for `service`, as the kiosk suggests it.
struct NearbyOffice {
  const Office* office = nullptr;
  int wait_minutes = 0;    // the estimate there, by wait_minutes_for_display
  int travel_minutes = 0;  // the drive, from the config's [[travel]] table
};

// The drive plus the wait there must beat the wait here by at least this much...
inline constexpr int kNearbyMinSavingMinutes = 20;
// ... and by at least this share of the wait here (percent): estimates are rough, a trip for
// a small relative gain is not worth the risk.
inline constexpr int kNearbyMinSavingPercent = 33;

// The office (other than `office`) offering `service` with the shortest drive + wait, when
// that beats the wait here by both margins above; nullopt otherwise. Never an office without
// a travel figure in the config, and none when there is no estimate here (no counter open:
// the kiosk says so instead). All figures compared are the displayed minutes, so the
// suggestion never contradicts the numbers on the screen.
std::optional<NearbyOffice> suggest_nearby_office(const State& state, const std::string& office,
                                                  const std::string& service, Millis now);

}  // namespace wm::core
