// The server's HTTP side: health, metrics, and the visitor status page in a real headless Chromium.
#define BOOST_TEST_MODULE server_http
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

#include "tests/support/broker_process.hpp"
#include "core/i18n/catalog.hpp"
#include "core/paths.hpp"
#include "server/http_server.hpp"
#include "server/keys.hpp"
#include "tests/support/shell.hpp"

using wm::core::json;

namespace {

std::string chromium_dom(const std::string& url, int budget_ms) {
  wm::test::TempDir profile;
  std::string cmd =
      "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--user-data-dir=" + profile.path().string() +
      " --virtual-time-budget=" + std::to_string(budget_ms) + " --dump-dom '" + url + "' 2>/dev/null";
  return wm::test::run_shell(cmd).out;
}

using Clock = std::chrono::steady_clock;

long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

// A TCP connection to the broker's HTTP port, from `source` (another loopback address stands
// for another client) if given. Blocking; -1 on failure.
int connect_http(int port, const std::string& source = "") {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
      ::close(fd);
      return -1;
    }
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Everything the server sends until it closes, or until `timeout_ms` passed.
std::string read_all(int fd, int timeout_ms) {
  std::string out;
  auto start = Clock::now();
  char buf[4096];
  while (ms_since(start) < timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

// Sends a raw request and returns the raw response ("" if none within the timeout).
std::string raw_http(int port, const std::string& request, const std::string& source = "",
                     int timeout_ms = 5000) {
  int fd = connect_http(port, source);
  if (fd < 0) return "";
  (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out = read_all(fd, timeout_ms);
  ::close(fd);
  return out;
}

int status_of(const std::string& response) {
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.c_str() + 9);
}

std::string get(int port, const std::string& path, const std::string& source = "",
                const std::string& extra_headers = "", int timeout_ms = 5000) {
  return raw_http(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extra_headers + "\r\n", source,
                  timeout_ms);
}

// VmRSS (now) or VmHWM (the peak: a body read and freed again leaves RSS where it was).
long memory_kb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  return -1;
}

std::string random_token() {
  static std::mt19937 rng{std::random_device{}()};
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string t;
  for (int i = 0; i < 24; ++i) t += alphabet[rng() % alphabet.size()];
  return t;
}

// A walk-in ticket issued by the admin client: its status page is /t/<its token>.
json issue_ticket(wm::test::BrokerProcess& broker) {
  return broker.client().request("ticket.issue",
                                 json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
}

}  // namespace

BOOST_AUTO_TEST_CASE(health_and_metrics) {
  wm::test::BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  httplib::Client http("127.0.0.1", broker.http_port());
  auto health = http.Get("/healthz");
  BOOST_REQUIRE(health);
  BOOST_TEST(health->status == 200);
  BOOST_TEST(health->body.find("ok seq=1") == 0u);
  auto metrics = http.Get("/metrics");
  BOOST_REQUIRE(metrics);
  BOOST_TEST(metrics->body.find("wartemarke_waiting{office=\"goerlitz\"} 1") != std::string::npos);
  BOOST_TEST(metrics->body.find("wartemarke_store_bytes") != std::string::npos);
  auto unknown = http.Get("/t/AAAAAAAAAAAAAAAAAAAAAAAA");
  BOOST_REQUIRE(unknown);
  BOOST_TEST(unknown->status == 404);
  BOOST_TEST(unknown->body.find("unbekannt") != std::string::npos);
  auto garbage = http.Get("/t/%3Cscript%3E");
  BOOST_REQUIRE(garbage);
  BOOST_TEST(garbage->status == 404);

  // The broker gone: health says so instead of hanging.
  broker.kill9();
}

// Production runs CURVE (so does the fixture): the HTTP side inside the server must still reach
// its own broker (with a key that exists only in that process), while a stranger's plain client
// is refused.
BOOST_AUTO_TEST_CASE(health_and_status_page_work_on_a_curve_broker) {
  wm::test::BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  json t = c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});

  httplib::Client http("127.0.0.1", broker.http_port());
  auto health = http.Get("/healthz");
  BOOST_REQUIRE(health);
  BOOST_TEST(health->status == 200);
  BOOST_TEST(health->body.find("ok seq=1") == 0u);
  auto page = http.Get("/api/t/" + t["token"].get<std::string>());
  BOOST_REQUIRE(page);
  BOOST_TEST(page->status == 200);
  BOOST_TEST(page->body.find(t["ticket"]["number"].get<std::string>()) != std::string::npos);
  auto metrics = http.Get("/metrics");
  BOOST_REQUIRE(metrics);
  BOOST_TEST(metrics->body.find("wartemarke_up 1") != std::string::npos);
  // The in-process key never reaches the registry file an admin (or a thief) could read.
  // Every entry of the file is one of the fixture's own test keys (keys() throws for another).
  auto file = wm::server::KeyRegistry::file_in(broker.keys_dir());
  const auto registry = wm::server::KeyRegistry::load(file);
  BOOST_TEST(!registry.devices().empty());
  for (const auto& d : registry.devices())
    BOOST_TEST(d.public_key == broker.keys(d.name).device.public_key, d.name);
}

BOOST_AUTO_TEST_CASE(status_page_in_chromium_follows_the_ticket_live_in_its_language) {
  wm::test::BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  c.request("counter.open", json{{"counter", "goerlitz-1"}});
  c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  json mine = c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}, {"language", "pl"}});
  std::string token = mine["token"];
  std::string url = "http://127.0.0.1:" + std::to_string(broker.http_port()) + "/t/" + token;

  std::string dom = chromium_dom(url, 1000);
  BOOST_TEST_MESSAGE(dom.substr(0, 300));
  BOOST_TEST(dom.find("K002") != std::string::npos);
  BOOST_TEST(dom.find("Czekasz") != std::string::npos);        // Polish: "you are waiting"
  BOOST_TEST(dom.find("Przed Tobą: 1") != std::string::npos);   // K001 is ahead

  // Called while the page is open: the page's own refresh shows it.
  c.request("counter.next", json{{"counter", "goerlitz-1"}});
  c.request("counter.finish", json{{"counter", "goerlitz-1"}});
  c.request("counter.next", json{{"counter", "goerlitz-1"}});
  dom = chromium_dom(url, 7000);
  BOOST_TEST(dom.find("Twoja kolej") != std::string::npos);
  BOOST_TEST(dom.find("Schalter 1") != std::string::npos);
  // No personal data or internal ids on the page.
  BOOST_TEST(dom.find(mine["ticket"]["id"].get<std::string>()) == std::string::npos);
}

// The review's 600 MB POST (19 → 627 MB RSS): refused from its Content-Length before the body is
// read, the connection closed; the broker's memory does not move.
BOOST_AUTO_TEST_CASE(a_huge_post_is_refused_with_413_without_being_read) {
  wm::test::BrokerProcess broker;
  broker.start();
  const int port = broker.http_port();
  BOOST_REQUIRE(status_of(get(port, "/healthz")) == 200);
  const long before = memory_kb(broker.pid(), "VmRSS"), peak_before = memory_kb(broker.pid(), "VmHWM");
  BOOST_REQUIRE(before > 0);

  int fd = connect_http(port);
  BOOST_REQUIRE(fd >= 0);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  const long long claimed = 600LL * 1024 * 1024;
  std::string head = "POST /t/AAAAAAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: x\r\nContent-Type: "
                     "application/octet-stream\r\nContent-Length: " + std::to_string(claimed) + "\r\n\r\n";
  std::string chunk(64 * 1024, 'x');
  std::string response;
  long long sent = -static_cast<long long>(head.size());
  std::string pending = head;
  auto start = Clock::now();
  long answered_ms = -1;
  // Streams the body as fast as the server takes it, until the answer comes or the socket dies.
  while (ms_since(start) < 30000 && sent < claimed) {
    pollfd p{fd, POLLIN | POLLOUT, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    if (p.revents & POLLIN) {
      char buf[4096];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n > 0) {
        response.append(buf, static_cast<std::size_t>(n));
        if (answered_ms < 0) answered_ms = ms_since(start);
        continue;
      }
      break;  // closed (or reset) by the server
    }
    if (p.revents & (POLLERR | POLLHUP)) break;
    if (p.revents & POLLOUT) {
      if (pending.empty()) pending = chunk;
      ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        break;  // EPIPE/ECONNRESET: the server closed without reading the rest
      }
      sent += n;
      pending.erase(0, static_cast<std::size_t>(n));
    }
  }
  response += read_all(fd, 1000);  // what had arrived before the connection was torn down
  if (answered_ms < 0 && !response.empty()) answered_ms = ms_since(start);
  ::close(fd);
  const long after = memory_kb(broker.pid(), "VmRSS"), peak_after = memory_kb(broker.pid(), "VmHWM");
  BOOST_TEST_MESSAGE("413 after " << answered_ms << " ms, " << sent / 1024 << " KiB of the body sent, RSS "
                                  << before << " -> " << after << " kB, peak " << peak_before << " -> "
                                  << peak_after << " kB");
  BOOST_TEST(status_of(response) == 413);
  BOOST_TEST(answered_ms >= 0);
  BOOST_TEST(answered_ms < 2000);
  BOOST_TEST(sent < claimed);
  BOOST_TEST(after - before < 10 * 1024);
  BOOST_TEST(peak_after - peak_before < 10 * 1024);

  // A body of unknown length (chunked) is not read either; a small one is simply not allowed.
  BOOST_TEST(status_of(raw_http(port, "POST /t/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                      "10000\r\n" + std::string(4000, 'y'))) == 413);
  // A GET that sends a body past the limit without announcing it.
  BOOST_TEST(status_of(raw_http(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + std::string(12000, 'z'))) == 413);
  BOOST_TEST(status_of(get(port, "/healthz")) == 200);
  BOOST_TEST(broker.log().find("413") != std::string::npos);
}

// Slowloris: connections that send their head one byte a second hold nothing the health check
// needs; each is dropped when its 5 s for the head are up, and past the connection cap the
// oldest unfinished one gives way to the newcomer.
BOOST_AUTO_TEST_CASE(slow_connections_do_not_starve_healthz) {
  wm::test::BrokerProcess broker;
  broker.start();
  const int port = broker.http_port();
  for (int count : {16, 200}) {
    std::vector<int> slow;
    for (int i = 0; i < count; ++i) {
      int fd = connect_http(port);
      BOOST_REQUIRE(fd >= 0);
      slow.push_back(fd);
    }
    const std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    auto start = Clock::now();
    long worst = 0;
    for (std::size_t second = 0; second < 4; ++second) {
      for (int fd : slow) (void)::send(fd, &head[second], 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      auto t = Clock::now();
      std::string r = get(port, "/healthz", "", "", 1000);
      worst = std::max(worst, ms_since(t));
      BOOST_TEST(status_of(r) == 200, count << " slow connections, second " << second << ": " << r);
      std::this_thread::sleep_for(std::chrono::milliseconds(1000) - (Clock::now() - t));
    }
    BOOST_TEST_MESSAGE(count << " slow connections: /healthz answered in at most " << worst << " ms");
    BOOST_TEST(worst < 1000);
    // By 5 s (+ slack) after they connected, the server has hung up on every slow connection.
    std::this_thread::sleep_for(std::chrono::milliseconds(6500) - (Clock::now() - start));
    int closed = 0;
    for (int fd : slow) {
      std::string rest = read_all(fd, 200);  // 408 or nothing, then EOF
      pollfd p{fd, POLLIN, 0};
      char c;
      if (::poll(&p, 1, 0) == 1 && ::recv(fd, &c, 1, MSG_DONTWAIT) <= 0) ++closed;
      ::close(fd);
    }
    BOOST_TEST(closed == count);
  }
}

BOOST_AUTO_TEST_CASE(oversized_heads_and_other_methods_are_refused) {
  wm::test::BrokerProcess broker;
  broker.start();
  const int port = broker.http_port();
  // One huge header, many small ones, an overlong request line: all past the 8 KiB head.
  BOOST_TEST(status_of(get(port, "/healthz", "", "X-Big: " + std::string(16000, 'a') + "\r\n")) == 431);
  std::string many;
  for (int i = 0; i < 300; ++i) many += "X-H" + std::to_string(i) + ": " + std::string(50, 'b') + "\r\n";
  BOOST_TEST(status_of(get(port, "/healthz", "", many)) == 431);
  BOOST_TEST(status_of(get(port, "/t/" + std::string(10000, 'c'))) == 431);
  // A head that never ends is refused as soon as it is too long, not read on.
  BOOST_TEST(status_of(raw_http(port, "GET /healthz HTTP/1.1\r\nX: " + std::string(20000, 'd'))) == 431);
  // Only GET and HEAD.
  std::string post = raw_http(port, "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
  BOOST_TEST(status_of(post) == 405);
  BOOST_TEST(post.find("Allow: GET, HEAD") != std::string::npos);
  for (const char* m : {"PUT", "DELETE", "OPTIONS", "TRACE", "PATCH"})
    BOOST_TEST(status_of(raw_http(port, std::string(m) + " /t/AAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: x\r\n\r\n")) == 405, m);
  std::string head = raw_http(port, "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  BOOST_TEST(status_of(head) == 200);
  BOOST_TEST(head.find("ok seq=") == std::string::npos);  // headers only
  BOOST_TEST(status_of(raw_http(port, "GARBAGE\r\n\r\n")) == 400);
  BOOST_TEST(status_of(raw_http(port, "GET /healthz HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")) == 400);
  BOOST_TEST(status_of(get(port, "/healthz")) == 200);
}

BOOST_AUTO_TEST_CASE(every_response_carries_the_security_headers) {
  wm::test::BrokerProcess broker;
  broker.start();
  json t = issue_ticket(broker);
  const std::string token = t["token"];
  const int port = broker.http_port();
  std::vector<std::string> answers = {
      get(port, "/healthz"), get(port, "/t/" + token), get(port, "/api/t/" + token),
      get(port, "/t/AAAAAAAAAAAAAAAAAAAAAAAA"), get(port, "/nothing-here"),
      raw_http(port, "POST /t/x HTTP/1.1\r\nContent-Length: 1\r\n\r\nx"),
      get(port, "/healthz", "", "X-Big: " + std::string(16000, 'a') + "\r\n")};
  for (const auto& a : answers) {
    std::string head = a.substr(0, a.find("\r\n\r\n"));
    BOOST_TEST_CONTEXT(head) {
      BOOST_TEST(status_of(a) != 0);
      BOOST_TEST(head.find("\r\nX-Content-Type-Options: nosniff") != std::string::npos);
      BOOST_TEST(head.find("\r\nReferrer-Policy: no-referrer") != std::string::npos);
      BOOST_TEST(head.find("\r\nX-Frame-Options: DENY") != std::string::npos);
      BOOST_TEST(head.find("\r\nCache-Control: no-store") != std::string::npos);
      BOOST_TEST(head.find("\r\nContent-Security-Policy: default-src 'none'; ") != std::string::npos);
      BOOST_TEST(head.find("\r\nServer:") == std::string::npos);  // no version banner
    }
  }
  // The page's one inline script is exactly what the CSP's hash allows (the Chromium test above
  // shows that it runs).
  const std::string& page = answers[1];
  auto open = page.find("<script>") + 8;
  std::string script = page.substr(open, page.find("</script>") - open);
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(script.data()), script.size());
  char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, hash, sizeof hash, sodium_base64_VARIANT_ORIGINAL);
  BOOST_TEST(page.find("script-src 'sha256-" + std::string(b64) + "'") != std::string::npos);
  BOOST_TEST(page.find(t["ticket"]["number"].get<std::string>()) != std::string::npos);
}

// Token guessing: a client asking for random tokens gets 429 once its misses are used up (for
// every lookup, its own ticket too); another client (another source address, or another
// X-Real-IP from the reverse proxy on loopback) is not affected.
BOOST_AUTO_TEST_CASE(token_guessing_is_rate_limited_per_client_ip) {
  wm::test::BrokerProcess broker;
  broker.start();
  json t = issue_ticket(broker);
  const std::string token = t["token"];
  const int port = broker.http_port();
  int first_429 = -1, not_found = 0;
  for (int i = 0; i < 60; ++i) {
    int s = status_of(get(port, (i % 2 ? "/t/" : "/api/t/") + random_token()));
    if (s == 404) ++not_found;
    if (s == 429 && first_429 < 0) first_429 = i;
    BOOST_TEST((s == 404 || s == 429), i << ": " << s);
  }
  BOOST_TEST_MESSAGE("first 429 after " << first_429 << " guesses");
  BOOST_TEST(first_429 >= 10);
  BOOST_TEST(first_429 <= 25);
  BOOST_TEST(not_found <= 25);
  BOOST_TEST(status_of(get(port, "/t/" + token)) == 429);
  std::string limited = get(port, "/api/t/" + token);
  BOOST_TEST(limited.find("Retry-After:") != std::string::npos);
  // Another client: another source address on loopback, and a client the proxy names.
  BOOST_TEST(status_of(get(port, "/t/" + token, "127.0.0.2")) == 200);
  BOOST_TEST(status_of(get(port, "/t/" + random_token(), "127.0.0.2")) == 404);
  BOOST_TEST(status_of(get(port, "/t/" + token, "", "X-Real-IP: 198.51.100.7\r\n")) == 200);
  // Health is not a status lookup: it stays available to the guessing address.
  BOOST_TEST(status_of(get(port, "/healthz")) == 200);
  BOOST_TEST(broker.log().find("429") != std::string::npos);
}

// All HTTP requests share one broker connection (so the broker's per-connection limit covers
// them): 30 lookups leave one client behind at the broker, not 30.
BOOST_AUTO_TEST_CASE(http_requests_share_one_broker_connection) {
  wm::test::BrokerProcess broker;
  broker.start();
  json t = broker.client().request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  const int port = broker.http_port();
  for (int i = 0; i < 30; ++i) BOOST_REQUIRE(status_of(get(port, "/api/t/" + t["token"].get<std::string>())) == 200);
  std::string m = get(port, "/metrics");
  const std::string metric = "\nwartemarke_clients_connected ";
  auto at = m.find(metric);
  BOOST_REQUIRE(at != std::string::npos);
  int clients = std::atoi(m.c_str() + at + metric.size());
  BOOST_TEST_MESSAGE("broker clients after 31 HTTP requests: " << clients);
  // The HTTP side's one connection, this test's client and start()'s readiness probe (a client
  // is forgotten 5 s after its last request); a connection per request would leave 33.
  BOOST_TEST(clients <= 3);
}

// Every language on every page (issue 16 item 10): without a ticket to take the language from
// (an unknown token), the page speaks the browser's Accept-Language; a ticket's page announces
// its headline to screen readers when it changes (aria-live).
BOOST_AUTO_TEST_CASE(pages_without_a_ticket_speak_the_browsers_language_and_the_headline_is_live) {
  using wm::server::preferred_language;
  BOOST_TEST(preferred_language("") == "de");
  BOOST_TEST(preferred_language("uk-UA,uk;q=0.9,en;q=0.8") == "uk");
  BOOST_TEST(preferred_language("fr-FR,fr;q=0.9,tr;q=0.5,en;q=0.4") == "tr");  // first we ship, by weight
  BOOST_TEST(preferred_language("en;q=0.2, pl;q=0.8") == "pl");
  BOOST_TEST(preferred_language("RU") == "ru");
  BOOST_TEST(preferred_language("xx, *;q=0.1") == "de");
  BOOST_TEST(preferred_language("cs;q=abc, en;q=2") == "de");  // malformed weights count nothing
  BOOST_TEST(preferred_language(std::string(600, 'a')) == "de");  // oversize: not parsed

  wm::test::BrokerProcess broker;
  broker.start();
  std::vector<wm::i18n::LoadError> errors;
  auto catalog = wm::i18n::Catalog::load_dir(wm::core::find_assets_dir() / "i18n", errors);
  const std::string unknown = "/t/" + random_token();
  std::string uk = get(broker.http_port(), unknown, "", "Accept-Language: uk-UA,uk;q=0.9,en;q=0.8\r\n");
  BOOST_TEST(status_of(uk) == 404);
  BOOST_TEST(uk.find("<html lang=\"uk\"") != std::string::npos);
  BOOST_TEST(uk.find(std::string(catalog.lookup("uk", "status.unknown"))) != std::string::npos, uk);
  std::string none = get(broker.http_port(), "/t/" + random_token());
  BOOST_TEST(none.find("<html lang=\"de\"") != std::string::npos);

  json t = issue_ticket(broker);
  std::string page = get(broker.http_port(), "/t/" + t["token"].get<std::string>(), "",
                         "Accept-Language: tr\r\n");
  BOOST_TEST(status_of(page) == 200);
  BOOST_TEST(page.find("id=\"headline\" aria-live=\"assertive\"") != std::string::npos);
  BOOST_TEST(page.find("<html lang=\"de\"") != std::string::npos);  // the ticket's language wins
}
