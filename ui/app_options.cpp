// Shared command-line parsing for the front ends.
#include "ui/app_options.hpp"

#include "core/paths.hpp"

#include <SDL.h>

#include <cstdlib>
#include <regex>

#include "core/i18n/languages.hpp"

namespace wm::ui {

std::optional<std::pair<int, int>> parse_size(const std::string& text) {
  static const std::regex re(R"((\d{2,5})[xX](\d{2,5}))");
  std::smatch m;
  if (!std::regex_match(text, m, re)) return std::nullopt;
  int w = std::stoi(m[1]), h = std::stoi(m[2]);
  if (w < 64 || h < 64 || w > 16384 || h > 16384) return std::nullopt;
  return std::pair{w, h};
}

void add_app_options(CLI::App& cli, AppConfig& c) {
  cli.add_option_function<std::string>(
         "--size",
         [&c](const std::string& s) {
           auto wh = parse_size(s);
           if (!wh) throw CLI::ValidationError("--size", "expected WxH, e.g. 1080x1920");
           c.width = wh->first;
           c.height = wh->second;
         },
         "Window size WxH (portrait kiosk 1080x1920, landscape display 1920x1080)")
      ->type_name("WxH");
  cli.add_flag("--fullscreen", c.fullscreen, "Fullscreen on the current display");
  cli.add_option("--lang", c.display.lang, "Start language (de en pl cs uk ru tr)")
      ->check([](const std::string& code) -> std::string {
        return i18n::find_language(code) ? "" : "unknown language '" + code + "'";
      });
  cli.add_flag("--high-contrast", c.display.high_contrast, "Start in high-contrast mode");
  cli.add_flag("--large-text", c.display.large_text, "Start with large text");
  cli.add_option_function<std::string>(
         "--screenshot", [&c](const std::string& f) { c.screenshot = f; },
         "Render headless frames, save this PNG and exit")
      ->type_name("FILE");
  cli.add_option("--screenshot-every", c.screenshot_every,
                 "With --screenshot: keep running and save <name>-HHMMSS.png every SECONDS")
      ->check(CLI::PositiveNumber);
  cli.add_option("--frames", c.frames, "Frames to render before --screenshot")
      ->check(CLI::Range(1, 100000));
  cli.add_option("--assets", c.assets_dir, "Assets directory (translations)");
  cli.add_option("--render-driver", c.render_driver,
                 "SDL render driver (software, opengl, opengles2)");
}

std::optional<int> parse_app_options(int argc, char** argv, AppConfig& config,
                                     const std::string& description) {
  CLI::App cli{description};
  add_app_options(cli, config);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  return std::nullopt;
}

std::filesystem::path find_assets_dir(const std::filesystem::path& explicit_dir) {
  return core::find_assets_dir(explicit_dir);
}

}  // namespace wm::ui
