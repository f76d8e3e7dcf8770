// kill -9 in the middle of heavy traffic: nothing acknowledged is lost, retries never duplicate.
#define BOOST_TEST_MODULE server_crash
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "tests/support/broker_process.hpp"

using wm::core::json;
using namespace std::chrono_literals;

constexpr int kPerThread = 600;

BOOST_AUTO_TEST_CASE(kill9_during_traffic_loses_nothing_acknowledged) {
  wm::test::BrokerProcess broker;
  broker.start();
  const std::vector<std::string> offices{"goerlitz", "zittau", "loebau", "weisswasser"};
  {
    auto c = broker.client();
    for (const auto& o : offices) c.request("counter.open", json{{"counter", o + "-1"}});
  }

  std::mutex mu;
  std::map<std::string, std::string> issued;   // ticket id -> number (acknowledged)
  std::set<std::string> finished;              // acknowledged finishes
  std::atomic<int> issue_requests{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      auto c = broker.client();
      for (int i = 0; i < kPerThread; ++i) {
        ++issue_requests;
        auto r = c.call("ticket.issue",
                        json{{"office", offices[(t + i) % offices.size()]}, {"services", {"buergerberatung"}}},
                        30s, 300ms);
        BOOST_REQUIRE_MESSAGE(r.ok, r.message);
        std::lock_guard lock(mu);
        issued[r.body["ticket"]["id"]] = r.body["ticket"]["number"];
      }
    });
  for (const auto& o : offices)
    threads.emplace_back([&, o] {
      auto c = broker.client();
      std::string counter = o + "-1";
      while (!stop) {
        auto r = c.call("counter.next", json{{"counter", counter}}, 30s, 300ms);
        if (!r.ok) {
          std::this_thread::sleep_for(5ms);
          continue;
        }
        std::string id = r.body["ticket"]["id"];
        auto f = c.call("counter.finish", json{{"counter", counter}}, 30s, 300ms);
        BOOST_REQUIRE_MESSAGE(f.ok, f.message);
        std::lock_guard lock(mu);
        finished.insert(id);
      }
    });

  // Kill once traffic is well under way, not before and not after it.
  while (true) {
    {
      std::lock_guard lock(mu);
      if (issued.size() >= 300) break;
    }
    std::this_thread::sleep_for(1ms);
  }
  broker.kill9();
  std::size_t acked_at_kill;
  {
    std::lock_guard lock(mu);
    acked_at_kill = issued.size();
  }
  std::this_thread::sleep_for(300ms);
  broker.start();
  for (int i = 0; i < 4; ++i) threads[i].join();
  stop = true;
  for (std::size_t i = 4; i < threads.size(); ++i) threads[i].join();
  BOOST_TEST_MESSAGE("acknowledged before kill: " << acked_at_kill << ", total " << issued.size());
  BOOST_TEST(acked_at_kill > 0u);
  BOOST_TEST(acked_at_kill < 4u * kPerThread);  // the kill really hit mid-traffic

  // Restart once more (clean), then compare the server's state with what clients were told.
  BOOST_TEST(broker.terminate() == 0);
  broker.start();
  auto c = broker.client();
  json snap = c.request("snapshot", json::object());
  std::map<std::string, json> by_id;
  std::map<std::string, std::set<std::string>> numbers;
  for (const auto& t : snap["tickets"]) {
    by_id[t["id"]] = t;
    BOOST_TEST(numbers[t["office"]].insert(t["number"].get<std::string>()).second);
  }
  BOOST_TEST(issue_requests.load() == 4 * kPerThread);
  BOOST_TEST(by_id.size() == 4u * kPerThread);  // one ticket per request: retries created no duplicates
  for (const auto& [id, number] : issued) {
    BOOST_REQUIRE_MESSAGE(by_id.count(id), "acknowledged ticket " << number << " lost");
    BOOST_TEST(by_id[id]["number"] == number);
  }
  for (const auto& id : finished) BOOST_TEST(by_id[id]["state"] == "done");
}
