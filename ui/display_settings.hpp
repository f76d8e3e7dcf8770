// What the visitor (or the command line) chose about how the screen looks and speaks.
#pragma once

#include <string>

namespace wm::ui {

// Screens may change these at runtime (the accessibility toggles do); the app applies a
// change before the next frame (fonts are rebuilt when the text size changes).
struct DisplaySettings {
  std::string lang = "de";
  bool high_contrast = false;
  bool large_text = false;

  bool operator==(const DisplaySettings&) const = default;
};

}  // namespace wm::ui
