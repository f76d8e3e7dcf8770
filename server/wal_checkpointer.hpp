// Folds the journal's WAL back into the database from a thread of its own connection.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace wm::server {

// SQLite's automatic checkpoint runs inside a commit every ~1,000 WAL pages: on the broker's
// reactor that was a stall of several ms many times a second at 2,000 requests/s (the p99
// tail of `wartemarke bench`). The Store turns it off and lets this thread run PASSIVE
// checkpoints, which never block the writer; the WAL restarts once one has completed.
class WalCheckpointer {
 public:
  // nullptr if the database cannot be opened a second time (then keep the automatic one).
  static std::unique_ptr<WalCheckpointer> start(const std::string& path,
                                                std::chrono::milliseconds every);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  WalCheckpointer(sqlite3* db, std::chrono::milliseconds every);
  void run();

  sqlite3* db_;
  std::chrono::milliseconds every_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace wm::server
