// The real server speaks systemd's notify protocol: READY once serving, watchdog pings, STOPPING.
#define BOOST_TEST_MODULE server_sd_notify
#include <boost/test/unit_test.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "tests/support/broker_process.hpp"

namespace {

// A datagram socket standing in for systemd's $NOTIFY_SOCKET.
struct NotifySocket {
  int fd = -1;
  std::string path;
  explicit NotifySocket(const std::string& p) : path(p) {
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    BOOST_REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    timeval tv{0, 200'000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~NotifySocket() { close(fd); }
  // Every message that arrives within `for_ms`.
  std::vector<std::string> collect(int for_ms) {
    std::vector<std::string> got;
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(for_ms);
    char buf[512];
    while (std::chrono::steady_clock::now() < end) {
      ssize_t n = recv(fd, buf, sizeof(buf), 0);
      if (n > 0) got.emplace_back(buf, static_cast<std::size_t>(n));
    }
    return got;
  }
};

int count_prefix(const std::vector<std::string>& msgs, const std::string& prefix) {
  int n = 0;
  for (const auto& m : msgs) n += m.rfind(prefix, 0) == 0;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(ready_watchdog_and_stopping_reach_the_notify_socket) {
  wm::test::TempDir dir;
  NotifySocket sock(dir.file("notify"));
  setenv("NOTIFY_SOCKET", sock.path.c_str(), 1);
  setenv("WATCHDOG_USEC", "2000000", 1);
  wm::test::BrokerProcess broker;
  broker.start();
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_USEC");

  auto msgs = sock.collect(3500);
  BOOST_TEST_REQUIRE(!msgs.empty());
  BOOST_TEST(msgs.front().rfind("READY=1", 0) == 0u, "first message: " << msgs.front());
  // The reactor pings about once a second, well inside the 2 s watchdog.
  BOOST_TEST(count_prefix(msgs, "WATCHDOG=1") >= 2);

  BOOST_TEST(broker.terminate() == 0);
  auto after = sock.collect(500);
  BOOST_TEST(count_prefix(after, "STOPPING=1") == 1);
}

BOOST_AUTO_TEST_CASE(no_watchdog_pings_unless_systemd_asks) {
  wm::test::TempDir dir;
  NotifySocket sock(dir.file("notify"));
  setenv("NOTIFY_SOCKET", sock.path.c_str(), 1);
  wm::test::BrokerProcess broker;
  broker.start();
  unsetenv("NOTIFY_SOCKET");
  auto msgs = sock.collect(2500);
  BOOST_TEST(count_prefix(msgs, "READY=1") == 1);
  BOOST_TEST(count_prefix(msgs, "WATCHDOG=1") == 0);
}
