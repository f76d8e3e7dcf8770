// Opening hours through the real broker: refused after closing and on a Saturday, the
// last-ticket cut-off before closing, staff and appointments exempt (issue 17 item 7).
#define BOOST_TEST_MODULE server_office_hours
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <thread>

#include "core/clock.hpp"
#include "core/protocol.hpp"
#include "tests/support/broker_process.hpp"

using wm::core::ErrorCode;
using wm::core::json;
using wm::core::Millis;
using wm::test::BrokerProcess;

namespace {

// The next day on or after today (the county's calendar) that is ISO weekday `weekday`.
std::string next_weekday(int weekday) {
  wm::core::use_time_zone("Europe/Berlin");
  Millis noon = *wm::core::local_time_of(wm::core::local_day(wm::core::real_now()), "12:00");
  for (int k = 1; k <= 7; ++k) {
    Millis t = noon + k * 86'400'000LL;
    if (wm::core::local_weekday(t) == weekday) return wm::core::local_day(t);
  }
  return {};
}

// The demo county with its real hours (the fixture's default is open around the clock).
void use_demo_hours(BrokerProcess& b, const std::string& start, const std::string& speed) {
  b.use_config(wm::test::source_path("deploy/config/county.toml"));
  b.set_extra_args({"--clock-start", start, "--clock-speed", speed});
}

Millis broker_time(wm::core::BrokerClient& c) {
  return c.request("hello", json{{"client", "cli"}})["time"].get<Millis>();
}

void wait_until(wm::core::BrokerClient& c, const std::string& day, const std::string& hhmm) {
  const Millis target = *wm::core::local_time_of(day, hhmm);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (broker_time(c) < target) {
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                          "the broker's clock did not reach " << hhmm);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

wm::core::Reply issue(wm::core::BrokerClient& c, const std::string& service,
                                    json extra = json::object()) {
  json body{{"office", "goerlitz"}, {"services", {service}}};
  for (const auto& [k, v] : extra.items()) body[k] = v;
  return c.call("ticket.issue", body);
}

}  // namespace

BOOST_AUTO_TEST_CASE(closing_time_on_a_simulated_clock_refuses_and_reopening_accepts) {
  // Görlitz on Thursdays: 08:00-12:00 and 13:00-18:00. From 11:20 at 300x: 12:00 comes after
  // 8 s (room for a slow start on a loaded machine), 13:00 after 20 s.
  const std::string thursday = next_weekday(4);
  BrokerProcess broker;
  use_demo_hours(broker, thursday + "T11:20", "300");
  broker.start();
  auto c = broker.client();
  BOOST_TEST(broker_time(c) < *wm::core::local_time_of(thursday, "12:00"));
  auto before = issue(c, "beglaubigung");
  BOOST_TEST(before.ok, before.message);
  c.request("appointment.import",
            json{{"appointments",
                  {{{"code", "HOURS-1"}, {"office", "goerlitz"}, {"service", "wohngeld"},
                    {"slot", thursday + "T13:15"}}}}});

  wait_until(c, thursday, "12:00");
  auto lunch = issue(c, "beglaubigung");
  BOOST_TEST(!lunch.ok);
  BOOST_TEST(lunch.error == ErrorCode::office_closed);
  BOOST_TEST(lunch.message.find("13:00") != std::string::npos, lunch.message);
  BOOST_TEST(lunch.message.find(thursday) != std::string::npos, lunch.message);
  // Staff at the counter may still issue, and a booked visitor checks in.
  auto staff = issue(c, "beglaubigung", json{{"source", "counter"}});
  BOOST_TEST(staff.ok, staff.message);
  auto checkin = c.call("appointment.checkin", json{{"office", "goerlitz"}, {"code", "HOURS-1"}});
  BOOST_TEST(checkin.ok, checkin.message);

  wait_until(c, thursday, "13:00");
  auto after = issue(c, "beglaubigung");
  BOOST_TEST(after.ok, after.message);
}

BOOST_AUTO_TEST_CASE(saturday_is_closed_until_monday) {
  const std::string saturday = next_weekday(6);
  BrokerProcess broker;
  use_demo_hours(broker, saturday + "T10:00", "1");
  broker.start();
  auto c = broker.client();
  auto r = issue(c, "kfz-neu");
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.error == ErrorCode::office_closed);
  BOOST_TEST(std::string(wm::core::to_string(r.error)) == "office_closed");
  // Monday 08:00, two days on.
  const Millis monday_8 = *wm::core::local_time_of(saturday, "08:00") + 2 * 86'400'000LL;
  BOOST_TEST(r.message.find(wm::core::local_day(monday_8) + " 08:00") != std::string::npos,
             r.message);
  auto status = c.request("status", json{{"office", "goerlitz"}});
  BOOST_TEST(status["offices"][0]["issued_today"] == 0);
}

BOOST_AUTO_TEST_CASE(last_ticket_before_closing_per_service) {
  // Thursday 17:00, one hour before closing; one counter for Kfz-Neuzulassung (20 minutes a
  // visitor): the fourth or so ticket would start after 18:00 and is refused.
  const std::string thursday = next_weekday(4);
  BrokerProcess broker;
  use_demo_hours(broker, thursday + "T17:00", "1");
  broker.start();
  auto c = broker.client();
  c.request("counter.open", json{{"counter", "goerlitz-1"}});
  int issued = 0;
  wm::core::Reply last;
  for (; issued < 40; ++issued) {
    last = issue(c, "kfz-neu");
    if (!last.ok) break;
  }
  BOOST_TEST(issued >= 1);
  BOOST_TEST(issued < 40);
  BOOST_TEST(last.error == ErrorCode::last_ticket_passed);
  BOOST_TEST(last.message.find("18:00") != std::string::npos, last.message);
  // A service with no queue is still open for tickets; staff may still issue this one.
  auto other = issue(c, "fischereischein");
  BOOST_TEST(other.ok, other.message);
  auto staff = issue(c, "kfz-neu", json{{"source", "counter"}});
  BOOST_TEST(staff.ok, staff.message);
}
