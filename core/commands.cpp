// The broker's command logic: every state-changing request is checked here and becomes events.
#include "core/commands.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/clock.hpp"
#include "core/codec.hpp"
#include "core/estimate.hpp"
#include "core/office_hours.hpp"
#include "core/routing.hpp"

namespace wm::core {
namespace {

Decision fail(ErrorCode code, std::string message, std::string field = {}) {
  Decision d;
  d.error = CommandError{code, std::move(message), std::move(field)};
  return d;
}

Event make_event(const std::string& office, std::string type, json body) {
  Event e;
  e.office = office;
  e.type = std::move(type);
  e.body = std::move(body);
  return e;
}

json public_ticket(const Ticket& t) {
  json j = t;
  j.erase("token");
  return j;
}

// Resolves the counter named in the body and the ticket it is working on.
struct CounterCtx {
  const Counter* config = nullptr;
  const CounterRuntime* rt = nullptr;
  const Office* office = nullptr;
  const Ticket* ticket = nullptr;
};

std::optional<CommandError> load_counter(const State& s, const json& body, CounterCtx& ctx) {
  const std::string& id = body.at("counter").get_ref<const std::string&>();
  ctx.config = s.region().find_counter(id);
  ctx.rt = s.counter(id);
  ctx.office = s.region().office_of_counter(id);
  if (!ctx.config || !ctx.rt || !ctx.office)
    return CommandError{ErrorCode::not_found, "unknown counter '" + id + "'", "counter"};
  if (!ctx.rt->ticket.empty()) ctx.ticket = s.ticket(ctx.rt->ticket);
  return std::nullopt;
}

std::optional<CommandError> require_open_and_free(const CounterCtx& ctx) {
  if (ctx.rt->state != CounterState::open)
    return CommandError{ErrorCode::invalid_state,
                        "counter " + ctx.config->name + " is " +
                            std::string(to_string(ctx.rt->state)) + ", open or resume it first",
                        "counter"};
  if (ctx.ticket)
    return CommandError{ErrorCode::invalid_state,
                        "counter " + ctx.config->name + " is still working on " +
                            ctx.ticket->number + "; finish, transfer, park or no-show it first",
                        "counter"};
  return std::nullopt;
}

std::optional<CommandError> require_ticket(const CounterCtx& ctx,
                                           std::initializer_list<TicketState> allowed) {
  if (!ctx.ticket)
    return CommandError{ErrorCode::invalid_state,
                        "counter " + ctx.config->name + " has no current visitor", "counter"};
  for (auto s : allowed)
    if (ctx.ticket->state == s) return std::nullopt;
  return CommandError{ErrorCode::invalid_state,
                      "ticket " + ctx.ticket->number + " is " +
                          std::string(to_string(ctx.ticket->state)),
                      "counter"};
}

const Ticket* find_ticket(const State& s, const json& body, const std::string& office = {}) {
  if (body.contains("ticket")) {
    const std::string& ref = body["ticket"].get_ref<const std::string&>();
    if (const Ticket* t = s.ticket(ref)) return t;
    if (!office.empty()) return s.ticket_by_number(office, ref);
    return nullptr;
  }
  if (body.contains("token")) return s.ticket_by_token(body["token"].get<std::string>());
  return nullptr;
}

Decision called(const State& s, const Ticket& t, const Counter& c, int recalls) {
  (void)s;
  Decision d;
  d.events.push_back(make_event(t.office, "ticket.called",
                                json{{"ticket", t.id}, {"counter", c.id}, {"recalls", recalls}}));
  json pt = public_ticket(t);
  pt["state"] = "called";
  pt["counter"] = c.id;
  pt["recalls"] = recalls;
  d.reply = json{{"ticket", pt}, {"counter_name", c.name}};
  return d;
}

Decision issue(const Request& r, const State& s, Millis now) {
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
                 {"estimate_ms", est ? json(*est) : json(nullptr)}};
  return d;
}

Decision import_appointments(const Request& r, const State& s) {
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

Decision checkin(const Request& r, const State& s, Millis now) {
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
  Decision d = issue(as_issue, s, now);
  if (d.error) return d;
  json& t = d.events[0].body["ticket"];
  t["priority"] = "appointment";
  t["source"] = "appointment";
  t["appointment_slot"] = a->slot;
  t["appointment_code"] = code;
  d.reply["ticket"]["priority"] = "appointment";
  d.reply["ticket"]["appointment_slot"] = a->slot;
  d.reply["slot"] = local_hhmm(a->slot);
  d.events.push_back(make_event(office_id, "appointment.checked_in",
                                json{{"code", code}, {"ticket", t["id"]}}));
  return d;
}

Decision counter_state(const Request& r, const State& s, Millis now) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  (void)now;
  CounterState target = CounterState::open;
  json body{{"counter", ctx.config->id}};
  if (r.type == "counter.open") {
    if (r.body.contains("staff")) {
      const std::string& login = r.body["staff"].get_ref<const std::string&>();
      const Staff* st = s.region().find_staff(login);
      if (!st) return fail(ErrorCode::not_found, "unknown staff '" + login + "'", "staff");
      if (!st->offices.empty() &&
          std::find(st->offices.begin(), st->offices.end(), ctx.office->id) == st->offices.end())
        return fail(ErrorCode::forbidden, login + " may not work in " + ctx.office->name, "staff");
      body["staff"] = login;
      // Set by the broker for staff.login (the wire schema has no such field).
      if (r.body.contains("station")) body["station"] = r.body["station"];
    }
  } else if (r.type == "counter.close") {
    if (ctx.ticket)
      return fail(ErrorCode::invalid_state,
                  "finish, transfer or park " + ctx.ticket->number + " before closing", "counter");
    target = CounterState::closed;
  } else if (r.type == "counter.pause") {
    if (ctx.rt->state == CounterState::closed)
      return fail(ErrorCode::invalid_state, "counter is closed", "counter");
    target = CounterState::paused;
  } else {  // resume
    if (ctx.rt->state != CounterState::paused)
      return fail(ErrorCode::invalid_state, "counter is not paused", "counter");
  }
  body["state"] = to_string(target);
  Decision d;
  d.events.push_back(make_event(ctx.office->id, "counter.changed", body));
  d.reply = json{{"counter", ctx.config->id}, {"state", to_string(target)}};
  return d;
}

Decision counter_action(const Request& r, const State& s, Millis now) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  const std::string& type = r.type;
  const Counter& c = *ctx.config;
  const std::string& office = ctx.office->id;

  if (type == "counter.next") {
    if (auto e = require_open_and_free(ctx)) return fail(e->code, e->message, e->field);
    const Ticket* t = choose_next(s, c, now);
    if (!t) return fail(ErrorCode::queue_empty, "nobody is waiting for " + c.name);
    return called(s, *t, c, 0);
  }
  if (type == "counter.call") {
    if (auto e = require_open_and_free(ctx)) return fail(e->code, e->message, e->field);
    const Ticket* t = find_ticket(s, r.body, office);
    if (!t || t->office != office)
      return fail(ErrorCode::not_found, "no ticket '" + r.body["ticket"].get<std::string>() +
                                            "' in " + ctx.office->name, "ticket");
    if (t->state != TicketState::waiting && t->state != TicketState::parked)
      return fail(ErrorCode::invalid_state,
                  "ticket " + t->number + " is " + std::string(to_string(t->state)), "ticket");
    return called(s, *t, c, 0);
  }
  if (type == "counter.recall") {
    if (auto e = require_ticket(ctx, {TicketState::called})) return fail(e->code, e->message, e->field);
    int recalls = ctx.ticket->recalls + 1;
    if (recalls > s.region().policy.recall_limit) {
      Decision d;
      d.events.push_back(make_event(office, "ticket.no_show",
                                    json{{"ticket", ctx.ticket->id}, {"counter", c.id},
                                         {"reason", "recall limit"}}));
      d.reply = json{{"ticket", ctx.ticket->id}, {"number", ctx.ticket->number}, {"no_show", true}};
      return d;
    }
    Decision d = called(s, *ctx.ticket, c, recalls);
    d.reply["no_show"] = false;
    return d;
  }
  if (type == "counter.no_show") {
    if (auto e = require_ticket(ctx, {TicketState::called})) return fail(e->code, e->message, e->field);
    Decision d;
    d.events.push_back(make_event(office, "ticket.no_show",
                                  json{{"ticket", ctx.ticket->id}, {"counter", c.id}}));
    d.reply = json{{"ticket", ctx.ticket->id}, {"number", ctx.ticket->number}};
    return d;
  }
  if (type == "counter.start") {
    if (auto e = require_ticket(ctx, {TicketState::called})) return fail(e->code, e->message, e->field);
    Decision d;
    d.events.push_back(make_event(office, "ticket.serving",
                                  json{{"ticket", ctx.ticket->id}, {"counter", c.id}}));
    d.reply = json{{"ticket", ctx.ticket->id}, {"number", ctx.ticket->number}};
    return d;
  }
  if (type == "counter.finish") {
    if (auto e = require_ticket(ctx, {TicketState::called, TicketState::serving}))
      return fail(e->code, e->message, e->field);
    const Ticket& t = *ctx.ticket;
    Decision d;
    if (t.state == TicketState::called)  // finishing straight from the call: it was served
      d.events.push_back(make_event(office, "ticket.serving", json{{"ticket", t.id}, {"counter", c.id}}));
    json body{{"ticket", t.id}, {"counter", c.id}, {"outcome", r.body.value("outcome", "erledigt")}};
    if (t.current + 1 < t.services.size()) {
      const std::string& next = t.services[t.current + 1];
      body["next"] = t.current + 1;
      body["stay"] = std::find(c.profile.begin(), c.profile.end(), next) != c.profile.end();
    }
    d.reply = json{{"ticket", t.id}, {"number", t.number}};
    if (r.body.value("forward", false)) {
      const Service* sv = s.region().find_service(t.service());
      Case cs;
      cs.id = new_uuid();
      cs.ticket = t.id;
      cs.office = office;
      cs.number = t.number;
      cs.service = t.service();
      cs.unit = sv && !sv->backoffice_unit.empty() ? sv->backoffice_unit : "Backoffice";
      cs.counter = c.id;
      cs.outcome = body["outcome"];
      // Free text is sealed: the event carries only the key of the personal record.
      if (std::string notes = r.body.value("notes", ""); !notes.empty()) {
        cs.notes_ref = "note:" + cs.id;
        d.personal.push_back({cs.notes_ref, json{{"text", notes}}});
      }
      cs.created_at = cs.updated_at = now;
      body["case"] = cs;
      d.events.push_back(make_event(office, "ticket.forwarded", body));
      d.reply["case"] = cs.id;
      d.reply["unit"] = cs.unit;
    } else {
      d.events.push_back(make_event(office, "ticket.finished", body));
    }
    if (body.contains("next")) {
      d.reply["next_service"] = t.services[t.current + 1];
      d.reply["stays"] = body["stay"];
    }
    return d;
  }
  if (type == "counter.transfer") {
    if (auto e = require_ticket(ctx, {TicketState::called, TicketState::serving}))
      return fail(e->code, e->message, e->field);
    json body{{"ticket", ctx.ticket->id}, {"counter", c.id}};
    if (!r.body.contains("service") && !r.body.contains("to_counter"))
      return fail(ErrorCode::bad_field, "transfer needs 'service' or 'to_counter'", "service");
    if (r.body.contains("service")) {
      std::string sv = r.body["service"];
      if (!s.region().office_offers(office, sv))
        return fail(ErrorCode::not_found, ctx.office->name + " does not offer '" + sv + "'", "service");
      body["service"] = sv;
    }
    if (r.body.contains("to_counter")) {
      std::string to = r.body["to_counter"];
      const Office* o = s.region().office_of_counter(to);
      if (!o || o->id != office)
        return fail(ErrorCode::not_found, "no counter '" + to + "' in " + ctx.office->name, "to_counter");
      if (to == c.id) return fail(ErrorCode::bad_field, "cannot transfer to the same counter", "to_counter");
      body["to_counter"] = to;
    }
    Decision d;
    d.events.push_back(make_event(office, "ticket.transferred", body));
    d.reply = json{{"ticket", ctx.ticket->id}, {"number", ctx.ticket->number}};
    return d;
  }
  if (type == "counter.park") {
    if (auto e = require_ticket(ctx, {TicketState::called, TicketState::serving}))
      return fail(e->code, e->message, e->field);
    Decision d;
    const std::string ref = "park:" + ctx.ticket->id;  // free text: sealed (a re-park replaces it)
    d.personal.push_back({ref, json{{"text", r.body["reason"]}}});
    d.events.push_back(make_event(office, "ticket.parked",
                                  json{{"ticket", ctx.ticket->id}, {"counter", c.id},
                                       {"reason_ref", ref}}));
    d.reply = json{{"ticket", ctx.ticket->id}, {"number", ctx.ticket->number}};
    return d;
  }
  if (type == "counter.panic") {  // staff safety: always accepted, whatever the counter does
    Decision d;
    d.events.push_back(make_event(office, "alert.panic",
                                  json{{"counter", c.id}, {"staff", ctx.rt->staff}}));
    d.reply = json{{"counter", c.id}, {"counter_name", c.name}};
    return d;
  }
  return fail(ErrorCode::unknown_type, "unhandled counter command " + type);
}

// Back-office work list: received → claimed → done, or returned with a question (and claimable
// again once the front office answered by a new claim).
Decision case_action(const Request& r, const State& s) {
  if (r.type == "case.list") {
    std::string unit = r.body.value("unit", ""), office = r.body.value("office", "");
    json cases = json::array();
    for (const auto& [id, c] : s.cases())
      if ((unit.empty() || c.unit == unit) && (office.empty() || c.office == office))
        cases.push_back(c);
    Decision d;
    d.reply = json{{"cases", cases}};
    return d;
  }
  const std::string& id = r.body["case"].get_ref<const std::string&>();
  const Case* c = s.find_case(id);
  if (!c) return fail(ErrorCode::not_found, "unknown case '" + id + "'", "case");
  std::string staff = r.body.value("staff", "");
  if (!staff.empty() && !s.region().find_staff(staff))
    return fail(ErrorCode::not_found, "unknown staff '" + staff + "'", "staff");
  json body{{"case", c->id}, {"staff", staff}};
  std::string event;
  if (r.type == "case.claim") {
    if (c->state == CaseState::done)
      return fail(ErrorCode::invalid_state, "case " + c->number + " is already done", "case");
    if (c->state == CaseState::claimed && c->claimed_by != staff)
      return fail(ErrorCode::invalid_state, "case " + c->number + " is claimed by " + c->claimed_by, "case");
    event = "case.claimed";
  } else if (r.type == "case.finish") {
    if (c->state != CaseState::claimed)
      return fail(ErrorCode::invalid_state, "claim case " + c->number + " first", "case");
    body["outcome"] = r.body.value("outcome", "erledigt");
    event = "case.done";
  } else {  // case.return
    if (c->state == CaseState::done)
      return fail(ErrorCode::invalid_state, "case " + c->number + " is already done", "case");
    body["question_ref"] = "question:" + c->id;  // free text: sealed
    event = "case.returned";
  }
  Decision d;
  if (body.contains("question_ref"))
    d.personal.push_back({body["question_ref"], json{{"text", r.body["question"]}}});
  d.events.push_back(make_event(c->office, event, body));
  d.reply = json{{"case", c->id}, {"number", c->number}};
  return d;
}

Decision ticket_action(const Request& r, const State& s, Millis now) {
  const Ticket* t = find_ticket(s, r.body);
  if (!t) return fail(ErrorCode::not_found, "unknown ticket", r.body.contains("token") ? "token" : "ticket");
  Decision d;
  if (r.type == "ticket.status") {
    d.reply = ticket_status(s, *t, now);
    return d;
  }
  if (r.type == "ticket.cancel") {
    if (is_terminal(t->state))
      return fail(ErrorCode::invalid_state, "ticket " + t->number + " is already " +
                                                std::string(to_string(t->state)), "ticket");
    json body{{"ticket", t->id}};
    if (std::string reason = r.body.value("reason", ""); !reason.empty()) {  // free text: sealed
      body["reason_ref"] = "cancel:" + t->id;
      d.personal.push_back({body["reason_ref"], json{{"text", reason}}});
    }
    d.events.push_back(make_event(t->office, "ticket.cancelled", body));
  } else if (r.type == "ticket.return") {
    if (t->state != TicketState::parked)
      return fail(ErrorCode::invalid_state, "ticket " + t->number + " is not parked", "ticket");
    d.events.push_back(make_event(t->office, "ticket.returned", json{{"ticket", t->id}}));
  } else if (r.type == "ticket.reactivate") {
    if (t->state != TicketState::no_show)
      return fail(ErrorCode::invalid_state, "ticket " + t->number + " is not a no-show", "ticket");
    d.events.push_back(make_event(t->office, "ticket.reactivated", json{{"ticket", t->id}}));
  }
  d.reply = json{{"ticket", t->id}, {"number", t->number}};
  return d;
}

Decision device_status(const Request& r, const State& s) {
  std::string device = r.body["device"];
  // Devices are named "<kiosk-id>/<part>", e.g. "goerlitz-kiosk-1/printer".
  std::string kiosk = device.substr(0, device.find('/'));
  const Office* office = nullptr;
  for (const auto& o : s.region().offices)
    for (const auto& k : o.kiosks)
      if (k.id == kiosk) office = &o;
  if (!office) return fail(ErrorCode::not_found, "unknown kiosk '" + kiosk + "'", "device");
  const auto& devices = s.devices();
  auto it = devices.find(device);
  Decision d;
  d.reply = json{{"device", device}};
  std::string state = r.body["state"];
  std::string detail = r.body.value("detail", "");
  if (it != devices.end() && it->second.state == state && it->second.detail == detail)
    return d;  // unchanged: nothing to journal
  d.events.push_back(make_event(office->id, "device.status",
                                json{{"device", device}, {"state", state}, {"detail", detail}}));
  return d;
}

}  // namespace

const std::vector<std::string>& identity_fields() {
  static const std::vector<std::string> fields{
      "document_type", "issuing_state", "document_number", "surname",  "given_names",
      "nationality",   "birth_date",    "sex",             "expiry"};
  return fields;
}

std::string format_number(const std::string& prefix, int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d", n);
  return prefix + buf;
}

json ticket_status(const State& s, const Ticket& t, Millis now) {
  json j{{"number", t.number},     {"state", to_string(t.state)}, {"office", t.office},
         {"language", t.language}, {"service", t.service()},      {"issued_at", t.issued_at}};
  if (const Office* o = s.region().find_office(t.office)) j["office_name"] = o->name;
  if (t.state == TicketState::waiting) {
    j["position"] = queue_position(s, t, now);
    auto est = estimate_ticket(s, t, now);
    j["estimate_ms"] = est ? json(*est) : json(nullptr);
  }
  if (!t.counter.empty()) {
    j["counter"] = t.counter;
    if (const Counter* c = s.region().find_counter(t.counter)) j["counter_name"] = c->name;
  }
  return j;
}

json status_summary(const State& s, const std::string& office_filter, Millis now) {
  json offices = json::array();
  for (const auto& o : s.region().offices) {
    if (!office_filter.empty() && o.id != office_filter) continue;
    int waiting = 0, open = 0, paused = 0, busy = 0;
    Millis longest = 0;
    std::map<std::string, std::pair<int, Millis>> per_service;
    s.for_each_active(o.id, [&](const Ticket& t) {
      if (t.state != TicketState::waiting) return;
      ++waiting;
      longest = std::max(longest, now - t.queued_since);
      auto& ps = per_service[t.service()];
      ++ps.first;
      ps.second = std::max(ps.second, now - t.queued_since);
    });
    int done = 0, no_show = 0, issued = 0;
    s.for_each_today(o.id, [&](const Ticket& t) {
      ++issued;
      if (t.state == TicketState::done || t.state == TicketState::forwarded) ++done;
      if (t.state == TicketState::no_show) ++no_show;
    });
    for (const CounterRuntime* c : s.counters_of(o.id)) {
      if (c->state == CounterState::open) ++open;
      if (c->state == CounterState::paused) ++paused;
      if (!c->ticket.empty()) ++busy;
    }
    json services = json::array();
    for (const auto& sv : s.region().services) {
      if (!s.region().office_offers(o.id, sv.id)) continue;
      auto est = estimate_new(s, o.id, sv.id, now);
      auto ps = per_service[sv.id];
      services.push_back(json{{"id", sv.id},
                              {"prefix", sv.prefix},
                              {"waiting", ps.first},
                              {"longest_wait_ms", ps.second},
                              {"estimate_ms", est ? json(*est) : json(nullptr)}});
    }
    offices.push_back(json{{"id", o.id},
                           {"name", o.name},
                           {"waiting", waiting},
                           {"longest_wait_ms", longest},
                           {"issued_today", issued},
                           {"done_today", done},
                           {"no_show_today", no_show},
                           {"counters_open", open},
                           {"counters_paused", paused},
                           {"counters_busy", busy},
                           {"services", services}});
  }
  return json{{"time", now}, {"seq", s.seq()}, {"offices", offices}};
}

Decision decide(const Request& r, const State& s, Millis now) {
  const std::string& type = r.type;
  try {
    if (type == "ticket.issue") {
      Decision d = issue(r, s, now);
      if (auto closed = d.error ? std::nullopt : check_issue_hours(r.body, s, now))
        return fail(closed->code, closed->message, closed->field);  // core/office_hours.hpp
      return d;
    }
    if (type == "appointment.import") return import_appointments(r, s);
    if (type == "appointment.checkin") return checkin(r, s, now);
    if (type == "counter.open" || type == "counter.close" || type == "counter.pause" ||
        type == "counter.resume")
      return counter_state(r, s, now);
    if (type.rfind("counter.", 0) == 0) return counter_action(r, s, now);
    if (type == "ticket.cancel" || type == "ticket.return" || type == "ticket.reactivate" ||
        type == "ticket.status")
      return ticket_action(r, s, now);
    if (type == "device.status") return device_status(r, s);
    if (type.rfind("case.", 0) == 0) return case_action(r, s);
    if (type == "status") {
      Decision d;
      d.reply = status_summary(s, r.body.value("office", ""), now);
      return d;
    }
    if (type == "snapshot") {
      std::string office = r.body.value("office", "");
      if (!office.empty() && !s.region().find_office(office))
        return fail(ErrorCode::not_found, "unknown office '" + office + "'", "office");
      Decision d;
      d.reply = s.snapshot(office);
      return d;
    }
  } catch (const std::exception& e) {
    return fail(ErrorCode::bad_field, std::string("bad request: ") + e.what());
  }
  return fail(ErrorCode::unknown_type, "no handler for '" + type + "'");
}

}  // namespace wm::core
