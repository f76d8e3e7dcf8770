// Personal data at rest: sealed in the journal (a grep of the raw files finds no name) and gone
// after the retention period, checked by restarting the real broker on a later clock.
#define BOOST_TEST_MODULE server_security_store
#include <boost/test/unit_test.hpp>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "server/store.hpp"
#include "tests/support/broker_process.hpp"

using wm::core::json;

namespace {

const std::string kSurname = "Xylophonowska";

// Every byte the store left on disk: the database, its WAL and shared memory, backups.
bool name_on_disk(const std::string& data_dir) {
  for (const auto& f : std::filesystem::recursive_directory_iterator(data_dir)) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str().find(kSurname) != std::string::npos) {
      BOOST_TEST_MESSAGE("found in " << f.path());
      return true;
    }
  }
  return false;
}

long personal_rows(const std::string& data_dir) {
  sqlite3* db = nullptr;
  sqlite3_open_v2((data_dir + "/journal.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  long n = -1;
  if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM personal", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

std::string issue_with_identity(wm::test::BrokerProcess& b) {
  json t = b.client().request(
      "ticket.issue", {{"office", "goerlitz"}, {"services", {"kfz-neu"}}, {"consent", true},
                       {"identity", {{"surname", kSurname}, {"given_names", "Zofia"}, {"document_number", "T22000129"}}}});
  return t["ticket"]["id"];
}

}  // namespace

BOOST_AUTO_TEST_CASE(identity_is_encrypted_at_rest) {
  wm::test::BrokerProcess b({"--clock-start", "2026-11-23T09:00"});
  b.start();
  std::string ticket = issue_with_identity(b);
  BOOST_TEST(personal_rows(b.data_dir()) == 1);  // stored ...
  BOOST_TEST(!name_on_disk(b.data_dir()));       // ... but not readable, not even in the WAL
  struct stat st {};
  BOOST_REQUIRE(::stat((b.data_dir() + "/personal.key").c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600);
  BOOST_TEST(b.log().find(kSurname) == std::string::npos);  // never in the log
  BOOST_TEST(b.terminate() == 0);
  // The store itself can open it again with its key; a changed key file cannot.
  {
    wm::server::Store store(b.data_dir());
    auto data = store.read_personal(ticket);
    BOOST_REQUIRE(data.has_value());
    BOOST_TEST((*data)["surname"] == kSurname);
  }
  std::filesystem::permissions(b.data_dir() + "/personal.key", std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  BOOST_CHECK_THROW(wm::server::Store{b.data_dir()}, wm::server::StoreError);  // refuses a loose key
}

BOOST_AUTO_TEST_CASE(retention_purge_at_the_end_of_the_day) {
  wm::test::BrokerProcess b({"--clock-start", "2026-11-23T09:00"});
  b.start();
  issue_with_identity(b);
  BOOST_TEST(b.terminate() == 0);
  // Later the same day (retention_hours = 0: until the end of the day): still there.
  b.set_extra_args({"--clock-start", "2026-11-23T17:30"});
  b.start();
  BOOST_TEST(personal_rows(b.data_dir()) == 1);
  BOOST_TEST(b.terminate() == 0);
  // The next morning the broker deletes it as it starts.
  b.set_extra_args({"--clock-start", "2026-11-24T07:00"});
  b.start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (personal_rows(b.data_dir()) != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(personal_rows(b.data_dir()) == 0);
  BOOST_TEST(b.log().find("retention: 1 personal records deleted") != std::string::npos);
}
