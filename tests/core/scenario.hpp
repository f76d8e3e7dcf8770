// Test scenarios for the core: a small county built in code (or the demo county), a State, and
// requests driven through it exactly like the broker does (decode_request -> decide -> assign
// seq/oseq/time -> State::apply), with a controlled clock.
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/clock.hpp"
#include "core/commands.hpp"
#include "core/config.hpp"
#include "core/protocol.hpp"
#include "core/routing.hpp"
#include "core/visibility.hpp"
#include "core/state.hpp"
#include "tests/support/temp_dir.hpp"

namespace wm::test {

using core::json;
using core::Millis;

inline constexpr Millis kMinute = 60'000;
inline const std::string kDay = "2026-11-23";   // a Monday
inline const std::string kNextDay = "2026-11-24";

// Local time of `hhmm` on `day` in Europe/Berlin.
inline Millis at(const std::string& hhmm, const std::string& day = kDay) {
  core::use_time_zone("Europe/Berlin");
  auto t = core::local_time_of(day, hhmm);
  BOOST_REQUIRE_MESSAGE(t, "bad test time " << day << " " << hhmm);
  return *t;
}

// A small county: services a/b (everywhere), c (only o1); office o1 with four counters, o2
// with one. Policy: recall_limit 2, escalation at 150 % of the target, appointments due 5
// minutes before their slot.
//   o1-1 [a, b]   o1-2 [b, a]   o1-3 [c]   o1-4 [a]      o2-1 [a, b]
inline std::shared_ptr<const core::Region> small_region() {
  auto r = std::make_shared<core::Region>();
  r->id = "test";
  r->name = "Testkreis";
  r->languages = {"de", "en"};
  auto service = [](std::string id, std::string prefix, int minutes, int target,
                    std::string unit, std::vector<std::string> offices = {}) {
    core::Service s;
    s.id = std::move(id);
    s.prefix = std::move(prefix);
    s.name = {{"de", s.id}};
    s.expected_minutes = minutes;
    s.wait_target_minutes = target;
    s.backoffice_unit = std::move(unit);
    s.offices = std::move(offices);
    return s;
  };
  r->services = {service("a", "A", 10, 20, "Zulassungsstelle"), service("b", "B", 10, 20, ""),
                 service("c", "C", 10, 30, "Wohngeldstelle", {"o1"})};
  auto counter = [](std::string id, std::string name, std::vector<std::string> profile) {
    core::Counter c;
    c.id = std::move(id);
    c.name = std::move(name);
    c.profile = std::move(profile);
    return c;
  };
  core::Office o1;
  o1.id = "o1";
  o1.name = "Büro Eins";
  o1.counters = {counter("o1-1", "Schalter 1", {"a", "b"}), counter("o1-2", "Schalter 2", {"b", "a"}),
                 counter("o1-3", "Schalter 3", {"c"}), counter("o1-4", "Schalter 4", {"a"})};
  o1.kiosks = {core::Kiosk{"o1-kiosk"}};
  core::Office o2;
  o2.id = "o2";
  o2.name = "Büro Zwei";
  o2.counters = {counter("o2-1", "Schalter 1", {"a", "b"})};
  // Open around the clock: these scenarios are about queues, not hours (test_office_hours).
  for (core::Office* o : {&o1, &o2})
    for (int day = 1; day <= 7; ++day) o->hours.push_back({day, 0, 24 * 60});
  r->offices = {o1, o2};
  core::Staff anna;
  anna.login = "anna";
  anna.name = "Anna";
  anna.roles = {core::Role::counter};
  anna.offices = {"o1"};
  r->staff = {anna};
  r->policy = core::Policy{};
  r->policy.recall_limit = 2;
  r->policy.max_wait_factor_percent = 150;
  r->policy.appointment_grace_minutes = 5;
  return r;
}

// The demo county from deploy/config (loaded once per test process).
inline std::shared_ptr<const core::Region> demo_region() {
  static std::shared_ptr<const core::Region> region = std::make_shared<core::Region>(
      core::load_config(source_path("deploy/config/county.toml")));
  return region;
}

// Events as the broker publishes them on its PUB socket (the broker's own rule).
inline core::Event public_event(core::Event e) {
  core::project_event(e, core::Viewer::screen());
  return e;
}

// Tickets are dumped from a hash map: order them by id so two equal states compare equal.
inline json normalized(json snap) {
  if (snap.contains("tickets")) {
    auto& t = snap["tickets"];
    std::sort(t.begin(), t.end(),
              [](const json& x, const json& y) { return x.at("id") < y.at("id"); });
  }
  return snap;
}

// Whether `key` occurs as an object key anywhere in `j`.
inline bool has_key_anywhere(const json& j, const std::string& key) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items())
      if (k == key || has_key_anywhere(v, key)) return true;
  } else if (j.is_array()) {
    for (const auto& v : j)
      if (has_key_anywhere(v, key)) return true;
  }
  return false;
}

// A random element (the random-traffic tests seed std::rand themselves).
template <class V>
const typename V::value_type& pick(const V& v) {
  return v[static_cast<std::size_t>(std::rand()) % v.size()];
}

class Scenario {
 public:
  explicit Scenario(std::shared_ptr<const core::Region> region = small_region(),
                    Millis start = at("08:00"))
      : state(std::move(region)), now(start) {}

  core::State state;
  Millis now;
  std::vector<core::Event> journal;  // every applied event, in order
  std::map<std::string, json> personal;  // what the broker would seal, by key (last wins)

  void set(const std::string& hhmm, const std::string& day = kDay) { now = at(hhmm, day); }
  void advance(int minutes) { now += minutes * kMinute; }

  // One request through the validator and the command logic; its events are applied.
  core::Decision send(const std::string& type, json body = json::object()) {
    json frame{{"v", 1}, {"id", "req-" + std::to_string(++requests_)}, {"type", type},
               {"body", std::move(body)}};
    auto decoded = core::decode_request(frame.dump());
    if (auto* err = std::get_if<core::ProtocolError>(&decoded))
      BOOST_FAIL("test request rejected by the protocol: " << err->message);
    const auto& req = std::get<core::Request>(decoded);
    core::Decision d = core::decide(req, state, now);
    if (d.error) return d;
    for (auto& e : d.events) {
      e.seq = state.seq() + 1;
      e.oseq = e.office.empty() ? 0 : state.office_seq(e.office) + 1;
      e.time = now;
      state.apply(e);
      journal.push_back(e);
    }
    for (const auto& p : d.personal) personal[p.key] = p.data;
    return d;
  }

  // A request that must succeed.
  core::Decision ok(const std::string& type, json body = json::object()) {
    core::Decision d = send(type, body);
    BOOST_REQUIRE_MESSAGE(!d.error, type << " " << body.dump() << " failed: "
                                         << (d.error ? d.error->message : std::string{}));
    return d;
  }

  // A request that must fail; returns its error code. Nothing may be applied.
  core::ErrorCode fails(const std::string& type, json body = json::object()) {
    auto before = state.seq();
    core::Decision d = send(type, body);
    BOOST_REQUIRE_MESSAGE(d.error, type << " " << body.dump() << " unexpectedly succeeded");
    BOOST_CHECK(d.events.empty());
    BOOST_CHECK_EQUAL(state.seq(), before);
    return d.error->code;
  }

  // Issues a ticket; returns its id.
  std::string issue(const std::string& office, std::vector<std::string> services,
                    json extra = json::object()) {
    json body{{"office", office}, {"services", services}};
    for (const auto& [k, v] : extra.items()) body[k] = v;
    core::Decision d = ok("ticket.issue", body);
    return d.reply.at("ticket").at("id").get<std::string>();
  }

  void open(const std::string& counter) { ok("counter.open", json{{"counter", counter}}); }

  // counter.next; returns the called ticket's id.
  std::string next(const std::string& counter) {
    core::Decision d = ok("counter.next", json{{"counter", counter}});
    return d.reply.at("ticket").at("id").get<std::string>();
  }

  void start(const std::string& counter) { ok("counter.start", json{{"counter", counter}}); }
  core::Decision finish(const std::string& counter, json extra = json::object()) {
    json body{{"counter", counter}};
    for (const auto& [k, v] : extra.items()) body[k] = v;
    return ok("counter.finish", body);
  }

  // For the random-traffic tests: the first parked ticket of an office (id order), or "".
  std::string first_parked(const std::string& office) const {
    std::string parked;
    state.for_each_active(office, [&](const core::Ticket& t) {
      if (t.state == core::TicketState::parked && parked.empty()) parked = t.id;
    });
    return parked;
  }
  // Sends the visitor at `counter` on, by std::rand: to `service` or to counter `to`.
  void transfer_either(const std::string& counter, const std::string& service, const std::string& to) {
    if (std::rand() % 2)
      send("counter.transfer", json{{"counter", counter}, {"service", service}});
    else
      send("counter.transfer", json{{"counter", counter}, {"to_counter", to}});
  }

  const core::Ticket& ticket(const std::string& id) const {
    const core::Ticket* t = state.ticket(id);
    BOOST_REQUIRE_MESSAGE(t, "no ticket " << id);
    return *t;
  }
  std::string number(const std::string& id) const { return ticket(id).number; }
  core::TicketState ticket_state(const std::string& id) const { return ticket(id).state; }

  // Numbers of the tickets a counter would call now, in order.
  std::vector<std::string> queue(const std::string& counter) const {
    const core::Counter* c = state.region().find_counter(counter);
    BOOST_REQUIRE(c);
    std::vector<std::string> out;
    for (const core::Ticket* t : core::queue_for(state, *c, now)) out.push_back(t->number);
    return out;
  }

  // A fresh state built by replaying the journal (what the broker does at start).
  core::State replay() const {
    core::State fresh(state.region_ptr());
    for (const auto& e : journal) fresh.apply(e);
    return fresh;
  }

 private:
  int requests_ = 0;
};

}  // namespace wm::test

namespace boost::test_tools::tt_detail {
// Let BOOST_CHECK_EQUAL print the core enums.
template <>
struct print_log_value<wm::core::TicketState> {
  void operator()(std::ostream& os, wm::core::TicketState s) { os << wm::core::to_string(s); }
};
template <>
struct print_log_value<wm::core::ErrorCode> {
  void operator()(std::ostream& os, wm::core::ErrorCode c) { os << wm::core::to_string(c); }
};
template <>
struct print_log_value<wm::core::CounterState> {
  void operator()(std::ostream& os, wm::core::CounterState s) { os << wm::core::to_string(s); }
};
}  // namespace boost::test_tools::tt_detail
