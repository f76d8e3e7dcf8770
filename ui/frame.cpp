// Per-frame context handed to screens.
#include "ui/frame.hpp"

#include <algorithm>

namespace wm::ui {

Frame::Frame(const Theme& theme, const FontSet& fonts, WidgetRegistry& widgets,
             const i18n::Translator& tr, DisplaySettings& settings, Rect viewport, double now,
             double dt, Schedule& schedule)
    : theme_(theme),
      fonts_(fonts),
      widgets_(widgets),
      tr_(tr),
      settings_(settings),
      viewport_(viewport),
      now_(now),
      dt_(dt),
      schedule_(schedule) {}

void Frame::animate_until(double t) { schedule_.animate_until = std::max(schedule_.animate_until, t); }

void Frame::redraw_at(double t) {
  if (schedule_.redraw_at == 0 || t < schedule_.redraw_at) schedule_.redraw_at = t;
}

}  // namespace wm::ui
