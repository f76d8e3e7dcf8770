// Staff accounts in the county's staff file: the PIN policy, Argon2id hashing, and adding or
// removing one [[staff]] entry without disturbing the rest of the hand-edited file.
#pragma once

#include <string>
#include <vector>

namespace wm::server {

// Why `pin` breaks the policy ("" if it does not): shorter than `min_length` characters,
// longer than 128, control characters or spaces, one repeated character, or a straight run
// like 123456 / 654321 (the first PINs an attacker tries).
std::string pin_problem(const std::string& pin, int min_length);

// libsodium Argon2id string, with the parameters the loader accepts (INTERACTIVE limits).
// Throws std::runtime_error if libsodium fails (out of memory).
std::string hash_pin(const std::string& pin);

struct NewStaff {
  std::string login;
  std::string name;
  std::vector<std::string> roles;
  std::vector<std::string> offices;  // empty = all offices
  std::string password_hash;  // empty with `ldap`
  bool ldap = false;          // auth = "ldap": the directory checks the password
};

// `text` (a staff file) with `s` appended as a [[staff]] table.
std::string with_staff_entry(const std::string& text, const NewStaff& s);
// `text` without the [[staff]] table whose login is `login`; `found` tells if there was one.
std::string without_staff_entry(const std::string& text, const std::string& login, bool& found);

// Replaces `path` atomically with `text`, keeping its owner, group and mode (the packaged
// files are root:wartemarke 0640; a new file gets 0640). Throws std::runtime_error.
void replace_file(const std::string& path, const std::string& text);

}  // namespace wm::server
