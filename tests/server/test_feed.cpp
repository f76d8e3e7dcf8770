// A subscriber that loses the broker (restart) ends with exactly the broker's state.
#define BOOST_TEST_MODULE server_feed
#include <boost/test/unit_test.hpp>

#include <map>
#include <thread>

#include "core/client/event_feed.hpp"
#include "core/clock.hpp"
#include "core/visibility.hpp"
#include "tests/support/broker_process.hpp"

using wm::core::json;
using namespace std::chrono_literals;

namespace {

// Polls until the replica is online and at the broker's sequence, or the deadline passes.
bool catch_up(wm::core::EventFeed& feed, wm::test::BrokerProcess& broker, std::chrono::seconds limit) {
  auto c = broker.client();
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    feed.poll(100ms);
    json hello = c.request("hello", json{{"client", "cli"}});
    if (feed.online() && feed.state().seq() == hello["seq"].get<std::uint64_t>()) return true;
  }
  return false;
}

// What a screen replica and the broker must agree on: the public projection. The feed here
// refreshes on nothing, so staff fields (a finished ticket's outcome) reach it only when a
// snapshot happens to follow the event, never through the PUB: comparing them bets on a race.
json comparable(json snap) {
  snap = wm::core::project_snapshot(std::move(snap), wm::core::Viewer::screen());
  snap.erase("service_times");  // derived averages; floating point
  return snap;
}

}  // namespace

BOOST_AUTO_TEST_CASE(replica_follows_events_and_resyncs_after_restart) {
  wm::test::BrokerProcess broker;
  broker.start();
  wm::core::EventFeed feed(broker.zmq(), broker.command_endpoint(), broker.event_endpoint(),
                           broker.region(), {}, broker.keys("admin"));
  BOOST_REQUIRE(catch_up(feed, broker, 10s));
  auto c = broker.client();
  c.request("counter.open", json{{"counter", "goerlitz-1"}});
  for (int i = 0; i < 20; ++i)
    c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  json called = c.request("counter.next", json{{"counter", "goerlitz-1"}});

  // Live events arrive and are applied in order: the call is visible without a snapshot.
  int snapshots_before = feed.snapshots_taken();
  BOOST_REQUIRE(catch_up(feed, broker, 10s));
  BOOST_TEST(feed.snapshots_taken() == snapshots_before);
  BOOST_TEST(feed.state().recent_calls("goerlitz").front().number ==
             called["ticket"]["number"].get<std::string>());

  // The broker dies and comes back; meanwhile more happens that the feed cannot see.
  broker.kill9();
  feed.poll(200ms);
  broker.start();
  auto c2 = broker.client();
  c2.request("counter.finish", json{{"counter", "goerlitz-1"}});
  for (int i = 0; i < 5; ++i)
    c2.request("ticket.issue", json{{"office", "zittau"}, {"services", {"beglaubigung"}}});
  BOOST_REQUIRE(catch_up(feed, broker, 15s));
  json server = c2.request("snapshot", json::object());
  BOOST_TEST(comparable(feed.state().snapshot()).dump() == comparable(server).dump());
}

BOOST_AUTO_TEST_CASE(office_feed_sees_only_its_office_and_detects_nothing_missing) {
  wm::test::BrokerProcess broker;
  broker.start();
  wm::core::EventFeed feed(broker.zmq(), broker.command_endpoint(), broker.event_endpoint(),
                           broker.region(), "zittau", broker.keys("zittau-display"));
  auto c = broker.client();
  for (int i = 0; i < 10; ++i) {
    c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
    c.request("ticket.issue", json{{"office", "zittau"}, {"services", {"kfz-neu"}}});
  }
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline &&
         (feed.state().office_seq("zittau") < 10 || !feed.online()))
    feed.poll(100ms);
  BOOST_TEST(feed.state().office_seq("zittau") == 10u);
  BOOST_TEST(feed.state().tickets_of("zittau").size() == 10u);
  BOOST_TEST(feed.state().tickets_of("goerlitz").empty());
  json server = c.request("snapshot", json{{"office", "zittau"}});
  BOOST_TEST(comparable(feed.state().snapshot("zittau")).dump() == comparable(server).dump());
}

// The apps say hello with their station name only; the office an office head needs on an
// "offline" alert comes from the configuration, not from the client. Presence is office staff
// data (issue 14): a staff screen's feed gets it from its projected snapshot, which it takes
// again after client.online; the public event carries no station name.
BOOST_AUTO_TEST_CASE(presence_carries_the_station_office_from_the_config) {
  wm::test::BrokerProcess broker;
  broker.start();
  wm::core::EventFeed feed(broker.zmq(), broker.command_endpoint(), broker.event_endpoint(),
                           broker.region(), {}, broker.keys("admin"));
  feed.refresh_on(wm::core::EventFeed::staff_refresh_types());
  BOOST_REQUIRE(catch_up(feed, broker, 10s));
  const int refreshes = feed.refreshes_taken();
  auto counter = broker.client_as("zittau-2");
  counter.request("hello", json{{"client", "counter"}, {"name", "zittau-2"}});
  auto kiosk = broker.client_as("goerlitz-kiosk-1");
  kiosk.request("hello", json{{"client", "kiosk"}, {"name", "goerlitz-kiosk-1"}});
  BOOST_REQUIRE(catch_up(feed, broker, 10s));
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (feed.state().presence().size() < 2 && std::chrono::steady_clock::now() < deadline)
    feed.poll(100ms);
  BOOST_TEST(feed.refreshes_taken() > refreshes);
  const auto& presence = feed.state().presence();
  BOOST_REQUIRE(presence.count("zittau-2"));
  BOOST_TEST(presence.at("zittau-2").office == "zittau");
  BOOST_TEST(presence.at("zittau-2").online);
  BOOST_REQUIRE(presence.count("goerlitz-kiosk-1"));
  BOOST_TEST(presence.at("goerlitz-kiosk-1").office == "goerlitz");
}

// What screens receive, raw off the wire: the journal's event with status-page tokens and
// booking codes stripped, every event parseable and carrying its sequence numbers.
BOOST_AUTO_TEST_CASE(published_events_carry_no_tokens_or_booking_codes) {
  wm::test::BrokerProcess broker;
  broker.start();
  zmq::socket_t sub(broker.zmq(), zmq::socket_type::sub);
  wm::core::apply_curve(sub, broker.keys("goerlitz-display"));  // what a screen receives
  sub.set(zmq::sockopt::subscribe, "o/");
  sub.set(zmq::sockopt::subscribe, "r/");
  sub.connect(broker.event_endpoint());
  std::this_thread::sleep_for(300ms);  // the subscription reaches the broker
  auto c = broker.client();
  json issued = c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  std::string token = issued["token"];
  // The slot is on the broker's day (its clock, not a literal date): check-in is same-day only.
  const std::string today = wm::core::local_day(c.request("hello", json{{"client", "cli"}})["time"].get<wm::core::Millis>());
  c.request("appointment.import",
            json{{"appointments", {{{"code", "GEHEIM42"}, {"office", "goerlitz"}, {"service", "kfz-neu"},
                                    {"slot", today + "T10:00"}}}}});
  c.request("appointment.checkin", json{{"office", "goerlitz"}, {"code", "GEHEIM42"}});
  c.request("counter.open", json{{"counter", "goerlitz-1"}});
  c.request("counter.next", json{{"counter", "goerlitz-1"}});
  std::map<std::string, json> seen;
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (seen.size() < 5 && std::chrono::steady_clock::now() < deadline) {
    zmq::message_t topic, payload;
    if (!sub.recv(topic, zmq::recv_flags::dontwait)) {
      std::this_thread::sleep_for(10ms);
      continue;
    }
    BOOST_REQUIRE(sub.recv(payload));
    if (topic.to_string() == "hb") continue;
    std::string text = payload.to_string();
    BOOST_TEST(text.find(token) == std::string::npos, text);
    BOOST_TEST(text.find("GEHEIM42") == std::string::npos, text);
    json e = json::parse(text);
    BOOST_TEST(e["seq"].get<std::uint64_t>() > 0u);
    BOOST_TEST(e["v"] == 1);
    seen[e["type"].get<std::string>()] = e;
  }
  BOOST_REQUIRE(seen.count("ticket.issued"));
  BOOST_TEST(!seen["ticket.issued"]["body"]["ticket"].contains("token"));
  BOOST_TEST(seen["ticket.issued"]["body"]["ticket"]["number"].is_string());
  BOOST_REQUIRE(seen.count("appointments.imported"));
  BOOST_TEST(seen["appointments.imported"]["body"]["count"] == 1);
  BOOST_TEST(seen["appointments.imported"]["body"]["appointments"].empty());
  BOOST_REQUIRE(seen.count("ticket.called"));
  BOOST_TEST(seen["ticket.called"]["office"] == "goerlitz");
  BOOST_TEST(seen["ticket.called"]["body"]["counter"] == "goerlitz-1");
}
