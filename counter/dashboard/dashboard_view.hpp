// Draws the dashboard (county tiles, office tables and charts, alerts) from the model.
#pragma once

#include <optional>
#include <string>

#include "counter/dashboard/dashboard_model.hpp"
#include "ui/frame.hpp"

namespace wm::counter {

// What the office head clicked in one frame.
struct DashboardIntents {
  std::optional<std::string> open_office;
  bool back = false;
  std::optional<std::string> acknowledge;  // alert id
  int day_step = 0;    // -1 previous day, +1 next day
  bool today = false;  // back to today's live figures
  // Moving a clerk for the day (counter.profile).
  std::optional<std::string> edit_counter;    // a counter's "services" button
  std::optional<std::string> toggle_service;  // a service in the editor
  bool profile_apply = false, profile_configured = false, profile_cancel = false;
};

// `now` is the broker's clock (header time); `online` shows the reconnect strip when false.
DashboardIntents draw_dashboard(ui::Frame& f, const DashboardModel& m, core::Millis now,
                                bool online, bool has_data = true);

// Applies intents to the model (view → model, no network involved); `now` is the broker's clock.
void apply(DashboardModel& m, const DashboardIntents& in, core::Millis now);

// An alert in words, in the frame's language (the alert list, the panic banner, the panic's
// spoken announcement).
std::string alert_text(ui::Frame& f, const core::Region& region, const Alert& a);

// A day as the dashboard names it: i18n::format_date ("23.11.2026", ISO in English).
std::string day_text(std::string_view day, std::string_view lang);

// "12 Min." style duration in the frame's language, to the nearest minute: for means over
// many visitors and for configured targets, which are figures, not one visitor's wait.
std::string minutes_text(ui::Frame& f, double ms);
// A wait that has happened (longest waiting now), by core::elapsed_minutes: the counter shows
// the same number, and a wait reads over its target exactly when core::over_target says so
// (30 min 20 s past a 30-minute target reads "30 Min." and is not yet red).
std::string wait_text(ui::Frame& f, double ms);
// An estimate, by core::wait_minutes_for_display: what the visitor has on paper.
std::string estimate_text(ui::Frame& f, double ms);

}  // namespace wm::counter
