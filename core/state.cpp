// Event application: the only code that changes the model, used by broker, replay and replicas.
#include "core/state.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/codec.hpp"

namespace wm::core {
namespace {

constexpr double kServiceTimeAlpha = 0.2;  // weight of the newest service time

std::string key(const std::string& a, const std::string& b) { return a + "|" + b; }

// "K017" -> ("K", 17); numbers have a letter prefix and a decimal running number.
std::pair<std::string, int> split_number(const std::string& number) {
  std::size_t i = 0;
  while (i < number.size() && !(number[i] >= '0' && number[i] <= '9')) ++i;
  int n = 0;
  for (std::size_t k = i; k < number.size(); ++k) {
    if (number[k] < '0' || number[k] > '9') break;
    n = n * 10 + (number[k] - '0');
  }
  return {number.substr(0, i), n};
}

const std::string& str(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string())
    throw std::invalid_argument(std::string("event field missing: ") + field);
  return it->get_ref<const std::string&>();
}

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
  for (auto& [id, c] : counters_) c.served_today = 0;
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

void State::apply_body(const Event& e) {
  const json& b = e.body;
  const std::string& type = e.type;

  if (type == "ticket.issued") {
    Ticket t = b.at("ticket").get<Ticket>();
    t.history.push_back(HistoryEntry{e.time, "issued", "", std::string(to_string(t.source))});
    auto [prefix, n] = split_number(t.number);
    auto& num = numbers_[key(t.office, prefix)];
    if (num.first != t.day) num = {t.day, 0};
    num.second = std::max(num.second, n);
    by_number_[key(t.office, t.number)] = t.id;
    if (!t.token.empty()) by_token_[t.token] = t.id;
    if (auto old = tickets_.find(t.id); old != tickets_.end()) {
      // Never in a sound journal; the indexes must not keep the replaced ticket.
      tickets_.deactivate(old->second);
      count_waiting(old->second, -1);
      tickets_.forget_today([&](const Ticket& x) { return &x == &old->second; });
      tickets_.erase(old);
    }
    std::string id = t.id;
    const Ticket& stored = tickets_.emplace(id, std::move(t)).first->second;
    tickets_.activate(stored);
    tickets_.add_today(stored);
    count_waiting(stored, +1);
  } else if (type == "ticket.called") {
    Ticket& t = mutable_ticket(str(b, "ticket"));
    const std::string& counter = str(b, "counter");
    if (!t.counter.empty() && t.counter != counter) release_counter(t.counter, t.id, e.time);
    t.state = TicketState::called;
    t.counter = counter;
    t.target_counter.clear();
    t.recalls = b.value("recalls", 0);
    t.called_at = e.time;
    if (!t.first_called_at) t.first_called_at = e.time;
    add_history(t, e, t.recalls ? "recalled" : "called");
    auto& c = mutable_counter(counter);
    c.ticket = t.id;
    c.since = e.time;
    auto& calls = calls_[t.office];
    calls.push_front(CallRecord{t.id, t.number, counter, t.service(), e.time, t.recalls});
    if (calls.size() > kRecentCalls) calls.pop_back();
  } else if (type == "ticket.serving") {
    Ticket& t = mutable_ticket(str(b, "ticket"));
    t.state = TicketState::serving;
    t.serving_since = e.time;
    add_history(t, e, "serving");
  } else if (type == "ticket.finished" || type == "ticket.forwarded") {
    Ticket& t = mutable_ticket(str(b, "ticket"));
    record_service_time(t, e.time);
    t.outcome = b.value("outcome", "");
    add_history(t, e, type == "ticket.forwarded" ? "forwarded" : "finished", t.outcome);
    auto& c = mutable_counter(str(b, "counter"));
    ++c.served_today;
    // Screens get the event without its case (office staff data, core/visibility).
    if (type == "ticket.forwarded" && b.contains("case")) {
      Case cs = b.at("case").get<Case>();
      t.case_id = cs.id;
      cases_[cs.id] = cs;
    }
    if (b.contains("next")) {
      t.current = b["next"].get<std::size_t>();
      if (t.current >= t.services.size()) throw std::invalid_argument("next service out of range");
      if (b.value("stay", false)) {
        t.state = TicketState::serving;
        t.serving_since = e.time;
      } else {
        t.state = TicketState::waiting;
        t.serving_since = 0;
        release_counter(t.counter, t.id, e.time);
        t.counter.clear();
      }
    } else {
      release_counter(t.counter, t.id, e.time);
      set_terminal(t, type == "ticket.forwarded" ? TicketState::forwarded : TicketState::done,
                   e.time);
    }
  } else if (type == "ticket.transferred") {
    Ticket& t = mutable_ticket(str(b, "ticket"));
    record_service_time(t, e.time);
    std::string detail;
    if (b.contains("service")) {
      t.services[t.current] = b["service"].get<std::string>();
      detail = "service " + t.services[t.current];
    }
    if (b.contains("to_counter")) {
      t.target_counter = b["to_counter"].get<std::string>();
      detail += (detail.empty() ? "" : ", ") + std::string("counter ") + t.target_counter;
    }
    add_history(t, e, "transferred", detail);
    release_counter(t.counter, t.id, e.time);
    t.counter.clear();
    t.state = TicketState::waiting;
    t.serving_since = 0;
    t.recalls = 0;
  } else if (type == "ticket.parked") {
    Ticket& t = mutable_ticket(str(b, "ticket"));
    record_service_time(t, e.time);
    t.park_reason = b.value("reason", "");  // journals from before sealing (issue 14)
    t.park_ref = b.value("reason_ref", "");
    add_history(t, e, "parked", t.park_reason);
    release_counter(t.counter, t.id, e.time);
    t.counter.clear();
    t.state = TicketState::parked;
    t.serving_since = 0;
  } else if (type == "ticket.returned" || type == "ticket.reactivated") {
    Ticket& t = mutable_ticket(str(b, "ticket"));
    add_history(t, e, type == "ticket.returned" ? "returned" : "reactivated");
    t.state = TicketState::waiting;
    t.recalls = 0;
    t.finished_at = 0;
    t.counter.clear();
    tickets_.activate(t);
  } else if (type == "ticket.no_show") {
    Ticket& t = mutable_ticket(str(b, "ticket"));
    add_history(t, e, "no_show");
    release_counter(t.counter, t.id, e.time);
    set_terminal(t, TicketState::no_show, e.time);
  } else if (type == "ticket.cancelled") {
    Ticket& t = mutable_ticket(str(b, "ticket"));
    add_history(t, e, "cancelled", b.value("reason", ""));
    release_counter(t.counter, t.id, e.time);
    set_terminal(t, TicketState::cancelled, e.time);
  } else if (type == "counter.changed") {
    auto& c = mutable_counter(str(b, "counter"));
    c.state = counter_state_from(str(b, "state")).value_or(CounterState::closed);
    if (b.contains("staff")) {  // a (new) login: the session moves to the station it came from
      c.staff = b["staff"].get<std::string>();
      c.station = b.value("station", "");
    }
    if (c.state == CounterState::closed) {
      c.staff.clear();
      c.station.clear();
    }
    c.since = e.time;
  } else if (type == "appointments.imported") {
    // Screens get only the count: nothing to keep.
    for (const auto& a : b.value("appointments", json::array())) {
      Appointment ap = a.get<Appointment>();
      appointments_[ap.code] = ap;
    }
  } else if (type == "appointment.checked_in") {
    // Screens get this event without the code (codes are secrets until used): nothing to do.
    if (b.contains("code")) {
      auto it = appointments_.find(str(b, "code"));
      if (it == appointments_.end()) throw std::invalid_argument("check-in of unknown appointment");
      it->second.ticket = str(b, "ticket");
    }
  } else if (type == "client.online" || type == "client.offline") {
    if (!b.contains("name")) return;  // screens: presence is office staff data
    Presence p{str(b, "kind"), str(b, "name"), e.office, type == "client.online", e.time};
    presence_[p.name] = p;
  } else if (type == "device.status") {
    DeviceState d{str(b, "device"), e.office, str(b, "state"), b.value("detail", ""), e.time};
    devices_[d.device] = d;
  } else if (type == "case.claimed" || type == "case.done" || type == "case.returned") {
    if (!b.contains("case")) return;  // screens: cases are office staff data
    auto it = cases_.find(str(b, "case"));
    if (it == cases_.end()) throw std::invalid_argument("event for unknown case");
    Case& c = it->second;
    c.updated_at = e.time;
    if (type == "case.claimed") {
      c.state = CaseState::claimed;
      c.claimed_by = b.value("staff", "");
    } else if (type == "case.done") {
      c.state = CaseState::done;
    } else {
      c.state = CaseState::returned;
      c.question = b.value("question", "");  // journals from before sealing
      c.question_ref = b.value("question_ref", "");
    }
  } else if (type == "alert.panic") {
    // Nothing to keep: dashboards react to the event itself.
  } else {
    throw std::invalid_argument("unknown event type " + type);
  }
}

json State::dump(const std::string& office, bool with_private) const {
  // Offices in configuration order, tickets in issue order: equal states dump equally.
  json tickets = json::array();
  for (const auto& o : region_->offices) {
    if (!office.empty() && o.id != office) continue;
    const auto* list = tickets_.today(o.id);
    if (!list) continue;
    for (const Ticket* t : *list) {
      json j = ticket_with_history(*t);
      if (!with_private) {  // status-page token and booking code are secrets of the visitor
        j.erase("token");
        j.erase("appointment_code");
      }
      tickets.push_back(std::move(j));
    }
  }
  json counters = json::array();
  for (const auto& [id, c] : counters_)
    if (office.empty() || c.office == office) counters.push_back(c);
  json calls = json::object();
  for (const auto& [o, list] : calls_)
    if (office.empty() || o == office) calls[o] = list;
  json oseq = json::object();
  for (const auto& [o, s] : oseq_)
    if (office.empty() || o == office) oseq[o] = s;
  json cases = json::array();
  for (const auto& [id, c] : cases_)
    if (office.empty() || c.office == office) cases.push_back(c);
  json appts = json::array();
  for (const auto& [code, a] : appointments_)
    if (office.empty() || a.office == office) appts.push_back(a);
  // Keys are "office|prefix" and "office|service": an office's snapshot holds only its own.
  auto of_office = [&](const std::string& k) {
    return office.empty() || k.compare(0, office.size() + 1, office + "|") == 0;
  };
  json numbers = json::object();
  for (const auto& [k, v] : numbers_)
    if (of_office(k)) numbers[k] = json{v.first, v.second};
  json times = json::object();
  for (const auto& [k, v] : service_times_)
    if (of_office(k)) times[k] = json{v.ema_ms, v.samples};
  json devices = json::array();
  for (const auto& [id, d] : devices_)
    if (office.empty() || d.office == office)
      devices.push_back(json{{"device", d.device}, {"office", d.office}, {"state", d.state},
                             {"detail", d.detail}, {"since", d.since}});
  json presence = json::array();
  for (const auto& [name, p] : presence_)
    if (office.empty() || p.office == office)
      presence.push_back(json{{"kind", p.kind}, {"name", p.name}, {"office", p.office},
                              {"online", p.online}, {"since", p.since}});
  json out{{"seq", seq_},          {"oseq", oseq},         {"office", office},
           {"day", current_day_},  {"tickets", tickets},   {"counters", counters},
           {"calls", calls},       {"cases", cases},       {"numbers", numbers},
           {"service_times", times}, {"devices", devices}};
  out["presence"] = presence;
  if (with_private) out["appointments"] = appts;
  return out;
}

json State::snapshot(const std::string& office) const { return dump(office, false); }
json State::checkpoint() const { return dump({}, true); }

void State::load_snapshot(const json& snap) {
  State fresh(region_);
  fresh.seq_ = snap.at("seq").get<std::uint64_t>();
  for (const auto& [o, s] : snap.at("oseq").items()) fresh.oseq_[o] = s.get<std::uint64_t>();
  fresh.current_day_ = snap.value("day", "");
  // Snapshots list tickets in issue order (see dump()), so the lists keep that order.
  for (const auto& tj : snap.at("tickets")) {
    Ticket t = tj.get<Ticket>();
    fresh.by_number_[key(t.office, t.number)] = t.id;
    if (!t.token.empty()) fresh.by_token_[t.token] = t.id;
    if (auto old = fresh.tickets_.find(t.id); old != fresh.tickets_.end()) {
      fresh.tickets_.deactivate(old->second);
      fresh.count_waiting(old->second, -1);
      fresh.tickets_.forget_today([&](const Ticket& x) { return &x == &old->second; });
      fresh.tickets_.erase(old);
    }
    std::string id = t.id;
    const Ticket& stored = fresh.tickets_.emplace(id, std::move(t)).first->second;
    if (!is_terminal(stored.state)) fresh.tickets_.activate(stored);
    fresh.tickets_.add_today(stored);
    fresh.count_waiting(stored, +1);
  }
  for (const auto& cj : snap.at("counters")) {
    CounterRuntime c = cj.get<CounterRuntime>();
    fresh.counters_[c.id] = c;
  }
  for (const auto& [o, list] : snap.at("calls").items())
    for (const auto& r : list) fresh.calls_[o].push_back(r.get<CallRecord>());
  for (const auto& cj : snap.value("cases", json::array())) {
    Case c = cj.get<Case>();
    fresh.cases_[c.id] = c;
  }
  for (const auto& aj : snap.value("appointments", json::array())) {
    Appointment a = aj.get<Appointment>();
    fresh.appointments_[a.code] = a;
  }
  // Bind first: items() of a temporary would dangle.
  const json numbers = snap.value("numbers", json::object());
  const json times = snap.value("service_times", json::object());
  for (const auto& [k, v] : numbers.items())
    fresh.numbers_[k] = {v.at(0).get<std::string>(), v.at(1).get<int>()};
  for (const auto& [k, v] : times.items())
    fresh.service_times_[k] = ServiceTime{v.at(0).get<double>(), v.at(1).get<int>()};
  for (const auto& dj : snap.value("devices", json::array())) {
    DeviceState d{dj.at("device"), dj.value("office", ""), dj.value("state", ""),
                  dj.value("detail", ""), dj.value("since", Millis{0})};
    fresh.devices_[d.device] = d;
  }
  for (const auto& pj : snap.value("presence", json::array())) {
    Presence p{pj.value("kind", ""), pj.value("name", ""), pj.value("office", ""),
               pj.value("online", false), pj.value("since", Millis{0})};
    fresh.presence_[p.name] = p;
  }
  *this = std::move(fresh);
}

}  // namespace wm::core
