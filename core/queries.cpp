// The shared read side: display rules for waits, waiting counts, over-target and nearby offices.
#include "core/queries.hpp"

#include <algorithm>

#include "core/estimate.hpp"

namespace wm::core {

namespace {
constexpr Millis kMinuteMs = 60'000;
constexpr Millis kDayMs = 24 * 60 * kMinuteMs;
}  // namespace

int wait_minutes_for_display(Millis estimate_ms) {
  const Millis ms = std::clamp<Millis>(estimate_ms, 0, kDayMs);
  const int m = static_cast<int>((ms + kMinuteMs - 1) / kMinuteMs);
  if (m <= 10) return std::max(m, 1);
  return (m + 4) / 5 * 5;
}

int elapsed_minutes(Millis elapsed_ms) {
  return static_cast<int>(std::max<Millis>(0, elapsed_ms) / kMinuteMs);
}

bool over_target(Millis waited_ms, int target_minutes) {
  return elapsed_minutes(waited_ms) > std::max(1, target_minutes);
}

std::map<std::string, int> waiting_by_service(const State& state, const std::string& office) {
  std::map<std::string, int> out;
  const WaitingCounts* w = state.waiting_counts(office);
  if (!w) return out;
  for (const auto& [service, n] : w->by_service) out[service] += n;
  for (const auto& [target, n] : w->by_target) out[target.second] += n;
  std::erase_if(out, [](const auto& e) { return e.second <= 0; });
  return out;
}

int waiting_for(const State& state, const std::string& office, const std::string& service) {
  const WaitingCounts* w = state.waiting_counts(office);
  if (!w) return 0;
  int n = 0;
  if (auto it = w->by_service.find(service); it != w->by_service.end()) n += it->second;
  for (const auto& [target, k] : w->by_target)
    if (target.second == service) n += k;
  return std::max(n, 0);
}

std::optional<NearbyOffice> suggest_nearby_office(const State& state, const std::string& office,
                                                  const std::string& service, Millis now) {
  const Region& region = state.region();
  auto here_ms = estimate_new(state, office, service, now);
  if (!here_ms) return std::nullopt;
  const int here = wait_minutes_for_display(*here_ms);
  std::optional<NearbyOffice> best;
  int best_total = 0;
  for (const Office& o : region.offices) {
    if (o.id == office || !region.office_offers(o.id, service)) continue;
    auto drive = region.travel_minutes(office, o.id);
    if (!drive) continue;  // no figure: no guess
    auto there_ms = estimate_new(state, o.id, service, now);
    if (!there_ms) continue;
    const int wait = wait_minutes_for_display(*there_ms);
    const int total = *drive + wait;
    const int saving = here - total;
    if (saving < kNearbyMinSavingMinutes || saving * 100 < here * kNearbyMinSavingPercent) continue;
    if (!best || total < best_total) {
      best = NearbyOffice{&o, wait, *drive};
      best_total = total;
    }
  }
  return best;
}

}  // namespace wm::core
