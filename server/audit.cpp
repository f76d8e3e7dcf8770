// Append-only, hash-chained audit file: each line carries the SHA-256 of its predecessor, so a
// changed, removed or reordered line breaks the chain that `wartemarke audit verify` checks.
#include "server/audit.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"

namespace wm::server {
namespace {
std::mutex g_mu;
std::string g_path;
std::string g_last;  // hash of the last line; empty = not read yet
const std::string kGenesis(64, '0');

std::string sha256_hex(const std::string& text) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

// The hash of a line is over its JSON without "hash" (keys sorted, so the text is canonical).
std::string line_hash(nlohmann::json line) {
  line.erase("hash");
  return sha256_hex(line.dump());
}

std::string last_hash_in(const std::string& path) {
  std::ifstream in(path);
  std::string line, last = kGenesis;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("hash") && j["hash"].is_string()) last = j["hash"];
  }
  return last;
}
}  // namespace

void audit_open(const std::string& data_dir) {
  std::lock_guard lock(g_mu);
  g_path = (std::filesystem::path(data_dir) / "audit.log").string();
  g_last.clear();
}

bool audit(std::string_view actor, std::string_view action, std::string_view subject,
           std::string_view detail) {
  std::lock_guard lock(g_mu);
  if (g_path.empty()) g_path = "audit.log";
  if (g_last.empty()) g_last = last_hash_in(g_path);
  nlohmann::json line{{"time", core::real_now()},
                      {"actor", actor},
                      {"action", action},
                      {"subject", subject},
                      {"detail", detail},
                      {"prev", g_last}};
  std::string hash = line_hash(line);
  line["hash"] = hash;
  std::string text = line.dump() + "\n";
  int fd = ::open(g_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    spdlog::error("audit log {} cannot be opened; access refused", g_path);
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fdatasync(fd) == 0;
  ::close(fd);
  if (!ok) {
    spdlog::error("audit log {} cannot be written; access refused", g_path);
    g_last.clear();  // reread: a partial line may be there
    return false;
  }
  g_last = hash;
  return true;
}

AuditCheck audit_verify(const std::string& path) {
  AuditCheck r;
  std::ifstream in(path);
  if (!in) {
    r.ok = false;
    r.message = "cannot read " + path;
    return r;
  }
  std::string text, prev = kGenesis;
  while (std::getline(in, text)) {
    ++r.lines;
    auto j = nlohmann::json::parse(text, nullptr, false);
    std::string why;
    if (!j.is_object() || !j.contains("hash") || !j["hash"].is_string() || !j.contains("prev"))
      why = "not an audit record";
    else if (j["prev"] != prev)
      why = "chain broken: a line before it was removed, inserted or reordered";
    else if (line_hash(j) != j["hash"].get<std::string>())
      why = "content changed after it was written";
    if (!why.empty()) {
      r.ok = false;
      r.bad_line = r.lines;
      r.message = "line " + std::to_string(r.lines) + ": " + why;
      return r;
    }
    prev = j["hash"];
  }
  r.message = std::to_string(r.lines) + " records, chain intact";
  return r;
}

}  // namespace wm::server
