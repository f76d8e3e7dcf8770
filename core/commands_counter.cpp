// Request handlers for counter actions: open/close/pause/resume, call, serve, finish, transfer, park.
#include <algorithm>

#include "core/calling.hpp"
#include "core/clock.hpp"
#include "core/codec.hpp"
#include "core/handlers.hpp"
#include "core/recall_rules.hpp"
#include "core/routing.hpp"

namespace wm::core::handlers {
namespace {

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

Decision called(const State& s, const Ticket& t, const Counter& c, int recalls, Millis now) {
  Decision d;
  d.events.push_back(make_event(t.office, "ticket.called",
                                json{{"ticket", t.id}, {"counter", c.id}, {"recalls", recalls}}));
  json pt = public_ticket(t);
  pt["state"] = "called";
  pt["counter"] = c.id;
  pt["recalls"] = recalls;
  pt["called_at"] = now;
  d.reply = json{{"ticket", pt}, {"counter_name", c.name}};
  // When the counter may call this ticket again (core/recall_rules.hpp); 0 = at once.
  const Millis interval = recall_min_interval_ms(s.region(), t.service());
  d.reply["next_recall_at"] = interval > 0 ? now + interval : 0;
  return d;
}

// counter.changed to `target` (with the login and station of a new session in `body`).
Decision changed(const CounterCtx& ctx, CounterState target, json body = json::object()) {
  body["counter"] = ctx.config->id;
  body["state"] = to_string(target);
  Decision d;
  d.events.push_back(make_event(ctx.office->id, "counter.changed", body));
  d.reply = json{{"counter", ctx.config->id}, {"state", to_string(target)}};
  return d;
}

}  // namespace

Decision counter_open(const Request& r, const State& s, Millis) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  json body = json::object();
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
  return changed(ctx, CounterState::open, std::move(body));
}

Decision counter_close(const Request& r, const State& s, Millis) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  if (ctx.ticket)
    return fail(ErrorCode::invalid_state,
                "finish, transfer or park " + ctx.ticket->number + " before closing", "counter");
  return changed(ctx, CounterState::closed);
}

Decision counter_pause(const Request& r, const State& s, Millis) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  if (ctx.rt->state == CounterState::closed)
    return fail(ErrorCode::invalid_state, "counter is closed", "counter");
  return changed(ctx, CounterState::paused);
}

Decision counter_resume(const Request& r, const State& s, Millis) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  if (ctx.rt->state != CounterState::paused)
    return fail(ErrorCode::invalid_state, "counter is not paused", "counter");
  return changed(ctx, CounterState::open);
}

Decision counter_next(const Request& r, const State& s, Millis now) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  const Counter& c = *ctx.config;
  if (auto e = require_open_and_free(ctx)) return fail(e->code, e->message, e->field);
  const Ticket* t = choose_next(s, c, now);
  if (!t) return fail(ErrorCode::queue_empty, "nobody is waiting for " + c.name);
  return called(s, *t, c, 0, now);
}

Decision counter_call(const Request& r, const State& s, Millis now) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  const Counter& c = *ctx.config;
  const std::string& office = ctx.office->id;
  if (auto e = require_open_and_free(ctx)) return fail(e->code, e->message, e->field);
  const Ticket* t = find_ticket(s, r.body, office);
  if (!t || t->office != office)
    return fail(ErrorCode::not_found, "no ticket '" + r.body["ticket"].get<std::string>() +
                                          "' in " + ctx.office->name, "ticket");
  if (t->state != TicketState::waiting && t->state != TicketState::parked)
    return fail(ErrorCode::invalid_state,
                "ticket " + t->number + " is " + std::string(to_string(t->state)), "ticket");
  // Fair calling: where the office calls in order, a waiting ticket other than the next needs
  // a reason (core/calling.hpp); it goes into the event for the office's staff and the audit
  // log. A parked visitor coming back is no queue jump.
  const std::string reason = r.body.value("reason", "");
  const Ticket* next = nullptr;
  if (calls_in_order(ctx.office->calling) && t->state == TicketState::waiting) {
    next = choose_next(s, c, now);
    if (next == t) next = nullptr;
    if (next && reason.empty()) {
      std::string reasons;
      for (auto r : kCallReasons) reasons += (reasons.empty() ? "" : ", ") + std::string(r);
      return fail(ErrorCode::bad_field,
                  ctx.office->name + " calls in order: the next is " + next->number + "; calling " +
                      t->number + " instead needs a reason (" + reasons + ")",
                  "reason");
    }
  }
  Decision d = called(s, *t, c, 0, now);
  if (next) {
    d.events.back().body["reason"] = reason;
    d.events.back().body["next"] = next->number;
  }
  return d;
}

// An office head moves a clerk: the counter serves `services` (in that order) for the rest of
// the day; the configured profile again ends the change. Estimates and routing follow at once.
Decision counter_profile(const Request& r, const State& s, Millis) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  std::vector<std::string> profile;
  for (const auto& v : r.body["services"]) {
    const std::string sv = v.get<std::string>();
    if (!s.region().office_offers(ctx.office->id, sv))
      return fail(ErrorCode::bad_field, ctx.office->name + " does not offer '" + sv + "'", "services");
    if (std::find(profile.begin(), profile.end(), sv) != profile.end())
      return fail(ErrorCode::bad_field, "'" + sv + "' is listed twice", "services");
    profile.push_back(sv);
  }
  if (profile.empty()) return fail(ErrorCode::bad_field, "a counter serves at least one service", "services");
  const Counter* configured = s.region().find_counter(ctx.config->id);
  Decision d;
  d.events.push_back(make_event(ctx.office->id, "counter.profile_changed",
                                json{{"counter", ctx.config->id}, {"profile", profile}}));
  d.reply = json{{"counter", ctx.config->id}, {"profile", profile},
                 {"configured", configured && configured->profile == profile}};
  return d;
}

Decision counter_recall(const Request& r, const State& s, Millis now) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  const Counter& c = *ctx.config;
  const std::string& office = ctx.office->id;
  if (auto e = require_ticket(ctx, {TicketState::called})) return fail(e->code, e->message, e->field);
  // Too soon after the last call: refused, also when this recall would make it a no-show (a
  // double press must not send the visitor home).
  if (Millis at = next_recall_at(s.region(), *ctx.ticket); at > now) {
    const Millis wait_s = (at - now + 999) / 1000;
    return fail(ErrorCode::recall_too_early,
                ctx.ticket->number + " was called " + std::to_string((now - ctx.ticket->called_at) / 1000) +
                    " s ago; the next recall is possible in " + std::to_string(wait_s) + " s (at " +
                    local_hhmm(at) + ", next_recall_at " + std::to_string(at) + ")",
                "counter");
  }
  int recalls = ctx.ticket->recalls + 1;
  if (recalls > recall_limit(s.region(), ctx.ticket->service())) {
    Decision d;
    d.events.push_back(make_event(office, "ticket.no_show",
                                  json{{"ticket", ctx.ticket->id}, {"counter", c.id},
                                       {"reason", "recall limit"}}));
    d.reply = json{{"ticket", ctx.ticket->id}, {"number", ctx.ticket->number}, {"no_show", true}};
    return d;
  }
  Decision d = called(s, *ctx.ticket, c, recalls, now);
  d.reply["no_show"] = false;
  return d;
}

namespace {

// The ticket called to this counter moves on (`ticket.no_show`, `ticket.serving`): one event
// naming ticket and counter, answered with the ticket's id and number.
Decision called_ticket_moves(const Request& r, const State& s, const char* event_type) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  if (auto e = require_ticket(ctx, {TicketState::called})) return fail(e->code, e->message, e->field);
  Decision d;
  d.events.push_back(make_event(ctx.office->id, event_type,
                                json{{"ticket", ctx.ticket->id}, {"counter", ctx.config->id}}));
  d.reply = json{{"ticket", ctx.ticket->id}, {"number", ctx.ticket->number}};
  return d;
}

}  // namespace

Decision counter_no_show(const Request& r, const State& s, Millis) {
  return called_ticket_moves(r, s, "ticket.no_show");
}

Decision counter_start(const Request& r, const State& s, Millis) {
  return called_ticket_moves(r, s, "ticket.serving");
}

Decision counter_finish(const Request& r, const State& s, Millis now) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  const Counter& c = *ctx.config;
  const std::string& office = ctx.office->id;
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

Decision counter_transfer(const Request& r, const State& s, Millis) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  const Counter& c = *ctx.config;
  const std::string& office = ctx.office->id;
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

Decision counter_park(const Request& r, const State& s, Millis) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  const Counter& c = *ctx.config;
  const std::string& office = ctx.office->id;
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

Decision counter_panic(const Request& r, const State& s, Millis) {
  CounterCtx ctx;
  if (auto e = load_counter(s, r.body, ctx)) return fail(e->code, e->message, e->field);
  const Counter& c = *ctx.config;
  const std::string& office = ctx.office->id;
  // staff safety: always accepted, whatever the counter does
  Decision d;
  d.events.push_back(make_event(office, "alert.panic",
                                json{{"counter", c.id}, {"staff", ctx.rt->staff}}));
  d.reply = json{{"counter", c.id}, {"counter_name", c.name}};
  return d;
}

}  // namespace wm::core::handlers
