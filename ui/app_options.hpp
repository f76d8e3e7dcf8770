// Command-line options every Wartemarke front end shares (window, language, a11y, screenshots).
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>

#include "ui/display_settings.hpp"
#include "ui/fonts.hpp"

namespace wm::ui {

struct AppConfig {
  std::string title = "Wartemarke";
  int width = 1080;   // logical window size; portrait 1080×1920 by default (kiosk)
  int height = 1920;
  bool fullscreen = false;
  bool show_cursor = true;  // a touch kiosk hides it (fullscreen implies hidden)
  DisplaySettings display;
  std::filesystem::path assets_dir;  // empty: find_assets_dir()
  FontPaths fonts;
  // Render exactly `frames` frames with a fixed time step, save a PNG and exit.
  std::optional<std::filesystem::path> screenshot;
  int frames = 3;
  // > 0 with `screenshot`: keep running live (headless) and save `<stem>-HHMMSS.png` beside
  // `screenshot` every this many seconds — a headless demo's screens stay connected.
  double screenshot_every = 0;
  // > 0: every frame advances the clock by this many seconds (deterministic tests).
  double fixed_dt = 0;
  // SDL render driver; software by default (predictable, low memory, works headless).
  std::string render_driver = "software";
};

// Adds --size WxH, --fullscreen, --lang, --high-contrast, --large-text, --screenshot FILE,
// --frames N, --assets DIR, --render-driver to an app's own CLI11 parser.
void add_app_options(CLI::App& cli, AppConfig& config);

// For apps with no options of their own. Returns an exit code if the program should stop
// (--help, or a usage error already printed), nullopt to go on.
std::optional<int> parse_app_options(int argc, char** argv, AppConfig& config,
                                     const std::string& description);

// "1080x1920" → (1080, 1920); nullopt for anything else.
std::optional<std::pair<int, int>> parse_size(const std::string& text);

// Where assets/ is: the explicit dir, else $WM_ASSETS_DIR, else <bin>/../share/wartemarke,
// else the source tree (running from a build directory), else the configured install prefix.
std::filesystem::path find_assets_dir(const std::filesystem::path& explicit_dir = {});

}  // namespace wm::ui
