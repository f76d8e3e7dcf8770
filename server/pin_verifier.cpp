// The login verifier thread (see pin_verifier.hpp).
#include "server/pin_verifier.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "server/staff_requests.hpp"

namespace wm::server {

PinVerifier::PinVerifier(zmq::context_t& context, std::size_t capacity)
    : endpoint_("inproc://wm-pin-verdicts-" + std::to_string(reinterpret_cast<std::uintptr_t>(this))),
      context_(context),
      results_(context, zmq::socket_type::pull),
      capacity_(std::max<std::size_t>(1, capacity)) {
  results_.set(zmq::sockopt::linger, 0);
  results_.bind(endpoint_);  // before the worker connects
  worker_ = std::thread([this] { run(); });
}

PinVerifier::~PinVerifier() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
  results_.close();
}

bool PinVerifier::submit(std::uint64_t job, std::string hash, std::string secret) {
  if (in_flight_ >= capacity_) return false;
  ++in_flight_;
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(Job{job, std::move(hash), std::move(secret)});
  }
  cv_.notify_one();
  return true;
}

std::optional<PinVerifier::Verdict> PinVerifier::take() {
  zmq::message_t msg;
  if (!results_.recv(msg, zmq::recv_flags::dontwait)) return std::nullopt;
  Verdict v;
  if (msg.size() != sizeof v.job + 1) return std::nullopt;  // not reached: only run() sends here
  std::memcpy(&v.job, msg.data(), sizeof v.job);
  v.match = static_cast<const char*>(msg.data())[sizeof v.job] != 0;
  if (in_flight_ > 0) --in_flight_;
  return v;
}

void PinVerifier::run() {
  zmq::socket_t out(context_, zmq::socket_type::push);
  out.set(zmq::sockopt::linger, 0);
  out.set(zmq::sockopt::sndhwm, 0);  // never drop a verdict: at most `capacity` are pending
  out.connect(endpoint_);
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
    if (stop_) break;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    bool match = verify_pin(job.hash, job.secret);
    sodium_memzero(job.secret.data(), job.secret.size());
    char msg[sizeof job.id + 1];
    std::memcpy(msg, &job.id, sizeof job.id);
    msg[sizeof job.id] = match ? 1 : 0;
    try {
      out.send(zmq::buffer(msg, sizeof msg), zmq::send_flags::none);
    } catch (const zmq::error_t& e) {  // the context is ending: the broker is stopping
      spdlog::debug("login verdict not delivered: {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace wm::server
