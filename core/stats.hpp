// Day statistics of offices, services and counters, computed from one State: the dashboard,
// the `stats` request and `wartemarke stats export` all use this, so their numbers agree.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/state.hpp"

namespace wm::core {

inline constexpr int kBucketMinutes = 15;
inline constexpr int kBuckets = 24 * 60 / kBucketMinutes;

// Figures of one office, service or counter for one day. A visitor's wait runs from the
// ticket's issue to its first call; a service time from "serving" to "finished".
struct Figures {
  int arrivals = 0;        // tickets issued that day
  int waiting = 0;         // waiting now
  int serving = 0;         // called or at a counter now
  int served = 0;          // concerns finished (finished + forwarded)
  int forwarded = 0;       // of served: handed to the back office
  int no_shows = 0;
  int cancelled = 0;
  int closed = 0;          // not served: still open when the day was closed (day.closed)
  int waits = 0;           // tickets called at least once (their wait is known)
  int within_target = 0;   // of waits: called within the service's wait target
  Millis wait_sum_ms = 0;
  Millis max_wait_ms = 0;         // longest wait of the day (called or still waiting)
  Millis longest_waiting_ms = 0;  // longest wait of those still waiting now
  int services = 0;               // finished concerns with a known service time
  Millis service_sum_ms = 0;

  double mean_wait_ms() const { return waits ? double(wait_sum_ms) / waits : 0.0; }
  double mean_service_ms() const { return services ? double(service_sum_ms) / services : 0.0; }
  // Share of waits within target, 0..1; nullopt before the first call.
  std::optional<double> within_target_share() const;
};

enum class Light { green, yellow, red };
std::string_view to_string(Light l);

struct ServiceStats {
  std::string service;
  int target_minutes = 30;
  Figures f;
  std::optional<Millis> estimate_ms;  // for a new ticket now (live only)
  Light light = Light::green;
};

struct CounterStats {
  std::string counter;
  std::string name;
  CounterState state = CounterState::closed;
  std::string staff;           // login; staff, not visitors
  std::string ticket_number;   // called or serving now
  std::string ticket_state;    // "called" or "serving"
  Millis since = 0;            // when the current state or ticket began
  Figures f;                   // served, service times
};

struct OfficeStats {
  std::string office;
  std::string name;
  Figures f;
  int counters_open = 0;     // open or paused (staffed)
  int counters_paused = 0;
  int counters_serving = 0;  // with a called or serving ticket
  Light light = Light::green;
  std::vector<ServiceStats> services;   // configuration order, only services with activity or offered
  std::vector<CounterStats> counters;   // configuration order
  std::array<int, kBuckets> arrivals{};  // per 15 min of the day
  std::array<int, kBuckets> served{};
  // Waiting count at each bucket's end up to now; today's current bucket: waiting now.
  std::array<int, kBuckets> waiting{};
  int buckets_until = kBuckets;          // buckets after this one lie in the future
};

// Adds f's counts to into (maxima stay maxima): a total over several offices.
void add_figures(Figures& into, const Figures& f);

struct DayStats {
  std::string day;
  Millis now = 0;
  std::vector<OfficeStats> offices;
  Figures total;  // the county
  const OfficeStats* office(const std::string& id) const;
};

// Statistics of `day` from the tickets the state holds for it (today's live state, or a state
// replayed from the journal up to that day's end). `office` empty: every office.
DayStats compute_day_stats(const State& state, const std::string& day, Millis now,
                           const std::string& office = {});

// Traffic light of a service: red when someone waits over the target (core::over_target, the
// dashboard's alert uses the same), yellow when
// someone is past 75 % of it or fewer than 80 % were called within target.
Light light_for(const Figures& f, int target_minutes);

json to_json(const DayStats& s);
DayStats day_stats_from_json(const json& j);

enum class StatsLevel { office, service, counter };
std::optional<StatsLevel> stats_level_from(std::string_view s);
// CSV (RFC 4180, comma, header line) at one level; times in seconds with one decimal.
std::string stats_csv(const DayStats& s, StatsLevel level);

}  // namespace wm::core
