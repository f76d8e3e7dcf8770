// Per-frame glue of the dashboard: Station replica and events → model → view → model.
#pragma once

#include <memory>

#include "core/client/station.hpp"
#include "counter/dashboard/dashboard_model.hpp"
#include "counter/dashboard/dashboard_view.hpp"

namespace wm::counter {

class DashboardRunner {
 public:
  DashboardRunner(std::shared_ptr<const core::Region> region, core::Station& station)
      : station_(station), model_(std::move(region)) {}

  // Takes the station's new events, updates the model, draws, applies the clicks.
  void frame(ui::Frame& f) {
    const core::Millis now = station_.broker_now();
    model_.update(*station_.state(), station_.take_events(), now);
    apply(model_, draw_dashboard(f, model_, now, station_.online()));
    // Waits grow without events: refresh the figures every few seconds.
    f.redraw_after(5.0);
  }
  DashboardModel& model() { return model_; }

 private:
  core::Station& station_;
  DashboardModel model_;
};

}  // namespace wm::counter
