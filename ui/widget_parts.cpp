// Hit-testing and registration used by every widget.
#include "ui/widget_parts.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

namespace wm::ui {

ItemState interact(std::string_view id, const Rect& r, bool enabled) {
  ItemState s;
  ImGui::SetCursorScreenPos(r.min());
  ImGui::PushID(id.data(), id.data() + id.size());
  ImGui::BeginDisabled(!enabled);
  // InvisibleButton asserts on a zero size; a collapsed layout must not abort the kiosk.
  s.clicked = ImGui::InvisibleButton("##hit", ImVec2(std::max(1.f, r.w), std::max(1.f, r.h)));
  s.held = ImGui::IsItemActive();
  s.hovered = ImGui::IsItemHovered();
  ImGui::EndDisabled();
  ImGui::PopID();
  return s;
}

void register_widget(Frame& f, std::string_view id, std::string_view label, const Rect& r,
                     WidgetKind kind, bool enabled, bool selected, bool label_fits,
                     std::string_view style, float text_size) {
  f.widgets().add(WidgetInfo{std::string(id), std::string(label), r, kind, enabled, selected,
                             label_fits, std::string(style), text_size});
}

void draw_shadow(Frame& f, const Rect& r) {
  if (f.theme().high_contrast) return;
  const float o = f.px(3);
  f.draw_list()->AddRectFilled(ImVec2(r.x, r.y + o), ImVec2(r.x + r.w, r.y + r.h + o),
                               IM_COL32(20, 40, 70, 28), f.theme().rounding);
}

}  // namespace wm::ui
