// audit_verify: checks an audit log against its key and sealed head, and an old log's legacy seal.
#include <sodium.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "server/audit.hpp"
#include "server/audit_chain.hpp"
#include "server/crypto.hpp"

namespace wm::server {
namespace {

namespace fs = std::filesystem;
using namespace audit_chain;

AuditCheck failed(AuditCheck r, const std::string& message, int bad_line = 0) {
  r.ok = false;
  r.bad_line = bad_line;
  r.message = message;
  return r;
}

// The first keyed record of a log that replaced an unkeyed one seals that file's state:
// "records=N hash=H". Checks the file if it is still beside the log; "" if it matches.
std::string check_legacy_seal(const fs::path& log, const nlohmann::json& first, std::string& note) {
  if (!first.is_object() || first.value("action", "") != "audit.legacy") return {};
  const std::string name = first.value("subject", ""), detail = first.value("detail", "");
  long records = -1;
  char hash[65] = {};
  if (std::sscanf(detail.c_str(), "records=%ld hash=%64[0-9a-f]", &records, hash) != 2)
    return "record 1 does not name the legacy log's state";
  const fs::path file = log.parent_path() / name;
  if (!fs::exists(file)) {
    note = "; the unkeyed legacy log " + name + " is not beside it (not checked)";
    return {};
  }
  auto ls = scan_legacy(file.string());
  if (ls.records != records || ls.last_hash != hash)
    return "the unkeyed legacy log " + name + " changed since it was sealed in record 1 (" +
           std::to_string(records) + " records then, " + std::to_string(ls.records) + " now)";
  note = "; the unkeyed legacy log " + name + " is as sealed at the upgrade (" +
         std::to_string(records) + " records)";
  return {};
}

}  // namespace

AuditCheck audit_verify(const std::string& log_path, const std::string& key_path) {
  AuditCheck r;
  if (sodium_init() < 0) return failed(r, "libsodium cannot be initialised");
  if (!std::ifstream(log_path)) return failed(r, "cannot read " + log_path);
  if (is_legacy(log_path)) {
    // Never "verified": whoever could write the file could recompute an unkeyed chain.
    auto ls = scan_legacy(log_path);
    r.legacy = true;
    r.lines = static_cast<int>(ls.records);
    return failed(r, std::to_string(ls.records) + " records in the unkeyed legacy format (hash chain " +
                         (ls.bad_line ? "broken at line " + std::to_string(ls.bad_line) : std::string("intact")) +
                         "): NOT verifiable — anyone who could write the file could have rewritten it. "
                         "Only its state when a keyed log replaced it is sealed (audit.log, record 1)",
                  ls.bad_line);
  }
  std::optional<std::string> key;
  std::optional<Head> head;
  const std::string head_path = head_path_for_key(key_path);
  try {
    key = read_key_file(key_path, kKeyBytes);
    head = read_head(head_path);
  } catch (const std::exception& e) {
    return failed(r, e.what());
  }
  if (!key) return failed(r, "the audit key " + key_path + " is missing: the log cannot be verified (--key)");
  Scan s = scan_keyed(log_path, *key);
  r.lines = static_cast<int>(s.records);
  if (!s.ok) {
    r.lines = s.bad_line;
    return failed(r, "line " + std::to_string(s.bad_line) + ": " + s.why, s.bad_line);
  }
  if (!head && s.records > 0)
    return failed(r, std::to_string(s.records) + " records, but the sealed head " + head_path +
                         " is missing: the end of the log cannot be checked");
  const long sealed = head ? head->records : 0;
  std::string note;
  if (head && head->records == s.records && head->mac == s.last_mac) {
  } else if (head && head->records + 1 == s.records && head->mac == s.prev_of_last) {
    note = "; the last record is not sealed yet (written while this ran, or the server stopped "
           "between the two writes; it seals it at its next start)";
  } else if (sealed > s.records) {
    return failed(r, "the log ends after " + std::to_string(s.records) + " records, but the head seals " +
                         std::to_string(sealed) + ": records were removed from its end");
  } else {
    return failed(r, "the log's end (" + std::to_string(s.records) + " records) is not the one sealed in " +
                         head_path + " (" + std::to_string(sealed) + " records)");
  }
  if (auto why = check_legacy_seal(fs::path(log_path), s.first, note); !why.empty())
    return failed(r, why, 1);
  r.message = std::to_string(s.records) + " records, keyed chain intact, end matches the sealed head" + note;
  return r;
}

}  // namespace wm::server
