// The back-office gateway against the real broker on CURVE, as installed (a key per role, the
// gateway's own with role backoffice): exactly-once files through random kills, personal data
// removed after acknowledgement, a missing or unusable drop folder waits, and a gateway without
// a key, with an unregistered one or with the wrong role says so instead of going quiet.
#define BOOST_TEST_MODULE server_gateway
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/broker_process.hpp"

namespace fs = std::filesystem;
using wm::core::json;
using namespace std::chrono_literals;

namespace {

// wartemarke-backoffice as a child process, killable like the broker. `env` ("NAME=value")
// is its whole key setup: WARTEMARKE_KEY / WARTEMARKE_SERVER_KEY, as its unit's environment file.
class GatewayProcess {
 public:
  GatewayProcess(const wm::test::BrokerProcess& broker, fs::path drop, fs::path log,
                 std::vector<std::string> env = {}, std::string config = {})
      : broker_(broker), drop_(std::move(drop)), log_(std::move(log)), env_(std::move(env)),
        config_(config.empty() ? broker.config_path() : std::move(config)) {}
  ~GatewayProcess() { kill9(); }
  void start() {
    std::vector<std::string> args{wm::test::binary_path("wartemarke-backoffice"), "--config",
                                  config_, "--commands", broker_.command_endpoint(),
                                  "--events", broker_.event_endpoint(), "--drop-dir",
                                  drop_.string(), "--poll-ms", "300"};
    pid_ = fork();
    if (pid_ == 0) {
      int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      unsetenv("WARTEMARKE_KEY");  // only what the test gives
      unsetenv("WARTEMARKE_SERVER_KEY");
      for (auto& e : env_) putenv(e.data());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  void kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // The exit status if the process ended within `timeout`, else -1 (still running).
  int exit_status(std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0 && std::chrono::steady_clock::now() < until) {
      int st = 0;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      }
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }
  std::string log() const {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  const wm::test::BrokerProcess& broker_;
  fs::path drop_, log_;
  std::vector<std::string> env_;
  std::string config_;
  pid_t pid_ = -1;
};

// The fixture's CURVE broker plus the devices of one office under their station ids, as an
// admin registers them: the kiosk, counter goerlitz-1, the gateway (backoffice, every office).
// The broker's own client() is the admin's. Key files are written as the apps read them.
struct CurveCounty {
  wm::test::BrokerProcess broker;
  wm::test::TempDir keys_dir;  // keys that the broker does not know
  explicit CurveCounty(std::vector<std::string> extra = {}) : broker(std::move(extra)) {
    broker.register_device({"goerlitz-kiosk-1", "kiosk", {"goerlitz"}});
    broker.register_device({"goerlitz-1", "counter", {"goerlitz"}});
    broker.register_device({"eakte-gateway", "backoffice", {}});
    // An unregistered key, as a gateway set up on a new machine and not yet registered.
    wm::core::write_key_file(keys_dir.file("stranger.key"), wm::core::generate_key_pair(),
                             "stranger", true);
    broker.start();
  }
  // The environment the gateway's unit gives it, with the key file of `device`.
  std::vector<std::string> env_for(const std::string& device) { return broker.env(device); }
  wm::core::BrokerClient client(const std::string& device) { return broker.client_as(device); }
};

std::vector<fs::path> case_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json" && e.path().filename().string()[0] != '.')
      out.push_back(e.path());
  return out;
}

bool wait_for(const std::function<bool()>& ok, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (ok()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return ok();
}

json identity(int i) {
  return json{{"surname", "Mustermann"},        {"given_names", "Erika " + std::to_string(i)},
              {"birth_date", "1964-08-12"},     {"nationality", "DEU"},
              {"document_number", "T22" + std::to_string(100000 + i)},
              {"expiry", "2031-10-31"},         {"document_type", "ID"}};
}

// Issue (with consent and ID data), call at `counter`, finish with forward. Returns case id.
std::string forward_one(wm::core::BrokerClient& c, const std::string& counter, int i,
                        std::chrono::milliseconds timeout = 30s) {
  auto call = [&](const std::string& type, const json& body) {
    wm::core::Reply r = c.call(type, body, timeout, 300ms);
    if (!r.ok) throw std::runtime_error(type + ": " + r.message);
    return r.body;
  };
  json t = call("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}},
                                     {"consent", true}, {"identity", identity(i)}});
  call("counter.call", json{{"counter", counter}, {"ticket", t["ticket"]["id"]}});
  json f = call("counter.finish", json{{"counter", counter}, {"forward", true},
                                       {"outcome", "Unterlagen fehlen"},
                                       {"notes", "Fall " + std::to_string(i)}});
  return f.at("case");
}

void open_counters(wm::core::BrokerClient& c, int n) {
  for (int i = 1; i <= n; ++i)
    c.request("counter.open", json{{"counter", "goerlitz-" + std::to_string(i)}, {"staff", "tweber"}});
}

long long sql_count(const std::string& db_path, const char* sql) {
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  BOOST_REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
  long long n = -1;
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(five_hundred_cases_through_random_kills_become_exactly_five_hundred_files) {
  CurveCounty county;
  auto& broker = county.broker;
  wm::test::TempDir tmp;
  fs::path drop = tmp.path() / "eakte-eingang";
  fs::create_directories(drop);
  GatewayProcess gateway(broker, drop, tmp.path() / "gateway.log", county.env_for("eakte-gateway"));
  gateway.start();
  {
    auto c = broker.client();
    open_counters(c, 5);
  }
  constexpr int kThreads = 5, kPerThread = 100;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::string> cases[kThreads];
  std::atomic<std::size_t> progress[kThreads] = {};
  std::vector<std::thread> workers;
  for (int w = 0; w < kThreads; ++w)
    workers.emplace_back([&, w] {
      // The admin's key: it opens five counters without PINs (the role walk is its own case).
      auto c = broker.client();
      for (int i = 0; i < kPerThread; ++i) {
        try {
          cases[w].push_back(forward_one(c, "goerlitz-" + std::to_string(w + 1), w * kPerThread + i));
          ++progress[w];
        } catch (const std::exception& e) {
          BOOST_TEST_MESSAGE("worker " << w << ": " << e.what());
          ++failures;
        }
      }
    });
  // Kill the broker, the gateway or both at random moments while cases flow: at a random
  // point within each block of ~100 finished cases, so the kills always land mid-run however
  // fast the machine is.
  std::mt19937 rng(20261122);
  int kills = 0;
  auto finished = [&] {
    std::size_t n = 0;
    for (int w = 0; w < kThreads; ++w) n += progress[w].load();
    return n;
  };
  std::thread killer([&] {
    for (std::size_t block = 0; block < 4 && !done.load(); ++block) {
      std::size_t at = block * 100 + 40 + rng() % 50;
      while (!done.load() && finished() < at) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      if (done.load()) break;
      int what = static_cast<int>(rng() % 3);
      if (what != 1) broker.kill9();
      if (what != 0) gateway.kill9();
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 200));
      if (what != 1) broker.start();
      if (what != 0) gateway.start();
      ++kills;
    }
  });
  for (auto& t : workers) t.join();
  done = true;
  killer.join();
  BOOST_TEST_MESSAGE("random kills during the run: " << kills);
  BOOST_TEST(failures.load() == 0);
  BOOST_TEST(kills >= 3);

  std::set<std::string> expected;
  for (auto& list : cases) expected.insert(list.begin(), list.end());
  BOOST_TEST(expected.size() == 500u);
  BOOST_REQUIRE(wait_for([&] { return case_files(drop).size() >= 500; }, 30s));
  std::this_thread::sleep_for(600ms);  // anything extra would show up now
  auto files = case_files(drop);
  BOOST_TEST(files.size() == 500u);
  std::set<std::string> seen_cases, seen_docs;
  for (const auto& f : files) {
    std::ifstream in(f);
    json doc = json::parse(in, nullptr, false);
    BOOST_REQUIRE_MESSAGE(!doc.is_discarded(), f << " is not valid JSON");
    BOOST_TEST(doc["format"] == "wartemarke-case");
    BOOST_TEST(doc["version"] == 1);
    BOOST_TEST(f.stem().string() == doc["case_id"].get<std::string>());
    BOOST_TEST(expected.count(doc["case_id"].get<std::string>()) == 1u);
    BOOST_TEST(doc["office"]["name"] == "Bürgerbüro Görlitz");
    BOOST_TEST(doc["outcome"] == "Unterlagen fehlen");
    BOOST_REQUIRE(doc["identity"].is_object());
    BOOST_TEST(doc["identity"]["surname"] == "Mustermann");
    seen_cases.insert(doc["case_id"]);
    seen_docs.insert(doc["identity"]["document_number"].get<std::string>());
  }
  BOOST_TEST(seen_cases.size() == 500u);
  BOOST_TEST(seen_docs.size() == 500u);  // no visitor's case twice under two ids
  // No case was written twice: each delivery is logged at most once over all restarts.
  std::string log = gateway.log();
  std::size_t delivered_lines = 0;
  for (const auto& id : expected) {
    std::size_t n = 0;
    for (std::size_t p = log.find("case " + id + " delivered"); p != std::string::npos;
         p = log.find("case " + id + " delivered", p + 1))
      ++n;
    BOOST_TEST(n <= 1u, id);
    delivered_lines += n;
  }
  BOOST_TEST_MESSAGE("delivery lines logged: " << delivered_lines);
  // The personal data left the broker once the gateway acknowledged.
  auto c = broker.client();
  BOOST_REQUIRE(wait_for([&] { return c.request("outbox.fetch", json::object())["cases"].empty(); }, 10s));
  gateway.kill9();
  broker.terminate();
  std::string db = broker.data_dir() + "/journal.sqlite";
  BOOST_TEST(sql_count(db, "SELECT COUNT(*) FROM personal") == 0);
  BOOST_TEST(sql_count(db, "SELECT COUNT(*) FROM outbox WHERE identity IS NOT NULL") == 0);
  BOOST_TEST(sql_count(db, "SELECT COUNT(*) FROM outbox WHERE delivered IS NOT NULL") == 500);
}

BOOST_AUTO_TEST_CASE(missing_or_unusable_drop_folder_makes_cases_wait_then_delivers) {
  CurveCounty county;
  auto& broker = county.broker;
  wm::test::TempDir tmp;
  fs::path drop = tmp.path() / "not-yet";
  GatewayProcess gateway(broker, drop, tmp.path() / "gateway.log", county.env_for("eakte-gateway"));
  gateway.start();
  auto c = broker.client();
  open_counters(c, 1);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(forward_one(c, "goerlitz-1", i));
  BOOST_TEST(wait_for([&] { return gateway.log().find("does not exist") != std::string::npos; }, 5s));
  BOOST_TEST(c.request("outbox.fetch", json::object())["cases"].size() == 3u);
  BOOST_TEST(!fs::exists(drop));

  // A file where the folder should be: "not a directory", still waiting.
  { std::ofstream(drop.string()) << "x"; }
  BOOST_TEST(wait_for([&] { return gateway.log().find("is not a directory") != std::string::npos; }, 5s));
  BOOST_TEST(c.request("outbox.fetch", json::object())["cases"].size() == 3u);
  fs::remove(drop);

  // Not writable (only testable without root: root writes anywhere).
  if (geteuid() != 0) {
    fs::create_directories(drop);
    fs::permissions(drop, fs::perms::owner_read | fs::perms::owner_exec);
    BOOST_TEST(wait_for([&] { return gateway.log().find("not writable") != std::string::npos; }, 5s));
    BOOST_TEST(c.request("outbox.fetch", json::object())["cases"].size() == 3u);
    fs::permissions(drop, fs::perms::owner_all);
  } else {
    fs::create_directories(drop);
  }
  BOOST_REQUIRE(wait_for([&] { return case_files(drop).size() == 3; }, 10s));
  // The gateway acknowledges each file after writing it and says the problem is over after
  // the batch: both come a moment after the last file appears (checking at once was a race).
  BOOST_TEST(wait_for([&] { return gateway.log().find("delivering again") != std::string::npos; }, 5s));
  BOOST_TEST(wait_for([&] { return c.request("outbox.fetch", json::object())["cases"].empty(); }, 5s));

  // Hand-off latency: forward → complete file in the drop folder.
  std::vector<double> ms;
  for (int i = 0; i < 20; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    std::string id = forward_one(c, "goerlitz-1", 100 + i);
    BOOST_REQUIRE(wait_for([&] { return fs::exists(drop / (id + ".json")); }, 5s));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  BOOST_TEST_MESSAGE("hand-off latency (issue+call+forward → file), ms: median " << ms[10] << ", max "
                                                                               << ms.back());
  BOOST_TEST(ms[10] < 1000.0);
}

BOOST_AUTO_TEST_CASE(outbox_and_identity_requests_refuse_bad_input) {
  CurveCounty county;
  auto c = county.broker.client();  // the admin's key: every type passes the permission check
  auto err = [&](const std::string& type, const json& body) {
    wm::core::Reply r = c.call(type, body, 5s, 300ms);
    BOOST_TEST(!r.ok, type);
    return r.error;
  };
  BOOST_TEST(err("outbox.ack", json{{"case", "nope"}}) == wm::core::ErrorCode::not_found);
  BOOST_TEST(err("outbox.ack", json::object()) == wm::core::ErrorCode::bad_field);
  BOOST_TEST(err("outbox.fetch", json{{"limit", "many"}}) == wm::core::ErrorCode::bad_field);
  BOOST_TEST(err("identity.read", json::object()) == wm::core::ErrorCode::bad_field);
  BOOST_TEST(err("identity.read", json{{"counter", "nowhere-9"}}) == wm::core::ErrorCode::not_found);
  BOOST_TEST(err("identity.read", json{{"counter", "goerlitz-1"}}) == wm::core::ErrorCode::forbidden);
  BOOST_TEST(err("identity.read", json{{"case", "nope"}, {"staff", "hzimmermann"}}) ==
             wm::core::ErrorCode::not_found);
}

BOOST_AUTO_TEST_CASE(a_case_goes_kiosk_to_counter_to_drop_folder_with_one_key_per_role) {
  CurveCounty county({"--clock-start", "2026-11-23T09:00"});
  wm::test::TempDir tmp;
  fs::path drop = tmp.path() / "eakte-eingang";
  fs::create_directories(drop);
  GatewayProcess gateway(county.broker, drop, tmp.path() / "gateway.log", county.env_for("eakte-gateway"));
  gateway.start();
  auto kiosk = county.client("goerlitz-kiosk-1");
  auto counter = county.client("goerlitz-1");
  // The counter station works only with a person logged in by PIN (demo staff).
  auto login = counter.call("staff.login", json{{"login", "tweber"}, {"secret", "1234"}, {"counter", "goerlitz-1"}});
  BOOST_REQUIRE_MESSAGE(login.ok, login.message);
  json t = kiosk.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}},
                                              {"consent", true}, {"identity", identity(7)}});
  counter.request("counter.call", json{{"counter", "goerlitz-1"}, {"ticket", t["ticket"]["id"]}});
  json f = counter.request("counter.finish", json{{"counter", "goerlitz-1"}, {"forward", true},
                                                  {"outcome", "Unterlagen fehlen"}});
  std::string id = f.at("case");
  BOOST_REQUIRE(wait_for([&] { return fs::exists(drop / (id + ".json")); }, 10s));
  std::ifstream in(drop / (id + ".json"));
  json doc = json::parse(in, nullptr, false);
  BOOST_REQUIRE(!doc.is_discarded());
  BOOST_TEST(doc["identity"]["document_number"] == "T22100007");
  BOOST_TEST(doc["counter"]["id"] == "goerlitz-1");
  // Only the backoffice key reads the outbox: kiosk and counter keys are refused.
  BOOST_TEST(kiosk.call("outbox.fetch", json::object()).error == wm::core::ErrorCode::forbidden);
  BOOST_TEST(counter.call("outbox.fetch", json::object()).error == wm::core::ErrorCode::forbidden);
  auto admin = county.broker.client();
  BOOST_TEST(wait_for([&] { return admin.request("outbox.fetch", json::object())["cases"].empty(); }, 5s));
  BOOST_TEST(gateway.log().find("(CURVE)") != std::string::npos, gateway.log());
}

BOOST_AUTO_TEST_CASE(a_gateway_without_a_usable_key_is_refused_and_says_why) {
  CurveCounty county({"--clock-start", "2026-11-23T09:00"});
  wm::test::TempDir tmp;
  fs::path drop = tmp.path() / "eakte-eingang";
  fs::create_directories(drop);
  auto admin = county.broker.client();
  open_counters(admin, 1);
  std::string id = forward_one(admin, "goerlitz-1", 1);
  auto waiting = [&] { return admin.request("outbox.fetch", json::object())["cases"].size(); };

  // No key at all (a config copied from a plain test machine): the handshake fails, and the
  // gateway says the broker wants CURVE, not just "unreachable".
  GatewayProcess keyless(county.broker, drop, tmp.path() / "keyless.log");
  keyless.start();
  BOOST_TEST(wait_for([&] { return keyless.log().find("requires CURVE and the gateway has no key") !=
                                   std::string::npos; }, 10s), keyless.log());
  keyless.kill9();

  // A key nobody registered: the broker's ZAP handler refuses it.
  std::vector<std::string> env = county.env_for("eakte-gateway");
  env[0] = "WARTEMARKE_KEY=" + county.keys_dir.file("stranger.key");
  GatewayProcess stranger(county.broker, drop, tmp.path() / "stranger.log", env);
  stranger.start();
  BOOST_TEST(wait_for([&] { return stranger.log().find("refused the gateway's key") != std::string::npos; }, 10s),
             stranger.log());
  stranger.kill9();

  // A registered key of the wrong role (a counter's): connected, but the outbox is forbidden.
  GatewayProcess counter(county.broker, drop, tmp.path() / "counter.log", county.env_for("goerlitz-1"));
  counter.start();
  BOOST_TEST(wait_for([&] { return counter.log().find("broker refused outbox.fetch") != std::string::npos; }, 10s),
             counter.log());
  counter.kill9();
  BOOST_TEST(county.broker.log().find("forbidden outbox.fetch from goerlitz-1") != std::string::npos);

  // A CURVE configuration (as packaged) and no key: it stops at once with status 2 and the reason.
  fs::path config = tmp.path() / "config";
  fs::create_directories(config);
  for (const auto& f : fs::directory_iterator(fs::path(county.broker.config_path()).parent_path()))
    if (f.path().extension() == ".toml") fs::copy_file(f.path(), config / f.path().filename());
  {
    std::ifstream in(config / "county.toml");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    auto at = text.find("transport = \"plain\"");
    BOOST_REQUIRE(at != std::string::npos);
    text.replace(at, 19, "transport = \"curve\"");
    std::ofstream(config / "county.toml") << text;
  }
  GatewayProcess strict(county.broker, drop, tmp.path() / "strict.log", {}, (config / "county.toml").string());
  strict.start();
  BOOST_TEST(strict.exit_status(10s) == 2);
  BOOST_TEST(strict.log().find("WARTEMARKE_KEY") != std::string::npos, strict.log());

  // None of them took the case; the registered gateway then delivers it.
  BOOST_TEST(case_files(drop).empty());
  BOOST_TEST(waiting() == 1u);
  GatewayProcess gateway(county.broker, drop, tmp.path() / "gateway.log", county.env_for("eakte-gateway"));
  gateway.start();
  BOOST_TEST(wait_for([&] { return fs::exists(drop / (id + ".json")); }, 10s), gateway.log());
}
