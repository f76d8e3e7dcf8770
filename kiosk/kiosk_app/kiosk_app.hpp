// The kiosk application: controller + screens in an App frame loop, and the screenshot tour.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "kiosk/kiosk_app/kiosk_controller.hpp"
#include "kiosk/kiosk_app/kiosk_screens.hpp"
#include "ui/app.hpp"

namespace wm::kiosk {

// One frame's work; the same for the real loop, tests and the tour.
class KioskApp {
 public:
  KioskApp(ui::App& app, std::shared_ptr<const core::Region> region, ControllerOptions options);

  void frame(ui::Frame& f);
  ui::App::DrawFn draw_fn() {
    return [this](ui::Frame& f) { frame(f); };
  }
  KioskController& controller() { return *controller_; }
  KioskInput& input() { return input_; }
  // Replaces the view just before drawing (tour screenshots of error screens).
  std::function<void(KioskView&)> override_view;
  // Called once when the idle warning appears, with the visitor's language and the words on
  // it: the real kiosk sounds a gong and speaks them (kiosk_main.cpp), so the warning also
  // reaches a visitor who does not look at the screen.
  std::function<void(const std::string& lang, const std::string& words)> on_idle_warning;

 private:
  ui::App& app_;
  ui::DisplaySettings defaults_;
  std::unique_ptr<KioskController> controller_;
  KioskInput input_;
  int resets_seen_ = 0;
  bool warned_ = false;  // the idle warning is up (its sound was given)
  Screen page_screen_ = Screen::services;
};

// Walks through every screen against the running broker and saves PNGs named
// kiosk-<screen>-<lang>[-landscape].png into `dir`. Returns the number of files written.
int run_tour(ui::App& app, KioskApp& kiosk, const std::filesystem::path& dir,
             const std::string& lang, const std::string& suffix);

}  // namespace wm::kiosk
