// The waiting-room screen: newest calls huge, last calls, clock, waiting per service, ticker.
#pragma once

#include "kiosk/display_model.hpp"
#include "ui/frame.hpp"

namespace wm::kiosk {

// Service names for the waiting strip, in the screen's language (from the configuration).
struct DisplayTexts {
  std::vector<std::string> service_names;  // parallel to DisplayView::waiting
};

// Draws one frame (landscape or portrait, by the viewport). Registers text widgets
// "display.call.<i>" (label = "K017 Schalter 3") and "display.offline" for tests.
void draw_display(ui::Frame& f, const DisplayView& view, const DisplayTexts& texts);

}  // namespace wm::kiosk
