// A synchronous request/reply client of the broker (DEALER) with retries under the same id.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <zmq.hpp>

#include "core/client/curve.hpp"
#include "core/protocol.hpp"

namespace wm::core {

// The broker answered with an error reply.
class RequestError : public std::runtime_error {
 public:
  RequestError(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// No answer within the timeout, despite retries.
class TimeoutError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class BrokerClient {
 public:
  // With `keys` the socket is a CURVE client (a CURVE broker refuses plain connections).
  BrokerClient(zmq::context_t& context, std::string endpoint,
               std::optional<CurveKeys> keys = std::nullopt);

  // Sends a request and waits for its answer, resending it under the same request id every
  // `retry` until `timeout`: the broker de-duplicates, so a retry never acts twice.
  Reply call(const std::string& type, const json& body,
             std::chrono::milliseconds timeout = std::chrono::seconds(10),
             std::chrono::milliseconds retry = std::chrono::milliseconds(2500));
  // The same under a request id the caller chose (empty: a new one). Sending a request again
  // later under the first attempt's id (a visitor's "try again") gets the broker's recorded
  // answer instead of acting twice.
  Reply call(const std::string& type, const json& body, const std::string& request_id,
             std::chrono::milliseconds timeout = std::chrono::seconds(10),
             std::chrono::milliseconds retry = std::chrono::milliseconds(2500));
  // Like call(), but returns the ok body or throws RequestError / TimeoutError.
  json request(const std::string& type, const json& body = json::object(),
               std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Sends a raw frame (tests of bad input) and returns the raw answer frame, or "" on timeout.
  std::string raw(const std::string& frame, std::chrono::milliseconds timeout);

  const std::string& endpoint() const { return endpoint_; }

 private:
  void connect();
  // False if the frame could not be queued within the send timeout (no broker connection).
  bool send(const std::string& frame);

  zmq::context_t& context_;
  std::string endpoint_;
  zmq::socket_t socket_;
  std::optional<CurveKeys> keys_;
};

}  // namespace wm::core
