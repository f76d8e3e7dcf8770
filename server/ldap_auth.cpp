// LDAP simple bind with libldap (OpenLDAP's client library; on Debian built with GnuTLS).
#include "server/ldap_auth.hpp"

#include <fcntl.h>
#include <ldap.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace wm::server {

std::string escape_dn_value(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    bool special = c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' ||
                   c == ';' || c == '=' || (i == 0 && (c == ' ' || c == '#')) ||
                   (i + 1 == v.size() && c == ' ');
    if (c < 0x20 || c == 0x7f) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "\\%02x", c);
      out += buf;
    } else {
      if (special) out += '\\';
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string bind_name(const core::Ldap& ldap, const std::string& login) {
  // The real guard: only the login rules' characters (no ',', '=', '*', '(', '\', '@', NUL,
  // spaces ...) ever reach a DN. The escaping below is the second line, for the DN form.
  if (!core::valid_staff_login(login)) return {};
  const bool dn = ldap.bind_dn_template.find('=') != std::string::npos;
  const std::string value = dn ? escape_dn_value(login) : login;
  std::string out = ldap.bind_dn_template;
  for (std::size_t at = out.find("{login}"); at != std::string::npos;
       at = out.find("{login}", at + value.size()))
    out.replace(at, 7, value);
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;

// libldap's TLS errors are terse ("Connect error", "(unknown error code)"): the usual causes.
constexpr const char* kTlsHint =
    " (is the server's certificate signed by a CA in ca_file, or the system's CAs if ca_file is "
    "empty, and issued for the host named in url?)";

struct Unbind {
  void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};

// What is left until `deadline`, at least 1 ms (0 would mean "poll" to ldap_result).
timeval left(Clock::time_point deadline) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (ms < 1) ms = 1;
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
}

// libldap bounds connect by LDAP_OPT_NETWORK_TIMEOUT and results by ldap_result's timeout,
// but (2.5.13, GnuTLS) its ldaps:// TLS handshake reads from a blocking socket without one: a
// server that accepts the connection and then says nothing (hung, SIGSTOP) held the bind
// forever (found by the SIGSTOP test; a per-read SO_RCVTIMEO set in the connect callback did
// not end it either). So a watchdog thread shuts the connection down at the deadline:
// shutdown() makes the blocked read return at once and the bind fails as "Can't contact LDAP
// server". It works on its own dup() of the socket, taken in libldap's connect callback (right
// after connect, before TLS), so it can never hit a descriptor number libldap closed and
// something else reused.
class Watchdog {
 public:
  explicit Watchdog(Clock::time_point deadline) : thread_([this, deadline] { run(deadline); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
    for (int fd : sockets_) ::close(fd);
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  void watch(int fd) {
    int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) return;
    std::lock_guard lock(mu_);
    sockets_.push_back(copy);
    if (fired_) ::shutdown(copy, SHUT_RDWR);
  }
  bool fired() {
    std::lock_guard lock(mu_);
    return fired_;
  }

  static int on_connect(LDAP*, Sockbuf* sb, LDAPURLDesc*, struct sockaddr*, struct ldap_conncb* ctx) {
    ber_socket_t fd = -1;
    if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) == 1 && fd >= 0)
      static_cast<Watchdog*>(ctx->lc_arg)->watch(fd);
    return 0;
  }
  static void on_close(LDAP*, Sockbuf*, struct ldap_conncb*) {}

 private:
  void run(Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    if (cv_.wait_until(lock, deadline, [this] { return done_; })) return;
    fired_ = true;
    for (int fd : sockets_) ::shutdown(fd, SHUT_RDWR);
  }
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false, fired_ = false;
  std::vector<int> sockets_;
  std::thread thread_;
};

std::string error_text(LDAP* ld, int rc) {
  std::string why = ldap_err2string(rc);
  char* diag = nullptr;
  if (ld && ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag) == LDAP_OPT_SUCCESS && diag) {
    if (*diag) why += std::string(" (") + diag + ")";
    ldap_memfree(diag);
  }
  return why;
}

// Waits for the answer to `msgid` until `deadline`; the LDAP result code, or LDAP_TIMEOUT /
// LDAP_SERVER_DOWN.
int await_result(LDAP* ld, int msgid, Clock::time_point deadline) {
  LDAPMessage* res = nullptr;
  timeval tv = left(deadline);
  int got = ldap_result(ld, msgid, LDAP_MSG_ALL, &tv, &res);
  if (got == 0) {
    if (res) ldap_msgfree(res);
    return LDAP_TIMEOUT;
  }
  if (got < 0) {
    int rc = LDAP_SERVER_DOWN;
    ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &rc);
    return rc == LDAP_SUCCESS ? LDAP_SERVER_DOWN : rc;
  }
  int code = LDAP_OTHER;
  char* diag = nullptr;
  int rc = ldap_parse_result(ld, res, &code, nullptr, &diag, nullptr, nullptr, 1);
  if (diag) {
    if (*diag) ldap_set_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, diag);
    ldap_memfree(diag);
  }
  return rc == LDAP_SUCCESS ? code : rc;
}

}  // namespace

BindResult ldap_simple_bind(const core::Ldap& cfg, const std::string& name,
                            const std::string& password, std::string& why) {
  if (name.empty()) {
    why = "login not allowed in a bind name";
    return BindResult::refused;
  }
  if (password.empty()) {  // RFC 4513 5.1.2: an empty password is an unauthenticated bind
    why = "empty password (an unauthenticated bind is never a login)";
    return BindResult::refused;
  }
  const auto deadline = Clock::now() + std::chrono::seconds(cfg.timeout_s);
  // Both outlive the handle (libldap keeps a pointer to the callback until it is unbound).
  Watchdog watchdog(deadline);
  ldap_conncb on_connect{Watchdog::on_connect, Watchdog::on_close, &watchdog};
  LDAP* raw = nullptr;
  int rc = ldap_initialize(&raw, cfg.url.c_str());
  std::unique_ptr<LDAP, Unbind> ld(raw);
  if (rc != LDAP_SUCCESS || !ld) {
    why = "bad LDAP URL: " + std::string(ldap_err2string(rc));
    return BindResult::unavailable;
  }
  const int version = LDAP_VERSION3;
  ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF);  // never follow to another server
  ldap_set_option(ld.get(), LDAP_OPT_RESTART, LDAP_OPT_ON);      // EINTR is no failure
  timeval tv = left(deadline);
  ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &tv);  // connect (and TLS handshake)
  ldap_set_option(ld.get(), LDAP_OPT_TIMEOUT, &tv);          // any synchronous call inside
  ldap_set_option(ld.get(), LDAP_OPT_CONNECT_CB, &on_connect);  // the watchdog's copy of the socket
  // TLS on this handle only (no process-wide state): the server's certificate must chain to
  // ca_file (or the system CAs) and name the host of the URL; at least TLS 1.2.
  const int demand = LDAP_OPT_X_TLS_DEMAND;
  ldap_set_option(ld.get(), LDAP_OPT_X_TLS_REQUIRE_CERT, &demand);
  const int tls12 = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
  ldap_set_option(ld.get(), LDAP_OPT_X_TLS_PROTOCOL_MIN, &tls12);
  if (!cfg.ca_file.empty()) ldap_set_option(ld.get(), LDAP_OPT_X_TLS_CACERTFILE, cfg.ca_file.c_str());
  const int client = 0;
  ldap_set_option(ld.get(), LDAP_OPT_X_TLS_NEWCTX, &client);

  auto timed_out = [&] {
    return watchdog.fired() ? " after the " + std::to_string(cfg.timeout_s) + " s timeout (connection closed)"
                            : std::string();
  };
  auto fail = [&](int code, const char* step) {
    why = std::string(step) + ": " + error_text(ld.get(), code) + timed_out();
    if (code == LDAP_INVALID_CREDENTIALS || code == LDAP_INAPPROPRIATE_AUTH ||
        code == LDAP_UNWILLING_TO_PERFORM || code == LDAP_NO_SUCH_OBJECT ||
        code == LDAP_INSUFFICIENT_ACCESS)
      return BindResult::refused;
    // Everything else (down, timeout, TLS, busy, a broken template): the directory did not
    // decide, so nothing is counted against the login.
    return BindResult::unavailable;
  };

  if (cfg.url.starts_with("ldap://") && cfg.starttls) {
    int msgid = 0;
    rc = ldap_start_tls(ld.get(), nullptr, nullptr, &msgid);
    if (rc == LDAP_SUCCESS) rc = await_result(ld.get(), msgid, deadline);
    if (rc != LDAP_SUCCESS) {
      why = "StartTLS: " + error_text(ld.get(), rc) + timed_out();
      return BindResult::unavailable;  // no TLS, no password sent
    }
    tv = left(deadline);
    ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &tv);
    rc = ldap_install_tls(ld.get());
    if (rc != LDAP_SUCCESS) {
      why = "TLS: " + error_text(ld.get(), rc) + (watchdog.fired() ? timed_out() : std::string(kTlsHint));
      return BindResult::unavailable;
    }
  }
  if (Clock::now() >= deadline) {
    why = "no time left for the bind after TLS" + timed_out();
    return BindResult::unavailable;
  }
  berval cred{static_cast<ber_len_t>(password.size()), const_cast<char*>(password.data())};
  int msgid = 0;
  tv = left(deadline);
  ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &tv);
  rc = ldap_sasl_bind(ld.get(), name.c_str(), LDAP_SASL_SIMPLE, &cred, nullptr, nullptr, &msgid);
  if (rc == LDAP_SUCCESS) rc = await_result(ld.get(), msgid, deadline);
  if (rc != LDAP_SUCCESS) {
    BindResult r = fail(rc, "bind");
    // With ldaps:// a refused certificate looks like a server that is down (libldap reports
    // both as "Can't contact LDAP server"): name both causes.
    if (cfg.url.starts_with("ldaps://") && (rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR) &&
        !watchdog.fired())
      why += " (no connection, or the TLS handshake failed: " + std::string(kTlsHint + 2);
    return r;
  }
  why = "bind ok";
  return BindResult::ok;
}

}  // namespace wm::server
