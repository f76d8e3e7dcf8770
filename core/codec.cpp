// JSON conversions of the model. Field names here are the protocol's and the journal's.
#include "core/codec.hpp"

namespace wm::core {

void to_json(json& j, const HistoryEntry& h) {
  j = json{{"time", h.time}, {"what", h.what}};
  if (!h.counter.empty()) j["counter"] = h.counter;
  if (!h.detail.empty()) j["detail"] = h.detail;
}

void from_json(const json& j, HistoryEntry& h) {
  h.time = j.at("time").get<Millis>();
  h.what = j.at("what").get<std::string>();
  h.counter = j.value("counter", "");
  h.detail = j.value("detail", "");
}

void to_json(json& j, const Ticket& t) {
  j = json{{"id", t.id},
           {"office", t.office},
           {"number", t.number},
           {"day", t.day},
           {"services", t.services},
           {"current", t.current},
           {"state", to_string(t.state)},
           {"priority", to_string(t.priority)},
           {"source", to_string(t.source)},
           {"language", t.language},
           {"issued_at", t.issued_at},
           {"queued_since", t.queued_since},
           {"recalls", t.recalls},
           {"has_identity", t.has_identity}};
  auto opt = [&](const char* k, const std::string& v) {
    if (!v.empty()) j[k] = v;
  };
  auto opt_time = [&](const char* k, Millis v) {
    if (v) j[k] = v;
  };
  opt("counter", t.counter);
  opt("target_counter", t.target_counter);
  opt("park_reason", t.park_reason);
  opt("park_ref", t.park_ref);
  opt("outcome", t.outcome);
  opt("case_id", t.case_id);
  opt("appointment_code", t.appointment_code);
  opt("token", t.token);
  opt_time("appointment_slot", t.appointment_slot);
  opt_time("first_called_at", t.first_called_at);
  opt_time("called_at", t.called_at);
  opt_time("serving_since", t.serving_since);
  opt_time("finished_at", t.finished_at);
}

void from_json(const json& j, Ticket& t) {
  t.id = j.at("id").get<std::string>();
  t.office = j.at("office").get<std::string>();
  t.number = j.at("number").get<std::string>();
  t.day = j.value("day", "");
  t.services = j.at("services").get<std::vector<std::string>>();
  t.current = j.value("current", std::size_t{0});
  t.state = ticket_state_from(j.value("state", "waiting")).value_or(TicketState::waiting);
  t.priority = priority_from(j.value("priority", "normal")).value_or(Priority::normal);
  t.source = source_from(j.value("source", "kiosk")).value_or(Source::kiosk);
  t.language = j.value("language", "de");
  t.issued_at = j.value("issued_at", Millis{0});
  t.queued_since = j.value("queued_since", t.issued_at);
  t.recalls = j.value("recalls", 0);
  t.has_identity = j.value("has_identity", false);
  t.counter = j.value("counter", "");
  t.target_counter = j.value("target_counter", "");
  t.park_reason = j.value("park_reason", "");
  t.park_ref = j.value("park_ref", "");
  t.outcome = j.value("outcome", "");
  t.case_id = j.value("case_id", "");
  t.appointment_code = j.value("appointment_code", "");
  t.token = j.value("token", "");
  t.appointment_slot = j.value("appointment_slot", Millis{0});
  t.first_called_at = j.value("first_called_at", Millis{0});
  t.called_at = j.value("called_at", Millis{0});
  t.serving_since = j.value("serving_since", Millis{0});
  t.finished_at = j.value("finished_at", Millis{0});
  if (j.contains("history")) t.history = j["history"].get<std::vector<HistoryEntry>>();
  if (t.services.empty() || t.current >= t.services.size())
    throw std::invalid_argument("ticket " + t.id + " has no current service");
}

json ticket_with_history(const Ticket& t) {
  json j = t;
  j["history"] = t.history;
  return j;
}

void to_json(json& j, const CounterRuntime& c) {
  j = json{{"id", c.id},       {"office", c.office}, {"state", to_string(c.state)},
           {"staff", c.staff}, {"station", c.station}, {"ticket", c.ticket}, {"since", c.since},
           {"served_today", c.served_today}};
}

void from_json(const json& j, CounterRuntime& c) {
  c.id = j.at("id").get<std::string>();
  c.office = j.value("office", "");
  c.state = counter_state_from(j.value("state", "closed")).value_or(CounterState::closed);
  c.staff = j.value("staff", "");
  c.station = j.value("station", "");
  c.ticket = j.value("ticket", "");
  c.since = j.value("since", Millis{0});
  c.served_today = j.value("served_today", 0);
}

void to_json(json& j, const Case& c) {
  j = json{{"id", c.id},
           {"ticket", c.ticket},
           {"office", c.office},
           {"number", c.number},
           {"service", c.service},
           {"unit", c.unit},
           {"counter", c.counter},
           {"outcome", c.outcome},
           {"state", to_string(c.state)},
           {"claimed_by", c.claimed_by},
           {"created_at", c.created_at},
           {"updated_at", c.updated_at}};
  // Texts only where they were unsealed (snapshots for the back office) or journaled before.
  if (!c.notes.empty()) j["notes"] = c.notes;
  if (!c.question.empty()) j["question"] = c.question;
  if (!c.notes_ref.empty()) j["notes_ref"] = c.notes_ref;
  if (!c.question_ref.empty()) j["question_ref"] = c.question_ref;
}

void from_json(const json& j, Case& c) {
  c.id = j.at("id").get<std::string>();
  c.ticket = j.value("ticket", "");
  c.office = j.value("office", "");
  c.number = j.value("number", "");
  c.service = j.value("service", "");
  c.unit = j.value("unit", "");
  c.counter = j.value("counter", "");
  c.outcome = j.value("outcome", "");
  c.notes = j.value("notes", "");
  c.state = case_state_from(j.value("state", "received")).value_or(CaseState::received);
  c.claimed_by = j.value("claimed_by", "");
  c.question = j.value("question", "");
  c.notes_ref = j.value("notes_ref", "");
  c.question_ref = j.value("question_ref", "");
  c.created_at = j.value("created_at", Millis{0});
  c.updated_at = j.value("updated_at", Millis{0});
}

void to_json(json& j, const Appointment& a) {
  j = json{{"code", a.code},       {"office", a.office}, {"service", a.service},
           {"slot", a.slot},       {"ticket", a.ticket}, {"cancelled", a.cancelled}};
}

void from_json(const json& j, Appointment& a) {
  a.code = j.at("code").get<std::string>();
  a.office = j.at("office").get<std::string>();
  a.service = j.at("service").get<std::string>();
  a.slot = j.at("slot").get<Millis>();
  a.ticket = j.value("ticket", "");
  a.cancelled = j.value("cancelled", false);
}

void to_json(json& j, const CallRecord& r) {
  j = json{{"ticket", r.ticket},   {"number", r.number}, {"counter", r.counter},
           {"service", r.service}, {"time", r.time},     {"recalls", r.recalls}};
}

void from_json(const json& j, CallRecord& r) {
  r.ticket = j.value("ticket", "");
  r.number = j.value("number", "");
  r.counter = j.value("counter", "");
  r.service = j.value("service", "");
  r.time = j.value("time", Millis{0});
  r.recalls = j.value("recalls", 0);
}

}  // namespace wm::core
