// Non-text contrast (WCAG 1.4.11): every boundary that says "this is a control" is ≥ 3:1 in
// both palettes, computed from the theme's colours and measured in rendered pixels.
#define BOOST_TEST_MODULE ui_theme
#include <boost/test/unit_test.hpp>

#include <stb_image.h>

#include <filesystem>
#include <random>

#include "tests/support/png_file.hpp"
#include "ui/harness.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

using namespace wm::ui;
namespace fs = std::filesystem;

namespace {

Theme theme(bool hc) { return make_theme(DisplaySettings{.high_contrast = hc}, 1.0f); }

ImU32 rgb(unsigned v) { return IM_COL32((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff, 0xff); }

}  // namespace

BOOST_AUTO_TEST_CASE(contrast_ratio_is_wcags) {
  BOOST_TEST(contrast_ratio(rgb(0x000000), rgb(0xFFFFFF)) == 21.0f, boost::test_tools::tolerance(0.01f));
  BOOST_TEST(contrast_ratio(rgb(0xFFFFFF), rgb(0x000000)) == 21.0f, boost::test_tools::tolerance(0.01f));
  BOOST_TEST(contrast_ratio(rgb(0x777777), rgb(0x777777)) == 1.0f, boost::test_tools::tolerance(0.001f));
  // The figures the issue measured on the old palette: #C5CFDA on #F3F5F8 and on white.
  BOOST_TEST(contrast_ratio(rgb(0xC5CFDA), rgb(0xF3F5F8)) == 1.44f, boost::test_tools::tolerance(0.01f));
  BOOST_TEST(contrast_ratio(rgb(0xC5CFDA), rgb(0xFFFFFF)) == 1.58f, boost::test_tools::tolerance(0.01f));
}

BOOST_AUTO_TEST_CASE(control_edges_are_at_least_3_to_1_in_both_palettes) {
  for (bool hc : {false, true}) {
    BOOST_TEST_CONTEXT((hc ? "high contrast" : "calm")) {
      const Palette c = theme(hc).c;
      // Outlined buttons, fields, switches and tiles on the screen and on a card; the track of
      // a switch that is off (border colour) on its card, and its knob (surface) on the track.
      BOOST_TEST(contrast_ratio(c.border, c.background) >= 3.0f);
      BOOST_TEST(contrast_ratio(c.border, c.surface) >= 3.0f);
      // A held button or tile keeps its edge.
      BOOST_TEST(contrast_ratio(c.border, c.surface_pressed) >= 3.0f);
      // Filled buttons: their fill is their edge; the selected tile's and the on switch's edge.
      BOOST_TEST(contrast_ratio(c.accent, c.background) >= 3.0f);
      BOOST_TEST(contrast_ratio(c.accent, c.surface) >= 3.0f);
      BOOST_TEST(contrast_ratio(c.danger, c.background) >= 3.0f);
      // Text: what the palette's comments promise.
      BOOST_TEST(contrast_ratio(c.text_muted, c.background) >= 4.5f);
      BOOST_TEST(contrast_ratio(c.text_muted, c.surface) >= 4.5f);
      BOOST_TEST(contrast_ratio(c.on_accent, c.accent) >= 4.5f);
    }
  }
}

namespace {

struct Png : wm::test::PngFile {
  using PngFile::PngFile;
  ImU32 at(float x, float y) const {
    const unsigned c = pixel(int(x), int(y));
    return IM_COL32(c >> 16, (c >> 8) & 0xff, c & 0xff, 0xff);
  }
};

// The strongest contrast against the screen's background along a horizontal line through the
// middle of `r`'s left edge (the edge is antialiased over a pixel or two).
float edge_contrast(const Png& png, const Rect& r, ImU32 background) {
  float best = 1;
  for (float x = r.x - 2; x <= r.x + 3; ++x)
    best = std::max(best, contrast_ratio(png.at(x, r.y + r.h / 2), background));
  return best;
}

}  // namespace

// Rendered, not just computed: enabled outlined buttons show an edge of ≥ 3:1, a disabled one
// has no fill (the screen shows through) so it no longer looks more like a button than they do.
BOOST_AUTO_TEST_CASE(rendered_buttons_show_their_edges_and_disabled_ones_no_fill) {
  for (bool hc : {false, true}) {
    BOOST_TEST_CONTEXT((hc ? "high contrast" : "calm")) {
      Harness h({.width = 1920, .height = 1080, .high_contrast = hc});
      const Rect secondary{100, 100, 400, 100}, quiet{100, 300, 400, 100}, disabled{100, 500, 400, 100};
      h.set_screen([&](Frame& f) {
        touch_button(f, "t.secondary", "Pause", secondary, {.kind = ButtonKind::secondary});
        touch_button(f, "t.quiet", "Kopieren", quiet, {.kind = ButtonKind::quiet});
        touch_button(f, "t.disabled", "Weiterleiten", disabled,
                     {.kind = ButtonKind::secondary, .enabled = false});
      });
      h.step(2);
      const fs::path file = fs::temp_directory_path() /
                            ("wm-theme-" + std::to_string(std::random_device{}()) + ".png");
      BOOST_REQUIRE(h.save_png(file));
      Png png(file);
      const Palette c = theme(hc).c;
      BOOST_TEST(png.at(50, 50) == c.background);
      BOOST_TEST(edge_contrast(png, secondary, c.background) >= 3.0f);
      BOOST_TEST(edge_contrast(png, quiet, c.background) >= 3.0f);
      // Inside the disabled button, left of its label: the background, not a grey block.
      BOOST_TEST(png.at(disabled.x + 12, disabled.y + disabled.h / 2) == c.background);
      fs::remove(file);
    }
  }
}
