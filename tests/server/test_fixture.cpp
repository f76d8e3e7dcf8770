// The test fixture itself: BrokerProcess runs CURVE with a key per role by default (issue 15),
// so a suite that forgets its keys fails instead of silently testing plain transport.
#define BOOST_TEST_MODULE server_fixture
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "core/permissions.hpp"
#include "server/keys.hpp"
#include "tests/support/broker_process.hpp"

using wm::core::json;
using namespace std::chrono_literals;

namespace {
const json kIssue{{"office", "goerlitz"}, {"services", {"kfz-neu"}}};
}

BOOST_AUTO_TEST_CASE(default_broker_refuses_a_client_without_key_and_serves_the_admin) {
  wm::test::BrokerProcess broker;
  BOOST_TEST((broker.transport() == wm::test::Transport::curve));
  broker.start();
  // No key: no CURVE handshake, no answer.
  wm::core::BrokerClient keyless(broker.zmq(), broker.command_endpoint());
  BOOST_CHECK_THROW(keyless.request("hello", {{"client", "cli"}}, 1200ms), wm::core::TimeoutError);
  BOOST_CHECK_THROW(keyless.request("ticket.issue", kIssue, 1200ms), wm::core::TimeoutError);
  // A key of the right form that nobody registered: refused by ZAP.
  wm::core::BrokerClient stranger(broker.zmq(), broker.command_endpoint(), broker.stranger());
  BOOST_CHECK_THROW(stranger.request("hello", {{"client", "cli"}}, 1200ms), wm::core::TimeoutError);
  // client() is the admin: it may do what only an admin may, in any office.
  auto admin = broker.client();
  BOOST_TEST(admin.call("ticket.issue", kIssue).ok);
  BOOST_TEST(admin.call("ticket.issue", {{"office", "zittau"}, {"services", {"kfz-neu"}}}).ok);
  BOOST_TEST(admin.request("hello", {{"client", "cli"}}).contains("seq"));
}

BOOST_AUTO_TEST_CASE(every_standard_key_is_registered_with_its_role_and_office) {
  wm::test::BrokerProcess broker;
  auto reg = wm::server::KeyRegistry::load(wm::server::KeyRegistry::file_in(broker.keys_dir()));
  auto check = [&](const std::string& name, const std::string& role, std::vector<std::string> offices) {
    const auto* d = reg.by_name(name);
    BOOST_REQUIRE_MESSAGE(d, name << " is not registered");
    BOOST_TEST(d->role == role, name);
    BOOST_TEST(d->offices == offices, name);
    BOOST_TEST(d->public_key == broker.keys(name).device.public_key, name);
    BOOST_TEST(broker.keys(name).server_public == broker.server_public(), name);
  };
  check("admin", "admin", {});
  check("backoffice", "backoffice", {});
  check("dashboard", "dashboard", {});
  for (const auto& office : broker.region()->offices)
    for (const char* role : {"kiosk", "display", "counter", "dashboard"})
      check(office.id + "-" + role, role, {office.id});
  BOOST_CHECK_THROW(broker.keys("nobody"), std::out_of_range);
  // The env lines point at real key files that load as the same keys.
  auto env = broker.env("goerlitz-kiosk");
  BOOST_REQUIRE(env.size() == 2u);
  auto loaded = wm::core::load_curve_keys(broker.key_file("goerlitz-kiosk"), broker.server_key_file());
  BOOST_TEST(loaded.device.secret_key == broker.keys("goerlitz-kiosk").device.secret_key);
  BOOST_TEST(loaded.server_public == broker.server_public());
  // The server key file's path here has 40 characters, all of them Z85 ("/tmp/wm-test-XXXXXX/
  // data/keys/server.pub"): load_curve_keys() must read the file, not take the path as a key.
  BOOST_TEST(broker.server_key_file().size() == 40u);
  BOOST_TEST(wm::core::valid_z85_key(broker.server_key_file()));
}

BOOST_AUTO_TEST_CASE(role_keys_get_their_role_only) {
  wm::test::BrokerProcess broker;
  broker.start();
  // A display shows the queue; it issues nothing, not even in its own office.
  auto display = broker.client_as("goerlitz-display");
  BOOST_TEST(display.request("hello", {{"client", "display"}, {"office", "goerlitz"}}).contains("seq"));
  auto r = display.call("ticket.issue", kIssue);
  BOOST_TEST(!r.ok);
  BOOST_TEST((r.error == wm::core::ErrorCode::forbidden), r.message);
  // The kiosk of the same office may; the kiosk of another office may not issue here.
  BOOST_TEST(broker.client_as("goerlitz-kiosk").call("ticket.issue", kIssue).ok);
  auto foreign = broker.client_as("zittau-kiosk").call("ticket.issue", kIssue);
  BOOST_TEST(!foreign.ok);
  BOOST_TEST((foreign.error == wm::core::ErrorCode::forbidden), foreign.message);
  // A device registered by a test joins the same registry, live.
  auto extra = broker.register_device({"goerlitz-kiosk-2", "kiosk", {"goerlitz"}});
  BOOST_TEST(broker.client_as("goerlitz-kiosk-2").call("ticket.issue", kIssue).ok);
  BOOST_TEST(extra.device.public_key == broker.keys("goerlitz-kiosk-2").device.public_key);
}

BOOST_AUTO_TEST_CASE(plain_transport_is_the_named_exception) {
  // About plain transport itself: the exception serves a keyless client (the demo's admin).
  wm::test::BrokerProcess broker(wm::test::Transport::plain);
  broker.start();
  wm::core::BrokerClient keyless(broker.zmq(), broker.command_endpoint());
  BOOST_TEST(keyless.call("ticket.issue", kIssue).ok);
  BOOST_TEST(broker.env("admin").empty());
  BOOST_CHECK_THROW(broker.keys("admin"), std::logic_error);
}
