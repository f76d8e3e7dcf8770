// Misbehaving clients against the real broker: a flooder is rate limited, a client that never
// reads and half-open connections do not block the reactor; everyone else is answered quickly.
#define BOOST_TEST_MODULE server_security_limits
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "core/client/curve.hpp"
#include "server/key_connections.hpp"
#include "tests/support/broker_process.hpp"

using wm::core::ErrorCode;
using wm::core::json;
using Clock = std::chrono::steady_clock;

namespace {

std::string frame(const std::string& id, const std::string& type, const json& body) {
  return wm::core::encode_request(wm::core::Request{wm::core::kProtocolVersion, id, type, body});
}

// An honest station during the misbehaviour: requests one after the other, each timed. A read
// (the queue summary): it goes through the reactor like any request but waits for no fsync, so
// a disk busy with other work on the test machine cannot make it slow.
struct Latencies {
  double max_ms = 0, sum_ms = 0;
  int n = 0, failed = 0;
};
Latencies honest_requests(wm::test::BrokerProcess& b, const std::atomic<bool>& done, int at_least) {
  auto c = b.client();
  Latencies l;
  while (l.n < at_least || !done.load()) {
    auto t0 = Clock::now();
    try {
      c.request("status", {{"office", "zittau"}}, std::chrono::seconds(5));
    } catch (const std::exception& e) {
      BOOST_TEST_MESSAGE("honest request failed: " << e.what());
      ++l.failed;
    }
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    l.max_ms = std::max(l.max_ms, ms);
    l.sum_ms += ms;
    ++l.n;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return l;
}

int connect_tcp(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Resident memory of a process in MiB (VmRSS of /proc/<pid>/status); -1 if unreadable.
double rss_mib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      double kib = -1;
      in >> kib;
      return kib / 1024;
    }
    in.ignore(1 << 12, '\n');
  }
  return -1;
}

int port_of(const std::string& endpoint) {
  return std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_flooding_client_is_rate_limited_and_others_stay_fast) {
  wm::test::BrokerProcess b;  // the demo config: rate_limit 200/s, rate_burst 400
  b.start();
  constexpr int kFlood = 20000;
  std::atomic<int> sent{0};
  std::atomic<bool> done{false};
  int ok = 0, limited = 0, other = 0;
  double flood_s = 0;
  std::thread flooder([&] {
    zmq::socket_t s(b.zmq(), zmq::socket_type::dealer);
    wm::core::apply_curve(s, b.keys("goerlitz-kiosk"));  // a registered kiosk gone mad
    s.set(zmq::sockopt::sndhwm, 0);
    s.set(zmq::sockopt::linger, 0);
    s.connect(b.command_endpoint());
    auto t0 = Clock::now();
    for (int i = 0; i < kFlood; ++i) {  // without waiting for a single answer
      std::string f = frame("flood-" + std::to_string(i), "ticket.issue",
                            {{"office", "goerlitz"}, {"services", {"kfz-um"}}});
      s.send(zmq::message_t{}, zmq::send_flags::sndmore);
      s.send(zmq::buffer(f));
      sent.store(i + 1);
    }
    s.set(zmq::sockopt::rcvtimeo, 10000);
    for (int i = 0; i < kFlood; ++i) {
      zmq::message_t empty, msg;
      if (!s.recv(empty) || !s.recv(msg)) break;
      auto r = wm::core::decode_reply(msg.to_string_view());
      if (r && r->ok) ++ok;
      else if (r && r->error == ErrorCode::rate_limited) ++limited;
      else ++other;
    }
    flood_s = std::chrono::duration<double>(Clock::now() - t0).count();
    done.store(true);
  });
  while (sent.load() < 1000) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Latencies l = honest_requests(b, done, 10);
  flooder.join();

  BOOST_TEST_MESSAGE("flood: " << kFlood << " requests in " << flood_s << " s: " << ok << " ok, "
                               << limited << " rate_limited, " << other << " other; honest: " << l.n
                               << " requests, mean " << l.sum_ms / l.n << " ms, max " << l.max_ms
                               << " ms");
  BOOST_TEST(ok + limited + other == kFlood);  // every request answered, none dropped
  BOOST_TEST(other == 0);
  BOOST_TEST(ok >= 400);                                        // the burst goes through ...
  BOOST_TEST(ok <= 400 + static_cast<int>(200 * flood_s) + 5);  // ... then 200/s at most
  BOOST_TEST(limited >= kFlood / 2);
  BOOST_TEST(l.failed == 0);
  BOOST_TEST(l.max_ms < 1000);
  // One summary line per flooder and second, written with the next heartbeat.
  auto deadline = Clock::now() + std::chrono::seconds(3);
  while (b.log().find("requests refused from connection") == std::string::npos && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(b.log().find("requests refused from connection") != std::string::npos);
  // The flooder's identity is not a ban: once it slows down it is served again.
  auto c = b.client();
  BOOST_TEST(c.request("ticket.issue", {{"office", "goerlitz"}, {"services", {"kfz-um"}}})
                 .contains("ticket"));
}

BOOST_AUTO_TEST_CASE(broker_client_slows_down_instead_of_failing) {
  wm::test::BrokerProcess b;
  b.start();
  auto c = b.client();
  auto t0 = Clock::now();
  int ok = 0;
  for (int i = 0; i < 700; ++i) ok += c.call("ping", json::object()).ok ? 1 : 0;
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  BOOST_TEST_MESSAGE("700 pings back to back: " << s << " s");
  BOOST_TEST(ok == 700);  // every one answered ok, after pauses on rate_limited ...
  BOOST_TEST(s >= 1.2);   // ... which the limit (400 at once, then 200/s) made necessary
}

BOOST_AUTO_TEST_CASE(a_client_that_never_reads_does_not_block_the_broker) {
  wm::test::BrokerProcess b;
  b.start();
  std::atomic<bool> done{false};
  constexpr int kRequests = 150000;  // more replies than the broker's send high-water mark
  std::thread deaf([&] {
    zmq::socket_t s(b.zmq(), zmq::socket_type::dealer);
    wm::core::apply_curve(s, b.keys("goerlitz-kiosk"));
    s.set(zmq::sockopt::rcvhwm, 1);
    s.set(zmq::sockopt::rcvbuf, 4096);
    s.set(zmq::sockopt::sndhwm, 0);
    s.set(zmq::sockopt::linger, 0);
    s.connect(b.command_endpoint());
    std::string f = frame("deaf", "ping", json::object());
    for (int i = 0; i < kRequests; ++i) {
      s.send(zmq::message_t{}, zmq::send_flags::sndmore);
      s.send(zmq::buffer(f));
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));  // still connected, still not reading
    done.store(true);
  });
  Latencies l = honest_requests(b, done, 20);
  deaf.join();
  BOOST_TEST_MESSAGE("honest during the deaf client: " << l.n << " requests, mean "
                                                       << l.sum_ms / l.n << " ms, max " << l.max_ms
                                                       << " ms");
  BOOST_TEST(l.failed == 0);
  BOOST_TEST(l.max_ms < 1000);
  auto c = b.client();
  BOOST_TEST(c.request("ping").contains("seq"));
}

BOOST_AUTO_TEST_CASE(half_open_and_vanishing_peers_do_not_block_the_broker) {
  wm::test::BrokerProcess b;
  b.start();
  int port = port_of(b.command_endpoint());
  std::vector<int> idle;
  // Connections that never finish the ZMTP handshake: silent, a partial greeting, garbage.
  for (int i = 0; i < 50; ++i) {
    int fd = connect_tcp(port);
    BOOST_REQUIRE(fd >= 0);
    if (i % 3 == 1) (void)!::write(fd, "\xff\0\0\0\0\0\0\0\x01", 9);
    if (i % 3 == 2) (void)!::write(fd, "GET / HTTP/1.1\r\n\r\n", 18);
    idle.push_back(fd);
  }
  // Peers that send a request and vanish before the answer: the reply has nowhere to go.
  for (int i = 0; i < 50; ++i) {
    zmq::socket_t s(b.zmq(), zmq::socket_type::dealer);
    wm::core::apply_curve(s, b.keys("goerlitz-kiosk"));
    s.set(zmq::sockopt::linger, 200);
    s.connect(b.command_endpoint());
    s.send(zmq::message_t{}, zmq::send_flags::sndmore);
    s.send(zmq::buffer(frame("gone-" + std::to_string(i), "ticket.issue",
                             {{"office", "goerlitz"}, {"services", {"kfz-ab"}}})));
  }
  std::atomic<bool> done{true};
  Latencies l = honest_requests(b, done, 20);
  BOOST_TEST_MESSAGE("honest with half-open peers: mean " << l.sum_ms / l.n << " ms, max "
                                                          << l.max_ms << " ms");
  BOOST_TEST(l.failed == 0);
  BOOST_TEST(l.max_ms < 1000);
  // The idle ones disappear abruptly (RST), as a peer whose cable is pulled and comes back.
  for (int fd : idle) {
    linger lg{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    ::close(fd);
  }
  Latencies after = honest_requests(b, done, 5);
  BOOST_TEST(after.failed == 0);
  BOOST_TEST(after.max_ms < 1000);
  BOOST_TEST(b.running());
}

// One key floods 63 KiB requests on `connections` connections for 5 s, as fast as the broker
// takes them, and never reads an answer; meanwhile an honest client pings every 20 ms. The
// broker's resident memory (start and peak) and the honest pings' latencies.
struct Flood {
  long sent = 0;          // requests the flooder got into its sockets
  long disconnects = 0;   // of its connections, ended by the broker
  double rss_start = 0, rss_max = 0;
  std::vector<double> ping_ms;
  int failed = 0;
  double p99() const { return ping_ms[ping_ms.size() * 99 / 100]; }
};
Flood flood_with(wm::test::BrokerProcess& b, const std::string& key, int connections) {
  auto c = b.client();
  for (int i = 0; i < 5; ++i) c.request("ping");
  Flood f;
  f.rss_start = f.rss_max = rss_mib(b.pid());
  BOOST_REQUIRE(f.rss_start > 0);
  std::atomic<bool> done{false};
  std::atomic<long> sent{0}, disconnects{0};
  std::thread flooder([&] {
    std::vector<zmq::socket_t> socks;
    std::vector<zmq::socket_t> monitors;
    for (int k = 0; k < connections; ++k) {
      zmq::socket_t s(b.zmq(), zmq::socket_type::dealer);
      s.set(zmq::sockopt::rcvhwm, 1);  // never reads
      s.set(zmq::sockopt::rcvbuf, 4096);
      s.set(zmq::sockopt::sndtimeo, 0);
      s.set(zmq::sockopt::linger, 0);
      wm::core::apply_curve(s, b.keys(key));
      const std::string ep = "inproc://flood-monitor-" + std::to_string(k);
      BOOST_REQUIRE(zmq_socket_monitor(s.handle(), ep.c_str(), ZMQ_EVENT_DISCONNECTED) == 0);
      zmq::socket_t m(b.zmq(), zmq::socket_type::pair);
      m.connect(ep);
      s.connect(b.command_endpoint());
      socks.push_back(std::move(s));
      monitors.push_back(std::move(m));
    }
    // One frame, encoded once, so the flooder is as fast as ZeroMQ (a retry of a ping is
    // decided afresh: the same id is no obstacle).
    const std::string f = frame("flood", "ping", {{"pad", std::string(63 * 1024, 'x')}});
    auto until = Clock::now() + std::chrono::seconds(5);
    long n = 0;
    while (Clock::now() < until) {
      bool any = false;
      for (auto& s : socks) {
        if (!s.send(zmq::message_t{}, zmq::send_flags::dontwait | zmq::send_flags::sndmore)) continue;
        if (s.send(zmq::buffer(f), zmq::send_flags::dontwait)) sent.store(++n), any = true;
      }
      if (!any) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      for (auto& m : monitors) {
        zmq::message_t ev;
        while (m.recv(ev, zmq::recv_flags::dontwait))
          if (!ev.more()) disconnects.fetch_add(1);  // the second frame ends an event
      }
    }
    for (auto& s : socks) zmq_socket_monitor(s.handle(), nullptr, 0);
    done.store(true);
  });
  while (!done.load()) {
    auto t0 = Clock::now();
    try {
      c.request("ping", json::object(), std::chrono::seconds(5));
      f.ping_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    } catch (const std::exception& e) {
      BOOST_TEST_MESSAGE("honest ping failed: " << e.what());
      ++f.failed;
    }
    f.rss_max = std::max(f.rss_max, rss_mib(b.pid()));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  flooder.join();
  f.rss_max = std::max(f.rss_max, rss_mib(b.pid()));
  f.sent = sent.load();
  f.disconnects = disconnects.load();
  std::sort(f.ping_ms.begin(), f.ping_ms.end());
  BOOST_REQUIRE(!f.ping_ms.empty());
  BOOST_TEST_MESSAGE("flood of " << f.sent << " requests of 63 KiB in 5 s on " << connections
                     << " connection(s) (" << f.sent * 63.0 / 1024 / 5 << " MiB/s), "
                     << f.disconnects << " of them ended by the broker: broker RSS " << f.rss_start
                     << " MiB at start, at most " << f.rss_max << " MiB; honest pings: "
                     << f.ping_ms.size() << ", p50 " << f.ping_ms[f.ping_ms.size() / 2] << " ms, p99 "
                     << f.p99() << " ms, max " << f.ping_ms.back() << " ms, " << f.failed << " failed");
  return f;
}

// Issue 15: RCVHWM 100,000 frames x 64 KiB grew the broker by 1.9 GB in 20 s from one kiosk
// key. The broker's resident memory stays within 50 MiB of where it started, and an honest
// client's pings keep being answered meanwhile.
BOOST_AUTO_TEST_CASE(a_flooding_key_cannot_grow_the_broker_beyond_its_memory_budget) {
  wm::test::BrokerProcess b;  // the demo config: memory_budget_mb default, rate_limit 200/s
  b.start();
  Flood f = flood_with(b, "goerlitz-kiosk", 1);
  // The flood really reached the broker: a peer whose handshake fails stops at its send queue
  // (1,000 frames); a connected one gets 47,000-68,000 frames through in 5 s.
  BOOST_TEST(f.sent > 10'000);
  BOOST_TEST(f.rss_max - f.rss_start < 50.0);
  BOOST_TEST(f.failed == 0);
  BOOST_TEST(b.client().request("ping").contains("seq"));
}

// The same key on 12 connections: with a budget per connection only, it would hold 12 budgets.
// The broker serves 4 ([security] connections_per_key), refuses the others in the handshake
// (or closes one that got through at its first request), and the 4 share the key's budget: its
// resident memory stays within 50 MiB of where it started, the log says why, and the key is
// served on a fresh connection once the flood stops. Honest pings all stay answered. Their
// latency is printed, not asserted: on 2 cores with the flooder encrypting 400 MiB/s beside the
// broker it depends on what else runs (p99 22-27 ms quiet, 60-135 ms beside a compiler or other
// suites; one flooding connection: 10-14 ms quiet); docs/security.md keeps the figures.
BOOST_AUTO_TEST_CASE(a_key_opening_many_connections_holds_no_more_than_its_budget) {
  wm::test::BrokerProcess b;
  b.start();
  Flood f = flood_with(b, "goerlitz-kiosk", 12);
  // Fewer frames get through than on one connection (8,000-41,000 in 5 s, by load: refused
  // sockets do not take any), but always several times the key's budget: 2,000 x 63 KiB.
  BOOST_TEST(f.sent > 2'000);
  BOOST_TEST(f.disconnects >= 8);  // each of the 8 beyond the cap refused or closed, at least once
  BOOST_TEST(f.rss_max - f.rss_start < 50.0);
  BOOST_TEST(f.failed == 0);
  const std::string log = b.log();
  BOOST_TEST((log.find("connections per key: closed") != std::string::npos ||
              log.find("of keys that hold all they may") != std::string::npos));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // its connections end
  try {
    BOOST_TEST(b.client_as("goerlitz-kiosk").request("ping").contains("seq"));
  } catch (const std::exception& e) {
    std::string lines;
    std::istringstream log(b.log());
    for (std::string l; std::getline(log, l);)
      if (l.find("rejected request") == std::string::npos) lines += l + "\n";
    BOOST_ERROR("the key is not served again: " << e.what() << "\n" << lines);
  }
}

// The bookkeeping behind the cap, on its own: which request is served, which connection is
// closed, what a gone connection frees, and that a reused descriptor is never closed.
BOOST_AUTO_TEST_CASE(connections_per_key_counts_live_connections) {
  using V = wm::server::KeyConnections::Verdict;
  wm::server::KeyConnections k(2);
  BOOST_TEST((k.note("K", "r1", 10, 0) == V::serve));
  BOOST_TEST((k.note("K", "r2", 11, 0) == V::serve));
  BOOST_TEST((k.note("L", "r3", 12, 0) == V::serve));  // another key has its own cap
  BOOST_TEST((k.note("K", "r1", 10, 1) == V::serve));  // a known connection, again
  BOOST_TEST((k.note("K", "r4", 13, 1) == V::close));  // the third of K
  BOOST_TEST((k.note("K", "r4", 13, 1) == V::drop));   // what it still had queued
  BOOST_TEST(k.take_closed().size() == 1u);
  BOOST_TEST(k.take_closed().empty());
  k.disconnected(11);  // r2 went away: room for one more
  BOOST_TEST(k.live("K") == 1u);
  BOOST_TEST((k.note("K", "r2", 11, 2) == V::serve));  // what r2 still had queued: not counted
  BOOST_TEST(k.live("K") == 1u);
  BOOST_TEST((k.note("K", "r5", 11, 2) == V::serve));  // on r2's reused descriptor
  BOOST_TEST(k.fd_in_use(11));
  BOOST_TEST(!k.fd_in_use(13));
  k.prune(100);  // silent for longer than a minute: forgotten
  BOOST_TEST(k.live("K") == 0u);
  BOOST_TEST((k.note("K", "r6", 14, 100) == V::serve));
  BOOST_TEST((wm::server::KeyConnections(0).note("K", "r", 1, 0) == V::serve));  // no cap
  // An uncapped key (an administrator's): asked once, then remembered.
  int asked = 0;
  auto admin = [&](const std::string& key) { ++asked; return key == "A"; };
  for (int i = 0; i < 5; ++i)
    BOOST_TEST((k.note("A", "a" + std::to_string(i), 20 + i, 100, admin) == V::serve));
  BOOST_TEST(asked == 1);
  BOOST_TEST(k.live("A") == 0u);
  BOOST_TEST((k.note("", "plain", 1, 100) == V::serve));  // plain transport: no key
}
