// The queue day through the real broker (issue 17): honest positions while no counter serves a
// service (item 5), the recall interval (item 2), and the end of the day (item 1) on the
// broker's simulated clock across closing time and midnight.
#define BOOST_TEST_MODULE server_queue_day
#include <boost/test/unit_test.hpp>

#include <chrono>
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
