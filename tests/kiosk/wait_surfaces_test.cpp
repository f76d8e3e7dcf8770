// One visitor, one number: the kiosk screen, the paper ticket and the status page show the same
// estimate for the same issue reply (core::wait_minutes_for_display); the kiosk's waiting
// counts and nearby-office hint come from core/queries.
#define BOOST_TEST_MODULE kiosk_wait_surfaces
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "core/i18n/catalog.hpp"
#include "core/paths.hpp"
#include "core/queries.hpp"
#include "kiosk/kiosk_app/kiosk_model.hpp"
#include "kiosk/kiosk_app/kiosk_ticket.hpp"
#include "kiosk/kiosk_app/kiosk_view.hpp"
#include "server/http_server.hpp"
#include "tests/core/scenario.hpp"

using namespace wm;
using core::json;
using core::Millis;
using test::kMinute;

namespace {

const i18n::Catalog& catalog() {
  static const i18n::Catalog c = [] {
    std::vector<i18n::LoadError> errors;
    return i18n::Catalog::load_dir(core::find_assets_dir() / "i18n", errors);
  }();
  return c;
}

// The number in a text like "ca. 15 Min." / "Voraussichtliche Wartezeit: ca. 15 Min.".
int number_in(const std::string& text) {
  auto digit = text.find_first_of("0123456789");
  BOOST_REQUIRE_MESSAGE(digit != std::string::npos, "no number in '" << text << "'");
  return std::stoi(text.substr(digit));
}

// A kiosk in Görlitz that has just issued a ticket with this reply.
kiosk::KioskView done_screen(const core::State& state, const json& reply) {
  kiosk::KioskModel m(state.region(), "goerlitz-kiosk-1");
  m.set_online(true);
  m.apply({.service = std::string("beglaubigung")}, 0);
  BOOST_REQUIRE(m.screen() == kiosk::Screen::summary);
  m.apply({.print = true}, 0);
  m.take_effects();
  m.on_reply(true, reply, "", 0);
  return kiosk::build_view(m, state, test::at("09:00"));
}

}  // namespace

BOOST_AUTO_TEST_CASE(screen_paper_and_status_page_agree_for_every_estimate) {
  core::State state(test::demo_region());
  int checked = 0;
  for (Millis ms : {Millis(0), Millis(1), 4 * kMinute, 5 * kMinute, 6 * kMinute, 10 * kMinute,
                    10 * kMinute + 1, 12 * kMinute + 20'000, 16 * kMinute, 59 * kMinute,
                    60 * kMinute, 61 * kMinute, 300 * kMinute + 1}) {
    BOOST_TEST_CONTEXT("estimate_ms " << ms) {
      const json reply{{"ticket", {{"id", "t1"}, {"number", "B001"}, {"services", {"beglaubigung"}}}},
                       {"token", "tok12345678"}, {"office_name", "Bürgerbüro Görlitz"},
                       {"estimate_ms", ms}};
      const int want = core::wait_minutes_for_display(ms);
      kiosk::KioskView v = done_screen(state, reply);
      BOOST_REQUIRE(v.ticket_minutes);
      BOOST_TEST(*v.ticket_minutes == want);
      for (const std::string lang : {"de", "en", "pl", "tr"}) {
        hw::TicketPrint paper = kiosk::make_ticket_print(state.region(), reply, catalog(), lang);
        BOOST_TEST(number_in(paper.estimated_wait) == want, lang << ": " << paper.estimated_wait);
        const json status{{"state", "waiting"}, {"number", "B001"}, {"language", lang},
                          {"position", 3}, {"estimate_ms", ms}};
        const json page = server::status_texts(catalog(), status);
        BOOST_TEST(number_in(page.value("estimate", "")) == want, lang << ": " << page.dump());
        if (lang == "de") {  // the HTML page carries the same text (German has nothing to escape)
          const std::string html = server::render_status_page(catalog(), status, "tok12345678");
          BOOST_TEST(html.find(page.value("estimate", "")) != std::string::npos);
        }
      }
      ++checked;
    }
  }
  BOOST_TEST(checked == 13);
}

// The tiles' waiting counts are the core's counts (targeted tickets included), and the hint
// for another office weighs the drive: Löbau, 30 minutes away and idle, against a 95-minute
// wait; Zittau (40 minutes away, 8 minutes' wait) only when Löbau is not open.
BOOST_AUTO_TEST_CASE(kiosk_tiles_and_nearby_hint_come_from_the_core) {
  test::Scenario s(test::demo_region(), test::at("09:00"));
  s.open("goerlitz-1");
  s.issue("goerlitz", {"kfz-neu"});
  for (int i = 0; i < 9; ++i) s.issue("goerlitz", {"kfz-ab"});  // 20 + 72 = 92 min
  s.open("zittau-1");
  s.issue("zittau", {"kfz-ab"});

  kiosk::KioskModel m(s.state.region(), "goerlitz-kiosk-1");
  m.set_online(true);
  m.apply({.service = std::string("kfz-neu")}, 0);
  kiosk::KioskView v = kiosk::build_view(m, s.state, s.now);
  for (const auto& tile : v.offered)
    BOOST_TEST(tile.waiting == core::waiting_for(s.state, "goerlitz", tile.id), tile.id);
  auto tile = std::find_if(v.offered.begin(), v.offered.end(), [](auto& t) { return t.id == "kfz-ab"; });
  BOOST_REQUIRE(tile != v.offered.end());
  BOOST_TEST(tile->waiting == 9);
  BOOST_REQUIRE(v.estimate);
  BOOST_TEST(*v.estimate == 95);
  // Zittau: 40 + 8 = 48 against 95 saves 47: suggested while Löbau is closed.
  BOOST_REQUIRE(v.alternative);
  BOOST_TEST(v.alternative->office_name == "Bürgerbüro Zittau");
  BOOST_TEST(v.alternative->minutes == 8);
  BOOST_TEST(v.alternative->travel_minutes == 40);

  s.open("loebau-1");
  v = kiosk::build_view(m, s.state, s.now);
  BOOST_REQUIRE(v.alternative);
  BOOST_TEST(v.alternative->office_name == "Bürgerbüro Löbau");
  BOOST_TEST(v.alternative->minutes == 1);
  BOOST_TEST(v.alternative->travel_minutes == 30);
}
