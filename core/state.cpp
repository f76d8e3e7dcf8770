// State: its queries and the event application frame (sequence, day roll, waiting counts); the
// appliers per event type are in state_events.cpp, snapshots and checkpoints in state_snapshot.cpp.
#include "core/state.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/codec.hpp"

namespace wm::core {
namespace {

constexpr double kServiceTimeAlpha = 0.2;  // weight of the newest service time

}  // namespace

json event_to_json(const Event& e) {
  return json{{"v", 1},          {"seq", e.seq},   {"oseq", e.oseq}, {"time", e.time},
              {"office", e.office}, {"type", e.type}, {"body", e.body}};
}

Event event_from_json(const json& j) {
  Event e;
  e.seq = j.at("seq").get<std::uint64_t>();
  e.oseq = j.value("oseq", std::uint64_t{0});
  e.time = j.at("time").get<Millis>();
  e.office = j.value("office", "");
  e.type = j.at("type").get<std::string>();
  e.body = j.value("body", json::object());
  return e;
}

State::State(std::shared_ptr<const Region> region) : region_(std::move(region)) {
  for (const auto& office : region_->offices)
    for (const auto& c : office.counters) {
      CounterRuntime rt;
      rt.id = c.id;
      rt.office = office.id;
      counters_[c.id] = rt;
    }
}

std::uint64_t State::office_seq(const std::string& office) const {
  auto it = oseq_.find(office);
  return it == oseq_.end() ? 0 : it->second;
}

const Ticket* State::ticket(const std::string& id) const {
  auto it = tickets_.find(id);
  return it == tickets_.end() ? nullptr : &it->second;
}

const Ticket* State::ticket_by_token(const std::string& token) const {
  auto it = by_token_.find(token);
  return it == by_token_.end() ? nullptr : ticket(it->second);
}

const Ticket* State::ticket_by_number(const std::string& office, const std::string& number) const {
  auto it = by_number_.find(key(office, number));
  return it == by_number_.end() ? nullptr : ticket(it->second);
}

std::vector<const Ticket*> State::active_tickets(const std::string& office) const {
  std::vector<const Ticket*> out;
  const auto* list = tickets_.active(office);
  if (!list) return out;
  out.reserve(list->size());
  for (const auto& [id, t] : *list) out.push_back(t);
  return out;
}

std::vector<const Ticket*> State::tickets_of(const std::string& office) const {
  const auto* list = tickets_.today(office);
  return list ? *list : std::vector<const Ticket*>{};
}

const CounterRuntime* State::counter(const std::string& id) const {
  auto it = counters_.find(id);
  return it == counters_.end() ? nullptr : &it->second;
}

std::vector<const CounterRuntime*> State::counters_of(const std::string& office) const {
  std::vector<const CounterRuntime*> out;
  for (const auto& [id, c] : counters_)
    if (c.office == office) out.push_back(&c);
  return out;
}

const CounterRuntime* State::session_of(const std::string& station) const {
  if (station.empty()) return nullptr;
  for (const auto& [id, c] : counters_)
    if (c.station == station && c.state != CounterState::closed) return &c;
  return nullptr;
}

const Case* State::find_case(const std::string& id) const {
  auto it = cases_.find(id);
  return it == cases_.end() ? nullptr : &it->second;
}

const Counter& State::working(const Counter& configured) const {
  auto it = day_profiles_.find(configured.id);
  return it == day_profiles_.end() ? configured : it->second;
}

void State::index_appointment(const Appointment& a) {
  if (a.ticket.empty() && !a.cancelled) booked_[a.office].emplace(a.slot, a.code);
}

void State::unindex_appointment(const Appointment& a) {
  auto o = booked_.find(a.office);
  if (o == booked_.end()) return;
  auto [first, last] = o->second.equal_range(a.slot);
  for (auto it = first; it != last; ++it)
    if (it->second == a.code) {
      o->second.erase(it);
      break;
    }
}

const Appointment* State::appointment(const std::string& code) const {
  auto it = appointments_.find(code);
  return it == appointments_.end() ? nullptr : &it->second;
}

const std::deque<CallRecord>& State::recent_calls(const std::string& office) const {
  static const std::deque<CallRecord> none;
  auto it = calls_.find(office);
  return it == calls_.end() ? none : it->second;
}

int State::last_number(const std::string& office, const std::string& prefix,
                       const std::string& day) const {
  auto it = numbers_.find(key(office, prefix));
  if (it == numbers_.end() || it->second.first != day) return 0;
  return it->second.second;
}

double State::service_time_ms(const std::string& office, const std::string& service) const {
  // Asked several times per request (estimates): the key is put together on the stack.
  char buf[128];
  auto it = service_times_.end();
  if (office.size() + 1 + service.size() <= sizeof buf) {
    std::memcpy(buf, office.data(), office.size());
    buf[office.size()] = '|';
    std::memcpy(buf + office.size() + 1, service.data(), service.size());
    it = service_times_.find(std::string_view(buf, office.size() + 1 + service.size()));
  } else {
    it = service_times_.find(key(office, service));
  }
  if (it != service_times_.end() && it->second.samples > 0) return it->second.ema_ms;
  const Service* s = region_->find_service(service);
  return (s ? s->expected_minutes : 12) * 60000.0;
}

Ticket& State::mutable_ticket(const std::string& id) {
  auto it = tickets_.find(id);
  if (it == tickets_.end()) throw std::invalid_argument("event for unknown ticket " + id);
  return it->second;
}

CounterRuntime& State::mutable_counter(const std::string& id) {
  auto it = counters_.find(id);
  if (it == counters_.end()) throw std::invalid_argument("event for unknown counter " + id);
  return it->second;
}

void State::add_history(Ticket& t, const Event& e, std::string what, std::string detail) {
  t.history.push_back(HistoryEntry{e.time, std::move(what), e.body.value("counter", ""),
                                   std::move(detail)});
}

void State::release_counter(const std::string& counter_id, const std::string& ticket_id,
                            Millis time) {
  auto it = counters_.find(counter_id);
  if (it != counters_.end() && it->second.ticket == ticket_id) {
    it->second.ticket.clear();
    it->second.since = time;
  }
}

void State::record_service_time(const Ticket& t, Millis end) {
  if (!t.serving_since || end <= t.serving_since) return;
  auto& st = service_times_[key(t.office, t.service())];
  double d = static_cast<double>(end - t.serving_since);
  st.ema_ms = st.samples == 0 ? d : (1 - kServiceTimeAlpha) * st.ema_ms + kServiceTimeAlpha * d;
  ++st.samples;
}

void State::set_terminal(Ticket& t, TicketState s, Millis time) {
  t.state = s;
  t.finished_at = time;
  tickets_.deactivate(t);
}

// A new day starts: yesterday's finished tickets leave memory (the journal keeps them), the
// counters' daily figures restart. Deterministic, so replicas and replay agree.
void State::roll_day(const std::string& day) {
  if (day <= current_day_) return;
  bool first = current_day_.empty();
  current_day_ = day;
  if (first) return;
  forget_final_before(day);
  for (auto& [id, c] : counters_) c.served_today = 0;
  day_profiles_.clear();  // moved clerks work as configured again
}

void State::forget_final_before(const std::string& day) {
  tickets_.forget_today([&](const Ticket& t) { return t.day < day && is_terminal(t.state); });
  for (auto it = tickets_.begin(); it != tickets_.end();) {
    if (it->second.day < day && is_terminal(it->second.state)) {
      // A newer ticket of the same number (a later day) keeps its lookup.
      if (auto n = by_number_.find(key(it->second.office, it->second.number));
          n != by_number_.end() && n->second == it->first)
        by_number_.erase(n);
      by_token_.erase(it->second.token);
      it = tickets_.erase(it);
    } else {
      ++it;
    }
  }
}

const std::string& State::closed_day(const std::string& office) const {
  static const std::string none;
  auto it = closed_days_.find(office);
  return it == closed_days_.end() ? none : it->second;
}

void State::apply(const Event& e) {
  if (e.seq != 0) {
    if (e.seq <= seq_)
      throw std::invalid_argument("event sequence " + std::to_string(e.seq) + " not after " +
                                  std::to_string(seq_));
    seq_ = e.seq;
  }
  if (!e.office.empty()) oseq_[e.office] = e.oseq;
  roll_day(local_day(e.time));
  // An event changes at most the one ticket it names: take it out of the waiting counts and
  // count it again as it is afterwards (also when the event turns out not to apply).
  const Ticket* touched = nullptr;
  if (auto it = e.body.find("ticket"); it != e.body.end() && it->is_string())
    if (auto t = tickets_.find(it->get_ref<const std::string&>()); t != tickets_.end())
      touched = &t->second;
  if (touched) count_waiting(*touched, -1);
  struct Recount {
    State& s;
    const Ticket* t;
    ~Recount() {
      if (t) s.count_waiting(*t, +1);
    }
  } recount{*this, touched};
  apply_body(e);
}

void State::count_waiting(const Ticket& t, int delta) {
  if (t.state != TicketState::waiting || t.services.empty()) return;
  WaitingCounts& w = waiting_[t.office];
  auto bump = [delta](auto& map, const auto& key) {
    auto it = map.try_emplace(key, 0).first;
    if ((it->second += delta) <= 0) map.erase(it);
  };
  if (t.target_counter.empty())
    bump(w.by_service, t.service());
  else
    bump(w.by_target, std::make_pair(t.target_counter, t.service()));
  if (!t.target_counter.empty()) return;
  if (t.priority == Priority::appointment) {
    w.appointments += delta;
    return;
  }
  auto c = t.priority == Priority::priority_needs ? AgeQueues::needs : AgeQueues::normal;
  if (delta > 0)
    w.by_age.add(t, c);
  else
    w.by_age.remove(t, c);
}

void AgeQueues::remove(const Ticket& t, Class c) {
  auto it = queues_.find(t.service());
  if (it == queues_.end()) return;
  Queue& q = it->second[c];
  // Taken out with the fields it went in with (State::apply brackets every change); should a
  // ticket ever change unbracketed, it is still found by address, never left dangling.
  if (q.erase(&t) == 0) std::erase_if(q, [&](const Ticket* x) { return x == &t; });
}

const WaitingCounts* State::waiting_counts(const std::string& office) const {
  auto it = waiting_.find(office);
  return it == waiting_.end() ? nullptr : &it->second;
}


}  // namespace wm::core
