// Queue rules of an office day (issue 17): fair calling per office (item 3) and a counter moved
// to other services for the day by its office head (item 4), through the command logic.
#define BOOST_TEST_MODULE queue_rules
#include <boost/test/unit_test.hpp>

#include "core/estimate.hpp"
#include "tests/core/scenario.hpp"

using namespace wm::core;
using namespace wm::test;

namespace {

std::shared_ptr<const Region> calling(const std::string& how) {
  auto r = std::make_shared<Region>(*small_region());
  for (auto& o : r->offices) o.calling = how;
  return r;
}

const std::vector<std::string>& working_profile(const Scenario& s, const std::string& counter) {
  return s.state.working(*s.state.region().find_counter(counter)).profile;
}

}  // namespace

BOOST_AUTO_TEST_CASE(next_only_needs_a_reason_to_call_out_of_order) {
  Scenario s(calling("next_only"));
  s.open("o1-1");
  const std::string first = s.issue("o1", {"a"});
  s.advance(1);
  const std::string second = s.issue("o1", {"a"});
  // Without a reason: refused, and the message names the one that is next.
  Decision d = s.send("counter.call", json{{"counter", "o1-1"}, {"ticket", s.number(second)}});
  BOOST_REQUIRE(d.error);
  BOOST_TEST((d.error->code == ErrorCode::bad_field));
  BOOST_TEST(d.error->field == "reason");
  BOOST_TEST(d.error->message.find("the next is " + s.number(first)) != std::string::npos, d.error->message);
  BOOST_TEST(s.ticket_state(second) == TicketState::waiting);
  // With a reason: called; the event keeps why and who was next, for the office's staff only.
  s.ok("counter.call",
       json{{"counter", "o1-1"}, {"ticket", s.number(second)}, {"reason", "accessibility"}});
  const Event& called = s.journal.back();
  BOOST_TEST(called.type == "ticket.called");
  BOOST_TEST(called.body["reason"] == "accessibility");
  BOOST_TEST(called.body["next"] == s.number(first));
  const Event pub = public_event(called);
  BOOST_TEST(!pub.body.contains("reason"));
  BOOST_TEST(!pub.body.contains("next"));
  // The next one by number needs no reason.
  s.finish("o1-1");
  s.ok("counter.call", json{{"counter", "o1-1"}, {"ticket", s.number(first)}});
  BOOST_TEST(!s.journal.back().body.contains("reason"));
}

BOOST_AUTO_TEST_CASE(any_lets_a_counter_call_in_any_order) {
  Scenario s;  // calling = "any", the default
  s.open("o1-1");
  s.issue("o1", {"a"});
  s.advance(1);
  const std::string second = s.issue("o1", {"a"});
  s.ok("counter.call", json{{"counter", "o1-1"}, {"ticket", s.number(second)}});
  BOOST_TEST(!s.journal.back().body.contains("reason"));
  BOOST_TEST(s.ticket_state(second) == TicketState::called);
}

BOOST_AUTO_TEST_CASE(a_counter_moved_for_the_day_serves_its_new_services) {
  Scenario s;
  s.open("o1-3");  // configured: [c]
  const std::string a = s.issue("o1", {"a"});
  BOOST_TEST(!estimate_new(s.state, "o1", "a", s.now).has_value());  // nobody open serves a
  BOOST_TEST(s.send("counter.next", json{{"counter", "o1-3"}}).error.has_value());
  Decision moved = s.ok("counter.profile", json{{"counter", "o1-3"}, {"services", {"a", "c"}}});
  BOOST_TEST(moved.reply["configured"] == false);
  BOOST_TEST(working_profile(s, "o1-3") == (std::vector<std::string>{"a", "c"}));
  BOOST_TEST(estimate_new(s.state, "o1", "a", s.now).has_value());  // estimates follow
  BOOST_TEST(s.next("o1-3") == a);                                     // and routing
  // What an office does not offer, a service twice, or nothing at all: refused.
  BOOST_TEST((s.fails("counter.profile", json{{"counter", "o2-1"}, {"services", {"c"}}}) == ErrorCode::bad_field));
  BOOST_TEST((s.fails("counter.profile", json{{"counter", "o1-3"}, {"services", {"a", "a"}}}) == ErrorCode::bad_field));
  // An empty list never reaches the handler: the declared table refuses it.
  json empty{{"v", 1}, {"id", "e"}, {"type", "counter.profile"},
             {"body", {{"counter", "o1-3"}, {"services", json::array()}}}};
  BOOST_TEST(std::holds_alternative<ProtocolError>(decode_request(empty.dump())));
  // A checkpoint keeps the day's profile.
  State copy(s.state.region_ptr());
  copy.load_snapshot(s.state.checkpoint());
  BOOST_TEST(copy.working(*copy.region().find_counter("o1-3")).profile == (std::vector<std::string>{"a", "c"}));
  // The next day the counter works as configured again.
  s.set("08:00", kNextDay);
  s.issue("o1", {"c"});
  BOOST_TEST(working_profile(s, "o1-3") == (std::vector<std::string>{"c"}));
  // Setting the configured profile ends a change the same day.
  s.ok("counter.profile", json{{"counter", "o1-1"}, {"services", {"b"}}});
  BOOST_TEST(working_profile(s, "o1-1") == (std::vector<std::string>{"b"}));
  Decision back = s.ok("counter.profile", json{{"counter", "o1-1"}, {"services", {"a", "b"}}});
  BOOST_TEST(back.reply["configured"] == true);
  BOOST_TEST(working_profile(s, "o1-1") == (std::vector<std::string>{"a", "b"}));
}
