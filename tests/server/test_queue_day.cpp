// The queue day through the real broker (issue 17): honest positions while no counter serves a
// service (item 5), the recall interval (item 2), and the end of the day (item 1) on the
// broker's simulated clock across closing time and midnight.
#define BOOST_TEST_MODULE server_queue_day
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/protocol.hpp"
#include "tests/support/broker_process.hpp"
#include "tests/support/shell.hpp"

using wm::core::ErrorCode;
using wm::core::json;
using wm::core::Millis;
using wm::test::BrokerProcess;

namespace {

std::string issue(wm::core::BrokerClient& c, const std::string& office, const std::string& service,
                  json extra = json::object()) {
  json body{{"office", office}, {"services", {service}}};
  for (const auto& [k, v] : extra.items()) body[k] = v;
  return c.request("ticket.issue", body)["ticket"]["id"].get<std::string>();
}

json ticket_status(wm::core::BrokerClient& c, const std::string& id) {
  return c.request("ticket.status", json{{"ticket", id}});
}

const json& service_of(const json& status, const std::string& office, const std::string& service) {
  for (const auto& o : status["offices"])
    if (o["id"] == office)
      for (const auto& sv : o["services"])
        if (sv["id"] == service) return sv;
  BOOST_FAIL("no service " << service << " in " << office);
  static json none;
  return none;
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_counter_open_is_said_with_the_real_position) {
  BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  // Führerschein is served only at goerlitz-5; Kfz counters are open, that one is not.
  c.request("counter.open", json{{"counter", "goerlitz-1"}});
  std::vector<std::string> fs;
  for (int i = 0; i < 3; ++i) fs.push_back(issue(c, "goerlitz", "fuehrerschein"));
  issue(c, "goerlitz", "kfz-neu");
  for (int i = 0; i < 3; ++i) {
    json st = ticket_status(c, fs[i]);
    BOOST_TEST(st["state"] == "waiting");
    BOOST_TEST(st["position"] == i + 1, "ticket " << i << ": " << st.dump());
    BOOST_TEST(st["no_counter_open"] == true);
    BOOST_TEST(st["estimate_ms"].is_null());
  }
  json sum = c.request("status", json{{"office", "goerlitz"}});
  BOOST_TEST(service_of(sum, "goerlitz", "fuehrerschein")["no_counter_open"] == true);
  BOOST_TEST(service_of(sum, "goerlitz", "kfz-neu")["no_counter_open"] == false);
  BOOST_TEST(service_of(sum, "goerlitz", "kfz-neu")["estimate_ms"].is_number());

  // The counter opens: an estimate, the flag goes.
  c.request("counter.open", json{{"counter", "goerlitz-5"}});
  json st = ticket_status(c, fs[2]);
  BOOST_TEST(st["no_counter_open"] == false);
  BOOST_TEST(st["position"] == 3);
  BOOST_TEST(st["estimate_ms"].is_number());
}

namespace {

// Today's date on the county's calendar, for a simulated clock start ("<day>T10:00").
std::string today() {
  wm::core::use_time_zone("Europe/Berlin");
  return wm::core::local_day(wm::core::real_now());
}

Millis broker_time(wm::core::BrokerClient& c) {
  return c.request("hello", json{{"client", "cli"}})["time"].get<Millis>();
}

void wait_for_broker_time(wm::core::BrokerClient& c, Millis target, const std::string& what) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (broker_time(c) < target) {
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                          "the broker's clock did not reach " << what);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Replaces `from` by `to` once in the broker's copy of a config file (before start()).
void edit_config(const BrokerProcess& b, const std::string& file, const std::string& from,
                 const std::string& to) {
  const std::string path =
      b.config_path().substr(0, b.config_path().rfind('/') + 1) + file;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  auto at = s.find(from);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, from << " not in " << path);
  s.replace(at, from.size(), to);
  std::ofstream(path) << s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(early_recall_is_refused_until_the_interval_passed) {
  BrokerProcess broker;
  // Two minutes between calls of one ticket; the broker's clock runs 30 times faster, so the
  // interval passes in 4 s of real time.
  edit_config(broker, "county.toml", "recall_min_interval_s = 0\n", "recall_min_interval_s = 120\n");
  broker.set_extra_args({"--clock-start", today() + "T10:00", "--clock-speed", "30"});
  broker.start();
  auto c = broker.client();
  c.request("counter.open", json{{"counter", "goerlitz-1"}});
  std::string id = issue(c, "goerlitz", "kfz-neu");
  json called = c.request("counter.next", json{{"counter", "goerlitz-1"}});
  BOOST_TEST(called["ticket"]["id"] == id);
  const Millis next_at = called["next_recall_at"].get<Millis>();
  BOOST_TEST(next_at >= called["ticket"]["called_at"].get<Millis>() + 120'000);

  auto early = c.call("counter.recall", json{{"counter", "goerlitz-1"}});
  BOOST_TEST(!early.ok);
  BOOST_TEST(early.error == ErrorCode::recall_too_early);
  BOOST_TEST(early.message.find("next_recall_at " + std::to_string(next_at)) != std::string::npos,
             early.message);
  json snap = c.request("snapshot", json{{"office", "goerlitz"}});
  for (const auto& t : snap["tickets"])
    if (t["id"] == id) BOOST_TEST(t["recalls"] == 0);

  wait_for_broker_time(c, next_at, "the next recall");
  auto late = c.call("counter.recall", json{{"counter", "goerlitz-1"}});
  BOOST_TEST(late.ok, late.message);
  BOOST_TEST(late.body["no_show"] == false);
  BOOST_TEST(late.body["ticket"]["recalls"] == 1);
  BOOST_TEST(late.body["next_recall_at"].get<Millis>() >= next_at + 120'000);
  // Right after it: too early again.
  auto again = c.call("counter.recall", json{{"counter", "goerlitz-1"}});
  BOOST_TEST(again.error == ErrorCode::recall_too_early);
}

namespace {

// The broker's copy of the config with Görlitz open 08:00-18:00 every day (the other offices
// stay open around the clock, so they close at midnight) and a 2-minute grace.
void goerlitz_closes_at_six(BrokerProcess& b) {
  std::string around;
  for (const char* day : {"mo", "tu", "we", "th", "fr", "sa", "su"})
    around += std::string(day) + " = \"00:00-24:00\"\n";
  std::string hours;
  for (const char* day : {"mo", "tu", "we", "th", "fr", "sa", "su"})
    hours += std::string(day) + " = \"08:00-18:00\"\n";
  edit_config(b, "offices.toml", "[offices.hours]\n" + around, "[offices.hours]\n" + hours);
  edit_config(b, "county.toml", "day_close_grace_minutes = 30\n", "day_close_grace_minutes = 2\n");
}

json office_of(const json& status, const std::string& office) {
  for (const auto& o : status["offices"])
    if (o["id"] == office) return o;
  BOOST_FAIL("no office " << office);
  return {};
}

// Polls `status` until `done(office json)` holds (the broker checks once a second).
json wait_for_status(wm::core::BrokerClient& c, const std::string& office,
                     const std::function<bool(const json&)>& done, const std::string& what) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (true) {
    json o = office_of(c.request("status", json::object()), office);
    if (done(o)) return o;
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, what << ": " << o.dump());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// `wartemarke ...` with the admin key.
wm::test::ShellResult cli(BrokerProcess& b, const std::string& args) {
  return wm::test::run_shell(b.shell_env("admin") + wm::test::binary_path("wartemarke") +
                             " --config " + b.config_path() + " --server " + b.command_endpoint() +
                             " --events " + b.event_endpoint() + " " + args + " 2>&1");
}

json tickets_and_counters(wm::core::BrokerClient& c, const std::string& office) {
  json snap = c.request("snapshot", json{{"office", office}});
  return json{{"tickets", snap["tickets"]}, {"counters", snap["counters"]},
              {"closed_days", snap["closed_days"]}};
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_day_closes_after_closing_time_and_nothing_survives_midnight) {
  const std::string day = today();
  BrokerProcess broker;
  goerlitz_closes_at_six(broker);
  // 17:50 at 60x: a simulated minute per real second; closing 18:00, the day closes 18:02.
  broker.set_extra_args({"--clock-start", day + "T17:50", "--clock-speed", "60"});
  broker.start();
  auto c = broker.client();
  c.request("counter.open", json{{"counter", "goerlitz-1"}});
  c.request("counter.open", json{{"counter", "goerlitz-5"}});
  std::vector<std::string> tickets;
  for (int i = 0; i < 3; ++i) tickets.push_back(issue(c, "goerlitz", "kfz-neu", json{{"source", "counter"}}));
  std::string zittau = issue(c, "zittau", "kfz-neu", json{{"source", "counter"}});
  BOOST_TEST(c.request("counter.next", json{{"counter", "goerlitz-1"}})["ticket"]["id"] == tickets[0]);
  BOOST_TEST(broker_time(c) < *wm::core::local_time_of(day, "18:02"));

  json g = wait_for_status(c, "goerlitz", [&](const json& o) { return o["day_closed"] == day; },
                           "the day close at 18:02");
  BOOST_TEST(broker_time(c) >= *wm::core::local_time_of(day, "18:02"));
  BOOST_TEST(g["waiting"] == 0);
  BOOST_TEST(g["closed_today"] == 3);
  BOOST_TEST(g["counters_open"] == 0);
  BOOST_TEST(g["counters_busy"] == 0);
  for (const auto& id : tickets) BOOST_TEST(ticket_status(c, id)["state"] == "closed");
  // Zittau is open around the clock: its day closes at midnight.
  BOOST_TEST(office_of(c.request("status"), "zittau")["waiting"] == 1);
  // The day's statistics count them as not served.
  json stats = c.request("stats", json{{"day", day}, {"office", "goerlitz"}});
  BOOST_TEST(stats["offices"][0]["f"]["closed"] == 3);
  BOOST_TEST(stats["offices"][0]["f"]["served"] == 0);
  // Staff may still issue after the close: that ticket waits until midnight.
  std::string late = issue(c, "goerlitz", "beglaubigung", json{{"source", "counter"}});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  BOOST_TEST(ticket_status(c, late)["state"] == "waiting");

  // A restart replays the journal (and the close) into the identical state.
  const json before = tickets_and_counters(c, "goerlitz");
  BOOST_TEST(broker.terminate() == 0);
  const std::string day_after =
      wm::core::local_day(*wm::core::local_time_of(day, "12:00") + 24 * 3600 * 1000LL);
  broker.set_extra_args({"--clock-start", day + "T23:59", "--clock-speed", "60"});
  broker.start();
  auto c2 = broker.client();
  BOOST_TEST(tickets_and_counters(c2, "goerlitz") == before);
  BOOST_TEST(ticket_status(c2, late)["state"] == "waiting");

  // Across midnight: nothing of the day before waits, as `wartemarke status --json` shows.
  wait_for_broker_time(c2, *wm::core::local_time_of(day_after, "00:00") + 2000, "midnight");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  json status;
  while (true) {
    auto r = cli(broker, "--json status");
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    status = json::parse(r.out);
    bool any = false;
    for (const auto& o : status["offices"])
      any = any || (o["oldest_waiting_day"].is_string() && o["oldest_waiting_day"] < day_after);
    if (!any) break;
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, status.dump());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (const auto& o : status["offices"]) {
    BOOST_TEST(o["waiting"] == 0, o["id"]);
    BOOST_TEST(o["oldest_waiting_day"].is_null(), o["id"]);
  }
  BOOST_TEST(!c2.call("ticket.status", json{{"ticket", zittau}}).ok);  // closed and gone
}

BOOST_AUTO_TEST_CASE(day_close_by_hand_from_the_cli) {
  BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  c.request("counter.open", json{{"counter", "goerlitz-1"}});
  for (int i = 0; i < 2; ++i) issue(c, "goerlitz", "kfz-neu");
  issue(c, "zittau", "kfz-neu");
  c.request("counter.next", json{{"counter", "goerlitz-1"}});

  auto bad = cli(broker, "day close --office nowhere");
  BOOST_TEST(bad.status != 0, bad.out);
  BOOST_TEST(bad.out.find("not_found") != std::string::npos, bad.out);
  // Only the admin may: an office's dashboard key may not.
  auto dash = broker.client_as("goerlitz-dashboard").call("day.close", json{{"office", "goerlitz"}});
  BOOST_TEST(!dash.ok);
  BOOST_TEST(dash.error == ErrorCode::forbidden);

  auto r = cli(broker, "--json day close --office goerlitz");
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
  json reply = json::parse(r.out);
  BOOST_TEST(reply["tickets"] == 2);
  BOOST_TEST(reply["counters"] == 1);
  json g = office_of(c.request("status"), "goerlitz");
  BOOST_TEST(g["waiting"] == 0);
  BOOST_TEST(g["counters_open"] == 0);
  BOOST_TEST(g["closed_today"] == 2);
  json snap = c.request("snapshot", json{{"office", "goerlitz"}});
  for (const auto& t : snap["tickets"]) BOOST_TEST(t["state"] == "closed");
  BOOST_TEST(office_of(c.request("status"), "zittau")["waiting"] == 1);  // another office
}

// Item 6 through the real broker on its simulated clock (60 times faster): bookings hold
// counter time in the estimate a kiosk shows until they are no-shows (here 1 minute after the
// slot), and a visitor checking in more than late_arrival_minutes (here 2) after the slot is
// served as a walk-in.
BOOST_AUTO_TEST_CASE(bookings_hold_time_until_they_are_no_shows_and_late_arrivals_are_walk_ins) {
  BrokerProcess broker;
  edit_config(broker, "county.toml", "no_show_release_minutes = 15\nlate_arrival_minutes = 60\n",
              "no_show_release_minutes = 1\nlate_arrival_minutes = 2\n");
  broker.set_extra_args({"--clock-start", today() + "T10:00", "--clock-speed", "60"});
  broker.start();
  auto c = broker.client();
  c.request("counter.open", json{{"counter", "goerlitz-1"}});  // the only open Kfz counter
  issue(c, "goerlitz", "kfz-neu");
  auto estimate = [&] {
    json sum = c.request("status", json{{"office", "goerlitz"}});
    return service_of(sum, "goerlitz", "kfz-neu")["estimate_ms"].get<Millis>();
  };
  const Millis walk_ins_only = estimate();
  const Millis t0 = broker_time(c);
  auto booking = [&](const std::string& code, Millis slot) {
    return json{{"code", code}, {"office", "goerlitz"}, {"service", "kfz-neu"}, {"slot", slot}};
  };
  c.request("appointment.import",
            json{{"appointments", {booking("B1", t0 + 60'000), booking("B2", t0 + 120'000)}}});
  // Both are due (5 minutes before their slots) within the walk-in queue ahead: 20 minutes each
  // (services.toml: kfz-neu expected_minutes = 20; nobody served yet, so no live times).
  const Millis held = estimate();
  BOOST_TEST(held - walk_ins_only == 2 * 20 * 60'000);
  // Neither checks in; a minute after B2's slot both are no-shows: their time is released.
  wait_for_broker_time(c, t0 + 3 * 60'000 + 1'000, "B2's release");
  BOOST_TEST(estimate() == walk_ins_only);
  // B1 arrives more than 2 minutes after its slot: a walk-in, queued now.
  auto late = c.call("appointment.checkin", json{{"office", "goerlitz"}, {"code", "B1"}});
  BOOST_TEST(late.ok, late.message);
  BOOST_TEST(late.body["late"] == true);
  const std::string late_id = late.body["ticket"]["id"];
  json snap = c.request("snapshot", json{{"office", "goerlitz"}});
  bool found = false;
  for (const auto& t : snap["tickets"])
    if (t["id"] == late_id) {
      found = true;
      BOOST_TEST(t["priority"] == "normal");
    }
  BOOST_TEST(found);
}

// Items 3 and 4 through the real broker over CURVE: Görlitz calls in order, so a counter
// calling another than the next needs a reason, and that call is in the audit log; the
// office's dashboard moves a counter to other services for the day (audited too), a kiosk
// key may not.
BOOST_AUTO_TEST_CASE(fair_calling_and_moving_a_clerk_are_audited) {
  BrokerProcess broker;
  edit_config(broker, "offices.toml", "id = \"goerlitz\"\n", "id = \"goerlitz\"\ncalling = \"next_only\"\n");
  broker.start();
  auto c = broker.client();
  c.request("counter.open", json{{"counter", "goerlitz-1"}});
  const std::string first = issue(c, "goerlitz", "kfz-neu");
  const std::string second = issue(c, "goerlitz", "kfz-neu");
  auto number_of = [&](const std::string& id) { return ticket_status(c, id)["number"].get<std::string>(); };
  auto jump = c.call("counter.call", json{{"counter", "goerlitz-1"}, {"ticket", number_of(second)}});
  BOOST_TEST(!jump.ok);
  BOOST_TEST(jump.error == ErrorCode::bad_field);
  BOOST_TEST(jump.message.find("needs a reason") != std::string::npos, jump.message);
  auto bad_reason = c.call("counter.call", json{{"counter", "goerlitz-1"}, {"ticket", number_of(second)},
                                                {"reason", "sympathy"}});
  BOOST_TEST(!bad_reason.ok);  // not one of the declared reasons
  auto with_reason = c.call("counter.call", json{{"counter", "goerlitz-1"}, {"ticket", number_of(second)},
                                                 {"reason", "language"}});
  BOOST_TEST(with_reason.ok, with_reason.message);

  // The office head's dashboard moves counter 5 (Führerschein) to Kfz for the day.
  auto head = broker.client_as("goerlitz-dashboard");
  json moved = head.request("counter.profile", json{{"counter", "goerlitz-5"}, {"services", {"kfz-neu"}}});
  BOOST_TEST(moved["configured"] == false);
  auto kiosk = broker.client_as("goerlitz-kiosk");
  auto refused = kiosk.call("counter.profile", json{{"counter", "goerlitz-5"}, {"services", {"kfz-neu"}}});
  BOOST_TEST(refused.error == ErrorCode::forbidden);
  json snap = c.request("snapshot", json{{"office", "goerlitz"}});
  BOOST_TEST(snap["day_profiles"]["goerlitz-5"] == json::array({"kfz-neu"}));
  // Counter 5 opens and calls the Kfz visitor who was next.
  c.request("counter.open", json{{"counter", "goerlitz-5"}});
  json called = c.request("counter.next", json{{"counter", "goerlitz-5"}});
  BOOST_TEST(called["ticket"]["id"] == first);

  std::ifstream log(broker.data_dir() + "/audit.log");
  std::stringstream text;
  text << log.rdbuf();
  BOOST_TEST(text.str().find("call.out_of_order") != std::string::npos, text.str());
  BOOST_TEST(text.str().find("reason=language") != std::string::npos);
  BOOST_TEST(text.str().find("counter.profile") != std::string::npos);
}
