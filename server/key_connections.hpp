// Connections per device key on the command socket: ZeroMQ bounds each connection's queues,
// so capping how many connections one key may hold bounds what one key can make the broker
// hold (a key opening 20 connections would otherwise get 20 memory budgets).
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace wm::server {

class KeyConnections {
 public:
  // `cap` connections per key at once; 0 = no cap.
  explicit KeyConnections(int cap = 0) : cap_(cap) {}

  enum class Verdict {
    serve,  // a connection of this key within the cap
    close,  // one connection too many: close it (its descriptor) and drop this request
    drop,   // a connection already closed for that reason: drop what it still had queued
  };

  // A request from connection `rid` (ROUTER identity) of `key`, arriving on descriptor `fd`,
  // at `now_s` (seconds, monotonic). `uncapped(key)` is asked once per key (then remembered):
  // true for keys the cap does not apply to (administrators' tools open connections in
  // parallel; a stolen administrator key is beyond what a cap could limit anyway).
  template <class Uncapped>
  Verdict note(const std::string& key, const std::string& rid, int fd, double now_s,
               Uncapped&& uncapped) {
    if (cap_ <= 0 || key.empty()) return Verdict::serve;
    auto [it, fresh] = uncapped_.try_emplace(key, false);
    if (fresh) it->second = uncapped(key);
    if (it->second) return Verdict::serve;
    return note_capped(key, rid, fd, now_s);
  }
  Verdict note(const std::string& key, const std::string& rid, int fd, double now_s) {
    return note(key, rid, fd, now_s, [](const std::string&) { return false; });
  }

  // The connection on descriptor `fd` went away (the socket monitor's DISCONNECTED).
  void disconnected(int fd);

  // Forgets connections silent for `idle_s` (a disconnect the monitor did not report) and
  // closed connections after a minute.
  void prune(double now_s, double idle_s = 60);

  // Connections closed per key since the last call (for one log line per key and second).
  std::vector<std::pair<std::string, long>> take_closed();

  // Whether a connection within the cap sits on `fd`: then a stale descriptor was reused, and
  // closing it would cut that connection instead.
  bool fd_in_use(int fd) const;

  std::size_t live(const std::string& key) const;
  int cap() const { return cap_; }

  // Whether some key reached or left its cap since the last call; then full_keys() is what
  // the ZAP handler should refuse new command connections for.
  bool take_changed();
  std::unordered_set<std::string> full_keys() const;

 private:
  struct Connection {
    std::string key;
    int fd = -1;
    double last = 0;
  };
  void forget(std::unordered_map<std::string, Connection>::iterator it);
  Verdict note_capped(const std::string& key, const std::string& rid, int fd, double now_s);

  int cap_;
  std::unordered_map<std::string, Connection> by_rid_;
  std::unordered_map<std::string, std::size_t> per_key_;
  std::unordered_map<std::string, double> closed_;  // rid -> when it was closed
  // rid -> when its connection went away: requests it still had queued are served but not
  // counted (else they would bring it back as a live connection of its key).
  std::unordered_map<std::string, double> gone_;
  std::unordered_map<std::string, long> closed_count_;  // key -> closed since take_closed()
  bool changed_ = false;
  std::unordered_map<std::string, bool> uncapped_;  // key -> exempt from the cap
};

}  // namespace wm::server
