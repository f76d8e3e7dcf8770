// End of day: the due time of an office's day close and what a close will change.
#include "core/day_close.hpp"

#include <algorithm>
#include <cstdio>

#include "core/clock.hpp"

namespace wm::core {
namespace {

std::string day_after(const std::string& day) {
  // Noon is a safe anchor across daylight-saving changes.
  Millis noon = local_time_of(day, "12:00").value_or(0);
  return local_day(noon + 24 * 3600 * 1000LL);
}

std::string day_before(const std::string& day) {
  Millis noon = local_time_of(day, "12:00").value_or(0);
  return local_day(noon - 24 * 3600 * 1000LL);
}

bool closes_counter(const CounterRuntime& c, const std::string& day) {
  return c.state != CounterState::closed && local_day(c.since) <= day;
}

struct Open {
  int tickets = 0;   // not final, issued on `day` or before
  int counters = 0;  // open or paused since `day` or before
};

Open open_on(const State& state, const std::string& office, const std::string& day) {
  Open o;
  state.for_each_active(office, [&](const Ticket& t) {
    if (t.day <= day) ++o.tickets;
  });
  for (const CounterRuntime* c : state.counters_of(office))
    if (closes_counter(*c, day)) ++o.counters;
  return o;
}

}  // namespace

int day_close_grace_minutes(const Region& region, const Office& office) {
  return office.day_close_grace_minutes >= 0 ? office.day_close_grace_minutes
                                             : region.policy.day_close_grace_minutes;
}

Millis day_close_due(const Region& region, const Office& office, const std::string& day) {
  const Millis midnight = local_time_of(day_after(day), "00:00").value_or(0);
  const Millis noon = local_time_of(day, "12:00").value_or(0);
  const int weekday = local_weekday(noon);
  int last_close = -1;
  for (const OpeningSpan& s : office.hours)
    if (s.weekday == weekday) last_close = std::max(last_close, s.close_minute);
  if (last_close < 0 || last_close >= 24 * 60) return midnight;
  const Millis close = local_time_of(day, "00:00").value_or(0);
  // Minutes after local midnight; a DST change before closing time is an hour off here, so
  // the wall-clock time is taken from local_time_of instead.
  char hhmm[8];
  std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", last_close / 60, last_close % 60);
  const Millis closing = local_time_of(day, hhmm).value_or(close);
  return std::min<Millis>(midnight, closing + day_close_grace_minutes(region, office) * Millis{60000});
}

std::optional<std::string> day_to_close(const State& state, const Office& office, Millis now) {
  const std::string today = local_day(now);
  const std::string& closed = state.closed_day(office.id);
  // Once a day, also with nothing open: the journal says when each office's day ended, and a
  // ticket staff issue after it waits until midnight instead of being closed at once.
  if (closed < today && now >= day_close_due(state.region(), office, today)) return today;
  const std::string yesterday = day_before(today);
  Open o = open_on(state, office.id, yesterday);
  if (o.tickets || (closed < yesterday && o.counters)) return yesterday;
  return std::nullopt;
}

json day_closed_body(const State& state, const std::string& office, const std::string& day,
                     const std::string& reason) {
  Open o = open_on(state, office, day);
  return json{{"day", day}, {"reason", reason}, {"tickets", o.tickets}, {"counters", o.counters}};
}

}  // namespace wm::core
