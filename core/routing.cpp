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

namespace {

// How long a ticket of `service` may wait before it is escalated; < 0: never.
Millis escalation_limit(const std::string& service, const Region& region) {
  const Service* s = region.find_service(service);
  if (!s || region.policy.max_wait_factor_percent <= 0) return -1;
  return static_cast<Millis>(s->wait_target_minutes) * 60000LL *
         region.policy.max_wait_factor_percent / 100;
}

}  // namespace

bool escalated(const Ticket& t, Millis now, const Region& region) {
  Millis limit = escalation_limit(t.service(), region);
  return limit >= 0 && now - t.queued_since > limit;
}

bool serves(const Counter& counter, const Ticket& t) {
  if (t.state != TicketState::waiting) return false;
  if (!t.target_counter.empty()) return t.target_counter == counter.id;
  return profile_index(counter, t.service()) < static_cast<int>(counter.profile.size());
}

namespace {

using Key = std::tuple<int, int, Millis, int, int, Millis, const std::string*>;

// `profile`: the ticket's service's place in the counter's profile; `limit`: its escalation
// limit. Both depend on the service only, so choose_next() looks them up once per service.
Key order_key(const Ticket& t, int profile, Millis limit, Millis now, const Policy& policy) {
  int rank = class_rank(t, now, policy);
  bool esc = limit >= 0 && now - t.queued_since > limit;
  return Key{t.target_counter.empty() ? 1 : 0, rank, rank == 0 ? t.appointment_slot : 0,
             esc ? 0 : 1, esc ? 0 : profile, t.queued_since, &t.number};
}

Key order_key(const Counter& counter, const Ticket& t, Millis now, const Region& region) {
  return order_key(t, profile_index(counter, t.service()), escalation_limit(t.service(), region),
                   now, region.policy);
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

// Called for every counter.next: the first of queue_for's order without sorting, with what
// the keys need of a ticket's service looked up once per service, not once per ticket.
const Ticket* choose_next(const State& state, const Counter& counter, Millis now) {
  const Region& region = state.region();
  const Office* office = region.office_of_counter(counter.id);
  if (!office) return nullptr;
  struct PerService {
    const std::string* id;
    int profile;   // profile_index()
    Millis limit;  // escalated() after waiting longer than this; < 0: never
  };
  std::vector<PerService> services;
  services.reserve(8);
  auto per_service = [&](const std::string& id) -> const PerService& {
    for (const auto& ps : services)
      if (*ps.id == id) return ps;
    services.push_back(PerService{&id, profile_index(counter, id), escalation_limit(id, region)});
    return services.back();
  };
  const int not_in_profile = static_cast<int>(counter.profile.size());
  const Ticket* best = nullptr;
  Key best_key;
  auto consider = [&](const Ticket& t) {
    if (t.state != TicketState::waiting) return;  // serves(), in the order it checks
    bool targeted = !t.target_counter.empty();
    if (targeted && t.target_counter != counter.id) return;
    const PerService& ps = per_service(t.service());
    if (!targeted && ps.profile >= not_in_profile) return;
    Key k = order_key(t, ps.profile, ps.limit, now, region.policy);
    if (!best || before(k, best_key)) {
      best = &t;
      best_key = k;
    }
  };
  // Without appointments and without visitors sent to this counter, every candidate is in one
  // of the age queues of the counter's services. Within such a queue all share target, class
  // and service, so escalation (by age) and then age decide: its head beats the rest of it,
  // and the best head is the answer. Otherwise walk the office's tickets.
  const WaitingCounts* w = state.waiting_counts(office->id);
  bool sent_here = false;
  if (w) {
    auto t = w->by_target.lower_bound({counter.id, std::string()});
    sent_here = t != w->by_target.end() && t->first.first == counter.id;
  }
  if (w && w->by_age.valid() && w->appointments == 0 && !sent_here) {
    for (const std::string& service : counter.profile)
      for (auto c : {AgeQueues::needs, AgeQueues::normal})
        if (const AgeQueues::Queue* q = w->by_age.queue(service, c)) consider(**q->begin());
    return best;
  }
  state.for_each_active(office->id, consider);
  return best;
}

}  // namespace wm::core
