// Drawing of the shaped traffic light (moved here from the dashboard so the counter reuses it).
#include "ui/traffic_light.hpp"

#include <algorithm>

#include "ui/registry.hpp"

namespace wm::ui {

ImU32 light_color(Frame& f, core::Light l) {
  switch (l) {
    case core::Light::green: return f.colors().success;
    case core::Light::yellow: return f.colors().warning;
    case core::Light::red: return f.colors().danger;
  }
  return f.colors().success;
}

std::string light_word(Frame& f, core::Light l) {
  return std::string(f.t("common.light." + std::string(core::to_string(l))));
}

void draw_light(Frame& f, core::Light l, ImVec2 c, float r, const std::string& id) {
  ImDrawList* dl = f.draw_list();
  const ImU32 fill = light_color(f, l);
  const ImU32 mark = f.colors().on_status;
  const float w = std::max(1.5f, r * 0.28f);
  switch (l) {
    case core::Light::green:
      dl->AddCircleFilled(c, r, fill, 24);
      dl->AddLine({c.x - r * 0.5f, c.y}, {c.x - r * 0.12f, c.y + r * 0.4f}, mark, w);
      dl->AddLine({c.x - r * 0.12f, c.y + r * 0.4f}, {c.x + r * 0.55f, c.y - r * 0.42f}, mark, w);
      break;
    case core::Light::yellow: {
      const float h = r * 1.1f;
      dl->AddTriangleFilled({c.x, c.y - h}, {c.x + h * 1.1f, c.y + h * 0.8f},
                            {c.x - h * 1.1f, c.y + h * 0.8f}, fill);
      dl->AddLine({c.x, c.y - h * 0.45f}, {c.x, c.y + h * 0.22f}, mark, w);
      dl->AddCircleFilled({c.x, c.y + h * 0.52f}, w * 0.6f, mark);
      break;
    }
    case core::Light::red:
      dl->AddNgonFilled(c, r * 1.05f, fill, 8);
      dl->AddLine({c.x - r * 0.42f, c.y - r * 0.42f}, {c.x + r * 0.42f, c.y + r * 0.42f}, mark, w);
      dl->AddLine({c.x + r * 0.42f, c.y - r * 0.42f}, {c.x - r * 0.42f, c.y + r * 0.42f}, mark, w);
      break;
  }
  f.widgets().add(WidgetInfo{id, light_word(f, l), Rect{c.x - r, c.y - r, 2 * r, 2 * r},
                             WidgetKind::text});
}

}  // namespace wm::ui
