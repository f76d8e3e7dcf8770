// BrokerProcess: fork/exec of the real server, readiness by a real "hello" request.
#include "tests/support/broker_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "core/clock.hpp"
#include "server/keys.hpp"
#include "tests/support/open_hours_config.hpp"

namespace wm::test {

std::string binary_path(const std::string& name) {
  const char* dir = std::getenv("WM_BIN_DIR");
  return std::string(dir ? dir : WM_TEST_BIN_DIR) + "/" + name;
}

BrokerProcess::BrokerProcess(std::vector<std::string> extra_args)
    : BrokerProcess(Transport::curve, std::move(extra_args)) {}

BrokerProcess::BrokerProcess(Transport transport, std::vector<std::string> extra_args)
    : transport_(transport), extra_(std::move(extra_args)) {
  commands_ = "tcp://127.0.0.1:" + std::to_string(free_port());
  events_ = "tcp://127.0.0.1:" + std::to_string(free_port());
  http_port_ = free_port();
  data_dir_ = dir_.file("data");
  // The demo county, open around the clock: tests on the real clock pass at night and on
  // Sundays. Hours tests load the real one with use_config() and pin --clock-start.
  config_ = around_the_clock_copy(source_path("deploy/config/county.toml"), dir_.file("config"));
  log_path_ = dir_.file("server.log");
  region_ = std::make_shared<const core::Region>(core::load_config(config_));
  core::use_time_zone(region_->policy.timezone);
  if (transport_ == Transport::curve) make_keys();
}

// The keys an admin would set up with `wartemarke keys ...`, written with the broker's own
// registry code, so the file is exactly what the broker reads.
void BrokerProcess::make_keys() {
  server_public_ = server::rotate_server_keys(keys_dir()).public_key;
  const auto file = server::KeyRegistry::file_in(keys_dir());
  auto reg = server::KeyRegistry::load(file);
  auto add = [&](const TestDevice& d) {
    auto pair = core::generate_key_pair();
    reg.put({d.name, pair.public_key, d.role, d.offices, d.offices.empty(), false, ""});
    keys_[d.name] = {server_public_, pair};
  };
  add({"admin", "admin", {}});
  add({"dashboard", "dashboard", {}});
  add({"backoffice", "backoffice", {}});
  for (const auto& office : region_->offices)
    for (const char* role : {"kiosk", "display", "counter", "dashboard"})
      add({office.id + "-" + role, role, {office.id}});
  reg.save(file);
}

core::BrokerClient BrokerProcess::client() {
  if (transport_ == Transport::plain) return core::BrokerClient(zmq_, commands_);
  return core::BrokerClient(zmq_, commands_, keys("admin"));
}

core::BrokerClient BrokerProcess::client_as(const std::string& name) {
  return core::BrokerClient(zmq_, commands_, key_or_station(name));
}

const core::CurveKeys& BrokerProcess::key_or_station(const std::string& name) {
  if (transport_ == Transport::curve && !keys_.count(name) && region_->office_of_station(name))
    return station_keys(name);
  return keys(name);
}

const core::CurveKeys& BrokerProcess::keys(const std::string& name) const {
  if (transport_ == Transport::plain)
    throw std::logic_error("BrokerProcess: a plain-transport broker has no key '" + name + "'");
  auto it = keys_.find(name);
  if (it == keys_.end()) throw std::out_of_range("BrokerProcess: no test key named '" + name + "'");
  return it->second;
}

core::CurveKeys BrokerProcess::register_device(const TestDevice& d) {
  if (transport_ == Transport::plain)
    throw std::logic_error("BrokerProcess: a plain-transport broker takes no device keys");
  const auto file = server::KeyRegistry::file_in(keys_dir());
  auto reg = server::KeyRegistry::load(file);
  auto pair = core::generate_key_pair();
  reg.put({d.name, pair.public_key, d.role, d.offices, d.offices.empty(), false, ""});
  reg.save(file);
  keys_[d.name] = {server_public_, pair};
  std::filesystem::remove(dir_.file("device-keys/" + d.name + ".key"));  // a replaced key
  return keys_[d.name];
}

const core::CurveKeys& BrokerProcess::station_keys(const std::string& id) {
  if (auto it = keys_.find(id); it != keys_.end()) return it->second;
  const core::Office* office = region_->office_of_station(id);
  std::string role;
  if (office) {
    for (const auto& c : office->counters)
      if (c.id == id) role = "counter";
    for (const auto& k : office->kiosks)
      if (k.id == id) role = "kiosk";
    for (const auto& d : office->displays)
      if (d.id == id) role = "display";
  }
  if (role.empty()) throw std::invalid_argument("BrokerProcess: '" + id + "' is no station of the config");
  register_device({id, role, {office->id}});
  return keys_.at(id);
}

core::CurveKeys BrokerProcess::stranger() const {
  if (transport_ == Transport::plain)
    throw std::logic_error("BrokerProcess: a plain-transport broker has no server key");
  return {server_public_, core::generate_key_pair()};
}

std::string BrokerProcess::key_file(const std::string& name) {
  const auto& k = key_or_station(name);
  // Beside the data directory, not in it: a device's secret is never part of the broker's data.
  std::filesystem::create_directories(dir_.file("device-keys"));
  std::string path = dir_.file("device-keys/" + name + ".key");
  if (!std::filesystem::exists(path))
    core::write_key_file(path, k.device, "wartemarke test device key '" + name + "'", true);
  return path;
}

std::vector<std::string> BrokerProcess::env(const std::string& name) {
  if (transport_ == Transport::plain) return {};
  return {"WARTEMARKE_KEY=" + key_file(name), "WARTEMARKE_SERVER_KEY=" + server_key_file()};
}

std::string BrokerProcess::shell_env(const std::string& name) {
  std::string out;
  for (const auto& line : env(name)) {
    auto eq = line.find('=');
    out += line.substr(0, eq + 1) + "'" + line.substr(eq + 1) + "' ";
  }
  return out;
}

void BrokerProcess::use_config(const std::string& path) {
  config_ = path;
  region_ = std::make_shared<const core::Region>(core::load_config(config_));
}

BrokerProcess::~BrokerProcess() {
  if (pid_ > 0) kill9();
}

void BrokerProcess::start() {
  std::vector<std::string> args{binary_path("wartemarke-server"), "--config", config_, "--data",
                                data_dir_, "--commands", commands_, "--events", events_,
                                "--http", "127.0.0.1:" + std::to_string(http_port_)};
  // CURVE by the command line, so that every config a test brings (use_config) runs it too;
  // a test that passes its own --security decides itself.
  if (std::find(extra_.begin(), extra_.end(), "--security") == extra_.end())
    args.insert(args.end(), {"--security", transport_ == Transport::curve ? "curve" : "plain"});
  args.insert(args.end(), extra_.begin(), extra_.end());
  // The calendar guard: with WM_TEST_DAYS_AHEAD=N a broker started without its own clock runs
  // N days ahead of today. A test that pairs a literal date with the real clock then fails in
  // the guard's run (ctest runs the date-using suites once more that way), not on a later day.
  if (const char* ahead = std::getenv("WM_TEST_DAYS_AHEAD");
      ahead && std::find(extra_.begin(), extra_.end(), "--clock-start") == extra_.end()) {
    core::Millis t = core::real_now() + std::stoll(ahead) * 86'400'000LL;
    args.insert(args.end(), {"--clock-start", core::local_day(t) + "T" + core::local_hhmm(t)});
  }
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("wartemarke-server exited at start: " + log());
    }
    try {
      auto c = client();
      c.request("hello", core::json{{"client", "cli"}}, std::chrono::milliseconds(300));
      return;
    } catch (const core::RequestError&) {
      return;  // it answered, with a refusal (e.g. plain transport with plain_role = "none")
    } catch (const std::exception&) {
    }
  }
  throw std::runtime_error("wartemarke-server did not answer within 10 s: " + log());
}

void BrokerProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int BrokerProcess::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string BrokerProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace wm::test
