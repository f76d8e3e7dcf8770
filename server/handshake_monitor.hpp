// Logs connections a CURVE socket refused in the handshake (plain clients, wrong server key),
// which never reach the ZAP handler: at most one line per socket and 10 s, with a count.
#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <zmq.hpp>

namespace wm::server {

class HandshakeMonitor {
 public:
  // Call on the thread that owns `socket`, after it is bound. `what` names it in the log.
  HandshakeMonitor(zmq::context_t& context, zmq::socket_t& socket, std::string what)
      : what_(std::move(what)), endpoint_("inproc://wm-monitor-" + what_) {
    int events = ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;
    if (zmq_socket_monitor(socket.handle(), endpoint_.c_str(), events) != 0)
      throw zmq::error_t();
    pair_ = zmq::socket_t(context, zmq::socket_type::pair);
    pair_.set(zmq::sockopt::linger, 0);
    pair_.connect(endpoint_);
    thread_ = std::thread([this] { run(); });
  }
  ~HandshakeMonitor() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  HandshakeMonitor(const HandshakeMonitor&) = delete;
  HandshakeMonitor& operator=(const HandshakeMonitor&) = delete;

  std::uint64_t refused() const { return refused_.load(); }

 private:
  void run() {
    zmq::pollitem_t item{pair_.handle(), 0, ZMQ_POLLIN, 0};
    long pending = 0;
    auto last_log = std::chrono::steady_clock::now() - std::chrono::seconds(10);
    while (!stop_.load()) {
      try {
        zmq::poll(&item, 1, std::chrono::milliseconds(200));
        zmq::message_t event, address;
        while (pair_.recv(event, zmq::recv_flags::dontwait)) {
          if (event.more()) (void)pair_.recv(address);  // the socket's endpoint, not the peer
          if (event.size() < 2) continue;
          std::uint16_t id = 0;
          std::memcpy(&id, event.data(), sizeof id);
          if (id & (ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)) {
            ++pending;
            refused_.fetch_add(1);
          }
        }
      } catch (const zmq::error_t&) {
        return;  // context terminating
      }
      auto now = std::chrono::steady_clock::now();
      if (pending > 0 && now - last_log >= std::chrono::seconds(10)) {
        spdlog::warn("{}: refused {} connection(s) in the handshake (plain client or wrong server "
                     "key; ZMQ does not tell the peer's address)", what_, pending);
        pending = 0;
        last_log = now;
      }
    }
  }

  std::string what_, endpoint_;
  zmq::socket_t pair_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> refused_{0};
  std::thread thread_;
};

}  // namespace wm::server
