// The on-disk roll-ups of finished days (see day_rollups.hpp).
#include "server/day_rollups.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>

namespace wm::server {

DayRollups::DayRollups(const std::string& dir) {
  const std::string path = dir + "/" + kFile;
  // 0600 from the start, as the journal: SQLite would create it with the umask's mode.
  if (int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open " + path + ": " + why);
  }
  sqlite3_busy_timeout(db_, 2000);
  char* err = nullptr;
  if (sqlite3_exec(db_, "CREATE TABLE IF NOT EXISTS day_stats (day TEXT PRIMARY KEY, stats TEXT NOT NULL)",
                   nullptr, nullptr, &err) != SQLITE_OK) {
    std::string why = err ? err : "unknown error";
    sqlite3_free(err);
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot prepare " + path + ": " + why);
  }
}

DayRollups::~DayRollups() { sqlite3_close(db_); }

std::optional<core::DayStats> DayRollups::get(const std::string& day) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT stats FROM day_stats WHERE day = ?", -1, &st, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("reading day roll-ups failed: ") + sqlite3_errmsg(db_));
  sqlite3_bind_text(st, 1, day.c_str(), static_cast<int>(day.size()), SQLITE_TRANSIENT);
  std::optional<core::DayStats> out;
  if (sqlite3_step(st) == SQLITE_ROW) {
    const char* text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    try {
      out = core::day_stats_from_json(core::json::parse(text, text + sqlite3_column_bytes(st, 0)));
    } catch (const std::exception&) {
      out.reset();  // a damaged row: the day is replayed again and its row replaced
    }
  }
  sqlite3_finalize(st);
  return out;
}

void DayRollups::put(const std::string& day, const core::DayStats& stats) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO day_stats (day, stats) VALUES (?, ?)", -1, &st,
                         nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("writing day roll-ups failed: ") + sqlite3_errmsg(db_));
  const std::string text = core::to_json(stats).dump();
  sqlite3_bind_text(st, 1, day.c_str(), static_cast<int>(day.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) throw std::runtime_error(std::string("writing day roll-ups failed: ") + sqlite3_errmsg(db_));
}

}  // namespace wm::server
