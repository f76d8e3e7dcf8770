// Staff login against a directory: a real slapd, started by the test in a temporary directory
// with its own slapd.conf, a test CA and server certificate made with openssl, StartTLS on a
// free loopback port, and the real broker (CURVE, a key per role) that binds to it as the user.
// Never the system's slapd service. Without slapd (or if it cannot start here) the cases that
// need it are reported skipped by their precondition (ctest: the suite shows as skipped).
#define BOOST_TEST_MODULE server_security_ldap
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "core/client/curve.hpp"
#include "server/ldap_auth.hpp"
#include "tests/support/broker_process.hpp"
#include "tests/support/open_hours_config.hpp"
#include "tests/support/preconditions.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using wm::core::ErrorCode;
using wm::core::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kBase = "dc=county,dc=test";
constexpr const char* kPassword = "Sommer-2026!x";     // lschmidt's directory password
constexpr const char* kPassword2 = "Herbst-2026?y";    // jkoch's

std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The slapd binary: Debian's, or $WM_TEST_SLAPD (e.g. a missing path, to see the skip).
std::string slapd_binary() {
  const char* env = std::getenv("WM_TEST_SLAPD");
  return env && *env ? env : "/usr/sbin/slapd";
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// A slapd of our own: certificates, slapd.conf, the test LDIF loaded with slapadd, and the
// daemon in the foreground (-d 0) on a free loopback port, stopped with the fixture.
class Slapd {
 public:
  Slapd() : port_(wm::test::free_port()), tls_port_(wm::test::free_port()) {
    dir_ = dir_tmp_.path().string();
    fs::create_directories(dir_ + "/db");
    auto run = [&](const std::string& cmd) {
      auto r = wm::test::run_shell("cd " + sh_quote(dir_) + " && " + cmd + " 2>&1");
      if (r.status != 0) throw std::runtime_error(cmd + ": " + r.out);
      return r.out;
    };
    // A CA of the test's own and a server certificate for 127.0.0.1 (the URL's host).
    run("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
        "-subj '/CN=Wartemarke test CA'");
    run("openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1'");
    std::ofstream(dir_ + "/ext.cnf") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                        "basicConstraints=CA:FALSE\n"
                                        "extendedKeyUsage=serverAuth\n";
    run("openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem "
        "-days 2 -extfile ext.cnf");
    // Another CA, which did not sign the server's certificate: what a forged server presents.
    run("openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 2 "
        "-subj '/CN=Someone else'");
    std::ofstream(dir_ + "/slapd.conf")
        << "include /etc/ldap/schema/core.schema\n"
           "include /etc/ldap/schema/cosine.schema\n"
           "include /etc/ldap/schema/inetorgperson.schema\n"
           "modulepath /usr/lib/ldap\n"
           "moduleload back_mdb\n"
        << "pidfile " << dir_ << "/slapd.pid\n"
        << "argsfile " << dir_ << "/slapd.args\n"
        << "TLSCACertificateFile " << dir_ << "/ca.pem\n"
        << "TLSCertificateFile " << dir_ << "/server.pem\n"
        << "TLSCertificateKeyFile " << dir_ << "/server.key\n"
        << "security ssf=1\n"  // no bind (or anything) without TLS
        << "database mdb\n"
           "maxsize 10485760\n"
        << "suffix \"" << kBase << "\"\n"
        << "rootdn \"cn=admin," << kBase << "\"\n"
        << "directory " << dir_ << "/db\n"
        << "access to attrs=userPassword by anonymous auth by * none\n"
           "access to * by * read\n";
    auto user = [&](const std::string& uid, const std::string& name, const std::string& password) {
      std::string hash = run("slappasswd -s " + sh_quote(password));
      hash.erase(hash.find_last_not_of("\r\n") + 1);
      return "dn: uid=" + uid + ",ou=staff," + kBase + "\nobjectClass: inetOrgPerson\nuid: " + uid +
             "\ncn: " + name + "\nsn: " + name.substr(name.find(' ') + 1) + "\nuserPassword: " + hash +
             "\n\n";
    };
    std::ofstream(dir_ + "/test.ldif")
        << "dn: " << kBase << "\nobjectClass: dcObject\nobjectClass: organization\no: Test County\n"
        << "dc: county\n\n"
        << "dn: ou=staff," << kBase << "\nobjectClass: organizationalUnit\nou: staff\n\n"
        << user("lschmidt", "Lena Schmidt", kPassword) << user("jkoch", "Jonas Koch", kPassword2)
        // Someone whose uid has a comma: the directory knows him, no login can name him.
        << "dn: uid=lschmidt\\,admin,ou=staff," << kBase
        << "\nobjectClass: inetOrgPerson\nuid: lschmidt,admin\ncn: Trap\nsn: Trap\n"
        << "userPassword: " << run("slappasswd -s " + sh_quote(kPassword)) << "\n";
    run("slapadd -f slapd.conf -l test.ldif");
  }
  ~Slapd() { kill9(); }

  void start() {
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      // No stdio here: a flush would repeat the parent's buffered output.
      int fd = ::open((dir_ + "/slapd.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      std::string conf = dir_ + "/slapd.conf",
                  url = "ldap://127.0.0.1:" + std::to_string(port_) + "/ ldaps://127.0.0.1:" +
                        std::to_string(tls_port_) + "/";
      std::string bin = slapd_binary();
      execl(bin.c_str(), "slapd", "-f", conf.c_str(), "-h", url.c_str(), "-d", "0", (char*)nullptr);
      _exit(127);
    }
    // Ready when a StartTLS bind as a user works (slapd also checks the TLS files then).
    auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("slapd exited at start: " + log());
      }
      std::string why;
      if (wm::server::ldap_simple_bind(ldap(), "uid=lschmidt,ou=staff," + std::string(kBase), kPassword,
                                       why) == wm::server::BindResult::ok)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("slapd did not accept a bind within 10 s: " + log());
  }
  void kill9() {
    if (pid_ <= 0) return;
    if (stopped_) ::kill(pid_, SIGCONT);
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    stopped_ = false;
  }
  // SIGSTOP: the port still accepts TCP connections (the kernel's backlog), nothing answers:
  // a hung directory, the case only a timeout ends.
  void freeze() {
    ::kill(pid_, SIGSTOP);
    stopped_ = true;
  }

  // The settings the broker gets ([security.ldap]).
  wm::core::Ldap ldap(int timeout_s = 2) const {
    wm::core::Ldap l;
    l.url = url();
    l.starttls = true;
    l.bind_dn_template = std::string("uid={login},ou=staff,") + kBase;
    l.ca_file = dir_ + "/ca.pem";
    l.timeout_s = timeout_s;
    return l;
  }
  std::string url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }
  std::string ldaps_url() const { return "ldaps://127.0.0.1:" + std::to_string(tls_port_); }
  std::string ca_file() const { return dir_ + "/ca.pem"; }
  std::string other_ca_file() const { return dir_ + "/other-ca.pem"; }
  std::string log() const {
    std::ifstream in(dir_ + "/slapd.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  wm::test::TempDir dir_tmp_;
  std::string dir_;
  int port_, tls_port_;
  pid_t pid_ = -1;
  bool stopped_ = false;
};

// Whether a slapd of our own can run here: the tools exist, and one starts and takes a bind.
// Asked once; the answer is the precondition of every case that needs slapd.
struct SlapdProbe {
  bool ok = false;
  std::string why;
  SlapdProbe() {
    for (std::string tool : {slapd_binary(), std::string("/usr/sbin/slapadd"), std::string("/usr/sbin/slappasswd")})
      if (::access(tool.c_str(), X_OK) != 0) {
        why = tool + " missing (deploy/install-deps.sh installs slapd)";
        return;
      }
    if (wm::test::run_shell("command -v openssl >/dev/null").status != 0) {
      why = "openssl missing";
      return;
    }
    try {
      Slapd s;
      s.start();
      ok = true;
    } catch (const std::exception& e) {
      why = std::string("slapd cannot run here: ") + e.what();
    }
  }
};

// The precondition (tests/support/preconditions.hpp): skipped, never passed, without slapd.
boost::test_tools::assertion_result slapd_runs() {
  static const SlapdProbe probe;
  if (!probe.ok) return wm::test::unmet(probe.why);
  return true;
}

// The demo county (CURVE, a key per role) with [security.ldap] pointing at `slapd` and three
// auth = "ldap" accounts: two in the directory, one ("mwolf") only in the staff file.
void use_directory(wm::test::BrokerProcess& b, const Slapd& slapd, int timeout_s = 2) {
  fs::path dir = fs::path(b.config_path()).parent_path();
  std::ofstream(dir / "county.toml", std::ios::app)
      << "\n[security.ldap]\n"
      << "url = \"" << slapd.url() << "\"\n"
      << "starttls = true\n"
      << "bind_dn_template = \"uid={login},ou=staff," << kBase << "\"\n"
      << "ca_file = \"" << slapd.ca_file() << "\"\n"
      << "timeout_s = " << timeout_s << "\n";
  std::ofstream(dir / "staff.toml", std::ios::app)
      << "\n[[staff]]\nlogin = \"lschmidt\"\nname = \"Lena Schmidt\"\nroles = [\"counter\"]\n"
         "offices = [\"goerlitz\"]\nauth = \"ldap\"\n"
         "\n[[staff]]\nlogin = \"jkoch\"\nname = \"Jonas Koch\"\nroles = [\"counter\"]\n"
         "offices = [\"goerlitz\"]\nauth = \"ldap\"\n"
         "\n[[staff]]\nlogin = \"mwolf\"\nname = \"Mara Wolf\"\nroles = [\"counter\"]\n"
         "offices = [\"goerlitz\"]\nauth = \"ldap\"\n";
  b.use_config(b.config_path());
}

wm::core::Reply login(wm::core::BrokerClient& c, const std::string& who, const std::string& secret,
                      const std::string& counter = "goerlitz-1") {
  json body{{"login", who}, {"secret", secret}};
  if (!counter.empty()) body["counter"] = counter;
  return c.call("staff.login", body);
}

std::string login_frame(const std::string& id, const std::string& who, const std::string& secret,
                        const std::string& counter) {
  json body{{"login", who}, {"secret", secret}, {"counter", counter}};
  return wm::core::encode_request(wm::core::Request{wm::core::kProtocolVersion, id, "staff.login", body});
}

// A DEALER that sends without waiting for answers, under a station's own key.
struct Dealer {
  zmq::socket_t s;
  Dealer(wm::test::BrokerProcess& b, const std::string& station) : s(b.zmq(), zmq::socket_type::dealer) {
    s.set(zmq::sockopt::linger, 0);
    s.set(zmq::sockopt::rcvtimeo, 20000);
    wm::core::apply_curve(s, b.station_keys(station));
    s.connect(b.command_endpoint());
  }
  void send(const std::string& frame) {
    s.send(zmq::message_t{}, zmq::send_flags::sndmore);
    s.send(zmq::buffer(frame));
  }
  std::optional<wm::core::Reply> recv() {
    zmq::message_t empty, msg;
    if (!s.recv(empty) || !s.recv(msg)) return std::nullopt;
    return wm::core::decode_reply(msg.to_string());
  }
};

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

// The DN is built from the login's characters only; RFC 4514 escaping is the second line.
BOOST_AUTO_TEST_CASE(bind_names_escape_and_refuse_what_could_inject) {
  using wm::server::bind_name;
  using wm::server::escape_dn_value;
  BOOST_TEST(escape_dn_value("a,b+c\"d\\e<f>g;h=i") == "a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h\\=i");
  BOOST_TEST(escape_dn_value(" #x ") == "\\ #x\\ ");
  BOOST_TEST(escape_dn_value("#x") == "\\#x");
  BOOST_TEST(escape_dn_value(std::string("a\0b\nc", 5)) == "a\\00b\\0ac");
  wm::core::Ldap dn;
  dn.bind_dn_template = "uid={login},ou=staff,dc=county,dc=de";
  BOOST_TEST(bind_name(dn, "e.wagner-2") == "uid=e.wagner-2,ou=staff,dc=county,dc=de");
  wm::core::Ldap upn;
  upn.bind_dn_template = "{login}@county.local";
  BOOST_TEST(bind_name(upn, "ewagner") == "ewagner@county.local");
  for (const std::string& bad : std::vector<std::string>{"lschmidt,ou=admins", "*", "lschmidt)(uid=*", "a\\2cb", "x@evil.local",
                          "Lschmidt", "", " lschmidt", "lschmidt\n", std::string("ls\0x", 4),
                          "cn=admin,dc=county,dc=test", std::string(33, 'a')})
    BOOST_TEST(bind_name(dn, bad).empty(), "accepted: " << bad);
}

BOOST_AUTO_TEST_CASE(staff_log_in_with_their_directory_password_over_starttls,
                     *wm::test::when(slapd_runs)) {
  Slapd slapd;
  slapd.start();
  wm::test::BrokerProcess b;
  use_directory(b, slapd);
  b.start();
  auto c = b.client_as("goerlitz-1");  // the counter station's own key, as the counter app

  // The right password: the counter opens for her, roles and offices from the staff file.
  auto t0 = Clock::now();
  auto ok = login(c, "lschmidt", kPassword);
  const double first_ms = ms_since(t0);
  BOOST_TEST(ok.ok, ok.message);
  BOOST_TEST(ok.body["staff"]["login"] == "lschmidt");
  BOOST_TEST(ok.body["staff"]["roles"] == json::array({"counter"}));
  BOOST_TEST(ok.body["staff"]["offices"] == json::array({"goerlitz"}));
  std::vector<double> ms;
  for (int i = 0; i < 5; ++i) {
    auto t = Clock::now();
    BOOST_TEST(login(c, "lschmidt", kPassword).ok);
    ms.push_back(ms_since(t));
  }
  std::sort(ms.begin(), ms.end());
  BOOST_TEST_MESSAGE("LDAP login (StartTLS + bind + counter.open): first " << first_ms << " ms, median "
                     << ms[2] << " ms, max " << ms.back() << " ms");

  // A wrong password, a staff-file account the directory does not know, a login in neither:
  // one answer for all three.
  for (auto [who, secret] : {std::pair<std::string, std::string>{"lschmidt", "Sommer-2025!x"},
                             {"mwolf", kPassword}, {"nobody", kPassword}}) {
    auto r = login(c, who, secret);
    BOOST_TEST(r.error == ErrorCode::forbidden, who << ": " << r.message);
    BOOST_TEST(r.message == "login or PIN wrong");
  }
  // An empty password is an anonymous bind to LDAP: never a login.
  auto empty = login(c, "lschmidt", "");
  BOOST_TEST(!empty.ok);
  BOOST_TEST(empty.error != ErrorCode::unavailable);

  // Injection attempts never reach the directory: refused for the login's characters, even
  // one that names a real directory entry ("lschmidt,admin" exists, with her password).
  std::string before = b.log();
  for (std::string evil : {"lschmidt,admin", "lschmidt\\,admin", "*", "lschmidt)(uid=*",
                           "uid=lschmidt,ou=staff,dc=county,dc=test", "lschmidt@county.test",
                           "LSCHMIDT"}) {
    auto r = login(c, evil, kPassword);
    BOOST_TEST(!r.ok, evil);
    BOOST_TEST(r.error == ErrorCode::bad_field, evil << ": " << r.message);
  }
  std::string log = b.log();
  BOOST_TEST(count(log, "LDAP bind as") == count(before, "LDAP bind as"));  // no bind for those
  // Binds only as staff-file accounts: "nobody" was checked locally, never in the directory.
  BOOST_TEST(log.find("uid=nobody") == std::string::npos);
  BOOST_TEST(log.find("uid=mwolf,ou=staff,dc=county,dc=test': bind: Invalid credentials") != std::string::npos, log);
  // The password is never logged, not even a wrong one.
  BOOST_TEST(log.find(kPassword) == std::string::npos);
  BOOST_TEST(log.find("Sommer-2025!x") == std::string::npos);
  BOOST_TEST(log.find("StartTLS") != std::string::npos);  // the startup line names the TLS mode
}

// Wrong directory passwords count toward the lockout exactly as wrong PINs do: five lock the
// login, the right password is then refused without a bind, and another login is unaffected.
BOOST_AUTO_TEST_CASE(wrong_directory_passwords_lock_like_wrong_pins,
                     *wm::test::when(slapd_runs)) {
  Slapd slapd;
  slapd.start();
  wm::test::BrokerProcess b;
  use_directory(b, slapd);
  b.start();
  auto c = b.client_as("goerlitz-1");
  for (int i = 1; i <= 4; ++i) BOOST_TEST(login(c, "jkoch", "wrong-" + std::to_string(i)).error == ErrorCode::forbidden);
  auto fifth = login(c, "jkoch", "wrong-5");
  BOOST_TEST(fifth.error == ErrorCode::locked, fifth.message);
  std::size_t binds = count(b.log(), "LDAP bind as 'uid=jkoch");
  BOOST_TEST(binds == 5u);
  auto right = login(c, "jkoch", kPassword2);
  BOOST_TEST(right.error == ErrorCode::locked, right.message);
  BOOST_TEST(count(b.log(), "LDAP bind as 'uid=jkoch") == binds);  // not even asked
  BOOST_TEST(b.log().find("staff login 'jkoch' locked after repeated wrong PINs") != std::string::npos);
  auto other = login(c, "lschmidt", kPassword);
  BOOST_TEST(other.ok, other.message);
}

// The directory hangs (SIGSTOP: connections are accepted, nothing answers), then dies
// (SIGKILL: connections refused), then comes back. Logins answer `unavailable` within the
// timeout, nothing is counted toward the lockout, local PINs keep working, and another
// client's pings are answered quickly all along: the binds run on their own thread.
BOOST_AUTO_TEST_CASE(a_dead_directory_answers_unavailable_and_never_stalls_the_broker,
                     *wm::test::when(slapd_runs)) {
  constexpr int kTimeout = 2;
  Slapd slapd;
  slapd.start();
  wm::test::BrokerProcess b;
  use_directory(b, slapd, kTimeout);
  b.start();
  auto c = b.client_as("goerlitz-1");
  BOOST_TEST(login(c, "lschmidt", kPassword).ok);

  // Another client pings all the time; its longest round trip and the broker's own longest
  // reactor iteration (stall_ms, in every ping reply) are what the county would notice.
  std::atomic<bool> done{false};
  double worst_rtt = 0, worst_stall = 0, worst_stall_cpu = 0;
  int pings = 0;
  std::thread pinger([&] {
    auto p = b.client_as("goerlitz-dashboard");
    while (!done.load()) {
      auto t = Clock::now();
      auto pong = p.request("ping");
      worst_rtt = std::max(worst_rtt, ms_since(t));
      worst_stall = std::max(worst_stall, pong.value("stall_ms", -1.0));
      worst_stall_cpu = std::max(worst_stall_cpu, pong.value("stall_cpu_ms", -1.0));
      ++pings;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });

  // Hung: each login waits for the timeout, then `unavailable`. Six in a row (login_attempts
  // is 5): none counted, so the login is not locked afterwards.
  slapd.freeze();
  std::vector<double> hung;
  for (int i = 0; i < 6; ++i) {
    auto t = Clock::now();
    auto r = login(c, "lschmidt", kPassword);
    hung.push_back(ms_since(t));
    BOOST_TEST(r.error == ErrorCode::unavailable, r.message);
    BOOST_TEST(r.message.find("directory") != std::string::npos, r.message);
  }
  // Four logins at once (all queued behind the first bind): every one is answered after about
  // one timeout, not one timeout per login before it.
  Dealer d(b, "goerlitz-1");
  auto t_burst = Clock::now();
  for (int i = 0; i < 4; ++i) d.send(login_frame("burst-" + std::to_string(i), "lschmidt", kPassword, "goerlitz-1"));
  for (int i = 0; i < 4; ++i) {
    auto r = d.recv();
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(r->error == ErrorCode::unavailable, r->message);
  }
  const double burst_ms = ms_since(t_burst);
  BOOST_TEST(burst_ms < kTimeout * 1000 + 1500);
  // A local account is checked on the other verifier thread meanwhile.
  auto local = b.client_as("goerlitz-3");
  auto t_local = Clock::now();
  auto local_ok = login(local, "kschulze", "1234", "goerlitz-3");
  const double local_ms = ms_since(t_local);
  BOOST_TEST(local_ok.ok, local_ok.message);

  // Dead: refused connections are answered at once.
  slapd.kill9();
  std::vector<double> dead;
  for (int i = 0; i < 3; ++i) {
    auto t = Clock::now();
    auto r = login(c, "lschmidt", kPassword);
    dead.push_back(ms_since(t));
    BOOST_TEST(r.error == ErrorCode::unavailable, r.message);
  }
  done.store(true);
  pinger.join();

  std::sort(hung.begin(), hung.end());
  std::sort(dead.begin(), dead.end());
  BOOST_TEST_MESSAGE("directory hung: unavailable after " << hung.front() << ".." << hung.back()
                     << " ms (timeout " << kTimeout << " s), 4 at once all within " << burst_ms
                     << " ms; dead: " << dead.front() << ".."
                     << dead.back() << " ms; a local PIN meanwhile " << local_ms << " ms; other client: "
                     << pings << " pings, worst round trip " << worst_rtt << " ms, longest reactor iteration "
                     << worst_stall << " ms wall / " << worst_stall_cpu << " ms CPU");
  for (double h : hung) {
    BOOST_TEST(h >= kTimeout * 1000 * 0.9);   // it did wait for the directory ...
    BOOST_TEST(h < kTimeout * 1000 + 1500);   // ... and not longer than the timeout
  }
  BOOST_TEST(dead.back() < 1000.0);
  BOOST_TEST(local_ms < 1500.0);
  BOOST_TEST(pings > 100);
  BOOST_TEST(worst_stall_cpu >= 0);
  BOOST_TEST(worst_stall_cpu < 20.0);  // the reactor's own CPU per iteration, as in test_security_login
  BOOST_TEST(worst_stall < 500.0);     // wall clock (a busy machine inflates it): 4x below one timeout
  BOOST_TEST(worst_rtt < 1000.0);      // the other client never waits for a bind
  std::string log = b.log();
  BOOST_TEST(log.find("the LDAP directory is unavailable") != std::string::npos, log);
  BOOST_TEST(log.find("undecided after") != std::string::npos);

  // Back: the same login works (nothing was counted while it was down).
  slapd.start();
  auto back = login(c, "lschmidt", kPassword);
  BOOST_TEST(back.ok, back.message);
  BOOST_TEST(b.running());
}

// The loader refuses plaintext LDAP unless a test allows it, and auth = "ldap" without a
// directory; the broker says loudly when plaintext is allowed.
BOOST_AUTO_TEST_CASE(plaintext_ldap_is_refused_unless_allowed_and_then_logged_loudly) {
  auto county = [](const std::string& ldap) {
    wm::test::TempDir dir;
    std::string path = wm::test::around_the_clock_copy(wm::test::source_path("deploy/config/county.toml"),
                                                       dir.file("config"));
    std::ofstream(path, std::ios::app) << "\n" << ldap;
    try {
      wm::core::load_config(path);
      return std::string();
    } catch (const wm::core::ConfigError& e) {
      return std::string(e.what());
    }
  };
  std::string plain = county("[security.ldap]\nurl = \"ldap://dc1.county.test\"\nstarttls = false\n"
                             "bind_dn_template = \"{login}@county.test\"\n");
  BOOST_TEST(plain.find("security.ldap.starttls: ldap:// without StartTLS sends staff passwords in the clear") !=
             std::string::npos, plain);
  BOOST_TEST(county("[security.ldap]\nurl = \"ldap://dc1.county.test\"\nstarttls = false\n"
                    "allow_plaintext = true\nbind_dn_template = \"{login}@county.test\"\n").empty());
  BOOST_TEST(county("[security.ldap]\nurl = \"ldaps://dc1.county.test ldaps://dc2.county.test\"\n"
                    "bind_dn_template = \"{login}@county.test\"\n").empty());
  std::string mixed = county("[security.ldap]\nurl = \"ldaps://dc1 ldap://dc2\"\nbind_dn_template = \"{login}@x\"\n");
  BOOST_TEST(mixed.find("security.ldap.url") != std::string::npos, mixed);
  std::string no_login = county("[security.ldap]\nurl = \"ldaps://dc1\"\nbind_dn_template = \"uid=x,dc=y\"\n");
  BOOST_TEST(no_login.find("must contain {login}") != std::string::npos, no_login);
  std::string http = county("[security.ldap]\nurl = \"https://dc1\"\nbind_dn_template = \"{login}@x\"\n");
  BOOST_TEST(http.find("is not an LDAP URL") != std::string::npos, http);

  // auth = "ldap" needs the section, and has no password_hash.
  wm::test::TempDir dir;
  std::string path = wm::test::around_the_clock_copy(wm::test::source_path("deploy/config/county.toml"),
                                                     dir.file("config"));
  std::ofstream(fs::path(path).parent_path() / "staff.toml", std::ios::app)
      << "\n[[staff]]\nlogin = \"lschmidt\"\nname = \"L\"\nroles = [\"counter\"]\nauth = \"ldap\"\n"
         "\n[[staff]]\nlogin = \"jkoch\"\nname = \"J\"\nroles = [\"counter\"]\nauth = \"ldap\"\n"
         "password_hash = \"$argon2id$v=19$m=65536,t=2,p=1$x$y\"\n";
  std::string what;
  try {
    wm::core::load_config(path);
  } catch (const wm::core::ConfigError& e) {
    what = e.what();
  }
  BOOST_TEST(what.find("auth = \"ldap\" needs a [security.ldap] section") != std::string::npos, what);
  BOOST_TEST(what.find("has no password_hash") != std::string::npos, what);

  // Allowed plaintext: the broker starts and says so at error level.
  wm::test::BrokerProcess b;
  std::ofstream(b.config_path(), std::ios::app)
      << "\n[security.ldap]\nurl = \"ldap://127.0.0.1:9\"\nstarttls = false\nallow_plaintext = true\n"
         "bind_dn_template = \"uid={login},dc=test\"\nca_file = \"/nonexistent/county-ca.pem\"\n";
  b.use_config(b.config_path());
  b.start();
  BOOST_TEST(b.log().find("IN THE CLEAR") != std::string::npos, b.log());
  // A CA file the broker cannot read is no load error (kiosks share the file), but said at start.
  BOOST_TEST(b.log().find("ca_file /nonexistent/county-ca.pem is not readable") != std::string::npos, b.log());
}

// ldaps:// works as StartTLS does; a certificate that does not chain to ca_file is refused
// before any password is sent (`unavailable`: the directory did not decide), for both.
BOOST_AUTO_TEST_CASE(ldaps_works_and_an_untrusted_certificate_is_refused,
                     *wm::test::when(slapd_runs)) {
  Slapd slapd;
  slapd.start();
  const std::string dn = std::string("uid=lschmidt,ou=staff,") + kBase;
  std::string why;
  auto ldaps = slapd.ldap();
  ldaps.url = slapd.ldaps_url();
  BOOST_TEST((wm::server::ldap_simple_bind(ldaps, dn, kPassword, why) == wm::server::BindResult::ok), why);
  BOOST_TEST((wm::server::ldap_simple_bind(ldaps, dn, "wrong", why) == wm::server::BindResult::refused), why);
  for (auto l : {slapd.ldap(), ldaps}) {
    l.ca_file = slapd.other_ca_file();
    BOOST_TEST((wm::server::ldap_simple_bind(l, dn, kPassword, why) == wm::server::BindResult::unavailable),
               l.url << ": " << why);
    BOOST_TEST_MESSAGE(l.url << " with another CA: " << why);
  }
  // A hung server: the deadline holds in the TLS handshake (ldaps) and in StartTLS alike.
  slapd.freeze();
  for (auto l : {ldaps, slapd.ldap()}) {
    l.timeout_s = 1;
    auto t0 = Clock::now();
    auto pending = std::async(std::launch::async, [l, dn] {
      std::string w;
      auto r = wm::server::ldap_simple_bind(l, dn, kPassword, w);
      return std::make_pair(r, w);
    });
    if (pending.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
      BOOST_ERROR(l.url << ": the bind ignored its 1 s deadline (still running after 5 s)");
      slapd.kill9();  // ends the connection, so the bind returns and the future can be joined
      pending.wait();
      break;
    }
    auto [r, w] = pending.get();
    const double ms = ms_since(t0);
    BOOST_TEST((r == wm::server::BindResult::unavailable), l.url << ": " << w);
    BOOST_TEST(ms < 1600.0, l.url);
    BOOST_TEST_MESSAGE(l.url << " hung: " << w << " after " << ms << " ms");
  }
}

// `wartemarke staff add --ldap`: an account without a PIN, auth = "ldap"; refused without a
// [security.ldap] section.
BOOST_AUTO_TEST_CASE(staff_add_ldap_writes_an_account_without_a_pin) {
  wm::test::TempDir dir;
  std::string county = wm::test::around_the_clock_copy(wm::test::source_path("deploy/config/county.toml"),
                                                       dir.file("config"));
  auto cli = [&](const std::string& args) {
    return wm::test::run_shell("printf '' | " + wm::test::binary_path("wartemarke") + " --config " + county +
                               " " + args + " 2>&1");
  };
  auto refused = cli("staff add lschmidt --role counter --office goerlitz --ldap");
  BOOST_TEST(refused.status == 2, refused.out);
  BOOST_TEST(refused.out.find("needs a [security.ldap] section") != std::string::npos, refused.out);
  std::ofstream(county, std::ios::app) << "\n[security.ldap]\nurl = \"ldaps://dc1.county.test\"\n"
                                          "bind_dn_template = \"{login}@county.test\"\n";
  auto added = cli("staff add lschmidt --role counter --office goerlitz --name 'Lena Schmidt' --ldap");
  BOOST_TEST(added.status == 0, added.out);
  std::ifstream in(fs::path(county).parent_path() / "staff.toml");
  std::string text(std::istreambuf_iterator<char>(in), {});
  auto entry = text.substr(text.find("login = \"lschmidt\""));
  BOOST_TEST(entry.find("auth = \"ldap\"") != std::string::npos, entry);
  BOOST_TEST(entry.find("password_hash") == std::string::npos, entry);
  auto list = cli("--json staff list");
  BOOST_TEST(list.status == 0, list.out);
  bool found = false;
  for (const auto& s : json::parse(list.out))
    if (s["login"] == "lschmidt") found = s["auth"] == "ldap";
  BOOST_TEST(found, list.out);
}
