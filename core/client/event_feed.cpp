// EventFeed: SUB socket plus snapshot requests; the replica applies the broker's own events.
#include "core/client/event_feed.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace wm::core {

namespace {
constexpr auto kSilence = std::chrono::seconds(3);
constexpr auto kRefreshEvery = std::chrono::milliseconds(100);
// Heartbeats published before a snapshot may still be queued when it is loaded; they lag
// behind it without anything being lost. Heartbeats arrive every second and are read within
// one poll, so a heartbeat behind the replica after this long means another history.
constexpr auto kStaleHeartbeats = std::chrono::seconds(2);
}

EventFeed::EventFeed(zmq::context_t& context, const std::string& command_endpoint,
                     const std::string& event_endpoint, std::shared_ptr<const Region> region,
                     std::string office, std::optional<CurveKeys> keys)
    : context_(context),
      command_endpoint_(command_endpoint),
      region_(std::move(region)),
      office_(std::move(office)),
      keys_(std::move(keys)),
      sub_(context, zmq::socket_type::sub),
      state_(std::make_unique<State>(region_)) {
  sub_.set(zmq::sockopt::linger, 0);
  sub_.set(zmq::sockopt::rcvhwm, 100000);
  sub_.set(zmq::sockopt::reconnect_ivl, 100);
  sub_.set(zmq::sockopt::reconnect_ivl_max, 2000);
  sub_.set(zmq::sockopt::subscribe, "hb");
  if (office_.empty()) {
    sub_.set(zmq::sockopt::subscribe, "o/");
  } else {
    sub_.set(zmq::sockopt::subscribe, "o/" + office_ + "/");
  }
  sub_.set(zmq::sockopt::subscribe, "r/");
  if (keys_) apply_curve(sub_, *keys_);
  sub_.connect(event_endpoint);
}

std::uint64_t EventFeed::position() const {
  return office_.empty() ? state_->seq() : state_->office_seq(office_);
}

bool EventFeed::online() const {
  return synced_ && std::chrono::steady_clock::now() - last_heard_ < kSilence;
}

Millis EventFeed::broker_now() const {
  auto local = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - broker_time_at_)
                   .count();
  return broker_time_ + static_cast<Millis>(local * clock_speed_);
}

const std::vector<std::string>& EventFeed::staff_refresh_types() {
  // The types whose office-staff fields State::apply keeps and staff screens draw: counter
  // staff, park reasons, cases, device details, station presence.
  static const std::vector<std::string> types{
      "counter.changed", "ticket.parked", "ticket.cancelled", "ticket.forwarded", "case.claimed",
      "case.done",       "case.returned", "device.status",    "client.online",    "client.offline"};
  return types;
}

bool EventFeed::take_snapshot(bool refresh) {
  try {
    BrokerClient client(context_, command_endpoint_, keys_);
    // A bare ping (no "client"): the broker's time and clock speed, without this short-lived
    // socket registering as a station of some kind in the broker's client list and log.
    json hello = client.request("ping", json::object(), std::chrono::seconds(2));
    clock_speed_ = hello.value("clock_speed", 1.0);
    json body = office_.empty() ? json::object() : json{{"office", office_}};
    json snap = client.request("snapshot", body, std::chrono::seconds(3));
    state_->load_snapshot(snap);
    broker_time_ = hello.value("time", Millis{0});
    broker_time_at_ = std::chrono::steady_clock::now();
    synced_ = true;
    refresh_due_ = false;
    if (refresh) {
      ++refreshes_;
    } else {
      ++snapshots_;
      handed_ = position();  // what a re-synchronisation folded in is history, not news
    }
    last_heard_ = snapshot_at_ = std::chrono::steady_clock::now();
    return true;
  } catch (const std::exception& e) {
    spdlog::warn("snapshot failed: {}", e.what());
    synced_ = false;
    return false;
  }
}

void EventFeed::handle(const json& msg, std::vector<Event>& out) {
  if (msg.value("type", "") == "heartbeat") {
    broker_time_ = msg.value("time", Millis{0});
    broker_time_at_ = std::chrono::steady_clock::now();
    std::uint64_t head = office_.empty()
                             ? msg.value("seq", std::uint64_t{0})
                             : msg.value("oseq", json::object()).value(office_, std::uint64_t{0});
    // Everything published before this heartbeat has arrived, so a heartbeat ahead of the
    // replica means a loss. One behind it is either from before the snapshot (still queued:
    // ignore it — re-snapshotting would drop the events handed out meanwhile and, under steady
    // traffic, repeat forever) or, later on, a broker that restarted with another history.
    const bool stale = std::chrono::steady_clock::now() - snapshot_at_ < kStaleHeartbeats;
    if (head > position() || (head < position() && !stale)) synced_ = false;
    return;
  }
  Event e = event_from_json(msg);
  std::uint64_t pos = office_.empty() ? e.seq : e.oseq;
  if (pos <= position()) {  // the snapshot already has it
    if (pos > handed_) {     // ... but a refresh took it: still news for the screen
      handed_ = pos;
      out.push_back(std::move(e));
    }
    return;
  }
  if (pos != position() + 1) {
    synced_ = false;
    return;
  }
  try {
    state_->apply(e);
    handed_ = pos;
    if (!refresh_types_.empty() &&
        std::find(refresh_types_.begin(), refresh_types_.end(), e.type) != refresh_types_.end())
      refresh_due_ = true;
    out.push_back(std::move(e));
  } catch (const std::exception& ex) {
    spdlog::warn("event {} does not apply to the replica ({}); re-synchronising", e.seq, ex.what());
    synced_ = false;
  }
}

std::vector<Event> EventFeed::poll(std::chrono::milliseconds wait) {
  std::vector<Event> out;
  auto deadline = std::chrono::steady_clock::now() + wait;
  bool silent = std::chrono::steady_clock::now() - last_heard_ >= kSilence;
  if (synced_ && !silent && refresh_due_ &&
      std::chrono::steady_clock::now() - snapshot_at_ >= kRefreshEvery)
    take_snapshot(/*refresh=*/true);
  if (!synced_ || silent) {
    if (!take_snapshot()) {
      // Keep draining so stale events do not pile up while the broker is away.
      zmq::message_t m;
      while (sub_.recv(m, zmq::recv_flags::dontwait)) {
      }
      return out;
    }
  }
  while (true) {
    auto now = std::chrono::steady_clock::now();
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    zmq::pollitem_t items[] = {{sub_.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, std::max(left, std::chrono::milliseconds(0)));
    if (!(items[0].revents & ZMQ_POLLIN)) break;
    while (true) {
      zmq::message_t topic, payload;
      if (!sub_.recv(topic, zmq::recv_flags::dontwait)) break;
      if (!topic.more() || !sub_.recv(payload, zmq::recv_flags::dontwait)) continue;
      last_heard_ = std::chrono::steady_clock::now();
      json msg = json::parse(payload.to_string_view(), nullptr, false);
      if (msg.is_discarded() || !msg.is_object()) continue;
      try {
        handle(msg, out);
      } catch (const std::exception& ex) {
        spdlog::warn("malformed event ignored: {}", ex.what());
      }
      if (!synced_) {
        take_snapshot();
        return out;
      }
    }
    // Hand new events over at once: waiting out `wait` here delayed every call on a display
    // by up to that long (50 ms in Station).
    if (!out.empty() || std::chrono::steady_clock::now() >= deadline) break;
  }
  return out;
}

}  // namespace wm::core
