// The counter app's screens: login, counter station, back-office work list. Views draw from a
// CounterView and return the user's Intent; form text lives in the model (kept across frames).
#pragma once

#include <string>

#include "counter/counter_model.hpp"
#include "ui/frame.hpp"

namespace wm::counter {

Intent draw_login(ui::Frame& f, const CounterView& v, CounterModel& forms);
Intent draw_counter(ui::Frame& f, const CounterView& v, CounterModel& forms);
Intent draw_backoffice(ui::Frame& f, const CounterView& v, CounterModel& forms);
// The screen for the view's mode.
Intent draw_screen(ui::Frame& f, const CounterView& v, CounterModel& forms);

}  // namespace wm::counter
