// Event appliers: one State member per event type, found through one table (type -> applier).
#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "core/state.hpp"

#include "core/clock.hpp"
#include "core/codec.hpp"

namespace wm::core {
namespace {

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

const State::ApplierTable& State::appliers() {
  static const ApplierTable table{
      {"ticket.issued", &State::apply_ticket_issued},
      {"ticket.called", &State::apply_ticket_called},
      {"ticket.serving", &State::apply_ticket_serving},
      {"ticket.finished", &State::apply_ticket_done},
      {"ticket.forwarded", &State::apply_ticket_done},
      {"ticket.transferred", &State::apply_ticket_transferred},
      {"ticket.parked", &State::apply_ticket_parked},
      {"ticket.returned", &State::apply_ticket_waiting_again},
      {"ticket.reactivated", &State::apply_ticket_waiting_again},
      {"ticket.no_show", &State::apply_ticket_no_show},
      {"ticket.cancelled", &State::apply_ticket_cancelled},
      {"counter.changed", &State::apply_counter_changed},
      {"appointments.imported", &State::apply_appointments_imported},
      {"appointment.checked_in", &State::apply_appointment_checked_in},
      {"client.online", &State::apply_presence},
      {"client.offline", &State::apply_presence},
      {"device.status", &State::apply_device_status},
      {"case.claimed", &State::apply_case},
      {"case.done", &State::apply_case},
      {"case.returned", &State::apply_case},
      {"alert.panic", &State::apply_alert_panic},
      {"day.closed", &State::apply_day_closed},
      {"counter.profile_changed", &State::apply_counter_profile},
  };
  return table;
}

std::vector<std::string> State::applied_event_types() {
  std::vector<std::string> out;
  for (const auto& [type, fn] : appliers()) out.emplace_back(type);
  return out;
}

void State::apply_body(const Event& e) {
  const auto& table = appliers();
  auto it = table.find(std::string_view(e.type));
  if (it == table.end()) throw std::invalid_argument("unknown event type " + e.type);
  (this->*(it->second))(e);
}

void State::apply_ticket_issued(const Event& e) {
  const json& b = e.body;
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
}

void State::apply_ticket_called(const Event& e) {
  const json& b = e.body;
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
}

void State::apply_ticket_serving(const Event& e) {
  const json& b = e.body;
  Ticket& t = mutable_ticket(str(b, "ticket"));
  t.state = TicketState::serving;
  t.serving_since = e.time;
  add_history(t, e, "serving");
}

void State::apply_ticket_done(const Event& e) {
  const json& b = e.body;
  const std::string& type = e.type;
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
}

void State::apply_ticket_transferred(const Event& e) {
  const json& b = e.body;
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
}

void State::apply_ticket_parked(const Event& e) {
  const json& b = e.body;
  Ticket& t = mutable_ticket(str(b, "ticket"));
  record_service_time(t, e.time);
  t.park_reason = b.value("reason", "");  // journals from before sealing (issue 14)
  t.park_ref = b.value("reason_ref", "");
  add_history(t, e, "parked", t.park_reason);
  release_counter(t.counter, t.id, e.time);
  t.counter.clear();
  t.state = TicketState::parked;
  t.serving_since = 0;
}

void State::apply_ticket_waiting_again(const Event& e) {
  const json& b = e.body;
  const std::string& type = e.type;
  Ticket& t = mutable_ticket(str(b, "ticket"));
  add_history(t, e, type == "ticket.returned" ? "returned" : "reactivated");
  t.state = TicketState::waiting;
  t.recalls = 0;
  t.finished_at = 0;
  t.counter.clear();
  tickets_.activate(t);
}

void State::apply_ticket_no_show(const Event& e) {
  const json& b = e.body;
  Ticket& t = mutable_ticket(str(b, "ticket"));
  add_history(t, e, "no_show");
  release_counter(t.counter, t.id, e.time);
  set_terminal(t, TicketState::no_show, e.time);
}

void State::apply_ticket_cancelled(const Event& e) {
  const json& b = e.body;
  Ticket& t = mutable_ticket(str(b, "ticket"));
  add_history(t, e, "cancelled", b.value("reason", ""));
  release_counter(t.counter, t.id, e.time);
  set_terminal(t, TicketState::cancelled, e.time);
}

void State::apply_counter_changed(const Event& e) {
  const json& b = e.body;
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
}

void State::apply_appointments_imported(const Event& e) {
  const json& b = e.body;
  // Screens get only the count: nothing to keep.
  for (const auto& a : b.value("appointments", json::array())) {
    Appointment ap = a.get<Appointment>();
    if (auto old = appointments_.find(ap.code); old != appointments_.end())
      unindex_appointment(old->second);  // a re-import moves or cancels it
    index_appointment(ap);
    appointments_[ap.code] = ap;
  }
}

void State::apply_appointment_checked_in(const Event& e) {
  const json& b = e.body;
  // Screens get this event without the code (codes are secrets until used): nothing to do.
  if (b.contains("code")) {
    auto it = appointments_.find(str(b, "code"));
    if (it == appointments_.end()) throw std::invalid_argument("check-in of unknown appointment");
    unindex_appointment(it->second);
    it->second.ticket = str(b, "ticket");
  }
}

void State::apply_presence(const Event& e) {
  const json& b = e.body;
  const std::string& type = e.type;
  if (!b.contains("name")) return;  // screens: presence is office staff data
  Presence p{str(b, "kind"), str(b, "name"), e.office, type == "client.online", e.time};
  presence_[p.name] = p;
}

void State::apply_device_status(const Event& e) {
  const json& b = e.body;
  DeviceState d{str(b, "device"), e.office, str(b, "state"), b.value("detail", ""), e.time};
  devices_[d.device] = d;
}

void State::apply_case(const Event& e) {
  const json& b = e.body;
  const std::string& type = e.type;
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
}

void State::apply_alert_panic(const Event&) {
  // Nothing to keep: dashboards react to the event itself.
}

// The office's day ends (core/day_close.hpp): every ticket of that day or before that is not
// final becomes `closed` (its counter let go), and every open or paused counter that has been
// so since that day closes, its staff session ending. Worked out from the state alone, so a
// replica and a replayed journal close exactly the same.
void State::apply_day_closed(const Event& e) {
  const std::string& day = str(e.body, "day");
  std::vector<Ticket*> open;
  for_each_active(e.office, [&](const Ticket& t) {
    if (t.day <= day) open.push_back(&mutable_ticket(t.id));
  });
  for (Ticket* t : open) {
    count_waiting(*t, -1);
    t->history.push_back(HistoryEntry{e.time, "closed", t->counter, std::string(to_string(t->state))});
    release_counter(t->counter, t->id, e.time);
    t->target_counter.clear();
    set_terminal(*t, TicketState::closed, e.time);
  }
  std::erase_if(day_profiles_, [&](const auto& kv) { return counters_[kv.first].office == e.office; });
  for (auto& [id, c] : counters_) {
    if (c.office != e.office || c.state == CounterState::closed || local_day(c.since) > day) continue;
    c.state = CounterState::closed;
    c.staff.clear();
    c.station.clear();
    c.ticket.clear();
    c.since = e.time;
  }
  // The schedule's once-a-day close; a close by hand (e.g. at noon) does not stand in for it.
  if (e.body.value("reason", "schedule") != "manual") {
    std::string& closed = closed_days_[e.office];
    closed = std::max(closed, day);
  }
  // Closed after midnight (the safety net): yesterday's tickets leave memory now, as they
  // would have at the day's roll.
  if (day < current_day_) forget_final_before(current_day_);
}

// An office head set the counter's services for the day; the configured list ends the change.
void State::apply_counter_profile(const Event& e) {
  const std::string& id = str(e.body, "counter");
  const Counter* c = region_->find_counter(id);
  if (!c) throw std::invalid_argument("profile of unknown counter " + id);
  auto profile = e.body.value("profile", std::vector<std::string>{});
  if (profile.empty() || profile == c->profile) {
    day_profiles_.erase(id);
    return;
  }
  Counter today = *c;
  today.profile = std::move(profile);
  day_profiles_[id] = std::move(today);
}

}  // namespace wm::core
