// Station: the screens' asynchronous link (requests off the UI thread, live replica, reconnect).
#define BOOST_TEST_MODULE server_station
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "core/client/station.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/broker_process.hpp"

using wm::core::json;
using namespace std::chrono_literals;

using wm::test::eventually;

BOOST_AUTO_TEST_CASE(requests_events_and_reconnect) {
  wm::test::BrokerProcess broker;
  broker.start();
  std::atomic<int> changes{0};
  wm::core::Station station(broker.region(),
                            {broker.command_endpoint(), broker.event_endpoint(), "goerlitz",
                             "kiosk", "goerlitz-kiosk-1", [&] { ++changes; }, 10s,
                             broker.station_keys("goerlitz-kiosk-1")});
  BOOST_REQUIRE(eventually([&] { return station.online(); }));

  auto reply = station.submit("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}}).get();
  BOOST_REQUIRE(reply.ok);
  std::string id = reply.body["ticket"]["id"];
  BOOST_REQUIRE(eventually([&] { return station.state()->ticket(id) != nullptr; }));
  auto events = station.take_events();
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  BOOST_TEST(events[0].type == "ticket.issued");
  BOOST_TEST(station.take_events().empty());
  BOOST_TEST(changes.load() > 0);

  // A kiosk's request that the broker refuses with its reason (a kiosk key may not send
  // counter.next at all: that would be forbidden before the counter is looked up).
  auto bad = station.submit("ticket.issue", json{{"office", "goerlitz"}, {"services", {"nowhere"}}}).get();
  BOOST_TEST(!bad.ok);
  BOOST_TEST(bad.error == wm::core::ErrorCode::not_found);

  broker.kill9();
  BOOST_REQUIRE(eventually([&] { return !station.online(); }));
  broker.start();
  {
    auto c = broker.client();
    c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  }
  BOOST_REQUIRE(eventually([&] { return station.online() && station.state()->tickets_of("goerlitz").size() == 2; }, 15s));
  // Nothing from before the outage is handed out again (a display must not announce old
  // calls), and nothing twice. Whether ticket #2 comes as news or inside the re-snapshot
  // depends on which was first, the station's reconnect or the issue, so either is right here
  // (1 in 4 runs on a busy machine it is news); that events folded into a snapshot are never
  // news is core_test_event_feed's check, against a broker whose snapshot seq it sets.
  std::set<std::uint64_t> seen;
  for (const auto& e : station.take_events()) {
    BOOST_TEST(e.seq > 1u, e.type << " #" << e.seq << " was announced before the outage");
    BOOST_TEST(seen.insert(e.seq).second, e.type << " #" << e.seq << " handed out twice");
  }
}

BOOST_AUTO_TEST_CASE(unreachable_broker_gives_a_clear_refusal) {
  wm::test::BrokerProcess broker;  // never started
  wm::core::StationOptions opts{broker.command_endpoint(), broker.event_endpoint(), "", "counter", "x", {}};
  opts.request_timeout = 500ms;
  wm::core::Station station(broker.region(), opts);
  auto r = station.submit("counter.next", json{{"counter", "goerlitz-1"}}).get();
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.error == wm::core::ErrorCode::unavailable);
  BOOST_TEST(!station.online());
}
