// The access audit log: who read which personal data, when. Append-only, HMAC-chained, sealed head.
#pragma once

#include <string>
#include <string_view>

namespace wm::server {

// Opens `<data_dir>/audit.log` with its key `<keys_dir>/audit.key` and sealed head
// `<keys_dir>/audit.head` (keys_dir empty = `<data_dir>/keys`). Call once at broker start.
// Creates the key at the first start; moves an unkeyed log of an older version aside to
// `audit.log.legacy-<date>` and seals its state in the new log's first record. Throws
// std::runtime_error (saying why and what to do) if the log holds keyed records but the key is
// missing, or if the log does not match its key or its sealed head (changed, cut short).
void audit_open(const std::string& data_dir, const std::string& keys_dir = {});

// "key=<device key> staff=<login>" ("staff=-" when no one is logged in): who released the data.
std::string audit_actor(std::string_view device_key, std::string_view staff);

// Appends one line and syncs it (and the sealed head) to disk before returning: an access that
// is not logged must not happen, so callers audit first and answer afterwards. Never pass
// personal data here — who (audit_actor), what (e.g. "identity.read"), subject (ticket number,
// case id). Returns false if the line could not be written or audit_open was not called (the
// caller refuses the access).
bool audit(std::string_view actor, std::string_view action, std::string_view subject,
           std::string_view detail = {});

// Result of checking an audit file.
struct AuditCheck {
  bool ok = true;
  bool legacy = false;  // an unkeyed log of an older version: not verifiable (ok is false)
  int lines = 0;
  int bad_line = 0;     // first line that fails, 1-based; 0 if none (or the end is at fault)
  std::string message;  // "12 records, keyed chain intact, ..." or "line 7: ..."
};
// Checks each record's HMAC, sequence number and chain, and the log's end against the sealed
// head `audit.head` beside `key_path`.
AuditCheck audit_verify(const std::string& log_path, const std::string& key_path);

}  // namespace wm::server
