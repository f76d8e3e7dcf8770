// The past-day statistics thread (see stats_worker.hpp).
#include "server/stats_worker.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "core/clock.hpp"
#include "core/state.hpp"
#include "server/day_rollups.hpp"
#include "server/store.hpp"

namespace wm::server {
namespace {

// Event-less days after a day with events are rolled up in the same pass, up to this many (a
// dashboard pages back through holidays without a replay each; a year-long gap is not filled).
constexpr int kGapRollups = 62;

}  // namespace

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
    if (!rollups_) rollups_ = std::make_unique<DayRollups>(data_dir_);
    if ((r.stats = rollups_->get(job.day))) {
      r.from_disk = true;
      return r;
    }
    // One pass from the start: every finished day it crosses is rolled up on the way, so a
    // dashboard paging back through 40 days replays the journal once, not 40 times.
    const std::string today = core::local_day(job.now);
    JournalReader journal(data_dir_);
    core::State state(region_);
    std::string day;  // of the events applied last
    struct PastTheDay {};
    auto close_day = [&](const std::string& finished) {
      // Seen from today, the day is over: every bucket has ended, no forecasts, and visitors
      // never called do not count as waiting on (core/stats).
      core::DayStats stats = core::compute_day_stats(state, finished, job.now);
      if (finished < today) rollups_->put(finished, stats);
      if (finished == job.day) r.stats = std::move(stats);
    };
    // Days without events of their own after `from` and before `until` end as `from` left the
    // state: rolled up too when the gap is short (a weekend, holidays); the asked one always.
    auto close_gap = [&](const std::string& from, const std::string& until) {
      auto noon = core::local_time_of(from, "12:00");
      for (int k = 1; noon && k <= kGapRollups; ++k) {
        std::string gap = core::local_day(*noon + k * 86'400'000LL);
        if (gap >= until || gap >= today) break;
        if (gap != job.day) close_day(gap);
      }
    };
    try {
      journal.for_each_event(0, [&](core::Event&& e) {
        const std::string d = core::local_day(e.time);
        if (d != day) {
          if (!day.empty() && day <= job.day) close_day(day);  // a day ends: roll it up
          if (!day.empty() && day < job.day) close_gap(day, d);
          if (day < job.day && job.day < d) close_day(job.day);
          if (d > job.day) throw PastTheDay{};
          day = d;
        }
        state.apply(e);
        ++r.events;
      });
      // The journal ends on or before the asked day: it and the days up to it ended as the
      // journal does.
      if (!day.empty()) close_day(day);
      if (!day.empty() && day < job.day) close_gap(day, today);
      if (day < job.day) close_day(job.day);
    } catch (const PastTheDay&) {
    }
  } catch (const std::exception& e) {
    r.stats.reset();
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
