// Screenshots: PNGs are written, decode to the window size and show a real screen.
#define BOOST_TEST_MODULE ui_screenshot
#include <boost/test/unit_test.hpp>

#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>

#include "ui/app.hpp"
#include "ui/app_options.hpp"
#include "ui/demo/demo_screen.hpp"
#include "tests/support/png_file.hpp"
#include "ui/harness.hpp"

using namespace wm::ui;
namespace fs = std::filesystem;

namespace {

struct Png : wm::test::PngFile {
  using PngFile::PngFile;
  std::size_t colours() const {
    std::set<unsigned> seen;
    for (int y = 0; y < h; y += 3)
      for (int x = 0; x < w; x += 3) seen.insert(pixel(x, y));
    return seen.size();
  }
};

fs::path temp_png(const std::string& name) {
  return fs::temp_directory_path() /
         ("wm-ui-" + std::to_string(std::random_device{}()) + "-" + name + ".png");
}

}  // namespace

BOOST_AUTO_TEST_CASE(harness_png_is_the_screen) {
  Harness h(HarnessConfig{.width = 540, .height = 960});
  h.set_screen([](Frame& f) { demo::draw_demo_screen(f, demo::make_demo_view("de")); });
  h.step(2);
  const fs::path file = temp_png("demo");
  BOOST_REQUIRE(h.save_png(file));
  Png png(file);
  BOOST_TEST(png.w == 540);
  BOOST_TEST(png.h == 960);
  BOOST_TEST(png.colours() > 20u);  // text is antialiased: many shades, not one colour
  BOOST_TEST(png.pixel(270, 5) == 0x0B4F8Au);     // header bar of the calm theme
  BOOST_TEST(png.pixel(5, 300) == 0xF3F5F8u);     // screen background
  fs::remove(file);
}

BOOST_AUTO_TEST_CASE(high_contrast_png_is_black_and_white_and_yellow) {
  Harness h(HarnessConfig{.width = 540, .height = 960, .high_contrast = true});
  h.set_screen([](Frame& f) { demo::draw_demo_screen(f, demo::make_demo_view("de")); });
  h.step(2);
  const fs::path file = temp_png("hc");
  BOOST_REQUIRE(h.save_png(file));
  Png png(file);
  BOOST_TEST(png.pixel(5, 300) == 0x000000u);
  fs::remove(file);
}

BOOST_AUTO_TEST_CASE(screenshot_option_of_an_app_writes_the_png_and_exits) {
  const char* bin = std::getenv("WM_BIN_DIR");
  BOOST_REQUIRE(bin);
  const fs::path file = temp_png("cli");
  const std::string cmd = std::string(bin) + "/wartemarke-ui-demo --size 1920x1080 --lang ru " +
                          "--high-contrast --frames 2 --screenshot " + file.string() +
                          " > /dev/null 2>&1";
  BOOST_REQUIRE_EQUAL(std::system(cmd.c_str()), 0);
  Png png(file);
  BOOST_TEST(png.w == 1920);
  BOOST_TEST(png.h == 1080);
  BOOST_TEST(png.pixel(5, 600) == 0x000000u);
  fs::remove(file);
}

// The headless demo keeps its screens running (and connected) and takes a PNG now and then.
BOOST_AUTO_TEST_CASE(periodic_screenshots_keep_the_app_running_and_write_timestamped_pngs) {
  const char* bin = std::getenv("WM_BIN_DIR");
  BOOST_REQUIRE(bin);
  const fs::path dir = temp_png("periodic").replace_extension();
  fs::create_directories(dir);
  const std::string cmd = "timeout --preserve-status -s INT 3.5 " + std::string(bin) +
                          "/wartemarke-ui-demo --size 960x540 --screenshot-every 1 --screenshot " +
                          (dir / "demo.png").string() + " > /dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  BOOST_TEST(WEXITSTATUS(status) == 0, "SIGINT ends the app cleanly, status " << status);
  std::vector<fs::path> shots;
  for (const auto& e : fs::directory_iterator(dir)) shots.push_back(e.path());
  BOOST_TEST(shots.size() >= 2u);  // first after ~1 s, then every second
  BOOST_TEST(!fs::exists(dir / "demo.png"));
  for (const auto& f : shots) {
    BOOST_TEST(f.filename().string().rfind("demo-", 0) == 0u, f);
    Png png(f);
    BOOST_TEST(png.w == 960);
    BOOST_TEST(png.colours() > 20u);
  }
  BOOST_TEST(periodic_screenshot_path("/x/kiosk.png").filename().string().size() ==
             std::string("kiosk-123456.png").size());
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(common_options_parse) {
  AppConfig c;
  const char* argv[] = {"app",          "--size",       "1920x1080", "--lang",   "cs",
                        "--large-text", "--screenshot", "/tmp/x.png", "--frames", "7"};
  BOOST_TEST(!parse_app_options(10, const_cast<char**>(argv), c, "test").has_value());
  BOOST_TEST(c.width == 1920);
  BOOST_TEST(c.height == 1080);
  BOOST_TEST(c.display.lang == "cs");
  BOOST_TEST(c.display.large_text);
  BOOST_TEST(!c.display.high_contrast);
  BOOST_TEST(c.screenshot->string() == "/tmp/x.png");
  BOOST_TEST(c.frames == 7);

  AppConfig bad;
  const char* wrong_lang[] = {"app", "--lang", "xx"};
  BOOST_TEST(parse_app_options(3, const_cast<char**>(wrong_lang), bad, "test").value_or(0) != 0);
  BOOST_TEST(!parse_size("1080").has_value());
  BOOST_TEST(!parse_size("10x10").has_value());
  BOOST_TEST(parse_size("1080x1920")->second == 1920);
}
