// Staff login lockout: after N wrong PINs in a row a login (or a station) is locked for a while.
#pragma once

#include <string>
#include <unordered_map>

#include "core/clock.hpp"

namespace wm::server {

class LoginLockout {
 public:
  // `attempts` = 0 switches the lockout off. Times are on the broker's clock (milliseconds).
  LoginLockout(int attempts = 5, int minutes = 15)
      : attempts_(attempts), duration_(static_cast<core::Millis>(minutes) * 60'000) {}

  // The end of the lock if `login` is locked at `now`, else 0.
  core::Millis locked_until(const std::string& login, core::Millis now) const {
    auto it = logins_.find(login);
    return it != logins_.end() && it->second.until > now ? it->second.until : 0;
  }

  // A wrong PIN (or an unknown login: both are answered alike, so both count). Returns the end
  // of the lock this failure started, or 0.
  core::Millis failed(const std::string& login, core::Millis now) {
    if (attempts_ <= 0) return 0;
    if (logins_.size() > kMaxTracked) forget_expired(now);  // bounded under a guessing storm
    if (logins_.size() > kMaxTracked) logins_.clear();
    Entry& e = logins_[login];
    if (e.until != 0 && e.until <= now) e = Entry{};  // an expired lock starts afresh
    if (++e.failures < attempts_) return 0;
    e.failures = 0;
    e.until = now + duration_;
    return e.until;
  }

  void succeeded(const std::string& login) { logins_.erase(login); }

 private:
  static constexpr std::size_t kMaxTracked = 10000;
  struct Entry {
    int failures = 0;
    core::Millis until = 0;
  };
  void forget_expired(core::Millis now) {
    std::erase_if(logins_, [&](const auto& kv) { return kv.second.until <= now; });
  }

  int attempts_;
  core::Millis duration_;
  std::unordered_map<std::string, Entry> logins_;
};

// Both guards the broker keeps: per login (someone guessing one person's PIN) and per station,
// i.e. device key (one station trying many logins; each try costs an Argon2id verify, unknown
// logins included, so this bounds the broker's work too). A station gets more tries in a row
// than a login: several people may mistype at one counter before someone gets in.
struct LoginGuards {
  LoginGuards(int attempts = 5, int minutes = 15)
      : per_login(attempts, minutes), per_station(attempts * 4, minutes) {}
  LoginLockout per_login;
  LoginLockout per_station;
};

}  // namespace wm::server
