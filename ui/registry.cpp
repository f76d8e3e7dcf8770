// Frame-by-frame record of widget rectangles.
#include "ui/registry.hpp"

#include <algorithm>

namespace wm::ui {

void WidgetRegistry::begin_frame() {
  current_.clear();
  current_duplicates_.clear();
}

void WidgetRegistry::end_frame() {
  last_.swap(current_);
  last_duplicates_.swap(current_duplicates_);
  current_.clear();
  current_duplicates_.clear();
}

void WidgetRegistry::add(WidgetInfo info) {
  auto same = [&](const WidgetInfo& w) { return w.id == info.id; };
  if (std::any_of(current_.begin(), current_.end(), same)) current_duplicates_.push_back(info.id);
  current_.push_back(std::move(info));
}

const WidgetInfo* WidgetRegistry::find(std::string_view id) const {
  for (const auto& w : last_) {
    if (w.id == id) return &w;
  }
  return nullptr;
}

std::vector<const WidgetInfo*> WidgetRegistry::overflowing() const {
  std::vector<const WidgetInfo*> out;
  for (const auto& w : last_) {
    if (!w.label_fits) out.push_back(&w);
  }
  return out;
}

}  // namespace wm::ui
