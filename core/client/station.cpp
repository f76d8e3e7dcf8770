// Station: one thread follows the event feed, one runs requests and the heartbeat ping.
#include "core/client/station.hpp"

#include <spdlog/spdlog.h>

#include "core/client/event_feed.hpp"
#include "core/clock.hpp"

namespace wm::core {

Station::Station(std::shared_ptr<const Region> region, StationOptions options)
    : region_(std::move(region)), options_(std::move(options)) {
  state_ = std::make_shared<const State>(region_);
  feed_thread_ = std::thread([this] { feed_loop(); });
  request_thread_ = std::thread([this] { request_loop(); });
}

Station::~Station() {
  stop_ = true;
  jobs_cv_.notify_all();
  if (feed_thread_.joinable()) feed_thread_.join();
  if (request_thread_.joinable()) request_thread_.join();
  // Anyone still waiting learns that nothing happened.
  for (auto& job : jobs_) {
    Reply r;
    r.error = ErrorCode::unavailable;
    r.message = "station closed";
    if (job.done) job.done(r);
  }
}

void Station::notify() {
  if (options_.on_change) options_.on_change();
}

void Station::submit(const std::string& type, const json& body,
                     std::function<void(const Reply&)> done) {
  submit(type, body, std::string(), std::move(done));
}

void Station::submit(const std::string& type, const json& body, const std::string& request_id,
                     std::function<void(const Reply&)> done) {
  {
    std::lock_guard lock(jobs_mu_);
    jobs_.push_back(Job{type, body, std::move(done), request_id});
  }
  jobs_cv_.notify_one();
}

std::future<Reply> Station::submit(const std::string& type, const json& body) {
  auto promise = std::make_shared<std::promise<Reply>>();
  auto future = promise->get_future();
  submit(type, body, [promise](const Reply& r) { promise->set_value(r); });
  return future;
}

std::shared_ptr<const State> Station::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::vector<Event> Station::take_events() {
  std::lock_guard lock(mu_);
  std::vector<Event> out;
  out.swap(events_);
  return out;
}

Millis Station::broker_now() const {
  std::lock_guard lock(mu_);
  if (!broker_time_) return real_now();
  auto local = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - broker_time_at_).count();
  return broker_time_ + static_cast<Millis>(local * clock_speed_);
}

void Station::feed_loop() {
  EventFeed feed(context_, options_.command_endpoint, options_.event_endpoint, region_,
                 options_.office, options_.curve);
  if (options_.kind == "counter" || options_.kind == "dashboard" || options_.kind == "backoffice")
    feed.refresh_on(EventFeed::staff_refresh_types());
  int snapshots = 0, refreshes = 0;
  while (!stop_) {
    auto events = feed.poll(std::chrono::milliseconds(50));
    bool resynced = feed.snapshots_taken() != snapshots;
    bool refreshed = feed.refreshes_taken() != refreshes;
    snapshots = feed.snapshots_taken();
    refreshes = feed.refreshes_taken();
    bool was_online = online_.load();
    online_ = feed.online();
    if (feed.online()) has_data_ = true;
    if (!events.empty() || resynced || refreshed) {
      auto copy = std::make_shared<const State>(feed.state());
      std::lock_guard lock(mu_);
      state_ = std::move(copy);
      // After a re-snapshot, events from before it are history, not news.
      if (resynced) events_.clear();
      for (auto& e : events) events_.push_back(std::move(e));
    }
    if (feed.online()) {
      std::lock_guard lock(mu_);
      broker_time_ = feed.broker_now();
      broker_time_at_ = std::chrono::steady_clock::now();
    }
    if (!events.empty() || resynced || refreshed || was_online != online_.load()) notify();
  }
}

void Station::request_loop() {
  BrokerClient client(context_, options_.command_endpoint, options_.curve);
  auto last_ping = std::chrono::steady_clock::time_point{};
  bool introduced = false;
  while (!stop_) {
    Job job;
    {
      std::unique_lock lock(jobs_mu_);
      jobs_cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stop_ || !jobs_.empty(); });
      if (stop_) return;
      if (!jobs_.empty()) {
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
    }
    auto now = std::chrono::steady_clock::now();
    if (job.type.empty()) {
      if (now - last_ping < std::chrono::seconds(1)) continue;
      last_ping = now;
      try {
        json body = json{{"client", options_.kind.empty() ? "cli" : options_.kind}};
        if (!options_.name.empty()) body["name"] = options_.name;
        if (!options_.office.empty()) body["office"] = options_.office;
        // Pings repeat who we are: a broker that restarted knows the station again at once.
        json hello = client.request(introduced ? "ping" : "hello", body,
                                    std::chrono::milliseconds(900));
        std::lock_guard lock(mu_);
        clock_speed_ = hello.value("clock_speed", 1.0);
        introduced = true;
      } catch (const std::exception&) {
        introduced = false;  // say hello again once the broker is back
      }
      continue;
    }
    Reply reply;
    try {
      reply = client.call(job.type, job.body, job.request_id, options_.request_timeout);
    } catch (const std::exception& e) {
      reply.ok = false;
      reply.error = ErrorCode::unavailable;
      reply.message = e.what();
    }
    if (job.done) job.done(reply);
    notify();
  }
}

}  // namespace wm::core
