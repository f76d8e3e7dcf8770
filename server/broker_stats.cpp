// The broker's station presence (client.online / client.offline), the scheduled day close and
// the `stats` request.
#include <spdlog/spdlog.h>

#include <chrono>
#include <set>

#include "core/clock.hpp"
#include "core/day_close.hpp"
#include "core/protocol.hpp"
#include "core/stats.hpp"
#include "server/broker.hpp"

namespace wm::server {
namespace {

// Only stations whose absence an office head must see; tools and dashboards come and go.
bool tracked(const ClientInfo& c) {
  return !c.name.empty() && (c.kind == "kiosk" || c.kind == "counter" || c.kind == "display");
}

core::Event presence_event(const ClientInfo& c, bool online) {
  core::Event e;
  e.office = c.office;
  e.type = online ? "client.online" : "client.offline";
  e.body = core::json{{"kind", c.kind}, {"name", c.name}};
  return e;
}

}  // namespace

void Broker::add_event(core::Event e, Batch& batch, std::vector<core::Event>& published) {
  e.seq = state_->seq() + 1;
  e.oseq = e.office.empty() ? 0 : state_->office_seq(e.office) + 1;
  e.time = options_.clock.now();
  state_->apply(e);
  batch.events.push_back(e);
  published.push_back(std::move(e));
}

void Broker::note_presence(const ClientInfo& client, Batch& batch,
                           std::vector<core::Event>& published) {
  if (!tracked(client)) return;
  const auto& presence = state_->presence();
  auto it = presence.find(client.name);
  if (it != presence.end() && it->second.online) return;
  add_event(presence_event(client, true), batch, published);
}

void Broker::expire_presence(const std::vector<ClientInfo>& gone) {
  Batch batch;
  batch.time = options_.clock.now();
  std::vector<core::Event> published;
  std::set<std::string> alive;
  for (const auto& [id, c] : clients_)
    if (tracked(c)) alive.insert(c.name);
  for (const auto& c : gone) {
    if (!tracked(c) || alive.count(c.name)) continue;
    auto it = state_->presence().find(c.name);
    if (it == state_->presence().end() || !it->second.online) continue;
    add_event(presence_event(c, false), batch, published);
  }
  // After a restart the journal still says "online" for stations that never came back.
  if (core::real_now() - started_at_ > options_.client_expiry_ms) {
    std::vector<core::Presence> stale;
    for (const auto& [name, p] : state_->presence())
      if (p.online && !alive.count(name)) stale.push_back(p);
    for (const auto& p : stale)
      add_event(presence_event(ClientInfo{p.kind, p.name, p.office, 0}, false), batch, published);
  }
  if (batch.events.empty()) return;
  try {
    store_->commit(batch);
  } catch (const std::exception& e) {
    spdlog::error("journal commit of presence failed: {}", e.what());
    recover();
    return;
  }
  for (auto& e : published) publish(e);
}

// Checked every second with the heartbeat: the broker's clock (simulated or not) decides, and a
// broker that was down at closing time closes the day when it comes back.
void Broker::close_due_days() {
  Batch batch;
  batch.time = options_.clock.now();
  std::vector<core::Event> published;
  for (const auto& office : region_->offices) {
    auto day = core::day_to_close(*state_, office, batch.time);
    if (!day) continue;
    core::Event e;
    e.office = office.id;
    e.type = "day.closed";
    e.body = core::day_closed_body(*state_, office.id, *day, "schedule");
    spdlog::info("day {} of {} closed: {} ticket(s), {} counter(s)", *day, office.id,
                 e.body["tickets"].get<int>(), e.body["counters"].get<int>());
    add_event(std::move(e), batch, published);
  }
  if (batch.events.empty()) return;
  try {
    store_->commit(batch);
  } catch (const std::exception& ex) {
    spdlog::error("journal commit of the day close failed: {}", ex.what());
    recover();
    return;
  }
  for (auto& e : published) publish(e);
}

namespace {

// A dashboard of several offices sees only theirs: the region's figures cut down to them and
// the total summed anew; one named office is that office's figures.
core::DayStats restrict_to(core::DayStats stats, const core::Principal& who, const std::string& office) {
  if (!office.empty()) {
    std::erase_if(stats.offices, [&](const core::OfficeStats& o) { return o.office != office; });
    stats.total = stats.offices.empty() ? core::Figures{} : stats.offices.front().f;
    return stats;
  }
  if (who.offices.empty()) return stats;
  std::erase_if(stats.offices, [&](const core::OfficeStats& o) { return !who.may_act_in(o.office); });
  stats.total = core::Figures{};
  for (const auto& o : stats.offices) core::add_figures(stats.total, o.f);
  return stats;
}

}  // namespace

// Today comes from the live state. A past day is replayed from the journal into a fresh
// state up to that day's end, so its numbers are exactly what the journal says; the replay
// runs on stats_worker_'s thread (a county's journal is seconds of replay, which on the
// reactor stalled every station), and a finished day, which never changes again, is replayed
// once and then answered from past_stats_.
std::optional<std::string> Broker::handle_stats(const core::Request& req, const core::Principal& who,
                                                const core::Viewer& viewer) {
  const std::string day = req.body.value("day", "");
  std::string office = req.body.value("office", "");
  // A dashboard of some offices sees only theirs (a named office was checked by
  // check_permission); one office is that office's statistics.
  if (office.empty() && who.offices.size() == 1) office = who.offices.front();
  if (!core::local_time_of(day, "00:00"))
    return core::encode_error(req.id, core::ErrorCode::bad_field, "day must be YYYY-MM-DD", "day");
  if (!office.empty() && !region_->find_office(office))
    return core::encode_error(req.id, core::ErrorCode::not_found, "unknown office " + office,
                              "office");
  const core::Millis now = options_.clock.now();
  if (day >= core::local_day(now)) {
    // Staff logins of other offices' counters are not the viewer's (core/visibility).
    core::DayStats today = core::compute_day_stats(*state_, day, now, office);  // office: only it
    if (office.empty()) today = restrict_to(std::move(today), who, office);
    return core::encode_ok(req.id, core::project_stats(core::to_json(today), viewer));
  }
  if (auto cached = past_stats_.find(day); cached != past_stats_.end())
    return core::encode_ok(req.id, core::project_stats(core::to_json(restrict_to(cached->second, who, office)),
                                                       viewer));
  auto waiting = stats_waiting_.find(day);
  if (waiting == stats_waiting_.end()) {
    if (stats_waiting_.size() >= kMaxReplays)
      return core::encode_error(req.id, core::ErrorCode::unavailable,
                                "statistics of other past days are being computed; try again in a moment");
    waiting = stats_waiting_.emplace(day, std::vector<StatsWaiter>{}).first;
    stats_worker_->submit(day, now);
  }
  if (waiting->second.size() >= 64) waiting->second.erase(waiting->second.begin());  // bounded
  waiting->second.push_back(StatsWaiter{current_identity_, current_delimiter_, req.id, office, who, viewer});
  return std::nullopt;
}

void Broker::finish_stats() {
  while (auto result = stats_worker_->take()) {
    auto waiting = stats_waiting_.find(result->day);
    std::vector<StatsWaiter> waiters;
    if (waiting != stats_waiting_.end()) {
      waiters = std::move(waiting->second);
      stats_waiting_.erase(waiting);
    }
    if (result->stats) {
      if (result->from_disk)
        spdlog::info("stats for {}: from the day roll-ups on disk", result->day);
      else
        spdlog::info("stats for {}: replayed {} events in {:.1f} ms (off the reactor; cached)",
                     result->day, result->events, result->ms);
      if (past_stats_.size() >= 64) past_stats_.erase(past_stats_.begin());  // oldest day
      past_stats_.insert_or_assign(result->day, std::move(*result->stats));
    } else {
      spdlog::error("stats for {}: the journal cannot be read: {}", result->day, result->error);
    }
    auto cached = past_stats_.find(result->day);
    for (auto& w : waiters) {
      Pending p;
      p.identity = zmq::message_t(w.identity.data(), w.identity.size());
      p.delimiter = w.delimiter;
      p.reply = cached != past_stats_.end()
                    ? core::encode_ok(w.id, core::project_stats(
                                                core::to_json(restrict_to(cached->second, w.who, w.office)),
                                                w.viewer))
                    : core::encode_error(w.id, core::ErrorCode::unavailable,
                                         "the server cannot read its journal; try again later");
      send_reply(p);
    }
  }
}

}  // namespace wm::server
