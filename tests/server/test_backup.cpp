// Online backup while the broker runs, restore into a stopped data directory, and the lock
// that keeps two brokers (or a restore) off one journal; backups are private and hold nothing
// sealed, and restore refuses a damaged backup before it touches the data directory.
#define BOOST_TEST_MODULE server_backup
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/support/broker_process.hpp"
#include "tests/support/shell.hpp"

using wm::core::json;

namespace {

using Run = wm::test::ShellResult;

Run run(const std::string& args) {
  std::string cmd = wm::test::binary_path("wartemarke") + " " + args + " 2>&1";
  return wm::test::run_shell(cmd);
}

long long scalar(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  long long v = -1;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return v;
}

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::size_t occurrences(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); !needle.empty() && at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// Every regular file under `dir` with its bytes: "unchanged" means equal maps.
std::map<std::string, std::string> files_in(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& f : fs::recursive_directory_iterator(dir))
    if (f.is_regular_file()) out[fs::relative(f.path(), dir).string()] = slurp(f.path());
  return out;
}

// The first column of the first row as raw bytes ("" if none): a sealed blob.
std::string blob(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  std::string v;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v.assign(static_cast<const char*>(sqlite3_column_blob(st, 0)), sqlite3_column_bytes(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(h);
  return v;
}

void exec_sql(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  BOOST_REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err);
  BOOST_REQUIRE_MESSAGE(rc == SQLITE_OK, (err ? err : "?"));
  sqlite3_close(h);
}

std::set<std::string> ticket_ids(const json& snapshot) {
  std::set<std::string> ids;
  for (const auto& t : snapshot["tickets"]) ids.insert(t["id"].get<std::string>());
  return ids;
}

// Each ticket's number and state by id: what a restore must bring back.
std::map<std::string, std::string> numbers_and_states(const json& snapshot) {
  std::map<std::string, std::string> out;
  for (const auto& t : snapshot["tickets"])
    out[t["id"].get<std::string>()] = t["number"].get<std::string>() + " " + t["state"].get<std::string>();
  return out;
}

// A unique string no journal holds by chance: in ID data and in a clerk's note.
const std::string kSentinel = "QXSENTINELBKP7731";

// A morning with personal data: tickets with ID data, one case forwarded to the back office
// with the visitor's ID data and a note (both carry kSentinel), one ticket still waiting with
// ID data. Returns the ids of all tickets.
std::set<std::string> day_with_a_forwarded_case(wm::test::BrokerProcess& broker) {
  auto c = broker.client();
  json identity{{"surname", kSentinel},        {"given_names", "ERIKA"}, {"birth_date", "1964-08-12"},
                {"document_number", "T" + kSentinel}, {"document_type", "ID"}};
  std::set<std::string> ids;
  c.request("counter.open", json{{"counter", "goerlitz-1"}, {"staff", "tweber"}});
  json t = c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}},
                                          {"consent", true}, {"identity", identity}});
  ids.insert(t["ticket"]["id"].get<std::string>());
  c.request("counter.call", json{{"counter", "goerlitz-1"}, {"ticket", t["ticket"]["id"]}});
  json f = c.request("counter.finish", json{{"counter", "goerlitz-1"}, {"forward", true},
                                            {"outcome", "Unterlagen fehlen"},
                                            {"notes", "Notiz " + kSentinel + " GdB 50"}});
  BOOST_REQUIRE(f.contains("case"));
  for (int i = 0; i < 4; ++i) {
    json w = c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}},
                                            {"consent", true}, {"identity", identity}});
    ids.insert(w["ticket"]["id"].get<std::string>());
  }
  return ids;
}

Run backup_of(const wm::test::BrokerProcess& broker, const std::string& file) {
  return run("-c " + broker.config_path() + " backup --data " + broker.data_dir() + " " + file);
}

}  // namespace

BOOST_AUTO_TEST_CASE(backup_while_running_and_restore) {
  wm::test::BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  for (int i = 0; i < 20; ++i)
    c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}, {"consent", true},
                                   {"identity", {{"surname", "MUSTERMANN"}, {"given_names", "ERIKA"}}}});
  wm::test::TempDir dir;
  std::string file = dir.file("backup.sqlite");
  auto b = run("backup --data " + broker.data_dir() + " " + file);
  BOOST_TEST_INFO(b.out);
  BOOST_REQUIRE(b.status == 0);
  BOOST_TEST(scalar(file, "SELECT COUNT(*) FROM events") == 20);
  BOOST_TEST(scalar(file, "SELECT COUNT(*) FROM personal") == 0);  // no ID data in backups

  // A second broker on the same data directory is refused, and so is a restore.
  auto r = run("restore --data " + broker.data_dir() + " --force " + file);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.out.find("running wartemarke-server") != std::string::npos);

  // Restore into a fresh directory and serve from it: numbering continues.
  std::string fresh = dir.file("restored");
  auto rr = run("restore --data " + fresh + " " + file);
  BOOST_TEST_INFO(rr.out);
  BOOST_REQUIRE(rr.status == 0);
  BOOST_TEST(run("restore --data " + fresh + " " + file).status == 2);  // exists, no --force
  BOOST_TEST(scalar(fresh + "/journal.sqlite", "SELECT COUNT(*) FROM events") == 20);
  // Past days' roll-ups described the journal that was replaced: a forced restore drops them.
  { std::ofstream(fresh + "/rollups.sqlite") << "days of another journal"; }
  BOOST_REQUIRE(run("restore --data " + fresh + " --force " + file).status == 0);
  BOOST_TEST(!std::filesystem::exists(fresh + "/rollups.sqlite"));
}

// Issue 15 item 7: under the usual umask 022 a backup was created world-readable.
BOOST_AUTO_TEST_CASE(backup_file_is_0600_even_with_umask_022) {
  wm::test::BrokerProcess broker;
  broker.start();
  broker.client().request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  wm::test::TempDir dir;
  const std::string file = dir.file("backup.sqlite");
  mode_t old = ::umask(022);  // inherited by the wartemarke process
  auto b = backup_of(broker, file);
  ::umask(old);
  BOOST_TEST_INFO(b.out);
  BOOST_REQUIRE(b.status == 0);
  struct stat st {};
  BOOST_REQUIRE(::stat(file.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u, "backup mode is 0" << std::oct << (st.st_mode & 0777));
  BOOST_TEST(b.out.find("mode 0600") != std::string::npos);
  for (const auto& f : fs::directory_iterator(dir.path()))  // no partial copy left, however named
    BOOST_TEST(f.path().filename() == "backup.sqlite");
}

// Issue 15 item 7: backups said "personal data removed" but kept the outbox's sealed ID data of
// forwarded cases. Neither the sealed blob nor any plaintext of the ID data or the note may be
// in the file.
BOOST_AUTO_TEST_CASE(backup_holds_no_outbox_identity_and_no_personal_sentinel) {
  wm::test::BrokerProcess broker;
  broker.start();
  day_with_a_forwarded_case(broker);
  const std::string journal = broker.data_dir() + "/journal.sqlite";
  // The live store holds the sealed ID data for the back office (positive control).
  const std::string sealed = blob(journal, "SELECT identity FROM outbox WHERE identity IS NOT NULL");
  BOOST_REQUIRE(sealed.size() > 32u);
  BOOST_REQUIRE(scalar(journal, "SELECT COUNT(*) FROM personal") >= 5);
  wm::test::TempDir dir;
  const std::string file = dir.file("backup.sqlite");
  auto b = backup_of(broker, file);
  BOOST_TEST_INFO(b.out);
  BOOST_REQUIRE(b.status == 0);
  const std::string bytes = slurp(file);
  BOOST_TEST(occurrences(bytes, kSentinel) == 0u);
  BOOST_TEST(occurrences(bytes, sealed) == 0u, "the backup holds the outbox's sealed ID data");
  BOOST_TEST(occurrences(bytes, sealed.substr(sealed.size() / 2, 24)) == 0u);
  BOOST_TEST(scalar(file, "SELECT COUNT(*) FROM outbox WHERE identity IS NOT NULL") == 0);
  BOOST_TEST(scalar(file, "SELECT COUNT(*) FROM personal") == 0);
  BOOST_TEST(scalar(file, "SELECT COUNT(*) FROM outbox") == 1);  // the case itself is kept
  // The message says what the backup holds and what was left out.
  BOOST_TEST(b.out.find("1 forwarded cases") != std::string::npos);
  BOOST_TEST(b.out.find("personal data removed") == std::string::npos);
}

// Issue 15 item 7: restore accepted a corrupted backup and the broker then refused to start.
// Each damaged backup is refused with a reason before anything in the data directory changes.
BOOST_AUTO_TEST_CASE(restore_refuses_a_damaged_backup_and_leaves_the_data_dir_unchanged) {
  wm::test::BrokerProcess broker;
  broker.start();
  auto ids = day_with_a_forwarded_case(broker);
  wm::test::TempDir dir;
  const std::string good = dir.file("good.sqlite");
  BOOST_REQUIRE(backup_of(broker, good).status == 0);
  BOOST_REQUIRE(broker.terminate() == 0);
  const std::string bytes = slurp(good);
  BOOST_REQUIRE(bytes.size() >= 4 * 4096u);

  std::map<std::string, std::string> damaged;
  {  // bytes flipped in the middle of the file (from a page start on, so it hits structure)
    std::string b = bytes;
    std::size_t at = (b.size() / 2) / 4096 * 4096;
    for (std::size_t i = at; i < at + 64; ++i) b[i] = static_cast<char>(b[i] ^ 0xff);
    spit(dir.file("flipped.sqlite"), b);
    damaged["flipped"] = dir.file("flipped.sqlite");
  }
  spit(dir.file("truncated.sqlite"), bytes.substr(0, bytes.size() / 2 + 100));
  damaged["truncated"] = dir.file("truncated.sqlite");
  {  // a sound SQLite file whose journal rows are not JSON
    spit(dir.file("garbage.sqlite"), bytes);
    exec_sql(dir.file("garbage.sqlite"), "UPDATE events SET body = '{\"ticket\": garbage ' || seq");
    BOOST_REQUIRE(blob(dir.file("garbage.sqlite"), "PRAGMA integrity_check") == "ok");
    damaged["garbage JSON"] = dir.file("garbage.sqlite");
  }
  spit(dir.file("empty.sqlite"), "");  // an empty file is a valid, empty SQLite database
  damaged["empty"] = dir.file("empty.sqlite");

  const auto before = files_in(broker.data_dir());
  BOOST_REQUIRE(before.count("journal.sqlite"));
  for (const auto& [what, file] : damaged) {
    BOOST_TEST_CONTEXT(what) {
      auto r = run("-c " + broker.config_path() + " restore --data " + broker.data_dir() + " --force " + file);
      BOOST_TEST_MESSAGE(what << ": " << r.out);
      BOOST_TEST_INFO(r.out);
      BOOST_TEST(r.status != 0);
      BOOST_TEST(r.out.find("refused") != std::string::npos);
      BOOST_TEST(r.out.find("was not changed") != std::string::npos);
      BOOST_TEST((files_in(broker.data_dir()) == before), "the data directory changed");
    }
  }
  // And the data directory still serves what it served.
  broker.start();
  BOOST_TEST(ticket_ids(broker.client().request("snapshot", json{{"office", "goerlitz"}})) == ids);
}

// The rule: the broker starts on every backup restore accepts, and serves its tickets. A
// backup of a day with a forwarded case, restored into a new data directory (no personal.key).
BOOST_AUTO_TEST_CASE(after_restore_of_a_good_backup_the_broker_starts_and_serves_its_tickets) {
  wm::test::BrokerProcess original({"--checkpoint-every", "3"});
  original.start();
  auto ids = day_with_a_forwarded_case(original);
  wm::test::TempDir dir;
  const std::string file = dir.file("backup.sqlite");
  BOOST_REQUIRE(backup_of(original, file).status == 0);
  BOOST_REQUIRE(scalar(file, "SELECT COUNT(*) FROM checkpoints") >= 1);  // recovery starts from one
  const auto numbers = numbers_and_states(original.client().request("snapshot", json{{"office", "goerlitz"}}));
  BOOST_REQUIRE(original.terminate() == 0);

  wm::test::BrokerProcess restored;
  {  // A backup made before this release still holds outbox ID data sealed with a key the new
     // data directory lacks: the broker would refuse it, so restore does.
    const std::string old_style = dir.file("old-style.sqlite");
    spit(old_style, slurp(file));
    exec_sql(old_style, "UPDATE outbox SET identity = randomblob(120)");
    auto o = run("-c " + restored.config_path() + " restore --data " + restored.data_dir() + " " + old_style);
    BOOST_TEST_INFO(o.out);
    BOOST_TEST(o.status != 0);
    BOOST_TEST(o.out.find("personal.key is missing") != std::string::npos);
    BOOST_TEST(!fs::exists(restored.data_dir() + "/journal.sqlite"));
  }
  auto r = run("-c " + restored.config_path() + " restore --data " + restored.data_dir() + " " + file);
  BOOST_TEST_INFO(r.out);
  BOOST_REQUIRE(r.status == 0);
  BOOST_TEST(r.out.find("verified") != std::string::npos);
  BOOST_TEST(!fs::exists(restored.data_dir() + "/personal.key"));  // the broker makes its own
  restored.start();  // throws if the broker does not start
  auto c = restored.client();
  json snap = c.request("snapshot", json{{"office", "goerlitz"}});
  BOOST_TEST(ticket_ids(snap) == ids);
  BOOST_TEST((numbers_and_states(snap) == numbers));
  // Numbering continues after the restored tickets.
  json t = c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  BOOST_TEST(!ids.count(t["ticket"]["id"].get<std::string>()));
  for (const auto& old : snap["tickets"]) BOOST_TEST(old["number"] != t["ticket"]["number"]);
}
