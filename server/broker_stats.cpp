// The broker's station presence (client.online / client.offline) and the `stats` request.
#include <spdlog/spdlog.h>

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
  for (const auto& e : published) publish(e);
}

// Today comes from the live state. A past day is replayed from the journal into a fresh
// state up to that day's end, so its numbers are exactly what the journal says.
std::string Broker::handle_stats(const core::Request& req) {
  const std::string day = req.body.value("day", "");
  const std::string office = req.body.value("office", "");
  if (!core::local_time_of(day, "00:00"))
    return core::encode_error(req.id, core::ErrorCode::bad_field, "day must be YYYY-MM-DD", "day");
  if (!office.empty() && !region_->find_office(office))
    return core::encode_error(req.id, core::ErrorCode::not_found, "unknown office " + office,
                              "office");
  const core::Millis now = options_.clock.now();
  if (day == state_->current_day() || day > core::local_day(now)) {
    return core::encode_ok(req.id, core::to_json(core::compute_day_stats(*state_, day, now, office)));
  }
  core::State replay(region_);
  core::Millis last = 0;
  store_->for_each_event(0, [&](core::Event&& e) {
    if (core::local_day(e.time) > day) return;
    last = e.time;
    replay.apply(e);
  });
  // A past day is complete: "now" is its end, so nothing counts as still waiting forever.
  core::Millis end = core::local_time_of(day, "23:59").value_or(last) + 59999;
  return core::encode_ok(req.id, core::to_json(core::compute_day_stats(replay, day, end, office)));
}

}  // namespace wm::server
