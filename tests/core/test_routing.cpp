// Routing rules, each in a small scenario driven like the broker drives the core: profiles,
// classes, appointments, escalation, transfer, park, recall/no-show, call-specific, and the
// counter's own life (open/pause/busy, finish with a second concern, forward).
#define BOOST_TEST_MODULE routing
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

#include "core/routing.hpp"
#include "tests/core/scenario.hpp"

using namespace wm::core;
using namespace wm::test;

using Queue = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(order)

BOOST_AUTO_TEST_CASE(profile_order_beats_age) {
  Scenario s;
  s.open("o1-1");  // [a, b]
  s.open("o1-2");  // [b, a]
  std::string b1 = s.issue("o1", {"b"});
  s.advance(3);
  std::string a1 = s.issue("o1", {"a"});
  s.advance(1);
  BOOST_CHECK(s.queue("o1-1") == (Queue{"A001", "B001"}));
  BOOST_CHECK(s.queue("o1-2") == (Queue{"B001", "A001"}));
  BOOST_CHECK_EQUAL(s.next("o1-1"), a1);  // A before the older B
  BOOST_CHECK_EQUAL(s.next("o1-2"), b1);
}

BOOST_AUTO_TEST_CASE(longest_wait_within_a_service) {
  Scenario s;
  s.open("o1-4");  // [a]
  std::string first = s.issue("o1", {"a"});
  s.advance(2);
  std::string second = s.issue("o1", {"a"});
  s.advance(2);
  std::string third = s.issue("o1", {"a"});
  s.advance(1);
  BOOST_CHECK(s.queue("o1-4") == (Queue{"A001", "A002", "A003"}));
  BOOST_CHECK_EQUAL(s.next("o1-4"), first);
  s.finish("o1-4");
  BOOST_CHECK_EQUAL(s.next("o1-4"), second);
  s.finish("o1-4");
  BOOST_CHECK_EQUAL(s.next("o1-4"), third);
}

BOOST_AUTO_TEST_CASE(counter_only_calls_its_profile) {
  Scenario s;
  s.open("o1-3");  // [c]
  s.issue("o1", {"a"});
  s.issue("o2", {"a"});  // another office
  BOOST_CHECK(s.queue("o1-3").empty());
  BOOST_CHECK(s.fails("counter.next", json{{"counter", "o1-3"}}) == ErrorCode::queue_empty);
  std::string c = s.issue("o1", {"c"});
  BOOST_CHECK_EQUAL(s.next("o1-3"), c);
  // o2-1 sees only o2's ticket, numbered independently.
  s.open("o2-1");
  BOOST_CHECK(s.queue("o2-1") == (Queue{"A001"}));
}

BOOST_AUTO_TEST_CASE(priority_needs_before_normal) {
  Scenario s;
  s.open("o1-1");
  std::string old_a = s.issue("o1", {"a"});
  s.advance(5);
  std::string needs_b = s.issue("o1", {"b"}, json{{"priority", "priority_needs"}});
  BOOST_CHECK(s.ticket(needs_b).priority == Priority::priority_needs);
  s.advance(1);
  // Class comes before profile order and before age.
  BOOST_CHECK(s.queue("o1-1") == (Queue{"B001", "A001"}));
  BOOST_CHECK_EQUAL(s.next("o1-1"), needs_b);
  s.finish("o1-1");
  BOOST_CHECK_EQUAL(s.next("o1-1"), old_a);
}

BOOST_AUTO_TEST_CASE(appointment_due_first_and_normal_before_its_slot) {
  Scenario s;
  s.set("07:30");
  s.ok("appointment.import",
       json{{"appointments",
             {{{"code", "T-0900"}, {"office", "o1"}, {"service", "a"}, {"slot", "2026-11-23T09:00"}},
              {{"code", "T-0845"}, {"office", "o1"}, {"service", "a"}, {"slot", "2026-11-23T08:45"}}}}});
  s.open("o1-1");
  s.set("08:20");
  std::string normal = s.issue("o1", {"a"});
  s.set("08:30");
  auto d = s.ok("appointment.checkin", json{{"office", "o1"}, {"code", "T-0900"}});
  std::string appt = d.reply["ticket"]["id"];
  BOOST_CHECK(s.ticket(appt).priority == Priority::appointment);
  BOOST_CHECK_EQUAL(s.ticket(appt).appointment_slot, at("09:00"));
  BOOST_CHECK_EQUAL(d.reply["slot"], "09:00");
  s.set("08:35");
  std::string needs = s.issue("o1", {"a"}, json{{"priority", "priority_needs"}});

  // 08:54: the 09:00 appointment is not due yet (grace 5 min): it is a normal ticket, queued
  // at check-in, so it waits behind priority needs and behind the older walk-in.
  s.set("08:54");
  BOOST_CHECK_EQUAL(class_rank(s.ticket(appt), s.now, s.state.region().policy), 2);
  BOOST_CHECK(s.queue("o1-1") == (Queue{s.number(needs), s.number(normal), s.number(appt)}));
  // 08:55: due, and ahead of priority needs.
  s.set("08:55");
  BOOST_CHECK_EQUAL(class_rank(s.ticket(appt), s.now, s.state.region().policy), 0);
  BOOST_CHECK(s.queue("o1-1") == (Queue{s.number(appt), s.number(needs), s.number(normal)}));

  // A second appointment with an earlier slot, checked in later, comes first among due ones.
  s.set("08:56");
  std::string early =
      s.ok("appointment.checkin", json{{"office", "o1"}, {"code", "T-0845"}}).reply["ticket"]["id"];
  BOOST_CHECK(s.queue("o1-1").front() == s.number(early));
  BOOST_CHECK_EQUAL(s.next("o1-1"), early);
  s.finish("o1-1");
  BOOST_CHECK_EQUAL(s.next("o1-1"), appt);
  s.finish("o1-1");
  BOOST_CHECK_EQUAL(s.next("o1-1"), needs);
}

BOOST_AUTO_TEST_CASE(max_wait_escalation_overrides_profile_order) {
  // b: target 20 min × 150 % = escalated after 30 minutes of waiting.
  Scenario s;
  s.open("o1-1");  // [a, b]
  s.set("08:00");
  std::string b = s.issue("o1", {"b"});
  s.set("08:25");
  std::string a = s.issue("o1", {"a"});
  s.set("08:30");  // exactly 30 minutes: not yet beyond the limit
  BOOST_CHECK(!escalated(s.ticket(b), s.now, s.state.region()));
  BOOST_CHECK(s.queue("o1-1") == (Queue{"A001", "B001"}));
  s.now += 1;  // one millisecond later
  BOOST_CHECK(escalated(s.ticket(b), s.now, s.state.region()));
  BOOST_CHECK(!escalated(s.ticket(a), s.now, s.state.region()));
  BOOST_CHECK(s.queue("o1-1") == (Queue{"B001", "A001"}));
  BOOST_CHECK_EQUAL(s.next("o1-1"), b);
  s.finish("o1-1");
  BOOST_CHECK_EQUAL(s.next("o1-1"), a);
}

BOOST_AUTO_TEST_CASE(escalation_stays_within_its_class) {
  Scenario s;
  s.open("o1-1");
  std::string old_a = s.issue("o1", {"a"});
  s.set("09:00");  // a waited an hour: escalated
  std::string needs = s.issue("o1", {"b"}, json{{"priority", "priority_needs"}});
  BOOST_CHECK(escalated(s.ticket(old_a), s.now, s.state.region()));
  BOOST_CHECK_EQUAL(s.next("o1-1"), needs);
  s.finish("o1-1");
  BOOST_CHECK_EQUAL(s.next("o1-1"), old_a);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(transfer_and_park)

BOOST_AUTO_TEST_CASE(transfer_to_service_keeps_place) {
  Scenario s;
  s.open("o1-4");  // [a]
  s.open("o1-2");  // [b, a]
  std::string t = s.issue("o1", {"a"});  // 08:00
  s.advance(5);
  std::string b1 = s.issue("o1", {"b"});
  s.advance(5);
  std::string b2 = s.issue("o1", {"b"});
  s.advance(1);
  BOOST_CHECK_EQUAL(s.next("o1-4"), t);
  s.start("o1-4");
  s.advance(2);
  s.ok("counter.transfer", json{{"counter", "o1-4"}, {"service", "b"}});
  const Ticket& tt = s.ticket(t);
  BOOST_CHECK_EQUAL(tt.state, TicketState::waiting);
  BOOST_CHECK_EQUAL(tt.service(), "b");
  BOOST_CHECK_EQUAL(tt.number, "A001");  // the number stays
  BOOST_CHECK_EQUAL(tt.queued_since, at("08:00"));
  BOOST_CHECK(tt.counter.empty());
  BOOST_CHECK(s.state.counter("o1-4")->ticket.empty());
  // The counter that served it is free; it does not serve b, so nothing for it.
  BOOST_CHECK(s.queue("o1-4").empty());
  BOOST_CHECK(s.queue("o1-2") == (Queue{"A001", "B001", "B002"}));
  BOOST_CHECK_EQUAL(s.next("o1-2"), t);
  s.finish("o1-2");
  BOOST_CHECK_EQUAL(s.next("o1-2"), b1);
  (void)b2;
}

BOOST_AUTO_TEST_CASE(transfer_to_counter_only_that_counter_and_first) {
  Scenario s;
  for (auto c : {"o1-1", "o1-2", "o1-3", "o1-4"}) s.open(c);
  std::string c_old = s.issue("o1", {"c"});
  s.advance(1);
  std::string t = s.issue("o1", {"a"});
  s.advance(1);
  std::string a2 = s.issue("o1", {"a"});
  s.advance(1);
  BOOST_CHECK_EQUAL(s.next("o1-4"), t);
  // Invalid targets are refused.
  BOOST_CHECK(s.fails("counter.transfer", json{{"counter", "o1-4"}, {"to_counter", "o2-1"}}) ==
              ErrorCode::not_found);
  BOOST_CHECK(s.fails("counter.transfer", json{{"counter", "o1-4"}, {"to_counter", "o1-4"}}) ==
              ErrorCode::bad_field);
  BOOST_CHECK(s.fails("counter.transfer", json{{"counter", "o1-4"}}) == ErrorCode::bad_field);
  // o1-3 serves only c, but a transfer to it by name wins over its profile and its older c.
  s.ok("counter.transfer", json{{"counter", "o1-4"}, {"to_counter", "o1-3"}});
  BOOST_CHECK_EQUAL(s.ticket(t).target_counter, "o1-3");
  BOOST_CHECK_EQUAL(s.ticket(t).queued_since, at("08:01"));
  for (auto c : {"o1-1", "o1-2", "o1-4"}) {
    auto q = s.queue(c);
    BOOST_CHECK_MESSAGE(std::find(q.begin(), q.end(), "A001") == q.end(), c << " must not see A001");
  }
  BOOST_CHECK(s.queue("o1-3") == (Queue{"A001", "C001"}));
  BOOST_CHECK_EQUAL(s.next("o1-1"), a2);  // the others skip it
  BOOST_CHECK_EQUAL(s.next("o1-3"), t);
  BOOST_CHECK(s.ticket(t).target_counter.empty());  // the call consumed the target
  s.finish("o1-3");
  BOOST_CHECK_EQUAL(s.next("o1-3"), c_old);
}

BOOST_AUTO_TEST_CASE(parked_ticket_waits_outside_and_returns_to_its_place) {
  Scenario s;
  s.open("o1-4");
  std::string t1 = s.issue("o1", {"a"});
  s.advance(1);
  std::string t2 = s.issue("o1", {"a"});
  s.advance(1);
  std::string t3 = s.issue("o1", {"a"});
  s.advance(1);
  BOOST_CHECK_EQUAL(s.next("o1-4"), t1);
  s.start("o1-4");
  s.ok("counter.park", json{{"counter", "o1-4"}, {"reason", "Kennzeichen holen"}});
  BOOST_CHECK_EQUAL(s.ticket_state(t1), TicketState::parked);
  // The reason is free text: sealed in the personal store, the ticket keeps its key.
  BOOST_CHECK(s.ticket(t1).park_reason.empty());
  BOOST_CHECK_EQUAL(s.ticket(t1).park_ref, "park:" + t1);
  BOOST_REQUIRE(s.personal.count("park:" + t1));
  BOOST_CHECK_EQUAL(s.personal["park:" + t1].value("text", ""), "Kennzeichen holen");
  BOOST_CHECK(s.state.counter("o1-4")->ticket.empty());
  BOOST_CHECK(s.queue("o1-4") == (Queue{"A002", "A003"}));
  BOOST_CHECK_EQUAL(s.next("o1-4"), t2);
  s.finish("o1-4");
  // Only a parked ticket can return; it comes back by its status-page token.
  BOOST_CHECK(s.fails("ticket.return", json{{"ticket", t3}}) == ErrorCode::invalid_state);
  s.advance(20);
  std::string token = s.state.ticket(t1)->token;
  s.ok("ticket.return", json{{"token", token}});
  BOOST_CHECK_EQUAL(s.ticket_state(t1), TicketState::waiting);
  BOOST_CHECK_EQUAL(s.ticket(t1).queued_since, at("08:00"));
  BOOST_CHECK(s.queue("o1-4") == (Queue{"A001", "A003"}));
  BOOST_CHECK_EQUAL(s.next("o1-4"), t1);
}

BOOST_AUTO_TEST_CASE(parked_ticket_can_be_called_by_number) {
  Scenario s;
  s.open("o1-4");
  std::string t1 = s.issue("o1", {"a"});
  s.next("o1-4");
  s.ok("counter.park", json{{"counter", "o1-4"}, {"reason", "Foto"}});
  s.ok("counter.call", json{{"counter", "o1-4"}, {"ticket", "A001"}});
  BOOST_CHECK_EQUAL(s.ticket_state(t1), TicketState::called);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(calling)

BOOST_AUTO_TEST_CASE(recall_limit_then_no_show_then_reactivate) {
  Scenario s;
  s.open("o1-4");
  std::string t = s.issue("o1", {"a"});
  std::string other = s.issue("o1", {"a"});
  s.advance(1);
  BOOST_CHECK_EQUAL(s.next("o1-4"), t);
  for (int i = 1; i <= 2; ++i) {
    s.advance(1);
    auto d = s.ok("counter.recall", json{{"counter", "o1-4"}});
    BOOST_CHECK_EQUAL(d.reply["no_show"], false);
    BOOST_CHECK_EQUAL(s.ticket(t).recalls, i);
    BOOST_CHECK_EQUAL(s.ticket_state(t), TicketState::called);
    BOOST_CHECK_EQUAL(s.state.recent_calls("o1").front().recalls, i);
  }
  s.advance(1);
  auto d = s.ok("counter.recall", json{{"counter", "o1-4"}});  // the third: over the limit
  BOOST_CHECK_EQUAL(d.reply["no_show"], true);
  BOOST_CHECK_EQUAL(s.ticket_state(t), TicketState::no_show);
  BOOST_CHECK(s.state.counter("o1-4")->ticket.empty());
  BOOST_CHECK(s.fails("counter.recall", json{{"counter", "o1-4"}}) == ErrorCode::invalid_state);
  // The counter moves on.
  BOOST_CHECK_EQUAL(s.next("o1-4"), other);
  s.finish("o1-4");
  BOOST_CHECK(s.fails("counter.next", json{{"counter", "o1-4"}}) == ErrorCode::queue_empty);
  // Reactivated: waiting again, recalls reset, callable.
  BOOST_CHECK(s.fails("ticket.reactivate", json{{"ticket", other}}) == ErrorCode::invalid_state);
  s.ok("ticket.reactivate", json{{"ticket", t}});
  BOOST_CHECK_EQUAL(s.ticket_state(t), TicketState::waiting);
  BOOST_CHECK_EQUAL(s.ticket(t).recalls, 0);
  BOOST_CHECK_EQUAL(s.ticket(t).finished_at, 0);
  BOOST_CHECK_EQUAL(s.next("o1-4"), t);
}

// Issue 17 item 2: recall rules per service, a minimum interval beside the count.
BOOST_AUTO_TEST_CASE(recall_interval_and_limit_per_service) {
  auto region = std::make_shared<Region>(*small_region());
  region->policy.recall_min_interval_s = 90;  // the county's rule ...
  region->services[0].recall_limit = 1;       // ... "a" allows one recall only,
  region->services[1].recall_min_interval_s = 0;  // "b" recalls at once
  Scenario s(region);
  s.open("o1-4");  // [a]
  s.open("o1-2");  // [b, a]
  std::string ta = s.issue("o1", {"a"});
  std::string tb = s.issue("o1", {"b"});
  auto called = s.ok("counter.next", json{{"counter", "o1-4"}});
  BOOST_CHECK_EQUAL(called.reply["ticket"]["id"], ta);
  BOOST_CHECK_EQUAL(called.reply["next_recall_at"], s.now + 90'000);
  // Too early: refused, nothing happens, and the error names the time.
  s.now += 89'000;
  BOOST_CHECK(s.fails("counter.recall", json{{"counter", "o1-4"}}) == ErrorCode::recall_too_early);
  auto early = s.send("counter.recall", json{{"counter", "o1-4"}});
  BOOST_CHECK(early.error->message.find("next_recall_at " + std::to_string(s.now + 1000)) !=
              std::string::npos);
  BOOST_CHECK_EQUAL(early.error->field, "counter");
  BOOST_CHECK_EQUAL(s.ticket(ta).recalls, 0);
  s.now += 1000;
  auto d = s.ok("counter.recall", json{{"counter", "o1-4"}});
  BOOST_CHECK_EQUAL(d.reply["no_show"], false);
  BOOST_CHECK_EQUAL(d.reply["next_recall_at"], s.now + 90'000);
  BOOST_CHECK_EQUAL(s.ticket(ta).recalls, 1);
  // The interval runs from the last recall; the one after the service's limit is a no-show,
  // and a too-early press of it is refused all the same.
  s.now += 30'000;
  BOOST_CHECK(s.fails("counter.recall", json{{"counter", "o1-4"}}) == ErrorCode::recall_too_early);
  s.now += 60'000;
  BOOST_CHECK_EQUAL(s.ok("counter.recall", json{{"counter", "o1-4"}}).reply["no_show"], true);
  BOOST_CHECK_EQUAL(s.ticket_state(ta), TicketState::no_show);
  // "b" has no interval: an immediate recall is fine; its limit is the policy's 2.
  auto cb = s.ok("counter.next", json{{"counter", "o1-2"}});
  BOOST_CHECK_EQUAL(cb.reply["ticket"]["id"], tb);
  BOOST_CHECK_EQUAL(cb.reply["next_recall_at"], 0);
  for (int i = 0; i < 2; ++i)
    BOOST_CHECK_EQUAL(s.ok("counter.recall", json{{"counter", "o1-2"}}).reply["no_show"], false);
  BOOST_CHECK_EQUAL(s.ok("counter.recall", json{{"counter", "o1-2"}}).reply["no_show"], true);
}

BOOST_AUTO_TEST_CASE(no_show_by_hand) {
  Scenario s;
  s.open("o1-4");
  std::string t = s.issue("o1", {"a"});
  BOOST_CHECK(s.fails("counter.no_show", json{{"counter", "o1-4"}}) == ErrorCode::invalid_state);
  s.next("o1-4");
  s.ok("counter.no_show", json{{"counter", "o1-4"}});
  BOOST_CHECK_EQUAL(s.ticket_state(t), TicketState::no_show);
  BOOST_CHECK(s.state.active_tickets("o1").empty());
}

BOOST_AUTO_TEST_CASE(call_specific_ticket_by_number_or_id) {
  Scenario s;
  s.open("o1-3");  // [c]: calling by number ignores the profile
  s.issue("o1", {"a"});
  std::string a2 = s.issue("o1", {"a"});
  std::string a3 = s.issue("o1", {"a"});
  auto d = s.ok("counter.call", json{{"counter", "o1-3"}, {"ticket", "A002"}});
  BOOST_CHECK_EQUAL(d.reply["ticket"]["id"], a2);
  BOOST_CHECK_EQUAL(d.reply["counter_name"], "Schalter 3");
  BOOST_CHECK(!d.reply["ticket"].contains("token"));
  BOOST_CHECK_EQUAL(s.ticket_state(a2), TicketState::called);
  BOOST_CHECK_EQUAL(s.ticket(a2).counter, "o1-3");
  s.finish("o1-3");
  s.ok("counter.call", json{{"counter", "o1-3"}, {"ticket", a3}});
  BOOST_CHECK_EQUAL(s.ticket_state(a3), TicketState::called);
  s.finish("o1-3");
  // Unknown, finished, or another office's tickets cannot be called.
  BOOST_CHECK(s.fails("counter.call", json{{"counter", "o1-3"}, {"ticket", "A099"}}) ==
              ErrorCode::not_found);
  BOOST_CHECK(s.fails("counter.call", json{{"counter", "o1-3"}, {"ticket", "A002"}}) ==
              ErrorCode::invalid_state);
  std::string other_office = s.issue("o2", {"a"});
  BOOST_CHECK(s.fails("counter.call", json{{"counter", "o1-3"}, {"ticket", other_office}}) ==
              ErrorCode::not_found);
}

BOOST_AUTO_TEST_CASE(two_counters_never_get_the_same_ticket) {
  Scenario s;
  s.open("o1-1");
  s.open("o1-4");
  std::string t1 = s.issue("o1", {"a"});
  std::string t2 = s.issue("o1", {"a"});
  // Both ask in the same millisecond: the broker decides one after the other.
  std::string first = s.next("o1-1");
  std::string second = s.next("o1-4");
  BOOST_CHECK_EQUAL(first, t1);
  BOOST_CHECK_EQUAL(second, t2);
  BOOST_CHECK_EQUAL(s.ticket(t1).counter, "o1-1");
  BOOST_CHECK_EQUAL(s.ticket(t2).counter, "o1-4");
  // And a third counter finds nothing; calling a called ticket by number is refused too.
  s.open("o1-2");
  BOOST_CHECK(s.fails("counter.next", json{{"counter", "o1-2"}}) == ErrorCode::queue_empty);
  BOOST_CHECK(s.fails("counter.call", json{{"counter", "o1-2"}, {"ticket", "A001"}}) ==
              ErrorCode::invalid_state);
}

BOOST_AUTO_TEST_CASE(many_counters_many_tickets_each_called_once) {
  Scenario s;
  for (auto c : {"o1-1", "o1-2", "o1-4"}) s.open(c);
  std::set<std::string> issued, called;
  for (int i = 0; i < 30; ++i) {
    issued.insert(s.issue("o1", {i % 3 ? "a" : "b"}));
    s.now += 1000;
  }
  for (int round = 0; round < 15; ++round)
    for (auto c : {"o1-1", "o1-2", "o1-4"}) {
      auto d = s.send("counter.next", json{{"counter", c}});
      if (d.error) continue;
      BOOST_CHECK_MESSAGE(called.insert(d.reply["ticket"]["id"].get<std::string>()).second, "ticket called twice");
      s.finish(c);
      s.now += 1000;
    }
  BOOST_CHECK(called == issued);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(counter_life)

BOOST_AUTO_TEST_CASE(closed_or_paused_counter_refuses_next) {
  Scenario s;
  s.issue("o1", {"a"});
  BOOST_CHECK(s.fails("counter.next", json{{"counter", "o1-1"}}) == ErrorCode::invalid_state);
  BOOST_CHECK(s.fails("counter.pause", json{{"counter", "o1-1"}}) == ErrorCode::invalid_state);
  BOOST_CHECK(s.fails("counter.resume", json{{"counter", "o1-1"}}) == ErrorCode::invalid_state);
  s.ok("counter.open", json{{"counter", "o1-1"}, {"staff", "anna"}});
  BOOST_CHECK_EQUAL(s.state.counter("o1-1")->staff, "anna");
  s.ok("counter.pause", json{{"counter", "o1-1"}});
  BOOST_CHECK_EQUAL(s.state.counter("o1-1")->state, CounterState::paused);
  BOOST_CHECK(s.fails("counter.next", json{{"counter", "o1-1"}}) == ErrorCode::invalid_state);
  BOOST_CHECK(s.fails("counter.call", json{{"counter", "o1-1"}, {"ticket", "A001"}}) ==
              ErrorCode::invalid_state);
  s.ok("counter.resume", json{{"counter", "o1-1"}});
  s.next("o1-1");
  BOOST_CHECK(s.fails("counter.close", json{{"counter", "o1-1"}}) == ErrorCode::invalid_state);
  s.finish("o1-1");
  s.ok("counter.close", json{{"counter", "o1-1"}});
  BOOST_CHECK_EQUAL(s.state.counter("o1-1")->state, CounterState::closed);
  BOOST_CHECK(s.state.counter("o1-1")->staff.empty());
  // Unknown counter; staff of another office.
  BOOST_CHECK(s.fails("counter.next", json{{"counter", "o9-1"}}) == ErrorCode::not_found);
  BOOST_CHECK(s.fails("counter.open", json{{"counter", "o2-1"}, {"staff", "anna"}}) ==
              ErrorCode::forbidden);
  BOOST_CHECK(s.fails("counter.open", json{{"counter", "o1-1"}, {"staff", "nobody"}}) ==
              ErrorCode::not_found);
}

BOOST_AUTO_TEST_CASE(busy_counter_refuses_next) {
  Scenario s;
  s.open("o1-4");
  std::string t1 = s.issue("o1", {"a"});
  s.issue("o1", {"a"});
  s.next("o1-4");
  BOOST_CHECK(s.fails("counter.next", json{{"counter", "o1-4"}}) == ErrorCode::invalid_state);
  s.start("o1-4");
  BOOST_CHECK(s.fails("counter.next", json{{"counter", "o1-4"}}) == ErrorCode::invalid_state);
  BOOST_CHECK(s.fails("counter.call", json{{"counter", "o1-4"}, {"ticket", "A002"}}) ==
              ErrorCode::invalid_state);
  BOOST_CHECK(s.fails("counter.start", json{{"counter", "o1-4"}}) == ErrorCode::invalid_state);
  BOOST_CHECK_EQUAL(s.ticket_state(t1), TicketState::serving);
}

BOOST_AUTO_TEST_CASE(finish_with_second_service_the_counter_serves_stays) {
  Scenario s;
  s.open("o1-1");  // [a, b]
  std::string t = s.issue("o1", {"a", "b"});
  BOOST_CHECK_EQUAL(s.number(t), "A001");  // numbered by the first concern
  s.next("o1-1");
  s.start("o1-1");
  s.advance(8);
  auto d = s.finish("o1-1");
  BOOST_CHECK_EQUAL(d.reply["next_service"], "b");
  BOOST_CHECK_EQUAL(d.reply["stays"], true);
  const Ticket& tt = s.ticket(t);
  BOOST_CHECK_EQUAL(tt.state, TicketState::serving);
  BOOST_CHECK_EQUAL(tt.service(), "b");
  BOOST_CHECK_EQUAL(tt.counter, "o1-1");
  BOOST_CHECK_EQUAL(tt.serving_since, s.now);
  BOOST_CHECK_EQUAL(s.state.counter("o1-1")->ticket, t);
  s.advance(4);
  s.finish("o1-1");
  BOOST_CHECK_EQUAL(s.ticket_state(t), TicketState::done);
  BOOST_CHECK(s.state.counter("o1-1")->ticket.empty());
  BOOST_CHECK_EQUAL(s.state.counter("o1-1")->served_today, 2);
}

BOOST_AUTO_TEST_CASE(finish_with_second_service_elsewhere_waits_again) {
  Scenario s;
  s.open("o1-4");  // [a]
  s.open("o1-2");  // [b, a]
  s.set("08:00");
  std::string t = s.issue("o1", {"a", "b"});
  s.set("08:05");
  std::string newer_b = s.issue("o1", {"b"});
  BOOST_CHECK_EQUAL(s.next("o1-4"), t);
  s.start("o1-4");
  s.set("08:15");
  auto d = s.finish("o1-4");
  BOOST_CHECK_EQUAL(d.reply["stays"], false);
  const Ticket& tt = s.ticket(t);
  BOOST_CHECK_EQUAL(tt.state, TicketState::waiting);
  BOOST_CHECK_EQUAL(tt.service(), "b");
  BOOST_CHECK(tt.counter.empty());
  BOOST_CHECK(s.state.counter("o1-4")->ticket.empty());
  BOOST_CHECK(s.queue("o1-2") == (Queue{"A001", "B001"}));  // keeps its place
  BOOST_CHECK_EQUAL(s.next("o1-2"), t);
  s.finish("o1-2");
  BOOST_CHECK_EQUAL(s.ticket_state(t), TicketState::done);
  BOOST_CHECK_EQUAL(s.next("o1-2"), newer_b);
}

BOOST_AUTO_TEST_CASE(forward_creates_case_for_the_backoffice_unit) {
  Scenario s;
  s.open("o1-1");
  std::string t = s.issue("o1", {"a"});
  s.next("o1-1");
  s.start("o1-1");
  s.advance(7);
  auto d = s.finish("o1-1", json{{"forward", true}, {"outcome", "Unterlagen fehlen"},
                                 {"notes", "Fahrzeugbrief nachreichen"}});
  BOOST_CHECK_EQUAL(d.reply["unit"], "Zulassungsstelle");
  std::string case_id = d.reply["case"].get<std::string>();
  const Case* c = s.state.find_case(case_id);
  BOOST_REQUIRE(c);
  BOOST_CHECK_EQUAL(c->ticket, t);
  BOOST_CHECK_EQUAL(c->unit, "Zulassungsstelle");
  BOOST_CHECK_EQUAL(c->service, "a");
  BOOST_CHECK_EQUAL(c->office, "o1");
  BOOST_CHECK_EQUAL(c->number, "A001");
  BOOST_CHECK_EQUAL(c->counter, "o1-1");
  BOOST_CHECK_EQUAL(c->outcome, "Unterlagen fehlen");
  // The notes are free text: sealed in the personal store, the case keeps their key.
  BOOST_CHECK(c->notes.empty());
  BOOST_CHECK_EQUAL(c->notes_ref, "note:" + c->id);
  BOOST_REQUIRE(s.personal.count("note:" + c->id));
  BOOST_CHECK_EQUAL(s.personal["note:" + c->id].value("text", ""), "Fahrzeugbrief nachreichen");
  BOOST_CHECK(c->state == CaseState::received);
  BOOST_CHECK_EQUAL(c->created_at, s.now);
  BOOST_CHECK_EQUAL(s.ticket_state(t), TicketState::forwarded);
  BOOST_CHECK_EQUAL(s.ticket(t).case_id, case_id);
  BOOST_CHECK(s.state.counter("o1-1")->ticket.empty());

  // A service without its own unit goes to the generic back office.
  std::string tb = s.issue("o1", {"b"});
  s.next("o1-1");
  auto d2 = s.finish("o1-1", json{{"forward", true}});
  BOOST_CHECK_EQUAL(d2.reply["unit"], "Backoffice");
  BOOST_CHECK_EQUAL(s.state.find_case(d2.reply["case"].get<std::string>())->ticket, tb);
  BOOST_CHECK_EQUAL(s.state.cases().size(), 2u);
}

BOOST_AUTO_TEST_CASE(cancel_releases_the_counter) {
  Scenario s;
  s.open("o1-4");
  std::string t = s.issue("o1", {"a"});
  s.next("o1-4");
  s.ok("ticket.cancel", json{{"ticket", t}, {"reason", "gegangen"}});
  BOOST_CHECK_EQUAL(s.ticket_state(t), TicketState::cancelled);
  BOOST_CHECK(s.state.counter("o1-4")->ticket.empty());
  BOOST_CHECK(s.fails("ticket.cancel", json{{"ticket", t}}) == ErrorCode::invalid_state);
}

// choose_next (the heads of the age queues, or one pass over the office's tickets) must pick
// exactly the head of queue_for (the sorted order_key walk) in any state: random traffic with
// priority needs, appointments, targets, parking, escalation (long pauses), reloads from a
// checkpoint, compared for every counter at every step.
BOOST_AUTO_TEST_CASE(choose_next_is_the_head_of_the_full_order) {
  Scenario s;
  std::srand(20261123);
  const std::vector<std::string> counters{"o1-1", "o1-2", "o1-3", "o1-4"};
  const std::vector<std::string> services{"a", "b", "c"};
  for (const auto& c : counters) s.open(c);
  int compared = 0, nonempty = 0, escalated_first = 0, by_heads = 0;
  for (int step = 0; step < 4000; ++step) {
    s.now += (std::rand() % 20 == 0 ? 25 : 1) * kMinute;  // now and then long enough to escalate
    const std::string c = pick(counters);
    switch (std::rand() % 8) {
      case 0:
      case 1:
        s.issue("o1", {pick(services)});
        break;
      case 2:
        s.issue("o1", {pick(services)}, json{{"priority", "priority_needs"}});
        break;
      case 3: s.send("counter.next", json{{"counter", c}}); break;
      case 4: s.send("counter.finish", json{{"counter", c}}); break;
      case 5: s.transfer_either(c, pick(services), pick(counters)); break;
      case 6: s.send("counter.park", json{{"counter", c}, {"reason", "Unterlagen"}}); break;
      case 7: {
        std::string parked = s.first_parked("o1");
        if (!parked.empty()) s.send("ticket.return", json{{"ticket", parked}});
        if (std::rand() % 10 == 0) s.state.load_snapshot(s.state.checkpoint());
        if (std::rand() % 10 == 0) {  // a visitor with an appointment due now
          std::string code = "T" + std::to_string(step);
          std::string slot = local_day(s.now) + "T" + local_hhmm(s.now);
          s.ok("appointment.import",
               json{{"appointments", json::array({json{{"code", code}, {"office", "o1"},
                                                       {"service", pick(services)}, {"slot", slot}}})}});
          s.ok("appointment.checkin", json{{"office", "o1"}, {"code", code}});
        }
        break;
      }
    }
    if (const WaitingCounts* w = s.state.waiting_counts("o1"); w && w->by_age.valid() && w->appointments == 0)
      ++by_heads;
    for (const auto& id : counters) {
      const Counter* counter = s.state.region().find_counter(id);
      BOOST_REQUIRE(counter);
      auto queue = queue_for(s.state, *counter, s.now);
      const Ticket* chosen = choose_next(s.state, *counter, s.now);
      BOOST_TEST((chosen == nullptr) == queue.empty(), "step " << step << " counter " << id);
      if (chosen && !queue.empty()) {
        BOOST_TEST(chosen->id == queue.front()->id, "step " << step << " counter " << id);
        ++nonempty;
        // Escalation overrode the profile: a visitor of a later profile service goes first.
        auto place = [&](const Ticket& t) {
          return std::find(counter->profile.begin(), counter->profile.end(), t.service()) -
                 counter->profile.begin();
        };
        if (queue.size() > 1 && escalated(*chosen, s.now, s.state.region()) &&
            !escalated(*queue[1], s.now, s.state.region()) && place(*chosen) > place(*queue[1]))
          ++escalated_first;
      }
      ++compared;
    }
  }
  BOOST_TEST_MESSAGE(compared << " picks compared, " << nonempty << " with someone waiting, "
                              << escalated_first << " where escalation beat the profile; "
                              << by_heads << " of 4000 steps without appointments (age queues)");
  BOOST_TEST(by_heads > 200);
  BOOST_TEST(by_heads < 3700);  // and appointments did wait now and then
  BOOST_TEST(nonempty > 3000);
  BOOST_TEST(escalated_first > 20);
}

BOOST_AUTO_TEST_SUITE_END()
