// HTTP endpoints on one poll() thread with per-connection deadlines and hard size limits; every
// request asks the broker over the same DEALER connection, so the broker's rate limit covers them.
#include "server/http_server.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <list>
#include <map>
#include <regex>
#include <sstream>
#include <string_view>

#include "core/client/broker_client.hpp"
#include "core/clock.hpp"
#include "core/i18n/languages.hpp"
#include "core/paths.hpp"
#include "core/queries.hpp"
#include "server/rate_limit.hpp"

namespace wm::server {

using core::json;

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

bool valid_token(const std::string& t) {
  static const std::regex re("[A-Za-z0-9_-]{8,64}");
  return std::regex_match(t, re);
}

zmq::context_t& zmq_context() {
  static zmq::context_t ctx{1};
  return ctx;
}

// The status page's only script. Constant, so that its hash can go into the CSP: the token comes
// from the page's address, the offline text from the page. Anything but a page of texts (a 404
// of an unknown token is one) counts as offline.
constexpr const char* kPageScript =
    "const token=location.pathname.split('/').pop();"
    "async function refresh(){try{const r=await fetch('/api/t/'+encodeURIComponent(token));"
    "if(!r.ok&&r.status!==404)throw new Error(r.status);"
    "const t=await r.json();for(const k of ['number','headline','position','estimate','updated'])"
    "document.getElementById(k).textContent=t[k]||'';"
    "document.getElementById('card').className='card '+t.state;}"
    "catch(e){document.getElementById('updated').textContent=document.body.dataset.offline||'';}}"
    "setInterval(refresh,5000);";

}  // namespace

const std::string& content_security_policy() {
  static const std::string csp = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(kPageScript), std::strlen(kPageScript));
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, hash, sizeof hash, sodium_base64_VARIANT_ORIGINAL);
    return "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" + std::string(b64) +
           "'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }();
  return csp;
}

std::string preferred_language(const std::string& header) {
  std::string best(i18n::kSourceLanguage);
  double best_q = 0;
  std::size_t at = 0;
  while (at <= header.size() && header.size() <= 512) {  // a bounded header: nothing to parse
    std::size_t end = std::min(header.find(',', at), header.size());
    std::string part = header.substr(at, end - at);
    at = end + 1;
    double q = 1;
    if (auto semi = part.find(';'); semi != std::string::npos) {
      std::string param = part.substr(semi + 1);
      part.resize(semi);
      if (auto eq = param.find("q="); eq != std::string::npos) {
        char* stop = nullptr;
        q = std::strtod(param.c_str() + eq + 2, &stop);
        if (stop == param.c_str() + eq + 2 || !(q >= 0 && q <= 1)) q = 0;
      }
    }
    part.erase(0, part.find_first_not_of(" \t"));
    std::string code = part.substr(0, std::min(part.find('-'), part.find_first_of(" \t")));
    for (auto& ch : code) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (q > best_q && i18n::find_language(code)) {
      best = code;
      best_q = q;
    }
    if (end == header.size()) break;
  }
  return best;
}

json status_texts(const i18n::Catalog& catalog, const json& st, const std::string& browser_lang) {
  std::string lang = st.is_object() ? st.value("language", "de") : browser_lang;
  auto t = [&](const char* key, const i18n::Args& args = {}) {
    return catalog.translate(lang, key, args);
  };
  json out{{"lang", lang}, {"title", t("status.title")}};
  if (!st.is_object()) {
    out["headline"] = t("status.unknown");
    out["state"] = "unknown";
    return out;
  }
  std::string state = st.value("state", "");
  out["state"] = state;
  out["number"] = st.value("number", "");
  out["office"] = st.value("office_name", "");
  if (state == "waiting") {
    out["headline"] = t("status.waiting");
    // "position" counts the ticket itself (1 = next); the page says how many are ahead.
    if (st.contains("position"))
      out["position"] = t("status.position", {{"n", std::to_string(std::max(0, st["position"].get<int>() - 1))}});
    // The rule of the kiosk and the paper ticket, so the phone shows the printed number.
    // No open counter serves the service: say so, never a guessed minute.
    if (st.value("no_counter_open", false))
      out["estimate"] = t("status.no_counter_open");
    else if (auto est = st.find("estimate_ms"); est != st.end() && est->is_number())
      out["estimate"] = t("status.estimate", {{"n", std::to_string(core::wait_minutes_for_display(
                                                        est->get<core::Millis>()))}});
    else
      out["estimate"] = t("status.estimate_unknown");
  } else if (state == "called") {
    out["headline"] = t("status.called", {{"counter", st.value("counter_name", "")}});
  } else if (state == "serving") {
    out["headline"] = t("status.serving");
  } else if (state == "done" || state == "forwarded") {
    out["headline"] = t("status.done");
  } else if (state == "parked") {
    out["headline"] = t("status.parked");
  } else if (state == "no_show") {
    out["headline"] = t("status.no_show");
  } else if (state == "closed") {  // the office's day ended before the visitor was served
    out["headline"] = t("status.closed");
  } else {
    out["headline"] = t("status.cancelled");
  }
  out["updated"] = t("status.updated", {{"time", core::local_hhmm(core::real_now())}});
  out["offline"] = t("status.offline");
  return out;
}

std::string render_status_page(const i18n::Catalog& catalog, const json& status,
                               const std::string& /*token: the script reads it from the address*/,
                               const std::string& browser_lang) {
  json tx = status_texts(catalog, status, browser_lang);
  std::ostringstream h;
  auto field = [&](const char* k) { return escape(tx.value(k, "")); };
  h << "<!doctype html><html lang=\"" << field("lang") << "\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<meta name=\"robots\" content=\"noindex\"><title>" << field("title") << "</title><style>"
    << "body{font-family:'Noto Sans',system-ui,sans-serif;margin:0;background:#f3f5f8;color:#17202a}"
    << "header{background:#0b5394;color:#fff;padding:16px 20px;font-size:18px;font-weight:600}"
    << "main{padding:20px;max-width:560px;margin:auto}"
    << ".card{background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 4px #0002;text-align:center}"
    << ".label{font-size:16px;color:#4a5866}.number{font-size:72px;font-weight:800;letter-spacing:2px;margin:4px 0 12px}"
    << ".headline{font-size:22px;font-weight:600;margin:12px 0}"
    << ".called .headline{background:#ffd54f;border-radius:8px;padding:14px;font-size:26px}"
    << ".detail{font-size:18px;margin:6px 0}.foot{font-size:14px;color:#4a5866;margin-top:16px;text-align:center}"
    << "</style></head><body data-offline=\"" << field("offline") << "\"><header>" << field("office") << "</header><main>"
    << "<div class=\"card " << field("state") << "\" id=\"card\">"
    << "<div class=\"label\">" << field("title") << "</div>"
    << "<div class=\"number\" id=\"number\">" << field("number") << "</div>"
    // Read out by screen readers when it changes (waiting -> called: "Bitte zu Schalter 3").
    << "<div class=\"headline\" id=\"headline\" aria-live=\"assertive\" aria-atomic=\"true\">"
    << field("headline") << "</div>"
    << "<div class=\"detail\" id=\"position\">" << field("position") << "</div>"
    << "<div class=\"detail\" id=\"estimate\">" << field("estimate") << "</div>"
    << "</div><div class=\"foot\" id=\"updated\">" << field("updated") << "</div></main>"
    << "<script>" << kPageScript << "</script></body></html>";
  return h.str();
}

namespace {

using Clock = std::chrono::steady_clock;

struct Response {
  int status = 200;
  std::string type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> extra;  // more headers
};

struct Request {
  std::string method, target;
  std::map<std::string, std::string> headers;  // names in lower case
};

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

Response text(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body) + "\n";
  return r;
}

// Every response: no caching anywhere (a token page is personal, health must be live), no
// sniffing, no framing, no referrer leaking the token, the CSP; the connection closes after it.
// No Server header: nothing tells a scanner what answers.
std::string serialize(const Response& r, bool head_only) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) + "\r\n";
  out += "Content-Type: " + r.type + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += "Connection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
         "Referrer-Policy: no-referrer\r\nX-Frame-Options: DENY\r\n";
  out += "Content-Security-Policy: " + content_security_policy() + "\r\n";
  for (const auto& [k, v] : r.extra) out += k + ": " + v + "\r\n";
  out += "\r\n";
  if (!head_only) out += r.body;
  return out;
}

bool is_tchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

// Where the head ends (index of the blank line) and how long the separator is; npos if not yet.
std::size_t head_end(const std::string& in, std::size_t& sep) {
  auto crlf = in.find("\r\n\r\n");
  auto lf = in.find("\n\n");
  if (lf != std::string::npos && (crlf == std::string::npos || lf < crlf)) {
    sep = 2;
    return lf;
  }
  sep = 4;
  return crlf;
}

// 0 or the status that refuses the head.
int parse_head(std::string_view head, Request& req) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    auto nl = head.find('\n');
    auto line = head.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    head = nl == std::string_view::npos ? std::string_view{} : head.substr(nl + 1);
  }
  if (lines.empty()) return 400;
  auto first = lines[0];
  auto sp1 = first.find(' ');
  auto sp2 = first.rfind(' ');
  if (sp1 == std::string_view::npos || sp1 == sp2) return 400;
  req.method = std::string(first.substr(0, sp1));
  req.target = std::string(first.substr(sp1 + 1, sp2 - sp1 - 1));
  auto version = first.substr(sp2 + 1);
  if (req.method.empty() || !std::all_of(req.method.begin(), req.method.end(), is_tchar)) return 400;
  if (req.target.empty() || req.target[0] != '/' || req.target.find(' ') != std::string::npos) return 400;
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return 400;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto line = lines[i];
    auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return 400;  // also obsolete line folding
    std::string name(line.substr(0, colon));
    if (!std::all_of(name.begin(), name.end(), is_tchar)) return 400;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    auto value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    auto [it, fresh] = req.headers.try_emplace(name, value);
    if (!fresh) {
      if (name == "content-length" && it->second != value) return 400;  // request smuggling
      it->second += ", " + std::string(value);
    }
  }
  return 0;
}

bool loopback(const std::string& ip) {
  return ip.rfind("127.", 0) == 0 || ip == "::1" || ip.rfind("::ffff:127.", 0) == 0;
}

std::string peer_ip(const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = "?";
  if (ss.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(ss).sin_addr, buf, sizeof buf);
  else if (ss.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(ss).sin6_addr, buf, sizeof buf);
  return buf;
}

double seconds(Clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

struct HttpServer::Impl {
  struct Conn {
    int fd;
    std::string peer;
    std::string client;  // peer, or the proxy's X-Real-IP once the head is read
    Clock::time_point deadline;
    std::string in, out;
    std::size_t sent = 0;
    bool responding = false;
  };

  HttpServer& owner;
  const HttpLimits& limits;
  int listen_fd = -1;
  int wake_fd = -1;
  std::atomic<bool> stopping{false};
  std::list<Conn> conns;  // in accept order: the front is the oldest
  std::optional<core::BrokerClient> broker;  // one connection for every request, made on the loop thread
  Clock::time_point broker_down_until{};
  RateLimiter status_limiter, miss_limiter;
  Clock::time_point accept_paused_until{};
  // For one summary log line every 10 s instead of one per refusal (a flood must not flood the log).
  std::map<int, long> refused;
  long timed_out = 0, evicted = 0, turned_away = 0;
  std::string last_refused_ip;
  Clock::time_point last_report{}, last_prune{};  // the first refusal is logged at once

  explicit Impl(HttpServer& o)
      : owner(o),
        limits(o.limits_),
        status_limiter(o.limits_.status_rate, o.limits_.status_burst),
        miss_limiter(o.limits_.miss_rate, o.limits_.miss_burst) {}

  ~Impl() {
    for (auto& c : conns) ::close(c.fd);
    if (listen_fd >= 0) ::close(listen_fd);
    if (wake_fd >= 0) ::close(wake_fd);
  }

  void bind(const std::string& host, int& port) {
    std::string h = host;
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    std::string where = host + ":" + std::to_string(port);
    if (::getaddrinfo(h.empty() || h == "*" ? nullptr : h.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || !res)
      throw std::runtime_error("cannot listen for HTTP on " + where + ": unknown address");
    std::string error = "no address";
    for (auto* ai = res; ai; ai = ai->ai_next) {
      int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 128) == 0) {
        listen_fd = fd;
        break;
      }
      error = std::strerror(errno);
      ::close(fd);
    }
    ::freeaddrinfo(res);
    if (listen_fd < 0) throw std::runtime_error("cannot listen for HTTP on " + where + ": " + error);
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0)
      port = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(ss).sin6_port
                                            : reinterpret_cast<sockaddr_in&>(ss).sin_port);
    wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
  }

  void wake() {
    stopping = true;
    std::uint64_t one = 1;
    if (wake_fd >= 0) (void)!::write(wake_fd, &one, sizeof one);
  }

  void run() {
    broker.emplace(zmq_context(), owner.command_endpoint_, owner.keys_);
    std::vector<pollfd> fds;
    while (!stopping) {
      auto now = Clock::now();
      expire(now);
      report(now);
      fds.clear();
      fds.push_back({wake_fd, POLLIN, 0});
      fds.push_back({listen_fd, short(now < accept_paused_until ? 0 : POLLIN), 0});
      auto next = now + std::chrono::seconds(1);
      for (auto& c : conns) {
        fds.push_back({c.fd, short(c.responding ? POLLOUT : POLLIN), 0});
        next = std::min(next, c.deadline);
      }
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count();
      int n = ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(wait + 1, 0, 1000)));
      if (n < 0) {
        if (errno == EINTR) continue;
        spdlog::error("http: poll failed: {}; the status page stops", std::strerror(errno));
        return;
      }
      std::size_t i = 2;
      for (auto it = conns.begin(); it != conns.end(); ++i) {
        short ev = fds[i].revents;
        bool keep = true;
        if (ev & POLLNVAL) keep = false;
        else if (ev != 0) keep = it->responding ? flush(*it) : on_readable(*it);
        if (keep) {
          ++it;
        } else {
          ::close(it->fd);
          it = conns.erase(it);
        }
      }
      if (fds[1].revents & POLLIN) accept_all();
    }
  }

  // Drops connections past their deadline: a head not complete in time (slowloris), a response
  // the client does not read.
  void expire(Clock::time_point now) {
    for (auto it = conns.begin(); it != conns.end();) {
      if (it->deadline > now) {
        ++it;
        continue;
      }
      if (!it->responding) {
        ++timed_out;
        last_refused_ip = it->peer;
        std::string r = serialize(text(408, "request head not complete in time"), false);
        (void)::send(it->fd, r.data(), r.size(), MSG_NOSIGNAL | MSG_DONTWAIT);  // best effort
      }
      ::close(it->fd);
      it = conns.erase(it);
    }
  }

  void accept_all() {
    for (;;) {
      sockaddr_storage ss{};
      socklen_t len = sizeof ss;
      int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: stop accepting for a moment instead of spinning on poll.
          spdlog::warn("http: cannot accept: {}", std::strerror(errno));
          accept_paused_until = Clock::now() + std::chrono::milliseconds(100);
        }
        return;
      }
      if (conns.size() >= limits.max_connections) {
        // The oldest connection still sending its head gives way: a real client sends its head in
        // one packet, so it is a slow (or stalled) one; a flood of them cannot lock out the rest.
        auto victim = std::find_if(conns.begin(), conns.end(), [](const Conn& c) { return !c.responding; });
        if (victim != conns.end()) {
          ++evicted;
          ::close(victim->fd);
          conns.erase(victim);
        } else {
          ++turned_away;
          std::string r = serialize(text(503, "busy"), false);
          (void)::send(fd, r.data(), r.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
          ::close(fd);
          continue;
        }
      }
      std::string ip = peer_ip(ss);
      conns.push_back(Conn{fd, ip, ip, Clock::now() + limits.head_timeout, {}, {}, 0, false});
    }
  }

  // Reads what is there, never more than a head and a body may be; answers once the head is in.
  bool on_readable(Conn& c) {
    const std::size_t cap = limits.max_head_bytes + limits.max_body_bytes + 4;
    char buf[4096];
    while (c.in.size() < cap) {
      ssize_t n = ::recv(c.fd, buf, std::min(sizeof buf, cap - c.in.size()), 0);
      if (n == 0) return false;
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        return false;
      }
      c.in.append(buf, static_cast<std::size_t>(n));
    }
    std::size_t sep = 0;
    std::size_t end = head_end(c.in, sep);
    if (end == std::string::npos || end > limits.max_head_bytes) {
      if (c.in.size() <= limits.max_head_bytes) return true;  // wait for the rest
      return respond(c, text(431, "request head larger than " + std::to_string(limits.max_head_bytes) + " bytes"), false);
    }
    Request req;
    int bad = parse_head(std::string_view(c.in).substr(0, end), req);
    std::size_t body_sent = c.in.size() - end - sep;
    Response r = bad ? text(bad, "malformed request") : handle(c, req, body_sent);
    return respond(c, r, req.method == "HEAD");
  }

  bool respond(Conn& c, const Response& r, bool head_only) {
    if (r.status >= 400 && r.status != 404 && r.status != 503) {
      ++refused[r.status];
      last_refused_ip = c.client;
    }
    c.out = serialize(r, head_only);
    c.in.clear();
    c.in.shrink_to_fit();
    c.responding = true;
    c.deadline = Clock::now() + limits.write_timeout;
    return flush(c);
  }

  // False when the connection is done with (all sent, or the client went away). Whatever the
  // client still sends (the rest of a refused body) is never read: closing drops it.
  bool flush(Conn& c) {
    while (c.sent < c.out.size()) {
      ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
      }
      c.sent += static_cast<std::size_t>(n);
    }
    ::shutdown(c.fd, SHUT_WR);
    return false;
  }

  // Behind the reverse proxy every peer is 127.0.0.1: the client's address is then the proxy's
  // X-Real-IP, trusted only from a loopback peer (deploy/nginx/wartemarke-status.conf sets it).
  std::string client_of(const Conn& c, const Request& req) const {
    if (!loopback(c.peer)) return c.peer;
    auto it = req.headers.find("x-real-ip");
    if (it == req.headers.end() || it->second.empty() || it->second.size() > 45) return c.peer;
    for (char ch : it->second)
      if (!std::isxdigit(static_cast<unsigned char>(ch)) && ch != '.' && ch != ':') return c.peer;
    return it->second;
  }

  Response handle(Conn& c, const Request& req, std::size_t body_sent) {
    c.client = client_of(c, req);
    const std::string limit = std::to_string(limits.max_body_bytes);
    if (auto cl = req.headers.find("content-length"); cl != req.headers.end()) {
      const std::string& v = cl->second;
      if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), ::isdigit))
        return text(400, "malformed Content-Length");
      if (std::stoull(v) > limits.max_body_bytes) return text(413, "request body larger than " + limit + " bytes");
    }
    if (req.headers.count("transfer-encoding"))  // a body of unknown length cannot be shown to fit
      return text(413, "streamed request bodies are not accepted");
    if (body_sent > limits.max_body_bytes) return text(413, "request body larger than " + limit + " bytes");
    if (req.method != "GET" && req.method != "HEAD") {
      Response r = text(405, "only GET and HEAD");
      r.extra.emplace_back("Allow", "GET, HEAD");
      return r;
    }
    std::string path = req.target.substr(0, req.target.find('?'));
    if (path == "/healthz") return healthz();
    if (path == "/metrics") return metrics();
    auto lang = req.headers.find("accept-language");
    const std::string browser = preferred_language(lang == req.headers.end() ? "" : lang->second);
    if (path.rfind("/t/", 0) == 0) return status(c.client, path.substr(3), false, browser);
    if (path.rfind("/api/t/", 0) == 0) return status(c.client, path.substr(7), true, browser);
    return text(404, "not found");
  }

  // After a broker timeout the next second's requests fail at once: one thread serves every
  // connection, it must not wait 1.5 s per request for a broker that is not answering.
  core::Reply ask(const std::string& type, const json& body) {
    if (Clock::now() < broker_down_until) throw std::runtime_error("no answer a moment ago");
    try {
      return broker->call(type, body, std::chrono::milliseconds(1500), std::chrono::milliseconds(700));
    } catch (const core::TimeoutError&) {
      broker_down_until = Clock::now() + std::chrono::seconds(1);
      throw;
    }
  }

  Response healthz() {
    try {
      auto r = ask("hello", json{{"client", "status"}});
      return text(200, "ok seq=" + std::to_string(r.body.value("seq", 0)));
    } catch (const std::exception& e) {
      return text(503, std::string("broker unreachable: ") + e.what());
    }
  }

  Response metrics() {
    Response res;
    res.type = "text/plain; version=0.0.4";
    std::ostringstream m;
    try {
      auto hello = ask("hello", json{{"client", "status"}});
      auto status = ask("status", json::object());
      m << "# TYPE wartemarke_up gauge\nwartemarke_up 1\n";
      m << "# TYPE wartemarke_events_total counter\nwartemarke_events_total " << hello.body.value("seq", 0) << "\n";
      m << "# TYPE wartemarke_clients_connected gauge\nwartemarke_clients_connected " << hello.body.value("clients", 0) << "\n";
      m << "# TYPE wartemarke_commit_seconds gauge\nwartemarke_commit_seconds " << hello.body.value("commit_ms", 0.0) / 1000 << "\n";
      m << "# TYPE wartemarke_reactor_stall_seconds gauge\nwartemarke_reactor_stall_seconds " << hello.body.value("stall_ms", 0.0) / 1000 << "\n";
      std::error_code ec;
      auto size = std::filesystem::file_size(owner.journal_path_, ec);
      auto wal = std::filesystem::file_size(owner.journal_path_ + "-wal", ec);
      m << "# TYPE wartemarke_store_bytes gauge\nwartemarke_store_bytes " << (size + (ec ? 0 : wal)) << "\n";
      m << "# TYPE wartemarke_waiting gauge\n# TYPE wartemarke_longest_wait_seconds gauge\n"
        << "# TYPE wartemarke_tickets_today gauge\n# TYPE wartemarke_counters_open gauge\n";
      for (const auto& o : status.body["offices"]) {
        std::string id = o["id"];
        m << "wartemarke_waiting{office=\"" << id << "\"} " << o["waiting"] << "\n";
        m << "wartemarke_longest_wait_seconds{office=\"" << id << "\"} " << o["longest_wait_ms"].get<long long>() / 1000 << "\n";
        m << "wartemarke_tickets_today{office=\"" << id << "\",state=\"issued\"} " << o["issued_today"] << "\n";
        m << "wartemarke_tickets_today{office=\"" << id << "\",state=\"done\"} " << o["done_today"] << "\n";
        m << "wartemarke_tickets_today{office=\"" << id << "\",state=\"no_show\"} " << o["no_show_today"] << "\n";
        m << "wartemarke_counters_open{office=\"" << id << "\"} " << o["counters_open"] << "\n";
        for (const auto& s : o["services"])
          m << "wartemarke_waiting_service{office=\"" << id << "\",service=\"" << s["id"].get<std::string>() << "\"} " << s["waiting"] << "\n";
      }
    } catch (const std::exception&) {
      m.str("");
      m << "# broker unreachable\nwartemarke_up 0\n";
      res.status = 503;
    }
    res.body = m.str();
    return res;
  }

  // The page (`api` false) or its texts for the refresh script. An unknown or malformed token
  // costs the client a token of its miss bucket; with none left, every lookup is 429.
  Response status(const std::string& client, const std::string& token, bool api,
                  const std::string& browser_lang) {
    Response res;
    res.type = api ? "application/json; charset=utf-8" : "text/html; charset=utf-8";
    double now = seconds(Clock::now());
    if (!miss_limiter.has_token(client, now) || !status_limiter.allow(client, now)) {
      res.status = 429;
      res.type = "text/plain; charset=utf-8";
      res.body = "too many requests; try again in a minute\n";
      res.extra.emplace_back("Retry-After", "60");
      return res;
    }
    json st = nullptr;
    try {
      if (valid_token(token)) {
        auto r = ask("ticket.status", json{{"token", token}});
        if (r.ok) st = r.body;
      }
    } catch (const std::exception&) {
      res.status = 503;
      res.body = api ? std::string(R"({"state":"offline"})")
                     : render_status_page(owner.catalog_, nullptr, token, browser_lang);
      return res;
    }
    if (st.is_null()) {
      res.status = 404;
      miss_limiter.allow(client, now);
    }
    res.body = api ? status_texts(owner.catalog_, st, browser_lang).dump()
                   : render_status_page(owner.catalog_, st, token, browser_lang);
    return res;
  }

  void report(Clock::time_point now) {
    if (now - last_prune >= std::chrono::seconds(10)) {
      last_prune = now;
      status_limiter.take_refusals(seconds(now));  // forgets clients that went away
      miss_limiter.take_refusals(seconds(now));
    }
    if (now - last_report < std::chrono::seconds(10)) return;
    if (refused.empty() && timed_out == 0 && evicted == 0 && turned_away == 0) return;
    last_report = now;
    std::string codes;
    for (const auto& [code, n] : refused) codes += (codes.empty() ? "" : ", ") + std::to_string(n) + "×" + std::to_string(code);
    spdlog::warn("http: refused requests [{}], dropped {} connections for a slow head, "
                 "closed {} unfinished ones for newer ones at the cap of {}, turned away {} (last from {})",
                 codes, timed_out, evicted, limits.max_connections, turned_away, last_refused_ip);
    refused.clear();
    timed_out = evicted = turned_away = 0;
  }
};

HttpServer::HttpServer(std::shared_ptr<const core::Region> region, std::string command_endpoint,
                       std::string listen, std::string journal_path,
                       std::optional<core::CurveKeys> keys, HttpLimits limits)
    : region_(std::move(region)),
      command_endpoint_(std::move(command_endpoint)),
      journal_path_(std::move(journal_path)),
      keys_(std::move(keys)),
      limits_(limits) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("HTTP address must be host:port: " + listen);
  host_ = listen.substr(0, colon);
  port_ = std::stoi(listen.substr(colon + 1));
  std::vector<i18n::LoadError> errors;
  catalog_ = i18n::Catalog::load_dir(core::find_assets_dir() / "i18n", errors);
  for (const auto& e : errors) spdlog::warn("translations: {}", e.to_string());
  (void)content_security_policy();  // hashed once, before any thread needs it
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  impl_ = std::make_unique<Impl>(*this);
  impl_->bind(host_, port_);
  thread_ = std::thread([this] { impl_->run(); });
}

void HttpServer::stop() {
  if (impl_) impl_->wake();
  if (thread_.joinable()) thread_.join();
  impl_.reset();
}

}  // namespace wm::server
