// Display model: filters the office's calls by counter group and turns new calls into
// announcements exactly once.
#include "kiosk/display_model.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/queries.hpp"

namespace wm::kiosk {

namespace {
std::string call_key(const std::string& ticket, int recalls) {
  return ticket + "#" + std::to_string(recalls);
}
}  // namespace

std::string spoken_number(const std::string& number) {
  std::string letters, digits;
  for (char c : number) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    else if (digits.empty()) letters += c;
  }
  std::string out;
  for (char c : letters) {
    if (!out.empty()) out += ' ';
    out += c;
  }
  auto nz = digits.find_first_not_of('0');
  std::string n = nz == std::string::npos ? (digits.empty() ? "" : "0") : digits.substr(nz);
  if (!n.empty()) out += (out.empty() ? "" : " ") + n;
  return out;
}

DisplayModel::DisplayModel(std::shared_ptr<const core::Region> region, std::string office,
                           const core::Display* display)
    : region_(std::move(region)), office_(std::move(office)) {
  office_cfg_ = region_->find_office(office_);
  if (!office_cfg_) throw std::invalid_argument("unknown office " + office_);
  if (display) {
    groups_ = display->groups;
    ticker_ = display->ticker;
  }
}

bool DisplayModel::shows_counter(const std::string& counter_id) const {
  const core::Counter* c = region_->find_counter(counter_id);
  if (!c) return false;
  const core::Office* o = region_->office_of_counter(counter_id);
  if (!o || o->id != office_) return false;
  return groups_.empty() || std::find(groups_.begin(), groups_.end(), c->group) != groups_.end();
}

std::vector<Announcement> DisplayModel::update(const core::State& state,
                                               const std::vector<core::Event>& events,
                                               double now_s) {
  std::vector<Announcement> out;
  for (const auto& e : events) {
    if (e.type != "ticket.called" || e.office != office_) continue;
    const std::string counter = e.body.value("counter", "");
    if (!shows_counter(counter)) continue;
    const std::string ticket = e.body.value("ticket", "");
    const int recalls = e.body.value("recalls", 0);
    const core::Ticket* t = state.ticket(ticket);
    const core::Counter* c = region_->find_counter(counter);
    if (!t || !c) continue;
    if (!blink_since_.emplace(call_key(ticket, recalls), now_s).second) continue;
    out.push_back(Announcement{ticket, t->number, spoken_number(t->number),
                               c->spoken.empty() ? c->name : c->spoken, recalls});
  }
  // Forget blink marks of calls long gone, so the map stays small all day.
  std::erase_if(blink_since_, [&](const auto& kv) { return now_s - kv.second > 3600; });
  return out;
}

DisplayView DisplayModel::view(const core::State& state, core::Millis broker_now, double now_s,
                               bool online) const {
  DisplayView v;
  v.office_name = office_cfg_->name;
  v.clock = core::local_hhmm(broker_now);
  v.ticker = ticker_;
  v.online = online;
  for (const auto& r : state.recent_calls(office_)) {
    if (!shows_counter(r.counter)) continue;
    // Only the latest call of a ticket: a recall replaces the earlier line.
    if (std::any_of(v.calls.begin(), v.calls.end(),
                    [&](const DisplayCall& d) { return d.number == r.number; }))
      continue;
    const core::Counter* c = region_->find_counter(r.counter);
    DisplayCall d{r.number, c ? c->name : r.counter, r.service, r.time, r.recalls, false};
    if (auto it = blink_since_.find(call_key(r.ticket, r.recalls)); it != blink_since_.end())
      d.blinking = now_s - it->second < kBlinkSeconds;
    v.blinking = v.blinking || d.blinking;
    v.calls.push_back(std::move(d));
    if (v.calls.size() >= kMaxCalls) break;
  }
  const std::map<std::string, int> waiting = core::waiting_by_service(state, office_);
  for (const auto& s : region_->services) {
    if (!region_->office_offers(office_, s.id)) continue;
    auto it = waiting.find(s.id);
    v.waiting.push_back(WaitingCount{s.id, s.prefix, it == waiting.end() ? 0 : it->second});
  }
  return v;
}

}  // namespace wm::kiosk
