// BrokerProcess: fork/exec of the real server, readiness by a real "hello" request.
#include "tests/support/broker_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "core/clock.hpp"
#include "tests/support/open_hours_config.hpp"

namespace wm::test {

std::string binary_path(const std::string& name) {
  const char* dir = std::getenv("WM_BIN_DIR");
  return std::string(dir ? dir : WM_TEST_BIN_DIR) + "/" + name;
}

BrokerProcess::BrokerProcess(std::vector<std::string> extra_args) : extra_(std::move(extra_args)) {
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
      core::BrokerClient c(zmq_, commands_, keys_);
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
