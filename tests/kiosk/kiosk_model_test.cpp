// The kiosk's flow model without a window: screens, effects, timeouts, privacy rules.
#define BOOST_TEST_MODULE kiosk_model
#include <boost/test/unit_test.hpp>

#include "core/config.hpp"
#include "core/queries.hpp"
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
  BOOST_TEST(f.m.screen() == Screen::attract);
  f.in({.start = true});
  BOOST_TEST(f.m.screen() == Screen::services);
  f.in({.service = std::string("kfz-neu")});
  BOOST_TEST(f.m.screen() == Screen::second_service);
  f.in({.service = std::string("kfz-neu")});  // the same again is not a second concern
  BOOST_TEST(f.m.screen() == Screen::second_service);
  f.in({.service = std::string("beglaubigung")});
  BOOST_TEST(f.m.screen() == Screen::consent);  // kfz-neu benefits from the ID
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
  BOOST_TEST(fx[0].body["services"] == json({"kfz-neu", "beglaubigung"}));
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
  BOOST_TEST(f.m.screen() == Screen::attract);
  BOOST_TEST(f.m.services().empty());
  BOOST_TEST(!f.m.identity());
}

BOOST_AUTO_TEST_CASE(skip_id_sends_no_identity) {
  Flow f;
  f.in({.start = true});
  f.in({.service = std::string("kfz-neu")});
  f.in({.only_one = true});
  f.in({.consent_skip = true});
  BOOST_TEST(f.m.screen() == Screen::summary);
  f.in({.print = true});
  auto fx = f.m.take_effects();
  BOOST_REQUIRE_EQUAL(fx.size(), 1u);
  BOOST_TEST(!fx[0].body.contains("identity"));
  BOOST_TEST(!fx[0].body.contains("consent"));
}

BOOST_AUTO_TEST_CASE(service_without_id_goes_straight_to_summary) {
  Flow f;
  f.in({.start = true});
  f.in({.service = std::string("beglaubigung")});
  f.in({.only_one = true});
  BOOST_TEST(f.m.screen() == Screen::summary);
  f.in({.service = std::string("no-such-service")});
  BOOST_TEST(f.m.services().size() == 1u);
}

BOOST_AUTO_TEST_CASE(document_outside_the_scan_screen_is_ignored) {
  Flow f;
  f.m.on_document(f.specimen(), f.now);  // a card left on the reader by someone else
  BOOST_TEST(!f.m.identity());
  f.in({.start = true});
  f.in({.service = std::string("kfz-neu")});
  f.in({.only_one = true});
  f.m.on_document(f.specimen(), f.now);  // consent screen: not asked yet
  BOOST_TEST(!f.m.identity());
  BOOST_TEST(f.m.screen() == Screen::consent);
}

BOOST_AUTO_TEST_CASE(print_failure_retries_the_same_ticket) {
  Flow f;
  f.in({.start = true});
  f.in({.service = std::string("beglaubigung")});
  f.in({.only_one = true});
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
  BOOST_TEST(f.m.screen() == Screen::attract);
}

BOOST_AUTO_TEST_CASE(reprint_never_issues) {
  Flow f;
  f.in({.start = true});
  f.in({.service = std::string("beglaubigung")});
  f.in({.only_one = true});
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
    f.in({.start = true});
    f.in({.service = std::string("beglaubigung")});
    f.in({.only_one = true});
    f.in({.print = true});
    f.m.take_effects();
    f.m.on_reply(false, json{{"message", "closed"}}, code, f.now);
    BOOST_TEST(f.m.screen() == Screen::unavailable);
    BOOST_TEST(f.m.failure() == Failure::closed, code);
    BOOST_TEST(f.m.ticket_number().empty());
    BOOST_TEST(f.m.take_effects().empty());
  }
}

// Offline the attract screen invites nothing (issue 16 item 6): a touch or the appointment
// button leads nowhere, the language still changes; back online, the flow starts as usual.
BOOST_AUTO_TEST_CASE(offline_attract_screen_starts_nothing) {
  Flow f;
  f.m.set_online(false);
  f.in({.start = true});
  BOOST_TEST(f.m.screen() == Screen::attract);
  f.in({.appointment = true});
  BOOST_TEST(f.m.screen() == Screen::attract);
  f.in({.language = std::string("uk")});
  BOOST_TEST(f.m.lang() == "uk");  // the message in the visitor's language, still no start
  BOOST_TEST(f.m.screen() == Screen::attract);
  BOOST_TEST(f.m.take_effects().empty());
  f.m.set_online(true);
  f.in({.start = true});
  BOOST_TEST(f.m.screen() == Screen::services);
}

BOOST_AUTO_TEST_CASE(unavailable_broker_never_looks_like_a_ticket) {
  Flow f;
  f.in({.start = true});
  f.in({.service = std::string("beglaubigung")});
  f.in({.only_one = true});
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
  f.in({.start = true});
  f.in({.service = std::string("beglaubigung")});
  f.in({.only_one = true});
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
  if (f.m.screen() == Screen::consent) f.in({.consent_skip = true});
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
  f.in({.only_one = true});
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
  BOOST_TEST(f.m.screen() == Screen::attract);
  BOOST_TEST(f.m.lang() == "de");
  BOOST_TEST(!f.m.identity());
  BOOST_TEST(f.m.services().empty());
  BOOST_TEST(f.m.resets() == resets + 1);
  BOOST_TEST(f.m.next_deadline(f.now) == 0);  // attract: nothing to time out
}

// WCAG 2.2.1: 20 s before the reset the visitor is warned (seconds left), a touch keeps
// everything and the warning goes; screens that wait for an answer or the printer never warn.
BOOST_AUTO_TEST_CASE(idle_warning_comes_20_seconds_before_the_reset_and_a_touch_keeps_everything) {
  Flow f;
  f.in({.start = true});
  f.in({.service = std::string("kfz-neu")});
  f.in({.only_one = true});
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
  BOOST_TEST(f.m.screen() == Screen::attract);
  BOOST_TEST(!f.m.idle_warning(f.now));  // nothing entered: nothing to warn about

  Flow g;  // waiting for the broker's answer: no warning, however long
  g.in({.start = true});
  g.in({.service = std::string("beglaubigung")});
  g.in({.only_one = true});
  g.in({.print = true});
  BOOST_REQUIRE(g.m.screen() == Screen::busy);
  BOOST_TEST(!g.m.idle_warning(g.now + 50));
}

BOOST_AUTO_TEST_CASE(no_timeout_while_the_broker_or_printer_answers) {
  Flow f;
  f.in({.start = true});
  f.in({.service = std::string("beglaubigung")});
  f.in({.only_one = true});
  f.in({.print = true});
  f.now += 500;
  f.m.tick(f.now);
  BOOST_TEST(f.m.screen() == Screen::busy);
}

BOOST_AUTO_TEST_CASE(appointment_codes_and_their_errors) {
  Flow f;
  f.in({.start = true});
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
  f.in({.start = true});
  f.in({.service = std::string("kfz-neu")});
  f.in({.open_language = true});
  BOOST_TEST(f.m.screen() == Screen::language);
  f.in({.language = std::string("tr")});
  BOOST_TEST(f.m.screen() == Screen::second_service);
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
  m.apply({.start = true}, 0);
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
