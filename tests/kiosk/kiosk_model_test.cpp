// The kiosk's flow model without a window: screens, effects, timeouts, privacy rules.
#define BOOST_TEST_MODULE kiosk_model
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "core/config.hpp"
#include "core/queries.hpp"
#include "core/service_combinations.hpp"
#include "core/state.hpp"
#include "kiosk/kiosk_app/kiosk_model.hpp"
#include "kiosk/kiosk_app/kiosk_ticket.hpp"
#include "kiosk/kiosk_app/kiosk_view.hpp"

using namespace wm::kiosk;
using wm::core::json;

namespace {

const wm::core::Region& region() {
  static wm::core::Region r = wm::core::load_config(wm::core::default_config_path());
  return r;
}

struct Flow {
  KioskModel m{region(), "goerlitz-kiosk-1", KioskOptions{.idle_timeout = 60, .done_timeout = 12}};
  double now = 100;
  Flow() { m.set_online(true); }
  void in(Intents i) { m.apply(i, now); }
  Identity specimen() {
    Identity id;
    id.document_type = "ID";
    id.surname = "MUSTERMANN";
    id.given_names = "ERIKA";
    id.birth_date = "1983-08-12";
    return id;
  }
  json issued(const std::string& number) {
    return json{{"ticket", {{"id", "t1"}, {"number", number}, {"services", {"kfz-neu"}}}},
                {"token", "tok"}, {"office_name", "Bürgerbüro Görlitz"}, {"estimate_ms", 600000}};
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(unknown_kiosk_is_refused) {
  BOOST_CHECK_THROW(KioskModel(region(), "nowhere-kiosk"), std::invalid_argument);
  KioskModel m(region(), "goerlitz-kiosk-1");
  BOOST_TEST(m.office() == "goerlitz");
}

BOOST_AUTO_TEST_CASE(walk_in_with_two_concerns_and_id) {
  Flow f;
  BOOST_TEST(f.m.screen() == Screen::services);  // the first screen
  f.in({.service = std::string("kfz-neu")});
  BOOST_TEST(f.m.screen() == Screen::summary);
  BOOST_TEST(f.m.can_add_second());
  BOOST_TEST(f.m.can_add_id());  // kfz-neu benefits from the ID
  f.in({.add_second = true});
  BOOST_TEST(f.m.screen() == Screen::second_service);
  f.in({.service = std::string("kfz-neu")});  // the same again is not a second concern
  BOOST_TEST(f.m.screen() == Screen::second_service);
  // No Görlitz counter serves Kfz-Neuzulassung and Beglaubigung (or Wohngeld) together.
  f.in({.service = std::string("beglaubigung")});
  f.in({.service = std::string("wohngeld")});
  BOOST_TEST(f.m.screen() == Screen::second_service);
  BOOST_TEST(f.m.services().size() == 1u);
  f.in({.service = std::string("kfz-um")});
  BOOST_TEST(f.m.screen() == Screen::summary);
  BOOST_TEST(!f.m.can_add_second());  // two concerns at most
  f.in({.add_second = true});
  BOOST_TEST(f.m.screen() == Screen::summary);
  f.in({.add_id = true});
  BOOST_TEST(f.m.screen() == Screen::consent);
  f.in({.consent_yes = true});
  BOOST_TEST(f.m.screen() == Screen::id_scan);
  f.m.on_document(std::nullopt, f.now);  // unreadable: stay
  BOOST_TEST(f.m.screen() == Screen::id_scan);
  f.m.on_document(f.specimen(), f.now);
  BOOST_TEST(f.m.screen() == Screen::id_confirm);
  f.in({.id_accept = true});
  BOOST_TEST(f.m.screen() == Screen::summary);
  f.in({.print = true});
  BOOST_TEST(f.m.screen() == Screen::busy);
  auto fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 1u);
  BOOST_TEST(int(fx[0].kind) == int(Effect::Kind::issue));
  BOOST_TEST(fx[0].body["services"] == json({"kfz-neu", "kfz-um"}));
  BOOST_TEST(fx[0].body["consent"] == true);
  BOOST_TEST(fx[0].body["identity"]["surname"] == "MUSTERMANN");
  BOOST_TEST(!fx[0].body["identity"].contains("expired"));
  f.m.on_reply(true, f.issued("K001"), "", f.now);
  BOOST_TEST(f.m.screen() == Screen::printing);
  fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 1u);
  BOOST_TEST(int(fx[0].kind) == int(Effect::Kind::print));
  f.m.on_print_result(true, "ok", f.now);
  BOOST_TEST(f.m.screen() == Screen::done);
  fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 1u);  // first report of the printer state
  BOOST_TEST(int(fx[0].kind) == int(Effect::Kind::device_status));
  BOOST_TEST(fx[0].body["device"] == "goerlitz-kiosk-1/printer");
  f.now += 13;
  f.m.tick(f.now);
  BOOST_TEST(f.m.screen() == Screen::services);
  BOOST_TEST(f.m.services().empty());
  BOOST_TEST(!f.m.identity());
}

// Issue 16 item 2: the common case is two taps on the kiosk: a service tile on the first
// screen, then "Wartenummer drucken" on the summary. Counted from the first screen as the
// last visitor left it; every intent below is one tap, the broker's and the printer's answers
// are not taps. The same for every service of the office, with or without ID capture.
BOOST_AUTO_TEST_CASE(common_case_is_two_taps_for_every_service) {
  for (const auto& s : region().services) {
    if (!region().office_offers("goerlitz", s.id)) continue;
    BOOST_TEST_CONTEXT(s.id) {
      Flow f;
      int taps = 0;
      auto tap = [&](Intents i) {
        ++taps;
        f.in(i);
      };
      BOOST_REQUIRE(f.m.screen() == Screen::services);
      tap({.service = s.id});
      BOOST_TEST(f.m.screen() == Screen::summary);
      tap({.print = true});
      auto fx = f.m.take_effects();
      BOOST_REQUIRE_EQUAL(fx.size(), 1u);
      BOOST_TEST(int(fx[0].kind) == int(Effect::Kind::issue));
      BOOST_TEST(fx[0].body["services"] == json({s.id}));
      BOOST_TEST(!fx[0].body.contains("identity"));  // no ID unless asked for
      f.m.on_reply(true, f.issued("X001"), "", f.now);
      f.m.on_print_result(true, "ok", f.now);
      BOOST_TEST(f.m.screen() == Screen::done);
      BOOST_TEST(taps == 2);
    }
  }
}

// The rule lives in core (core/service_combinations.hpp): a second concern only where some
// counter of the office has both services in its profile.
BOOST_AUTO_TEST_CASE(combinable_services_follow_the_counter_profiles) {
  using wm::core::combinable_services;
  const auto& r = region();
  // Görlitz: Schalter 1-3 serve the three Kfz services, Schalter 4 Kfz-Abmeldung,
  // -Umschreibung and Beglaubigung; no counter serves Kfz and Wohngeld.
  BOOST_TEST(combinable_services(r, "goerlitz", "kfz-neu") ==
             (std::vector<std::string>{"kfz-um", "kfz-ab"}), boost::test_tools::per_element());
  auto beglaubigung = combinable_services(r, "goerlitz", "beglaubigung");
  BOOST_TEST(std::count(beglaubigung.begin(), beglaubigung.end(), "kfz-um") == 1);
  BOOST_TEST(std::count(beglaubigung.begin(), beglaubigung.end(), "wohngeld") == 0);
  BOOST_TEST(std::count(beglaubigung.begin(), beglaubigung.end(), "beglaubigung") == 0);
  const auto* goerlitz = r.find_office("goerlitz");
  BOOST_REQUIRE(goerlitz);
  BOOST_TEST(!wm::core::served_together(*goerlitz, "kfz-neu", "wohngeld"));
  BOOST_TEST(wm::core::served_together(*goerlitz, "wohngeld", "elterngeld"));
  BOOST_TEST(combinable_services(r, "goerlitz", "no-such-service").empty());
  BOOST_TEST(combinable_services(r, "nowhere", "kfz-neu").empty());
  // Niesky offers no Kfz-Neuzulassung at all.
  BOOST_TEST(combinable_services(r, "niesky", "kfz-neu").empty());
}

// A county where one service has a counter of its own (Waffenrecht at Schalter 9 only) and
// another is in no profile at all: neither offers a second concern; the first does.
wm::core::Region region_with_a_lone_service() {
  wm::core::Region r = region();
  for (auto& o : r.offices) {
    if (o.id != "goerlitz") continue;
    for (auto& c : o.counters)
      c.profile.erase(std::remove(c.profile.begin(), c.profile.end(), "waffenrecht"),
                      c.profile.end());
    for (auto& c : o.counters)
      c.profile.erase(std::remove(c.profile.begin(), c.profile.end(), "fischereischein"),
                      c.profile.end());
    wm::core::Counter lone;
    lone.id = "goerlitz-9";
    lone.name = "Schalter 9";
    lone.profile = {"waffenrecht"};
    o.counters.push_back(lone);
  }
  r.index();
  return r;
}

BOOST_AUTO_TEST_CASE(second_concern_offered_only_when_a_counter_serves_both) {
  const wm::core::Region r = region_with_a_lone_service();
  for (const char* lone : {"waffenrecht", "fischereischein"}) {
    BOOST_TEST_CONTEXT(lone) {
      KioskModel m(r, "goerlitz-kiosk-1");
      m.set_online(true);
      m.apply({.service = std::string(lone)}, 0);
      BOOST_REQUIRE(m.screen() == Screen::summary);
      BOOST_TEST(m.second_choices().empty());
      BOOST_TEST(!m.can_add_second());
      m.apply({.add_second = true}, 0);  // not offered, and the model agrees
      BOOST_TEST(m.screen() == Screen::summary);
      wm::core::State state(std::make_shared<const wm::core::Region>(r));
      KioskView v = build_view(m, state, 1'800'000'000'000);
      BOOST_TEST(!v.can_add_second);
      BOOST_TEST(v.combinable.empty());
    }
  }
  // A service that can be combined: offered, and its tiles are exactly the combinable ones.
  KioskModel m(r, "goerlitz-kiosk-1");
  m.set_online(true);
  m.apply({.service = std::string("wohngeld")}, 0);
  BOOST_TEST(m.can_add_second());
  wm::core::State state(std::make_shared<const wm::core::Region>(r));
  KioskView v = build_view(m, state, 1'800'000'000'000);
  std::vector<std::string> tiles;
  for (const auto& s : v.combinable) tiles.push_back(s.id);
  BOOST_TEST(tiles == m.second_choices(), boost::test_tools::per_element());
  BOOST_TEST(tiles == (std::vector<std::string>{"elterngeld", "schwerbehindert", "buergerberatung"}),
             boost::test_tools::per_element());
  m.apply({.add_second = true}, 0);
  BOOST_TEST(m.screen() == Screen::second_service);
  m.apply({.service = std::string("kfz-neu")}, 0);  // not served with Wohngeld here
  BOOST_TEST(m.screen() == Screen::second_service);
  m.apply({.back = true}, 0);  // back to the summary, the first concern kept
  BOOST_TEST(m.screen() == Screen::summary);
  BOOST_TEST(m.services() == std::vector<std::string>{"wohngeld"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(id_capture_only_when_asked_for_from_the_summary) {
  Flow f;
  f.in({.service = std::string("kfz-neu")});
  BOOST_REQUIRE(f.m.screen() == Screen::summary);
  f.in({.add_id = true});
  BOOST_TEST(f.m.screen() == Screen::consent);
  f.in({.consent_skip = true});  // "Nein": back to the summary, nothing read
  BOOST_TEST(f.m.screen() == Screen::summary);
  BOOST_TEST(!f.m.consent());
  f.in({.add_id = true});
  f.in({.back = true});
  BOOST_TEST(f.m.screen() == Screen::summary);
  f.in({.print = true});
  auto fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 1u);
  BOOST_TEST(!fx[0].body.contains("identity"));
  BOOST_TEST(!fx[0].body.contains("consent"));
  // A service that does not benefit from the ID is not offered the reader at all.
  Flow g;
  g.in({.service = std::string("beglaubigung")});
  BOOST_TEST(!g.m.can_add_id());
  g.in({.add_id = true});
  BOOST_TEST(g.m.screen() == Screen::summary);
  g.in({.service = std::string("no-such-service")});
  BOOST_TEST(g.m.services().size() == 1u);
}

BOOST_AUTO_TEST_CASE(back_from_the_summary_undoes_one_step) {
  Flow f;
  f.in({.service = std::string("kfz-neu")});
  f.in({.add_second = true});
  f.in({.service = std::string("kfz-ab")});
  BOOST_REQUIRE(f.m.services().size() == 2u);
  f.in({.back = true});  // the second concern goes, its tiles again
  BOOST_TEST(f.m.screen() == Screen::second_service);
  BOOST_TEST(f.m.services().size() == 1u);
  f.in({.back = true});
  BOOST_TEST(f.m.screen() == Screen::summary);
  f.in({.back = true});  // then the first: the first screen, nothing chosen
  BOOST_TEST(f.m.screen() == Screen::services);
  BOOST_TEST(f.m.services().empty());
}

BOOST_AUTO_TEST_CASE(document_outside_the_scan_screen_is_ignored) {
  Flow f;
  f.m.on_document(f.specimen(), f.now);  // a card left on the reader by someone else
  BOOST_TEST(!f.m.identity());
  f.in({.service = std::string("kfz-neu")});
  f.m.on_document(f.specimen(), f.now);  // summary: not asked
  BOOST_TEST(!f.m.identity());
  f.in({.add_id = true});
  f.m.on_document(f.specimen(), f.now);  // consent screen: not answered yet
  BOOST_TEST(!f.m.identity());
  BOOST_TEST(f.m.screen() == Screen::consent);
}

BOOST_AUTO_TEST_CASE(print_failure_retries_the_same_ticket) {
  Flow f;
  f.in({.service = std::string("beglaubigung")});
  f.in({.print = true});
  f.m.take_effects();
  f.m.on_reply(true, f.issued("B001"), "", f.now);
  auto first = f.m.take_effects();
  f.m.on_print_result(false, "paper_out", f.now);
  BOOST_TEST(f.m.screen() == Screen::print_failed);
  BOOST_TEST(f.m.ticket_number() == "B001");
  auto fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 1u);
  BOOST_TEST(fx[0].body["state"] == "paper_out");
  f.in({.start_over = true});  // not while printing; here allowed: the number is on screen
  BOOST_TEST(f.m.screen() == Screen::services);
}

BOOST_AUTO_TEST_CASE(reprint_never_issues) {
  Flow f;
  f.in({.service = std::string("beglaubigung")});
  f.in({.print = true});
  f.m.take_effects();
  f.m.on_reply(true, f.issued("B002"), "", f.now);
  f.m.take_effects();
  f.m.on_print_result(false, "paper_out", f.now);
  f.m.take_effects();
  f.in({.retry_print = true});
  auto fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 1u);
  BOOST_TEST(int(fx[0].kind) == int(Effect::Kind::print));
  BOOST_TEST(fx[0].body["ticket"]["number"] == "B002");
  f.m.on_print_result(true, "ok", f.now);
  BOOST_TEST(f.m.screen() == Screen::done);
  BOOST_TEST(f.m.print_attempts() == 2);
  fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 1u);
  BOOST_TEST(fx[0].body["state"] == "ok");
}

BOOST_AUTO_TEST_CASE(printer_state_reported_only_when_changed) {
  Flow f;
  f.m.on_printer_state("ok");
  f.m.on_printer_state("ok");
  f.m.on_printer_state("paper_low");
  f.m.on_printer_state("paper_low");
  auto fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 2u);
  BOOST_TEST(fx[1].body["state"] == "paper_low");
}

BOOST_AUTO_TEST_CASE(refused_by_the_opening_hours_says_so) {
  // The hour struck between the tiles and the print: the broker's office_closed or
  // last_ticket_passed becomes its own reason on the screen, and nothing is printed.
  for (const char* code : {"office_closed", "last_ticket_passed"}) {
    Flow f;
      f.in({.service = std::string("beglaubigung")});
      f.in({.print = true});
    f.m.take_effects();
    f.m.on_reply(false, json{{"message", "closed"}}, code, f.now);
    BOOST_TEST(f.m.screen() == Screen::unavailable);
    BOOST_TEST(f.m.failure() == Failure::closed, code);
    BOOST_TEST(f.m.ticket_number().empty());
    BOOST_TEST(f.m.take_effects().empty());
  }
}

// Offline the first screen invites nothing (issue 16 item 6): a service or the appointment
// leads nowhere, the language still changes; back online, the flow starts as usual.
BOOST_AUTO_TEST_CASE(offline_first_screen_starts_nothing) {
  Flow f;
  f.m.set_online(false);
  BOOST_TEST(f.m.screen() == Screen::services);
  f.in({.service = std::string("beglaubigung")});
  BOOST_TEST(f.m.screen() == Screen::services);
  BOOST_TEST(f.m.services().empty());
  f.in({.appointment = true});
  BOOST_TEST(f.m.screen() == Screen::services);
  f.in({.language = std::string("uk")});
  BOOST_TEST(f.m.lang() == "uk");  // the message in the visitor's language, still no start
  BOOST_TEST(f.m.screen() == Screen::services);
  BOOST_TEST(f.m.take_effects().empty());
  f.m.set_online(true);
  f.in({.service = std::string("beglaubigung")});
  BOOST_TEST(f.m.screen() == Screen::summary);
}

BOOST_AUTO_TEST_CASE(unavailable_broker_never_looks_like_a_ticket) {
  Flow f;
  f.in({.service = std::string("beglaubigung")});
  f.m.set_online(false);
  f.in({.print = true});
  BOOST_TEST(f.m.take_effects().empty());  // the button is disabled, and the model agrees
  f.m.set_online(true);
  f.in({.print = true});
  f.m.take_effects();
  f.m.on_reply(false, json{{"message", "timeout"}}, "unavailable", f.now);
  BOOST_TEST(f.m.screen() == Screen::unavailable);
  BOOST_TEST(f.m.failure() == Failure::unavailable);
  BOOST_TEST(f.m.ticket_number().empty());
  BOOST_TEST(f.m.take_effects().empty());  // nothing printed
  f.in({.retry = true});
  BOOST_TEST(f.m.screen() == Screen::summary);
}

BOOST_AUTO_TEST_CASE(try_again_repeats_the_lost_request_under_its_id) {
  Flow f;
  f.in({.service = std::string("beglaubigung")});
  f.in({.print = true});
  auto first = f.m.take_effects();
  BOOST_REQUIRE(first.size() == 1u);
  BOOST_TEST(!first[0].request_id.empty());
  // The answer is lost (the broker may have issued the ticket): "Nochmal versuchen".
  f.m.on_reply(false, json{{"message", "timeout"}}, "unavailable", f.now);
  f.in({.retry = true});
  f.in({.print = true});
  auto again = f.m.take_effects();
  BOOST_REQUIRE(again.size() == 1u);
  BOOST_TEST(again[0].request_id == first[0].request_id);
  BOOST_TEST(again[0].body == first[0].body);
  // A different choice is a different request.
  f.m.on_reply(false, json{{"message", "timeout"}}, "unavailable", f.now);
  f.in({.retry = true});
  f.in({.back = true});
  f.in({.service = std::string("wohngeld")});
  BOOST_REQUIRE(f.m.screen() == Screen::summary);
  f.in({.print = true});
  auto changed = f.m.take_effects();
  BOOST_REQUIRE(changed.size() == 1u);
  BOOST_TEST(changed[0].request_id != first[0].request_id);
  // After a definite answer the next visitor's request is new too.
  f.m.on_reply(false, json{{"message", "no"}}, "invalid_state", f.now);
  BOOST_TEST(f.m.issue_request_id().empty());
  f.in({.retry = true});
  f.in({.print = true});
  auto next = f.m.take_effects();
  BOOST_REQUIRE(next.size() == 1u);
  BOOST_TEST(next[0].request_id != changed[0].request_id);
}

BOOST_AUTO_TEST_CASE(idle_timeout_forgets_everything) {
  Flow f;
  f.in({.language = std::string("uk")});
  BOOST_TEST(f.m.lang() == "uk");
  BOOST_TEST(f.m.screen() == Screen::services);
  f.in({.service = std::string("kfz-neu")});
  f.in({.add_id = true});
  f.in({.consent_yes = true});
  f.m.on_document(f.specimen(), f.now);
  int resets = f.m.resets();
  f.now += 59;
  f.m.tick(f.now);
  BOOST_TEST(f.m.screen() == Screen::id_confirm);
  BOOST_TEST(f.m.idle_warning(f.now).value_or(-1) == 1);
  BOOST_TEST(f.m.next_deadline(f.now) == f.now + 1);
  f.now += 1;
  f.m.tick(f.now);
  BOOST_TEST(f.m.screen() == Screen::services);
  BOOST_TEST(f.m.lang() == "de");
  BOOST_TEST(!f.m.identity());
  BOOST_TEST(f.m.services().empty());
  BOOST_TEST(f.m.resets() == resets + 1);
  BOOST_TEST(f.m.next_deadline(f.now) == 0);  // the untouched first screen: nothing to time out
  f.now += 600;
  f.m.tick(f.now);
  BOOST_TEST(f.m.resets() == resets + 1);  // and no reset every minute
}

// The first screen is also where a visitor may only have chosen a language and left: that
// choice is reset after the idle time, with the warning first; untouched, it never warns.
BOOST_AUTO_TEST_CASE(first_screen_warns_and_resets_only_when_touched) {
  Flow f;
  f.now += 1000;
  f.m.tick(f.now);
  BOOST_TEST(!f.m.idle_warning(f.now));
  BOOST_TEST(f.m.resets() == 0);
  f.in({.language = std::string("uk")});
  f.now += 45;
  BOOST_TEST(f.m.idle_warning(f.now).value_or(-1) == 15);
  f.now += 15;
  f.m.tick(f.now);
  BOOST_TEST(f.m.resets() == 1);
  BOOST_TEST(f.m.lang() == "de");
  BOOST_TEST(f.m.screen() == Screen::services);
  BOOST_TEST(!f.m.idle_warning(f.now + 50));
}

// WCAG 2.2.1: 20 s before the reset the visitor is warned (seconds left), a touch keeps
// everything and the warning goes; screens that wait for an answer or the printer never warn.
BOOST_AUTO_TEST_CASE(idle_warning_comes_20_seconds_before_the_reset_and_a_touch_keeps_everything) {
  Flow f;
  f.in({.service = std::string("kfz-neu")});
  f.in({.add_id = true});
  BOOST_REQUIRE(f.m.screen() == Screen::consent);
  const double touched = f.now;
  BOOST_TEST(f.m.next_deadline(f.now) == touched + 40);  // the warning wakes the screen first
  f.now = touched + 39.5;
  BOOST_TEST(!f.m.idle_warning(f.now));
  f.now = touched + 40;
  BOOST_TEST(f.m.idle_warning(f.now).value_or(-1) == 20);
  BOOST_TEST(f.m.next_deadline(f.now) == touched + 60);
  f.now = touched + 55.2;
  f.m.tick(f.now);
  BOOST_TEST(f.m.idle_warning(f.now).value_or(-1) == 5);  // rounded up: never "0 seconds" while still there
  f.in({.activity = true});                   // "Ich bin noch da"
  BOOST_TEST(!f.m.idle_warning(f.now));
  BOOST_TEST(f.m.screen() == Screen::consent);
  BOOST_TEST(f.m.services().size() == 1u);
  f.now += 60;
  f.m.tick(f.now);
  BOOST_TEST(f.m.screen() == Screen::services);
  BOOST_TEST(!f.m.idle_warning(f.now));  // nothing entered: nothing to warn about

  Flow g;  // waiting for the broker's answer: no warning, however long
  g.in({.service = std::string("beglaubigung")});
  g.in({.print = true});
  BOOST_REQUIRE(g.m.screen() == Screen::busy);
  BOOST_TEST(!g.m.idle_warning(g.now + 50));
}

BOOST_AUTO_TEST_CASE(no_timeout_while_the_broker_or_printer_answers) {
  Flow f;
  f.in({.service = std::string("beglaubigung")});
  f.in({.print = true});
  f.now += 500;
  f.m.tick(f.now);
  BOOST_TEST(f.m.screen() == Screen::busy);
}

BOOST_AUTO_TEST_CASE(appointment_codes_and_their_errors) {
  Flow f;
  f.in({.appointment = true});
  BOOST_TEST(f.m.screen() == Screen::appointment);
  f.in({.code = std::string("AB12")});
  auto fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 1u);
  BOOST_TEST(int(fx[0].kind) == int(Effect::Kind::checkin));
  BOOST_TEST(fx[0].body["code"] == "AB12");
  f.m.on_reply(false, json{{"message", "no appointment"}}, "not_found", f.now);
  BOOST_TEST(f.m.screen() == Screen::appointment);
  BOOST_TEST(f.m.code_failure() == Failure::unknown_code);
  f.in({.code = std::string("AB13")});
  f.m.on_reply(false, json{{"message", "the appointment is on 2026-12-01"}}, "invalid_state", f.now);
  BOOST_TEST(f.m.code_failure() == Failure::code_not_today);
  f.in({.code = std::string("AB14")});
  f.m.on_reply(true, f.issued("K005"), "", f.now);
  BOOST_TEST(f.m.screen() == Screen::printing);
}

BOOST_AUTO_TEST_CASE(scanner_returns_parked_tickets_and_reads_codes) {
  Flow f;
  f.in({.scanned = std::string("http://127.0.0.1:8080/t/Abc_123-x\r")});
  auto fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 1u);
  BOOST_TEST(int(fx[0].kind) == int(Effect::Kind::ticket_return));
  BOOST_TEST(fx[0].body["token"] == "Abc_123-x");
  f.m.on_reply(true, json{{"ticket", "t1"}, {"number", "K007"}}, "", f.now);
  BOOST_TEST(f.m.screen() == Screen::returned);
  BOOST_TEST(f.m.returned_number() == "K007");
  f.in({.finish = true});
  f.in({.scanned = std::string("GR-2211")});
  fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 1u);
  BOOST_TEST(int(fx[0].kind) == int(Effect::Kind::checkin));
  BOOST_TEST(!token_from_scan("http://x/t/bad!token", ""));
  BOOST_TEST(!token_from_scan("no link", ""));
}

BOOST_AUTO_TEST_CASE(scan_of_an_unparked_ticket_says_so) {
  Flow f;
  f.in({.scanned = std::string("http://h/t/tok")});
  f.m.take_effects();
  f.m.on_reply(false, json{{"message", "not parked"}}, "invalid_state", f.now);
  BOOST_TEST(f.m.screen() == Screen::unavailable);
  BOOST_TEST(f.m.failure() == Failure::not_parked);
}

BOOST_AUTO_TEST_CASE(language_screen_returns_to_where_it_was_opened) {
  Flow f;
  f.in({.service = std::string("kfz-neu")});
  f.in({.open_language = true});
  BOOST_TEST(f.m.screen() == Screen::language);
  f.in({.language = std::string("tr")});
  BOOST_TEST(f.m.screen() == Screen::summary);
  BOOST_TEST(f.m.lang() == "tr");
}

BOOST_AUTO_TEST_CASE(view_suggests_a_much_shorter_office_and_rounds_estimates) {
  BOOST_TEST(wm::core::wait_minutes_for_display(1) == 1);
  BOOST_TEST(wm::core::wait_minutes_for_display(9 * 60000) == 9);
  BOOST_TEST(wm::core::wait_minutes_for_display(11 * 60000) == 15);
  auto r = std::make_shared<const wm::core::Region>(region());
  wm::core::State s(r);
  KioskModel m(*r, "goerlitz-kiosk-1");
  m.set_online(true);
  m.apply({.service = std::string("kfz-neu")}, 0);
  KioskView v = build_view(m, s, 1'800'000'000'000);
  BOOST_TEST(v.office_name == "Bürgerbüro Görlitz");
  BOOST_REQUIRE(v.selected.size() == 1u);
  BOOST_TEST(!v.estimate);  // no counter open: no number invented
  BOOST_TEST(!v.alternative);
  BOOST_TEST(v.selected[0].documents.size() >= 3u);
}

BOOST_AUTO_TEST_CASE(printer_results_map_to_reported_states) {
  wm::hw::PrintResult r;
  r.error = wm::hw::PrintError::ok;
  BOOST_TEST(printer_state(r) == "ok");
  r.paper_near_end = true;
  BOOST_TEST(printer_state(r) == "paper_low");
  r.error = wm::hw::PrintError::paper_end;
  BOOST_TEST(printer_state(r) == "paper_out");
  r.error = wm::hw::PrintError::cover_open;
  BOOST_TEST(printer_state(r) == "cover_open");
  r.error = wm::hw::PrintError::unplugged;
  BOOST_TEST(printer_state(r) == "offline");
  r.error = wm::hw::PrintError::io_error;
  BOOST_TEST(printer_state(r) == "error");
}
