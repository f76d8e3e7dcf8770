// Wait-time estimates: the work ahead of a ticket shared over the open counters that serve its
// service (estimate.cpp), live service times, and the naive estimator.
#define BOOST_TEST_MODULE estimate
#include <boost/test/unit_test.hpp>

#include <cstdlib>

#include "core/estimate.hpp"
#include "tests/core/scenario.hpp"

using namespace wm::core;
using namespace wm::test;

namespace {

std::optional<Millis> est_new(const Scenario& s, const std::string& office, const std::string& service) {
  return estimate_new(s.state, office, service, s.now);
}
std::optional<Millis> est(const Scenario& s, const std::string& id) {
  return estimate_ticket(s.state, s.ticket(id), s.now);
}
int pos(const Scenario& s, const std::string& id) { return queue_position(s.state, s.ticket(id), s.now); }

Millis minutes(double m) { return static_cast<Millis>(m * kMinute + 0.5); }

// An estimate within a millisecond of the expected value (floating point on the way).
bool near(std::optional<Millis> got, Millis want) {
  if (!got) {
    BOOST_TEST_MESSAGE("no estimate, wanted " << want);
    return false;
  }
  if (std::llabs(*got - want) > 1) {
    BOOST_TEST_MESSAGE("estimate " << *got << " ms, wanted " << want << " ms");
    return false;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_open_counter_no_estimate) {
  Scenario s;
  BOOST_CHECK(!est_new(s, "o1", "a"));
  BOOST_CHECK(!est_new(s, "o9", "a"));
  auto d = s.ok("ticket.issue", json{{"office", "o1"}, {"services", {"a"}}});
  BOOST_CHECK(d.reply["estimate_ms"].is_null());
  std::string t = d.reply["ticket"]["id"];
  BOOST_CHECK(!est(s, t));
  auto st = s.ok("ticket.status", json{{"ticket", t}});
  BOOST_CHECK(st.reply["estimate_ms"].is_null());
  BOOST_CHECK_EQUAL(st.reply["state"], "waiting");
  // A counter that does not serve the service does not help ...
  s.open("o1-3");  // [c]
  BOOST_CHECK(!est_new(s, "o1", "a"));
  BOOST_CHECK(near(est_new(s, "o1", "c"), Millis{0}));
  // ... nor does a paused one, nor one in another office.
  s.open("o1-4");
  s.ok("counter.pause", json{{"counter", "o1-4"}});
  s.open("o2-1");
  BOOST_CHECK(!est_new(s, "o1", "a"));
  BOOST_CHECK(!est(s, t));
  s.ok("counter.resume", json{{"counter", "o1-4"}});
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(10)));  // one ticket ahead, one counter
  BOOST_CHECK(near(est(s, t), Millis{0}));
}

BOOST_AUTO_TEST_CASE(two_counters_four_waiting_ten_minutes_each) {
  Scenario s;
  s.open("o1-1");  // [a, b]
  s.open("o1-4");  // [a]
  for (int i = 0; i < 4; ++i) {
    s.issue("o1", {"a"});
    s.advance(1);
  }
  s.set("08:05");
  // 4 tickets × 10 min, every one of them callable by both counters: 40 min over 2 counters.
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(20)));
  auto d = s.ok("ticket.issue", json{{"office", "o1"}, {"services", {"a"}}});
  BOOST_CHECK_EQUAL(d.reply["estimate_ms"], minutes(20));
  std::string me = d.reply["ticket"]["id"];
  BOOST_CHECK_EQUAL(pos(s, me), 5);
  BOOST_CHECK(near(est(s, me), minutes(20)));
  auto st = s.ok("ticket.status", json{{"ticket", me}});
  BOOST_CHECK_EQUAL(st.reply["position"], 5);
  BOOST_CHECK_EQUAL(st.reply["estimate_ms"], minutes(20));
  // A later ticket is not ahead of me.
  s.set("08:06");
  s.issue("o1", {"b"});
  BOOST_CHECK(near(est(s, me), minutes(20)));
  // For a new a ticket, the b ticket only o1-1 can take counts fully: (5 × 10 + 10) / 2.
  s.set("08:07");
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(30)));
}

BOOST_AUTO_TEST_CASE(work_that_other_counters_share_counts_in_part) {
  Scenario s;
  s.open("o1-1");  // [a, b]: the only counter for b
  s.open("o1-4");  // [a]
  s.issue("o1", {"a"});
  s.issue("o1", {"a"});
  s.advance(1);
  // Each a ticket may go to either counter: half of its 10 minutes fall on o1-1.
  BOOST_CHECK(near(est_new(s, "o1", "b"), minutes(10)));
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(10)));
}

BOOST_AUTO_TEST_CASE(estimate_falls_as_the_queue_moves) {
  Scenario s;
  s.open("o1-1");
  s.open("o1-4");
  std::vector<std::string> t;
  for (int i = 0; i < 4; ++i) {
    t.push_back(s.issue("o1", {"a"}));
    s.advance(1);
  }
  std::string me = s.issue("o1", {"a"});  // 08:04
  s.set("08:05");
  BOOST_CHECK(near(est(s, me), minutes(20)));
  BOOST_CHECK_EQUAL(pos(s, me), 5);
  // Two are called and start: they still take their 10 minutes, two wait ahead.
  BOOST_CHECK_EQUAL(s.next("o1-1"), t[0]);
  BOOST_CHECK_EQUAL(s.next("o1-4"), t[1]);
  s.start("o1-1");
  s.start("o1-4");
  BOOST_CHECK(near(est(s, me), minutes(20)));  // (2 × 10 waiting + 2 × 10 left) / 2
  BOOST_CHECK_EQUAL(pos(s, me), 3);
  s.set("08:10");
  BOOST_CHECK(near(est(s, me), minutes(15)));  // (20 + 2 × 5) / 2
  s.set("08:15");
  s.finish("o1-1");
  s.finish("o1-4");
  BOOST_CHECK_EQUAL(s.state.service_time_ms("o1", "a"), 10.0 * kMinute);
  BOOST_CHECK(near(est(s, me), minutes(10)));  // (2 × 10 waiting) / 2, counters idle
  BOOST_CHECK_EQUAL(s.next("o1-1"), t[2]);
  BOOST_CHECK_EQUAL(s.next("o1-4"), t[3]);
  s.start("o1-1");
  s.start("o1-4");
  BOOST_CHECK(near(est(s, me), minutes(10)));  // (2 × 10 left) / 2
  BOOST_CHECK_EQUAL(pos(s, me), 1);
  s.set("08:20");
  BOOST_CHECK(near(est(s, me), minutes(5)));
  s.set("08:24");
  BOOST_CHECK(near(est(s, me), minutes(1)));
  // Overrunning visitors still count with a tenth of the service time each.
  s.set("08:40");
  BOOST_CHECK(near(est(s, me), minutes(1)));
  s.finish("o1-1");
  BOOST_CHECK_EQUAL(s.next("o1-1"), me);
  BOOST_CHECK(near(est(s, me), Millis{0}));  // called: no more waiting
  BOOST_CHECK_EQUAL(pos(s, me), 0);
  s.start("o1-1");
  BOOST_CHECK(!est(s, me));
}

BOOST_AUTO_TEST_CASE(tickets_issued_in_the_same_millisecond_are_ahead) {
  // A burst at the kiosks (or a fast simulation clock) issues several tickets at one instant;
  // they are still ahead of a new one and of each later number.
  Scenario s;
  s.open("o1-1");
  s.open("o1-4");
  std::vector<std::string> t;
  for (int i = 0; i < 4; ++i) t.push_back(s.issue("o1", {"a"}));
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(20)));
  auto d = s.ok("ticket.issue", json{{"office", "o1"}, {"services", {"a"}}});
  BOOST_CHECK_EQUAL(d.reply["estimate_ms"], minutes(20));
  std::string me = d.reply["ticket"]["id"];
  BOOST_CHECK_EQUAL(pos(s, me), 5);
  BOOST_CHECK(near(est(s, me), minutes(20)));
  BOOST_CHECK_EQUAL(pos(s, t[0]), 1);
  BOOST_CHECK(near(est(s, t[0]), Millis{0}));
  BOOST_CHECK_EQUAL(pos(s, t[2]), 3);
  BOOST_CHECK(near(est(s, t[2]), minutes(10)));
}

BOOST_AUTO_TEST_CASE(priority_needs_waits_behind_no_normal_ticket) {
  Scenario s;
  s.open("o1-4");
  for (int i = 0; i < 3; ++i) s.issue("o1", {"a"});
  s.advance(1);
  std::string needs = s.issue("o1", {"a"}, json{{"priority", "priority_needs"}});
  BOOST_CHECK_EQUAL(pos(s, needs), 1);
  BOOST_CHECK(near(est(s, needs), Millis{0}));
  // A new normal ticket has all four ahead.
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(40)));
}

BOOST_AUTO_TEST_CASE(live_service_times_feed_the_estimate) {
  Scenario s;
  s.open("o1-4");
  s.open("o2-1");
  BOOST_CHECK_EQUAL(s.state.service_time_ms("o1", "a"), 10.0 * kMinute);  // configured seed
  s.issue("o1", {"a"});
  s.issue("o1", {"a"});
  s.issue("o1", {"a"});
  s.next("o1-4");
  s.start("o1-4");
  s.advance(6);
  s.finish("o1-4");
  BOOST_CHECK_EQUAL(s.state.service_time_ms("o1", "a"), 6.0 * kMinute);  // first sample
  s.next("o1-4");
  s.start("o1-4");
  s.advance(16);
  s.finish("o1-4");
  // Moving average, newest weighted 0.2: 0.8 × 6 + 0.2 × 16 = 8 minutes.
  BOOST_CHECK_CLOSE(s.state.service_time_ms("o1", "a"), 8.0 * kMinute, 1e-9);
  BOOST_CHECK_EQUAL(s.state.service_time_ms("o2", "a"), 10.0 * kMinute);  // per office
  BOOST_CHECK_EQUAL(s.state.service_time_ms("o1", "b"), 10.0 * kMinute);  // per service
  // Finishing straight from the call (no start) records nothing.
  s.next("o1-4");
  s.advance(30);
  s.finish("o1-4");
  BOOST_CHECK_CLOSE(s.state.service_time_ms("o1", "a"), 8.0 * kMinute, 1e-9);
  // One ticket waits now: estimate for a new one = 8 minutes over one counter.
  s.issue("o1", {"a"});
  s.advance(1);
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(8)));
}

BOOST_AUTO_TEST_CASE(naive_estimate_formula) {
  Scenario s;
  BOOST_CHECK(!estimate_naive(s.state, "o1", "a"));
  for (int i = 0; i < 3; ++i) s.issue("o1", {"a"});
  s.issue("o1", {"b"});  // other services do not count
  s.issue("o2", {"a"});  // nor other offices
  BOOST_CHECK(!estimate_naive(s.state, "o1", "a"));
  s.open("o1-1");
  s.open("o1-3");  // serves only c, but the naive estimator counts every open counter
  // 3 waiting × 10 min ÷ 2 open counters.
  BOOST_CHECK(near(estimate_naive(s.state, "o1", "a"), minutes(15)));
  s.open("o1-4");
  BOOST_CHECK(near(estimate_naive(s.state, "o1", "a"), minutes(10)));
  BOOST_CHECK(near(estimate_naive(s.state, "o1", "b"), minutes(10.0 / 3)));
  s.next("o1-4");  // a called ticket no longer waits
  BOOST_CHECK(near(estimate_naive(s.state, "o1", "a"), minutes(20.0 / 3)));
  BOOST_CHECK(near(estimate_naive(s.state, "o1", "c"), Millis{0}));
}

// estimate_new works from the waiting counts State::apply keeps; estimate_ticket walks the
// queue. For a ticket issued now both must agree (it comes after every waiting ticket), through
// a random day of calls, transfers (to a service and to a counter), parks, returns, no-shows,
// cancellations, counters opening and closing, and a snapshot reload.
BOOST_AUTO_TEST_CASE(estimate_from_waiting_counts_agrees_with_the_queue_walk) {
  Scenario s;
  std::srand(20261122);
  const std::vector<std::string> counters{"o1-1", "o1-2", "o1-3", "o1-4"};
  const std::vector<std::string> services{"a", "b", "c"};
  for (const auto& c : counters) s.open(c);
  int compared = 0;
  for (int step = 0; step < 1500; ++step) {
    s.now += 7'000;
    const std::string c = pick(counters);
    switch (std::rand() % 9) {
      case 0:
      case 1:
      case 2: {
        const std::string sv = pick(services);
        auto before = est_new(s, "o1", sv);
        std::string id = s.issue("o1", {sv});
        auto walked = est(s, id);
        BOOST_TEST(before.has_value() == walked.has_value());
        if (before && walked) {
          BOOST_TEST(std::llabs(*before - *walked) <= 1, "step " << step << ": " << *before << " vs " << *walked);
          ++compared;
        }
        break;
      }
      case 3: s.send("counter.next", json{{"counter", c}}); break;
      case 4: s.send("counter.finish", json{{"counter", c}}); break;
      case 5: s.transfer_either(c, pick(services), pick(counters)); break;
      case 6:
        if (std::rand() % 2) s.send("counter.no_show", json{{"counter", c}});
        else s.send("counter.park", json{{"counter", c}, {"reason", "Kennzeichen"}});
        break;
      case 7:
        if (std::rand() % 3 == 0) s.send("counter.close", json{{"counter", c}});
        else s.send("counter.open", json{{"counter", c}});
        break;
      case 8: {
        // A parked visitor comes back; now and then a whole reload from a checkpoint.
        std::string parked = s.first_parked("o1");
        if (!parked.empty()) s.send("ticket.return", json{{"ticket", parked}});
        if (std::rand() % 4 == 0) {
          State copy(s.state.region_ptr());
          copy.load_snapshot(s.state.checkpoint());
          s.state = copy;
        }
        break;
      }
    }
  }
  BOOST_TEST_MESSAGE(compared << " estimates compared");
  BOOST_TEST(compared > 200);
}

// Issue 17 item 5: while no open counter serves a service, ticket.status says so and gives the
// real place among that service's waiting tickets, not position 1 and a 1-minute guess.
BOOST_AUTO_TEST_CASE(no_counter_open_gives_real_position_and_no_estimate) {
  Scenario s;
  std::vector<std::string> a;
  for (int i = 0; i < 3; ++i) {
    a.push_back(s.issue("o1", {"a"}));
    s.advance(1);
  }
  std::string b = s.issue("o1", {"b"});  // another service: not ahead of any "a" ticket
  s.advance(1);
  std::string needs = s.issue("o1", {"a"}, json{{"priority", "priority_needs"}});
  auto status = [&](const std::string& id) { return s.ok("ticket.status", json{{"ticket", id}}).reply; };
  // Priority needs go first, as routing calls them; then age order.
  BOOST_CHECK_EQUAL(status(needs)["position"], 1);
  for (int i = 0; i < 3; ++i) {
    json st = status(a[i]);
    BOOST_CHECK_EQUAL(st["position"], i + 2);
    BOOST_CHECK(st["estimate_ms"].is_null());
    BOOST_CHECK_EQUAL(st["no_counter_open"], true);
  }
  BOOST_CHECK_EQUAL(status(b)["position"], 1);
  BOOST_CHECK_EQUAL(status(b)["no_counter_open"], true);
  // The status summary and the issue reply carry the same flag.
  json sum = s.ok("status", json{{"office", "o1"}}).reply;
  for (const auto& sv : sum["offices"][0]["services"])
    if (sv["id"] == "a") {
      BOOST_CHECK_EQUAL(sv["no_counter_open"], true);
      BOOST_CHECK(sv["estimate_ms"].is_null());
    }
  auto issued = s.ok("ticket.issue", json{{"office", "o1"}, {"services", {"a"}}});
  BOOST_CHECK_EQUAL(issued.reply["no_counter_open"], true);
  BOOST_CHECK_EQUAL(status(issued.reply["ticket"]["id"])["position"], 5);
  // A paused counter is no open counter; a counter for "b" opens only "b".
  s.open("o1-4");  // [a]
  s.ok("counter.pause", json{{"counter", "o1-4"}});
  BOOST_CHECK_EQUAL(status(a[2])["no_counter_open"], true);
  s.open("o1-2");  // [b, a] serves a too
  json st = status(a[2]);
  BOOST_CHECK_EQUAL(st["no_counter_open"], false);
  BOOST_CHECK(st["estimate_ms"].is_number());
  BOOST_CHECK_EQUAL(st["position"], 4);  // needs, a0, a1 ahead (b is for o1-2 first, shared)
}

// Issue 17 item 6: a booked visitor whose slot comes due before a walk-in's turn is served
// first, so the walk-in's estimate counts the booking's time; a booking not checked in
// no_show_release_minutes (15) after its slot is a no-show and its time goes back to the
// walk-ins. A visitor checking in more than late_arrival_minutes (60) after the slot is
// served as a walk-in.
BOOST_AUTO_TEST_CASE(bookings_hold_counter_time_until_they_are_no_shows) {
  Scenario s;  // 08:00; appointments are due 5 minutes before their slot
  s.open("o1-4");  // [a]: the only open counter
  std::string w1 = s.issue("o1", {"a"});
  s.issue("o1", {"a"});
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(20)));  // two walk-ins of 10 minutes
  auto booking = [](std::string code, std::string service, Millis slot) {
    return json{{"code", code}, {"office", "o1"}, {"service", service}, {"slot", slot}};
  };
  s.ok("appointment.import",
       json{{"appointments", {booking("A1", "a", at("08:10")), booking("A2", "a", at("08:20")),
                              booking("C1", "c", at("08:12")),  // another counter's service
                              booking("A3", "a", at("11:00")), booking("O2", "a", at("08:10"))}}});
  // In slot order: A1 and O2 are due at 08:05, within the 20 minutes ahead: +10 each; that
  // makes 40, so A2 (due 08:15) comes first too: +10. C1 is not for this counter; A3 (due
  // 10:55) comes after the walk-in's turn.
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(50)));
  // The first walk-in is next: nobody booked is due before its turn.
  BOOST_CHECK(near(est(s, w1), minutes(0)));
  // O2 checks in on time: it is a waiting ticket now, counted once (not also as a booking).
  auto in = s.ok("appointment.checkin", json{{"office", "o1"}, {"code", "O2"}});
  BOOST_CHECK(in.reply["late"] == false);
  BOOST_CHECK(in.reply["ticket"]["priority"] == "appointment");
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(50)));
  // 08:26: A1 (slot 08:10) was not checked in 15 minutes after its slot: released.
  s.set("08:26");
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(40)));
  // 08:36: A2 released as well; walk-ins and the checked-in O2 remain.
  s.set("08:36");
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(30)));
  // A1 arrives at 09:11, 61 minutes after its slot: served as a walk-in.
  s.set("09:11");
  auto late = s.ok("appointment.checkin", json{{"office", "o1"}, {"code", "A1"}});
  BOOST_CHECK(late.reply["late"] == true);
  BOOST_CHECK(late.reply["slot"] == "08:10");
  const std::string late_id = late.reply["ticket"]["id"];
  BOOST_CHECK(s.ticket(late_id).priority == Priority::normal);
  BOOST_CHECK(s.ticket(late_id).appointment_slot == 0);
  BOOST_CHECK(s.ticket(late_id).appointment_code == "A1");
  // A2 arrives at 09:11, 51 minutes late: still within the hour, an appointment.
  auto a2 = s.ok("appointment.checkin", json{{"office", "o1"}, {"code", "A2"}});
  BOOST_CHECK(a2.reply["late"] == false);
  BOOST_CHECK(s.ticket(a2.reply["ticket"]["id"]).priority == Priority::appointment);
  // The bookings survive a reload from a checkpoint: A3 still holds time when it matters.
  State copy(s.state.region_ptr());
  copy.load_snapshot(s.state.checkpoint());
  s.set("10:50");  // five waiting (50 minutes); A3 is due at 10:55, within them: +10
  BOOST_CHECK(near(est_new(s, "o1", "a"), minutes(60)));
  BOOST_CHECK(near(estimate_new(copy, "o1", "a", s.now), minutes(60)));
}
