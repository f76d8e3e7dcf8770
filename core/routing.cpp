// Routing rules; see routing.hpp for the order. Pure functions over the state.
#include "core/routing.hpp"

#include <algorithm>
#include <tuple>

namespace wm::core {
namespace {

int profile_index(const Counter& counter, const std::string& service) {
  auto it = std::find(counter.profile.begin(), counter.profile.end(), service);
  return it == counter.profile.end() ? static_cast<int>(counter.profile.size())
                                     : static_cast<int>(it - counter.profile.begin());
}

}  // namespace

int class_rank(const Ticket& t, Millis now, const Policy& policy) {
  if (t.priority == Priority::appointment && t.appointment_slot &&
      now >= t.appointment_slot - policy.appointment_grace_minutes * 60000LL)
    return 0;
  if (t.priority == Priority::priority_needs) return 1;
  return 2;
}

bool escalated(const Ticket& t, Millis now, const Region& region) {
  const Service* s = region.find_service(t.service());
  if (!s || region.policy.max_wait_factor_percent <= 0) return false;
  Millis limit = static_cast<Millis>(s->wait_target_minutes) * 60000LL *
                 region.policy.max_wait_factor_percent / 100;
  return now - t.queued_since > limit;
}

bool serves(const Counter& counter, const Ticket& t) {
  if (t.state != TicketState::waiting) return false;
  if (!t.target_counter.empty()) return t.target_counter == counter.id;
  return profile_index(counter, t.service()) < static_cast<int>(counter.profile.size());
}

namespace {

using Key = std::tuple<int, int, Millis, int, int, Millis, const std::string*>;

Key order_key(const Counter& counter, const Ticket& t, Millis now, const Region& region) {
  int rank = class_rank(t, now, region.policy);
  bool esc = escalated(t, now, region);
  return Key{t.target_counter.empty() ? 1 : 0, rank, rank == 0 ? t.appointment_slot : 0,
             esc ? 0 : 1, esc ? 0 : profile_index(counter, t.service()), t.queued_since,
             &t.number};
}

bool before(const Key& x, const Key& y) {
  if (std::get<0>(x) != std::get<0>(y)) return std::get<0>(x) < std::get<0>(y);
  if (std::get<1>(x) != std::get<1>(y)) return std::get<1>(x) < std::get<1>(y);
  if (std::get<2>(x) != std::get<2>(y)) return std::get<2>(x) < std::get<2>(y);
  if (std::get<3>(x) != std::get<3>(y)) return std::get<3>(x) < std::get<3>(y);
  if (std::get<4>(x) != std::get<4>(y)) return std::get<4>(x) < std::get<4>(y);
  if (std::get<5>(x) != std::get<5>(y)) return std::get<5>(x) < std::get<5>(y);
  return *std::get<6>(x) < *std::get<6>(y);
}

}  // namespace

std::vector<const Ticket*> queue_for(const State& state, const Counter& counter, Millis now) {
  const Region& region = state.region();
  const Office* office = region.office_of_counter(counter.id);
  std::vector<const Ticket*> out;
  if (!office) return out;
  std::vector<std::pair<Key, const Ticket*>> keyed;
  state.for_each_active(office->id, [&](const Ticket& t) {
    if (serves(counter, t)) keyed.push_back({order_key(counter, t, now, region), &t});
  });
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return before(a.first, b.first); });
  out.reserve(keyed.size());
  for (auto& [k, t] : keyed) out.push_back(t);
  return out;
}

// Called for every counter.next: one pass for the first of queue_for's order, no sort.
const Ticket* choose_next(const State& state, const Counter& counter, Millis now) {
  const Region& region = state.region();
  const Office* office = region.office_of_counter(counter.id);
  if (!office) return nullptr;
  const Ticket* best = nullptr;
  Key best_key;
  state.for_each_active(office->id, [&](const Ticket& t) {
    if (!serves(counter, t)) return;
    Key k = order_key(counter, t, now, region);
    if (!best || before(k, best_key)) {
      best = &t;
      best_key = k;
    }
  });
  return best;
}

}  // namespace wm::core
