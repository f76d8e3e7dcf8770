// The opening-hours rule: open/closed, next opening, lunch break, DST days, last-ticket cut-off.
#define BOOST_TEST_MODULE office_hours
#include <boost/test/unit_test.hpp>

#include "core/estimate.hpp"
#include "core/office_hours.hpp"
#include "tests/core/scenario.hpp"

using namespace wm;
using wm::core::json;
using wm::test::at;
using wm::test::kMinute;
using wm::test::Scenario;

namespace {

// Mon/Wed/Fri 08:00-12:00, Tue/Thu 08:00-12:00 and 13:00-18:00 (a lunch break), weekend closed.
core::Office office_with_hours() {
  core::Office o;
  o.id = "o1";
  o.name = "Büro Eins";
  for (int d : {1, 2, 3, 4, 5}) o.hours.push_back({d, 8 * 60, 12 * 60});
  for (int d : {2, 4}) o.hours.push_back({d, 13 * 60, 18 * 60});
  return o;
}

// The first day on or after `from` (a "YYYY-MM-DD") that is ISO weekday `weekday`.
std::string next_weekday(const std::string& from, int weekday) {
  core::Millis noon = at("12:00", from);
  for (int k = 0; k < 7; ++k) {
    core::Millis t = noon + k * 86'400'000LL;
    if (core::local_weekday(t) == weekday) return core::local_day(t);
  }
  return from;
}

// The last Sunday of a month of the year after the real current one (DST changes in the EU).
std::string last_sunday(int month) {
  core::use_time_zone("Europe/Berlin");
  int year = std::stoi(core::local_day(core::real_now()).substr(0, 4)) + 1;
  char first_next[16];
  std::snprintf(first_next, sizeof first_next, "%04d-%02d-01", month == 12 ? year + 1 : year,
                month == 12 ? 1 : month + 1);
  core::Millis t = at("12:00", first_next) - 86'400'000LL;  // the month's last day
  while (core::local_weekday(t) != 7) t -= 86'400'000LL;
  return core::local_day(t);
}

std::shared_ptr<core::Region> region_with_hours() {
  auto r = std::make_shared<core::Region>(*test::small_region());
  r->offices[0].hours = office_with_hours().hours;
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(weekday_hours_weekend_closed) {
  const auto o = office_with_hours();
  const std::string monday = next_weekday(core::local_day(core::real_now()), 1);
  BOOST_TEST(!core::office_open(o, at("07:59", monday)));
  BOOST_TEST(core::office_open(o, at("08:00", monday)));
  BOOST_TEST(core::office_open(o, at("11:59", monday)));
  BOOST_TEST(!core::office_open(o, at("12:00", monday)), "closing time is not open");
  BOOST_TEST(!core::office_open(o, at("19:00", monday)));
  const std::string saturday = next_weekday(monday, 6), sunday = next_weekday(monday, 7);
  BOOST_TEST(!core::office_open(o, at("10:00", saturday)));
  BOOST_TEST(!core::office_open(o, at("10:00", sunday)));
  BOOST_TEST(*core::office_closes(o, at("09:15", monday)) == at("12:00", monday));
  BOOST_TEST(!core::office_closes(o, at("19:00", monday)).has_value(), "closed: no closing");
}

BOOST_AUTO_TEST_CASE(next_opening_before_opening_after_closing_and_over_the_weekend) {
  const auto o = office_with_hours();
  const std::string monday = next_weekday(core::local_day(core::real_now()), 1);
  const std::string tuesday = next_weekday(monday, 2), friday = next_weekday(monday, 5);
  BOOST_TEST(*core::office_next_opening(o, at("06:30", monday)) == at("08:00", monday));
  BOOST_TEST(*core::office_next_opening(o, at("12:00", monday)) == at("08:00", tuesday));
  // Open now: the next opening is the one after this stretch closes.
  BOOST_TEST(*core::office_next_opening(o, at("09:00", monday)) == at("08:00", tuesday));
  const std::string next_monday = next_weekday(next_weekday(friday, 6), 1);
  BOOST_TEST(*core::office_next_opening(o, at("12:30", friday)) == at("08:00", next_monday));
  BOOST_TEST(*core::office_next_opening(o, at("10:00", next_weekday(friday, 7))) ==
             at("08:00", next_monday));
  core::Office never;
  BOOST_TEST(!core::office_next_opening(never, at("10:00", monday)).has_value());
  BOOST_TEST(!core::office_open(never, at("10:00", monday)));
}

BOOST_AUTO_TEST_CASE(lunch_break_closes_and_reopens) {
  const auto o = office_with_hours();
  const std::string tuesday = next_weekday(core::local_day(core::real_now()), 2);
  BOOST_TEST(core::office_open(o, at("11:30", tuesday)));
  BOOST_TEST(!core::office_open(o, at("12:30", tuesday)));
  BOOST_TEST(core::office_open(o, at("13:00", tuesday)));
  BOOST_TEST(*core::office_closes(o, at("11:30", tuesday)) == at("12:00", tuesday));
  BOOST_TEST(*core::office_next_opening(o, at("12:30", tuesday)) == at("13:00", tuesday));
  BOOST_TEST(*core::office_next_opening(o, at("11:30", tuesday)) == at("13:00", tuesday));
  BOOST_TEST(*core::office_closes(o, at("17:00", tuesday)) == at("18:00", tuesday));
}

BOOST_AUTO_TEST_CASE(around_the_clock_never_closes_and_spans_touching_midnight_join) {
  core::Office o;
  for (int d = 1; d <= 7; ++d) o.hours.push_back({d, 0, 24 * 60});
  const std::string day = core::local_day(core::real_now());
  BOOST_TEST(core::office_open(o, at("23:59", day)));
  BOOST_TEST(core::office_open(o, at("00:00", day)));
  BOOST_TEST(!core::office_closes(o, at("23:30", day)).has_value());

  // Friday 20:00 to Saturday 02:00 is one stretch.
  core::Office late;
  late.hours = {{5, 20 * 60, 24 * 60}, {6, 0, 2 * 60}};
  const std::string friday = next_weekday(day, 5), saturday = next_weekday(friday, 6);
  BOOST_TEST(core::office_open(late, at("23:30", friday)));
  BOOST_TEST(core::office_open(late, at("01:00", saturday)));
  BOOST_TEST(*core::office_closes(late, at("23:30", friday)) == at("02:00", saturday));
  BOOST_TEST(*core::office_closes(late, at("01:00", saturday)) == at("02:00", saturday));
}

BOOST_AUTO_TEST_CASE(dst_change_days_keep_wall_clock_hours) {
  // Sundays of the change (last Sunday of March and October, next year): a Sunday opening
  // and the Monday after read as wall-clock times although the day has 23 or 25 hours.
  core::Office o;
  o.hours = {{7, 1 * 60, 4 * 60}, {1, 8 * 60, 12 * 60}};
  for (int month : {3, 10}) {
    const std::string sunday = last_sunday(month);
    const std::string monday = next_weekday(sunday, 1);
    BOOST_TEST_CONTEXT("change day " << sunday) {
      const core::Millis midnight = at("00:00", sunday), next_midnight = at("00:00", monday);
      BOOST_TEST((next_midnight - midnight) == (month == 3 ? 23 : 25) * 60 * kMinute,
                 "the test day is a DST change day");
      BOOST_TEST(*core::office_next_opening(o, midnight) == at("01:00", sunday));
      BOOST_TEST(*core::office_closes(o, at("01:30", sunday)) == at("04:00", sunday));
      BOOST_TEST(core::local_hhmm(*core::office_closes(o, at("01:30", sunday))) == "04:00");
      BOOST_TEST(*core::office_next_opening(o, at("05:00", sunday)) == at("08:00", monday));
      BOOST_TEST(core::local_hhmm(*core::office_next_opening(o, at("05:00", sunday))) == "08:00");
      BOOST_TEST(core::office_open(o, at("09:00", monday)));
      // 23 hours after Sunday 09:00 is Monday 09:00 in March, 08:00 in October: either open.
      BOOST_TEST(core::office_open(o, at("09:00", sunday) + 23 * 60 * kMinute));
    }
  }
}

BOOST_AUTO_TEST_CASE(ticket_issue_is_refused_outside_the_hours_and_allowed_inside) {
  const std::string monday = next_weekday(core::local_day(core::real_now()), 1);
  Scenario s(region_with_hours(), at("07:30", monday));
  BOOST_TEST(s.fails("ticket.issue", json{{"office", "o1"}, {"services", {"a"}}}) ==
             core::ErrorCode::office_closed);
  s.now = at("08:00", monday);
  s.issue("o1", {"a"});
  s.now = at("12:00", monday);
  BOOST_TEST(s.fails("ticket.issue", json{{"office", "o1"}, {"services", {"a"}}}) ==
             core::ErrorCode::office_closed);
  // Staff decide for themselves after hours (a concern found at the counter at 12:05).
  s.issue("o1", {"a"}, json{{"source", "counter"}});
  s.issue("o1", {"a"}, json{{"source", "cli"}});
  // Validation comes first: an unknown service is not_found, not "closed".
  BOOST_TEST(s.fails("ticket.issue", json{{"office", "o1"}, {"services", {"nope"}}}) ==
             core::ErrorCode::not_found);
  // The other office (open around the clock) is unaffected.
  s.issue("o2", {"a"});
}

BOOST_AUTO_TEST_CASE(last_ticket_when_the_estimated_start_reaches_closing) {
  const std::string monday = next_weekday(core::local_day(core::real_now()), 1);
  Scenario s(region_with_hours(), at("11:00", monday));
  const core::Office& o1 = s.state.region().offices[0];
  // No counter open yet: no estimate, only the clock counts.
  BOOST_TEST(core::issue_verdict(s.state, o1, "c", s.now).ok());
  s.open("o1-3");  // the only counter for c, 10 minutes a visitor
  for (int i = 0; i < 5; ++i) s.issue("o1", {"c"});
  auto est = core::estimate_new(s.state, "o1", "c", s.now);
  BOOST_REQUIRE(est.has_value());
  // Fill the queue until the estimated start reaches 12:00.
  int issued = 0;
  while (s.now + core::estimate_new(s.state, "o1", "c", s.now).value_or(0) < at("12:00", monday) &&
         issued < 50) {
    s.issue("o1", {"c"});
    ++issued;
  }
  BOOST_TEST(issued < 50);
  auto v = core::issue_verdict(s.state, o1, "c", s.now);
  BOOST_TEST((v.kind == core::IssueVerdict::Kind::past_cutoff));
  BOOST_TEST(*v.closes == at("12:00", monday));
  BOOST_TEST(*v.next_opening == at("08:00", next_weekday(monday, 2)));
  BOOST_TEST(s.fails("ticket.issue", json{{"office", "o1"}, {"services", {"c"}}}) ==
             core::ErrorCode::last_ticket_passed);
  // Another service with a short queue is still open for tickets.
  s.open("o1-1");
  s.issue("o1", {"a"});
  // The appointment check-in of a booked visitor is served regardless.
  s.ok("appointment.import",
       json{{"appointments",
             {{{"code", "X1"}, {"office", "o1"}, {"service", "c"},
               {"slot", monday + "T11:30"}}}}});
  s.ok("appointment.checkin", json{{"office", "o1"}, {"code", "X1"}});
}

BOOST_AUTO_TEST_CASE(margin_before_close_from_policy_and_service) {
  const std::string monday = next_weekday(core::local_day(core::real_now()), 1);
  auto r = region_with_hours();
  r->policy.last_ticket_minutes_before_close = 30;
  r->services[1].last_ticket_minutes_before_close = 5;  // b
  Scenario s(r, at("11:40", monday));
  const core::Office& o1 = s.state.region().offices[0];
  BOOST_TEST(core::last_ticket_margin_minutes(*r, r->services[0]) == 30);
  BOOST_TEST(core::last_ticket_margin_minutes(*r, r->services[1]) == 5);
  BOOST_TEST((core::issue_verdict(s.state, o1, "a", s.now).kind ==
              core::IssueVerdict::Kind::past_cutoff));
  BOOST_TEST(core::issue_verdict(s.state, o1, "b", s.now).ok());
  s.now = at("11:29", monday);
  BOOST_TEST(core::issue_verdict(s.state, o1, "a", s.now).ok());
}

BOOST_AUTO_TEST_CASE(config_reads_the_margin_keys_with_defaults) {
  auto demo = test::demo_region();
  BOOST_TEST(demo->policy.last_ticket_minutes_before_close >= 0);
  for (const auto& sv : demo->services)
    BOOST_TEST(core::last_ticket_margin_minutes(*demo, sv) >= 0);
  core::Policy p;
  BOOST_TEST(p.last_ticket_minutes_before_close == 0);
  core::Service sv;
  BOOST_TEST(sv.last_ticket_minutes_before_close == -1);
}

// The stretches are kept per office and day: a reloaded config with other hours for the same
// office id, and another time zone, must not be answered from what was kept.
BOOST_AUTO_TEST_CASE(kept_stretches_follow_changed_hours_and_zone) {
  core::use_time_zone("Europe/Berlin");
  const std::string monday = next_weekday(core::local_day(core::real_now()), 1);
  core::Office o = office_with_hours();
  const core::Millis nine = at("09:00", monday);
  BOOST_TEST(core::office_open(o, nine));
  o.hours = {{1, 10 * 60, 12 * 60}};  // same id, opens at 10 now
  BOOST_TEST(!core::office_open(o, nine));
  BOOST_TEST(*core::office_next_opening(o, nine) == at("10:00", monday));
  // 10:00 in New York is 16:00 in Berlin: the same wall-clock hours are other instants.
  core::use_time_zone("America/New_York");
  BOOST_TEST(!core::office_open(o, nine));  // 03:00 in New York
  BOOST_TEST(*core::office_next_opening(o, nine) == nine + 7 * 3'600'000LL);
  core::use_time_zone("Europe/Berlin");
}
