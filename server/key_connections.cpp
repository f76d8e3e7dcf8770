// Connections per device key on the command socket (see key_connections.hpp).
#include "server/key_connections.hpp"

#include <utility>

namespace wm::server {

KeyConnections::Verdict KeyConnections::note_capped(const std::string& key, const std::string& rid,
                                                    int fd, double now_s) {
  if (closed_.contains(rid)) return Verdict::drop;
  if (gone_.contains(rid)) return Verdict::serve;
  if (auto it = by_rid_.find(rid); it != by_rid_.end()) {
    it->second.last = now_s;
    return Verdict::serve;
  }
  std::size_t& n = per_key_[key];
  if (n < static_cast<std::size_t>(cap_)) {
    if (++n == static_cast<std::size_t>(cap_)) changed_ = true;
    by_rid_.emplace(rid, Connection{key, fd, now_s});
    return Verdict::serve;
  }
  closed_.emplace(rid, now_s);
  ++closed_count_[key];
  return Verdict::close;
}

void KeyConnections::forget(std::unordered_map<std::string, Connection>::iterator it) {
  if (auto k = per_key_.find(it->second.key); k != per_key_.end()) {
    if (k->second-- == static_cast<std::size_t>(cap_)) changed_ = true;
    if (k->second == 0) per_key_.erase(k);
  }
  by_rid_.erase(it);
}

void KeyConnections::disconnected(int fd) {
  for (auto it = by_rid_.begin(); it != by_rid_.end();) {
    auto next = std::next(it);
    if (it->second.fd == fd) {
      gone_[it->first] = it->second.last;
      forget(it);
    }
    it = next;
  }
}

void KeyConnections::prune(double now_s, double idle_s) {
  for (auto it = by_rid_.begin(); it != by_rid_.end();) {
    auto next = std::next(it);
    if (now_s - it->second.last > idle_s) forget(it);
    it = next;
  }
  std::erase_if(closed_, [&](const auto& kv) { return now_s - kv.second > 60; });
  std::erase_if(gone_, [&](const auto& kv) { return now_s - kv.second > 60; });
}

std::vector<std::pair<std::string, long>> KeyConnections::take_closed() {
  std::vector<std::pair<std::string, long>> out(closed_count_.begin(), closed_count_.end());
  closed_count_.clear();
  return out;
}

bool KeyConnections::fd_in_use(int fd) const {
  for (const auto& [rid, c] : by_rid_)
    if (c.fd == fd) return true;
  return false;
}

bool KeyConnections::take_changed() {
  return std::exchange(changed_, false);
}

std::unordered_set<std::string> KeyConnections::full_keys() const {
  std::unordered_set<std::string> out;
  for (const auto& [key, n] : per_key_)
    if (cap_ > 0 && n >= static_cast<std::size_t>(cap_)) out.insert(key);
  return out;
}

std::size_t KeyConnections::live(const std::string& key) const {
  auto it = per_key_.find(key);
  return it == per_key_.end() ? 0 : it->second;
}

}  // namespace wm::server
