// Pieces shared by the widget files: hit-testing, registration, shadows (not for screens).
#pragma once

#include <string_view>

#include "ui/frame.hpp"
#include "ui/layout.hpp"
#include "ui/registry.hpp"

namespace wm::ui {

struct ItemState {
  bool clicked = false;  // released over the item this frame
  bool held = false;     // pressed and still down
  bool hovered = false;
};

// An invisible ImGui button over r, id-scoped by the widget id.
ItemState interact(std::string_view id, const Rect& r, bool enabled);

void register_widget(Frame& f, std::string_view id, std::string_view label, const Rect& r,
                     WidgetKind kind, bool enabled, bool selected, bool label_fits,
                     std::string_view style = {}, float text_size = 0);

// A soft drop shadow under cards and buttons (none in high contrast: edges must be crisp).
void draw_shadow(Frame& f, const Rect& r);

}  // namespace wm::ui
