// Rectangle arithmetic for touch layouts.
#include "ui/layout.hpp"

#include <algorithm>

namespace wm::ui {

bool Rect::contains(const Rect& r) const {
  constexpr float eps = 0.5f;  // float layout rounding must not count as overflow
  return r.x >= x - eps && r.y >= y - eps && r.x + r.w <= x + w + eps && r.y + r.h <= y + h + eps;
}

Rect Rect::inset(float dx, float dy) const {
  return {x + dx, y + dy, std::max(0.f, w - 2 * dx), std::max(0.f, h - 2 * dy)};
}

Rect Rect::take_top(float height, float gap) {
  height = std::min(height, h);
  Rect band{x, y, w, height};
  float used = std::min(h, height + gap);
  y += used;
  h -= used;
  return band;
}

Rect Rect::take_bottom(float height, float gap) {
  height = std::min(height, h);
  Rect band{x, y + h - height, w, height};
  h = std::max(0.f, h - height - gap);
  return band;
}

Rect Rect::take_left(float width, float gap) {
  width = std::min(width, w);
  Rect band{x, y, width, h};
  float used = std::min(w, width + gap);
  x += used;
  w -= used;
  return band;
}

Rect Rect::take_right(float width, float gap) {
  width = std::min(width, w);
  Rect band{x + w - width, y, width, h};
  w = std::max(0.f, w - width - gap);
  return band;
}

Rect grid_cell(const Rect& area, int columns, int rows, float gap, int index) {
  columns = std::max(1, columns);
  rows = std::max(1, rows);
  float cw = std::max(0.f, (area.w - gap * (columns - 1)) / columns);
  float ch = std::max(0.f, (area.h - gap * (rows - 1)) / rows);
  int c = index % columns;
  int r = index / columns;
  return {area.x + c * (cw + gap), area.y + r * (ch + gap), cw, ch};
}

Rect column(const Rect& area, int count, float gap, int index) {
  return grid_cell(area, count, 1, gap, index);
}

Rect row(const Rect& area, int count, float gap, int index) {
  return grid_cell(area, 1, count, gap, index);
}

}  // namespace wm::ui
