// Request dispatch through the declared table, the handlers' shared helpers, and the read side
// (status, ticket status, snapshot). The handlers live in commands_{tickets,counter,cases}.cpp.
#include "core/commands.hpp"

#include <cstdio>

#include "core/codec.hpp"
#include "core/estimate.hpp"
#include "core/handlers.hpp"

namespace wm::core {
namespace handlers {

Decision fail(ErrorCode code, std::string message, std::string field) {
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

std::optional<CommandError> load_counter(const State& s, const json& body, CounterCtx& ctx) {
  const std::string& id = body.at("counter").get_ref<const std::string&>();
  ctx.config = s.region().find_counter(id);
  if (ctx.config) ctx.config = &s.working(*ctx.config);  // with today's profile
  ctx.rt = s.counter(id);
  ctx.office = s.region().office_of_counter(id);
  if (!ctx.config || !ctx.rt || !ctx.office)
    return CommandError{ErrorCode::not_found, "unknown counter '" + id + "'", "counter"};
  if (!ctx.rt->ticket.empty()) ctx.ticket = s.ticket(ctx.rt->ticket);
  return std::nullopt;
}

const Ticket* find_ticket(const State& s, const json& body, const std::string& office) {
  if (body.contains("ticket")) {
    const std::string& ref = body["ticket"].get_ref<const std::string&>();
    if (const Ticket* t = s.ticket(ref)) return t;
    if (!office.empty()) return s.ticket_by_number(office, ref);
    return nullptr;
  }
  if (body.contains("token")) return s.ticket_by_token(body["token"].get<std::string>());
  return nullptr;
}

Decision status(const Request& r, const State& s, Millis now) {
  Decision d;
  d.reply = status_summary(s, r.body.value("office", ""), now);
  return d;
}

Decision snapshot(const Request& r, const State& s, Millis) {
  std::string office = r.body.value("office", "");
  if (!office.empty() && !s.region().find_office(office))
    return fail(ErrorCode::not_found, "unknown office '" + office + "'", "office");
  Decision d;
  d.reply = s.snapshot(office);
  return d;
}

}  // namespace handlers

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
    // No open counter serves the service: the position is the real place among that service's
    // waiting tickets, and there is no estimate (null above) rather than a guess.
    j["no_counter_open"] = no_counter_open(s, t.office, t.service());
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
    std::string oldest_day;  // issue day of the oldest waiting ticket: after a day close, today
    std::map<std::string, std::pair<int, Millis>> per_service;
    s.for_each_active(o.id, [&](const Ticket& t) {
      if (t.state != TicketState::waiting) return;
      ++waiting;
      if (oldest_day.empty() || t.day < oldest_day) oldest_day = t.day;
      longest = std::max(longest, now - t.queued_since);
      auto& ps = per_service[t.service()];
      ++ps.first;
      ps.second = std::max(ps.second, now - t.queued_since);
    });
    int done = 0, no_show = 0, issued = 0, closed = 0;
    s.for_each_today(o.id, [&](const Ticket& t) {
      ++issued;
      if (t.state == TicketState::closed) ++closed;
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
                              {"estimate_ms", est ? json(*est) : json(nullptr)},
                              {"no_counter_open", !est.has_value()}});
    }
    offices.push_back(json{{"id", o.id},
                           {"name", o.name},
                           {"waiting", waiting},
                           {"longest_wait_ms", longest},
                           {"issued_today", issued},
                           {"done_today", done},
                           {"no_show_today", no_show},
                           {"closed_today", closed},
                           {"oldest_waiting_day", oldest_day.empty() ? json(nullptr) : json(oldest_day)},
                           {"day_closed", s.closed_day(o.id)},
                           {"counters_open", open},
                           {"counters_paused", paused},
                           {"counters_busy", busy},
                           {"services", services}});
  }
  return json{{"time", now}, {"seq", s.seq()}, {"offices", offices}};
}

Decision decide(const Request& r, const State& s, Millis now) {
  // The row's handler; rows the server answers itself (MessageSpec::server) have none here.
  const MessageSpec* row = find_message(r.type);
  if (!row || !row->decide) return handlers::fail(ErrorCode::unknown_type, "no handler for '" + r.type + "'");
  try {
    return row->decide(r, s, now);
  } catch (const std::exception& e) {
    return handlers::fail(ErrorCode::bad_field, std::string("bad request: ") + e.what());
  }
}

}  // namespace wm::core
