// `wartemarke bench` screens part: kiosk and display idle CPU and RSS, frame time per size.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "server/cli/bench.hpp"

namespace wm::cli::bench {
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

// A screen binary with the dummy video driver (no window, software renderer), output to `log`.
pid_t spawn(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// utime + stime of a running process, from /proc/<pid>/stat (after the command's parentheses).
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; rest >> field; ++i) {  // field 3 is the state
    if (i == 14) utime = std::stol(field);
    if (i == 15) {
      stime = std::stol(field);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

bool alive(pid_t pid) { return waitpid(pid, nullptr, WNOHANG) == 0; }

void stop(pid_t pid) {
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 60; ++i) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

std::string tail_of(const std::string& log) {
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > 600 ? text.substr(text.size() - 600) : text;
}

// Started, left alone for `settle_s` (first frames, snapshot, printer state), then idle for
// `idle_s`: CPU time over that window and VmRSS at its end.
json idle(const std::vector<std::string>& args, const std::string& log, double settle_s,
          double idle_s) {
  pid_t pid = spawn(args, log);
  std::this_thread::sleep_for(std::chrono::duration<double>(settle_s));
  if (!alive(pid)) throw std::runtime_error(args[0] + " exited at start: " + tail_of(log));
  double c0 = cpu_seconds(pid);
  auto t0 = Steady::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(idle_s));
  double c1 = cpu_seconds(pid);
  double wall = std::chrono::duration<double>(Steady::now() - t0).count();
  long kb = rss_kb(pid);
  stop(pid);
  return json{{"cpu_percent", 100 * (c1 - c0) / wall}, {"rss_mb", kb / 1024.0}, {"idle_s", wall}};
}

// One headless screenshot run (`--screenshot --frames n`) to its end; returns its peak RSS (kB).
long screenshot_run(std::vector<std::string> args, const std::string& png, int frames,
                    const std::string& log) {
  args.insert(args.end(), {"--screenshot", png, "--frames", std::to_string(frames)});
  pid_t pid = spawn(args, log);
  int status = 0;
  rusage ru{};
  if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(args[0] + " --screenshot failed: " + tail_of(log));
  return ru.ru_maxrss;
}

// The mean frame time the screen logs after a `--screenshot --frames n` run
// ("ui: frame time W ms wall, C ms cpu (mean of N frames at WxH)"), or nullopt.
std::optional<std::pair<double, double>> logged_frame_time(const std::string& log) {
  std::ifstream in(log);
  std::string line, key = "ui: frame time ";
  std::optional<std::pair<double, double>> found;
  while (std::getline(in, line)) {
    auto at = line.find(key);
    if (at == std::string::npos) continue;
    double wall = 0, cpu = 0;
    if (std::sscanf(line.c_str() + at + key.size(), "%lf ms wall, %lf ms cpu", &wall, &cpu) == 2)
      found = std::make_pair(wall, cpu);
  }
  return found;
}

// Frame time at one size: the screen times its own frames after two warm-up frames (fonts,
// first layout, connection), wall and its UI thread's CPU. CPU per frame is the figure a busy
// machine disturbs least.
json frame_time(const std::vector<std::string>& args, const std::string& size, int frames,
                const std::string& dir, const std::string& name) {
  std::vector<std::string> a = args;
  a.insert(a.end(), {"--size", size});
  const std::string log = dir + "/" + name + "-frames-" + size + ".log";
  fs::remove(log);
  long peak_kb = screenshot_run(a, dir + "/" + name + "-" + size + ".png", frames, log);
  auto ft = logged_frame_time(log);
  if (!ft) throw std::runtime_error(args[0] + " logged no frame time: " + tail_of(log));
  return json{{"size", size},
              {"frames", frames},
              {"wall_ms", ft->first},
              {"cpu_ms", ft->second},
              {"peak_rss_mb", peak_kb / 1024.0}};
}

}  // namespace

json measure_screens(const std::string& bin_dir, bool quick, const std::string& config,
                     const std::string& commands, const std::string& events,
                     const std::string& dir) {
  fs::create_directories(dir + "/tickets");
  std::string kiosk_bin = bin_dir + "/wartemarke-kiosk", display_bin = bin_dir + "/wartemarke-display";
  std::vector<std::string> kiosk{kiosk_bin,  "--config", config,   "--kiosk", "office-1-kiosk",
                                 "--server", commands,   "--events", events,  "--ticket-dir",
                                 dir + "/tickets"};
  std::vector<std::string> display{display_bin, "--config", config,   "--display", "office-1-display",
                                   "--server",  commands,   "--events", events,     "--mute"};
  double settle = quick ? 2 : 5, idle_s = quick ? 3 : 30;
  int frames = quick ? 6 : 32;
  json out;
  std::cerr << "bench: kiosk idle " << idle_s << " s" << std::endl;
  auto k = kiosk;
  k.insert(k.end(), {"--size", "1080x1920"});
  out["kiosk"] = idle(k, dir + "/kiosk.log", settle, idle_s);
  std::cerr << "bench: display idle " << idle_s << " s" << std::endl;
  auto d = display;
  d.insert(d.end(), {"--size", "1920x1080"});
  out["display"] = idle(d, dir + "/display.log", settle, idle_s);
  std::cerr << "bench: frame times" << std::endl;
  out["kiosk"]["frames"] = json::array();
  out["display"]["frames"] = json::array();
  for (const char* size : {"1080x1920", "1920x1080"}) {
    out["kiosk"]["frames"].push_back(frame_time(kiosk, size, frames, dir, "kiosk"));
    out["display"]["frames"].push_back(frame_time(display, size, frames, dir, "display"));
  }
  out["status"] = "measured";
  return out;
}

}  // namespace wm::cli::bench
