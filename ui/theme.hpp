// Colours and metrics of the calm default theme and the high-contrast variant.
#pragma once

#include <imgui.h>

#include "ui/display_settings.hpp"

namespace wm::ui {

struct Palette {
  ImU32 background;      // screen
  ImU32 surface;         // cards, secondary buttons
  ImU32 surface_pressed;
  ImU32 header;          // top bar
  ImU32 on_header;
  ImU32 text;
  ImU32 text_muted;      // descriptions; still ≥ 4.5:1 on background and surface
  ImU32 accent;          // primary buttons, selection
  ImU32 accent_pressed;
  ImU32 on_accent;       // text on accent
  ImU32 border;          // edges of controls (buttons, fields, switches, tiles): ≥ 3:1 on
                         // background and surface (WCAG 1.4.11), or they are not seen as controls
  ImU32 focus;
  ImU32 success;
  ImU32 warning;
  ImU32 danger;
  ImU32 on_status;       // text on success/warning/danger
  ImU32 disabled;        // edge of a disabled control: faint on purpose (1.4.11 exempts it)
  ImU32 on_disabled;
};

struct Theme {
  Palette c{};
  bool high_contrast = false;
  bool large_text = false;
  float scale = 1;          // layout scale: the window's short side / 1080
  float rounding = 14;      // px, already scaled
  float border = 2;
  float gap = 20;           // between widgets
  float margin = 40;        // screen edge
  float touch_min = 96;     // smallest touch target side

  // Design pixels (at a 1080 short side) to screen pixels.
  float px(float design) const { return design * scale; }
};

Theme make_theme(const DisplaySettings& settings, float scale);

// WCAG 2.x contrast ratio of two opaque colours (1 … 21), for checking the palettes.
float contrast_ratio(ImU32 a, ImU32 b);

// Keeps stock ImGui widgets (used by staff apps) consistent with our own.
void apply_to_imgui_style(const Theme& theme, ImGuiStyle& style);

}  // namespace wm::ui
