// Append-only audit file, HMAC-SHA-256-chained under a key kept apart from it, with a sealed head:
// a removed, inserted, reordered or cut-off record shows in `wartemarke audit verify`.
#include "server/audit.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "server/audit_chain.hpp"
#include "server/crypto.hpp"

namespace wm::server {
namespace {

namespace fs = std::filesystem;
using namespace audit_chain;

std::mutex g_mu;
std::string g_path, g_head_path, g_key;  // g_key empty = not open: audit() refuses
Head g_head;                             // the last record written

// `audit.log.legacy-<date>`, with -2, -3, ... if that exists already.
std::string legacy_name(const fs::path& log) {
  std::string date = core::local_day(core::real_now());
  std::string base = log.filename().string() + ".legacy-" + date, name = base;
  for (int n = 2; fs::exists(log.parent_path() / name); ++n) name = base + "-" + std::to_string(n);
  return name;
}

std::string refuse(const std::string& why) {
  return why + ". The server does not start on it: run `wartemarke audit verify`, keep the files "
               "for the investigation, and move audit.log (with audit.head) aside to start a new "
               "log (docs/operations.md)";
}

// Appends `line` and seals it in the head; on any failure the log is cut back to where it was.
bool append(const std::string& line, const Head& head) {
  int fd = ::open(g_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  struct stat st {};
  const bool sized = ::fstat(fd, &st) == 0;
  bool ok = sized && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
       ::fdatasync(fd) == 0 && write_head(g_head_path, head);
  if (!ok && sized) {
    if (::ftruncate(fd, st.st_size) != 0 || ::fdatasync(fd) != 0)
      spdlog::error("audit log {} could not be cut back after a failed write", g_path);
  }
  ::close(fd);
  return ok;
}

bool append_record(std::string_view actor, std::string_view action, std::string_view subject,
                   std::string_view detail) {
  nlohmann::json line{{"seq", g_head.records + 1},
                      {"time", core::real_now()},
                      {"actor", actor},
                      {"action", action},
                      {"subject", subject},
                      {"detail", detail},
                      {"prev", g_head.mac}};
  std::string mac = record_mac(g_key, line);
  line["mac"] = mac;
  if (!append(line.dump() + "\n", Head{g_head.records + 1, mac})) return false;
  g_head = Head{g_head.records + 1, mac};
  return true;
}

}  // namespace

std::string audit_actor(std::string_view device_key, std::string_view staff) {
  std::string out = "key=";
  out += device_key.empty() ? "-" : device_key;
  out += " staff=";
  out += staff.empty() ? "-" : staff;
  return out;
}

void audit_open(const std::string& data_dir, const std::string& keys_dir_in) {
  std::lock_guard lock(g_mu);
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
  g_key.clear();
  const fs::path log = fs::path(data_dir) / "audit.log";
  const fs::path keys_dir = keys_dir_in.empty() ? fs::path(data_dir) / "keys" : fs::path(keys_dir_in);
  const std::string key_path = (keys_dir / "audit.key").string();
  g_path = log.string();
  g_head_path = head_path_for_key(key_path);
  if (!fs::exists(keys_dir)) {
    fs::create_directories(keys_dir);
    fs::permissions(keys_dir, fs::perms::owner_all, fs::perm_options::replace);
  }

  // An unkeyed log of an older version is not continued: it moves aside, its state is sealed
  // in the first keyed record below.
  std::optional<std::pair<std::string, LegacyScan>> legacy;
  if (is_legacy(g_path)) {
    auto name = legacy_name(log);
    auto scan = scan_legacy(g_path);
    fs::rename(log, log.parent_path() / name);
    spdlog::warn("{} is an unkeyed audit log of an older version: moved to {}; a keyed log starts",
                 g_path, name);
    legacy.emplace(name, scan);
  }

  auto head = read_head(g_head_path);
  auto key = read_key_file(key_path, kKeyBytes);
  if (!key) {
    // A new key would make every record written so far unverifiable, and hide that the old key
    // is gone (a restore without it, a wrong --keys, a deleted file).
    std::error_code ec;
    const bool has_records = fs::file_size(log, ec) > 0 && !ec;
    if (has_records || (head && head->records > 0))
      throw std::runtime_error(
          key_path + " is missing, but " +
          (has_records ? g_path + " holds keyed records"
                       : g_head_path + " seals " + std::to_string(head->records) + " records") +
          ": the server does not start with a new audit key. Put the key file back (it is backed "
          "up apart from the log, docs/operations.md); if it is lost for good, move audit.log and "
          "audit.head aside (they can no longer be verified) and start again");
    key = create_key_file(key_path, kKeyBytes);
    if (head) fs::remove(g_head_path);  // an empty head of no key's log
    head.reset();
    spdlog::info("audit key {} created", key_path);
  }
  g_key = *key;

  Scan scan = scan_keyed(g_path, g_key);
  if (!scan.ok && scan.bad_tail) {
    // Cut off mid-write (a crash or a full disk): the record never counted, drop its bytes.
    spdlog::warn("audit log {}: an incomplete last line (line {}) is removed", g_path, scan.bad_line);
    fs::resize_file(log, scan.good_bytes);
    scan = scan_keyed(g_path, g_key);
  }
  try {
    if (!scan.ok)
      throw std::runtime_error(refuse(g_path + " line " + std::to_string(scan.bad_line) + ": " + scan.why));
    Head end{scan.records, scan.last_mac};
    if (!head && scan.records > 0)
      throw std::runtime_error(refuse(g_path + " holds " + std::to_string(scan.records) + " records but " +
                                      g_head_path + " is missing: its end cannot be checked"));
    // The head trails by one record if the server stopped between writing a record and
    // sealing it; anything else means the log was cut short or is not the sealed one.
    if (head && !(head->records == end.records && head->mac == end.mac) &&
        !(head->records + 1 == end.records && head->mac == scan.prev_of_last))
      throw std::runtime_error(refuse(
          g_path + " ends after " + std::to_string(end.records) + " records, but " + g_head_path +
          " seals " + std::to_string(head->records) +
          (head->records > end.records ? ": records were removed from its end"
                                       : ": its end is not the sealed one")));
    if (scan.records > 0 && !write_head(g_head_path, end))
      throw std::runtime_error("cannot write " + g_head_path);
    g_head = end;
    if (legacy) {
      const auto& [name, ls] = *legacy;
      std::string detail = "records=" + std::to_string(ls.records) + " hash=" + ls.last_hash +
                           (ls.bad_line ? " broken_at=" + std::to_string(ls.bad_line) : "");
      if (!append_record(audit_actor("wartemarke-server", ""), "audit.legacy", name, detail))
        throw std::runtime_error("cannot write " + g_path);
    }
  } catch (...) {
    g_key.clear();
    throw;
  }
}

bool audit(std::string_view actor, std::string_view action, std::string_view subject,
           std::string_view detail) {
  std::lock_guard lock(g_mu);
  if (g_key.empty()) {
    spdlog::error("audit log is not open; access refused");
    return false;
  }
  if (!append_record(actor, action, subject, detail)) {
    spdlog::error("audit log {} cannot be written; access refused", g_path);
    return false;
  }
  return true;
}

}  // namespace wm::server
