// Starts the real wartemarke-server binary on free loopback ports in a temporary directory.
//
// By default the broker runs as a county runs it: CURVE transport, a fresh server key, and a
// registered device key per role (house rule: the fixture runs the broker with CURVE and a key
// per role unless a test is about plain transport). The standard keys, by name:
//   "admin"                  admin, every office; what client() uses
//   "<office>-kiosk"         kiosk of that office       (e.g. "goerlitz-kiosk")
//   "<office>-display"       display of that office     (e.g. "goerlitz-display")
//   "<office>-counter"       counter of that office     (e.g. "goerlitz-counter")
//   "<office>-dashboard"     dashboard of that office   (e.g. "goerlitz-dashboard")
//   "dashboard"              dashboard of every office (the county's view)
//   "backoffice"             back office, every office
// for every office of the demo county. Stations that announce themselves (kiosk, counter,
// display) must hold a key named as their station id (the broker's presence rule):
// station_keys("goerlitz-kiosk-1") registers one on first use, role and office from the
// config. A test that needs another device (its own name, a set of offices) adds it with
// register_device(). Plain transport is the named exception,
// BrokerProcess(Transport::plain, ...), for the few tests that are about plain transport;
// each use says why.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "core/client/broker_client.hpp"
#include "core/client/curve.hpp"
#include "core/config.hpp"
#include "tests/support/temp_dir.hpp"

namespace wm::test {

enum class Transport {
  curve,  // the default: CurveZMQ, only registered keys get in
  plain,  // the exception: plain TCP, every peer is what the config's plain_role says
};

// A device key to register beside the standard ones.
struct TestDevice {
  std::string name;
  std::string role;                  // kiosk, display, counter, dashboard, backoffice, admin, cli
  std::vector<std::string> offices;  // empty = all (registered with all_offices)
};

class BrokerProcess {
 public:
  // CURVE with the standard keys. `extra_args` go to wartemarke-server (e.g. --clock-start ...).
  explicit BrokerProcess(std::vector<std::string> extra_args = {});
  // Transport::plain: the demo county's plain loopback transport (plain_role = "admin", unless
  // a test's use_config() says otherwise). Only for tests about plain transport.
  BrokerProcess(Transport transport, std::vector<std::string> extra_args = {});
  ~BrokerProcess();
  BrokerProcess(const BrokerProcess&) = delete;
  BrokerProcess& operator=(const BrokerProcess&) = delete;

  // Starts the server and waits until it answers; throws if it does not within 10 s.
  void start();
  // SIGKILL: no chance to clean up, like a power cut.
  void kill9();
  // SIGTERM and wait; returns the exit status.
  int terminate();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }  // e.g. to read its /proc/<pid>/status

  Transport transport() const { return transport_; }
  const std::string& command_endpoint() const { return commands_; }
  const std::string& event_endpoint() const { return events_; }
  const std::string& data_dir() const { return data_dir_; }
  int http_port() const { return http_port_; }
  const std::string& config_path() const { return config_; }
  std::shared_ptr<const core::Region> region() const { return region_; }
  std::string log() const;  // what the server printed so far

  // The admin ("admin" key on CURVE; the plain peer, admin in the demo config, on plain).
  core::BrokerClient client();
  // A client with the named key (standard, registered or a station id as station_keys()).
  core::BrokerClient client_as(const std::string& name);
  // The named key with the server's public key: for EventFeed, StationOptions::curve, ...
  // Throws std::out_of_range for an unknown name and std::logic_error on a plain broker.
  const core::CurveKeys& keys(const std::string& name) const;
  // Registers one more device key in the broker's registry (before or after start(): the
  // broker rereads the file) and returns it. The same name again replaces the key.
  core::CurveKeys register_device(const TestDevice& device);
  // The key of a station of the config (a counter, kiosk or display id such as "goerlitz-3"),
  // registered on first use with the station's role and office. Throws std::invalid_argument
  // for a name that is no station.
  const core::CurveKeys& station_keys(const std::string& station_id);
  // A key nobody registered, for the right server: what a stolen or forgotten device holds.
  core::CurveKeys stranger() const;
  // The broker's key directory (<data>/keys: server.key, server.pub, devices.json).
  std::string keys_dir() const { return data_dir_ + "/keys"; }
  const std::string& server_public() const { return server_public_; }
  // Files for a spawned app: the named device's secret key file (written on first use; a
  // station id not registered yet is registered as by station_keys()) and the server's
  // public key file.
  std::string key_file(const std::string& name);
  std::string server_key_file() const { return keys_dir() + "/server.pub"; }
  // Environment lines that make an app or the CLI use the named key (WARTEMARKE_KEY,
  // WARTEMARKE_SERVER_KEY); empty on a plain broker.
  std::vector<std::string> env(const std::string& name);
  // The same as a prefix for a shell command line ("WARTEMARKE_KEY='…' … "), quoted.
  std::string shell_env(const std::string& name);

  // Arguments for the next start() (e.g. a later --clock-start on the same data directory).
  void set_extra_args(std::vector<std::string> args) { extra_ = std::move(args); }
  // Another configuration than the demo county's, for the next start() (e.g. one whose staff
  // were made with `wartemarke staff add`). The transport stays the fixture's.
  void use_config(const std::string& path);
  zmq::context_t& zmq() { return zmq_; }

 private:
  void make_keys();
  const core::CurveKeys& key_or_station(const std::string& name);
  TempDir dir_;
  Transport transport_;
  std::vector<std::string> extra_;
  std::string commands_, events_, data_dir_, config_, log_path_;
  std::shared_ptr<const core::Region> region_;
  int http_port_ = 0;
  pid_t pid_ = -1;
  std::string server_public_;
  std::map<std::string, core::CurveKeys> keys_;  // by device name
  zmq::context_t zmq_{1};
};

// Path of a built binary (bin/ of the build tree).
std::string binary_path(const std::string& name);

}  // namespace wm::test
