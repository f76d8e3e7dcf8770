// Text that fits its box: line breaking, shrink-to-fit and aligned drawing.
#pragma once

#include <imgui.h>

#include <string_view>
#include <vector>

#include "ui/layout.hpp"

namespace wm::ui {

enum class Align { left, center, right };
enum class VAlign { top, middle, bottom };

struct FitOptions {
  int max_lines = 3;
  float min_scale = 0.7f;     // never shrink below 70 %: smaller is unreadable at a kiosk
  float line_spacing = 1.2f;  // × font size
};

struct TextLayout {
  std::vector<std::string_view> lines;  // views into the caller's text
  float size = 0;                        // font size chosen
  ImVec2 extent{0, 0};                   // width of the widest line × total height
  float line_height = 0;
  bool fits = false;                     // false: drawn at min scale and clipped
};

// Greedy word wrap at `size` into lines no wider than `width` ('\n' forces a break). A word
// wider than the box stays one (too wide) line: breaking inside words is not acceptable.
std::vector<std::string_view> wrap_lines(ImFont* font, float size, std::string_view text,
                                         float width);

// The largest size ≤ `size` (down to min_scale) at which `text` fits `box`.
TextLayout fit_text(ImFont* font, float size, std::string_view text, ImVec2 box,
                    const FitOptions& options = {});

// Draws a layout inside box (clipped to it).
void draw_text(ImDrawList* dl, ImFont* font, const TextLayout& layout, const Rect& box,
               ImU32 color, Align align = Align::center, VAlign valign = VAlign::middle);

}  // namespace wm::ui
