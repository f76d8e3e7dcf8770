// Staff login lockout: after N wrong PINs in a row a login (or a station) is locked for a while.
// The broker keeps its guards in a file in the data directory: a restart does not unlock.
#pragma once

#include <functional>
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
    if (++e.failures < attempts_) {
      if (on_change_) on_change_();
      return 0;
    }
    e.failures = 0;
    e.until = now + duration_;
    if (on_change_) on_change_();
    return e.until;
  }

  void succeeded(const std::string& login) {
    if (logins_.erase(login) && on_change_) on_change_();
  }

  struct Entry {
    int failures = 0;
    core::Millis until = 0;
  };
  const std::unordered_map<std::string, Entry>& entries() const { return logins_; }
  // Restores a saved entry (at start, before any request).
  void restore(const std::string& login, Entry e) {
    if (logins_.size() < kMaxTracked) logins_[login] = e;
  }
  // Called after every change (a failure counted, a lock started or cleared).
  void on_change(std::function<void()> f) { on_change_ = std::move(f); }

 private:
  static constexpr std::size_t kMaxTracked = 10000;
  void forget_expired(core::Millis now) {
    std::erase_if(logins_, [&](const auto& kv) { return kv.second.until <= now; });
  }

  int attempts_;
  core::Millis duration_;
  std::unordered_map<std::string, Entry> logins_;
  std::function<void()> on_change_;
};

// Both guards the broker keeps: per login (someone guessing one person's PIN) and per station,
// i.e. device key (one station trying many logins; each try costs an Argon2id verify, unknown
// logins included, so this bounds the broker's work too). A station gets more tries in a row
// than a login: several people may mistype at one counter before someone gets in.
struct LoginGuards {
  // `file` empty: in memory only. Otherwise the guards are loaded from it now and written back
  // after every change, so a broker restart (or crash) does not hand out fresh attempts.
  LoginGuards(int attempts = 5, int minutes = 15, std::string file = {});
  LoginGuards(const LoginGuards&) = delete;
  LoginGuards& operator=(const LoginGuards&) = delete;
  LoginLockout per_login;
  LoginLockout per_station;

 private:
  void save();
  std::string file_;
  bool warned_ = false;  // a failing write is logged once, not per wrong PIN
};

}  // namespace wm::server
