// The audit log's keyed chain: intact after real appends; a record deleted, inserted or moved
// (even with the hashes recomputed by someone without the key) or the end cut off is found; a
// missing key stops the start; an old unkeyed log is moved aside, never "verified"; every case
// outbox.fetch releases is one line naming the device key and the staff login.
#define BOOST_TEST_MODULE server_security_audit
#include <boost/test/unit_test.hpp>
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "server/audit.hpp"
#include "server/audit_chain.hpp"
#include "tests/support/broker_process.hpp"
#include "tests/support/shell.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& l : lines) out << l << "\n";
}

std::string sha256_hex(const std::string& text) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

// What an insider with write access but without the key does after editing the log: renumber
// the records from `from` on and recompute their chain and "mac" the unkeyed way (SHA-256).
std::vector<std::string> rechain_unkeyed(std::vector<std::string> lines, std::size_t from) {
  std::string prev = from == 0 ? std::string(64, '0') : json::parse(lines[from - 1])["mac"].get<std::string>();
  for (std::size_t i = from; i < lines.size(); ++i) {
    json j = json::parse(lines[i]);
    j["seq"] = i + 1;
    j["prev"] = prev;
    j.erase("mac");
    j["mac"] = prev = sha256_hex(j.dump());
    lines[i] = j.dump();
  }
  return lines;
}

int verify_cli(const std::string& args) {
  std::string cmd = wm::test::binary_path("wartemarke") + " audit verify " + args + " >/dev/null 2>&1";
  return WEXITSTATUS(std::system(cmd.c_str()));
}

// A data directory with six records written by two "processes".
struct Log {
  wm::test::TempDir dir;
  std::string path = dir.file("audit.log");
  std::string key = dir.path().string() + "/keys/audit.key";
  std::vector<std::string> good;
  Log() {
    wm::server::audit_open(dir.path().string());
    for (int i = 0; i < 5; ++i)
      BOOST_REQUIRE(wm::server::audit(wm::server::audit_actor("goerlitz-3", "tweber"), "identity.read",
                                      "K00" + std::to_string(i)));
    // A new process continues the chain from the file's last line.
    wm::server::audit_open(dir.path().string());
    BOOST_REQUIRE(wm::server::audit(wm::server::audit_actor("goerlitz-backoffice", "hzimmermann"),
                                    "identity.read", "case-1"));
    good = lines_of(path);
    BOOST_REQUIRE(good.size() == 6u);
  }
  wm::server::AuditCheck verify() const { return wm::server::audit_verify(path, key); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(chain_verifies_and_detects_tampering) {
  Log log;
  auto r = log.verify();
  BOOST_TEST(r.ok, r.message);
  BOOST_TEST(r.lines == 6);
  BOOST_TEST(verify_cli(log.path) == 0);  // the key found beside the log: <data>/keys
  BOOST_TEST(verify_cli("--data " + log.dir.path().string()) == 0);
  BOOST_TEST(log.good[0].find("\"actor\":\"key=goerlitz-3 staff=tweber\"") != std::string::npos, log.good[0]);

  auto edited = log.good;  // a curious insider hides which ticket they looked at
  edited[2].replace(edited[2].find("K002"), 4, "K009");
  write_lines(log.path, edited);
  r = log.verify();
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.bad_line == 3);
  BOOST_TEST(verify_cli(log.path) == 4);

  write_lines(log.path, log.good);
  BOOST_TEST(log.verify().ok);
  BOOST_TEST(verify_cli(log.dir.file("missing.log")) == 4);
  // Another key (another data directory's) does not verify this log.
  BOOST_TEST(verify_cli(log.path + " --key " + Log().key) == 4);
}

BOOST_AUTO_TEST_CASE(a_deleted_record_is_found_even_with_the_hashes_recomputed) {
  Log log;
  auto dropped = log.good;
  dropped.erase(dropped.begin() + 2);
  write_lines(log.path, dropped);
  auto r = log.verify();
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.bad_line == 3, r.message);

  // The finding of issue 15: delete, recompute the chain without the key, "chain intact".
  write_lines(log.path, rechain_unkeyed(dropped, 2));
  r = log.verify();
  BOOST_TEST(!r.ok, r.message);
  BOOST_TEST(r.bad_line == 3, r.message);
  BOOST_TEST(r.message.find("MAC does not match") != std::string::npos, r.message);
  BOOST_TEST(verify_cli(log.path) == 4);
  // Rechained from the start: the first line is already not the key's.
  write_lines(log.path, rechain_unkeyed(dropped, 0));
  BOOST_TEST(log.verify().bad_line == 1);
}

BOOST_AUTO_TEST_CASE(an_inserted_record_is_found) {
  Log log;
  // A forged record, chained in without the key.
  auto forged = log.good;
  json fake = json::parse(forged[1]);
  fake["subject"] = "K777";
  forged.insert(forged.begin() + 2, fake.dump());
  write_lines(log.path, rechain_unkeyed(forged, 2));
  auto r = log.verify();
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.bad_line == 3, r.message);

  // A genuine record replayed: its MAC is right, its place is not.
  auto replayed = log.good;
  replayed.insert(replayed.begin() + 4, log.good[1]);
  write_lines(log.path, replayed);
  r = log.verify();
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.bad_line == 5, r.message);
  BOOST_TEST(verify_cli(log.path) == 4);
}

BOOST_AUTO_TEST_CASE(reordered_records_are_found) {
  Log log;
  auto swapped = log.good;
  std::swap(swapped[3], swapped[4]);
  write_lines(log.path, swapped);
  auto r = log.verify();
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.bad_line == 4, r.message);
  write_lines(log.path, rechain_unkeyed(swapped, 3));
  BOOST_TEST(log.verify().bad_line == 4);
  BOOST_TEST(verify_cli(log.path) == 4);
}

BOOST_AUTO_TEST_CASE(a_truncated_log_is_found_by_its_sealed_head) {
  Log log;
  auto cut = log.good;
  cut.resize(4);  // the last two records are gone: every remaining line is genuine
  write_lines(log.path, cut);
  auto r = log.verify();
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.message.find("removed from its end") != std::string::npos, r.message);
  BOOST_TEST(verify_cli(log.path) == 4);
  // ...and the server does not start on it (it would seal the shorter log as the real one).
  BOOST_CHECK_EXCEPTION(wm::server::audit_open(log.dir.path().string()), std::runtime_error,
                        [](const std::runtime_error& e) {
                          return std::string(e.what()).find("records were removed from its end") !=
                                 std::string::npos;
                        });
  BOOST_TEST(!wm::server::audit("key=x staff=-", "identity.read", "K1"));  // refused, not logged
  write_lines(log.path, {});
  BOOST_TEST(!log.verify().ok);
  fs::remove(log.path);
  BOOST_TEST(!log.verify().ok);

  // The one honest gap: the server stopped between writing a record and sealing it.
  write_lines(log.path, log.good);
  json fifth = json::parse(log.good[4]);
  BOOST_REQUIRE(wm::server::audit_chain::write_head(log.dir.path().string() + "/keys/audit.head",
                                                    {5, fifth["mac"].get<std::string>()}));
  r = log.verify();
  BOOST_TEST(r.ok, r.message);
  BOOST_TEST(r.message.find("not sealed yet") != std::string::npos, r.message);
  // A record cut off mid-write is dropped at the next start; the chain goes on.
  std::ofstream(log.path, std::ios::app) << log.good[5].substr(0, 40);
  BOOST_REQUIRE_NO_THROW(wm::server::audit_open(log.dir.path().string()));
  BOOST_TEST(wm::server::audit("key=x staff=-", "identity.read", "K1"));
  r = log.verify();
  BOOST_TEST(r.ok, r.message);
  BOOST_TEST(r.lines == 7);
}

BOOST_AUTO_TEST_CASE(a_missing_key_stops_the_start) {
  Log log;
  fs::remove(log.key);
  BOOST_CHECK_EXCEPTION(wm::server::audit_open(log.dir.path().string()), std::runtime_error,
                        [](const std::runtime_error& e) {
                          return std::string(e.what()).find("audit.key is missing, but") != std::string::npos;
                        });
  BOOST_TEST(!fs::exists(log.key));  // not recreated
  BOOST_TEST(verify_cli(log.path) == 4);

  // The real server says why and stops.
  wm::test::BrokerProcess b({"--clock-start", "2026-11-23T09:00"});
  b.start();
  BOOST_TEST(b.terminate() == 0);
  const std::string key = b.data_dir() + "/keys/audit.key";
  BOOST_REQUIRE(fs::exists(key));
  BOOST_TEST(((fs::status(key).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none));
  wm::server::audit_open(b.data_dir());  // one record, as an ID read would write it
  BOOST_REQUIRE(wm::server::audit("key=goerlitz-1 staff=tweber", "identity.read", "goerlitz/A001"));
  BOOST_REQUIRE(fs::remove(key));
  auto r = wm::test::run_shell("timeout 5 " + wm::test::binary_path("wartemarke-server") + " --http off --config " +
                               b.config_path() + " --data " + b.data_dir() + " --commands tcp://127.0.0.1:" +
                               std::to_string(wm::test::free_port()) + " --events tcp://127.0.0.1:" +
                               std::to_string(wm::test::free_port()) + " 2>&1");
  BOOST_TEST(r.status == 1, r.status << "\n" << r.out);
  BOOST_TEST(r.out.find("audit.key is missing, but") != std::string::npos, r.out);
  BOOST_TEST(!fs::exists(key));
}

BOOST_AUTO_TEST_CASE(an_unkeyed_legacy_log_is_moved_aside_and_never_verified) {
  wm::test::TempDir dir;
  const std::string path = dir.file("audit.log");
  std::vector<std::string> legacy;  // the format before the key: prev/hash, SHA-256
  std::string prev(64, '0');
  for (int i = 0; i < 3; ++i) {
    json j{{"time", 1000 + i}, {"actor", "tweber@goerlitz-3"}, {"action", "identity.read"},
           {"subject", "K" + std::to_string(i)}, {"detail", ""}, {"prev", prev}};
    j["hash"] = prev = sha256_hex(j.dump());
    legacy.push_back(j.dump());
  }
  write_lines(path, legacy);
  auto r = wm::server::audit_verify(path, dir.file("keys/audit.key"));
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.legacy);
  BOOST_TEST(r.message.find("NOT verifiable") != std::string::npos, r.message);
  BOOST_TEST(verify_cli(path) == 5);

  // The first start of the new version moves it aside and seals its state in a keyed record.
  wm::server::audit_open(dir.path().string());
  std::string moved;
  for (const auto& f : fs::directory_iterator(dir.path()))
    if (f.path().filename().string().rfind("audit.log.legacy-", 0) == 0) moved = f.path().string();
  BOOST_REQUIRE(!moved.empty());
  BOOST_TEST(lines_of(moved) == legacy);
  BOOST_TEST(verify_cli(moved) == 5);
  auto now = lines_of(path);
  BOOST_REQUIRE(now.size() == 1u);
  BOOST_TEST(json::parse(now[0])["action"] == "audit.legacy");
  r = wm::server::audit_verify(path, dir.file("keys/audit.key"));
  BOOST_TEST(r.ok, r.message);
  BOOST_TEST(r.message.find("as sealed at the upgrade") != std::string::npos, r.message);
  // Editing the legacy file afterwards (rechained) shows against that seal.
  legacy.pop_back();
  write_lines(moved, legacy);
  r = wm::server::audit_verify(path, dir.file("keys/audit.key"));
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.message.find("changed since it was sealed") != std::string::npos, r.message);
}

namespace {
std::string forward_case(wm::core::BrokerClient& admin, const std::string& counter, const std::string& staff) {
  json t = admin.request("ticket.issue", {{"office", "goerlitz"}, {"services", {"kfz-neu"}}, {"consent", true},
                                          {"identity", {{"surname", "Musterfrau"}, {"given_names", "Erika"},
                                                        {"document_number", "T22000129"}}}});
  admin.request("counter.open", {{"counter", counter}, {"staff", staff}});
  admin.request("counter.call", {{"counter", counter}, {"ticket", t["ticket"]["id"]}});
  json f = admin.request("counter.finish", {{"counter", counter}, {"forward", true}});
  admin.request("counter.close", {{"counter", counter}});
  return f["case"];
}
}  // namespace

BOOST_AUTO_TEST_CASE(outbox_fetch_writes_one_line_per_case_naming_key_and_staff) {
  wm::test::BrokerProcess broker{{"--clock-start", "2026-11-23T09:00"}};  // CURVE
  const auto goerlitz_backoffice = broker.register_device({"goerlitz-backoffice", "backoffice", {"goerlitz"}});
  broker.start();
  auto admin = broker.client();
  std::vector<std::string> cases{forward_case(admin, "goerlitz-1", "tweber"),
                                 forward_case(admin, "goerlitz-3", "anowak"),
                                 forward_case(admin, "goerlitz-1", "tweber")};
  wm::core::BrokerClient bo(broker.zmq(), broker.command_endpoint(), goerlitz_backoffice);
  json fetched = bo.request("outbox.fetch", {{"limit", 200}});
  BOOST_REQUIRE(fetched["cases"].size() == cases.size());
  // A back-office clerk reads one case's ID data: the key and the clerk.
  BOOST_REQUIRE(bo.call("case.claim", {{"case", cases[1]}, {"staff", "hzimmermann"}}).ok);
  BOOST_REQUIRE(bo.call("identity.read", {{"case", cases[1]}, {"staff", "hzimmermann"}}).ok);

  std::vector<json> fetch_lines, read_lines;
  for (const auto& l : lines_of(broker.data_dir() + "/audit.log")) {
    json j = json::parse(l);
    if (j["action"] == "outbox.fetch") fetch_lines.push_back(j);
    if (j["action"] == "identity.read") read_lines.push_back(j);
  }
  BOOST_REQUIRE(fetch_lines.size() == cases.size());
  std::set<std::string> released, expected;
  for (const auto& c : cases) expected.insert("case/" + c);
  for (const auto& j : fetch_lines) {
    released.insert(j["subject"].get<std::string>());
    BOOST_TEST(j["actor"] == "key=goerlitz-backoffice staff=-");
  }
  BOOST_TEST(released == expected);
  BOOST_REQUIRE(read_lines.size() == 1u);
  BOOST_TEST(read_lines[0]["actor"] == "key=goerlitz-backoffice staff=hzimmermann");
  BOOST_TEST(verify_cli("--data " + broker.data_dir()) == 0);
}
