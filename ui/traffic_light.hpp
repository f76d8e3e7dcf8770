// The waiting traffic light as every staff screen draws it (dashboard, counter): one shape,
// word and colour per core::Light, so the two apps can never disagree on what a light means.
#pragma once

#include <string>

#include "core/stats.hpp"
#include "ui/frame.hpp"

namespace wm::ui {

ImU32 light_color(Frame& f, core::Light l);
// A traffic light that does not rely on colour (WCAG 1.4.1): green a circle with a tick, yellow
// a triangle with "!", red an octagon with a cross; registered as a widget `id` whose label is
// the word (common.light.*), for tests and assistive technology.
void draw_light(Frame& f, core::Light l, ImVec2 centre, float radius, const std::string& id);
// The light's word: "im Ziel", "knapp", "über Ziel" in the viewer's language.
std::string light_word(Frame& f, core::Light l);

}  // namespace wm::ui
