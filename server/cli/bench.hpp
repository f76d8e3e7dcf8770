// Parts of `wartemarke bench`: load generator, raw baseline, server process, scenarios.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "core/protocol.hpp"

namespace wm::cli::bench {

using core::json;

// Latency samples in microseconds.
struct Samples {
  std::vector<double> us;
  double percentile(double p) const;  // p in [0, 100]; 0 if empty
  double mean() const;
};

// What one client sends next and how it reacts to the answer (each client has its own).
class Script {
 public:
  virtual ~Script() = default;
  virtual std::string next_frame() = 0;
  virtual void on_reply(std::string_view frame) = 0;
  int errors = 0;
};

struct LoadSpec {
  std::string endpoint;
  int clients = 200;
  int threads = 2;         // generator threads; each drives clients/threads DEALER sockets
  double rate = 0;         // offered ops/s in total (open loop); 0 = closed loop (saturation)
  double warmup_s = 1;
  double seconds = 5;
  long total_ops = 0;      // > 0: stop after this many requests instead of after `seconds`
  std::function<std::unique_ptr<Script>(int client)> make_script;
};

struct LoadResult {
  double ops_per_s = 0;     // completed in the measuring window
  long completed = 0;
  long errors = 0;
  long unanswered = 0;      // still open 5 s after the end
  Samples latency;          // from the intended send time (no coordinated omission)
};

LoadResult run_load(const LoadSpec& spec);

// The realistic mix of one counter's working cycle in an office (issue, call, start, finish or
// transfer, now and then status).
std::unique_ptr<Script> mix_script(const core::Region& region, int client);
// Only ticket.issue, spread over offices and services (fills the broker with tickets).
std::unique_ptr<Script> issue_script(const core::Region& region, int client);
// Opaque 200-byte requests for the raw baseline.
std::unique_ptr<Script> raw_script(int client);

// A minimal ROUTER that commits each request to SQLite (WAL, synchronous=FULL, group commit
// of what is queued) and answers only after the commit: the physical limit of durable
// request/reply on this machine.
class RawBaseline {
 public:
  RawBaseline(std::string dir, std::string endpoint);
  ~RawBaseline();

 private:
  void run();
  std::string dir_, endpoint_;
  std::atomic<bool> stop_{false}, ready_{false};
  std::string error_;
  std::thread thread_;
};

// The real wartemarke-server in a directory of its own.
class ServerProcess {
 public:
  ServerProcess(std::string binary, std::string config, std::string data_dir,
                std::string commands, std::string events, std::string log);
  ~ServerProcess();
  // Starts and waits until it answers hello; returns seconds from exec to the first answer.
  double start(double timeout_s = 60);
  void kill9();
  void terminate();
  long rss_kb() const;
  // User plus system CPU the server process has used so far, in milliseconds.
  double cpu_ms() const;
  pid_t pid() const { return pid_; }
  std::string log_text() const;

 private:
  std::string binary_, config_, data_, commands_, events_, log_;
  pid_t pid_ = -1;
};

// A county of `offices` offices × `counters` counters on every weekday all day; returns the
// path of its main file.
std::string write_county(const std::string& dir, int offices, int counters);

// Writes a journal of about `events` events into `data_dir` the way the broker would (decide,
// apply, group commits of realistic office days, checkpoints on the broker's schedule).
void generate_journal(const std::shared_ptr<const core::Region>& region,
                      const std::string& data_dir, long events);

struct PredictionResult {
  long tickets = 0;
  double mae_estimate_min = 0;
  double mae_naive_min = 0;
  double mean_wait_min = 0;
};
// A simulated office day per office, in-process: issue, call, serve with log-normal times.
// Each office gets as many visitors as its counters can serve at `load` utilisation.
PredictionResult predict_day(const std::shared_ptr<const core::Region>& region, unsigned seed,
                             double load);

// Kiosk and display (next to wartemarke in `bin_dir`) against a running server: idle CPU and
// RSS under SDL's dummy video driver, frame time of full frames at 1080x1920 and 1920x1080.
json measure_screens(const std::string& bin_dir, bool quick, const std::string& config,
                     const std::string& commands, const std::string& events,
                     const std::string& dir);

int free_port();
std::string cpu_model();

}  // namespace wm::cli::bench
