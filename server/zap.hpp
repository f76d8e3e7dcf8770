// The ZAP handler: admits only CURVE clients whose key is registered and not revoked.
#pragma once

#include <atomic>
#include <memory>
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

 private:
  void run();

  std::shared_ptr<LiveRegistry> registry_;
  zmq::socket_t socket_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> refused_{0};
  std::thread thread_;
};

}  // namespace wm::server
