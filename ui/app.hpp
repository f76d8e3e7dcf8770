// The front-end shell: SDL window + software renderer + ImGui, and a frame loop that sleeps.
#pragma once

#include <SDL.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/i18n/catalog.hpp"
#include "ui/app_options.hpp"
#include "ui/fonts.hpp"
#include "ui/frame.hpp"
#include "ui/pointer.hpp"
#include "ui/registry.hpp"
#include "ui/theme.hpp"

namespace wm::ui {

// One per process (ImGui and SDL video are process-wide).
//
//   App app(config);
//   return app.run([&](Frame& f) { apply(model, draw_start(f, model.view())); });
//
// The loop renders only when something happened: input, a wake-up from another thread
// (request_redraw / post), a screen that animates, or a scheduled redraw. Otherwise it
// blocks in SDL_WaitEventTimeout, so an idle kiosk costs next to no CPU.
class App {
 public:
  using DrawFn = std::function<void(Frame&)>;

  // Throws std::runtime_error (with SDL's reason) if no window or renderer can be made.
  explicit App(AppConfig config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Runs until the window closes, SIGINT/SIGTERM, or request_quit(). With
  // config.screenshot set: renders config.frames frames at a fixed step, saves the PNG and
  // returns (0 on success). Returns the process exit code.
  int run(const DrawFn& draw);

  // Tests and tools: handle queued events, then render exactly one frame.
  void step(const DrawFn& draw);

  // Thread-safe. Broker clients call these when an event arrives.
  void request_redraw();
  void post(std::function<void()> task);  // runs on the UI thread before the next frame
  void request_quit();
  bool quit_requested() const { return quit_.load(); }

  // The current frame as a PNG (re-renders the last frame's draw data off-screen).
  bool save_png(const std::filesystem::path& file);

  DisplaySettings& settings() { return settings_; }
  const Theme& theme() const { return theme_; }
  const FontSet& fonts() const { return fonts_; }
  const i18n::Catalog& catalog() const { return catalog_; }
  const std::vector<i18n::LoadError>& catalog_errors() const { return catalog_errors_; }
  WidgetRegistry& widgets() { return widgets_; }
  const AppConfig& config() const { return config_; }
  SDL_Window* window() const { return window_; }
  SDL_Renderer* renderer() const { return renderer_; }
  int width() const;
  int height() const;

  double now() const;                       // seconds on the app clock
  std::uint64_t frames_rendered() const { return frames_; }
  // Queued pointer input not yet delivered to ImGui (the harness steps until it is).
  bool input_pending() const { return pointer_.busy(); }
  // ImGui stack errors (a missing End/PopID) recovered instead of aborting; tests assert 0.
  int ui_errors() const { return ui_errors_; }

  // Events go through here (also used by the test harness to inject input).
  void handle_event(const SDL_Event& event);

 private:
  void init_window();
  void init_imgui();
  void apply_settings();
  bool wants_frame() const;
  int wait_timeout_ms() const;
  void pump_events(int timeout_ms);
  void wait_without_native(int timeout_ms);
  void run_posted();
  void render(const DrawFn& draw);

  AppConfig config_;
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  std::uint32_t wake_event_ = 0;

  DisplaySettings settings_;
  DisplaySettings applied_;  // what fonts/theme were built for
  bool fonts_built_ = false;
  float font_scale_ = 0;
  Theme theme_;
  FontSet fonts_;
  i18n::Catalog catalog_;
  std::vector<i18n::LoadError> catalog_errors_;
  std::unique_ptr<i18n::Translator> tr_;
  WidgetRegistry widgets_;
  PointerTracker pointer_;
  Frame::Schedule schedule_;

  std::atomic<bool> quit_{false};
  std::atomic<bool> wake_pending_{false};
  // Video drivers without a native event wait (dummy, KMSDRM, offscreen): SDL_WaitEventTimeout
  // polls there every millisecond (~2 % of a core while idle), so the loop sleeps on this
  // condition instead, woken by request_redraw(), and looks for input every input_poll_ms_.
  bool native_wait_ = true;
  int input_poll_ms_ = 10;
  std::mutex wake_mutex_;
  std::condition_variable wake_cv_;
  std::uint64_t wake_seq_ = 0;
  std::mutex posted_mutex_;
  std::vector<std::function<void()>> posted_;

  int owed_frames_ = 2;  // frames still to draw after input; the first frame, too
  std::uint64_t frames_ = 0;
  double fixed_now_ = 0;
  std::uint64_t start_ticks_ = 0;
  double last_frame_time_ = -1;
  int ui_errors_ = 0;
};

// `dir/kiosk.png` → `dir/kiosk-HHMMSS.png` (local time): the name of a periodic screenshot.
std::filesystem::path periodic_screenshot_path(const std::filesystem::path& base);

// CPU seconds the calling thread has used (CLOCK_THREAD_CPUTIME_ID, nanosecond resolution).
double thread_cpu_seconds();

}  // namespace wm::ui
