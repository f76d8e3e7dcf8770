// The real broker under concurrent counters, many tickets, and bad input.
#define BOOST_TEST_MODULE server_broker
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "core/protocol.hpp"
#include "server/store.hpp"
#include "tests/support/broker_process.hpp"

using wm::core::json;
using wm::test::BrokerProcess;

namespace {

json issue(wm::core::BrokerClient& c, const std::string& office, const std::string& service) {
  return c.request("ticket.issue", json{{"office", office}, {"services", {service}}});
}

// Runs SQL on a stopped broker's journal; returns the first column of the last row, or "".
std::string journal_sql(const std::string& data_dir, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  BOOST_REQUIRE(sqlite3_open((data_dir + "/journal.sqlite").c_str(), &db) == SQLITE_OK);
  auto row = [](void* o, int, char** v, char**) {
    *static_cast<std::string*>(o) = v[0] ? v[0] : "";
    return 0;
  };
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), row, &out, &err);
  std::string why = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  BOOST_REQUIRE_MESSAGE(rc == SQLITE_OK, sql << ": " << why);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(two_counters_racing_never_get_the_same_ticket) {
  BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  c.request("counter.open", json{{"counter", "goerlitz-1"}});
  c.request("counter.open", json{{"counter", "goerlitz-2"}});
  const int kTickets = 200;
  for (int i = 0; i < kTickets; ++i) issue(c, "goerlitz", "kfz-neu");

  std::mutex mu;
  std::vector<std::string> called;
  auto work = [&](const std::string& counter) {
    auto client = broker.client();
    while (true) {
      auto r = client.call("counter.next", json{{"counter", counter}});
      if (!r.ok) {
        BOOST_REQUIRE(r.error == wm::core::ErrorCode::queue_empty);
        return;
      }
      {
        std::lock_guard lock(mu);
        called.push_back(r.body["ticket"]["id"]);
      }
      client.request("counter.finish", json{{"counter", counter}});
    }
  };
  std::thread a(work, "goerlitz-1"), b(work, "goerlitz-2");
  a.join();
  b.join();
  std::set<std::string> unique(called.begin(), called.end());
  BOOST_TEST(called.size() == static_cast<std::size_t>(kTickets));
  BOOST_TEST(unique.size() == called.size());
}

BOOST_AUTO_TEST_CASE(two_thousand_tickets_across_offices_get_unique_numbers) {
  BrokerProcess broker;
  broker.start();
  const std::vector<std::pair<std::string, std::string>> targets{
      {"goerlitz", "kfz-neu"}, {"zittau", "kfz-neu"}, {"loebau", "beglaubigung"},
      {"niesky", "buergerberatung"}, {"goerlitz", "buergerberatung"}};
  std::mutex mu;
  std::map<std::string, std::set<std::string>> numbers;  // office -> numbers
  std::atomic<int> total{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      auto c = broker.client();
      for (int i = 0; i < 250; ++i) {
        auto& [office, service] = targets[(t + i) % targets.size()];
        json r = issue(c, office, service);
        std::lock_guard lock(mu);
        BOOST_TEST(numbers[office].insert(r["ticket"]["number"].get<std::string>()).second);
        ++total;
      }
    });
  for (auto& th : threads) th.join();
  BOOST_TEST(total.load() == 2000);
  std::size_t sum = 0;
  for (auto& [o, set] : numbers) sum += set.size();
  BOOST_TEST(sum == 2000u);
  // Goerlitz kfz-neu runs K001..K400 without gaps.
  int k = 0;
  for (const auto& n : numbers["goerlitz"]) k += n[0] == 'K';
  BOOST_TEST(k == 400);
  BOOST_TEST(numbers["goerlitz"].count("K400") == 1);
  BOOST_TEST(numbers["goerlitz"].count("K401") == 0);

  // After a restart the numbering continues, never repeating.
  BOOST_TEST(broker.terminate() == 0);
  broker.start();
  auto c = broker.client();
  BOOST_TEST(issue(c, "goerlitz", "kfz-neu")["ticket"]["number"] == "K401");
}

BOOST_AUTO_TEST_CASE(bad_input_gets_error_replies_and_the_server_stays_up) {
  BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  auto expect = [&](const std::string& frame, const std::string& code) {
    std::string raw = c.raw(frame, std::chrono::seconds(3));
    BOOST_TEST_INFO("frame: " << frame.substr(0, 80));
    auto reply = wm::core::decode_reply(raw);
    BOOST_REQUIRE(reply.has_value());
    BOOST_TEST(!reply->ok);
    BOOST_TEST(std::string(wm::core::to_string(reply->error)) == code);
    BOOST_TEST(!reply->message.empty());
  };
  expect("{not json", "bad_json");
  expect("[1,2,3]", "bad_envelope");
  expect(R"({"v":1,"type":"ping","body":{}})", "bad_envelope");
  expect(R"({"v":99,"id":"a","type":"ping","body":{}})", "unsupported_version");
  expect(R"({"v":"1","id":"a","type":"ping","body":{}})", "bad_envelope");
  expect(R"({"v":1,"id":"b","type":"ticket.explode","body":{}})", "unknown_type");
  expect(R"({"v":1,"id":"c","type":"ticket.issue","body":{"office":"goerlitz"}})", "bad_field");
  expect(R"({"v":1,"id":"d","type":"ticket.issue","body":{"office":"goerlitz","services":"kfz-neu"}})",
         "bad_field");
  expect(R"({"v":1,"id":"e","type":"ticket.issue","body":{"office":"goerlitz","services":["kfz-neu"],"priority":"vip"}})",
         "bad_field");
  expect(R"({"v":1,"id":"f","type":"ticket.issue","body":{"office":"atlantis","services":["kfz-neu"]}})",
         "not_found");
  expect(R"({"v":1,"id":"g","type":"counter.next","body":{"counter":"goerlitz-1","x":1}})", "bad_field");
  expect(R"({"v":1,"id":"h","type":"counter.finish","body":{"counter":"goerlitz-1"}})", "invalid_state");
  expect(std::string(R"({"v":1,"id":"i","type":"ping","body":{"pad":")") +
             std::string(wm::core::kMaxRequestBytes, 'x') + "\"}}",
         "too_large");
  std::string invalid_utf8 = "{\"v\":1,\"id\":\"j\",\"type\":\"ping\",\"body\":{\"x\":\"\xff\xfe\"}}";
  expect(invalid_utf8, "bad_json");
  // A frame far above the socket's limit is dropped by ZeroMQ (the peer is disconnected);
  // the server must simply go on.
  {
    auto big = broker.client();
    big.raw(std::string(wm::core::kMaxRequestBytes * 8, '{'), std::chrono::milliseconds(300));
  }
  // Still serving, state untouched by all of the above.
  json status = c.request("status", json{{"office", "goerlitz"}});
  BOOST_TEST(status["offices"][0]["issued_today"] == 0);
  BOOST_TEST(issue(c, "goerlitz", "kfz-neu")["ticket"]["number"] == "K001");
}

BOOST_AUTO_TEST_CASE(a_retry_with_the_same_id_returns_the_first_answer) {
  BrokerProcess broker;
  broker.start();
  auto c = broker.client();
  std::string frame =
      R"({"v":1,"id":"retry-1","type":"ticket.issue","body":{"office":"zittau","services":["kfz-neu"]}})";
  auto first = wm::core::decode_reply(c.raw(frame, std::chrono::seconds(3)));
  auto second = wm::core::decode_reply(c.raw(frame, std::chrono::seconds(3)));
  BOOST_REQUIRE(first && second);
  BOOST_TEST(first->body.dump() == second->body.dump());
  // Still the same after a restart: the answer is journaled with the ticket.
  broker.kill9();
  broker.start();
  auto c2 = broker.client();
  auto third = wm::core::decode_reply(c2.raw(frame, std::chrono::seconds(3)));
  BOOST_REQUIRE(third);
  BOOST_TEST(first->body.dump() == third->body.dump());
  json status = c2.request("status", json{{"office", "zittau"}});
  BOOST_TEST(status["offices"][0]["issued_today"] == 1);
}

namespace {
// Answers `frame` on a fresh broker, then turns its journal back into what schema 1 wrote
// (replies in `requests`, keyed by request id alone); returns the first answer.
std::optional<wm::core::Reply> answered_then_schema_1(BrokerProcess& broker, const std::string& frame) {
  broker.start();
  auto first = wm::core::decode_reply(broker.client().raw(frame, std::chrono::seconds(3)));
  BOOST_TEST(broker.terminate() == 0);
  journal_sql(broker.data_dir(),
              "BEGIN;"
              "CREATE TABLE requests(id TEXT PRIMARY KEY, time INTEGER NOT NULL, reply TEXT NOT NULL);"
              "CREATE INDEX requests_time ON requests(time);"
              "INSERT INTO requests(id, time, reply) SELECT id, time, reply FROM replies;"
              "DROP TABLE replies;"
              "UPDATE meta SET value='1' WHERE key='schema_version';"
              "COMMIT;");
  BOOST_TEST(journal_sql(broker.data_dir(), "SELECT COUNT(*) FROM requests") == "1");
  return first;
}
const std::string kBeforeUpgrade =
    R"({"v":1,"id":"before-upgrade","type":"ticket.issue","body":{"office":"zittau","services":["kfz-neu"]}})";
}  // namespace

// Journal schema 1 kept the replies in `requests`, keyed by request id. A broker of today
// migrates such a journal on start, and a retry of a request answered before the upgrade
// still gets its first answer from the plain-transport operator ("local"), who sent them all.
BOOST_AUTO_TEST_CASE(a_schema_1_journal_is_migrated_and_earlier_retries_still_answer) {
  // Plain transport on purpose: pre-upgrade replies name no sender, and only on plain
  // transport is every sender the same one ("local", server/broker.cpp); the CURVE case is
  // the next test.
  BrokerProcess broker(wm::test::Transport::plain);
  const std::string& frame = kBeforeUpgrade;
  auto first = answered_then_schema_1(broker, frame);
  BOOST_REQUIRE(first);

  broker.start();
  auto c = broker.client();
  auto again = wm::core::decode_reply(c.raw(frame, std::chrono::seconds(3)));
  BOOST_REQUIRE(again);
  BOOST_TEST(again->body.dump() == first->body.dump());
  BOOST_TEST(issue(c, "zittau", "kfz-neu")["ticket"]["number"] == "K002");
  BOOST_TEST(broker.log().find("journal schema 1 migrated to 3") != std::string::npos);
  BOOST_TEST(broker.terminate() == 0);
  BOOST_TEST(journal_sql(broker.data_dir(), "SELECT value FROM meta WHERE key='schema_version'") == "3");
  BOOST_TEST(journal_sql(broker.data_dir(),
                         "SELECT COUNT(*) FROM sqlite_master WHERE name='requests'") == "0");
  BOOST_TEST(journal_sql(broker.data_dir(), "SELECT COUNT(*) FROM replies") == "2");
}

// The same upgrade under CURVE: a reply that names no sender cannot be matched to a key, so
// it answers no retry (no device gets another's answer); the retry is decided afresh, and
// the broker says how many such replies it set aside.
BOOST_AUTO_TEST_CASE(a_schema_1_journal_under_curve_answers_no_retry_with_an_unowned_reply) {
  BrokerProcess broker;
  auto first = answered_then_schema_1(broker, kBeforeUpgrade);
  BOOST_REQUIRE(first);
  BOOST_REQUIRE(first->ok);

  broker.start();
  auto again = wm::core::decode_reply(broker.client().raw(kBeforeUpgrade, std::chrono::seconds(3)));
  BOOST_REQUIRE(again);
  BOOST_TEST(again->ok);
  BOOST_TEST(again->body["ticket"]["number"] == "K002");  // a new ticket, not the first answer
  BOOST_TEST(again->body["ticket"]["id"] != first->body["ticket"]["id"]);
  BOOST_TEST(broker.log().find("journal schema 1 migrated to 3") != std::string::npos);
  BOOST_TEST(broker.log().find("name no sender; their retries are decided afresh") != std::string::npos,
             broker.log());
}

// Replies are kept for the retry window by journal row: each commit reports the rows, a row
// reads back its reply, and pruning through a row forgets exactly the older ones.
BOOST_AUTO_TEST_CASE(replies_are_kept_by_row_and_pruned_by_row) {
  wm::test::TempDir dir;
  wm::server::Store store(dir.path().string());
  std::vector<std::int64_t> rows;
  for (int b = 0; b < 3; ++b) {
    wm::server::Batch batch;
    batch.time = 1000 * (b + 1);
    batch.replies = {{"r" + std::to_string(b) + "a", "reply a" + std::to_string(b), "local", 1},
                     {"r" + std::to_string(b) + "b", "reply b" + std::to_string(b), "local", 2}};
    store.commit(batch);
    BOOST_REQUIRE(batch.reply_rows.size() == 2);
    rows.insert(rows.end(), batch.reply_rows.begin(), batch.reply_rows.end());
  }
  BOOST_TEST(std::is_sorted(rows.begin(), rows.end()));
  BOOST_TEST(store.reply_at(rows[3]).value_or("") == "reply b1");
  BOOST_TEST(store.replies_since(2000).size() == 4);  // batches at 2000 and 3000
  store.prune_replies(rows[3]);
  BOOST_TEST(!store.reply_at(rows[3]).has_value());
  BOOST_TEST(store.reply_at(rows[4]).value_or("") == "reply a2");
  auto left = store.replies_since(0);
  BOOST_REQUIRE(left.size() == 2);
  BOOST_TEST(left[0].id == "r2a");
  BOOST_TEST(left[0].row == rows[4]);
}
