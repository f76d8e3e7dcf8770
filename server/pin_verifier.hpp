// Argon2id PIN verification on a worker thread, its verdicts handed back to the reactor by socket.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <zmq.hpp>

namespace wm::server {

// A staff login costs one crypto_pwhash_str_verify (~0.1 s with the demo parameters, more on
// a busy machine). On the reactor thread that stalled every office for as long; here one worker
// thread does them in order (FIFO: the lockout sees verdicts in the order attempts arrived) and
// pushes each verdict to an inproc PULL socket that the reactor polls with the ROUTER. One
// thread, because each verify is also 64 MiB of memory and the broker machines have 2 cores.
// Sockets never cross threads: the reactor owns the PULL, the worker its PUSH.
// The broker runs a second one for directory logins (an LDAP bind, server/ldap_auth.*): a
// slow or dead directory then delays only directory logins, never local PINs or the reactor.
class PinVerifier {
 public:
  enum class Result : char { mismatch = 0, match = 1, unavailable = 2 };
  // What a job runs on the worker thread: `subject` is what submit() was given (an Argon2id
  // hash for the default check, a bind name for LDAP). Must not throw.
  using Check = std::function<Result(const std::string& subject, const std::string& secret)>;
  // Creates and binds the PULL socket: call on the reactor's thread. `capacity`: verifies that
  // may wait or run at once; more are refused by submit(). No `check`: Argon2id (verify_pin).
  PinVerifier(zmq::context_t& context, std::size_t capacity, Check check = {});
  ~PinVerifier();
  PinVerifier(const PinVerifier&) = delete;
  PinVerifier& operator=(const PinVerifier&) = delete;

  // Queues a check of `secret` against `subject` under `job`; false (nothing queued) when
  // `capacity` verifies are waiting, running or not yet taken. A job queued before a check
  // answered `unavailable` gets `unavailable` too, without running: behind a hung directory
  // each login waits at most about one timeout, not one per login queued before it.
  bool submit(std::uint64_t job, std::string subject, std::string secret);
  struct Verdict {
    std::uint64_t job = 0;
    bool match = false;
    bool unavailable = false;  // the check could not decide (directory down or too slow)
  };
  // One verdict, if one has arrived (non-blocking).
  std::optional<Verdict> take();
  // For zmq::poll on the reactor.
  void* handle() { return results_.handle(); }
  std::size_t in_flight() const { return in_flight_; }

 private:
  struct Job {
    std::uint64_t id;
    std::string subject, secret;
    std::chrono::steady_clock::time_point queued;
  };
  void run();

  std::string endpoint_;
  zmq::context_t& context_;
  zmq::socket_t results_;   // reactor side
  std::size_t capacity_;
  Check check_;
  std::size_t in_flight_ = 0;  // reactor only: submitted and not yet taken
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace wm::server
