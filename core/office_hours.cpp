// Opening hours turned into instants: open/closed, closing, next opening, last-ticket cut-off.
#include "core/office_hours.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/estimate.hpp"

namespace wm::core {
namespace {

constexpr Millis kDay = 86'400'000;
constexpr int kHorizonDays = 8;  // a week and a day: every weekday once, plus the wrap

struct Stretch {
  Millis start, end;
};

std::string hhmm(int minute) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
  return buf;
}

// The calendar day `k` days after the day of `t`. Steps from local noon, so a 23- or 25-hour
// day (DST change) never skips or repeats a date.
std::string day_after(Millis t, int k) {
  Millis noon = local_time_of(local_day(t), "12:00").value_or(t);
  return local_day(noon + k * kDay);
}

// The office's open stretches from the day before `t` to kHorizonDays after, as instants,
// touching spans merged. Yesterday is included so a stretch running past midnight is seen.
std::vector<Stretch> compute_stretches(const Office& office, Millis t) {
  std::vector<Stretch> out;
  for (int k = -1; k <= kHorizonDays; ++k) {
    const std::string day = day_after(t, k);
    auto noon = local_time_of(day, "12:00");
    if (!noon) continue;
    const int weekday = local_weekday(*noon);
    for (const auto& s : office.hours) {
      if (s.weekday != weekday) continue;
      auto start = local_time_of(day, hhmm(s.open_minute));
      auto end = s.close_minute >= 24 * 60 ? local_time_of(day_after(*noon, 1), "00:00")
                                            : local_time_of(day, hhmm(s.close_minute));
      if (!start || !end || *end <= *start) continue;
      if (!out.empty() && *start <= out.back().end)
        out.back().end = std::max(out.back().end, *end);
      else
        out.push_back({*start, *end});
    }
  }
  return out;
}

// The stretches depend only on the office's hours, the time zone and the calendar day of `t`,
// but take ~30 time-zone conversions to compute. ticket.issue asks on every kiosk ticket (the
// bench profile put them at ~19 % of the reactor's CPU), so each thread keeps the last answer
// per office.
const std::vector<Stretch>& stretches(const Office& office, Millis t) {
  struct Entry {
    std::string key;
    std::vector<Stretch> value;
  };
  thread_local std::unordered_map<std::string, Entry> cache;
  const char* tz = std::getenv("TZ");
  std::string key = tz ? tz : "";
  key += '|';
  key += local_day(t);
  for (const auto& h : office.hours)
    key += '|' + std::to_string(h.weekday) + ',' + std::to_string(h.open_minute) + ',' +
           std::to_string(h.close_minute);
  Entry& e = cache[office.id];
  if (e.key != key) {  // never equal when new: a key always holds a "|"
    e.value = compute_stretches(office, t);
    e.key = std::move(key);
  }
  return e.value;
}

}  // namespace

bool office_open(const Office& office, Millis t) {
  for (const auto& s : stretches(office, t))
    if (t >= s.start && t < s.end) return true;
  return false;
}

std::optional<Millis> office_closes(const Office& office, Millis t) {
  const auto& all = stretches(office, t);
  for (std::size_t i = 0; i < all.size(); ++i)
    if (t >= all[i].start && t < all[i].end) {
      // A stretch that reaches the end of the horizon is "around the clock", not a closing.
      if (i + 1 == all.size() && all[i].end >= t + (kHorizonDays - 1) * kDay) return std::nullopt;
      return all[i].end;
    }
  return std::nullopt;
}

std::optional<Millis> office_next_opening(const Office& office, Millis t) {
  for (const auto& s : stretches(office, t))
    if (s.start > t) return s.start;
  return std::nullopt;
}

int last_ticket_margin_minutes(const Region& region, const Service& service) {
  return service.last_ticket_minutes_before_close >= 0 ? service.last_ticket_minutes_before_close
                                                       : region.policy.last_ticket_minutes_before_close;
}

IssueVerdict issue_verdict(const State& state, const Office& office, const std::string& service,
                           Millis now) {
  IssueVerdict v;
  if (!office_open(office, now)) {
    v.kind = IssueVerdict::Kind::closed;
    v.next_opening = office_next_opening(office, now);
    return v;
  }
  v.closes = office_closes(office, now);
  if (!v.closes) return v;  // open around the clock
  const Service* sv = state.region().find_service(service);
  const int margin = sv ? last_ticket_margin_minutes(state.region(), *sv) : 0;
  const Millis start = now + estimate_new(state, office.id, service, now).value_or(0);
  if (start >= *v.closes - static_cast<Millis>(margin) * 60'000) {
    v.kind = IssueVerdict::Kind::past_cutoff;
    v.next_opening = office_next_opening(office, now);
  }
  return v;
}

std::optional<HoursRefusal> check_issue_hours(const json& body, const State& state, Millis now) {
  const std::string source = body.value("source", "kiosk");
  if (source == "counter" || source == "cli") return std::nullopt;
  const Office* office = state.region().find_office(body.value("office", ""));
  if (!office || !body.contains("services") || !body["services"].is_array()) return std::nullopt;
  auto when = [](const std::optional<Millis>& t) {
    return t ? local_day(*t) + " " + local_hhmm(*t) : std::string("no opening in the next week");
  };
  // The ticket's estimate is for its first concern; the others follow at the same counter.
  const auto& services = body["services"];
  if (services.empty() || !services[0].is_string()) return std::nullopt;
  const std::string first = services[0].get<std::string>();
  IssueVerdict v = issue_verdict(state, *office, first, now);
  if (v.kind == IssueVerdict::Kind::closed)
    return HoursRefusal{ErrorCode::office_closed,
                        office->name + " is closed; next opening " + when(v.next_opening),
                        "office"};
  if (v.kind == IssueVerdict::Kind::past_cutoff)
    return HoursRefusal{ErrorCode::last_ticket_passed,
                        "no more tickets today for '" + first + "' in " + office->name +
                            ": the estimated start is not before closing (" +
                            local_hhmm(*v.closes) + "); next opening " + when(v.next_opening),
                        "services"};
  return std::nullopt;
}

}  // namespace wm::core
