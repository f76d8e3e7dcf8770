// The login verifier thread (see pin_verifier.hpp).
#include "server/pin_verifier.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "server/staff_requests.hpp"

namespace wm::server {

PinVerifier::PinVerifier(zmq::context_t& context, std::size_t capacity, Check check)
    : endpoint_("inproc://wm-pin-verdicts-" + std::to_string(reinterpret_cast<std::uintptr_t>(this))),
      context_(context),
      results_(context, zmq::socket_type::pull),
      capacity_(std::max<std::size_t>(1, capacity)),
      check_(std::move(check)) {
  if (!check_)
    check_ = [](const std::string& hash, const std::string& secret) {
      return verify_pin(hash, secret) ? Result::match : Result::mismatch;
    };
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

bool PinVerifier::submit(std::uint64_t job, std::string subject, std::string secret) {
  if (in_flight_ >= capacity_) return false;
  ++in_flight_;
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(Job{job, std::move(subject), std::move(secret), std::chrono::steady_clock::now()});
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
  const char result = static_cast<const char*>(msg.data())[sizeof v.job];
  v.match = result == static_cast<char>(Result::match);
  v.unavailable = result == static_cast<char>(Result::unavailable);
  if (in_flight_ > 0) --in_flight_;
  return v;
}

void PinVerifier::run() {
  zmq::socket_t out(context_, zmq::socket_type::push);
  out.set(zmq::sockopt::linger, 0);
  out.set(zmq::sockopt::sndhwm, 0);  // never drop a verdict: at most `capacity` are pending
  out.connect(endpoint_);
  std::unique_lock lock(mu_);
  // When the last `unavailable` answer came: jobs queued before it waited behind a check that
  // could not decide; they are answered alike instead of each waiting its own timeout.
  std::optional<std::chrono::steady_clock::time_point> undecided_at;
  while (true) {
    cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
    if (stop_) break;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    Result result = Result::unavailable;
    if (undecided_at && job.queued < *undecided_at) {
      spdlog::debug("login check {} not run: queued before the last check went undecided", job.id);
    } else {
      try {
        result = check_(job.subject, job.secret);
      } catch (const std::exception& e) {  // not reached by the broker's checks; never fatal
        spdlog::error("login check failed: {}", e.what());
      }
      if (result == Result::unavailable) undecided_at = std::chrono::steady_clock::now();
    }
    sodium_memzero(job.secret.data(), job.secret.size());
    char msg[sizeof job.id + 1];
    std::memcpy(msg, &job.id, sizeof job.id);
    msg[sizeof job.id] = static_cast<char>(result);
    try {
      out.send(zmq::buffer(msg, sizeof msg), zmq::send_flags::none);
    } catch (const zmq::error_t& e) {  // the context is ending: the broker is stopping
      spdlog::debug("login verdict not delivered: {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace wm::server
