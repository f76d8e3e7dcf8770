// core/stats: the waiting count per 15-minute bucket, including today's live bucket, decided
// in the core (the dashboard view only draws it); past days count at each bucket's end.
#define BOOST_TEST_MODULE core_stats
#include <boost/test/unit_test.hpp>

#include "core/stats.hpp"
#include "tests/core/scenario.hpp"

using namespace wm;
using test::at;
using test::kDay;

namespace {
int bucket(const std::string& hhmm) {
  return (std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2))) / core::kBucketMinutes;
}
}  // namespace

BOOST_AUTO_TEST_CASE(current_bucket_shows_the_count_waiting_now) {
  test::Scenario s;
  s.open("o1-1");
  s.open("o1-2");
  s.set("08:05");
  s.issue("o1", {"a"});
  s.issue("o1", {"a"});
  s.set("08:20");
  s.issue("o1", {"b"});
  s.set("08:40");
  s.next("o1-1");  // the first visitor waited 08:05 → 08:40

  // 08:50: bucket 08:45–09:00 has not ended; two wait now.
  const core::Millis now = at("08:50");
  core::DayStats d = core::compute_day_stats(s.state, kDay, now, "o1");
  const core::OfficeStats* o = d.office("o1");
  BOOST_REQUIRE(o);
  BOOST_TEST(o->f.waiting == 2);
  BOOST_TEST(o->buckets_until == bucket("08:45") + 1);
  BOOST_TEST(o->waiting[bucket("08:45")] == 2);          // live, not 0 for a future bucket end
  BOOST_TEST(o->waiting[bucket("08:00")] == 2);          // at 08:15: two issued, none called
  BOOST_TEST(o->waiting[bucket("08:15")] == 3);          // at 08:30
  BOOST_TEST(o->waiting[bucket("08:30")] == 2);          // at 08:45: the first was called
  BOOST_TEST(o->waiting[bucket("07:45")] == 0);          // before anyone came
  for (int b = o->buckets_until; b < core::kBuckets; ++b) BOOST_TEST(o->waiting[b] == 0, b);
  // The other office's chart stays flat.
  core::DayStats all = core::compute_day_stats(s.state, kDay, now);
  BOOST_TEST(all.office("o2")->waiting[bucket("08:45")] == 0);

  // Everyone called: the live point drops to zero at once.
  s.set("08:52");
  s.next("o1-2");
  s.start("o1-1");
  s.finish("o1-1");
  s.next("o1-1");
  d = core::compute_day_stats(s.state, kDay, at("08:53"), "o1");
  BOOST_TEST(d.office("o1")->waiting[bucket("08:45")] == 0);
  BOOST_TEST(d.office("o1")->waiting[bucket("08:30")] == 2);  // the past does not change
}

BOOST_AUTO_TEST_CASE(a_past_day_counts_at_bucket_ends_only) {
  test::Scenario s;
  s.open("o1-1");
  s.set("10:00");
  s.issue("o1", {"a"});  // never called that day
  // Seen from the next morning: the day is over, every bucket has ended.
  const core::Millis next_morning = at("07:00", test::kNextDay);
  core::DayStats d = core::compute_day_stats(s.state, kDay, next_morning, "o1");
  const core::OfficeStats* o = d.office("o1");
  BOOST_REQUIRE(o);
  BOOST_TEST(o->buckets_until == core::kBuckets);
  BOOST_TEST(o->waiting[bucket("09:30")] == 0);
  BOOST_TEST(o->waiting[bucket("10:00")] == 1);
  BOOST_TEST(o->waiting[core::kBuckets - 1] == 1);  // still waiting at midnight
  // ... but the visitor went home: no wait "until midnight" in the figures, no red light.
  BOOST_TEST(o->f.waiting == 1);
  BOOST_TEST(o->f.max_wait_ms == 0);
  BOOST_TEST(o->f.longest_waiting_ms == 0);
  BOOST_TEST(core::to_string(o->light) == "green");
  for (const auto& sv : o->services) BOOST_TEST(!sv.estimate_ms.has_value(), sv.service);
  // The same day seen on the day itself: a live wait, past its 20-minute target at 10:30.
  d = core::compute_day_stats(s.state, kDay, at("10:30"), "o1");
  BOOST_TEST(d.office("o1")->f.longest_waiting_ms == 30 * test::kMinute);
  BOOST_TEST(core::to_string(d.office("o1")->light) == "red");
  // A day in the future has no buckets yet.
  d = core::compute_day_stats(s.state, test::kNextDay, at("10:30"), "o1");
  BOOST_TEST(d.office("o1")->buckets_until == 0);
  BOOST_TEST(d.office("o1")->waiting[bucket("10:00")] == 0);
}
