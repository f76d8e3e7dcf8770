// What a screen gets for one frame: theme, fonts, translations, clock and the widget registry.
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>

#include "core/i18n/catalog.hpp"
#include "ui/display_settings.hpp"
#include "ui/fonts.hpp"
#include "ui/layout.hpp"
#include "ui/registry.hpp"
#include "ui/theme.hpp"

namespace wm::ui {

// Screens are functions `Intents draw_x(Frame&, const XView&)`: they read the view-model,
// draw with the toolkit and report what the user asked for. Frame is only valid during
// the draw call.
class Frame {
 public:
  struct Schedule {
    double animate_until = 0;  // render continuously until then
    double redraw_at = 0;      // 0: none; else render once at that time
  };

  Frame(const Theme& theme, const FontSet& fonts, WidgetRegistry& widgets,
        const i18n::Translator& tr, DisplaySettings& settings, Rect viewport, double now,
        double dt, Schedule& schedule);

  const Theme& theme() const { return theme_; }
  const Palette& colors() const { return theme_.c; }
  const FontSet& fonts() const { return fonts_; }
  ImFont* font(FontRole role) const { return fonts_.get(role); }
  float font_size(FontRole role) const { return fonts_.size(role); }
  WidgetRegistry& widgets() { return widgets_; }

  // Translations in the current language, with German fallback.
  std::string_view t(std::string_view key) const { return tr_(key); }
  std::string t(std::string_view key, const i18n::Args& args) const { return tr_(key, args); }
  const i18n::Translator& translator() const { return tr_; }
  const std::string& lang() const { return settings_.lang; }

  // Changes apply before the next frame (fonts are rebuilt for large text).
  DisplaySettings& settings() { return settings_; }

  Rect viewport() const { return viewport_; }
  // Design px (1080 short side) → screen px.
  float px(float design) const { return theme_.px(design); }

  // Seconds since the app started; advances by a fixed step in tests.
  double now() const { return now_; }
  double dt() const { return dt_; }

  // The app draws only on input and wake-ups; a screen that moves says so here.
  void animate_until(double t);
  void animate_for(double seconds) { animate_until(now_ + seconds); }
  // One more frame at time t (a clock's next minute, an idle timeout).
  void redraw_at(double t);
  void redraw_after(double seconds) { redraw_at(now_ + seconds); }

  ImDrawList* draw_list() const { return ImGui::GetWindowDrawList(); }

 private:
  const Theme& theme_;
  const FontSet& fonts_;
  WidgetRegistry& widgets_;
  const i18n::Translator& tr_;
  DisplaySettings& settings_;
  Rect viewport_;
  double now_;
  double dt_;
  Schedule& schedule_;
};

}  // namespace wm::ui
