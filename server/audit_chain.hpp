// The audit log's record format, shared by the writer (audit.cpp) and the verifier (audit_verify.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace wm::server::audit_chain {

inline constexpr std::size_t kKeyBytes = 32;  // crypto_auth_hmacsha256_KEYBYTES
inline const std::string kGenesis(64, '0');   // "prev" of the first record

// HMAC-SHA-256 (hex) of a record's canonical JSON without "mac" (keys sorted by nlohmann).
std::string record_mac(const std::string& key, nlohmann::json record);

// A keyed log read from the start: every record's MAC, sequence number (1, 2, ...) and "prev"
// (the MAC of the record before it) checked.
struct Scan {
  bool ok = true;
  bool legacy = false;     // the first line is an unkeyed record of an older version
  long records = 0;        // good records read
  int bad_line = 0;        // first bad line, 1-based
  bool bad_tail = false;   // ...and it is the last line and has no newline (cut off mid-write)
  std::string why;         // what is wrong with bad_line
  std::string last_mac = kGenesis;  // MAC of the last good record
  std::string prev_of_last = kGenesis;  // "prev" of the last good record
  std::uintmax_t good_bytes = 0;        // bytes up to the end of the last good record
  nlohmann::json first;    // the first record (the legacy seal, if there is one)
};
Scan scan_keyed(const std::string& path, const std::string& key);

// An unkeyed SHA-256 chain of an older version ("prev"/"hash"): intact or where it breaks.
struct LegacyScan {
  long records = 0;
  int bad_line = 0;  // 0 = chain intact
  std::string last_hash = kGenesis;
};
LegacyScan scan_legacy(const std::string& path);
// True if the file's first line is an unkeyed record of an older version.
bool is_legacy(const std::string& path);

// The sealed head `<keys_dir>/audit.head`: how many records the log had and the last one's MAC,
// rewritten with each record; it lives with the key, so cutting the log short shows.
struct Head {
  long records = 0;
  std::string mac = kGenesis;
};
std::string head_path_for_key(const std::string& key_path);
// nullopt if the file does not exist; throws std::runtime_error if it is not a head.
std::optional<Head> read_head(const std::string& path);
// Overwrites the head in place (one short write) and syncs it; false on failure.
bool write_head(const std::string& path, const Head& head);

}  // namespace wm::server::audit_chain
