// Per-connection token buckets: one flooding client cannot take the reactor from the others.
#pragma once

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

namespace wm::server {

class RateLimiter {
 public:
  // `rate` requests per second sustained, `burst` at once; rate <= 0 switches limiting off.
  RateLimiter(double rate = 0, double burst = 0) : rate_(rate), burst_(std::max(burst, 1.0)) {}

  bool enabled() const { return rate_ > 0; }

  // Takes one token from `who`'s bucket at time `now_s` (seconds, monotonic).
  bool allow(const std::string& who, double now_s) {
    if (!enabled()) return true;
    auto [it, fresh] = buckets_.try_emplace(who, Bucket{burst_, now_s, 0});
    Bucket& b = it->second;
    if (!fresh) b.tokens = std::min(burst_, b.tokens + std::max(0.0, now_s - b.last) * rate_);
    b.last = now_s;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    ++b.refused;
    return false;
  }

  // Whether `who` has a token left at `now_s`, without taking it (a bucket that only failures
  // drain: the HTTP status page's unknown tokens).
  bool has_token(const std::string& who, double now_s) const {
    if (!enabled()) return true;
    auto it = buckets_.find(who);
    if (it == buckets_.end()) return true;
    const Bucket& b = it->second;
    return std::min(burst_, b.tokens + std::max(0.0, now_s - b.last) * rate_) >= 1;
  }

  // Refusals per connection since the last call (for one log line per flooder and second), and
  // forgets buckets that have been full for a while (clients that went away).
  std::vector<std::pair<std::string, long>> take_refusals(double now_s) {
    std::vector<std::pair<std::string, long>> out;
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      Bucket& b = it->second;
      if (b.refused > 0) out.emplace_back(it->first, b.refused);
      b.refused = 0;
      bool idle_and_full = std::min(burst_, b.tokens + (now_s - b.last) * rate_) >= burst_ &&
                           now_s - b.last > 60;
      it = idle_and_full ? buckets_.erase(it) : std::next(it);
    }
    return out;
  }

  std::size_t size() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens;
    double last;
    long refused;
  };
  double rate_, burst_;
  std::unordered_map<std::string, Bucket> buckets_;  // by ROUTER identity (HTTP: client IP)
};

}  // namespace wm::server
