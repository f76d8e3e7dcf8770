// Request handlers for tickets and appointments: issue, check in, cancel, return, reactivate, status.
#include <algorithm>
#include <set>

#include "core/clock.hpp"
#include "core/codec.hpp"
#include "core/estimate.hpp"
#include "core/handlers.hpp"
#include "core/office_hours.hpp"

namespace wm::core::handlers {
namespace {

// A ticket named by id or status-page token; not_found names the field that was given.
std::optional<Decision> unknown_ticket(const Request& r, const Ticket*& t, const State& s) {
  t = find_ticket(s, r.body);
  if (t) return std::nullopt;
  return fail(ErrorCode::not_found, "unknown ticket", r.body.contains("token") ? "token" : "ticket");
}

Decision ticket_reply(Decision d, const Ticket& t) {
  d.reply = json{{"ticket", t.id}, {"number", t.number}};
  return d;
}

Decision issue_any_time(const Request& r, const State& s, Millis now);

}  // namespace

// A request that is wrong in itself (unknown office, service) is answered as such first; only
// a valid one is then held against the opening hours (core/office_hours.hpp).
Decision ticket_issue(const Request& r, const State& s, Millis now) {
  Decision d = issue_any_time(r, s, now);
  if (auto closed = d.error ? std::nullopt : check_issue_hours(r.body, s, now))
    return fail(closed->code, closed->message, closed->field);
  return d;
}

namespace {

Decision issue_any_time(const Request& r, const State& s, Millis now) {
  const json& b = r.body;
  const Region& region = s.region();
  const std::string& office_id = b["office"].get_ref<const std::string&>();
  const Office* office = region.find_office(office_id);
  if (!office) return fail(ErrorCode::not_found, "unknown office '" + office_id + "'", "office");
  auto services = b["services"].get<std::vector<std::string>>();
  std::set<std::string> seen;
  for (const auto& sv : services) {
    if (!region.find_service(sv))
      return fail(ErrorCode::not_found, "unknown service '" + sv + "'", "services");
    if (!region.office_offers(office_id, sv))
      return fail(ErrorCode::not_found, office->name + " does not offer '" + sv + "'", "services");
    if (!seen.insert(sv).second)
      return fail(ErrorCode::bad_field, "service '" + sv + "' listed twice", "services");
  }
  std::string lang = b.value("language", region.languages.empty() ? "de" : region.languages[0]);
  if (!region.languages.empty() &&
      std::find(region.languages.begin(), region.languages.end(), lang) == region.languages.end())
    return fail(ErrorCode::bad_field, "language '" + lang + "' not offered", "language");
  bool consent = b.value("consent", false);
  if (b.contains("identity") && !consent)
    return fail(ErrorCode::bad_field, "identity data requires the visitor's consent", "identity");

  Decision d;
  if (b.contains("identity")) {
    json minimal = json::object();
    for (const auto& [k, v] : b["identity"].items()) {
      const auto& allowed = identity_fields();
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
        return fail(ErrorCode::bad_field, "identity field '" + k + "' is not accepted", "identity");
      if (!v.is_string() || v.get_ref<const std::string&>().size() > 100)
        return fail(ErrorCode::bad_field, "identity field '" + k + "' must be a short string",
                    "identity");
      minimal[k] = v;
    }
    if (!minimal.empty()) d.personal.push_back({{}, minimal});  // key set below
  }

  Ticket t;
  t.id = new_uuid();
  t.token = new_token();
  t.office = office_id;
  t.day = local_day(now);
  t.services = services;
  t.language = lang;
  t.priority = priority_from(b.value("priority", "normal")).value_or(Priority::normal);
  t.source = source_from(b.value("source", "kiosk")).value_or(Source::kiosk);
  t.issued_at = t.queued_since = now;
  t.has_identity = !d.personal.empty();
  const Service* first = region.find_service(services[0]);
  t.number = format_number(first->prefix, s.last_number(office_id, first->prefix, t.day) + 1);
  if (!d.personal.empty()) d.personal[0].key = t.id;

  d.events.push_back(make_event(office_id, "ticket.issued", json{{"ticket", t}}));
  json pt = public_ticket(t);
  auto est = estimate_new(s, office_id, services[0], now);
  d.reply = json{{"ticket", pt},
                 {"token", t.token},
                 {"office_name", office->name},
                 {"estimate_ms", est ? json(*est) : json(nullptr)},
                 {"no_counter_open", !est.has_value()}};
  return d;
}

}  // namespace

Decision appointment_import(const Request& r, const State& s, Millis) {
  const Region& region = s.region();
  json accepted = json::array();
  Decision d;
  int index = 0;
  for (const auto& a : r.body["appointments"]) {
    std::string field = "appointments[" + std::to_string(index++) + "]";
    auto get = [&](const char* k) -> std::string {
      auto it = a.find(k);
      return it != a.end() && it->is_string() ? it->get<std::string>() : std::string{};
    };
    std::string code = get("code"), office = get("office"), service = get("service");
    if (code.empty() || code.size() > 32)
      return fail(ErrorCode::bad_field, field + ".code missing or too long", field);
    if (!region.find_office(office))
      return fail(ErrorCode::not_found, field + ": unknown office '" + office + "'", field);
    if (!region.office_offers(office, service))
      return fail(ErrorCode::not_found, field + ": office does not offer '" + service + "'", field);
    Millis slot = 0;
    if (a.contains("slot") && a["slot"].is_number_integer()) {
      slot = a["slot"].get<Millis>();
    } else if (auto parsed = parse_local_datetime(get("slot"))) {
      slot = *parsed;
    } else {
      return fail(ErrorCode::bad_field, field + ".slot must be 'YYYY-MM-DDTHH:MM'", field);
    }
    if (const Appointment* existing = s.appointment(code); existing && !existing->ticket.empty())
      continue;  // already checked in: a re-import must not undo that
    accepted.push_back(Appointment{code, office, service, slot, {}, false});
    std::string name = get("name");
    if (!name.empty()) d.personal.push_back({"appt:" + code, json{{"name", name}}});
  }
  if (!accepted.empty())
    d.events.push_back(make_event({}, "appointments.imported", json{{"appointments", accepted}}));
  d.reply = json{{"imported", accepted.size()}};
  return d;
}

Decision appointment_checkin(const Request& r, const State& s, Millis now) {
  const json& b = r.body;
  const Region& region = s.region();
  const std::string& office_id = b["office"].get_ref<const std::string&>();
  const Office* office = region.find_office(office_id);
  if (!office) return fail(ErrorCode::not_found, "unknown office '" + office_id + "'", "office");
  std::string code = b["code"].get<std::string>();
  const Appointment* a = s.appointment(code);
  if (!a || a->office != office_id || a->cancelled)
    return fail(ErrorCode::not_found, "no appointment with this code in " + office->name, "code");
  if (!a->ticket.empty()) {
    const Ticket* t = s.ticket(a->ticket);
    return fail(ErrorCode::invalid_state,
                "appointment already checked in" + (t ? " as " + t->number : std::string{}), "code");
  }
  if (local_day(a->slot) != local_day(now))
    return fail(ErrorCode::invalid_state, "the appointment is on " + local_day(a->slot), "code");

  Request as_issue{r.version, r.id, "ticket.issue",
                   json{{"office", office_id}, {"services", json::array({a->service})}}};
  if (b.contains("language")) as_issue.body["language"] = b["language"];
  // A booked visitor is served even past the last-ticket cut-off: the slot was promised.
  Decision d = issue_any_time(as_issue, s, now);
  if (d.error) return d;
  json& t = d.events[0].body["ticket"];
  t["source"] = "appointment";
  t["appointment_code"] = code;
  d.reply["slot"] = local_hhmm(a->slot);
  // Too late for the booking: served as a walk-in (queued now, no appointment priority), so
  // the walk-ins who got its released time are not overtaken.
  const bool late = now > a->slot + static_cast<Millis>(s.region().policy.late_arrival_minutes) * 60000;
  d.reply["late"] = late;
  if (!late) {
    t["priority"] = "appointment";
    t["appointment_slot"] = a->slot;
    d.reply["ticket"]["priority"] = "appointment";
    d.reply["ticket"]["appointment_slot"] = a->slot;
  }
  d.events.push_back(make_event(office_id, "appointment.checked_in",
                                json{{"code", code}, {"ticket", t["id"]}}));
  return d;
}

Decision ticket_status(const Request& r, const State& s, Millis now) {
  const Ticket* t = nullptr;
  if (auto err = unknown_ticket(r, t, s)) return *err;
  Decision d;
  d.reply = core::ticket_status(s, *t, now);
  return d;
}

Decision ticket_cancel(const Request& r, const State& s, Millis) {
  const Ticket* t = nullptr;
  if (auto err = unknown_ticket(r, t, s)) return *err;
  if (is_terminal(t->state))
    return fail(ErrorCode::invalid_state, "ticket " + t->number + " is already " +
                                              std::string(to_string(t->state)), "ticket");
  Decision d;
  json body{{"ticket", t->id}};
  if (std::string reason = r.body.value("reason", ""); !reason.empty()) {  // free text: sealed
    body["reason_ref"] = "cancel:" + t->id;
    d.personal.push_back({body["reason_ref"], json{{"text", reason}}});
  }
  d.events.push_back(make_event(t->office, "ticket.cancelled", body));
  return ticket_reply(std::move(d), *t);
}

Decision ticket_return(const Request& r, const State& s, Millis) {
  const Ticket* t = nullptr;
  if (auto err = unknown_ticket(r, t, s)) return *err;
  if (t->state != TicketState::parked)
    return fail(ErrorCode::invalid_state, "ticket " + t->number + " is not parked", "ticket");
  Decision d;
  d.events.push_back(make_event(t->office, "ticket.returned", json{{"ticket", t->id}}));
  return ticket_reply(std::move(d), *t);
}

Decision ticket_reactivate(const Request& r, const State& s, Millis) {
  const Ticket* t = nullptr;
  if (auto err = unknown_ticket(r, t, s)) return *err;
  if (t->state != TicketState::no_show)
    return fail(ErrorCode::invalid_state, "ticket " + t->number + " is not a no-show", "ticket");
  Decision d;
  d.events.push_back(make_event(t->office, "ticket.reactivated", json{{"ticket", t->id}}));
  return ticket_reply(std::move(d), *t);
}

}  // namespace wm::core::handlers
