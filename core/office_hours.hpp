// Opening hours as one rule: open or closed, next opening, and the last-ticket cut-off.
#pragma once

#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/protocol.hpp"
#include "core/state.hpp"

namespace wm::core {

// All times are instants; the office's hours are read in the process's time zone, which every
// program sets to the county's (use_time_zone). Spans that touch (12:00-24:00 and 00:00-06:00
// the next day) count as one stretch, so an office open around the clock never closes.

// Whether the office is open at `t`.
bool office_open(const Office& office, Millis t);

// When the open stretch that contains `t` ends; nullopt when closed at `t` or open for more
// than a week from `t` (around the clock: nothing to cut off).
std::optional<Millis> office_closes(const Office& office, Millis t);

// The next moment after `t` at which the office opens: the start of the next open stretch
// (when open at `t`, the one after the current stretch). nullopt: no opening within 8 days.
std::optional<Millis> office_next_opening(const Office& office, Millis t);

// Minutes before closing by which a ticket's estimated start must lie for `service`: the
// service's own last_ticket_minutes_before_close, else the policy's.
int last_ticket_margin_minutes(const Region& region, const Service& service);

// Whether a visitor may take a ticket for `service` in `office` at `now`.
//  - closed: outside the opening hours.
//  - past_cutoff: open, but the estimated start (now + estimate_new(), 0 when there is no
//    estimate because no counter is open yet) is not before closing minus the margin above.
//    The lunch break counts as closing: a morning ticket is for the morning.
struct IssueVerdict {
  enum class Kind { open, closed, past_cutoff } kind = Kind::open;
  std::optional<Millis> closes;        // end of the current stretch (open, past_cutoff)
  std::optional<Millis> next_opening;  // closed: the next opening; past_cutoff: after closing
  bool ok() const { return kind == Kind::open; }
};
IssueVerdict issue_verdict(const State& state, const Office& office, const std::string& service,
                           Millis now);

// The broker's check for ticket.issue: ErrorCode::office_closed / last_ticket_passed with a
// message for the log, or nullopt. Walk-in tickets from a kiosk only: staff (source
// "counter"/"cli") decide for themselves after hours, and an appointment check-in does not
// come through here (a booked visitor is served).
struct HoursRefusal {
  ErrorCode code;
  std::string message;
  std::string field;
};
std::optional<HoursRefusal> check_issue_hours(const json& body, const State& state, Millis now);

}  // namespace wm::core
