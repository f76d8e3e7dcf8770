// wartemarke backup / restore: online copies of the journal (SQLite backup API), without
// personal data, and a restore that refuses to overwrite a running broker's store.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "server/cli/cli.hpp"

namespace wm::cli {
namespace {

namespace fs = std::filesystem;

struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "?"));
    sqlite3_busy_timeout(db, 5000);
  }
  ~Db() { sqlite3_close(db); }
  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(msg);
    }
  }
};

// Copies `from` to `to` page by page while the broker keeps writing (WAL readers see a
// consistent snapshot), then checks the copy.
void copy_db(const std::string& from, const std::string& to) {
  Db src(from, SQLITE_OPEN_READONLY);
  Db dst(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3_backup* b = sqlite3_backup_init(dst.db, "main", src.db, "main");
  if (!b) throw std::runtime_error(std::string("backup failed: ") + sqlite3_errmsg(dst.db));
  int rc;
  while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    sqlite3_sleep(5);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) throw std::runtime_error(std::string("backup failed: ") + sqlite3_errstr(rc));
}

std::uint64_t count_events(const std::string& path) {
  Db db(path, SQLITE_OPEN_READONLY);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db.db, "SELECT COUNT(*) FROM events", -1, &st, nullptr);
  std::uint64_t n = 0;
  if (st && sqlite3_step(st) == SQLITE_ROW) n = static_cast<std::uint64_t>(sqlite3_column_int64(st, 0));
  sqlite3_finalize(st);
  return n;
}

}  // namespace

void add_backup_commands(CLI::App& app, Context&, int& exit_code) {
  auto* backup = app.add_subcommand("backup", "online backup of the journal (without personal data)");
  auto data = std::make_shared<std::string>("wartemarke-data");
  auto out = std::make_shared<std::string>();
  backup->add_option("-d,--data", *data, "the broker's data directory");
  backup->add_option("file", *out, "backup file to write")->required();
  backup->callback([data, out, &exit_code] {
    std::string journal = (fs::path(*data) / "journal.sqlite").string();
    if (!fs::exists(journal)) {
      std::cerr << "backup: no journal at " << journal << "\n";
      exit_code = 2;
      return;
    }
    std::string tmp = *out + ".partial";
    fs::remove(tmp);
    copy_db(journal, tmp);
    {
      // Backups never carry visitors' ID data: it is deleted on time in the live store, and a
      // backup kept for years must not keep it longer.
      Db copy(tmp, SQLITE_OPEN_READWRITE);
      copy.exec("DELETE FROM personal; PRAGMA journal_mode=DELETE; VACUUM;");
      copy.exec("PRAGMA integrity_check;");
    }
    fs::rename(tmp, *out);
    std::cout << "backup: " << *out << " (" << count_events(*out) << " events, "
              << fs::file_size(*out) << " bytes, personal data removed)\n";
  });

  auto* restore = app.add_subcommand("restore", "restore a backup into a stopped broker's data directory");
  auto rdata = std::make_shared<std::string>("wartemarke-data");
  auto in = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  restore->add_option("-d,--data", *rdata, "the broker's data directory");
  restore->add_option("file", *in, "backup file")->required()->check(CLI::ExistingFile);
  restore->add_flag("--force", *force, "replace an existing journal");
  restore->callback([rdata, in, force, &exit_code] {
    fs::create_directories(*rdata);
    int fd = ::open((fs::path(*rdata) / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      std::cerr << "restore: " << *rdata << " is in use by a running wartemarke-server; stop it first\n";
      if (fd >= 0) ::close(fd);
      exit_code = 2;
      return;
    }
    std::string journal = (fs::path(*rdata) / "journal.sqlite").string();
    if (fs::exists(journal) && !*force) {
      std::cerr << "restore: " << journal << " exists; use --force to replace it\n";
      ::close(fd);
      exit_code = 2;
      return;
    }
    {
      Db check(*in, SQLITE_OPEN_READONLY);
      check.exec("PRAGMA integrity_check;");
    }
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(journal + suffix);
    copy_db(*in, journal);
    ::close(fd);
    std::cout << "restore: " << journal << " now holds " << count_events(journal) << " events\n";
  });
}

}  // namespace wm::cli
