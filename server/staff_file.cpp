// Staff file edits are textual: comments and layout an admin wrote stay as they are.
#include "server/staff_file.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace wm::server {

namespace {

// TOML basic string: quotes, backslashes and control characters escaped.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quoted(items[i]);
  return out + "]";
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// The login of a `login = "..."` line, or "".
std::string login_of(const std::string& line) {
  std::string t = trim(line);
  if (!t.starts_with("login")) return {};
  auto eq = t.find('=');
  if (eq == std::string::npos || trim(t.substr(5, eq - 5)) != "") return {};
  std::string v = trim(t.substr(eq + 1));
  auto hash = v.find('#', v.size() > 1 && (v[0] == '"' || v[0] == '\'') ? v.find(v[0], 1) : 0);
  if (hash != std::string::npos) v = trim(v.substr(0, hash));
  if (v.size() >= 2 && (v[0] == '"' || v[0] == '\'') && v.back() == v[0]) return v.substr(1, v.size() - 2);
  return {};
}

}  // namespace

std::string pin_problem(const std::string& pin, int min_length) {
  if (static_cast<int>(pin.size()) < min_length)
    return "too short: at least " + std::to_string(min_length) + " characters (security.pin_min_length)";
  if (pin.size() > 128) return "too long: at most 128 characters";
  for (unsigned char c : pin)
    if (c <= 0x20 || c == 0x7f) return "no spaces or control characters";
  bool same = true, up = true, down = true;
  for (std::size_t i = 1; i < pin.size(); ++i) {
    same = same && pin[i] == pin[0];
    up = up && pin[i] == pin[i - 1] + 1;
    down = down && pin[i] == pin[i - 1] - 1;
  }
  if (same) return "one repeated character is guessed first";
  if (up || down) return "a straight run (123456, 654321) is guessed first";
  return {};
}

std::string hash_pin(const std::string& pin) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  // The same limits as every hash the loader accepts (m=64 MiB, t=2: about 0.1 s per verify).
  if (crypto_pwhash_str(out, pin.c_str(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("Argon2id hashing failed (out of memory?)");
  return out;
}

std::string with_staff_entry(const std::string& text, const NewStaff& s) {
  std::string out = text;
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (!out.empty()) out += '\n';
  out += "[[staff]]\nlogin = " + quoted(s.login) + "\nname = " + quoted(s.name) +
         "\nroles = " + quoted_list(s.roles) + "\n";
  if (!s.offices.empty()) out += "offices = " + quoted_list(s.offices) + "\n";
  if (s.ldap)
    out += "auth = \"ldap\"\n";
  else
    out += "password_hash = " + quoted(s.password_hash) + "\n";
  return out;
}

std::string without_staff_entry(const std::string& text, const std::string& login, bool& found) {
  found = false;
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  // A table runs from its header to the next header; only [[staff]] tables are candidates.
  std::size_t i = 0;
  std::string out;
  while (i < lines.size()) {
    std::string t = trim(lines[i]);
    if (t == "[[staff]]" || t.starts_with("[[staff]] ") || t.starts_with("[[staff]]#")) {
      std::size_t end = i + 1;
      bool match = false;
      while (end < lines.size() && !trim(lines[end]).starts_with("[")) {
        if (login_of(lines[end]) == login) match = true;
        ++end;
      }
      if (match && !found) {
        found = true;
        // Also drop the blank line that separated it from the table before.
        while (!out.empty() && out.ends_with("\n\n")) out.pop_back();
        // Blank and comment lines just before the next table belong to it: keep them.
        std::size_t keep = end;
        while (keep > i + 1 && (trim(lines[keep - 1]).empty() || trim(lines[keep - 1])[0] == '#'))
          --keep;
        for (std::size_t k = keep; k < end; ++k) out += lines[k] + "\n";
        i = end;
        continue;
      }
      for (std::size_t k = i; k < end; ++k) out += lines[k] + "\n";
      i = end;
      continue;
    }
    out += lines[i] + "\n";
    ++i;
  }
  if (!text.empty() && text.back() != '\n' && !out.empty()) out.pop_back();
  return out;
}

void replace_file(const std::string& path, const std::string& text) {
  struct stat st {};
  bool existed = ::stat(path.c_str(), &st) == 0;
  std::string tmp = path + ".new";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  // Owner and group first (root may give the file back to root:wartemarke), then the mode.
  if (existed && (st.st_uid != ::geteuid() || st.st_gid != ::getegid()))
    ok = ::fchown(fd, st.st_uid, st.st_gid) == 0 && ok;
  ok = ::fchmod(fd, existed ? (st.st_mode & 07777) : 0640) == 0 && ok;
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot replace " + path + ": " + why);
  }
}

}  // namespace wm::server
