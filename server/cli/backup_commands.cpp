// wartemarke backup / restore: online copies of the journal (SQLite backup API) without sealed
// personal records, readable by the owner only, and a restore that verifies a backup (integrity,
// schema, the broker's own recovery) before it replaces anything, never under a running broker.
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "server/broker.hpp"
#include "server/cli/cli.hpp"
#include "server/store.hpp"

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
  // The first column of every row of `sql` as text; throws with SQLite's reason on an error.
  std::vector<std::string> column(const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db));
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(st, 0);
      out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
    return out;
  }
  long long count(const char* sql) {
    auto rows = column(sql);
    return rows.empty() ? 0 : std::stoll(rows.front());
  }
};

// Creates `path` empty with mode 0600 before SQLite opens it, so the file is never readable by
// others, whatever the umask (SQLite gives its -journal/-wal files the database file's mode).
void create_private(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  ::close(fd);
}

// Copies `from` to `to` page by page while the broker keeps writing (WAL readers see a
// consistent snapshot).
void copy_db(const std::string& from, const std::string& to) {
  Db src(from, SQLITE_OPEN_READONLY);
  Db dst(to, SQLITE_OPEN_READWRITE);
  sqlite3_backup* b = sqlite3_backup_init(dst.db, "main", src.db, "main");
  if (!b) throw std::runtime_error(std::string("copy failed: ") + sqlite3_errmsg(dst.db));
  int rc;
  while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    sqlite3_sleep(5);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) throw std::runtime_error(std::string("copy failed: ") + sqlite3_errstr(rc));
}

// PRAGMA integrity_check answers with rows, not an error: anything but one "ok" is damage.
void check_integrity(Db& db) {
  std::vector<std::string> rows;
  try {
    rows = db.column("PRAGMA integrity_check(5)");
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("integrity check failed: ") + e.what());
  }
  if (rows.size() == 1 && rows.front() == "ok") return;
  std::string why;
  for (const auto& r : rows) why += (why.empty() ? "" : "; ") + r;
  throw std::runtime_error("integrity check failed: " + (why.empty() ? "no answer" : why));
}

// A journal this server can start from: not damaged, with a schema version it knows and the
// tables recovery reads. Returns the schema version.
int check_journal_file(const std::string& path) {
  Db db(path, SQLITE_OPEN_READONLY);
  check_integrity(db);
  std::vector<std::string> v;
  try {
    v = db.column("SELECT value FROM meta WHERE key='schema_version'");
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("not a wartemarke journal (") + e.what() + ")");
  }
  int version = 0;
  try {
    version = v.size() == 1 ? std::stoi(v.front()) : 0;
  } catch (const std::exception&) {
  }
  if (version < 1) throw std::runtime_error("not a wartemarke journal (no schema version)");
  if (version > server::Store::kSchemaVersion)
    throw std::runtime_error("schema version " + std::to_string(version) + " is newer than this tool's (" +
                             std::to_string(server::Store::kSchemaVersion) + "): upgrade first");
  for (const char* sql : {"SELECT seq, time, office, oseq, type, body FROM events LIMIT 0",
                          "SELECT seq, state FROM checkpoints LIMIT 0"}) {
    try {
      db.column(sql);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("not a wartemarke journal (") + e.what() + ")");
    }
  }
  return version;
}

// A directory removed with everything in it when the restore ends, however it ends.
struct Staging {
  std::string path;
  explicit Staging(const std::string& data_dir) {
    std::string templ = (fs::path(data_dir) / "restore.XXXXXX").string();
    if (!::mkdtemp(templ.data()))
      throw std::runtime_error("cannot create a staging directory in " + data_dir + ": " + std::strerror(errno));
    path = templ;
  }
  ~Staging() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct Verified {
  int schema = 0;
  std::uint64_t seq = 0;
  std::uint64_t events = 0;
};

// Starts a broker (without sockets) on the staged copy the way wartemarke-server starts: opens
// the store (schema migration, the personal.key check), recovers from the newest checkpoint;
// then replays the whole journal into a fresh state, which must end at the same sequence.
Verified verify_staged(const std::string& stage, std::shared_ptr<const core::Region> region) {
  Verified v;
  auto level = spdlog::get_level();
  spdlog::set_level(spdlog::level::err);  // the probe's start-up chatter is not the restore's
  try {
    std::uint64_t start_seq = 0;
    {
      server::BrokerOptions options;
      options.data_dir = stage;
      server::Broker probe(region, options);
      start_seq = probe.state().seq();
    }
    server::Store store(stage);
    auto full = server::recover_state(store, region, /*from_checkpoint=*/false);
    if (full.state->seq() != start_seq)
      throw std::runtime_error("the journal replayed from its first event ends at seq " +
                               std::to_string(full.state->seq()) + ", its checkpoint and tail at seq " +
                               std::to_string(start_seq));
    v.seq = start_seq;
    v.events = full.events;
  } catch (const std::exception& e) {
    spdlog::set_level(level);
    throw std::runtime_error(std::string("the broker cannot start from it: ") + e.what());
  }
  spdlog::set_level(level);
  return v;
}

}  // namespace

void add_backup_commands(CLI::App& app, Context& ctx, int& exit_code) {
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
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(tmp + suffix);
    long long personal = 0, identities = 0;
    try {
      create_private(tmp);
      copy_db(journal, tmp);
      // Backups hold nothing sealed with personal.key: no personal rows (ID data, staff free
      // text) and no outbox identities. A backup kept for years must not keep them longer than
      // the retention period, and a restore without the key must not leave a journal the
      // broker refuses to start from. VACUUM rewrites the file, so no deleted page survives.
      Db copy(tmp, SQLITE_OPEN_READWRITE);
      copy.exec("PRAGMA journal_mode=DELETE");
      personal = copy.count("SELECT COUNT(*) FROM personal");
      identities = copy.count("SELECT COUNT(*) FROM outbox WHERE identity IS NOT NULL");
      copy.exec("DELETE FROM personal; UPDATE outbox SET identity=NULL WHERE identity IS NOT NULL; VACUUM;");
      check_integrity(copy);
    } catch (const std::exception& e) {
      for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(tmp + suffix);
      std::cerr << "backup: " << e.what() << "\n";
      exit_code = 1;
      return;
    }
    fs::rename(tmp, *out);
    Db done(*out, SQLITE_OPEN_READONLY);
    std::cout << "backup: " << *out << " (" << done.count("SELECT COUNT(*) FROM events") << " events, "
              << fs::file_size(*out) << " bytes, mode 0600). It holds nothing sealed with personal.key: "
              << personal << " personal records (ID data, staff free text) and the ID data of " << identities
              << " forwarded cases in the outbox were left out; restored, cases not yet delivered reach "
                 "the back office without ID data or notes\n";
  });

  auto* restore = app.add_subcommand("restore", "verify a backup and restore it into a stopped broker's data directory");
  auto rdata = std::make_shared<std::string>("wartemarke-data");
  auto in = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  restore->add_option("-d,--data", *rdata, "the broker's data directory");
  restore->add_option("file", *in, "backup file")->required()->check(CLI::ExistingFile);
  restore->add_flag("--force", *force, "replace an existing journal");
  restore->callback([rdata, in, force, &ctx, &exit_code] {
    std::shared_ptr<const core::Region> region;
    try {
      region = ctx.region_ptr();  // the broker's configuration: recovery replays against it
    } catch (const std::exception& e) {
      std::cerr << "restore: configuration " << ctx.config_path << ": " << e.what() << "\n";
      exit_code = 2;
      return;
    }
    fs::create_directories(*rdata);
    int fd = ::open((fs::path(*rdata) / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      std::cerr << "restore: " << *rdata << " is in use by a running wartemarke-server; stop it first\n";
      if (fd >= 0) ::close(fd);
      exit_code = 2;
      return;
    }
    struct Unlock {
      int fd;
      ~Unlock() { ::close(fd); }
    } unlock{fd};
    std::string journal = (fs::path(*rdata) / "journal.sqlite").string();
    if (fs::exists(journal) && !*force) {
      std::cerr << "restore: " << journal << " exists; use --force to replace it\n";
      exit_code = 2;
      return;
    }
    // Everything is checked on a copy in a staging directory; the data directory's journal is
    // replaced only once the copy passed, by a rename.
    Verified v;
    std::string staged;
    std::unique_ptr<Staging> stage;
    try {
      v.schema = check_journal_file(*in);
      stage = std::make_unique<Staging>(*rdata);
      // The broker will open the journal with this directory's key: check with the same key.
      const fs::path key = fs::path(*rdata) / "personal.key";
      if (fs::exists(key)) fs::copy_file(key, fs::path(stage->path) / "personal.key");
      staged = (fs::path(stage->path) / "journal.sqlite").string();
      create_private(staged);
      copy_db(*in, staged);
      {
        Db copy(staged, SQLITE_OPEN_READONLY);
        check_integrity(copy);
      }
      auto r = verify_staged(stage->path, region);
      v.seq = r.seq;
      v.events = r.events;
    } catch (const std::exception& e) {
      std::cerr << "restore: refused: " << *in << " is damaged or not a usable backup: " << e.what()
                << "\nrestore: " << *rdata << " was not changed\n";
      exit_code = 1;
      return;
    }
    // The probe closed the staged journal cleanly (WAL folded in); an old -wal or -shm next to
    // the journal being replaced would be read as part of the new one.
    for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(journal + suffix);
    // Past days' roll-ups describe the journal being replaced (server/day_rollups.hpp).
    const std::string rollups = (fs::path(*rdata) / "rollups.sqlite").string();
    for (const char* suffix : {"", "-journal"}) fs::remove(rollups + suffix);
    fs::rename(staged, journal);
    if (fs::exists(staged + "-wal")) fs::rename(staged + "-wal", journal + "-wal");
    std::cout << "restore: " << journal << " now holds " << v.events << " events (verified: integrity, schema "
              << v.schema << ", the whole journal replays to seq " << v.seq << ")\n";
  });
}

}  // namespace wm::cli
