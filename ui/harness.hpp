// Headless driving of any screen for tests: step frames, tap widgets by id, type, save PNGs.
#pragma once

#include <SDL.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "ui/app.hpp"

namespace wm::ui {

// A real App on SDL's dummy video driver with the software renderer and a fixed time step,
// so every run draws the same pixels. Typical test:
//
//   Harness h({.width = 1080, .height = 1920, .lang = "pl"});
//   KioskModel model;
//   h.set_screen([&](Frame& f) { model.apply(draw_start(f, model.view())); });
//   h.step();
//   BOOST_TEST(h.tap("kiosk.lang.en"));
//   BOOST_TEST(model.lang() == "en");
//   BOOST_TEST(h.overflowing().empty());
struct HarnessConfig {
  int width = 1080;
  int height = 1920;
  std::string lang = "de";
  bool high_contrast = false;
  bool large_text = false;
  double fixed_dt = 1.0 / 60.0;
  std::filesystem::path assets_dir{};  // empty: the source tree's assets/
};

enum class PointerKind { touch, mouse };

class Harness {
 public:
  explicit Harness(const HarnessConfig& config = {});

  App& app() { return *app_; }
  void set_screen(App::DrawFn draw) { draw_ = std::move(draw); }

  // Renders `frames` frames (events injected so far are delivered first).
  void step(int frames = 1);

  // Taps the centre of a widget drawn in the last frame and renders until the tap is fully
  // delivered (press, release, pointer lifted). False if no such widget is on screen.
  bool tap(std::string_view widget_id, PointerKind kind = PointerKind::touch);
  void tap_at(float x, float y, PointerKind kind = PointerKind::touch);

  // Event injection without stepping (for finer-grained input tests).
  void push_pointer_down(float x, float y, PointerKind kind = PointerKind::touch);
  void push_pointer_up(float x, float y, PointerKind kind = PointerKind::touch);
  void push_pointer_move(float x, float y, PointerKind kind = PointerKind::touch);

  // Text as SDL_TEXTINPUT events (goes to a focused ImGui text field), then one frame.
  void type_text(std::string_view utf8);
  // A key press and release, with a frame in between so ImGui sees both.
  void press_key(SDL_Scancode key, SDL_Keymod mods = KMOD_NONE);

  const WidgetInfo* widget(std::string_view id) { return app_->widgets().find(id); }
  std::vector<const WidgetInfo*> overflowing() { return app_->widgets().overflowing(); }
  bool save_png(const std::filesystem::path& file) { return app_->save_png(file); }

 private:
  void push(SDL_Event e);
  std::unique_ptr<App> app_;
  App::DrawFn draw_;
};

}  // namespace wm::ui
