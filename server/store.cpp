// SQLite journal. One writer (the reactor thread); every batch is one FULL-synchronous commit.
#include "server/store.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace wm::server {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events(
  seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, office TEXT NOT NULL,
  oseq INTEGER NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS replies(
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL, time INTEGER NOT NULL, reply TEXT NOT NULL,
  principal TEXT NOT NULL DEFAULT '', fingerprint INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS personal(key TEXT PRIMARY KEY, time INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints(seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox(
  case_id TEXT PRIMARY KEY, ticket TEXT NOT NULL, time INTEGER NOT NULL, record TEXT NOT NULL,
  identity BLOB, delivered INTEGER);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(delivered, time);
)sql";

// sqlite3_step for the reads a request makes: a row or the end, else the statement is
// finalized and StoreError thrown. Read as "no row", a failed read (a damaged or changed file)
// answered an empty outbox or "no such reply" instead of saying the journal is unreadable.
int read_step(sqlite3* db, sqlite3_stmt* st) {
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) return rc;
  std::string msg = sqlite3_errmsg(db);
  sqlite3_finalize(st);
  throw StoreError("reading the journal failed: " + msg);
}

// Records in an existing journal that only personal.key opens: personal rows and outbox
// identities. 0 for a journal that does not exist yet or has no such tables (an old schema);
// nullopt if it cannot be read: a damaged file must not pass for an empty one.
std::optional<long> sealed_records(const std::string& journal) {
  if (!std::filesystem::exists(journal)) return 0;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(journal.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return std::nullopt;
  }
  std::optional<long> total = 0;
  for (const char* sql : {"SELECT COUNT(*) FROM personal",
                          "SELECT COUNT(*) FROM outbox WHERE identity IS NOT NULL"}) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK) {
      if (sqlite3_step(st) == SQLITE_ROW && total)
        *total += static_cast<long>(sqlite3_column_int64(st, 0));
      else
        total.reset();
    } else if (std::string(sqlite3_errmsg(db)).find("no such table") == std::string::npos) {
      total.reset();
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return total;
}

}  // namespace

Store::Store(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw StoreError("cannot create data directory " + dir + ": " + ec.message());
  path_ = (std::filesystem::path(dir) / "journal.sqlite").string();
  // One broker per data directory: a second one would interleave sequence numbers.
  lock_fd_ = ::open((std::filesystem::path(dir) / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0)  // e.g. a read-only or full data directory: say so, not "in use"
    throw StoreError("cannot write in data directory " + dir + ": " + std::strerror(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    throw StoreError("data directory " + dir + " is in use by another wartemarke-server");
  }
  try {
    const std::string key_file = (std::filesystem::path(dir) / "personal.key").string();
    if (!std::filesystem::exists(key_file)) {
      // A new key cannot open what the old one sealed, and a silently new key hides that the
      // old one is gone (a restore without it, a wrong data directory, a deleted file).
      auto sealed = sealed_records(path_);
      if (!sealed || *sealed > 0)
        throw StoreError(key_file + " is missing, but " + path_ +
                         (sealed ? " holds " + std::to_string(*sealed) + " records sealed with it"
                                 : " cannot be checked for records sealed with it") +
                         " (identity data, case notes): the server does not start with a new key. "
                         "Put the key file back (backups do not hold it); if it is lost for good, "
                         "those records are unreadable: delete them (`DELETE FROM personal; UPDATE "
                         "outbox SET identity=NULL`) and start again");
      if (std::filesystem::exists(path_))
        spdlog::warn("{} is missing; the journal holds no sealed records: a new key is created", key_file);
    }
    box_ = SecretBox::open_or_create(key_file);
  } catch (const std::exception& e) {
    ::close(lock_fd_);
    throw StoreError(e.what());
  }
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    ::close(lock_fd_);
    throw StoreError("cannot open " + path_ + ": " + msg);
  }
  try {
    sqlite3_busy_timeout(db_, 2000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA secure_delete=ON");  // purged rows are overwritten, not left in free pages
    exec(kSchema);
    sqlite3_stmt* v = prepare("SELECT value FROM meta WHERE key='schema_version'");
    int version = 0;
    if (sqlite3_step(v) == SQLITE_ROW) version = std::stoi(reinterpret_cast<const char*>(sqlite3_column_text(v, 0)));
    sqlite3_finalize(v);
    if (version == 0) {
      exec(("INSERT INTO meta(key, value) VALUES('schema_version', '" +
            std::to_string(kSchemaVersion) + "')").c_str());
    } else if (version > kSchemaVersion) {
      throw StoreError(path_ + " has schema version " + std::to_string(version) +
                       ", newer than this server (" + std::to_string(kSchemaVersion) +
                       "): upgrade the server");
    } else if (version < kSchemaVersion) {
      migrate(version);
    }
    insert_event_ = prepare(
        "INSERT INTO events(seq, time, office, oseq, type, body) VALUES(?,?,?,?,?,?)");
    insert_reply_ =
        prepare("INSERT INTO replies(id, time, reply, principal, fingerprint) VALUES(?,?,?,?,?)");
    insert_personal_ = prepare("INSERT OR REPLACE INTO personal(key, time, data) VALUES(?,?,?)");
    // Checkpoints off the reactor: see wal_checkpointer.hpp (p99 at 2,000 req/s 14 -> ~5 ms).
    // Under sustained writes a passive checkpoint never quite completes, so the WAL would not
    // restart: past 4,000 pages (16 MB) the writer still finishes one itself, which is cheap
    // then because the thread has copied nearly every page already.
    checkpointer_ = WalCheckpointer::start(path_, std::chrono::milliseconds(200));
    if (checkpointer_) exec("PRAGMA wal_autocheckpoint=4000");
  } catch (...) {
    sqlite3_finalize(insert_event_);
    sqlite3_finalize(insert_reply_);
    sqlite3_finalize(insert_personal_);
    sqlite3_close(db_);
    db_ = nullptr;
    ::close(lock_fd_);
    throw;
  }
}

Store::~Store() {
  checkpointer_.reset();  // its connection closes before ours and before the lock goes
  if (lock_fd_ >= 0) ::close(lock_fd_);
  sqlite3_finalize(insert_event_);
  sqlite3_finalize(insert_reply_);
  sqlite3_finalize(insert_personal_);
  sqlite3_close(db_);
}

void Store::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    throw StoreError(path_ + ": " + msg);
  }
}

sqlite3_stmt* Store::prepare(const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK)
    throw StoreError(path_ + ": " + sqlite3_errmsg(db_));
  return st;
}

// Version 1 kept replies in requests(id TEXT PRIMARY KEY) with an index on time: every
// reply dirtied a page in two b-trees keyed at random, which made each commit write (and
// fsync) several times the pages of an append-only table. Version 2 appends them by row.
void Store::migrate(int from) {
  exec("BEGIN IMMEDIATE");
  try {
    if (from < 2) {
      bool old = false;
      sqlite3_stmt* q = prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='requests'");
      old = sqlite3_step(q) == SQLITE_ROW;
      sqlite3_finalize(q);
      if (old) {
        exec("INSERT INTO replies(id, time, reply) SELECT id, time, reply FROM requests ORDER BY time");
        exec("DROP TABLE requests");
      }
    }
    // Version 3 keys a retry by its sender and checks it is the same request: replies
    // kept before carry no sender and answer no retry (the window is an hour).
    if (from < 3) {
      // A version 1 journal got the new replies table from kSchema already.
      sqlite3_stmt* q = prepare("SELECT 1 FROM pragma_table_info('replies') WHERE name='principal'");
      bool has = sqlite3_step(q) == SQLITE_ROW;
      sqlite3_finalize(q);
      if (!has) {
        exec("ALTER TABLE replies ADD COLUMN principal TEXT NOT NULL DEFAULT ''");
        exec("ALTER TABLE replies ADD COLUMN fingerprint INTEGER NOT NULL DEFAULT 0");
      }
    }
    exec(("UPDATE meta SET value='" + std::to_string(kSchemaVersion) +
          "' WHERE key='schema_version'").c_str());
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  spdlog::info("journal schema {} migrated to {} ({})", from, kSchemaVersion, path_);
}

void Store::commit(Batch& batch) {
  if (batch.empty()) return;
  auto step = [&](sqlite3_stmt* st) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) throw StoreError(std::string("write failed: ") + sqlite3_errmsg(db_));
  };
  exec("BEGIN IMMEDIATE");
  try {
    batch.bodies.resize(batch.events.size());
    for (std::size_t i = 0; i < batch.events.size(); ++i) {
      const core::Event& e = batch.events[i];
      std::string& body = batch.bodies[i];
      body = e.body.dump();
      sqlite3_bind_int64(insert_event_, 1, static_cast<sqlite3_int64>(e.seq));
      sqlite3_bind_int64(insert_event_, 2, e.time);
      sqlite3_bind_text(insert_event_, 3, e.office.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert_event_, 4, static_cast<sqlite3_int64>(e.oseq));
      sqlite3_bind_text(insert_event_, 5, e.type.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_event_, 6, body.c_str(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
      step(insert_event_);
    }
    batch.reply_rows.clear();
    for (const auto& r : batch.replies) {
      sqlite3_bind_text(insert_reply_, 1, r.id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert_reply_, 2, batch.time);
      sqlite3_bind_text(insert_reply_, 3, r.frame.c_str(), static_cast<int>(r.frame.size()), SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_reply_, 4, r.principal.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert_reply_, 5, static_cast<sqlite3_int64>(r.fingerprint));
      step(insert_reply_);
      batch.reply_rows.push_back(sqlite3_last_insert_rowid(db_));
    }
    for (const auto& p : batch.personal) {
      std::string data = box_->seal(p.data.dump());
      sqlite3_bind_text(insert_personal_, 1, p.key.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert_personal_, 2, batch.time);
      sqlite3_bind_blob(insert_personal_, 3, data.data(), static_cast<int>(data.size()), SQLITE_TRANSIENT);
      step(insert_personal_);
    }
    write_outbox(batch, step);
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

namespace {

// The journal's events after `after_seq` in order, decoded; shared by the writer's connection
// and read-only ones (JournalReader).
void read_events(sqlite3* db, std::uint64_t after_seq, const std::function<void(core::Event&&)>& fn) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT seq, time, office, oseq, type, body FROM events WHERE seq > ? ORDER BY seq",
                         -1, &st, nullptr) != SQLITE_OK)
    throw StoreError(std::string("reading journal failed: ") + sqlite3_errmsg(db));
  sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(after_seq));
  int rc;
  try {
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      core::Event e;
      e.seq = static_cast<std::uint64_t>(sqlite3_column_int64(st, 0));
      e.time = sqlite3_column_int64(st, 1);
      e.office = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
      e.oseq = static_cast<std::uint64_t>(sqlite3_column_int64(st, 3));
      e.type = reinterpret_cast<const char*>(sqlite3_column_text(st, 4));
      const char* body = reinterpret_cast<const char*>(sqlite3_column_text(st, 5));
      e.body = core::json::parse(body, body + sqlite3_column_bytes(st, 5));
      fn(std::move(e));
    }
  } catch (...) {
    sqlite3_finalize(st);
    throw;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) throw StoreError(std::string("reading journal failed: ") + sqlite3_errmsg(db));
}

}  // namespace

void Store::for_each_event(std::uint64_t after_seq, const std::function<void(core::Event&&)>& fn) {
  read_events(db_, after_seq, fn);
}

JournalReader::JournalReader(const std::string& dir) {
  const std::string path = dir + "/journal.sqlite";
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open " + path + " for reading: " + why);
  }
  sqlite3_busy_timeout(db_, 5000);
}

JournalReader::~JournalReader() { sqlite3_close(db_); }

void JournalReader::for_each_event(std::uint64_t after_seq,
                                   const std::function<void(core::Event&&)>& fn) {
  read_events(db_, after_seq, fn);
}

std::vector<KeptReplyRow> Store::replies_since(core::Millis since) {
  // A scan: the table holds only the retry window (prune_replies), and this runs at start only.
  std::vector<KeptReplyRow> out;
  sqlite3_stmt* st = prepare(
      "SELECT principal, id, seq, fingerprint FROM replies WHERE time >= ? ORDER BY seq");
  sqlite3_bind_int64(st, 1, since);
  while (sqlite3_step(st) == SQLITE_ROW)
    out.push_back({reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                   reinterpret_cast<const char*>(sqlite3_column_text(st, 1)),
                   sqlite3_column_int64(st, 2),
                   static_cast<std::uint64_t>(sqlite3_column_int64(st, 3))});
  sqlite3_finalize(st);
  return out;
}

std::optional<std::string> Store::reply_at(std::int64_t row) {
  sqlite3_stmt* st = prepare("SELECT reply FROM replies WHERE seq = ?");
  sqlite3_bind_int64(st, 1, row);
  std::optional<std::string> out;
  if (read_step(db_, st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return out;
}

void Store::prune_replies(std::int64_t through_row) {
  sqlite3_stmt* st = prepare("DELETE FROM replies WHERE seq <= ?");
  sqlite3_bind_int64(st, 1, through_row);
  sqlite3_step(st);
  sqlite3_finalize(st);
}

// The back-office outbox lives in the same transaction as the events: a forwarded case is
// journaled and queued for the gateway together, or not at all. Its identity snapshot is
// taken now, so the personal row can go as soon as the gateway acknowledges.
void Store::write_outbox(const Batch& batch, const std::function<void(sqlite3_stmt*)>& step) {
  for (const auto& e : batch.events) {
    if (e.type != "ticket.forwarded" || !e.body.contains("case")) continue;
    const core::json& cs = e.body["case"];
    std::string id = cs.value("id", ""), ticket = cs.value("ticket", ""), record = cs.dump();
    sqlite3_stmt* st = prepare(
        "INSERT OR IGNORE INTO outbox(case_id, ticket, time, record, identity, delivered) "
        "VALUES(?,?,?,?,(SELECT data FROM personal WHERE key=?),NULL)");
    sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, ticket.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, e.time);
    sqlite3_bind_text(st, 4, record.c_str(), static_cast<int>(record.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, ticket.c_str(), -1, SQLITE_TRANSIENT);
    try { step(st); } catch (...) { sqlite3_finalize(st); throw; }
    sqlite3_finalize(st);
  }
  for (const auto& id : batch.acks) {
    // Acknowledged: the back office has the data, so the broker forgets it (DSGVO).
    sqlite3_stmt* del = prepare(
        "DELETE FROM personal WHERE key=(SELECT ticket FROM outbox WHERE case_id=?)");
    sqlite3_bind_text(del, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    try { step(del); } catch (...) { sqlite3_finalize(del); throw; }
    sqlite3_finalize(del);
    // The sealed case notes went with the case file (outbox.fetch): they too live in the
    // E-Akte only now.
    sqlite3_stmt* note = prepare("DELETE FROM personal WHERE key=?");
    const std::string note_key = "note:" + id;
    sqlite3_bind_text(note, 1, note_key.c_str(), -1, SQLITE_TRANSIENT);
    try { step(note); } catch (...) { sqlite3_finalize(note); throw; }
    sqlite3_finalize(note);
    sqlite3_stmt* up = prepare(
        "UPDATE outbox SET identity=NULL, delivered=? WHERE case_id=? AND delivered IS NULL");
    sqlite3_bind_int64(up, 1, batch.time);
    sqlite3_bind_text(up, 2, id.c_str(), -1, SQLITE_TRANSIENT);
    try { step(up); } catch (...) { sqlite3_finalize(up); throw; }
    sqlite3_finalize(up);
  }
}

int Store::purge_personal(core::Millis before) {
  exec("BEGIN IMMEDIATE");
  try {
    sqlite3_stmt* del = prepare("DELETE FROM personal WHERE time < ?");
    sqlite3_bind_int64(del, 1, before);
    int rc = sqlite3_step(del);
    sqlite3_finalize(del);
    if (rc != SQLITE_DONE) throw StoreError(std::string("purge failed: ") + sqlite3_errmsg(db_));
    int n = sqlite3_changes(db_);
    sqlite3_stmt* up = prepare("UPDATE outbox SET identity=NULL WHERE time < ? AND identity IS NOT NULL");
    sqlite3_bind_int64(up, 1, before);
    rc = sqlite3_step(up);
    sqlite3_finalize(up);
    if (rc != SQLITE_DONE) throw StoreError(std::string("purge failed: ") + sqlite3_errmsg(db_));
    exec("COMMIT");
    // Fold the WAL back so deleted data does not linger in journal.sqlite-wal.
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    return n;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::optional<core::json> Store::read_personal(const std::string& key) {
  sqlite3_stmt* st = prepare("SELECT data FROM personal WHERE key=?");
  sqlite3_bind_text(st, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  std::optional<core::json> out;
  if (read_step(db_, st) == SQLITE_ROW) {
    const char* d = static_cast<const char*>(sqlite3_column_blob(st, 0));
    auto plain = box_->open({d, static_cast<std::size_t>(sqlite3_column_bytes(st, 0))});
    if (plain) out = core::json::parse(*plain, nullptr, false);
    if (out && out->is_discarded()) out.reset();
  }
  sqlite3_finalize(st);
  return out;
}

namespace {
OutboxEntry outbox_row(sqlite3_stmt* st, const SecretBox& box) {
  OutboxEntry e;
  e.case_id = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  const char* r = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
  e.record = core::json::parse(r, r + sqlite3_column_bytes(st, 1), nullptr, false);
  if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
    const char* d = static_cast<const char*>(sqlite3_column_blob(st, 2));
    if (auto plain = box.open({d, static_cast<std::size_t>(sqlite3_column_bytes(st, 2))}))
      e.identity = core::json::parse(*plain, nullptr, false);
  }
  e.time = sqlite3_column_int64(st, 3);
  return e;
}
}  // namespace

std::vector<OutboxEntry> Store::outbox_pending(int limit) {
  sqlite3_stmt* st = prepare(
      "SELECT case_id, record, identity, time FROM outbox WHERE delivered IS NULL "
      "ORDER BY time, case_id LIMIT ?");
  sqlite3_bind_int(st, 1, limit);
  std::vector<OutboxEntry> out;
  while (read_step(db_, st) == SQLITE_ROW) out.push_back(outbox_row(st, *box_));
  sqlite3_finalize(st);
  return out;
}

std::optional<OutboxEntry> Store::outbox_entry(const std::string& case_id) {
  sqlite3_stmt* st =
      prepare("SELECT case_id, record, identity, time, delivered FROM outbox WHERE case_id=?");
  sqlite3_bind_text(st, 1, case_id.c_str(), -1, SQLITE_TRANSIENT);
  std::optional<OutboxEntry> out;
  if (read_step(db_, st) == SQLITE_ROW) out = outbox_row(st, *box_);
  sqlite3_finalize(st);
  return out;
}

// Checkpoints let recovery skip the journal before them; the newest two are kept, so a torn
// newest one (it is written in its own transaction, so only by a bug) still leaves one.
void Store::save_checkpoint(std::uint64_t seq, core::Millis time, const std::string& state) {
  sqlite3_stmt* st = prepare("INSERT OR REPLACE INTO checkpoints(seq, time, state) VALUES(?,?,?)");
  sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(seq));
  sqlite3_bind_int64(st, 2, time);
  sqlite3_bind_text(st, 3, state.data(), static_cast<int>(state.size()), SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) throw StoreError(std::string("checkpoint failed: ") + sqlite3_errmsg(db_));
  exec("DELETE FROM checkpoints WHERE seq NOT IN (SELECT seq FROM checkpoints ORDER BY seq DESC LIMIT 2)");
}

std::optional<std::pair<std::uint64_t, std::string>> Store::latest_checkpoint() {
  sqlite3_stmt* st = prepare("SELECT seq, state FROM checkpoints ORDER BY seq DESC LIMIT 1");
  std::optional<std::pair<std::uint64_t, std::string>> out;
  if (sqlite3_step(st) == SQLITE_ROW)
    out.emplace(static_cast<std::uint64_t>(sqlite3_column_int64(st, 0)),
                std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)),
                            static_cast<std::size_t>(sqlite3_column_bytes(st, 1))));
  sqlite3_finalize(st);
  return out;
}

std::uint64_t Store::event_count() {
  sqlite3_stmt* st = prepare("SELECT COUNT(*) FROM events");
  std::uint64_t n = 0;
  if (sqlite3_step(st) == SQLITE_ROW) n = static_cast<std::uint64_t>(sqlite3_column_int64(st, 0));
  sqlite3_finalize(st);
  return n;
}

}  // namespace wm::server
