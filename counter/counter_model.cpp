// Counter model: builds the view from the Station replica, sends intents as requests.
#include "counter/counter_model.hpp"

#include <algorithm>
#include <cctype>

#include "core/calling.hpp"
#include "core/clock.hpp"
#include "core/estimate.hpp"
#include "core/recall_rules.hpp"
#include "core/routing.hpp"

namespace wm::counter {

namespace {
std::string service_name(const core::Region& r, const std::string& id) {
  const core::Service* s = r.find_service(id);
  return s ? core::localized(s->name, "de") : id;
}
std::string counter_name(const core::Region& r, const std::string& id) {
  const core::Counter* c = r.find_counter(id);
  return c ? c->name : id;
}
// Staff see people by name, not by login ("Heike Zimmermann", not "hzimmermann").
std::string staff_name(const core::Region& r, const std::string& login) {
  const core::Staff* s = login.empty() ? nullptr : r.find_staff(login);
  return s && !s->name.empty() ? s->name : login;
}
}  // namespace

Action primary_action(const CounterView& v) {
  if (!v.visitor) return v.counter_state == "paused" ? Action::resume : Action::next;
  return v.visitor->state == "called" ? Action::start : Action::finish_next;
}

CounterModel::CounterModel(core::Station& station, std::string counter_id, bool backoffice)
    : station_(station), counter_(std::move(counter_id)), backoffice_(backoffice) {
  counter_choice = counter_;
  outcome = "erledigt";
}

void CounterModel::send(const std::string& type, json body,
                        std::function<void(const core::Reply&)> then) {
  ++pending_;
  station_.submit(type, body, [this, then = std::move(then)](const core::Reply& r) {
    std::lock_guard lock(mu_);
    replies_.push_back([this, then, r] {
      --pending_;
      then(r);
    });
  });
}

bool CounterModel::poll() {
  std::deque<std::function<void()>> ready;
  {
    std::lock_guard lock(mu_);
    ready.swap(replies_);
  }
  for (auto& fn : ready) fn();
  // The visitor's ID data is read once per visitor, by this counter only, and forgotten when
  // the visitor leaves the counter.
  if (mode_ == Mode::counter) {
    auto s = station_.state();
    const core::CounterRuntime* rt = s->counter(counter_);
    std::string current = rt ? rt->ticket : std::string{};
    if (current != identity_ticket_) {
      identity_ticket_ = current;
      identity_.reset();
      const core::Ticket* t = current.empty() ? nullptr : s->ticket(current);
      if (t && (t->has_identity || identity_hint_ == current) && station_.online()) {
        send("identity.read", json{{"counter", counter_}}, [this, current](const core::Reply& r) {
          if (r.ok && identity_ticket_ == current && r.body.value("ticket", "") == current &&
              !r.body["identity"].is_null())
            identity_ = r.body["identity"];
        });
      }
    }
  }
  return !ready.empty();
}

namespace {

// "10:42:30": a recall interval is seconds, minutes would mislead.
std::string hhmmss(core::Millis t) {
  return core::local_hhmm(t) + ":" + std::to_string(t / 1000 % 60 / 10) + std::to_string(t / 1000 % 10);
}

std::string recall_time_text(const std::string& broker_message) {
  const std::string tag = "next_recall_at ";
  auto at = broker_message.find(tag);
  if (at == std::string::npos) return {};
  core::Millis ms = 0;
  for (std::size_t i = at + tag.size(); i < broker_message.size() && std::isdigit(static_cast<unsigned char>(broker_message[i])); ++i)
    ms = ms * 10 + (broker_message[i] - '0');
  return ms ? hhmmss(ms) : std::string{};
}

std::string next_recall_text(const core::Region& region, const core::Ticket& t, core::Millis now) {
  if (t.state != core::TicketState::called) return {};
  const core::Millis at = core::next_recall_at(region, t);
  return at > now ? hhmmss(at) : std::string{};
}

}  // namespace

void CounterModel::say(const std::string& key, const std::string& arg, bool error) {
  message_ = translate_ ? translate_(key, arg) : key + (arg.empty() ? "" : " " + arg);
  message_error_ = error;
}

void CounterModel::fail(const core::Reply& r) {
  if (r.error == core::ErrorCode::unavailable)
    say("counter.msg.offline", {}, true);
  else if (r.error == core::ErrorCode::queue_empty)
    say("counter.msg.queue_empty", {}, false);
  else if (r.error == core::ErrorCode::recall_too_early)  // "... next_recall_at <ms>)"
    say("counter.msg.recall_too_early", recall_time_text(r.message), true);
  else
    say("counter.msg.refused", r.message, true);
}

void CounterModel::counter_request(const std::string& type, json extra, const std::string& ok_key,
                                   std::function<void(const core::Reply&)> then) {
  if (!station_.online()) {  // refuse clearly instead of queueing blind actions
    say("counter.msg.offline", {}, true);
    return;
  }
  json body{{"counter", counter_}};
  if (extra.is_object()) body.update(extra);
  send(type, body, [this, ok_key, then = std::move(then)](const core::Reply& r) {
    counter_reply(r, ok_key);
    if (then) then(r);
  });
}

void CounterModel::counter_reply(const core::Reply& r, const std::string& ok_key) {
  if (!r.ok) return fail(r);
  std::string number = r.body.contains("number") ? r.body["number"].get<std::string>()
                       : r.body.contains("ticket") && r.body["ticket"].is_object()
                           ? r.body["ticket"].value("number", "")
                           : std::string{};
  if (r.body.value("no_show", false)) return say("counter.msg.no_show", number);
  // Whether the visitor gave ID data is for the serving counter only, so the public event
  // stream does not say it (issue 14); the reply to this counter's call does.
  if (r.body.contains("ticket") && r.body["ticket"].is_object() &&
      r.body["ticket"].value("has_identity", false)) {
    identity_hint_ = r.body["ticket"].value("id", "");
    if (!identity_) identity_ticket_.clear();  // look again on the next poll
  }
  if (r.body.contains("case")) {
    auto s = station_.state();
    const core::Case* c = s->find_case(r.body["case"]);
    last_case_ = c ? c->number : number;
    last_unit_ = r.body.value("unit", "");
    return say("counter.msg.forwarded", last_unit_);
  }
  say(ok_key, number);
}

json CounterModel::finish_body() {
  json body{{"outcome", outcome.empty() ? "erledigt" : outcome}};
  if (!notes.empty()) body["notes"] = notes;
  notes.clear();
  outcome = "erledigt";
  return body;
}

void CounterModel::apply(const Intent& in) {
  switch (in.action) {
    case Action::none: return;
    case Action::login: {
      if (login_name.empty() || login_secret.empty()) return say("counter.msg.login_missing", {}, true);
      if (!station_.online()) return say("counter.msg.offline", {}, true);
      json body{{"login", login_name}, {"secret", login_secret}};
      login_secret.clear();
      bool bo = backoffice_;
      if (!bo) {
        if (counter_choice.empty()) return say("counter.msg.choose_counter", {}, true);
        body["counter"] = counter_choice;
      }
      std::string chosen = counter_choice;
      send("staff.login", body, [this, bo, chosen](const core::Reply& r) {
        if (!r.ok) {
          // A login no account can have (uppercase, a space, "x,ou=..."; refused before any
          // check, issue 15) is a mistyped login for the person at the counter.
          if ((r.error == core::ErrorCode::forbidden && r.message == "login or PIN wrong") ||
              (r.error == core::ErrorCode::bad_field && r.message.starts_with("not a login")))
            return say("counter.msg.login_wrong", {}, true);
          if (r.error == core::ErrorCode::locked) {  // "... locked for N min": show N
            auto digits = r.message.find_first_of("0123456789");
            std::string minutes = digits == std::string::npos ? "15" : r.message.substr(digits);
            return say("counter.msg.login_locked", minutes.substr(0, minutes.find(' ')), true);
          }
          return fail(r);
        }
        staff_ = r.body["staff"].value("login", "");
        staff_name_ = r.body["staff"].value("name", staff_);
        if (!bo) counter_ = chosen;
        mode_ = bo ? Mode::backoffice : Mode::counter;
        say("counter.msg.welcome", staff_name_);
      });
      return;
    }
    case Action::logout:
      if (mode_ == Mode::counter) {
        if (!station_.online()) return say("counter.msg.offline", {}, true);
        send("counter.close", json{{"counter", counter_}}, [this](const core::Reply& r) {
          if (!r.ok) return fail(r);
          mode_ = Mode::login;
          staff_.clear();
          say("counter.msg.logged_out");
        });
      } else {
        mode_ = Mode::login;
        staff_.clear();
        case_identity_.reset();
        selected_case_.clear();
        say("counter.msg.logged_out");
      }
      return;
    case Action::next: return counter_request("counter.next", {}, "counter.msg.called");
    case Action::recall: return counter_request("counter.recall", {}, "counter.msg.recalled");
    case Action::no_show: return counter_request("counter.no_show", {}, "counter.msg.no_show");
    case Action::start: return counter_request("counter.start", {}, "counter.msg.serving");
    case Action::call: {
      std::string n = in.arg.empty() ? call_number : in.arg;
      if (n.empty()) return say("counter.msg.number_missing", {}, true);
      for (auto& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      call_number.clear();
      reason_needed_.reset();
      // Where the office calls in order, another waiting ticket than the next needs a reason
      // (the broker refuses it without one): ask here first, from the replica.
      auto s = station_.state();
      const core::Office* office = s->region().office_of_counter(counter_);
      const core::Counter* cfg = s->region().find_counter(counter_);
      if (office && cfg && core::calls_in_order(office->calling)) {
        const core::Ticket* asked = s->ticket_by_number(office->id, n);
        const core::Ticket* next = core::choose_next(*s, s->working(*cfg), station_.broker_now());
        if (asked && asked->state == core::TicketState::waiting && next && next != asked) {
          reason_needed_.emplace(n, next->number);
          return;
        }
      }
      return counter_request("counter.call", json{{"ticket", n}}, "counter.msg.called");
    }
    case Action::call_with_reason:
      reason_needed_.reset();
      return counter_request("counter.call", json{{"ticket", in.arg}, {"reason", in.arg2}},
                             "counter.msg.called");
    case Action::cancel_call:
      reason_needed_.reset();
      return;
    case Action::transfer: {
      std::string target = in.arg.empty() ? transfer_target : in.arg;
      std::string kind = in.arg2.empty() ? transfer_kind : in.arg2;
      if (target.empty()) return say("counter.msg.transfer_missing", {}, true);
      return counter_request("counter.transfer",
                             json{{kind == "counter" ? "to_counter" : "service", target}},
                             "counter.msg.transferred");
    }
    case Action::park: {
      std::string reason = in.arg.empty() ? park_reason : in.arg;
      if (reason.empty()) return say("counter.msg.reason_missing", {}, true);
      park_reason.clear();
      return counter_request("counter.park", json{{"reason", reason}}, "counter.msg.parked");
    }
    case Action::finish:
    case Action::forward: {
      json body = finish_body();
      if (in.action == Action::forward) body["forward"] = true;
      return counter_request("counter.finish", body, "counter.msg.finished");
    }
    case Action::finish_next:
      // Two requests, in order, from this one station: the broker decides the next visitor
      // only once the finish is journaled, exactly as after F7 then F1.
      return counter_request("counter.finish", finish_body(), "counter.msg.finished",
                             [this](const core::Reply& r) {
        if (!r.ok) return;
        const std::string done = message_;
        // A second concern this counter serves: the visitor stays here, nobody new is called.
        if (r.body.value("stays", false))
          return say("counter.msg.second_concern", r.body.value("number", ""));
        counter_request("counter.next", {}, "counter.msg.called", [this, done](const core::Reply& n) {
          (void)n;  // whatever the call answered, the finish before it happened: say both
          message_ = done + " · " + message_;
        });
      });
    case Action::pause: return counter_request("counter.pause", {}, "counter.msg.paused");
    case Action::resume: return counter_request("counter.resume", {}, "counter.msg.resumed");
    case Action::panic: return counter_request("counter.panic", {}, "counter.msg.panic_sent");
    case Action::read_identity: identity_ticket_.clear(); return;  // re-read on next poll
    case Action::filter_unit: unit_filter_ = in.arg; return;
    case Action::select_case:
      selected_case_ = in.arg;
      case_identity_.reset();
      case_delivered_ = false;
      // The broker decides whether this clerk may see the data (claimed by them); the replica
      // may not have the claim yet when this follows a claim reply.
      if (station_.online()) {
        std::string id = in.arg;
        send("identity.read", json{{"case", id}, {"staff", staff_}}, [this, id](const core::Reply& r) {
          if (!r.ok || selected_case_ != id) return;
          case_delivered_ = r.body.value("delivered", false);
          if (!r.body["identity"].is_null()) case_identity_ = r.body["identity"];
        });
      }
      return;
    case Action::claim_case:
    case Action::finish_case:
    case Action::return_case: {
      if (!station_.online()) return say("counter.msg.offline", {}, true);
      std::string id = in.arg.empty() ? selected_case_ : in.arg;
      if (id.empty()) return say("counter.msg.case_missing", {}, true);
      json body{{"case", id}, {"staff", staff_}};
      std::string type = "case.claim", ok = "counter.msg.case_claimed";
      if (in.action == Action::finish_case) {
        type = "case.finish";
        ok = "counter.msg.case_done";
      } else if (in.action == Action::return_case) {
        if (question.empty()) return say("counter.msg.question_missing", {}, true);
        body["question"] = question;
        type = "case.return";
        ok = "counter.msg.case_returned";
      }
      send(type, body, [this, ok, id, claim = in.action == Action::claim_case](const core::Reply& r) {
        if (!r.ok) return fail(r);
        say(ok, r.body.value("number", ""));
        if (claim) apply(Intent{Action::select_case, id});
        if (ok == "counter.msg.case_returned") question.clear();
      });
      return;
    }
  }
}

CounterView CounterModel::view() const {
  CounterView v;
  v.mode = mode_;
  v.online = station_.online();
  v.busy = pending_ > 0;
  v.message = message_;
  v.message_error = message_error_;
  v.staff_login = staff_;
  v.staff_name = staff_name_;
  v.now = station_.broker_now();
  auto s = station_.state();
  const core::Region& region = s->region();
  for (const auto& o : region.offices)
    for (const auto& c : o.counters) v.counters.emplace_back(c.id, c.name + " · " + o.name);
  v.counter_id = mode_ == Mode::login ? counter_choice : counter_;
  if (const core::Counter* c = region.find_counter(v.counter_id)) v.counter_name = c->name;
  if (const core::Office* o = region.office_of_counter(v.counter_id)) v.office_name = o->name;
  if (mode_ == Mode::counter) fill_counter(v, *s, v.now);
  v.reason_needed = reason_needed_;
  if (mode_ == Mode::backoffice) fill_backoffice(v, *s, v.now);
  return v;
}

void CounterModel::fill_counter(CounterView& v, const core::State& s, Millis now) const {
  const core::Region& region = s.region();
  const core::Counter* cfg = region.find_counter(counter_);
  const core::Office* office = region.office_of_counter(counter_);
  const core::CounterRuntime* rt = s.counter(counter_);
  if (!cfg || !office || !rt) return;
  v.counter_state = std::string(core::to_string(rt->state));
  // The lights by the dashboard's rule over today's figures of this office.
  const core::DayStats day = core::compute_day_stats(s, core::local_day(now), now, office->id);
  const core::OfficeStats* today = day.office(office->id);
  for (const auto& sv : s.working(*cfg).profile) {  // as an office head set it for today
    QueueSummary q{sv, service_name(region, sv)};
    q.estimate_ms = core::estimate_new(s, office->id, sv, now);
    if (today)
      for (const auto& st : today->services)
        if (st.service == sv) q.light = st.light;
    v.queue_light = std::max(v.queue_light, q.light);
    v.queue.push_back(q);
  }
  for (const core::Ticket* t : core::queue_for(s, *cfg, now)) {
    WaitingRow w{t->id, t->number, service_name(region, t->service()), "waiting",
                 now - t->queued_since};
    w.appointment = t->priority == core::Priority::appointment;
    w.priority = t->priority == core::Priority::priority_needs;
    w.to_me = t->target_counter == counter_;
    v.waiting.push_back(w);
    for (auto& q : v.queue)
      if (q.service == t->service()) {
        ++q.waiting;
        q.longest_ms = std::max(q.longest_ms, now - t->queued_since);
      }
  }
  std::vector<const core::Ticket*> parked;
  for (const core::Ticket* t : s.active_tickets(office->id))
    if (t->state == core::TicketState::parked) parked.push_back(t);
  std::sort(parked.begin(), parked.end(),
            [](auto* a, auto* b) { return a->queued_since < b->queued_since; });
  for (const core::Ticket* t : parked) {
    WaitingRow w{t->id, t->number, service_name(region, t->service()), "parked",
                 now - t->queued_since};
    w.park_reason = t->park_reason;
    v.parked.push_back(w);
  }
  if (!rt->ticket.empty())
    if (const core::Ticket* t = s.ticket(rt->ticket)) {
      Visitor vis;
      vis.ticket = t->id;
      vis.number = t->number;
      vis.state = std::string(core::to_string(t->state));
      for (std::size_t i = t->current; i < t->services.size(); ++i)
        vis.services.push_back(service_name(region, t->services[i]));
      vis.waited_ms = (t->first_called_at ? t->first_called_at : now) - t->issued_at;
      vis.served_ms = t->serving_since ? now - t->serving_since : 0;
      vis.language = t->language;
      if (t->appointment_slot) vis.appointment = core::local_hhmm(t->appointment_slot);
      vis.recalls = t->recalls;
      vis.recall_limit = core::recall_limit(region, t->service());
      vis.next_recall = next_recall_text(region, *t, now);
      vis.has_identity = t->has_identity || identity_hint_ == t->id;
      vis.forwardable = t->current < t->services.size() && region.forwardable(t->service());
      if (identity_ticket_ == t->id) vis.identity = identity_;
      v.visitor = vis;
    }
  for (const auto& sv : region.services)
    if (region.office_offers(office->id, sv.id))
      v.transfer_services.emplace_back(sv.id, core::localized(sv.name, "de"));
  for (const auto& c : office->counters)
    if (c.id != counter_) v.transfer_counters.emplace_back(c.id, c.name);
  v.last_case_number = last_case_;
  v.last_case_unit = last_unit_;
  for (const auto& [id, c] : s.cases())
    if (c.counter == counter_ && c.state != core::CaseState::done) {
      CaseRow row{c.id, c.number, office->name, service_name(region, c.service), c.unit,
                  cfg->name, c.outcome, c.notes, std::string(core::to_string(c.state)),
                  c.claimed_by, c.question, staff_name(region, c.claimed_by),
                  now - c.created_at};
      v.my_cases.push_back(row);
    }
}

void CounterModel::fill_backoffice(CounterView& v, const core::State& s, Millis now) const {
  const core::Region& region = s.region();
  v.unit_filter = unit_filter_;
  std::vector<const core::Case*> list;
  for (const auto& [id, c] : s.cases()) {
    if (std::find(v.units.begin(), v.units.end(), c.unit) == v.units.end()) v.units.push_back(c.unit);
    if (!unit_filter_.empty() && c.unit != unit_filter_) continue;
    list.push_back(&c);
  }
  std::sort(v.units.begin(), v.units.end());
  // Open work first (received, returned, claimed), oldest first; done at the end.
  auto rank = [](core::CaseState st) {
    return st == core::CaseState::done ? 3 : st == core::CaseState::claimed ? 1 : 0;
  };
  std::sort(list.begin(), list.end(), [&](auto* a, auto* b) {
    if (rank(a->state) != rank(b->state)) return rank(a->state) < rank(b->state);
    return a->created_at < b->created_at;
  });
  for (const core::Case* c : list) {
    const core::Office* o = region.find_office(c->office);
    CaseRow row{c->id, c->number, o ? o->name : c->office, service_name(region, c->service),
                c->unit, counter_name(region, c->counter), c->outcome, c->notes,
                std::string(core::to_string(c->state)), c->claimed_by, c->question,
                staff_name(region, c->claimed_by), now - c->created_at};
    if (c->id == selected_case_) v.selected_case = row;
    v.cases.push_back(row);
  }
  v.case_identity = case_identity_;
  v.case_delivered = case_delivered_;
}

}  // namespace wm::counter
