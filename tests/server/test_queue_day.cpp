// The queue day through the real broker (issue 17): honest positions while no counter serves a
// service (item 5), the recall interval (item 2), and the end of the day (item 1) on the
// broker's simulated clock across closing time and midnight.
#define BOOST_TEST_MODULE server_queue_day
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/protocol.hpp"
#include "tests/support/broker_process.hpp"

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
