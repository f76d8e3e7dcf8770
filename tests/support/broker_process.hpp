// Starts the real wartemarke-server binary on free loopback ports in a temporary directory.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "core/client/broker_client.hpp"
#include "core/config.hpp"
#include "tests/support/temp_dir.hpp"

namespace wm::test {

class BrokerProcess {
 public:
  // `extra_args` go to wartemarke-server (e.g. --clock-start ...).
  explicit BrokerProcess(std::vector<std::string> extra_args = {});
  ~BrokerProcess();

  // Starts the server and waits until it answers; throws if it does not within 10 s.
  void start();
  // SIGKILL: no chance to clean up, like a power cut.
  void kill9();
  // SIGTERM and wait; returns the exit status.
  int terminate();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  const std::string& command_endpoint() const { return commands_; }
  const std::string& event_endpoint() const { return events_; }
  const std::string& data_dir() const { return data_dir_; }
  int http_port() const { return http_port_; }
  const std::string& config_path() const { return config_; }
  std::shared_ptr<const core::Region> region() const { return region_; }
  std::string log() const;  // what the server printed so far
  core::BrokerClient client() { return core::BrokerClient(zmq_, commands_, keys_); }
  // For a CURVE broker (--security curve): the keys start() and client() use; default plain.
  void use_keys(core::CurveKeys keys) { keys_ = std::move(keys); }
  // Arguments for the next start() (e.g. a later --clock-start on the same data directory).
  void set_extra_args(std::vector<std::string> args) { extra_ = std::move(args); }
  // Another configuration than the demo county's, for the next start() (e.g. one whose staff
  // were made with `wartemarke staff add`).
  void use_config(const std::string& path);
  zmq::context_t& zmq() { return zmq_; }

 private:
  TempDir dir_;
  std::vector<std::string> extra_;
  std::string commands_, events_, data_dir_, config_, log_path_;
  std::shared_ptr<const core::Region> region_;
  int http_port_ = 0;
  pid_t pid_ = -1;
  std::optional<core::CurveKeys> keys_;
  zmq::context_t zmq_{1};
};

// Path of a built binary (bin/ of the build tree).
std::string binary_path(const std::string& name);

}  // namespace wm::test
