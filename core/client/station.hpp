// A screen's link to the broker: background threads keep a replica in sync and run requests,
// so a UI thread never waits on the network. Used by kiosk, counter, display and dashboard.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "core/client/broker_client.hpp"
#include "core/state.hpp"

namespace wm::core {

struct StationOptions {
  std::string command_endpoint;
  std::string event_endpoint;
  std::string office;     // follow one office; empty = the whole region
  std::string kind;       // hello "client": kiosk, counter, display, dashboard, backoffice
  std::string name;       // station id, e.g. "goerlitz-kiosk-1"
  // Called (on a station thread) whenever the replica changed, a reply arrived or the
  // connection state flipped: a UI passes its thread-safe wake-up here.
  std::function<void()> on_change;
  std::chrono::milliseconds request_timeout{10000};
  std::optional<CurveKeys> curve;  // set for a CURVE broker (see curve_keys_from_env())
};

class Station {
 public:
  Station(std::shared_ptr<const Region> region, StationOptions options);
  ~Station();
  Station(const Station&) = delete;
  Station& operator=(const Station&) = delete;

  // Queues a request. `done` runs on the station's request thread with the reply; a timeout or
  // an unreachable broker gives a Reply with ok=false, error=unavailable.
  void submit(const std::string& type, const json& body, std::function<void(const Reply&)> done);
  // Under a request id the caller chose (empty: a new one): a retry of the same request after
  // a lost answer passes the first attempt's id, so the broker answers it without acting twice.
  void submit(const std::string& type, const json& body, const std::string& request_id,
              std::function<void(const Reply&)> done);
  // The same as a future, for tests and simple callers.
  std::future<Reply> submit(const std::string& type, const json& body);

  // The latest in-sync replica (immutable; replaced as a whole when it changes). Never null.
  std::shared_ptr<const State> state() const;
  // Events applied since the last call, in order (e.g. calls to announce). Never includes
  // events that were folded into a re-snapshot, so nothing old is announced twice.
  std::vector<Event> take_events();
  // Broker reachable and replica in sync.
  bool online() const { return online_.load(); }
  // Whether the replica ever came from the broker (until then state() is an empty office, whose
  // zeros must not be shown as figures).
  bool has_data() const { return has_data_.load(); }
  // The broker's clock (runs fast in demos).
  Millis broker_now() const;
  const StationOptions& options() const { return options_; }

 private:
  struct Job {
    std::string type;
    json body;
    std::function<void(const Reply&)> done;
    std::string request_id;  // empty: a new one
  };
  void feed_loop();
  void request_loop();
  void notify();

  std::shared_ptr<const Region> region_;
  StationOptions options_;
  zmq::context_t context_{1};
  std::atomic<bool> stop_{false};
  std::atomic<bool> online_{false};
  std::atomic<bool> has_data_{false};
  mutable std::mutex mu_;
  std::shared_ptr<const State> state_;
  std::vector<Event> events_;
  Millis broker_time_ = 0;
  std::chrono::steady_clock::time_point broker_time_at_{};
  double clock_speed_ = 1.0;
  std::mutex jobs_mu_;
  std::condition_variable jobs_cv_;
  std::deque<Job> jobs_;
  std::thread feed_thread_;
  std::thread request_thread_;
};

}  // namespace wm::core
