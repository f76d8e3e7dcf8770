// Every kiosk screen × language × orientation is drawn: no ImGui error, no text overflowing,
// touch targets of at least 2 cm, nothing off screen.
#define BOOST_TEST_MODULE kiosk_screens
#include <boost/test/unit_test.hpp>

#include <set>

#include "core/i18n/languages.hpp"
#include "kiosk/kiosk_app/kiosk_screens.hpp"
#include "ui/harness.hpp"

using namespace wm::kiosk;
using namespace wm::ui;

namespace {

std::shared_ptr<const wm::core::Region> region() {
  static auto r = std::make_shared<const wm::core::Region>(
      wm::core::load_config(wm::core::default_config_path()));
  return r;
}

// 2 cm on a 24" full-HD panel (0.2767 mm per pixel) at the design scale.
constexpr float kTwoCentimetres = 20.0f / 0.2767f;

struct Variant {
  Screen screen;
  Failure failure = Failure::none;
  Failure code_failure = Failure::none;
  bool offline = false;
  std::string name;
  bool closed = false;  // outside the opening hours
  bool cutoff = false;  // every other service past its last ticket
  bool idle_warning = false;  // the reset is near: the warning over the screen
};

std::vector<Variant> variants() {
  return {{Screen::attract, {}, {}, false, "attract"},
          {Screen::attract, {}, {}, true, "attract-offline"},
          {Screen::language, {}, {}, false, "language"},
          {Screen::services, {}, {}, false, "services"},
          {Screen::second_service, {}, {}, false, "second"},
          {Screen::appointment, {}, Failure::unknown_code, false, "appointment-unknown"},
          {Screen::appointment, {}, Failure::code_not_today, false, "appointment-not-today"},
          {Screen::consent, {}, {}, false, "consent"},
          {Screen::id_scan, {}, {}, false, "id_scan"},
          {Screen::id_confirm, {}, {}, false, "id_confirm"},
          {Screen::summary, {}, {}, false, "summary"},
          {Screen::summary, {}, {}, true, "summary-offline"},
          {Screen::busy, {}, {}, false, "busy"},
          {Screen::printing, {}, {}, false, "printing"},
          {Screen::done, {}, {}, false, "done"},
          {Screen::print_failed, {}, {}, false, "print_failed"},
          {Screen::unavailable, Failure::unavailable, {}, true, "unavailable"},
          {Screen::unavailable, Failure::not_parked, {}, false, "return-not-parked"},
          {Screen::returned, {}, {}, false, "returned"},
          {Screen::closed, {}, {}, false, "closed", true},
          {Screen::services, {}, {}, false, "services-cutoff", false, true},
          {Screen::second_service, {}, {}, false, "second-cutoff", false, true},
          {Screen::unavailable, Failure::closed, {}, false, "unavailable-closed"},
          {Screen::summary, {}, {}, false, "summary-idle-warning", false, false, true},
          {Screen::consent, {}, {}, false, "consent-idle-warning", false, false, true}};
}

// A busy day's view: two concerns, an ID read, a nearby office, estimates everywhere.
KioskView sample_view(const Variant& var, const std::string& lang) {
  wm::core::State state(region());
  KioskModel m(*region(), "goerlitz-kiosk-1", KioskOptions{.default_lang = lang});
  m.set_online(true);
  m.apply({.start = true}, 0);
  m.apply({.service = std::string("kfz-neu")}, 0);
  m.apply({.service = std::string("wohngeld")}, 0);
  KioskView v = build_view(m, state, 1'800'000'000'000);
  int i = 0;
  for (auto& s : v.offered) {
    s.waiting = 3 + i;
    s.minutes = 5 + 5 * (i++ % 9);
  }
  v.offered.back().minutes = std::nullopt;  // no counter open for it
  for (auto& s : v.selected) s.minutes = 45;
  v.estimate = 45;
  v.alternative = Alternative{"Bürgerbüro Weißwasser", "", 10};
  Identity id;
  id.surname = "MUSTERMANN";
  id.given_names = "ERIKA";
  id.birth_date = "1983-08-12";
  id.nationality = "D";
  id.document_number = "T22000129";
  id.expiry = "2031-10-31";
  id.expired = true;
  v.identity = id;
  v.number = "K017";
  v.ticket_minutes = 45;
  v.slot = "10:30";
  v.printer_state = "paper_out";
  v.returned_number = "K007";
  v.code = "GR4711";
  v.screen = var.screen;
  v.failure = var.failure;
  v.code_failure = var.code_failure;
  v.online = !var.offline;
  // Opening hours: the longest wording, a weekday three days on ("am Donnerstag, 14.01., …").
  const wm::core::Millis later = v.now + 3 * 86'400'000LL - 3'600'000LL;
  if (var.closed) {
    v.closed = true;
    v.next_opening = later;
  }
  if (var.idle_warning) v.idle_warning = 20;
  if (var.cutoff)
    for (std::size_t k = 0; k < v.offered.size(); k += 2) {
      v.offered[k].last_ticket_passed = true;
      v.offered[k].next_opening = later;
    }
  return v;
}

void check(Harness& h, const std::string& what) {
  BOOST_TEST_CONTEXT(what) {
    BOOST_TEST(h.app().ui_errors() == 0);
    auto& reg = h.app().widgets();
    BOOST_TEST(reg.all().size() >= 3u);
    for (const WidgetInfo* w : reg.overflowing())
      BOOST_ERROR("text does not fit: " << w->id << " \"" << w->label << "\"");
    BOOST_TEST(reg.duplicates().empty());
    const Rect screen{0, 0, float(h.app().width()), float(h.app().height())};
    const float min_touch = h.app().theme().px(kTwoCentimetres);
    for (const auto& w : reg.all()) {
      BOOST_TEST(screen.contains(w.rect), w.id << " is outside the screen");
      if (w.kind == WidgetKind::button || w.kind == WidgetKind::key ||
          w.kind == WidgetKind::tile || w.kind == WidgetKind::toggle)
        BOOST_TEST(std::min(w.rect.w, w.rect.h) >= min_touch, w.id << " is smaller than 2 cm");
    }
    // The large-text / high-contrast switch is on every screen.
    BOOST_TEST(reg.find("kiosk.a11y.large_text") != nullptr);
    BOOST_TEST(reg.find("kiosk.a11y.high_contrast") != nullptr);
  }
}

void run_all(int w, int hgt, bool high_contrast, bool large_text,
             const std::vector<std::string>& langs) {
  Harness h(HarnessConfig{.width = w, .height = hgt, .high_contrast = high_contrast,
                          .large_text = large_text});
  KioskView view;
  KioskInput input;
  h.set_screen([&](Frame& f) { draw_kiosk(f, view, input); });
  for (const auto& lang : langs) {
    h.app().settings().lang = lang;
    for (const auto& var : variants()) {
      view = sample_view(var, lang);
      input.code = var.screen == Screen::appointment ? "GR4711" : "";
      const std::string what = lang + " " + var.name + " " + std::to_string(w) + "x" +
                               std::to_string(hgt) + (large_text ? " large" : "") +
                               (high_contrast ? " contrast" : "");
      const bool tiles = var.screen == Screen::services || var.screen == Screen::second_service;
      std::set<std::string> shown;
      // Tile screens may page: every page is checked and every service is on one of them.
      for (int page = 0; page < 6; ++page) {
        input.page = page;
        h.step(2);
        check(h, what + " page " + std::to_string(page + 1));
        for (const auto& wi : h.app().widgets().all()) shown.insert(wi.id);
        if (!tiles || input.page != page) break;
      }
      if (tiles) {
        const std::string prefix = var.screen == Screen::services ? "kiosk.service."
                                                                  : "kiosk.second.service.";
        for (const auto& s : view.offered)
          if (var.screen == Screen::services || s.id != view.selected.front().id)
            BOOST_TEST(shown.count(prefix + s.id) == 1u, what << ": " << s.id << " on no page");
        if (var.screen == Screen::services)
          BOOST_TEST(shown.count("kiosk.services.appointment") == 1u, what);
      }
      if (var.screen == Screen::attract && var.offline) {  // says so, invites nothing
        BOOST_TEST(shown.count("kiosk.offline.title") == 1u, what);
        BOOST_TEST(shown.count("kiosk.attract.start") == 0u, what);
        BOOST_TEST(shown.count("kiosk.attract.appointment") == 0u, what);
        for (const auto& id : shown)  // no waiting counts it does not have
          BOOST_TEST(id.rfind("kiosk.attract.row.", 0) != 0, what << ": " << id);
      }
      if (var.idle_warning)  // the dialog is there, whole, with its way to stay
        for (const char* id : {"kiosk.idle.seconds", "kiosk.idle.title", "kiosk.idle.text",
                               "kiosk.idle.stay", "kiosk.idle.start_over"})
          BOOST_TEST(shown.count(id) == 1u, what << ": " << id);
      input.page = 0;
    }
  }
}

std::vector<std::string> all_languages() {
  std::vector<std::string> out;
  for (const auto& l : wm::i18n::supported_languages()) out.emplace_back(l.code);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_screen_language_portrait) { run_all(1080, 1920, false, false, all_languages()); }
BOOST_AUTO_TEST_CASE(every_screen_language_landscape) { run_all(1920, 1080, false, false, all_languages()); }
BOOST_AUTO_TEST_CASE(large_text_and_high_contrast) {
  run_all(1080, 1920, true, true, {"de", "ru", "pl"});
  run_all(1920, 1080, true, true, {"de", "uk"});
}
