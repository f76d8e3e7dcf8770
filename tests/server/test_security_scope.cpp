// Office scope, retries and presence against a real CURVE broker with a key per role in TWO
// offices (issue 14, dispatch half): every role x message x {own, foreign office}, replayed
// request ids across keys, device parts, fake presences and the promised validation.
#define BOOST_TEST_MODULE server_security_scope
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/permissions.hpp"
#include "tests/support/broker_process.hpp"

using wm::core::DeviceRole;
using wm::core::ErrorCode;
using wm::core::json;
using wm::core::Reply;

namespace {

struct Device {
  DeviceRole role;
  std::string name;
  std::string office;  // empty: all offices (admin)
  bool walk = true;    // part of the whole-table walk
};
const std::vector<Device> kDevices{
    {DeviceRole::kiosk, "goerlitz-kiosk-1", "goerlitz"},
    {DeviceRole::kiosk, "goerlitz-kiosk-2", "goerlitz", false},
    {DeviceRole::display, "goerlitz-display-eg", "goerlitz"},
    {DeviceRole::counter, "goerlitz-1", "goerlitz"},
    {DeviceRole::dashboard, "goerlitz-head", "goerlitz"},
    {DeviceRole::backoffice, "goerlitz-backoffice", "goerlitz"},
    {DeviceRole::kiosk, "zittau-kiosk-1", "zittau"},
    {DeviceRole::display, "zittau-display-eg", "zittau"},
    {DeviceRole::counter, "zittau-1", "zittau"},
    {DeviceRole::dashboard, "zittau-head", "zittau"},
    {DeviceRole::backoffice, "zittau-backoffice", "zittau"},
    {DeviceRole::cli, "admin-cli", ""},
};
// Demo staff (PIN 1234) who may work at each walked counter.
const std::map<std::string, std::string> kStaffAt{{"goerlitz-1", "tweber"}, {"zittau-1", "bkraus"}};

std::string other(const std::string& office) { return office == "goerlitz" ? "zittau" : "goerlitz"; }

struct ScopeBroker {
  wm::test::BrokerProcess broker{{"--clock-start", "2026-11-23T09:00"}};  // CURVE
  std::map<std::string, wm::core::CurveKeys> keys;

  // This suite's own devices beside the fixture's standard keys: the station ids it walks.
  ScopeBroker() {
    for (const auto& d : kDevices) {
      std::vector<std::string> offices;
      if (!d.office.empty()) offices.push_back(d.office);
      keys[d.name] = broker.register_device({d.name, std::string(wm::core::device_role_name(d.role)), offices});
    }
    broker.start();
  }
  wm::core::BrokerClient client(const std::string& device) {
    return wm::core::BrokerClient(broker.zmq(), broker.command_endpoint(), keys.at(device));
  }
};

bool denied(const Reply& r) {
  return !r.ok && r.error == ErrorCode::forbidden && r.message.rfind("not permitted", 0) == 0;
}

// Issue a kfz-neu ticket, call it at `counter` (opened by the admin) and forward it: its case id.
std::string forward_case(wm::core::BrokerClient& admin, const std::string& office,
                         const std::string& counter, const std::string& staff) {
  json t = admin.request("ticket.issue", {{"office", office}, {"services", {"kfz-neu"}}});
  admin.request("counter.open", {{"counter", counter}, {"staff", staff}});
  admin.request("counter.call", {{"counter", counter}, {"ticket", t["ticket"]["id"]}});
  json f = admin.request("counter.finish", {{"counter", counter}, {"forward", true}});
  admin.request("counter.close", {{"counter", counter}});
  return f["case"];
}

// Fields that name an office (directly or through a counter, device, ticket or case).
bool locating(const std::string& n) {
  return n == "office" || n == "counter" || n == "device" || n == "ticket" || n == "case" ||
         n == "appointments";
}

// A body that passes validation and touches `office` wherever the message can name one.
json body_for(const wm::core::MessageSpec& spec, const Device& d, const std::string& office,
              const std::map<std::string, std::string>& ticket_in,
              const std::map<std::string, std::string>& case_in) {
  json b = json::object();
  const bool own = office == d.office;
  std::string type = spec.type;
  for (const auto& f : spec.fields) {
    std::string n = f.name;
    if (!f.required && !locating(n)) continue;
    if (n == "case" && !f.required) continue;  // identity.read: by counter
    using FT = wm::core::FieldType;
    if (n == "office") b[n] = office;
    else if (n == "client") b[n] = std::string(wm::core::device_role_name(d.role));
    else if (n == "counter") b[n] = own && d.role == DeviceRole::counter ? d.name : office + "-1";
    else if (n == "device") b[n] = (own ? d.name : office + "-kiosk-1") + "/printer";
    else if (n == "ticket") b[n] = ticket_in.at(office);
    else if (n == "case") b[n] = case_in.at(office);
    else if (n == "services") b[n] = json::array({"kfz-neu"});
    else if (n == "day") b[n] = "2026-11-23";
    else if (n == "staff") b[n] = "hzimmermann";
    else if (n == "appointments")
      b[n] = json::array({{{"code", "SC" + office}, {"office", office}, {"service", "kfz-neu"},
                           {"slot", "2026-11-23T10:00"}}});
    else if (f.type == FT::string) b[n] = f.allowed.empty() ? std::string("x") : std::string(f.allowed[0]);
    else if (f.type == FT::integer) b[n] = 1;
    else if (f.type == FT::boolean) b[n] = false;
    else if (f.type == FT::object) b[n] = json::object();
    else if (f.type == FT::object_list) b[n] = json::array();
    else b[n] = json::array({"x"});
  }
  return b;
}

bool role_may(const wm::core::MessageSpec* p, DeviceRole r) {
  if (r == DeviceRole::admin || r == DeviceRole::cli) return true;
  return p && std::find(p->roles.begin(), p->roles.end(), r) != p->roles.end();
}

int count_lines(const std::string& path, const std::string& needle) {
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (std::getline(in, line))
    if (line.find(needle) != std::string::npos) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_role_every_message_own_and_foreign_office) {
  ScopeBroker s;
  auto admin = s.client("admin-cli");
  std::map<std::string, std::string> ticket_in, case_in;
  case_in["goerlitz"] = forward_case(admin, "goerlitz", "goerlitz-3", "anowak");
  case_in["zittau"] = forward_case(admin, "zittau", "zittau-2", "mrichter");
  for (std::string office : {"goerlitz", "zittau"}) {
    json t = admin.request("ticket.issue", {{"office", office}, {"services", {"kfz-neu"}}});
    ticket_in[office] = t["ticket"]["id"];
  }
  int own_checks = 0, foreign_checks = 0;
  std::set<std::string> not_walked_foreign;
  for (const auto& d : kDevices) {
    if (!d.walk) continue;
    auto c = s.client(d.name);
    const bool admin_role = d.role == DeviceRole::cli;
    for (const auto& spec : wm::core::message_specs()) {
      const auto* p = &spec;  // the request row carries its roles and scope
      const bool may = role_may(p, d.role);
      const std::string own_office = d.office.empty() ? "goerlitz" : d.office;
      for (const std::string& office : {own_office, other(own_office)}) {
        const bool own = admin_role ? office == "goerlitz" : office == d.office;
        json body = body_for(spec, d, office, ticket_in, case_in);
        bool names_an_office = false;
        for (const auto& [k, v] : body.items()) names_an_office = names_an_office || locating(k);
        if (!own && !names_an_office) {  // nothing foreign to name: filtered lists, tested below
          not_walked_foreign.insert(spec.type);
          continue;
        }
        // A counter station works only with its staff logged in (counter.close ends it).
        if (d.role == DeviceRole::counter)
          BOOST_TEST_REQUIRE(c.call("staff.login", {{"login", kStaffAt.at(d.name)}, {"secret", "1234"},
                                                    {"counter", d.name}}).ok);
        Reply r = c.call(spec.type, body);
        bool expected = own ? may : admin_role || (may && p->scope == wm::core::Scope::any);
        BOOST_TEST(denied(r) == !expected, d.name << " " << spec.type << " in " << office << " "
                                                  << body.dump() << ": " << r.message);
        ++(own ? own_checks : foreign_checks);
      }
    }
  }
  BOOST_TEST_MESSAGE(own_checks << " own-office and " << foreign_checks << " foreign-office checks");
  const int n = static_cast<int>(wm::core::message_specs().size());
  BOOST_TEST(own_checks == 11 * n);
  BOOST_TEST(not_walked_foreign == (std::set<std::string>{"outbox.fetch"}));
  BOOST_TEST(foreign_checks == 11 * (n - 1));
}

BOOST_AUTO_TEST_CASE(back_office_keys_see_and_release_only_their_offices_cases) {
  ScopeBroker s;
  auto admin = s.client("admin-cli");
  std::string g = forward_case(admin, "goerlitz", "goerlitz-1", "tweber");
  std::string z = forward_case(admin, "zittau", "zittau-1", "bkraus");
  auto bo = s.client("goerlitz-backoffice");
  // case.list naming the foreign office is refused; without an office it is cut down.
  BOOST_TEST(denied(bo.call("case.list", {{"office", "zittau"}})));
  json listed = bo.request("case.list", json::object());
  BOOST_REQUIRE(listed["cases"].size() == 1u);
  BOOST_TEST(listed["cases"][0]["id"] == g);
  BOOST_TEST(admin.request("case.list", json::object())["cases"].size() == 2u);
  // Each case request resolves the case's office.
  BOOST_TEST(denied(bo.call("case.claim", {{"case", z}, {"staff", "hzimmermann"}})));
  BOOST_TEST(bo.call("case.claim", {{"case", g}, {"staff", "hzimmermann"}}).ok);
  BOOST_TEST(denied(bo.call("identity.read", {{"case", z}, {"staff", "hzimmermann"}})));
  BOOST_TEST(denied(bo.call("outbox.ack", {{"case", z}})));
  // The gateway of Görlitz gets only Görlitz's case, and each case released is audited.
  const std::string audit = s.broker.data_dir() + "/audit.log";
  int before = count_lines(audit, "outbox.fetch");
  json fetched = bo.request("outbox.fetch", {{"limit", 200}});
  BOOST_REQUIRE(fetched["cases"].size() == 1u);
  BOOST_TEST(fetched["cases"][0]["case"]["id"] == g);
  BOOST_TEST(count_lines(audit, "outbox.fetch") == before + 1);
  BOOST_TEST(count_lines(audit, "case/" + g) >= 1);
  BOOST_TEST(count_lines(audit, "case/" + z) == 0);
  json zfetched = s.client("zittau-backoffice").request("outbox.fetch", json::object());
  BOOST_REQUIRE(zfetched["cases"].size() == 1u);
  BOOST_TEST(zfetched["cases"][0]["case"]["id"] == z);
  BOOST_TEST(count_lines(audit, "outbox.fetch") == before + 2);
}

BOOST_AUTO_TEST_CASE(dashboards_get_statistics_of_their_offices_only) {
  ScopeBroker s;
  auto admin = s.client("admin-cli");
  for (std::string office : {"goerlitz", "zittau"})
    admin.request("ticket.issue", {{"office", office}, {"services", {"kfz-neu"}}});
  auto head = s.client("goerlitz-head");
  json st = head.request("stats", {{"day", "2026-11-23"}});
  BOOST_REQUIRE(st["offices"].size() == 1u);
  BOOST_TEST(st["offices"][0]["office"] == "goerlitz");
  BOOST_TEST(denied(head.call("stats", {{"day", "2026-11-23"}, {"office", "zittau"}})));
  BOOST_TEST(admin.request("stats", {{"day", "2026-11-23"}})["offices"].size() > 1u);
  // Public numbers of other offices stay readable: the kiosk suggests nearby offices.
  auto kiosk = s.client("zittau-kiosk-1");
  BOOST_TEST(kiosk.call("status", {{"office", "goerlitz"}}).ok);
  BOOST_TEST(kiosk.call("snapshot", {{"office", "goerlitz"}}).ok);
}

BOOST_AUTO_TEST_CASE(a_request_id_reused_by_another_device_gets_none_of_the_first_reply) {
  ScopeBroker s;
  auto a = s.client("goerlitz-kiosk-1");
  auto b = s.client("zittau-kiosk-1");
  const std::string id = "kiosk-restarted/1";
  json issue{{"office", "goerlitz"}, {"services", {"kfz-neu"}}};
  Reply first = a.call("ticket.issue", issue, id);
  BOOST_REQUIRE(first.ok);
  const std::string token = first.body["token"];
  // The same id from another kiosk is another request: its own ticket, in its own office.
  Reply other_kiosk = b.call("ticket.issue", {{"office", "zittau"}, {"services", {"kfz-neu"}}}, id);
  BOOST_REQUIRE(other_kiosk.ok);
  BOOST_TEST(other_kiosk.body["ticket"]["office"] == "zittau");
  BOOST_TEST(other_kiosk.body.dump().find(token) == std::string::npos);
  // A display's ping under that id is answered as a ping.
  Reply ping = s.client("goerlitz-display-eg").call("ping", json::object(), id);
  BOOST_REQUIRE(ping.ok);
  BOOST_TEST(ping.body.contains("seq"));
  BOOST_TEST(ping.body.dump().find(token) == std::string::npos);
  // The same kiosk retrying gets its first answer ...
  Reply retry = a.call("ticket.issue", issue, id);
  BOOST_TEST(retry.body.dump() == first.body.dump());
  // ... but the same id for another type or another body is refused, not answered.
  Reply other_type = a.call("ping", json::object(), id);
  BOOST_TEST(!other_type.ok);
  BOOST_TEST(other_type.error == ErrorCode::bad_envelope);
  BOOST_TEST(other_type.body.dump().find(token) == std::string::npos);
  Reply other_body = a.call("ticket.issue", {{"office", "goerlitz"}, {"services", {"kfz-um"}}}, id);
  BOOST_TEST(!other_body.ok);
  BOOST_TEST(other_body.error == ErrorCode::bad_envelope);
  BOOST_TEST(other_body.message.find("different request") != std::string::npos, other_body.message);
  // All of it holds after a restart, when the replies come back from the journal.
  s.broker.kill9();
  s.broker.start();
  auto a2 = s.client("goerlitz-kiosk-1");
  BOOST_TEST(a2.call("ticket.issue", issue, id).body.dump() == first.body.dump());
  BOOST_TEST(a2.call("ping", json::object(), id).error == ErrorCode::bad_envelope);
  Reply b2 = s.client("zittau-kiosk-1").call("ticket.issue", {{"office", "zittau"}, {"services", {"kfz-neu"}}}, id);
  BOOST_TEST(b2.body.dump() == other_kiosk.body.dump());
  Reply c2 = s.client("goerlitz-kiosk-2").call("ticket.issue", issue, id);
  BOOST_REQUIRE(c2.ok);
  BOOST_TEST(c2.body.dump().find(token) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_kiosk_reports_its_own_parts_only) {
  ScopeBroker s;
  json paper{{"device", "goerlitz-kiosk-1/printer"}, {"state", "paper_out"}};
  Reply own = s.client("goerlitz-kiosk-1").call("device.status", paper);
  BOOST_TEST(own.ok, own.message);
  BOOST_TEST(denied(s.client("goerlitz-kiosk-2").call("device.status", paper)));
  BOOST_TEST(denied(s.client("zittau-kiosk-1").call("device.status", paper)));
  // A name that merely starts like the kiosk's is another device.
  BOOST_TEST(denied(s.client("goerlitz-kiosk-1").call(
      "device.status", {{"device", "goerlitz-kiosk-10/printer"}, {"state", "ok"}})));
  json snap = s.client("admin-cli").request("snapshot", {{"office", "goerlitz"}});
  bool seen = false;
  for (const auto& dv : snap["devices"])
    seen = seen || (dv["device"] == "goerlitz-kiosk-1/printer" && dv["state"] == "paper_out");
  BOOST_TEST(seen);
}

// Staff sources are not bound by the opening hours (core/office_hours), so a kiosk key may
// issue only as the kiosk: otherwise 'source: cli' would open the office at night.
BOOST_AUTO_TEST_CASE(a_kiosk_key_issues_only_as_the_kiosk) {
  ScopeBroker s;
  auto kiosk = s.client("goerlitz-kiosk-1");
  json body{{"office", "goerlitz"}, {"services", {"kfz-neu"}}};
  BOOST_TEST(kiosk.call("ticket.issue", body).ok);
  body["source"] = "kiosk";
  BOOST_TEST(kiosk.call("ticket.issue", body).ok);
  for (const char* staff : {"cli", "counter"}) {
    body["source"] = staff;
    BOOST_TEST(denied(kiosk.call("ticket.issue", body)), staff);
  }
  body["source"] = "cli";
  BOOST_TEST(s.client("admin-cli").call("ticket.issue", body).ok);
}

BOOST_AUTO_TEST_CASE(a_key_announces_only_its_own_station) {
  ScopeBroker s;
  auto kiosk = s.client("goerlitz-kiosk-1");
  BOOST_TEST(denied(kiosk.call("hello", {{"client", "kiosk"}, {"name", "goerlitz-kiosk-2"}})));
  for (int i = 0; i < 5; ++i)
    BOOST_TEST(denied(kiosk.call("hello", {{"client", "kiosk"}, {"name", "fake-" + std::to_string(i)}})));
  BOOST_TEST(denied(kiosk.call("ping", {{"client", "display"}, {"name", "goerlitz-kiosk-1"}})));
  BOOST_TEST(denied(kiosk.call("hello", {{"client", "kiosk"}, {"name", "goerlitz-kiosk-1"}, {"office", "zittau"}})));
  BOOST_TEST(denied(s.client("zittau-kiosk-1").call("hello", {{"client", "kiosk"}, {"name", "goerlitz-kiosk-1"}})));
  // Its own name is fine, and is the only presence there is.
  BOOST_TEST(kiosk.call("hello", {{"client", "kiosk"}, {"name", "goerlitz-kiosk-1"}}).ok);
  json snap = s.client("admin-cli").request("snapshot", json::object());
  std::set<std::string> present;
  for (const auto& p : snap["presence"]) present.insert(p["name"].get<std::string>());
  BOOST_TEST(present == (std::set<std::string>{"goerlitz-kiosk-1"}));
  BOOST_TEST(s.broker.log().find("may announce only itself") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(validation_promised_by_the_protocol) {
  ScopeBroker s;
  auto admin = s.client("admin-cli");
  auto kiosk = s.client("goerlitz-kiosk-1");
  auto code = [](const Reply& r) { return r.ok ? std::string("ok") : std::string(wm::core::to_string(r.error)); };
  // outbox.fetch limit 1..200.
  for (int bad : {0, -1, 201})
    BOOST_TEST(code(admin.call("outbox.fetch", {{"limit", bad}})) == "bad_field", bad);
  for (int good : {1, 200}) BOOST_TEST(admin.call("outbox.fetch", {{"limit", good}}).ok, good);
  // Unknown office or kiosk: not_found, also from a key limited to one office.
  json nowhere{{"office", "nowhere"}, {"services", {"kfz-neu"}}};
  BOOST_TEST(code(kiosk.call("ticket.issue", nowhere)) == "not_found");
  BOOST_TEST(code(kiosk.call("status", {{"office", "nowhere"}})) == "not_found");
  BOOST_TEST(code(kiosk.call("ticket.issue", {{"office", "goerlitz"}, {"services", {"kfz-neu"}},
                                              {"kiosk", "goerlitz-kiosk-9"}})) == "not_found");
  BOOST_TEST(code(kiosk.call("ticket.issue", {{"office", "goerlitz"}, {"services", {"kfz-neu"}},
                                              {"kiosk", "zittau-kiosk-1"}})) == "bad_field");
  BOOST_TEST(kiosk.call("ticket.issue", {{"office", "goerlitz"}, {"services", {"kfz-neu"}},
                                         {"kiosk", "goerlitz-kiosk-1"}}).ok);
  // Unknown keys inside appointments.
  json appt{{"code", "V1"}, {"office", "goerlitz"}, {"service", "kfz-neu"}, {"slot", "2026-11-23T10:00"}};
  BOOST_TEST(admin.call("appointment.import", {{"appointments", {appt}}}).ok);
  appt["colour"] = "blue";
  Reply extra = admin.call("appointment.import", {{"appointments", {appt}}});
  BOOST_TEST(code(extra) == "bad_field");
  BOOST_TEST(extra.body.value("field", "") == "appointments[0]");
  // A missing body is an empty one: fine without required fields, else bad_field naming one.
  auto raw = [&](const std::string& frame) {
    return wm::core::decode_reply(admin.raw(frame, std::chrono::seconds(3))).value_or(Reply{});
  };
  BOOST_TEST(raw(R"({"v":1,"id":"nb1","type":"status"})").ok);
  Reply nb = raw(R"({"v":1,"id":"nb2","type":"counter.next"})");
  BOOST_TEST(code(nb) == "bad_field");
  BOOST_TEST(nb.body.value("field", "") == "counter");
  // not_found for things that do not exist, bad_field for malformed values.
  BOOST_TEST(code(admin.call("stats", {{"day", "23.11.2026"}})) == "bad_field");
  BOOST_TEST(code(admin.call("stats", {{"day", "2026-11-23"}, {"office", "nowhere"}})) == "not_found");
  BOOST_TEST(code(admin.call("case.claim", {{"case", "no-such-case"}, {"staff", "hzimmermann"}})) == "not_found");
  BOOST_TEST(code(admin.call("counter.next", {{"counter", "nowhere-1"}})) == "not_found");
  // A forward needs a back-office unit (Beglaubigung has none; Kfz has one).
  json t = admin.request("ticket.issue", {{"office", "goerlitz"}, {"services", {"beglaubigung"}}});
  admin.request("counter.open", {{"counter", "goerlitz-4"}, {"staff", "anowak"}});
  admin.request("counter.call", {{"counter", "goerlitz-4"}, {"ticket", t["ticket"]["id"]}});
  Reply fw = admin.call("counter.finish", {{"counter", "goerlitz-4"}, {"forward", true}});
  BOOST_TEST(code(fw) == "bad_field");
  BOOST_TEST(fw.body.value("field", "") == "forward");
  BOOST_TEST(fw.message.find("no back-office unit") != std::string::npos, fw.message);
  BOOST_TEST(admin.call("counter.finish", {{"counter", "goerlitz-4"}}).ok);  // still servable
  BOOST_TEST(!forward_case(admin, "goerlitz", "goerlitz-1", "tweber").empty());
}
