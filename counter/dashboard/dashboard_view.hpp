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
};

// `now` is the broker's clock (header time); `online` shows the reconnect strip when false.
DashboardIntents draw_dashboard(ui::Frame& f, const DashboardModel& m, core::Millis now,
                                bool online, bool has_data = true);

// Applies intents to the model (view → model, no network involved); `now` is the broker's clock.
void apply(DashboardModel& m, const DashboardIntents& in, core::Millis now);

// A day as the dashboard names it: "23.11.2026" (ISO in English).
std::string day_text(std::string_view day, std::string_view lang);

// "12 Min." style duration in the frame's language.
std::string minutes_text(ui::Frame& f, double ms);
// A wait still running, rounded up: 30 min 20 s past a 30-minute target reads "31 Min.", so
// the number agrees with the red light and the alert.
std::string wait_text(ui::Frame& f, double ms);

}  // namespace wm::counter
