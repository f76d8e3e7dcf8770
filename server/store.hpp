// The durable journal in SQLite (WAL, synchronous=FULL): events, request replies, personal data.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/commands.hpp"
#include "core/state.hpp"
#include "server/crypto.hpp"
#include "server/wal_checkpointer.hpp"

namespace wm::server {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A state-changing request's reply, kept for retries of the same request by the same sender.
struct KeptReply {
  std::string id;                 // the client's request id
  std::string frame;              // the reply as sent
  std::string principal;          // who sent it: device key name (CURVE) or "local" (plain)
  std::uint64_t fingerprint = 0;  // request_fingerprint of the request frame
};

// A journaled reply as the broker reads it back at start (the frame stays on disk).
struct KeptReplyRow {
  std::string principal;
  std::string id;
  std::int64_t row = 0;
  std::uint64_t fingerprint = 0;
};

// What one group commit writes, all or nothing.
struct Batch {
  std::vector<core::Event> events;
  std::vector<KeptReply> replies;
  std::vector<std::int64_t> reply_rows;  // filled by Store::commit: each reply's row (reply_at)
  std::vector<core::PersonalRecord> personal;
  std::vector<std::string> acks;  // case ids the back-office gateway acknowledged
  core::Millis time = 0;
  // Filled by Store::commit: each event's body as journaled (JSON text), so the broker
  // publishes it without encoding it again.
  std::vector<std::string> bodies;
  bool empty() const {
    return events.empty() && replies.empty() && personal.empty() && acks.empty();
  }
};

// One forwarded case waiting in the outbox for the back-office gateway.
struct OutboxEntry {
  std::string case_id;
  core::json record;    // the case as in the ticket.forwarded event
  core::json identity;  // the visitor's ID data when the case was forwarded, or null
  core::Millis time = 0;
};

// A second, read-only connection to a journal the broker's Store writes: for work that reads
// the whole journal off the reactor thread (statistics of past days). WAL lets it read a
// consistent snapshot while the writer commits.
class JournalReader {
 public:
  // Opens `<dir>/journal.sqlite` read-only; throws StoreError with the reason.
  explicit JournalReader(const std::string& dir);
  ~JournalReader();
  JournalReader(const JournalReader&) = delete;
  JournalReader& operator=(const JournalReader&) = delete;
  // As Store::for_each_event.
  void for_each_event(std::uint64_t after_seq, const std::function<void(core::Event&&)>& fn);

 private:
  sqlite3* db_ = nullptr;
};

class Store {
 public:
  static constexpr int kSchemaVersion = 3;

  // Opens (creating if needed) `<dir>/journal.sqlite`. Throws StoreError with the reason.
  explicit Store(const std::string& dir);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Writes a batch in one transaction; throws StoreError (and rolls back) on any failure.
  // Leaves the events' journaled bodies in batch.bodies.
  void commit(Batch& batch);

  // Calls `fn` for every journaled event after `after_seq`, in order.
  void for_each_event(std::uint64_t after_seq, const std::function<void(core::Event&&)>& fn);
  // Senders, ids and rows of the request replies journaled since `since` (the retry window).
  std::vector<KeptReplyRow> replies_since(core::Millis since);
  // The journaled reply in `row` (a retry of a committed request), if it is still kept.
  std::optional<std::string> reply_at(std::int64_t row);
  // Forgets the replies up to and including `through_row` (rows grow with time).
  void prune_replies(std::int64_t through_row);
  // Personal data stored under `key` (a ticket id), if any.
  std::optional<core::json> read_personal(const std::string& key);
  // Retention: deletes personal rows (and outbox identity copies) written before `before`.
  int purge_personal(core::Millis before);
  // Forwarded cases not yet acknowledged, oldest first (the gateway's work).
  std::vector<OutboxEntry> outbox_pending(int limit);
  // A case's outbox entry, delivered or not (nullopt if unknown).
  std::optional<OutboxEntry> outbox_entry(const std::string& case_id);
  // The broker's state as of event `seq` (State::checkpoint()), for fast recovery.
  void save_checkpoint(std::uint64_t seq, core::Millis time, const std::string& state);
  std::optional<std::pair<std::uint64_t, std::string>> latest_checkpoint();
  std::uint64_t event_count();
  const std::string& path() const { return path_; }

 private:
  void exec(const char* sql);
  void migrate(int from);  // schema `from` -> kSchemaVersion, in one transaction
  sqlite3_stmt* prepare(const char* sql);
  void write_outbox(const Batch& batch, const std::function<void(sqlite3_stmt*)>& step);

  std::string path_;
  int lock_fd_ = -1;  // flock on <dir>/lock, held while open
  std::optional<SecretBox> box_;  // personal data is sealed with <dir>/personal.key
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_event_ = nullptr;
  sqlite3_stmt* insert_reply_ = nullptr;
  sqlite3_stmt* insert_personal_ = nullptr;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // folds the WAL off the writer's thread
};

}  // namespace wm::server
