// Every screen × language × orientation × theme draws without ImGui errors or overflowing text.
#define BOOST_TEST_MODULE ui_screens
#include <boost/test/unit_test.hpp>

#include "core/i18n/languages.hpp"
#include "ui/demo/demo_screen.hpp"
#include "ui/harness.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

using namespace wm::ui;

namespace {

struct Theme3 {
  const char* name;
  bool high_contrast;
  bool large_text;
};
constexpr Theme3 kThemes[] = {{"calm", false, false}, {"high-contrast", true, false},
                              {"large-text", false, true}};

void check_screen(Harness& h, const std::string& what) {
  BOOST_TEST_CONTEXT(what) {
    BOOST_TEST(h.app().ui_errors() == 0);
    auto& reg = h.app().widgets();
    BOOST_TEST(reg.all().size() > 5u);
    for (const WidgetInfo* w : reg.overflowing()) {
      BOOST_ERROR("text does not fit: " << w->id << " \"" << w->label << "\"");
    }
    BOOST_TEST(reg.duplicates().empty());
    const Rect screen{0, 0, float(h.app().width()), float(h.app().height())};
    for (const auto& w : reg.all()) {
      BOOST_TEST(screen.contains(w.rect), w.id << " is outside the screen");
      if (w.kind == WidgetKind::button || w.kind == WidgetKind::key) {
        // Touch targets for elderly visitors: never smaller than ~9 mm on a 24" portrait.
        BOOST_TEST(std::min(w.rect.w, w.rect.h) >= h.app().theme().px(80),
                   w.id << " is too small to touch");
      }
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(demo_screens_in_all_languages_orientations_and_themes) {
  const std::pair<int, int> sizes[] = {{1080, 1920}, {1920, 1080}};
  for (auto [w, h_px] : sizes) {
    Harness h(HarnessConfig{.width = w, .height = h_px});
    demo::DemoPage page = demo::DemoPage::services;
    h.set_screen([&](Frame& f) {
      auto view = demo::make_demo_view(f.lang(), page);
      view.connection_lost = true;
      view.code = "AB12";
      demo::draw_demo_screen(f, view);
    });
    // Settings switch at runtime here, which exercises font rebuilds and theme changes too.
    for (const auto& theme : kThemes) {
      for (const auto& lang : wm::i18n::supported_languages()) {
        for (auto p : {demo::DemoPage::services, demo::DemoPage::code}) {
          page = p;
          auto& s = h.app().settings();
          s.lang = std::string(lang.code);
          s.high_contrast = theme.high_contrast;
          s.large_text = theme.large_text;
          h.step(2);
          check_screen(h, std::to_string(w) + "x" + std::to_string(h_px) + " " + theme.name +
                              " " + std::string(lang.code) +
                              (p == demo::DemoPage::code ? " code" : " services"));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_label_that_cannot_fit_is_reported) {
  Harness h(HarnessConfig{.width = 540, .height = 960});
  h.set_screen([&](Frame& f) {
    touch_button(f, "t.short", "OK", Rect{20, 20, 200, 80});
    touch_button(f, "t.long",
                 "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenantragsformular",
                 Rect{20, 120, 200, 80});
    tile(f, "t.tile", "Wohngeld",
         "Eine Beschreibung, die viel zu lang ist für eine so kleine Kachel, weil sie immer "
         "weiter und weiter geht, über alle Zeilen hinaus, die die Kachel bieten kann.",
         Rect{20, 220, 200, 90});
  });
  h.step();
  auto over = h.overflowing();
  BOOST_REQUIRE_EQUAL(over.size(), 2u);
  BOOST_TEST(over[0]->id == "t.long");
  BOOST_TEST(over[1]->id == "t.tile");
  BOOST_TEST(h.widget("t.short")->label_fits);
}

BOOST_AUTO_TEST_CASE(fit_text_shrinks_and_wraps_before_giving_up) {
  Harness h(HarnessConfig{.width = 540, .height = 960});
  h.step();
  ImFont* font = h.app().fonts().get(FontRole::body_bold);
  const float size = h.app().fonts().size(FontRole::body_bold);
  // Two words: wraps onto two lines at full size.
  TextLayout two = fit_text(font, size, "Hoher Kontrast", ImVec2(size * 5, size * 3));
  BOOST_TEST(two.fits);
  BOOST_TEST(two.lines.size() == 2u);
  BOOST_TEST(two.size == size);
  // One long word: only shrinking helps, down to 70 %.
  const char* word = "Außerbetriebsetzung";
  const float w = font->CalcTextSizeA(size, FLT_MAX, 0, word).x;
  TextLayout shrunk = fit_text(font, size, word, ImVec2(w * 0.85f, size * 3));
  BOOST_TEST(shrunk.fits);
  BOOST_TEST(shrunk.size < size);
  BOOST_TEST(shrunk.lines.size() == 1u);  // never broken inside the word
  BOOST_TEST(shrunk.extent.x <= w * 0.85f);
  TextLayout too_long = fit_text(font, size, word, ImVec2(w * 0.5f, size * 3));
  BOOST_TEST(!too_long.fits);
}

// Empty labels and blank lines have no characters to draw (and an empty string_view may have
// no data pointer at all); they used to crash the frame inside ImGui's AddText.
BOOST_AUTO_TEST_CASE(empty_labels_and_blank_lines_draw) {
  Harness h(HarnessConfig{.width = 540, .height = 960});
  h.set_screen([&](Frame& f) {
    touch_button(f, "t.empty", std::string_view{}, Rect{20, 20, 200, 80});
    touch_button(f, "t.blank", "Erste Zeile\n\nDritte Zeile", Rect{20, 120, 400, 200},
                 ButtonOptions{.max_lines = 3});
    tile(f, "t.tile", std::string_view{}, std::string_view{}, Rect{20, 340, 300, 120});
  });
  h.step(2);
  BOOST_TEST(h.app().ui_errors() == 0);
  BOOST_REQUIRE(h.widget("t.empty"));
  BOOST_TEST(h.widget("t.blank")->label_fits);
}

BOOST_AUTO_TEST_CASE(a_screen_missing_end_is_repaired_and_counted) {
  Harness h(HarnessConfig{.width = 540, .height = 960});
  h.set_screen([](Frame&) {
    ImGui::BeginChild("forgotten");  // no EndChild(): must not abort the kiosk
  });
  h.step(2);
  BOOST_TEST(h.app().ui_errors() > 0);
}
