// Background PASSIVE WAL checkpoints for the journal (see wal_checkpointer.hpp).
#include "server/wal_checkpointer.hpp"

namespace wm::server {

std::unique_ptr<WalCheckpointer> WalCheckpointer::start(const std::string& path,
                                                        std::chrono::milliseconds every) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return nullptr;
  }
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(db, every));
}

WalCheckpointer::WalCheckpointer(sqlite3* db, std::chrono::milliseconds every)
    : db_(db), every_(every), thread_([this] { run(); }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  sqlite3_close(db_);
}

void WalCheckpointer::run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, every_, [this] { return stop_; })) {
    lock.unlock();
    // PASSIVE: copies what no reader still needs, never waits for or blocks the writer.
    // Errors (busy, a full or read-only disk) only mean the WAL is folded later.
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
}

}  // namespace wm::server
