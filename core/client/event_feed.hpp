// Follows the broker's event stream and keeps a replica of the state: subscribe first, take a
// snapshot, drop what the snapshot already has, re-snapshot on a gap or after silence.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "core/client/broker_client.hpp"
#include "core/state.hpp"

namespace wm::core {

class EventFeed {
 public:
  // `office` empty = follow the whole region.
  EventFeed(zmq::context_t& context, const std::string& command_endpoint,
            const std::string& event_endpoint, std::shared_ptr<const Region> region,
            std::string office = {}, std::optional<CurveKeys> keys = std::nullopt);

  // Waits up to `wait` for events (returning as soon as some arrived), applies them to the
  // replica and returns the new ones (in order). Takes the snapshot first if needed. Never
  // throws for network trouble; see online().
  std::vector<Event> poll(std::chrono::milliseconds wait);

  const State& state() const { return *state_; }
  // A heartbeat or event arrived within the last 3 seconds and the replica is in sync.
  bool online() const;
  // How many snapshots were taken (1 at start, +1 per gap, silence or broker restart).
  int snapshots_taken() const { return snapshots_; }
  // Broker time at the last heartbeat or snapshot, adjusted by the local time since.
  Millis broker_now() const;
  const std::string& office() const { return office_; }
  // Staff screens: the PUB socket carries only public fields (core/visibility), so after an
  // event of one of these types the feed takes a fresh (projected) snapshot for the staff
  // fields it lacks: at most one every 100 ms. Events the refresh already holds are still
  // handed out (a panic alarm is never lost to a refresh).
  void refresh_on(std::vector<std::string> types) { refresh_types_ = std::move(types); }
  int refreshes_taken() const { return refreshes_; }
  // The event types a counter, dashboard or back-office screen refreshes on.
  static const std::vector<std::string>& staff_refresh_types();

 private:
  bool take_snapshot(bool refresh = false);
  void handle(const json& msg, std::vector<Event>& out);
  std::uint64_t position() const;

  zmq::context_t& context_;
  std::string command_endpoint_;
  std::shared_ptr<const Region> region_;
  std::string office_;
  std::optional<CurveKeys> keys_;
  zmq::socket_t sub_;
  std::unique_ptr<State> state_;
  bool synced_ = false;
  int snapshots_ = 0;
  int refreshes_ = 0;
  std::vector<std::string> refresh_types_;
  bool refresh_due_ = false;
  std::uint64_t handed_ = 0;  // position up to which events were handed out
  std::chrono::steady_clock::time_point last_heard_{};
  std::chrono::steady_clock::time_point snapshot_at_{};  // when the last snapshot was loaded
  Millis broker_time_ = 0;
  std::chrono::steady_clock::time_point broker_time_at_{};
  double clock_speed_ = 1.0;
};

}  // namespace wm::core
