// The counter station's screen logic: login, the own queue, the current visitor, back-office
// cases. Plain C++ over a core::Station; views draw from view() and hand intents to apply().
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/client/station.hpp"
#include "core/stats.hpp"

namespace wm::counter {

using core::json;
using core::Millis;

enum class Mode { login, counter, backoffice };

// Everything a user can ask for; the views return these, apply() turns them into requests.
enum class Action {
  none, login, logout, next, recall, no_show, start, call, transfer, park, finish, forward,
  finish_next,  // finish the served visitor and call the next one: one key for the common case
  call_with_reason,  // fair calling: arg the number, arg2 the reason (core/calling.hpp)
  cancel_call,       // not calling out of order after all
  pause, resume, panic, read_identity,
  // back office
  select_case, claim_case, finish_case, return_case, filter_unit,
};

struct Intent {
  Action action = Action::none;
  std::string arg;   // ticket number, service, counter, reason, case id, unit, question
  std::string arg2;  // transfer: "service" or "counter"
};

struct QueueSummary {  // one row per service of the profile
  std::string service, name;
  int waiting = 0;
  Millis longest_ms = 0;
  std::optional<Millis> estimate_ms;
  // The dashboard's light for this service (core::light_for over today's figures), so the
  // counter and the office head see the same colour, shape and word.
  core::Light light = core::Light::green;
};

struct WaitingRow {
  std::string ticket, number, service_name, state;  // state: waiting | parked
  Millis waited_ms = 0;
  bool appointment = false, priority = false, to_me = false;
  std::string park_reason;
};

struct Visitor {
  std::string ticket, number, state;  // called | serving
  std::vector<std::string> services;  // names, current one first
  Millis waited_ms = 0, served_ms = 0;
  std::string language, appointment;  // appointment "HH:MM" or ""
  int recalls = 0, recall_limit = 2;
  // "HH:MM:SS" before which the broker refuses a recall (recall_min_interval_s), "" = now.
  std::string next_recall;
  bool has_identity = false;
  bool forwardable = false;  // the current service has a back-office unit
  std::optional<json> identity;  // read from the broker (audited) once per visitor
};

struct CaseRow {
  std::string id, number, office_name, service_name, unit, counter_name, outcome, notes;
  std::string state, claimed_by, question;
  std::string claimed_by_name;  // the person's name from the staff list (the login if unknown)
  Millis age_ms = 0;
};

struct CounterView {
  Mode mode = Mode::login;
  bool online = false;
  bool busy = false;      // a request is on its way
  std::string message;    // last result or error, already translated where possible
  bool message_error = false;
  std::string staff_login, staff_name, counter_id, counter_name, office_name, counter_state;
  std::vector<std::pair<std::string, std::string>> counters;  // login screen: id, name
  std::vector<QueueSummary> queue;
  core::Light queue_light = core::Light::green;  // the worst light of the profile's services
  std::vector<WaitingRow> waiting;   // in the order this counter would call them
  std::vector<WaitingRow> parked;
  std::optional<Visitor> visitor;
  // Fair calling (an office with calling = "next_only"): a call of another waiting ticket than
  // the next waits for a reason; the number asked for and the one that is next.
  std::optional<std::pair<std::string, std::string>> reason_needed;
  std::vector<std::pair<std::string, std::string>> transfer_services;  // id, name
  std::vector<std::pair<std::string, std::string>> transfer_counters;
  std::string last_case_number, last_case_unit;  // after a forward
  std::vector<CaseRow> my_cases;   // forwarded from this counter, with their status
  // back office
  std::vector<std::string> units;
  std::string unit_filter;
  std::vector<CaseRow> cases;
  std::optional<CaseRow> selected_case;
  std::optional<json> case_identity;
  bool case_delivered = false;
  Millis now = 0;
};

// The step the visitor's state asks for, drawn as the one primary button of the counter:
// call the next visitor (none at the counter), "Kunde da" (called), finish and call the next
// (serving); "Weiter" while paused. Never "Abschließen" before the visitor has arrived.
Action primary_action(const CounterView& v);

class CounterModel {
 public:
  CounterModel(core::Station& station, std::string counter_id, bool backoffice);

  // Requests go out on the station's thread; replies come back through poll() on the UI thread.
  void apply(const Intent& in);
  // Login form contents (kept here so a redraw keeps them; the secret is wiped after use).
  std::string login_name, login_secret, counter_choice, notes, park_reason, question, outcome;
  std::string call_number, transfer_target, transfer_kind = "service";

  // Applies replies that arrived; returns true if something changed.
  bool poll();
  CounterView view() const;
  Mode mode() const { return mode_; }
  bool backoffice() const { return backoffice_; }
  bool busy() const { return pending_ > 0; }
  const std::string& staff() const { return staff_; }
  const std::string& counter_id() const { return counter_; }

  // A message key + args for the status line; the view translates keys starting "counter.".
  using Translate = std::function<std::string(const std::string& key, const std::string& arg)>;
  void set_translate(Translate t) { translate_ = std::move(t); }

 private:
  void send(const std::string& type, json body, std::function<void(const core::Reply&)> then);
  void say(const std::string& key, const std::string& arg = {}, bool error = false);
  void fail(const core::Reply& r);
  // `then` runs after the reply was applied (finish_next chains the call of the next visitor).
  void counter_request(const std::string& type, json extra, const std::string& ok_key,
                       std::function<void(const core::Reply&)> then = {});
  void counter_reply(const core::Reply& r, const std::string& ok_key);
  json finish_body();
  void fill_counter(CounterView& v, const core::State& s, Millis now) const;
  void fill_backoffice(CounterView& v, const core::State& s, Millis now) const;

  core::Station& station_;
  Mode mode_ = Mode::login;
  std::string counter_;
  bool backoffice_ = false;
  std::string staff_, staff_name_;
  std::string message_;
  bool message_error_ = false;
  int pending_ = 0;
  std::string identity_ticket_;  // visitor whose identity was read (or asked for)
  std::optional<std::pair<std::string, std::string>> reason_needed_;  // number, the next's
  std::optional<json> identity_;
  std::string identity_hint_;  // the ticket this counter called that has ID data (from the reply)
  std::string last_case_, last_unit_;
  std::string unit_filter_, selected_case_;
  std::optional<json> case_identity_;
  bool case_delivered_ = false;
  Translate translate_;
  std::mutex mu_;
  std::deque<std::function<void()>> replies_;  // run on the UI thread in poll()
};

}  // namespace wm::counter
