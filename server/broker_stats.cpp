// The broker's station presence (client.online / client.offline) and the `stats` request.
#include <spdlog/spdlog.h>

#include <chrono>
#include <set>

#include "core/clock.hpp"
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

// Today comes from the live state. A past day is replayed from the journal into a fresh
// state up to that day's end, so its numbers are exactly what the journal says. The replay
// runs on the reactor thread, so it stops at the first event of a later day, and a finished
// day (which never changes again) is replayed once and then answered from past_stats_.
std::string Broker::handle_stats(const core::Request& req, const core::Principal& who,
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
  // Several offices: the whole region's figures cut down to them, the total summed anew.
  auto restrict = [&](core::DayStats stats) {
    if (who.offices.empty() || !office.empty()) return stats;
    std::erase_if(stats.offices, [&](const core::OfficeStats& o) { return !who.may_act_in(o.office); });
    stats.total = core::Figures{};
    for (const auto& o : stats.offices) core::add_figures(stats.total, o.f);
    return stats;
  };
  if (day >= core::local_day(now)) {
    return core::encode_ok(req.id, core::project_stats(core::to_json(restrict(core::compute_day_stats(
                                                              *state_, day, now, office))),
                                                          viewer));
  }
  auto cached = past_stats_.find(day);
  if (cached == past_stats_.end()) {
    auto started = std::chrono::steady_clock::now();
    core::State replay(region_);
    struct PastTheDay {};
    std::uint64_t events = 0;
    try {
      store_->for_each_event(0, [&](core::Event&& e) {
        if (core::local_day(e.time) > day) throw PastTheDay{};
        replay.apply(e);
        ++events;
      });
    } catch (const PastTheDay&) {
    }
    // Seen from today, the day is over: every bucket has ended, no forecasts, and visitors
    // never called do not count as waiting on (core/stats).
    if (past_stats_.size() >= 64) past_stats_.erase(past_stats_.begin());  // oldest day
    cached = past_stats_.emplace(day, core::compute_day_stats(replay, day, now)).first;
    spdlog::info("stats for {}: replayed {} events in {:.1f} ms (cached)", day, events,
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                           started).count());
  }
  // Staff logins of other offices' counters are not the viewer's (core/visibility).
  if (office.empty())
    return core::encode_ok(req.id, core::project_stats(core::to_json(restrict(cached->second)), viewer));
  core::DayStats one = cached->second;
  std::erase_if(one.offices, [&](const core::OfficeStats& o) { return o.office != office; });
  one.total = one.offices.empty() ? core::Figures{} : one.offices.front().f;
  return core::encode_ok(req.id, core::project_stats(core::to_json(one), viewer));
}

}  // namespace wm::server
