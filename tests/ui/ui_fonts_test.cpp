// Fonts: every character our languages need is in the atlas, at every text size.
#define BOOST_TEST_MODULE ui_fonts
#include <boost/test/unit_test.hpp>

#include <imgui.h>
#include <imgui_internal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ui/harness.hpp"

using namespace wm::ui;
namespace fs = std::filesystem;

namespace {

std::vector<unsigned> codepoints(const std::string& utf8) {
  std::vector<unsigned> out;
  const char* p = utf8.c_str();
  const char* end = p + utf8.size();
  while (p < end) {
    unsigned c = 0;
    int n = ImTextCharFromUtf8(&c, p, end);
    if (n <= 0) break;
    out.push_back(c);
    p += n;
  }
  return out;
}

constexpr FontRole kTextRoles[] = {FontRole::small, FontRole::body, FontRole::body_bold,
                                   FontRole::heading, FontRole::title};

}  // namespace

BOOST_AUTO_TEST_CASE(text_fonts_have_the_letters_imgui_cyrillic_range_lacks) {
  Harness h(HarnessConfig{.width = 540, .height = 960});
  h.step();
  BOOST_REQUIRE(!h.app().fonts().fallback());
  for (FontRole role : kTextRoles) {
    ImFont* font = h.app().fonts().get(role);
    for (unsigned c : codepoints("łŁčČğĞşŞıİőűěřžäöüßÄÖÜЖжєЄїЇґҐ€„“”…–—№")) {
      BOOST_TEST(font->FindGlyphNoFallback(ImWchar(c)) != nullptr,
                 "role " << int(role) << " lacks U+" << std::hex << c);
    }
    BOOST_TEST(font->FindGlyphNoFallback(ImWchar(0x2192)) != nullptr, "no → arrow");
  }
  ImFont* huge = h.app().fonts().get(FontRole::huge);
  for (unsigned c : codepoints("K017 → 3")) BOOST_TEST(huge->FindGlyphNoFallback(ImWchar(c)));
}

BOOST_AUTO_TEST_CASE(every_character_of_every_translation_has_a_glyph) {
  Harness h(HarnessConfig{.width = 540, .height = 960});
  h.step();
  ImFont* font = h.app().fonts().get(FontRole::body);
  for (const auto& entry : fs::directory_iterator(fs::path(WM_SOURCE_DIR) / "assets" / "i18n")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    for (unsigned c : codepoints(text.str())) {
      if (c == '\n' || c == '\r') continue;
      BOOST_TEST(font->FindGlyphNoFallback(ImWchar(c)) != nullptr,
                 entry.path().filename() << ": no glyph for U+" << std::hex << c);
    }
  }
}

BOOST_AUTO_TEST_CASE(large_text_is_at_least_1_4_times_larger) {
  Harness normal(HarnessConfig{.width = 540, .height = 960});
  const float body = normal.app().fonts().size(FontRole::body);
  normal.app().settings().large_text = true;
  normal.step();
  BOOST_TEST(normal.app().fonts().large_text());
  BOOST_TEST(normal.app().fonts().size(FontRole::body) >= body * 1.39f);
  BOOST_TEST(normal.app().fonts().size(FontRole::title) >= body * 1.39f);
}

BOOST_AUTO_TEST_CASE(font_size_follows_the_window) {
  float portrait_body = 0;
  {
    Harness h(HarnessConfig{.width = 1080, .height = 1920});
    portrait_body = h.app().fonts().size(FontRole::body);
    BOOST_TEST(portrait_body == design_size(FontRole::body));
  }
  Harness half(HarnessConfig{.width = 540, .height = 960});
  BOOST_TEST(half.app().fonts().size(FontRole::body) == portrait_body / 2);
}

BOOST_AUTO_TEST_CASE(missing_font_falls_back_instead_of_crashing) {
  ImFontAtlas atlas;
  FontSet fonts;
  FontPaths paths;
  paths.regular = "/nonexistent/NotoSans-Regular.ttf";
  BOOST_TEST(!fonts.build(atlas, paths, 0.5f, false));
  BOOST_TEST(fonts.fallback());
  BOOST_TEST(fonts.get(FontRole::body) != nullptr);
  BOOST_TEST(atlas.IsBuilt());
}
