// Statistics of past days replayed from the journal on a worker thread, not on the reactor.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "core/config.hpp"
#include "core/stats.hpp"

namespace wm::server {

class DayRollups;

// A past day's figures are exactly what the journal says: a fresh State replayed up to the
// day's end. At a county's size that is seconds of work (1M events), which on the reactor
// stalled every kiosk and counter. Here one thread does the replays in order, through its own
// read-only journal connection (JournalReader), keeps every finished day it computes on disk
// (DayRollups), and hands each result to the reactor through an inproc PULL socket it polls
// with the ROUTER (as PinVerifier does for logins).
class StatsWorker {
 public:
  // Binds the PULL socket: call on the reactor's thread. `data_dir` holds journal.sqlite.
  StatsWorker(zmq::context_t& context, std::shared_ptr<const core::Region> region,
              std::string data_dir);
  ~StatsWorker();
  StatsWorker(const StatsWorker&) = delete;
  StatsWorker& operator=(const StatsWorker&) = delete;

  // Queues the replay of `day` (YYYY-MM-DD, before today) as seen at `now`.
  void submit(const std::string& day, core::Millis now);
  struct Result {
    std::string day;
    std::optional<core::DayStats> stats;  // empty when the journal could not be read
    std::string error;
    bool from_disk = false;    // a finished day's roll-up, nothing replayed
    std::uint64_t events = 0;  // replayed
    double ms = 0;             // replay time
  };
  // One finished replay, if one has arrived (non-blocking).
  std::optional<Result> take();
  void* handle() { return results_.handle(); }

 private:
  struct Job {
    std::string day;
    core::Millis now;
  };
  void run();
  Result replay(const Job& job);

  std::shared_ptr<const core::Region> region_;
  std::string data_dir_, endpoint_;
  std::unique_ptr<DayRollups> rollups_;  // the worker's own; opened on its first job
  zmq::context_t& context_;
  zmq::socket_t results_;  // reactor side
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  std::deque<Result> done_;  // guarded by mu_; the socket only says "look"
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace wm::server
