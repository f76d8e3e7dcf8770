// The server's HTTP side: health, metrics, and the visitor status page in a real headless Chromium.
#define BOOST_TEST_MODULE server_http
#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include <array>
#include <cstdio>

#include "tests/support/broker_process.hpp"
#include "server/keys.hpp"
#include "tests/support/shell.hpp"

using wm::core::json;

namespace {

std::string chromium_dom(const std::string& url, int budget_ms) {
  wm::test::TempDir profile;
  std::string cmd =
      "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--user-data-dir=" + profile.path().string() +
      " --virtual-time-budget=" + std::to_string(budget_ms) + " --dump-dom '" + url + "' 2>/dev/null";
  return wm::test::run_shell(cmd).out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(health_and_metrics) {
  wm::test::BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  httplib::Client http("127.0.0.1", broker.http_port());
  auto health = http.Get("/healthz");
  BOOST_REQUIRE(health);
  BOOST_TEST(health->status == 200);
  BOOST_TEST(health->body.find("ok seq=1") == 0u);
  auto metrics = http.Get("/metrics");
  BOOST_REQUIRE(metrics);
  BOOST_TEST(metrics->body.find("wartemarke_waiting{office=\"goerlitz\"} 1") != std::string::npos);
  BOOST_TEST(metrics->body.find("wartemarke_store_bytes") != std::string::npos);
  auto unknown = http.Get("/t/AAAAAAAAAAAAAAAAAAAAAAAA");
  BOOST_REQUIRE(unknown);
  BOOST_TEST(unknown->status == 404);
  BOOST_TEST(unknown->body.find("unbekannt") != std::string::npos);
  auto garbage = http.Get("/t/%3Cscript%3E");
  BOOST_REQUIRE(garbage);
  BOOST_TEST(garbage->status == 404);

  // The broker gone: health says so instead of hanging.
  broker.kill9();
}

// Production runs CURVE (so does the fixture): the HTTP side inside the server must still reach
// its own broker (with a key that exists only in that process), while a stranger's plain client
// is refused.
BOOST_AUTO_TEST_CASE(health_and_status_page_work_on_a_curve_broker) {
  wm::test::BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  json t = c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});

  httplib::Client http("127.0.0.1", broker.http_port());
  auto health = http.Get("/healthz");
  BOOST_REQUIRE(health);
  BOOST_TEST(health->status == 200);
  BOOST_TEST(health->body.find("ok seq=1") == 0u);
  auto page = http.Get("/api/t/" + t["token"].get<std::string>());
  BOOST_REQUIRE(page);
  BOOST_TEST(page->status == 200);
  BOOST_TEST(page->body.find(t["ticket"]["number"].get<std::string>()) != std::string::npos);
  auto metrics = http.Get("/metrics");
  BOOST_REQUIRE(metrics);
  BOOST_TEST(metrics->body.find("wartemarke_up 1") != std::string::npos);
  // The in-process key never reaches the registry file an admin (or a thief) could read.
  // Every entry of the file is one of the fixture's own test keys (keys() throws for another).
  auto file = wm::server::KeyRegistry::file_in(broker.keys_dir());
  const auto registry = wm::server::KeyRegistry::load(file);
  BOOST_TEST(!registry.devices().empty());
  for (const auto& d : registry.devices())
    BOOST_TEST(d.public_key == broker.keys(d.name).device.public_key, d.name);
}

BOOST_AUTO_TEST_CASE(status_page_in_chromium_follows_the_ticket_live_in_its_language) {
  wm::test::BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  c.request("counter.open", json{{"counter", "goerlitz-1"}});
  c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  json mine = c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}, {"language", "pl"}});
  std::string token = mine["token"];
  std::string url = "http://127.0.0.1:" + std::to_string(broker.http_port()) + "/t/" + token;

  std::string dom = chromium_dom(url, 1000);
  BOOST_TEST_MESSAGE(dom.substr(0, 300));
  BOOST_TEST(dom.find("K002") != std::string::npos);
  BOOST_TEST(dom.find("Czekasz") != std::string::npos);        // Polish: "you are waiting"
  BOOST_TEST(dom.find("Przed Tobą: 1") != std::string::npos);   // K001 is ahead

  // Called while the page is open: the page's own refresh shows it.
  c.request("counter.next", json{{"counter", "goerlitz-1"}});
  c.request("counter.finish", json{{"counter", "goerlitz-1"}});
  c.request("counter.next", json{{"counter", "goerlitz-1"}});
  dom = chromium_dom(url, 7000);
  BOOST_TEST(dom.find("Twoja kolej") != std::string::npos);
  BOOST_TEST(dom.find("Schalter 1") != std::string::npos);
  // No personal data or internal ids on the page.
  BOOST_TEST(dom.find(mine["ticket"]["id"].get<std::string>()) == std::string::npos);
}
