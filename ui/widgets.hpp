// Touch widgets: big buttons, tiles, toggles, language choice, status banner, text helpers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ui/frame.hpp"
#include "ui/layout.hpp"
#include "ui/text.hpp"

namespace wm::ui {

// Every widget takes a stable string id ("kiosk.lang.en"): it names the ImGui item and the
// WidgetRegistry entry tests tap, and it does not change with the language.

enum class ButtonKind { primary, secondary, quiet, danger };

struct ButtonOptions {
  ButtonKind kind = ButtonKind::primary;
  bool enabled = true;
  bool selected = false;  // drawn like primary, for choices
  FontRole font = FontRole::body_bold;
  int max_lines = 2;
  // 1: the label never shrinks; if it cannot fit at its size it is reported (label_fits),
  // for groups whose labels must stay at one size (the counter's outcomes and park reasons).
  float min_scale = FitOptions{}.min_scale;
};

// "primary", "secondary", "quiet", "danger" (WidgetInfo::style).
std::string_view button_kind_name(ButtonKind kind);

// Returns true on the frame the tap is released over the button.
bool touch_button(Frame& f, std::string_view id, std::string_view label, const Rect& r,
                  const ButtonOptions& options = {});

struct TileOptions {
  bool enabled = true;
  bool selected = false;
  std::string_view badge;  // short text at the bottom, e.g. "15 Min."
  // Title and description shrink together (to at most 70 %) so both fit; the title may then
  // take three lines. Off: each shrinks on its own and a long title can crowd out the text.
  bool shrink_to_fit = false;
};

// A large card: bold title, muted description below (services on the kiosk).
bool tile(Frame& f, std::string_view id, std::string_view title, std::string_view description,
          const Rect& r, const TileOptions& options = {});
// Whether tile() would fit title and description into r (for choosing a grid or paging).
bool tile_fits(Frame& f, std::string_view title, std::string_view description, const Rect& r,
               const TileOptions& options = {});

// A switch with its label; flips `value` when tapped and returns true then.
bool toggle(Frame& f, std::string_view id, std::string_view label, bool& value, const Rect& r);

// "Große Schrift" and "Hoher Kontrast" side by side (ids <prefix>.large_text and
// <prefix>.high_contrast); they change f.settings() directly, which is a display preference,
// not a business decision. Returns true if one changed.
bool accessibility_toggles(Frame& f, std::string_view id_prefix, const Rect& r);

// One button per supported language in its own name (ids <prefix>.<code>), the current one
// selected. columns 0: as many as fit. Returns the code tapped.
std::optional<std::string> language_buttons(Frame& f, std::string_view id_prefix, const Rect& r,
                                             int columns = 0);

enum class Severity { info, success, warning, danger };

// A full-width status strip, e.g. common.connection_lost; a pulsing dot while `busy`.
void banner(Frame& f, std::string_view id, std::string_view text, const Rect& r,
            Severity severity = Severity::info, bool busy = false);

// Text helpers; each registers a text widget when given an id, so overflow is checked too.
// Returns whether the text fit.
bool text_centered(Frame& f, const Rect& r, std::string_view text, FontRole role,
                   std::optional<ImU32> color = std::nullopt, std::string_view id = {});
bool text_wrapped(Frame& f, const Rect& r, std::string_view text, FontRole role,
                  Align align = Align::left, std::optional<ImU32> color = std::nullopt,
                  std::string_view id = {}, int max_lines = 8);

// Height of `text` wrapped to `width` (for stacking paragraphs).
float text_height(Frame& f, std::string_view text, FontRole role, float width);

}  // namespace wm::ui
