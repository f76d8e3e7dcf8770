// Watches a CURVE socket's connections: logs those refused in the handshake (plain clients,
// wrong server key), which never reach the ZAP handler, at most one line per socket and 10 s;
// and, for the command socket, reports which connections (by file descriptor) went away.
#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

namespace wm::server {

class HandshakeMonitor {
 public:
  // Threaded (the event socket): a thread of its own reads the events.
  // Polled (the command socket): the owner calls drain() on its own thread, so a disconnect
  // the I/O thread reported before a new connection's first request is seen before it.
  enum class Mode { threaded, polled };

  // Call on the thread that owns `socket`, after it is bound. `what` names it in the log.
  HandshakeMonitor(zmq::context_t& context, zmq::socket_t& socket, std::string what,
                   Mode mode = Mode::threaded)
      : what_(std::move(what)), endpoint_("inproc://wm-monitor-" + what_) {
    int events = ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;
    if (mode == Mode::polled) events |= ZMQ_EVENT_DISCONNECTED;
    if (zmq_socket_monitor(socket.handle(), endpoint_.c_str(), events) != 0)
      throw zmq::error_t();
    pair_ = zmq::socket_t(context, zmq::socket_type::pair);
    pair_.set(zmq::sockopt::linger, 0);
    pair_.connect(endpoint_);
    if (mode == Mode::threaded) thread_ = std::thread([this] { run(); });
  }
  ~HandshakeMonitor() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  HandshakeMonitor(const HandshakeMonitor&) = delete;
  HandshakeMonitor& operator=(const HandshakeMonitor&) = delete;

  std::uint64_t refused() const { return refused_.load(); }

  // Polled mode: reads the events that arrived; the descriptors of connections that went away
  // are appended to `gone`.
  void drain(std::vector<int>& gone) {
    try {
      read_events(&gone);
    } catch (const zmq::error_t&) {
    }
  }

 private:
  void run() {
    zmq::pollitem_t item{pair_.handle(), 0, ZMQ_POLLIN, 0};
    while (!stop_.load()) {
      try {
        zmq::poll(&item, 1, std::chrono::milliseconds(200));
        read_events(nullptr);
      } catch (const zmq::error_t&) {
        return;  // context terminating
      }
    }
  }

  void read_events(std::vector<int>* gone) {
    zmq::message_t event, address;
    while (pair_.recv(event, zmq::recv_flags::dontwait)) {
      if (event.more()) (void)pair_.recv(address);  // the socket's endpoint, not the peer
      if (event.size() < 6) continue;
      std::uint16_t id = 0;
      std::uint32_t value = 0;  // the connection's file descriptor, for these events
      std::memcpy(&id, event.data(), sizeof id);
      std::memcpy(&value, static_cast<const char*>(event.data()) + 2, sizeof value);
      if (id & (ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)) {
        ++pending_;
        refused_.fetch_add(1);
      } else if ((id & ZMQ_EVENT_DISCONNECTED) && gone) {
        gone->push_back(static_cast<int>(value));
      }
    }
    auto now = std::chrono::steady_clock::now();
    if (pending_ > 0 && now - last_log_ >= std::chrono::seconds(10)) {
      spdlog::warn("{}: refused {} connection(s) in the handshake (plain client or wrong server "
                   "key; ZMQ does not tell the peer's address)", what_, pending_);
      pending_ = 0;
      last_log_ = now;
    }
  }

  std::string what_, endpoint_;
  zmq::socket_t pair_;
  long pending_ = 0;
  std::chrono::steady_clock::time_point last_log_ = std::chrono::steady_clock::now() - std::chrono::seconds(10);
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> refused_{0};
  std::thread thread_;
};

}  // namespace wm::server
