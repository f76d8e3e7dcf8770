// Wait-time estimation: work ahead of a ticket shared over the counters that can take it.
#include "core/estimate.hpp"

#include <algorithm>

#include "core/routing.hpp"

namespace wm::core {
namespace {

struct Ahead {
  double work_ms = 0;
  int tickets = 0;
  int counters = 0;
};

bool counter_serves_service(const Counter& c, const std::string& service) {
  return std::find(c.profile.begin(), c.profile.end(), service) != c.profile.end();
}

// The office's open counters, and those of them that serve `service`.
struct OpenCounters {
  std::vector<const Counter*> open, mine;
};

OpenCounters open_counters(const State& state, const Office& office, const std::string& service) {
  OpenCounters oc;
  for (const auto& c : office.counters) {
    const CounterRuntime* rt = state.counter(c.id);
    if (rt && rt->state == CounterState::open) oc.open.push_back(&state.working(c));
  }
  for (const Counter* c : oc.open)
    if (counter_serves_service(*c, service)) oc.mine.push_back(c);
  return oc;
}

// What the counters in `mine` are busy with now: the rest of each current visitor's expected
// time (an overrunning visitor still takes a little).
double busy_work(const State& state, const Office& office, const std::vector<const Counter*>& mine,
                 Millis now) {
  double work = 0;
  for (const Counter* c : mine) {
    const CounterRuntime* rt = state.counter(c->id);
    if (!rt || rt->ticket.empty()) continue;
    const Ticket* busy = state.ticket(rt->ticket);
    if (!busy) continue;
    double st = state.service_time_ms(office.id, busy->service());
    Millis started = busy->serving_since ? busy->serving_since : busy->called_at;
    double left = st - static_cast<double>(now - started);
    work += std::max(left, st * 0.1);
  }
  return work;
}

// Work ahead of a ticket (class rank `rank`, queued since `since`, service `service`, number
// `self_number`) for the open counters that serve its service. A waiting ticket that other
// counters could take too counts with the share of it that falls on these counters.
Ahead work_ahead(const State& state, const Office& office, const std::string& service,
                 const std::string& self_id, const std::string& self_number, int rank,
                 Millis since, Millis now) {
  Ahead a;
  OpenCounters oc = open_counters(state, office, service);
  a.counters = static_cast<int>(oc.mine.size());
  const Policy& policy = state.region().policy;
  // Same instant (a burst, a fast clock): the lower number goes first, as in routing.
  auto before = [&](const Ticket& t) {
    int r = class_rank(t, now, policy);
    return r < rank || (r == rank && (t.queued_since < since ||
                                      (t.queued_since == since &&
                                       (self_number.empty() || t.number < self_number))));
  };
  if (oc.mine.empty()) {
    // No open counter serves the service: no work can be shared out, but the place in the line
    // is still real: the waiting tickets of the same service that routing would call first.
    state.for_each_active(office.id, [&](const Ticket& t) {
      if (t.id == self_id || t.state != TicketState::waiting || t.service() != service) return;
      if (before(t)) ++a.tickets;
    });
    return a;
  }

  // A ticket's share on these counters and its service time depend only on its service (or
  // its target counter): worked out once per service, not once per waiting ticket.
  struct Share {
    const std::string* service;
    double work_ms;  // service time × on_mine / on_all; < 0 = not for these counters
  };
  std::vector<Share> shares;
  auto share_of = [&](const Ticket& t) -> double {
    if (t.target_counter.empty())
      for (const Share& s : shares)
        if (*s.service == t.service()) return s.work_ms;
    int on_mine = 0, on_all = 0;
    for (const Counter* c : oc.open) {
      if (!serves(*c, t)) continue;
      ++on_all;
      if (counter_serves_service(*c, service)) ++on_mine;
    }
    double w = on_all == 0 || on_mine == 0
                   ? -1.0
                   : state.service_time_ms(office.id, t.service()) * on_mine / on_all;
    if (t.target_counter.empty()) shares.push_back(Share{&t.service(), w});
    return w;
  };
  state.for_each_active(office.id, [&](const Ticket& t) {
    if (t.id == self_id || t.state != TicketState::waiting) return;
    if (!before(t)) return;
    double w = share_of(t);
    if (w < 0) return;
    a.work_ms += w;
    ++a.tickets;
  });
  a.work_ms += busy_work(state, office, oc.mine, now);
  return a;
}

// The share of a visitor for `sv` that falls on the open counters serving `service`: the
// counters in `mine` that serve it over all open counters that do (0 = none of these).
double share_on_mine(const OpenCounters& oc, const std::string& sv, const std::string& service) {
  int on_mine = 0, on_all = 0;
  for (const Counter* c : oc.open) {
    if (!counter_serves_service(*c, sv)) continue;
    ++on_all;
    if (counter_serves_service(*c, service)) ++on_mine;
  }
  return on_all == 0 ? 0.0 : static_cast<double>(on_mine) / on_all;
}

// Booked appointments hold counter time: a visitor booked for a slot that comes due before a
// walk-in's turn is served first (routing: the appointment class at its slot). `work` is the
// work ahead of the walk-in; the booked visitors' work is added in slot order, each one
// extending the horizon it is compared with. A booking not checked in no_show_release_minutes
// after its slot is a no-show: its time goes back to the walk-ins.
double with_booked_work(const State& state, const Office& office, const OpenCounters& oc,
                        const std::string& service, double work, Millis now) {
  const Policy& policy = state.region().policy;
  const Millis release = static_cast<Millis>(policy.no_show_release_minutes) * 60000;
  const Millis grace = static_cast<Millis>(policy.appointment_grace_minutes) * 60000;
  const double counters = static_cast<double>(oc.mine.size());
  state.for_each_booked(office.id, now - release, [&](const Appointment& a) {
    if (static_cast<double>(a.slot - grace - now) > work / counters) return false;  // after
    double share = share_on_mine(oc, a.service, service);
    if (share > 0) work += state.service_time_ms(office.id, a.service) * share;
    return true;
  });
  return work;
}

}  // namespace

std::optional<Millis> estimate_new(const State& state, const std::string& office_id,
                                   const std::string& service, Millis now) {
  const Office* office = state.region().find_office(office_id);
  if (!office) return std::nullopt;
  // A new ticket comes after every waiting one (the lowest class, queued now, the highest
  // number), so all of them are ahead: their work follows from the waiting counts that
  // State::apply keeps, with the same shares as work_ahead() gives each ticket.
  OpenCounters oc = open_counters(state, *office, service);
  if (oc.mine.empty()) return std::nullopt;
  double work = 0;
  if (const WaitingCounts* w = state.waiting_counts(office_id)) {
    for (const auto& [sv, n] : w->by_service)
      if (double share = share_on_mine(oc, sv, service); share > 0)
        work += state.service_time_ms(office_id, sv) * share * n;
    for (const auto& entry : w->by_target) {
      const auto& [counter_id, sv] = entry.first;
      bool open_here = false;  // the target counter is open and serves `service`
      for (const Counter* c : oc.mine) open_here = open_here || c->id == counter_id;
      if (open_here) work += state.service_time_ms(office_id, sv) * entry.second;
    }
  }
  work += busy_work(state, *office, oc.mine, now);
  work = with_booked_work(state, *office, oc, service, work, now);
  return static_cast<Millis>(work / static_cast<double>(oc.mine.size()));
}

std::optional<Millis> estimate_ticket(const State& state, const Ticket& t, Millis now) {
  if (t.state != TicketState::waiting) return t.state == TicketState::called ? 0 : std::optional<Millis>{};
  const Office* office = state.region().find_office(t.office);
  if (!office) return std::nullopt;
  Ahead a = work_ahead(state, *office, t.service(), t.id, t.number,
                       class_rank(t, now, state.region().policy), t.queued_since, now);
  if (a.counters == 0) return std::nullopt;
  if (t.priority != Priority::appointment)  // booked visitors due before its turn go first
    a.work_ms = with_booked_work(state, *office, open_counters(state, *office, t.service()),
                                 t.service(), a.work_ms, now);
  return static_cast<Millis>(a.work_ms / a.counters);
}

bool no_counter_open(const State& state, const std::string& office_id, const std::string& service) {
  const Office* office = state.region().find_office(office_id);
  return !office || open_counters(state, *office, service).mine.empty();
}

int queue_position(const State& state, const Ticket& t, Millis now) {
  const Office* office = state.region().find_office(t.office);
  if (!office || t.state != TicketState::waiting) return 0;
  Ahead a = work_ahead(state, *office, t.service(), t.id, t.number,
                       class_rank(t, now, state.region().policy), t.queued_since, now);
  return a.tickets + 1;
}

std::optional<Millis> estimate_naive(const State& state, const std::string& office,
                                     const std::string& service) {
  int waiting = 0, open = 0;
  state.for_each_active(office, [&](const Ticket& t) {
    if (t.state == TicketState::waiting && t.service() == service) ++waiting;
  });
  for (const CounterRuntime* c : state.counters_of(office))
    if (c->state == CounterState::open) ++open;
  if (open == 0) return std::nullopt;
  return static_cast<Millis>(waiting * state.service_time_ms(office, service) / open);
}

}  // namespace wm::core
