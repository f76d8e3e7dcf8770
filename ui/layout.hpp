// Screen rectangles and the few splitting/grid helpers touch layouts need.
#pragma once

#include <imgui.h>

namespace wm::ui {

// Absolute screen pixels. Touch layouts place widgets in rectangles rather than ImGui's
// cursor flow: it keeps every screen deterministic across languages and orientations.
struct Rect {
  float x = 0, y = 0, w = 0, h = 0;

  ImVec2 min() const { return {x, y}; }
  ImVec2 max() const { return {x + w, y + h}; }
  ImVec2 size() const { return {w, h}; }
  ImVec2 center() const { return {x + w * 0.5f, y + h * 0.5f}; }
  bool contains(ImVec2 p) const { return p.x >= x && p.y >= y && p.x < x + w && p.y < y + h; }
  bool contains(const Rect& r) const;
  bool empty() const { return w <= 0 || h <= 0; }

  Rect inset(float d) const { return inset(d, d); }
  Rect inset(float dx, float dy) const;
  // Cuts a band off one side and returns it; *this keeps the rest (minus `gap`).
  Rect take_top(float height, float gap = 0);
  Rect take_bottom(float height, float gap = 0);
  Rect take_left(float width, float gap = 0);
  Rect take_right(float width, float gap = 0);
};

// Cell `index` of a grid of `columns` × `rows` cells with `gap` between them.
Rect grid_cell(const Rect& area, int columns, int rows, float gap, int index);

// Splits `area` into `count` equal columns (or rows) with `gap` between them.
Rect column(const Rect& area, int count, float gap, int index);
Rect row(const Rect& area, int count, float gap, int index);

}  // namespace wm::ui
