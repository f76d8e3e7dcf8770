// The past-day statistics thread (see stats_worker.hpp).
#include "server/stats_worker.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "core/clock.hpp"
#include "core/state.hpp"
#include "server/store.hpp"

namespace wm::server {

StatsWorker::StatsWorker(zmq::context_t& context, std::shared_ptr<const core::Region> region,
                         std::string data_dir)
    : region_(std::move(region)),
      data_dir_(std::move(data_dir)),
      endpoint_("inproc://wm-past-stats-" + std::to_string(reinterpret_cast<std::uintptr_t>(this))),
      context_(context),
      results_(context, zmq::socket_type::pull) {
  results_.set(zmq::sockopt::linger, 0);
  results_.bind(endpoint_);  // before the worker connects
  worker_ = std::thread([this] { run(); });
}

StatsWorker::~StatsWorker() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
  results_.close();
}

void StatsWorker::submit(const std::string& day, core::Millis now) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(Job{day, now});
  }
  cv_.notify_one();
}

std::optional<StatsWorker::Result> StatsWorker::take() {
  zmq::message_t msg;
  if (!results_.recv(msg, zmq::recv_flags::dontwait)) return std::nullopt;
  std::lock_guard lock(mu_);
  if (done_.empty()) return std::nullopt;  // not reached: one message per result
  Result r = std::move(done_.front());
  done_.pop_front();
  return r;
}

StatsWorker::Result StatsWorker::replay(const Job& job) {
  Result r;
  r.day = job.day;
  auto started = std::chrono::steady_clock::now();
  try {
    JournalReader journal(data_dir_);
    core::State state(region_);
    struct PastTheDay {};
    try {
      // Events are in time order: the first event of a later day ends the replay.
      journal.for_each_event(0, [&](core::Event&& e) {
        if (core::local_day(e.time) > job.day) throw PastTheDay{};
        state.apply(e);
        ++r.events;
      });
    } catch (const PastTheDay&) {
    }
    // Seen from today, the day is over: every bucket has ended, no forecasts, and visitors
    // never called do not count as waiting on (core/stats).
    r.stats = core::compute_day_stats(state, job.day, job.now);
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return r;
}

void StatsWorker::run() {
  zmq::socket_t out(context_, zmq::socket_type::push);
  out.set(zmq::sockopt::linger, 0);
  out.set(zmq::sockopt::sndhwm, 0);  // never drop a "look": one per result
  out.connect(endpoint_);
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
    if (stop_) break;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    Result r = replay(job);
    lock.lock();
    done_.push_back(std::move(r));
    lock.unlock();
    try {
      out.send(zmq::str_buffer("r"), zmq::send_flags::none);
    } catch (const zmq::error_t& e) {  // the context is ending: the broker is stopping
      spdlog::debug("past-day statistics not delivered: {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace wm::server
