// EventFeed against a scripted broker (a ROUTER and a PUB in this test): a heartbeat that was
// published before a snapshot and is read after it is not a loss; a real gap, a heartbeat
// ahead of the replica, and another history later on still re-synchronise.
#define BOOST_TEST_MODULE core_event_feed
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "core/client/event_feed.hpp"
#include "tests/core/scenario.hpp"

using namespace wm;
using core::json;
using namespace std::chrono_literals;

namespace {

// Answers ping and snapshot like the broker; the snapshot is the state after the first
// `snap_at` journal events, and `on_snapshot` runs just before it is answered.
struct FakeBroker {
  explicit FakeBroker(const test::Scenario& s) : journal(s.journal), region(test::small_region()) {
    commands = "tcp://127.0.0.1:" + std::to_string(test::free_port());
    events = "tcp://127.0.0.1:" + std::to_string(test::free_port());
    router.bind(commands);
    pub.bind(events);
    thread = std::thread([this] { serve(); });
  }
  ~FakeBroker() {
    stop = true;
    thread.join();
  }
  void publish_event(std::size_t k) {  // journal[k-1], i.e. seq k
    const core::Event& e = journal.at(k - 1);
    send("o/" + e.office + "/", core::event_to_json(e).dump());
  }
  void heartbeat(std::uint64_t seq) {
    send("hb", json{{"v", 1}, {"type", "heartbeat"}, {"seq", seq}, {"oseq", json::object()},
                    {"time", core::real_now()}}.dump());
  }
  void send(const std::string& topic, const std::string& payload) {
    std::lock_guard lock(pub_mu);
    pub.send(zmq::buffer(topic), zmq::send_flags::sndmore);
    pub.send(zmq::buffer(payload));
  }
  void serve() {
    while (!stop) {
      zmq::pollitem_t items[] = {{router.handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 1, 10ms);
      if (!(items[0].revents & ZMQ_POLLIN)) continue;
      std::vector<zmq::message_t> frames;
      do {
        zmq::message_t m;
        (void)router.recv(m);
        frames.push_back(std::move(m));
      } while (frames.back().more());
      auto decoded = core::decode_request(frames.back().to_string_view());
      const auto& req = std::get<core::Request>(decoded);
      json body;
      if (req.type == "snapshot") {
        ++snapshots;
        std::function<void()> hook;
        {
          std::lock_guard lock(hook_mu);
          hook = on_snapshot;
        }
        if (hook) hook();
        core::State st(region);
        for (std::size_t i = 0; i < snap_at; ++i) st.apply(journal[i]);
        body = st.snapshot({});
      } else {
        body = json{{"time", core::real_now()}, {"seq", snap_at.load()}, {"clock_speed", 1.0}};
      }
      std::string reply = core::encode_ok(req.id, body);
      router.send(frames[0], zmq::send_flags::sndmore);
      router.send(zmq::message_t{}, zmq::send_flags::sndmore);
      router.send(zmq::buffer(reply));
    }
  }

  std::vector<core::Event> journal;
  std::shared_ptr<const core::Region> region;
  zmq::context_t ctx{1};
  zmq::socket_t router{ctx, zmq::socket_type::router};
  zmq::socket_t pub{ctx, zmq::socket_type::pub};
  std::mutex pub_mu;
  std::string commands, events;
  std::atomic<std::size_t> snap_at{0};
  std::atomic<int> snapshots{0};
  std::mutex hook_mu;
  std::function<void()> on_snapshot;  // under hook_mu
  void set_hook(std::function<void()> f) {
    std::lock_guard lock(hook_mu);
    on_snapshot = std::move(f);
  }
  std::atomic<bool> stop{false};
  std::thread thread;
};

}  // namespace

BOOST_AUTO_TEST_CASE(stale_heartbeat_after_a_snapshot_is_not_a_loss) {
  test::Scenario s;
  for (int i = 0; i < 8; ++i) {
    s.advance(1);
    s.issue(i % 2 ? "o1" : "o2", {"a"});
  }
  BOOST_REQUIRE(s.journal.size() == 8u);
  FakeBroker fake(s);
  zmq::context_t ctx{1};
  core::EventFeed feed(ctx, fake.commands, fake.events, fake.region);
  BOOST_REQUIRE(feed.poll(50ms).empty());
  BOOST_TEST(feed.snapshots_taken() == 1);
  // Until the subscription has reached the publisher, nothing arrives: repeat event 1.
  std::vector<core::Event> got;
  for (int i = 0; i < 200 && got.empty(); ++i) {
    fake.snap_at = 1;
    fake.publish_event(1);
    got = feed.poll(10ms);
  }
  BOOST_REQUIRE(got.size() == 1u);
  BOOST_TEST(feed.state().seq() == 1u);
  const int before = feed.snapshots_taken();

  // Event 3 without 2: a gap, so a new snapshot. While the broker serves it, a heartbeat at
  // seq 3 goes out and then events 4 and 5: the snapshot (seq 5) is newer than the heartbeat
  // the feed reads after it.
  fake.set_hook([&] {
    fake.heartbeat(3);
    fake.publish_event(4);
    fake.publish_event(5);
    fake.snap_at = 5;
    std::this_thread::sleep_for(50ms);  // they are queued at the feed before the answer
  });
  fake.snap_at = 3;
  fake.publish_event(3);
  std::vector<core::Event> folded;  // 3, 4 and 5 are in the snapshot: state, not news
  for (int i = 0; i < 10; ++i)
    for (auto& e : feed.poll(20ms)) folded.push_back(std::move(e));
  for (const auto& e : folded) BOOST_TEST(e.seq > 5u, "handed out although in the snapshot: #" << e.seq);
  BOOST_TEST(feed.snapshots_taken() == before + 1);
  BOOST_TEST(feed.state().seq() == 5u);
  BOOST_TEST(feed.online());
  fake.set_hook(nullptr);
  fake.snap_at = 6;
  fake.publish_event(6);
  got.clear();
  for (int i = 0; i < 20 && got.empty(); ++i) got = feed.poll(20ms);
  BOOST_REQUIRE(got.size() == 1u);
  BOOST_TEST(got[0].seq == 6u);
  fake.heartbeat(6);
  (void)feed.poll(50ms);
  BOOST_TEST(feed.snapshots_taken() == before + 1);  // in step: no snapshot

  // A heartbeat ahead of the replica is a loss at once.
  fake.snap_at = 7;
  fake.heartbeat(7);
  for (int i = 0; i < 10; ++i) (void)feed.poll(20ms);
  BOOST_TEST(feed.snapshots_taken() == before + 2);
  BOOST_TEST(feed.state().seq() == 7u);

  // Long after a snapshot, a heartbeat behind the replica is another history (a broker that
  // restarted with a shorter journal): re-synchronise to it.
  std::this_thread::sleep_for(2100ms);
  fake.snap_at = 4;
  fake.heartbeat(4);
  for (int i = 0; i < 10; ++i) (void)feed.poll(20ms);
  BOOST_TEST(feed.snapshots_taken() == before + 3);
  BOOST_TEST(feed.state().seq() == 4u);
}
