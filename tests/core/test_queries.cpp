// The shared read side (core/queries): the wait display rule at its edges, elapsed minutes and
// over-target, waiting counts against a recount, the nearby-office suggestion with travel
// times (the [[travel]] table's validation is in test_config.cpp).
#define BOOST_TEST_MODULE queries
#include <boost/test/unit_test.hpp>

#include <limits>
#include <map>

#include "core/estimate.hpp"
#include "core/queries.hpp"
#include "core/stats.hpp"
#include "tests/core/scenario.hpp"

using namespace wm::core;
using namespace wm::test;

namespace {

int shown(double minutes) { return wait_minutes_for_display(static_cast<Millis>(minutes * kMinute)); }

// What a visitor sees as "waiting for this concern", counted the slow way.
std::map<std::string, int> recount(const State& state, const std::string& office) {
  std::map<std::string, int> out;
  state.for_each_active(office, [&](const Ticket& t) {
    if (t.state == TicketState::waiting) ++out[t.service()];
  });
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(estimates_round_up_to_whole_minutes_then_to_fives_above_ten) {
  BOOST_TEST(shown(0) == 1);  // nobody ahead: "about 1 min", never "0"
  BOOST_TEST(wait_minutes_for_display(1) == 1);
  BOOST_TEST(shown(1) == 1);
  BOOST_TEST(wait_minutes_for_display(kMinute + 1) == 2);
  BOOST_TEST(shown(4) == 4);
  BOOST_TEST(shown(5) == 5);
  BOOST_TEST(shown(6) == 6);
  BOOST_TEST(shown(10) == 10);
  BOOST_TEST(wait_minutes_for_display(10 * kMinute + 1) == 15);  // 10 min 1 ms is past 10
  BOOST_TEST(shown(11) == 15);
  BOOST_TEST(shown(15) == 15);
  BOOST_TEST(shown(16) == 20);
  BOOST_TEST(shown(59) == 60);
  BOOST_TEST(shown(60) == 60);
  BOOST_TEST(shown(61) == 65);
  // Nonsense in a reply neither overflows nor goes negative.
  BOOST_TEST(wait_minutes_for_display(-5 * kMinute) == 1);
  BOOST_TEST(wait_minutes_for_display(std::numeric_limits<Millis>::max()) == 24 * 60);
  BOOST_TEST(shown(3 * 24 * 60) == 24 * 60);
  // Never below the wait it estimates.
  for (Millis ms = 0; ms < 200 * kMinute; ms += 7'919)
    BOOST_TEST(Millis(wait_minutes_for_display(ms)) * kMinute >= ms, ms);
}

BOOST_AUTO_TEST_CASE(elapsed_minutes_are_cut_down_and_over_target_follows_them) {
  BOOST_TEST(elapsed_minutes(0) == 0);
  BOOST_TEST(elapsed_minutes(kMinute - 1) == 0);
  BOOST_TEST(elapsed_minutes(kMinute) == 1);
  BOOST_TEST(elapsed_minutes(30 * kMinute + 59'999) == 30);
  BOOST_TEST(elapsed_minutes(-kMinute) == 0);
  // "30 min" on a 30-minute target is not over it; "31 min" is.
  BOOST_TEST(!over_target(30 * kMinute, 30));
  BOOST_TEST(!over_target(31 * kMinute - 1, 30));
  BOOST_TEST(over_target(31 * kMinute, 30));
  BOOST_TEST(!over_target(0, 0));  // a target below a minute counts as one
  BOOST_TEST(over_target(2 * kMinute, 0));
  // The traffic light says the same as the rule.
  Figures f;
  f.waiting = 1;
  f.longest_waiting_ms = 30 * kMinute + 30'000;
  BOOST_TEST(to_string(light_for(f, 30)) != "red");
  f.longest_waiting_ms = 31 * kMinute;
  BOOST_TEST(to_string(light_for(f, 30)) == "red");
}

BOOST_AUTO_TEST_CASE(day_statistics_count_within_target_by_the_same_rule) {
  Scenario s;
  s.set("09:00");
  s.open("o1-4");  // serves a only; target 20 min
  for (int i = 0; i < 3; ++i) s.issue("o1", {"a"});
  // Called after 20:00 and 20:30 (both read "20 min": within), then after 21:00 (over).
  for (Millis waited : {20 * kMinute, 20 * kMinute + 30'000, 21 * kMinute}) {
    s.now = at("09:00") + waited;
    s.next("o1-4");
    s.finish("o1-4");
  }
  DayStats d = compute_day_stats(s.state, kDay, s.now, "o1");
  BOOST_REQUIRE(d.office("o1"));
  BOOST_TEST(d.office("o1")->f.waits == 3);
  BOOST_TEST(d.office("o1")->f.within_target == 2);
}

// The counts State::apply keeps, read through waiting_by_service / waiting_for, equal a recount
// of the tickets through a random day, after a checkpoint reload and after a journal replay.
BOOST_AUTO_TEST_CASE(waiting_counts_equal_a_recount_over_random_traffic) {
  Scenario s;
  std::srand(20261207);
  const std::vector<std::string> counters{"o1-1", "o1-2", "o1-3", "o1-4", "o2-1"};
  const std::vector<std::string> services{"a", "b", "c"};
  for (const auto& c : counters) s.open(c);
  int checked = 0, nonzero = 0;
  auto check = [&](const State& state, int step) {
    for (const std::string office : {"o1", "o2"}) {
      auto want = recount(state, office);
      BOOST_TEST((waiting_by_service(state, office) == want), "step " << step << " " << office);
      for (const auto& sv : services) {
        int n = want.count(sv) ? want[sv] : 0;
        BOOST_TEST(waiting_for(state, office, sv) == n, "step " << step << " " << office << " " << sv);
        nonzero += n > 0;
      }
      ++checked;
    }
  };
  for (int step = 0; step < 1500; ++step) {
    s.now += 7'000;
    const std::string c = pick(counters);
    const std::string office = c.substr(0, 2);
    switch (std::rand() % 9) {
      case 0:
      case 1:
      case 2: {
        const std::string sv = office == "o2" && std::rand() % 2 ? "a" : pick(services);
        s.send("ticket.issue", json{{"office", office}, {"services", {sv}},
                                    {"priority", std::rand() % 5 ? "normal" : "priority_needs"}});
        break;
      }
      case 3: s.send("counter.next", json{{"counter", c}}); break;
      case 4: s.send("counter.finish", json{{"counter", c}}); break;
      case 5: s.transfer_either(c, pick(services), pick(counters)); break;
      case 6:
        if (std::rand() % 2) s.send("counter.no_show", json{{"counter", c}});
        else s.send("counter.park", json{{"counter", c}, {"reason", "Unterlagen"}});
        break;
      case 7:
        if (std::rand() % 3 == 0) s.send("counter.close", json{{"counter", c}});
        else s.send("counter.open", json{{"counter", c}});
        break;
      case 8: {
        std::string parked = s.first_parked(office);
        if (!parked.empty()) s.send("ticket.return", json{{"ticket", parked}});
        if (std::rand() % 4 == 0) {
          State copy(s.state.region_ptr());
          copy.load_snapshot(s.state.checkpoint());
          s.state = copy;
        }
        break;
      }
    }
    check(s.state, step);
  }
  check(s.replay(), -1);
  BOOST_TEST_MESSAGE(checked << " office states checked, " << nonzero << " non-zero counts");
  BOOST_TEST(nonzero > 500);  // the traffic really queued people
}

// The demo county: Görlitz with a long kfz-neu queue on one counter; Zittau (40 min away) and
// Löbau (30 min away) each with an idle counter.
struct NearbyDay : Scenario {
  explicit NearbyDay(std::shared_ptr<const Region> region = demo_region())
      : Scenario(std::move(region), at("09:00")) {
    open("goerlitz-1");  // kfz-neu 20 min, kfz-um 15, kfz-ab 8
    issue("goerlitz", {"kfz-neu"});
  }
  void waiting_at(const std::string& office, int kfz_ab) {
    for (int i = 0; i < kfz_ab; ++i) issue(office, {"kfz-ab"});
  }
  int shown_in(const std::string& office) const {
    auto est = estimate_new(state, office, "kfz-neu", now);
    BOOST_REQUIRE_MESSAGE(est, "no estimate in " << office);
    return wait_minutes_for_display(*est);
  }
};

BOOST_AUTO_TEST_CASE(goerlitz_does_not_send_a_visitor_40_minutes_to_zittau_to_save_32) {
  NearbyDay d;
  d.waiting_at("goerlitz", 2);  // 20 + 2 × 8 = 36 min
  d.open("zittau-1");
  d.waiting_at("zittau", 1);    // 8 min
  BOOST_TEST(d.shown_in("goerlitz") == 40);
  BOOST_TEST(d.shown_in("zittau") == 8);
  // The wait alone would save 32 minutes (the rule before travel times suggested Zittau), but
  // the drive is 40.
  BOOST_TEST(d.state.region().travel_minutes("goerlitz", "zittau").value_or(-1) == 40);
  BOOST_TEST(!suggest_nearby_office(d.state, "goerlitz", "kfz-neu", d.now));
}

BOOST_AUTO_TEST_CASE(the_nearest_total_wins_when_the_drive_is_worth_it) {
  NearbyDay d;
  d.waiting_at("goerlitz", 9);  // 20 + 9 × 8 = 92 min
  d.open("zittau-1");
  d.waiting_at("zittau", 1);
  d.open("loebau-1");
  BOOST_TEST(d.shown_in("goerlitz") == 95);
  BOOST_TEST(d.shown_in("zittau") == 8);   // 40 + 8 = 48: saves 47
  BOOST_TEST(d.shown_in("loebau") == 1);   // 30 + 1 = 31: saves 64
  auto near = suggest_nearby_office(d.state, "goerlitz", "kfz-neu", d.now);
  BOOST_REQUIRE(near);
  BOOST_TEST(near->office->id == "loebau");
  BOOST_TEST(near->wait_minutes == 1);
  BOOST_TEST(near->travel_minutes == 30);
  // Symmetric table: from Löbau, Görlitz is as far (and much busier): nothing to suggest.
  BOOST_TEST(!suggest_nearby_office(d.state, "loebau", "kfz-neu", d.now));
}

BOOST_AUTO_TEST_CASE(a_saving_below_the_margins_is_not_suggested) {
  NearbyDay d;
  d.waiting_at("goerlitz", 5);  // 20 + 40 = 60 min
  d.open("loebau-1");
  d.waiting_at("loebau", 1);    // 8 min; 30 + 8 = 38 saves 22 of 60: both margins met
  BOOST_TEST(d.shown_in("goerlitz") == 60);
  BOOST_TEST(d.shown_in("loebau") == 8);
  auto near = suggest_nearby_office(d.state, "goerlitz", "kfz-neu", d.now);
  BOOST_REQUIRE(near);
  BOOST_TEST(near->office->id == "loebau");
  // One more kfz-ab in Löbau: 16 → 20, total 50 saves 10: not worth the drive.
  d.waiting_at("loebau", 1);
  BOOST_TEST(d.shown_in("loebau") == 20);
  BOOST_TEST(!suggest_nearby_office(d.state, "goerlitz", "kfz-neu", d.now));
}

BOOST_AUTO_TEST_CASE(twenty_minutes_saved_is_not_enough_when_it_is_under_a_third) {
  NearbyDay d;
  d.waiting_at("goerlitz", 9);  // 92 → 95 min
  d.open("zittau-1");
  d.issue("zittau", {"kfz-neu"});
  d.waiting_at("zittau", 1);    // 20 + 8 = 28 → 30; 40 + 30 = 70 saves 25 of 95 (26 %)
  BOOST_TEST(d.shown_in("goerlitz") == 95);
  BOOST_TEST(d.shown_in("zittau") == 30);
  BOOST_TEST(!suggest_nearby_office(d.state, "goerlitz", "kfz-neu", d.now));
}

BOOST_AUTO_TEST_CASE(no_travel_figure_no_suggestion) {
  auto region = std::make_shared<Region>(*demo_region());
  std::erase_if(region->travel, [](const Travel& t) { return t.from == "goerlitz" || t.to == "goerlitz"; });
  NearbyDay d(region);
  d.waiting_at("goerlitz", 9);
  d.open("loebau-1");
  BOOST_TEST(d.shown_in("goerlitz") == 95);
  BOOST_TEST(d.shown_in("loebau") == 1);
  BOOST_TEST(!d.state.region().travel_minutes("goerlitz", "loebau"));
  BOOST_TEST(!suggest_nearby_office(d.state, "goerlitz", "kfz-neu", d.now));
  // No estimate here (no counter open for it): the kiosk says so, it does not send people away.
  BOOST_TEST(!suggest_nearby_office(d.state, "goerlitz", "wohngeld", d.now));
}

BOOST_AUTO_TEST_CASE(the_demo_county_has_travel_times_for_every_pair_of_offices) {
  const Region& r = *demo_region();
  BOOST_TEST(r.travel_minutes("goerlitz", "zittau").value_or(-1) == 40);
  BOOST_TEST(r.travel_minutes("zittau", "goerlitz").value_or(-1) == 40);
  BOOST_TEST(r.travel_minutes("goerlitz", "loebau").value_or(-1) == 30);
  BOOST_TEST(r.travel_minutes("goerlitz", "niesky").value_or(-1) == 30);
  BOOST_TEST(r.travel_minutes("goerlitz", "weisswasser").value_or(-1) == 50);
  for (const auto& a : r.offices)
    for (const auto& b : r.offices)
      if (a.id != b.id) BOOST_TEST(r.travel_minutes(a.id, b.id).has_value(), a.id << "-" << b.id);
}
