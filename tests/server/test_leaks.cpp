// The leak test (issue 14): a CURVE broker with a key per role in two offices; every free-text
// field carries a unique sentinel, and nothing a role must not see reaches it, neither on the
// event socket (subscribed to everything) nor in snapshot/status/stats replies. After the
// retention period no sealed text is left in plaintext in the journal, checkpoints or a backup.
#define BOOST_TEST_MODULE server_leaks
#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "core/client/curve.hpp"
#include "tests/support/broker_process.hpp"

using wm::core::json;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kOffices{"goerlitz", "zittau"};
const std::vector<std::string> kRoles{"kiosk", "display", "counter", "dashboard", "backoffice"};
const std::map<std::string, std::string> kClerk{{"goerlitz", "tweber"}, {"zittau", "mrichter"}};

std::string device(const std::string& role, const std::string& office) {
  if (role == "kiosk") return office + "-kiosk-1";
  if (role == "display") return office + "-display-eg";
  if (role == "counter") return office + "-1";  // a counter key is named after its counter
  if (role == "dashboard") return office + "-head";
  return "backoffice-" + office;
}

// The free text of one office: a sentinel per field, unique in the whole test.
struct Texts {
  std::string notes, question, park, cancel, outcome, detail, case_outcome;
  explicit Texts(const std::string& o)
      : notes("NOTE-" + o + "-Herr Max Mustermann geb. 01.02.1970 GdB 50"),
        question("QUESTION-" + o + "-Diabetes?"),
        park("PARK-" + o + "-Kennzeichen"),
        cancel("CANCEL-" + o + "-verzogen"),
        outcome("OUTCOME-" + o),
        detail("DETAIL-" + o + "-Papierstau"),
        case_outcome("CASEOUTCOME-" + o) {}
};

struct Traffic {
  std::map<std::string, Texts> texts;
  std::map<std::string, std::string> case_id;  // by office
  std::set<std::string> tokens;
};

long checkpoints(const std::string& data_dir) {
  sqlite3* db = nullptr;
  sqlite3_open_v2((data_dir + "/journal.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  long n = -1;
  if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM checkpoints", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct LeakBroker {
  wm::test::BrokerProcess broker{{"--clock-start", "2026-11-23T09:00", "--checkpoint-every", "1"}};  // CURVE
  std::map<std::string, wm::core::CurveKeys> keys;

  // Beside the fixture's standard keys, one per role and office under the station names the
  // traffic uses, and the admin's command-line tool (role cli).
  LeakBroker() {
    std::vector<wm::test::TestDevice> devices{{"admin-cli", "cli", {}}};
    for (const auto& o : kOffices)
      for (const auto& r : kRoles) devices.push_back({device(r, o), r, {o}});
    for (const auto& d : devices) keys[d.name] = broker.register_device(d);
    broker.start();
  }
  wm::core::BrokerClient as(const std::string& name) {
    return wm::core::BrokerClient(broker.zmq(), broker.command_endpoint(), keys.at(name));
  }
};

// One office's day: every message with free text, its sentinel in each.
void run_office(LeakBroker& b, const std::string& o, Traffic& t) {
  const Texts& x = t.texts.at(o);
  auto kiosk = b.as(device("kiosk", o));
  auto counter = b.as(device("counter", o));
  auto back = b.as(device("backoffice", o));
  auto admin = b.as("admin-cli");
  kiosk.request("hello", json{{"client", "kiosk"}, {"name", device("kiosk", o)}});
  std::vector<std::string> tickets;
  for (int i = 0; i < 3; ++i) {
    json r = kiosk.request("ticket.issue", json{{"office", o}, {"services", {"kfz-neu"}}});
    t.tokens.insert(r["token"].get<std::string>());
    tickets.push_back(r["ticket"]["id"]);
  }
  counter.request("staff.login", json{{"login", kClerk.at(o)}, {"secret", "1234"}, {"counter", device("counter", o)}});
  counter.request("counter.next", json{{"counter", device("counter", o)}});
  counter.request("counter.start", json{{"counter", device("counter", o)}});
  json fin = counter.request("counter.finish", json{{"counter", device("counter", o)}, {"forward", true},
                                                    {"notes", x.notes}, {"outcome", x.outcome}});
  t.case_id[o] = fin["case"];
  counter.request("counter.next", json{{"counter", device("counter", o)}});
  counter.request("counter.park", json{{"counter", device("counter", o)}, {"reason", x.park}});
  admin.request("ticket.cancel", json{{"ticket", tickets[2]}, {"reason", x.cancel}});
  kiosk.request("device.status", json{{"device", device("kiosk", o)}, {"state", "paper_low"},
                                      {"detail", x.detail}});
  back.request("case.claim", json{{"case", t.case_id[o]}, {"staff", "hzimmermann"}});
  back.request("case.return", json{{"case", t.case_id[o]}, {"question", x.question}, {"staff", "hzimmermann"}});
  back.request("case.claim", json{{"case", t.case_id[o]}, {"staff", "hzimmermann"}});
  counter.request("counter.panic", json{{"counter", device("counter", o)}});
}

// What a role in `office` must never receive.
std::vector<std::string> forbidden(const Traffic& t, const std::string& role, const std::string& office) {
  std::vector<std::string> out(t.tokens.begin(), t.tokens.end());  // status-page tokens: nobody
  for (const auto& o : kOffices) {
    const Texts& x = t.texts.at(o);
    const bool own = o == office;
    out.push_back(x.cancel);  // sealed, read back by no screen
    const bool screen = role == "kiosk" || role == "display";
    if (screen || !own) {
      for (const auto& s : {x.park, x.outcome, x.detail, x.question, x.notes, kClerk.at(o), t.case_id.at(o)})
        out.push_back(s);
    } else {
      if (role != "backoffice") out.push_back(x.notes);               // notes: back office only
      if (role == "dashboard") out.push_back(x.question);            // question: its counter
    }
  }
  if (role == "kiosk" || role == "display") out.push_back("hzimmermann");
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_role_receives_what_it_must_not_see_and_sealed_text_leaves_no_trace) {
  LeakBroker b;
  Traffic t;
  for (const auto& o : kOffices) t.texts.emplace(o, Texts(o));

  // Every key subscribes to everything ("") before anything happens.
  std::map<std::string, zmq::socket_t> subs;
  for (const auto& o : kOffices)
    for (const auto& r : kRoles) {
      zmq::socket_t s(b.broker.zmq(), zmq::socket_type::sub);
      s.set(zmq::sockopt::subscribe, "");
      s.set(zmq::sockopt::linger, 0);
      wm::core::apply_curve(s, b.keys.at(device(r, o)));
      s.connect(b.broker.event_endpoint());
      subs.emplace(device(r, o), std::move(s));
    }
  std::this_thread::sleep_for(700ms);  // CURVE handshakes and subscriptions settle
  for (const auto& o : kOffices) run_office(b, o, t);
  std::this_thread::sleep_for(1500ms);  // the events and a heartbeat or two arrive

  int checked = 0;
  for (const auto& o : kOffices)
    for (const auto& r : kRoles) {
      const std::string name = device(r, o);
      std::string received;
      int frames = 0;
      zmq::message_t m;
      while (subs.at(name).recv(m, zmq::recv_flags::dontwait)) {
        received += m.to_string();
        received += '\n';
        ++frames;
      }
      BOOST_TEST_CONTEXT(name) {
        BOOST_TEST(frames > 20, "the event socket delivered only " << frames << " frames");
        BOOST_TEST(received.find("ticket.forwarded") != std::string::npos);  // it did see the events
        auto c = b.as(name);
        std::string replies;
        for (const json& body : {json::object(), json{{"office", "goerlitz"}}, json{{"office", "zittau"}}}) {
          replies += c.call("snapshot", body).body.dump();
          replies += c.call("status", body).body.dump();
          json stats = body;
          stats["day"] = "2026-11-23";
          replies += c.call("stats", stats).body.dump();
        }
        for (const auto& secret : forbidden(t, r, o)) {
          BOOST_TEST(received.find(secret) == std::string::npos, "event socket delivered " << secret);
          BOOST_TEST(replies.find(secret) == std::string::npos, "a reply delivered " << secret);
          ++checked;
        }
        // Positive controls: what the role is there for does arrive.
        const Texts& x = t.texts.at(o);
        if (r == "dashboard" || r == "counter" || r == "backoffice") {
          BOOST_TEST(replies.find(kClerk.at(o)) != std::string::npos, "own office's staff missing");
          BOOST_TEST(replies.find(x.park) != std::string::npos, "own park reason missing");
        }
        if (r == "counter") BOOST_TEST(replies.find(x.question) != std::string::npos);
        if (r == "backoffice") {
          BOOST_TEST(replies.find(x.notes) != std::string::npos, "the back office lacks the note");
          json cases = c.request("case.list", json::object());
          BOOST_TEST(cases.dump().find(x.notes) != std::string::npos);
          BOOST_TEST(cases.dump().find(x.question) != std::string::npos);
          const std::string other = o == "goerlitz" ? "zittau" : "goerlitz";
          BOOST_TEST(cases.dump().find(t.texts.at(other).notes) == std::string::npos);
        }
      }
    }
  BOOST_TEST(checked >= 150);

  // After the retention period (retention_hours = 0: the end of the day): a restart on the next
  // day purges the sealed texts, a new event forces a checkpoint, and a backup is taken.
  BOOST_REQUIRE(b.broker.terminate() == 0);
  b.broker.set_extra_args({"--clock-start", "2026-11-24T09:00", "--checkpoint-every", "1"});
  b.broker.start();
  b.as("goerlitz-kiosk-1").request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-neu"}}});
  json cases = b.as("backoffice-goerlitz").request("case.list", json::object());
  BOOST_TEST(cases["cases"].size() >= 1u);
  BOOST_TEST(cases.dump().find(t.texts.at("goerlitz").notes) == std::string::npos, "a note outlived retention");
  const std::string backup = b.broker.data_dir() + "/leak-backup.sqlite";
  std::string cmd = wm::test::binary_path("wartemarke") + " backup -d " + b.broker.data_dir() + " " + backup +
                    " >/dev/null 2>&1";
  BOOST_REQUIRE(std::system(cmd.c_str()) == 0);
  BOOST_REQUIRE(std::filesystem::exists(backup));
  BOOST_TEST(b.broker.log().find("checkpoint failed") == std::string::npos);
  BOOST_REQUIRE(b.broker.terminate() == 0);
  BOOST_TEST(checkpoints(b.broker.data_dir()) >= 1);  // the state as checkpointed is searched too
  int files = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(b.broker.data_dir())) {
    if (!f.is_regular_file()) continue;
    ++files;
    const std::string bytes = slurp(f.path());
    for (const auto& o : kOffices) {
      const Texts& x = t.texts.at(o);
      for (const auto& s : {x.notes, x.question, x.park, x.cancel})
        BOOST_TEST(bytes.find(s) == std::string::npos, f.path().filename() << " holds " << s);
    }
  }
  BOOST_TEST(files >= 2);
  BOOST_TEST(b.broker.log().find(t.texts.at("goerlitz").notes) == std::string::npos);
}
