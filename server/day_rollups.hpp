// Finished days' statistics kept on disk (<data>/rollups.sqlite), so a restart replays no day twice.
#pragma once

#include <sqlite3.h>

#include <optional>
#include <string>

#include "core/stats.hpp"

namespace wm::server {

// Written and read only by the statistics thread (StatsWorker). Derived data: deleting the
// file costs one replay of the journal, so backups leave it out and a restore deletes it (it
// could describe days the restored journal no longer has). It holds what `stats` answers:
// figures, and the staff logins at counters (office staff may see those, core/visibility);
// created 0600 like the journal.
class DayRollups {
 public:
  // Opens (creating if needed) `<dir>/rollups.sqlite`; throws std::runtime_error with the reason.
  explicit DayRollups(const std::string& dir);
  ~DayRollups();
  DayRollups(const DayRollups&) = delete;
  DayRollups& operator=(const DayRollups&) = delete;

  std::optional<core::DayStats> get(const std::string& day);
  // Keeps `stats` for `day` (a finished day: the same figures whenever they are computed).
  void put(const std::string& day, const core::DayStats& stats);

  static constexpr const char* kFile = "rollups.sqlite";

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace wm::server
