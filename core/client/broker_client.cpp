// BrokerClient: DEALER socket, [empty, payload] frames, matched by request id.
#include "core/client/broker_client.hpp"

#include "core/clock.hpp"

namespace wm::core {

BrokerClient::BrokerClient(zmq::context_t& context, std::string endpoint,
                           std::optional<CurveKeys> keys)
    : context_(context), endpoint_(std::move(endpoint)), keys_(std::move(keys)) {
  connect();
}

void BrokerClient::connect() {
  socket_ = zmq::socket_t(context_, zmq::socket_type::dealer);
  socket_.set(zmq::sockopt::linger, 0);
  socket_.set(zmq::sockopt::reconnect_ivl, 100);
  socket_.set(zmq::sockopt::reconnect_ivl_max, 2000);
  socket_.set(zmq::sockopt::sndhwm, 10000);
  // A DEALER with no usable connection (broker down, or a CURVE handshake it refused) blocks
  // in send forever; bounded here so a call times out and an app can always quit.
  socket_.set(zmq::sockopt::sndtimeo, 250);
  if (keys_) apply_curve(socket_, *keys_);
  socket_.connect(endpoint_);
}

bool BrokerClient::send(const std::string& frame) {
  if (!socket_.send(zmq::message_t{}, zmq::send_flags::sndmore)) return false;
  socket_.send(zmq::buffer(frame), zmq::send_flags::none);  // multipart: queued with the first
  return true;
}

Reply BrokerClient::call(const std::string& type, const json& body,
                         std::chrono::milliseconds timeout, std::chrono::milliseconds retry) {
  return call(type, body, std::string(), timeout, retry);
}

Reply BrokerClient::call(const std::string& type, const json& body, const std::string& request_id,
                         std::chrono::milliseconds timeout, std::chrono::milliseconds retry) {
  Request r{kProtocolVersion, request_id.empty() ? new_uuid() : request_id, type, body};
  std::string frame = encode_request(r);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto soon = std::chrono::milliseconds(100);  // after a send that could not be queued
  auto next_retry = std::chrono::steady_clock::now() + (send(frame) ? retry : soon);
  while (true) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline)
      throw TimeoutError("no answer from the broker at " + endpoint_ + " for " + type);
    if (now >= next_retry) {
      next_retry = now + (send(frame) ? retry : soon);
      continue;  // sending took time: look at the clock again
    }
    auto wait = std::min(deadline, next_retry) - now;
    zmq::pollitem_t items[] = {{socket_.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, std::chrono::duration_cast<std::chrono::milliseconds>(wait));
    if (!(items[0].revents & ZMQ_POLLIN)) continue;
    std::vector<zmq::message_t> frames;
    do {
      zmq::message_t m;
      (void)socket_.recv(m);
      frames.push_back(std::move(m));
    } while (frames.back().more());
    auto reply = decode_reply(frames.back().to_string_view());
    if (reply && reply->id == r.id) {
      // Over the broker's per-connection rate limit nothing was done: a well-behaved client
      // pauses and sends the same request again rather than failing.
      auto pause = std::chrono::milliseconds(100);
      if (!reply->ok && reply->error == ErrorCode::rate_limited &&
          std::chrono::steady_clock::now() + pause < deadline) {
        next_retry = std::chrono::steady_clock::now() + pause;
        continue;
      }
      return *reply;
    }  // else: a late answer to an older request
  }
}

json BrokerClient::request(const std::string& type, const json& body,
                           std::chrono::milliseconds timeout) {
  Reply r = call(type, body, timeout);
  if (!r.ok) throw RequestError(r.error, r.message);
  return r.body;
}

std::string BrokerClient::raw(const std::string& frame, std::chrono::milliseconds timeout) {
  send(frame);
  zmq::pollitem_t items[] = {{socket_.handle(), 0, ZMQ_POLLIN, 0}};
  zmq::poll(items, 1, timeout);
  if (!(items[0].revents & ZMQ_POLLIN)) return {};
  std::string last;
  zmq::message_t m;
  do {
    (void)socket_.recv(m);
    last = m.to_string();
  } while (m.more());
  return last;
}

}  // namespace wm::core
