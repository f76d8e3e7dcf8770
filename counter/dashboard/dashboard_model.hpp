// The office head's dashboard without a window: day figures from the replica and the alerts.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/state.hpp"
#include "core/stats.hpp"
#include "counter/dashboard/profile_editor.hpp"

namespace wm::counter {

enum class AlertKind { panic, wait_over_target, paper_out, paper_low, offline };
std::string_view to_string(AlertKind k);

// One thing the office head must see. `id` names the condition ("wait:goerlitz:kfz-um"); an
// acknowledged alert stays hidden while its condition lasts and returns when it happens again.
struct Alert {
  std::string id;
  AlertKind kind = AlertKind::offline;
  std::string office;
  std::string subject;  // service id, device id, station id or counter id
  std::string label;    // what to name on screen: counter name, station id, device id
  core::Millis since = 0;
  core::Millis value_ms = 0;  // wait_over_target: the longest wait now
  int target_minutes = 0;
};

class DashboardModel {
 public:
  explicit DashboardModel(std::shared_ptr<const core::Region> region);

  // Recomputes figures and alerts from the replica; `events` are the station's new events
  // (alert.panic exists only as an event). `now` is the broker's clock.
  void update(const core::State& state, const std::vector<core::Event>& events, core::Millis now);

  const core::Region& region() const { return *region_; }
  const core::DayStats& stats() const { return stats_; }
  // Unacknowledged alerts, panics first, then by office and time.
  const std::vector<Alert>& alerts() const { return visible_; }
  bool panic() const;
  // Hides an alert until its condition ends and comes back (a panic: until the next one).
  // False for an id that is not shown.
  bool acknowledge(const std::string& id);

  // The day shown: "" = today, live from the replica (alerts are always live). A past day's
  // figures come from the broker's `stats` request; the model only says which day to fetch.
  const std::string& picked_day() const { return picked_day_; }
  // Moves the shown day by `days` from the one shown now; reaching today (or later) goes
  // back to live. `now` is the broker's clock.
  void step_day(int days, core::Millis now);
  void show_today();
  // The day whose statistics should be requested now (once), if any.
  std::optional<std::string> take_fetch();
  // A `stats` answer for `day`; ignored when another day was picked meanwhile.
  void past_stats_arrived(const std::string& day, core::DayStats stats);
  void past_stats_failed(const std::string& day);
  enum class PastState { none, loading, ready, failed };
  PastState past_state() const { return past_state_; }
  // Figures the tiles, tables and charts show: today's live ones or the picked day's.
  const core::DayStats& shown_stats() const;
  bool live() const { return picked_day_.empty(); }

  // "" = county overview, else the office shown.
  const std::string& office() const { return office_; }
  bool open_office(const std::string& id);  // false for an unknown office
  void show_county() {
    office_.clear();
    editor_.close();
  }

  // Counters working with other services today than configured (counter.profile), by id.
  const std::map<std::string, std::vector<std::string>>& moved() const { return moved_; }
  // Moving a clerk: opened on a counter of the office shown, with today's services.
  ProfileEditor& editor() { return editor_; }
  const ProfileEditor& editor() const { return editor_; }
  bool edit_counter(const std::string& counter);

 private:
  std::shared_ptr<const core::Region> region_;
  core::DayStats stats_;
  std::string office_;
  std::map<std::string, Alert> panics_;   // counter id -> the latest unacknowledged panic
  std::set<std::string> acknowledged_;    // condition ids acknowledged while still active
  std::vector<Alert> visible_;
  std::string picked_day_;
  PastState past_state_ = PastState::none;
  core::DayStats past_;  // of picked_day_ once ready; empty offices until then
  std::optional<std::string> fetch_;
  std::map<std::string, std::vector<std::string>> moved_;
  ProfileEditor editor_;
  const core::State* state_ = nullptr;  // the replica of the last update (the station's)
};

// "YYYY-MM-DD" moved by whole days (calendar days, daylight saving safe); nullopt if malformed.
std::optional<std::string> add_days(const std::string& day, int days);

}  // namespace wm::counter
