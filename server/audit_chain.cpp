// The audit log's records: HMAC-SHA-256 chain, the unkeyed chain of older versions, the sealed head.
#include "server/audit_chain.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wm::server::audit_chain {
namespace {

using nlohmann::json;

std::string hex(const unsigned char* data, std::size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

std::string read_all(const std::string& path, bool& found) {
  std::ifstream in(path, std::ios::binary);
  found = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Calls `f(line, number, has_newline, end_offset)` per line until it returns false.
template <class F>
void for_each_line(const std::string& text, F&& f) {
  std::size_t at = 0;
  int number = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    bool complete = nl != std::string::npos;
    std::size_t end = complete ? nl + 1 : text.size();
    if (!f(text.substr(at, (complete ? nl : end) - at), ++number, complete, end)) return;
    at = end;
  }
}

// Constant time: a verifier should not tell how much of a forged MAC was right.
bool same_mac(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool unkeyed_record(const json& j) {
  return j.is_object() && j.contains("hash") && !j.contains("mac");
}

}  // namespace

std::string record_mac(const std::string& key, json record) {
  record.erase("mac");
  const std::string text = record.dump();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return hex(mac, sizeof mac);
}

Scan scan_keyed(const std::string& path, const std::string& key) {
  Scan s;
  bool found = false;
  const std::string text = read_all(path, found);
  for_each_line(text, [&](const std::string& line, int number, bool complete, std::size_t end) {
    auto j = json::parse(line, nullptr, false);
    if (number == 1 && unkeyed_record(j)) {  // callers check is_legacy first: never continued
      s.legacy = true;
      s.ok = false;
      s.bad_line = 1;
      s.why = "an unkeyed record of an older version";
      return false;
    }
    std::string why;
    if (!j.is_object() || !j.contains("mac") || !j["mac"].is_string() || !j.contains("seq") ||
        !j["seq"].is_number_integer() || !j.contains("prev") || !j["prev"].is_string())
      why = unkeyed_record(j) ? "an unkeyed record among keyed ones: inserted without the key"
                              : "not an audit record";
    else if (!same_mac(record_mac(key, j), j["mac"].get<std::string>()))
      why = "MAC does not match: changed after it was written, or written without the key";
    else if (j["seq"].get<long>() != s.records + 1)
      why = "record " + std::to_string(j["seq"].get<long>()) + " where record " +
            std::to_string(s.records + 1) +
            " belongs: a record before it was removed, or it was inserted or moved here";
    else if (j["prev"] != s.last_mac)
      why = "chain broken: it does not follow the record before it";
    if (!why.empty()) {
      s.ok = false;
      s.bad_line = number;
      s.bad_tail = !complete;
      s.why = why;
      return false;
    }
    if (s.records == 0) s.first = j;
    ++s.records;
    s.prev_of_last = j["prev"].get<std::string>();
    s.last_mac = j["mac"].get<std::string>();
    s.good_bytes = end;
    return true;
  });
  return s;
}

LegacyScan scan_legacy(const std::string& path) {
  LegacyScan s;
  bool found = false;
  const std::string text = read_all(path, found);
  for_each_line(text, [&](const std::string& line, int number, bool, std::size_t) {
    auto j = json::parse(line, nullptr, false);
    bool good = unkeyed_record(j) && j["hash"].is_string() && j.contains("prev") &&
                j["prev"] == s.last_hash;
    if (good) {
      std::string hash = j["hash"];
      j.erase("hash");
      unsigned char h[crypto_hash_sha256_BYTES];
      const std::string canon = j.dump();
      crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(canon.data()), canon.size());
      good = hex(h, sizeof h) == hash;
      if (good) s.last_hash = hash;
    }
    if (!good) {
      s.bad_line = number;
      return false;
    }
    ++s.records;
    return true;
  });
  return s;
}

bool is_legacy(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  return std::getline(in, line) && unkeyed_record(json::parse(line, nullptr, false));
}

std::string head_path_for_key(const std::string& key_path) {
  return (std::filesystem::path(key_path).parent_path() / "audit.head").string();
}

std::optional<Head> read_head(const std::string& path) {
  if (!std::filesystem::exists(path)) return std::nullopt;
  std::ifstream in(path);
  Head h;
  std::string records;
  if (!(in >> records >> h.mac) || h.mac.size() != 64 ||
      records.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error(path + " is not an audit head (records and last MAC)");
  h.records = std::stol(records);
  return h;
}

bool write_head(const std::string& path, const Head& head) {
  // Fixed width, so one write at offset 0 replaces the whole content.
  char text[96];
  int n = std::snprintf(text, sizeof text, "%020ld %s\n", head.records, head.mac.c_str());
  if (n != 86) return false;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = ::pwrite(fd, text, n, 0) == n && ::ftruncate(fd, n) == 0 && ::fdatasync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace wm::server::audit_chain
