// On-screen keypad and entry field for booking codes (no physical keyboard at a kiosk).
#pragma once

#include <string>
#include <string_view>

#include "ui/frame.hpp"
#include "ui/layout.hpp"

namespace wm::ui {

enum class KeypadLayout {
  digits,        // 1–9, then Delete 0 OK
  alphanumeric,  // A–Z and 0–9 in reading order, then Delete and OK
};

enum class KeypadEvent { none, changed, submitted };

// Keys register as <id>.key.<char> ("code.key.7", "code.key.A"), <id>.delete and <id>.ok.
// Editing `value` here is fine: it is the entry's own text, not a decision; the screen
// reports `submitted` as its intent. OK is disabled while value is empty.
KeypadEvent keypad(Frame& f, std::string_view id, const Rect& area, KeypadLayout layout,
                   std::string& value, std::size_t max_length);

// The entered code in a large field, one box per expected character ("K7  _ _").
void entry_field(Frame& f, std::string_view id, const Rect& r, std::string_view value,
                 std::size_t length);

}  // namespace wm::ui
