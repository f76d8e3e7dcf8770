// The ZAP handler: admits only CURVE clients whose key is registered and not revoked.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <thread>
#include <zmq.hpp>

#include "server/keys.hpp"

namespace wm::server {

// Binds inproc://zeromq.zap.01 in `context` (before any CURVE socket binds) and answers ZAP
// requests on its own thread. An admitted connection gets its Z85 public key as ZAP user id, so
// the broker reads the "User-Id" property of each message and looks the key up again: a key
// revoked while connected loses its rights at once.
class ZapHandler {
 public:
  ZapHandler(zmq::context_t& context, std::shared_ptr<LiveRegistry> registry);
  ~ZapHandler();
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

  std::uint64_t refused() const { return refused_.load(); }

  // The ZAP domain of the command socket (the event socket keeps "wartemarke"): only there a
  // key may hold a bounded number of connections.
  static constexpr const char* kCommandDomain = "wartemarke-commands";
  // Keys that hold all the command connections they may (KeyConnections): a new command
  // connection with one of them is refused in the handshake, before it can send anything.
  void set_full_command_keys(std::unordered_set<std::string> keys);

 private:
  void run();

  std::shared_ptr<LiveRegistry> registry_;
  zmq::socket_t socket_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> refused_{0};
  std::mutex full_mu_;
  std::unordered_set<std::string> full_keys_;  // guarded by full_mu_
  long refused_full_ = 0;                      // since the last log line (ZAP thread only)
  std::chrono::steady_clock::time_point last_full_log_{};
  std::thread thread_;
};

}  // namespace wm::server
