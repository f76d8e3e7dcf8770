// ZAP (RFC 27) over inproc: one REP socket, one thread; rereads the registry while idle.
#include "server/zap.hpp"

#include <spdlog/spdlog.h>
#include <zmq.h>

#include <vector>

namespace wm::server {

ZapHandler::ZapHandler(zmq::context_t& context, std::shared_ptr<LiveRegistry> registry)
    : registry_(std::move(registry)), socket_(context, zmq::socket_type::rep) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind("inproc://zeromq.zap.01");
  thread_ = std::thread([this] { run(); });
}

ZapHandler::~ZapHandler() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ZapHandler::set_full_command_keys(std::unordered_set<std::string> keys) {
  std::lock_guard lock(full_mu_);
  full_keys_ = std::move(keys);
}

void ZapHandler::run() {
  auto last_refresh = std::chrono::steady_clock::now();
  while (!stop_) {
    zmq::pollitem_t items[] = {{socket_.handle(), 0, ZMQ_POLLIN, 0}};
    try {
      zmq::poll(items, 1, std::chrono::milliseconds(100));
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      if (e.num() == ETERM) break;
      spdlog::error("ZAP poll: {}", e.what());
      continue;
    }
    auto now = std::chrono::steady_clock::now();
    if (now - last_refresh > std::chrono::milliseconds(200)) {
      registry_->refresh();  // revocations and new keys apply without a restart
      last_refresh = now;
    }
    if (!(items[0].revents & ZMQ_POLLIN)) continue;
    std::vector<zmq::message_t> frames;
    try {
      do {
        zmq::message_t m;
        if (!socket_.recv(m)) break;
        frames.push_back(std::move(m));
      } while (frames.back().more());
    } catch (const zmq::error_t& e) {
      if (e.num() == ETERM) break;
      continue;
    }
    // version, request id, domain, address, identity, mechanism, credentials...
    if (frames.size() < 6) continue;
    std::string version = frames[0].to_string(), request_id = frames[1].to_string();
    const std::string domain = frames[2].to_string();
    std::string address = frames[3].to_string(), mechanism = frames[5].to_string();
    std::string status = "400", text = "no registered key", user_id;
    if (mechanism == "CURVE" && frames.size() >= 7 && frames[6].size() == 32) {
      char z85[41];
      zmq_z85_encode(z85, static_cast<const std::uint8_t*>(frames[6].data()), 32);
      registry_->refresh();
      bool full = false;
      if (domain == kCommandDomain) {
        std::lock_guard lock(full_mu_);
        full = full_keys_.contains(z85);
      }
      if (full && registry_->principal(z85)) {
        text = "too many connections with this key";
        ++refused_full_;
        if (now - last_full_log_ >= std::chrono::seconds(10)) {  // a reconnecting loop: few lines
          spdlog::warn("refused {} command connection(s) of keys that hold all they may "
                       "([security] connections_per_key), the last from {} with key {}…",
                       refused_full_, address, std::string(z85, 8));
          refused_full_ = 0;
          last_full_log_ = now;
        }
      } else if (registry_->principal(z85)) {
        status = "200";
        text = "OK";
        user_id = z85;
      } else {
        ++refused_;
        // Only a prefix of the key: enough to match it in `keys list`, no more.
        spdlog::warn("refused connection from {}: key {}… is not registered or is revoked",
                     address, std::string(z85, 8));
      }
    } else {
      ++refused_;
      spdlog::warn("refused {} connection from {}: only CURVE with a registered key", mechanism,
                   address);
    }
    try {
      socket_.send(zmq::buffer(version), zmq::send_flags::sndmore);
      socket_.send(zmq::buffer(request_id), zmq::send_flags::sndmore);
      socket_.send(zmq::buffer(status), zmq::send_flags::sndmore);
      socket_.send(zmq::buffer(text), zmq::send_flags::sndmore);
      socket_.send(zmq::buffer(user_id), zmq::send_flags::sndmore);
      socket_.send(zmq::message_t{}, zmq::send_flags::none);
    } catch (const zmq::error_t& e) {
      if (e.num() == ETERM) break;
    }
  }
  socket_.close();
}

}  // namespace wm::server
