// DashboardModel: day statistics via core/stats and the alert rules (derived, device, presence, panic).
#include "counter/dashboard/dashboard_model.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/queries.hpp"

namespace wm::counter {

std::string_view to_string(AlertKind k) {
  switch (k) {
    case AlertKind::panic: return "panic";
    case AlertKind::wait_over_target: return "wait_over_target";
    case AlertKind::paper_out: return "paper_out";
    case AlertKind::paper_low: return "paper_low";
    case AlertKind::offline: return "offline";
  }
  return "offline";
}

DashboardModel::DashboardModel(std::shared_ptr<const core::Region> region)
    : region_(std::move(region)) {}

bool DashboardModel::open_office(const std::string& id) {
  if (!region_->find_office(id)) return false;
  if (id != office_) editor_.close();
  office_ = id;
  return true;
}

bool DashboardModel::panic() const {
  return std::any_of(visible_.begin(), visible_.end(),
                     [](const Alert& a) { return a.kind == AlertKind::panic; });
}

bool DashboardModel::edit_counter(const std::string& counter) {
  const core::Office* o = region_->office_of_counter(counter);
  if (!state_ || !o || o->id != office_ || !live()) return false;
  return editor_.open(*state_, counter);
}

void DashboardModel::update(const core::State& state, const std::vector<core::Event>& events,
                            core::Millis now) {
  state_ = &state;
  stats_ = core::compute_day_stats(state, core::local_day(now), now);
  moved_.clear();
  for (const auto& o : region_->offices)
    for (const auto& c : o.counters)
      if (const auto& today = state.working(c).profile; today != c.profile) moved_[c.id] = today;
  for (const auto& e : events) {
    if (e.type != "alert.panic") continue;
    const std::string counter = e.body.value("counter", "");
    Alert a{"panic:" + counter, AlertKind::panic, e.office, counter, counter, e.time};
    for (const auto& o : region_->offices)
      for (const auto& c : o.counters)
        if (c.id == counter) a.label = c.name;
    // A new panic shows again even if an earlier one was acknowledged.
    acknowledged_.erase(a.id);
    panics_[counter] = a;
  }

  std::vector<Alert> active;
  for (const auto& [counter, a] : panics_) active.push_back(a);
  for (const auto& o : stats_.offices)
    for (const auto& s : o.services)
      if (s.f.waiting > 0 && core::over_target(s.f.longest_waiting_ms, s.target_minutes)) {
        Alert a{"wait:" + o.office + ":" + s.service, AlertKind::wait_over_target, o.office,
                s.service, s.service, now - s.f.longest_waiting_ms};
        a.value_ms = s.f.longest_waiting_ms;
        a.target_minutes = s.target_minutes;
        active.push_back(a);
      }
  for (const auto& [id, d] : state.devices()) {
    if (d.state != "paper_out" && d.state != "paper_low") continue;
    const AlertKind k = d.state == "paper_out" ? AlertKind::paper_out : AlertKind::paper_low;
    // The state is part of the id: low → out is a new, worse condition.
    active.push_back({"device:" + id + ":" + d.state, k, d.office, id, id, d.since});
  }
  for (const auto& [name, p] : state.presence()) {
    if (p.online || (p.kind != "kiosk" && p.kind != "counter")) continue;
    active.push_back({"offline:" + name, AlertKind::offline, p.office, name, name, p.since});
  }

  // Conditions that ended forget their acknowledgement, so a recurrence alerts again.
  std::set<std::string> still;
  for (const auto& a : active)
    if (acknowledged_.count(a.id)) still.insert(a.id);
  acknowledged_.swap(still);

  visible_.clear();
  for (auto& a : active)
    if (!acknowledged_.count(a.id)) visible_.push_back(std::move(a));
  std::stable_sort(visible_.begin(), visible_.end(), [](const Alert& x, const Alert& y) {
    if (x.kind != y.kind) return static_cast<int>(x.kind) < static_cast<int>(y.kind);
    if (x.office != y.office) return x.office < y.office;
    return x.since < y.since;
  });
}

std::optional<std::string> add_days(const std::string& day, int days) {
  // Noon: adding 24 h never lands on another date across a daylight saving change.
  auto noon = core::local_time_of(day, "12:00");
  if (!noon) return std::nullopt;
  return core::local_day(*noon + core::Millis(days) * 86'400'000);
}

void DashboardModel::step_day(int days, core::Millis now) {
  editor_.close();  // a past day's counters are not moved
  const std::string today = core::local_day(now);
  auto next = add_days(picked_day_.empty() ? today : picked_day_, days);
  if (!next || *next >= today) {
    show_today();
    return;
  }
  if (*next == picked_day_) return;
  picked_day_ = *next;
  past_state_ = PastState::loading;
  past_ = core::DayStats{};
  past_.day = picked_day_;
  fetch_ = picked_day_;
}

void DashboardModel::show_today() {
  picked_day_.clear();
  past_state_ = PastState::none;
  past_ = core::DayStats{};
  fetch_.reset();
}

std::optional<std::string> DashboardModel::take_fetch() {
  auto out = std::move(fetch_);
  fetch_.reset();
  return out;
}

void DashboardModel::past_stats_arrived(const std::string& day, core::DayStats stats) {
  if (day != picked_day_ || stats.day != day) return;  // a late answer for an earlier pick
  past_ = std::move(stats);
  past_state_ = PastState::ready;
}

void DashboardModel::past_stats_failed(const std::string& day) {
  if (day != picked_day_) return;
  past_state_ = PastState::failed;
}

const core::DayStats& DashboardModel::shown_stats() const {
  return picked_day_.empty() ? stats_ : past_;
}

bool DashboardModel::acknowledge(const std::string& id) {
  auto it = std::find_if(visible_.begin(), visible_.end(),
                         [&](const Alert& a) { return a.id == id; });
  if (it == visible_.end()) return false;
  if (it->kind == AlertKind::panic) panics_.erase(it->subject);
  else acknowledged_.insert(id);
  visible_.erase(it);
  return true;
}

}  // namespace wm::counter
