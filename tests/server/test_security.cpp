// Security against a real CURVE broker: ZAP admits only registered keys, revocation is live,
// and the whole permission table (role x message, own office vs. foreign office) is enforced.
#define BOOST_TEST_MODULE server_security
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdio>
#include <map>
#include <thread>

#include "core/client/event_feed.hpp"
#include "core/permissions.hpp"
#include "server/keys.hpp"
#include "tests/support/broker_process.hpp"

using wm::core::DeviceRole;
using wm::core::json;

namespace {

// One registered device per role; the key name is the station id where the role has one.
struct Device {
  DeviceRole role;
  std::string name;
  std::vector<std::string> offices;
};
const std::vector<Device> kDevices{
    {DeviceRole::kiosk, "goerlitz-kiosk-1", {"goerlitz"}},
    {DeviceRole::display, "goerlitz-display-eg", {"goerlitz"}},
    {DeviceRole::counter, "goerlitz-1", {"goerlitz"}},
    {DeviceRole::counter, "goerlitz-2", {"goerlitz"}},
    {DeviceRole::dashboard, "goerlitz-head", {"goerlitz"}},
    {DeviceRole::backoffice, "backoffice-1", {}},
    {DeviceRole::cli, "admin-cli", {}},
};

int run_cli(const std::string& args) {
  std::string cmd = wm::test::binary_path("wartemarke") + " " + args + " >/dev/null 2>&1";
  return WEXITSTATUS(std::system(cmd.c_str()));
}

// The fixture's CURVE broker with one more key per role, named as this suite's stations are,
// registered the way an admin would.
struct SecureBroker {
  wm::test::BrokerProcess broker;
  std::string keys_dir = broker.keys_dir();
  std::string server_public = broker.server_public();
  std::map<std::string, wm::core::CurveKeys> keys;  // by device name

  SecureBroker() {
    // An office role without offices is the county-wide back office: said explicitly.
    for (const auto& d : kDevices)
      keys[d.name] = broker.register_device({d.name, std::string(wm::core::device_role_name(d.role)), d.offices});
    broker.start();
  }
  wm::core::BrokerClient client(const std::string& device) {
    return wm::core::BrokerClient(broker.zmq(), broker.command_endpoint(), keys.at(device));
  }
  wm::core::CurveKeys stranger() const { return broker.stranger(); }
};

bool denied(const wm::core::Reply& r) {
  return !r.ok && r.error == wm::core::ErrorCode::forbidden &&
         r.message.rfind("not permitted", 0) == 0;
}

// A body that passes validation, touching `office` (goerlitz or zittau) where it can.
json body_for(const wm::core::MessageSpec& spec, const Device& d, const std::string& office,
              const std::string& ticket) {
  json b = json::object();
  for (const auto& f : spec.fields) {
    std::string n = f.name;
    bool locating = n == "office" || n == "counter" || n == "device" || n == "ticket";
    if (!f.required && !locating) continue;
    using FT = wm::core::FieldType;
    if (n == "office") b[n] = office;
    // A station introduces itself as what its key is (hello's presence rule).
    else if (n == "client") b[n] = std::string(wm::core::device_role_name(d.role));
    else if (n == "counter") b[n] = office == "goerlitz" && d.role == DeviceRole::counter ? d.name : office + "-1";
    else if (n == "device") b[n] = office == "goerlitz" ? d.name : "zittau-kiosk-1";
    else if (n == "ticket") b[n] = ticket;
    else if (n == "services") b[n] = json::array({"kfz-neu"});
    else if (n == "day") b[n] = "2026-11-22";
    else if (n == "appointments")
      b[n] = json::array({{{"code", "SEC" + office}, {"office", office}, {"service", "kfz-neu"},
                           {"slot", "2026-11-22T10:00"}}});
    else if (f.type == FT::string) b[n] = f.allowed.empty() ? std::string("x") : std::string(f.allowed[0]);
    else if (f.type == FT::integer) b[n] = 1;
    else if (f.type == FT::boolean) b[n] = false;
    else if (f.type == FT::object) b[n] = json::object();
    else if (f.type == FT::object_list) b[n] = json::array();
    else b[n] = json::array({"x"});
  }
  return b;
}

// Who logs in at which counter station in these tests (demo staff, PIN 1234).
const std::map<std::string, std::string> kStaffAt{{"goerlitz-1", "tweber"}, {"goerlitz-2", "anowak"}};

wm::core::Reply log_in(wm::core::BrokerClient& c, const std::string& counter) {
  return c.call("staff.login", {{"login", kStaffAt.at(counter)}, {"secret", "1234"}, {"counter", counter}});
}

bool allowed(const wm::core::MessageSpec* p, DeviceRole r) {
  if (r == DeviceRole::admin || r == DeviceRole::cli) return true;
  return p && std::find(p->roles.begin(), p->roles.end(), r) != p->roles.end();
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_message_has_a_permission_row) {
  for (const auto& spec : wm::core::message_specs())
    BOOST_TEST(wm::core::find_message(spec.type) == &spec, spec.type << " is not found by its type");
  // A display issues nothing: every row that changes state excludes it.
  for (const auto& spec : wm::core::message_specs())
    if (spec.writes && std::string(spec.type) != "device.status")
      BOOST_TEST(!allowed(&spec, DeviceRole::display), spec.type);
}

BOOST_AUTO_TEST_CASE(plain_and_unknown_keys_are_refused_and_logged) {
  SecureBroker s;
  BOOST_TEST(s.client("goerlitz-kiosk-1").request("hello", {{"client", "kiosk"}}).contains("seq"));
  wm::core::BrokerClient plain(s.broker.zmq(), s.broker.command_endpoint());
  BOOST_CHECK_THROW(plain.request("hello", {{"client", "kiosk"}}, std::chrono::milliseconds(1200)),
                    wm::core::TimeoutError);
  wm::core::BrokerClient unknown(s.broker.zmq(), s.broker.command_endpoint(), s.stranger());
  BOOST_CHECK_THROW(unknown.request("hello", {{"client", "kiosk"}}, std::chrono::milliseconds(1200)),
                    wm::core::TimeoutError);
  // A client that claims the right server key but holds the wrong one cannot even handshake.
  auto forged = s.keys.at("goerlitz-kiosk-1");
  forged.server_public = wm::core::generate_key_pair().public_key;
  wm::core::BrokerClient mitm(s.broker.zmq(), s.broker.command_endpoint(), forged);
  BOOST_CHECK_THROW(mitm.request("hello", {{"client", "kiosk"}}, std::chrono::milliseconds(1200)),
                    wm::core::TimeoutError);
  std::string log = s.broker.log();
  BOOST_TEST(log.find("is not registered or is revoked") != std::string::npos);
  // The plain client and the one with the wrong server key never reached ZAP: the monitor saw them.
  BOOST_TEST(log.find("commands: refused") != std::string::npos, log);
  // The event stream is just as closed: a stranger's feed never gets in sync.
  wm::core::EventFeed display(s.broker.zmq(), s.broker.command_endpoint(), s.broker.event_endpoint(),
                              s.broker.region(), "goerlitz", s.keys.at("goerlitz-display-eg"));
  wm::core::EventFeed spy(s.broker.zmq(), s.broker.command_endpoint(), s.broker.event_endpoint(),
                          s.broker.region(), "goerlitz", s.stranger());
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  while (std::chrono::steady_clock::now() < until && !display.online()) display.poll(std::chrono::milliseconds(100));
  spy.poll(std::chrono::milliseconds(1500));
  BOOST_TEST(display.online());
  BOOST_TEST(!spy.online());
}

BOOST_AUTO_TEST_CASE(revocation_takes_effect_without_restart) {
  SecureBroker s;
  auto kiosk = s.client("goerlitz-kiosk-1");
  json issue{{"office", "goerlitz"}, {"services", {"kfz-neu"}}};
  BOOST_TEST(kiosk.call("ticket.issue", issue).ok);
  BOOST_TEST(run_cli("keys --keys " + s.keys_dir + " revoke goerlitz-kiosk-1") == 0);
  // The open connection loses its rights at once (the broker checks the key per message) ...
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  wm::core::Reply r;
  do {
    r = kiosk.call("ticket.issue", issue);
  } while (r.ok && std::chrono::steady_clock::now() < deadline);
  BOOST_TEST(denied(r));
  // ... and a new connection with the revoked key is refused by ZAP.
  auto again = s.client("goerlitz-kiosk-1");
  BOOST_CHECK_THROW(again.request("hello", {{"client", "kiosk"}}, std::chrono::milliseconds(1200)),
                    wm::core::TimeoutError);
  // Registering a new key for the kiosk lets it back in, still without a restart.
  auto fresh = wm::core::generate_key_pair();
  wm::core::write_key_file(s.broker.data_dir() + "/k.pub", fresh, "test", false);
  BOOST_TEST(run_cli("keys --keys " + s.keys_dir + " register goerlitz-kiosk-1 --role kiosk --office goerlitz --key-file " +
                     s.broker.data_dir() + "/k.pub") == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  wm::core::BrokerClient back(s.broker.zmq(), s.broker.command_endpoint(), wm::core::CurveKeys{s.server_public, fresh});
  BOOST_TEST(back.call("ticket.issue", issue).ok);
}

BOOST_AUTO_TEST_CASE(the_whole_permission_table_against_a_real_broker) {
  SecureBroker s;
  auto admin = s.client("admin-cli");
  std::map<std::string, std::string> ticket_in;
  for (std::string office : {"goerlitz", "zittau"}) {
    json t = admin.request("ticket.issue", {{"office", office}, {"services", {"kfz-neu"}}});
    ticket_in[office] = t["ticket"]["id"];
  }
  int checks = 0;
  for (const auto& d : kDevices) {
    auto c = s.client(d.name);
    for (const auto& spec : wm::core::message_specs()) {
      const auto* p = &spec;  // the request row carries its roles and scope
      bool may = allowed(p, d.role);
      // A counter station works only with a staff member logged in there (counter.close in
      // the walk ends the session, so log in again before each message).
      if (d.role == DeviceRole::counter) BOOST_TEST_REQUIRE(log_in(c, d.name).ok);
      auto own = c.call(spec.type, body_for(spec, d, "goerlitz", ticket_in["goerlitz"]));
      BOOST_TEST(denied(own) == !may, wm::core::device_role_name(d.role)
                                          << " " << spec.type << " in its office: " << own.message);
      ++checks;
      // The same request aimed at another office: only unrestricted devices may.
      if (!may || !p || p->scope == wm::core::Scope::any) continue;
      auto foreign = c.call(spec.type, body_for(spec, d, "zittau", ticket_in["zittau"]));
      bool may_foreign = d.offices.empty() && p->scope != wm::core::Scope::own_device;
      if (d.role == DeviceRole::cli) may_foreign = true;
      BOOST_TEST(denied(foreign) == !may_foreign, wm::core::device_role_name(d.role)
                                                      << " " << spec.type << " in zittau: " << foreign.message);
      ++checks;
    }
  }
  BOOST_TEST_MESSAGE(checks << " permission checks");
  BOOST_TEST(checks > 150);
  // A counter station keyed by its counter id reads ID data only at its own counter.
  auto counter = s.client("goerlitz-1");
  BOOST_TEST(denied(counter.call("identity.read", {{"counter", "goerlitz-2"}})));
}

BOOST_AUTO_TEST_CASE(counter_sessions_are_bound_to_the_station_that_logged_in) {
  SecureBroker s;
  auto admin = s.client("admin-cli");
  for (int i = 0; i < 3; ++i) admin.request("ticket.issue", {{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  auto one = s.client("goerlitz-1");
  auto two = s.client("goerlitz-2");
  json at_one{{"counter", "goerlitz-1"}};
  // No session yet: a station can neither act nor open its counter without a PIN.
  auto before = one.call("counter.next", at_one);
  BOOST_TEST(denied(before));
  BOOST_TEST(before.message.find("staff.login first") != std::string::npos, before.message);
  BOOST_TEST(denied(one.call("counter.open", {{"counter", "goerlitz-1"}, {"staff", "tweber"}})));
  BOOST_TEST(denied(one.call("ticket.issue", {{"office", "goerlitz"}, {"services", {"kfz-neu"}}})));
  // The panic button works regardless.
  BOOST_TEST(one.call("counter.panic", at_one).ok);
  // A station keyed by its counter id logs staff in only there.
  BOOST_TEST(denied(two.call("staff.login", {{"login", "tweber"}, {"secret", "1234"}, {"counter", "goerlitz-1"}})));

  BOOST_TEST_REQUIRE(log_in(one, "goerlitz-1").ok);
  BOOST_TEST_REQUIRE(log_in(two, "goerlitz-2").ok);
  BOOST_TEST(one.call("counter.next", at_one).ok);
  // Another station of the same office cannot work goerlitz-1's counter or read its visitor.
  auto foreign = two.call("counter.finish", at_one);
  BOOST_TEST(denied(foreign));
  BOOST_TEST(foreign.message.find("in use at station 'goerlitz-1'") != std::string::npos, foreign.message);
  BOOST_TEST(denied(two.call("identity.read", at_one)));
  BOOST_TEST(two.call("counter.next", {{"counter", "goerlitz-2"}}).ok);

  // The session belongs to the key, not the connection: a reconnect keeps it ...
  auto again = s.client("goerlitz-1");
  BOOST_TEST(again.call("counter.start", at_one).ok);
  // ... and so does a broker restart (journaled with counter.changed).
  s.broker.kill9();
  s.broker.start();
  auto after = s.client("goerlitz-1");
  BOOST_TEST(after.call("counter.finish", at_one).ok);
  BOOST_TEST(denied(s.client("goerlitz-2").call("counter.next", at_one)));

  // Logging out (closing the counter) ends it; the next action needs a PIN again.
  BOOST_TEST(after.call("counter.close", at_one).ok);
  BOOST_TEST(denied(after.call("counter.next", at_one)));
  // An administrator opening the counter for someone does not give any station a session.
  BOOST_TEST(admin.call("counter.open", {{"counter", "goerlitz-1"}, {"staff", "tweber"}}).ok);
  auto by_admin = after.call("counter.next", at_one);
  BOOST_TEST(denied(by_admin));
  BOOST_TEST(by_admin.message.find("without a login at a station") != std::string::npos, by_admin.message);
  BOOST_TEST(log_in(after, "goerlitz-1").ok);  // the same staff takes it over with the PIN
  BOOST_TEST(after.call("counter.next", at_one).ok);
  // Another person cannot log in over a session in use.
  auto over = after.call("staff.login", {{"login", "kschulze"}, {"secret", "1234"}, {"counter", "goerlitz-1"}});
  BOOST_TEST(!over.ok);
  BOOST_TEST(over.error == wm::core::ErrorCode::invalid_state);
}
