// MRZ reader on a serial / CDC-ACM tty, plus the simulated MRZ reader.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "wm/hw/mrz_reader.hpp"

namespace wm::hw {

namespace {
speed_t baud_constant(int baud) {
  switch (baud) {
    case 1200: return B1200;
    case 2400: return B2400;
    case 4800: return B4800;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    default: return B9600;
  }
}
}  // namespace

SerialMrzReader::SerialMrzReader(std::string path, int baud) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    open_error_ = std::strerror(errno);
    return;
  }
  termios tio{};
  // A pseudo tty (tests) or a plain pipe may not support everything: best effort.
  if (tcgetattr(fd_, &tio) == 0) {
    cfmakeraw(&tio);
    cfsetispeed(&tio, baud_constant(baud));
    cfsetospeed(&tio, baud_constant(baud));
    tio.c_cflag |= CLOCAL | CREAD;
    tcsetattr(fd_, TCSANOW, &tio);
  }
}

SerialMrzReader::~SerialMrzReader() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::vector<std::string>> SerialMrzReader::read(std::chrono::milliseconds timeout,
                                                              ReaderError* err) {
  if (err) *err = ReaderError::ok;
  if (fd_ < 0) {
    if (err) *err = ReaderError::not_found;
    return std::nullopt;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    if (auto doc = assembler_.take(now)) return doc;
    if (now >= deadline) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    pollfd p{fd_, POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count() + 1, 100)));
    if (rc < 0 && errno != EINTR) {
      if (err) *err = ReaderError::io_error;
      return std::nullopt;
    }
    if (rc <= 0) continue;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) {
      if (!(p.revents & POLLIN)) {
        // The USB serial adapter went away (ttyACM hangs up on unplug).
        if (err) *err = ReaderError::unplugged;
        return std::nullopt;
      }
    }
    char buf[256];
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) {
      if (err) *err = (n == 0 || errno == EIO || errno == ENODEV) ? ReaderError::unplugged
                                                                    : ReaderError::io_error;
      return std::nullopt;
    }
    const auto t = std::chrono::steady_clock::now();
    for (ssize_t i = 0; i < n; ++i) assembler_.feed(buf[i], t);
  }
}

// ---------------------------------------------------------------- simulator

std::vector<std::string> SimMrzReader::german_specimen() {
  return {"IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4",
          "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"};
}

SimMrzReader::SimMrzReader(std::string watch_file, bool specimen_on_open)
    : watch_file_(std::move(watch_file)) {
  if (specimen_on_open && watch_file_.empty()) queue_.push_back(german_specimen());
  if (!watch_file_.empty()) {
    struct stat st{};
    if (::stat(watch_file_.c_str(), &st) == 0) last_mtime_ = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  }
}

std::string SimMrzReader::describe() const {
  return watch_file_.empty() ? "simulated MRZ reader" : "simulated MRZ reader (" + watch_file_ + ")";
}

void SimMrzReader::present(std::vector<std::string> lines) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(lines));
  }
  cv_.notify_all();
}

std::optional<std::vector<std::string>> SimMrzReader::check_file() {
  if (watch_file_.empty()) return std::nullopt;
  struct stat st{};
  if (::stat(watch_file_.c_str(), &st) != 0) return std::nullopt;
  const long long m = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  if (m == last_mtime_) return std::nullopt;
  last_mtime_ = m;
  std::ifstream in(watch_file_);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) lines.push_back(l);
  if (lines.empty()) return std::nullopt;
  return lines;
}

std::optional<std::vector<std::string>> SimMrzReader::read(std::chrono::milliseconds timeout,
                                                           ReaderError* err) {
  if (err) *err = ReaderError::ok;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mu_);
  while (true) {
    if (!queue_.empty()) {
      auto doc = std::move(queue_.front());
      queue_.erase(queue_.begin());
      return doc;
    }
    if (auto doc = check_file()) return doc;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return std::nullopt;
    // The watch file is polled every 100 ms; present() wakes us at once.
    cv_.wait_until(lock, std::min(deadline, now + std::chrono::milliseconds(100)));
  }
}

}  // namespace wm::hw
