// Every kiosk screen × language × orientation is drawn: no ImGui error, no text overflowing,
// touch targets of at least 2 cm, nothing off screen.
#define BOOST_TEST_MODULE kiosk_screens
#include <boost/test/unit_test.hpp>

#include <algorithm>
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
  int concerns = 2;           // chosen services (1: the summary offers a second concern)
  bool with_id = true;        // an ID was read
};

std::vector<Variant> variants() {
  return {{Screen::services, {}, {}, false, "services"},
          {Screen::services, {}, {}, true, "services-offline"},
          {Screen::language, {}, {}, false, "language"},
          {Screen::second_service, {}, {}, false, "second", false, false, false, 1},
          {Screen::summary, {}, {}, false, "summary-offers", false, false, false, 1, false},
          {Screen::summary, {}, {}, false, "summary-two-add-id", false, false, false, 2, false},
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
          {Screen::second_service, {}, {}, false, "second-cutoff", false, true, false, 1},
          {Screen::unavailable, Failure::closed, {}, false, "unavailable-closed"},
          {Screen::summary, {}, {}, false, "summary-idle-warning", false, false, true},
          {Screen::consent, {}, {}, false, "consent-idle-warning", false, false, true}};
}

// A busy day's view: two concerns (or one, with the most second-concern tiles Görlitz has:
// Beglaubigung's five), an ID read, a nearby office, estimates everywhere.
KioskView sample_view(const Variant& var, const std::string& lang) {
  wm::core::State state(region());
  KioskModel m(*region(), "goerlitz-kiosk-1", KioskOptions{.default_lang = lang});
  m.set_online(true);
  const bool second = var.screen == Screen::second_service;
  m.apply({.service = std::string(second ? "beglaubigung" : "kfz-neu")}, 0);
  if (var.concerns == 2) {
    m.apply({.add_second = true}, 0);
    m.apply({.service = std::string("kfz-um")}, 0);
  }
  KioskView v = build_view(m, state, 1'800'000'000'000);
  int i = 0;
  for (auto* tiles : {&v.offered, &v.combinable})
    for (auto& s : *tiles) {
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
  if (var.with_id) {
    v.identity = id;
    v.can_add_id = false;
  }
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
    for (auto* tiles : {&v.offered, &v.combinable})
      for (std::size_t k = 0; k < tiles->size(); k += 2) {
        (*tiles)[k].last_ticket_passed = true;
        (*tiles)[k].next_opening = later;
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

// Issue 16 item 2: the two answers to "read the ID card?" weigh the same: same size, same
// style (neither the filled primary), same font size, side by side (neither on top).
void check_equal_pair(Harness& h, const std::string& what, const char* yes_id, const char* no_id) {
  BOOST_TEST_CONTEXT(what) {
    const WidgetInfo* yes = h.app().widgets().find(yes_id);
    const WidgetInfo* no = h.app().widgets().find(no_id);
    BOOST_REQUIRE(yes);
    BOOST_REQUIRE(no);
    BOOST_TEST((yes->kind == WidgetKind::button && no->kind == WidgetKind::button));
    BOOST_TEST(yes->rect.w == no->rect.w);
    BOOST_TEST(yes->rect.h == no->rect.h);
    BOOST_TEST(yes->rect.y == no->rect.y);
    BOOST_TEST(yes->style == no->style);
    BOOST_TEST(yes->style != "primary");
    BOOST_TEST(yes->selected == no->selected);
    BOOST_TEST(yes->text_size == no->text_size);
    BOOST_TEST(yes->text_size > 0);
  }
}

// The consent screen: the answers alike, and what is read at the body size of the other
// paragraphs (it used to be the smallest grey text on the page).
void check_consent(Harness& h, const std::string& what) {
  check_equal_pair(h, what, "kiosk.consent.yes", "kiosk.consent.skip");
  BOOST_TEST_CONTEXT(what) {
    const WidgetInfo* fields = h.app().widgets().find("kiosk.consent.fields");
    const WidgetInfo* text = h.app().widgets().find("kiosk.consent.text");
    BOOST_REQUIRE(fields);
    BOOST_REQUIRE(text);
    BOOST_TEST(fields->label_fits);
    BOOST_TEST(fields->text_size == h.app().fonts().size(FontRole::body));
    BOOST_TEST(fields->text_size == text->text_size);
  }
}

// The first screen: languages (in their own names) and both switches on top, above every
// tile; no footer ("back" has nowhere to go).
void check_first_screen(Harness& h, const std::string& what) {
  BOOST_TEST_CONTEXT(what) {
    const auto& reg = h.app().widgets();
    float top_bar_bottom = 0;
    for (const auto& l : wm::i18n::supported_languages()) {
      const WidgetInfo* b = reg.find("kiosk.lang." + std::string(l.code));
      BOOST_REQUIRE(b);
      BOOST_TEST(b->label == std::string(l.native_name));
      BOOST_TEST(b->label_fits);
      top_bar_bottom = std::max(top_bar_bottom, b->rect.y + b->rect.h);
    }
    for (const char* id : {"kiosk.a11y.large_text", "kiosk.a11y.high_contrast"}) {
      const WidgetInfo* t = reg.find(id);
      BOOST_REQUIRE(t);
      top_bar_bottom = std::max(top_bar_bottom, t->rect.y + t->rect.h);
    }
    for (const auto& w : reg.all())
      if (w.kind == WidgetKind::tile) BOOST_TEST(w.rect.y >= top_bar_bottom, w.id);
    BOOST_TEST(reg.find("kiosk.back") == nullptr);
    BOOST_TEST(reg.find("kiosk.language") == nullptr);  // the languages are on the screen
  }
}

// The summary: print is the one primary action; a second concern and the ID card are
// offered (quieter) exactly when the view-model says so.
void check_summary(Harness& h, const KioskView& v, const std::string& what) {
  BOOST_TEST_CONTEXT(what) {
    const auto& reg = h.app().widgets();
    const WidgetInfo* print = reg.find("kiosk.summary.print");
    BOOST_REQUIRE(print);
    BOOST_TEST(print->style == "primary");
    BOOST_TEST(print->enabled == v.online);
    const WidgetInfo* second = reg.find("kiosk.summary.add_second");
    const WidgetInfo* id = reg.find("kiosk.summary.add_id");
    BOOST_TEST((second != nullptr) == v.can_add_second);
    BOOST_TEST((id != nullptr) == v.can_add_id);
    for (const WidgetInfo* w : {second, id})
      if (w) {
        BOOST_TEST(w->style == "secondary", w->id);
        BOOST_TEST(w->rect.h >= h.app().theme().touch_min, w->id);
      }
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
      if (tiles && !var.offline) {
        const bool first = var.screen == Screen::services;
        const std::string prefix = first ? "kiosk.service." : "kiosk.second.service.";
        BOOST_TEST(!(first ? view.offered : view.combinable).empty(), what);
        for (const auto& s : first ? view.offered : view.combinable)
          BOOST_TEST(shown.count(prefix + s.id) == 1u, what << ": " << s.id << " on no page");
        // The second screen shows only what a counter serves with the first concern.
        for (const auto& id : shown)
          if (!first && id.rfind(prefix, 0) == 0)
            BOOST_TEST(std::count_if(view.combinable.begin(), view.combinable.end(),
                                     [&](const ServiceView& s) { return prefix + s.id == id; }) == 1,
                       what << ": " << id);
        if (first) BOOST_TEST(shown.count("kiosk.services.appointment") == 1u, what);
      }
      if (var.screen == Screen::services) check_first_screen(h, what);
      if (var.screen == Screen::services && var.offline) {  // says so, invites nothing
        BOOST_TEST(shown.count("kiosk.offline.title") == 1u, what);
        BOOST_TEST(shown.count("kiosk.services.appointment") == 0u, what);
        for (const auto& id : shown)  // no tiles, no estimates it does not have
          BOOST_TEST(id.rfind("kiosk.service.", 0) != 0, what << ": " << id);
      }
      if (var.screen == Screen::consent && !var.idle_warning) check_consent(h, what);
      if (var.screen == Screen::id_confirm)
        check_equal_pair(h, what, "kiosk.id_confirm.accept", "kiosk.id_confirm.discard");
      if (var.screen == Screen::summary && !var.idle_warning) check_summary(h, view, what);
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
