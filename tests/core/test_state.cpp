// The event-sourced State: replay, checkpoints and snapshots (and what they must never hold),
// sequence checks, the identity data rules, and ticket numbering.
#define BOOST_TEST_MODULE state
#include <boost/test/unit_test.hpp>

#include <regex>
#include <stdexcept>

#include "core/day_close.hpp"
#include "core/queries.hpp"
#include "core/stats.hpp"
#include "tests/core/scenario.hpp"

using namespace wm::core;
using namespace wm::test;

namespace {

const json kIdentity{{"document_type", "PERSONALAUSWEIS"},
                     {"surname", "MUSTERFRAU"},
                     {"given_names", "ERIKA"},
                     {"document_number", "L01X00T47"},
                     {"birth_date", "1964-08-12"}};

// First half of a busy morning in both offices: every kind of event once.
void morning(Scenario& s) {
  s.set("07:30");
  s.ok("appointment.import",
       json{{"appointments",
             {{{"code", "APPT-1"}, {"office", "o1"}, {"service", "a"}, {"slot", "2026-11-23T08:30"},
               {"name", "Erika Musterfrau"}}}}});
  s.set("08:00");
  s.ok("counter.open", json{{"counter", "o1-1"}, {"staff", "anna"}});
  s.open("o1-2");
  s.open("o1-4");
  s.open("o2-1");
  s.issue("o1", {"a"});
  s.issue("o1", {"b", "a"}, json{{"language", "en"}});
  s.issue("o1", {"a"}, json{{"consent", true}, {"identity", kIdentity}});
  s.issue("o2", {"a"});
  s.advance(2);
  s.next("o1-1");
  s.next("o1-2");
  s.next("o2-1");
  s.start("o1-1");
  s.ok("counter.recall", json{{"counter", "o1-2"}});
  s.start("o1-2");
  s.advance(6);
  s.finish("o1-1", json{{"forward", true}, {"notes", "Brief fehlt"}});
  s.finish("o1-2");  // b done, a follows and o1-2 serves a: stays
  s.ok("counter.park", json{{"counter", "o1-2"}, {"reason", "Kennzeichen"}});
  s.set("08:26");
  s.ok("appointment.checkin", json{{"office", "o1"}, {"code", "APPT-1"}});
  s.ok("device.status", json{{"device", "o1-kiosk/printer"}, {"state", "paper_low"}});
  s.ok("counter.pause", json{{"counter", "o1-4"}});
}

// The second half: more of everything, ending with an event of office o1.
void noon(Scenario& s) {
  s.set("08:40");
  s.ok("counter.resume", json{{"counter", "o1-4"}});
  s.next("o1-4");                  // the appointment is due
  s.ok("counter.no_show", json{{"counter", "o1-4"}});
  s.finish("o2-1");                // service time in o2
  s.issue("o2", {"b"});
  s.next("o2-1");
  s.start("o2-1");
  s.advance(12);
  s.finish("o2-1");
  std::string t = s.issue("o1", {"c"});
  s.ok("ticket.cancel", json{{"ticket", t}});
  s.open("o1-3");
  s.next("o1-1");
  s.ok("counter.transfer", json{{"counter", "o1-1"}, {"to_counter", "o1-4"}});
  s.issue("o1", {"a"}, json{{"priority", "priority_needs"}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(replay_and_snapshots)

BOOST_AUTO_TEST_CASE(replay_gives_identical_checkpoint) {
  Scenario s;
  morning(s);
  noon(s);
  BOOST_REQUIRE_GT(s.journal.size(), 30u);
  State replayed = s.replay();
  BOOST_CHECK_EQUAL(replayed.seq(), s.state.seq());
  BOOST_CHECK_EQUAL(replayed.office_seq("o1"), s.state.office_seq("o1"));
  BOOST_CHECK_EQUAL(replayed.office_seq("o2"), s.state.office_seq("o2"));
  BOOST_CHECK(replayed.checkpoint() == s.state.checkpoint());
  // The journal round-trips through its JSON form too.
  State from_json(s.state.region_ptr());
  for (const auto& e : s.journal) from_json.apply(event_from_json(json::parse(event_to_json(e).dump())));
  BOOST_CHECK(from_json.checkpoint() == s.state.checkpoint());
}

BOOST_AUTO_TEST_CASE(sequences_are_contiguous) {
  Scenario s;
  morning(s);
  std::map<std::string, std::uint64_t> oseq;
  for (std::size_t i = 0; i < s.journal.size(); ++i) {
    const Event& e = s.journal[i];
    BOOST_CHECK_EQUAL(e.seq, i + 1);
    if (!e.office.empty()) BOOST_CHECK_EQUAL(e.oseq, ++oseq[e.office]);
  }
  BOOST_CHECK_EQUAL(s.state.office_seq("o1"), oseq["o1"]);
}

BOOST_AUTO_TEST_CASE(snapshots_hold_no_tokens_and_no_personal_data) {
  Scenario s;
  morning(s);
  noon(s);
  for (const json& snap : {s.state.snapshot("o1"), s.state.snapshot("o2"), s.state.snapshot()}) {
    BOOST_CHECK(!has_key_anywhere(snap, "token"));
    BOOST_CHECK(!has_key_anywhere(snap, "appointments"));  // booking codes are secrets
    std::string text = snap.dump();
    for (const char* secret : {"MUSTERFRAU", "ERIKA", "Erika", "L01X00T47", "1964-08-12"})
      BOOST_CHECK_MESSAGE(text.find(secret) == std::string::npos, "snapshot contains " << secret);
    for (const auto& t : snap["tickets"]) {
      const Ticket* real = s.state.ticket(t["id"]);
      BOOST_REQUIRE(real);
      BOOST_CHECK(text.find(real->token) == std::string::npos);
    }
  }
  // A snapshot of one office holds only that office.
  json o2 = s.state.snapshot("o2");
  for (const auto& t : o2["tickets"]) BOOST_CHECK_EQUAL(t["office"], "o2");
  for (const auto& c : o2["counters"]) BOOST_CHECK_EQUAL(c["office"], "o2");
  for (const auto& [k, v] : o2["numbers"].items()) BOOST_CHECK_EQUAL(k.substr(0, 3), "o2|");
  for (const auto& [k, v] : o2["service_times"].items()) BOOST_CHECK_EQUAL(k.substr(0, 3), "o2|");
  BOOST_CHECK(!o2["calls"].contains("o1"));
  // The broker's own checkpoint keeps tokens, but never identity data either: that lives
  // apart (Decision.personal), and so does an appointment's name.
  std::string cp = s.state.checkpoint().dump();
  for (const char* secret : {"MUSTERFRAU", "ERIKA", "Erika", "L01X00T47", "1964-08-12"})
    BOOST_CHECK_MESSAGE(cp.find(secret) == std::string::npos, "checkpoint contains " << secret);
  for (const auto& e : s.journal) {
    std::string ev = event_to_json(e).dump();
    BOOST_CHECK_MESSAGE(ev.find("MUSTERFRAU") == std::string::npos &&
                            ev.find("Erika") == std::string::npos,
                        "event " << e.type << " carries personal data");
  }
}

BOOST_AUTO_TEST_CASE(checkpoint_then_later_events_matches_original) {
  Scenario s;
  morning(s);
  json cp = s.state.checkpoint();
  std::size_t cut = s.journal.size();
  noon(s);
  State restored(s.state.region_ptr());
  restored.load_snapshot(cp);
  BOOST_CHECK_EQUAL(restored.seq(), s.journal[cut - 1].seq);
  BOOST_CHECK(normalized(restored.checkpoint()) == normalized(cp));
  for (std::size_t i = cut; i < s.journal.size(); ++i) restored.apply(s.journal[i]);
  BOOST_CHECK(normalized(restored.checkpoint()) == normalized(s.state.checkpoint()));
  // The restored state answers lookups like the original.
  for (const Ticket* t : s.state.tickets_of("o1")) {
    BOOST_CHECK_EQUAL(restored.ticket_by_token(t->token), restored.ticket(t->id));
    BOOST_CHECK_EQUAL(restored.ticket_by_number("o1", t->number)->id, t->id);
  }
  BOOST_CHECK_EQUAL(restored.active_tickets("o1").size(), s.state.active_tickets("o1").size());
  BOOST_CHECK_EQUAL(restored.service_time_ms("o2", "b"), s.state.service_time_ms("o2", "b"));
}

BOOST_AUTO_TEST_CASE(office_snapshot_then_public_events_matches_original) {
  // A screen of office o1: loads the snapshot, then follows o1's and region-wide events in
  // the form the broker publishes them.
  Scenario s;
  morning(s);
  State screen(s.state.region_ptr());
  // What a screen gets is public: the projected snapshot and the projected events. It then
  // holds exactly the public part of the original (staff names, reasons and cases it never has).
  const auto seen = [](const json& snap) { return project_snapshot(snap, Viewer::screen()); };
  screen.load_snapshot(seen(s.state.snapshot("o1")));
  std::size_t cut = s.journal.size();
  noon(s);
  BOOST_REQUIRE_EQUAL(s.journal.back().office, "o1");
  for (std::size_t i = cut; i < s.journal.size(); ++i) {
    const Event& e = s.journal[i];
    if (e.office.empty() || e.office == "o1") screen.apply(public_event(e));
  }
  BOOST_CHECK(normalized(seen(screen.snapshot("o1"))) == normalized(seen(s.state.snapshot("o1"))));
  // The staff login is the original's, not the screen's; free text is in neither (sealed).
  const std::string raw = screen.snapshot("o1").dump();
  BOOST_TEST(s.state.snapshot("o1").dump().find("\"anna\"") != std::string::npos);
  BOOST_TEST(raw.find("\"anna\"") == std::string::npos);
  for (const char* secret : {"Brief fehlt", "Kennzeichen"}) {
    BOOST_TEST(s.state.checkpoint().dump().find(secret) == std::string::npos, secret);
    BOOST_TEST(raw.find(secret) == std::string::npos, secret);
  }
  BOOST_CHECK_EQUAL(screen.office_seq("o1"), s.state.office_seq("o1"));
  BOOST_CHECK(screen.recent_calls("o1").size() == s.state.recent_calls("o1").size());
}

BOOST_AUTO_TEST_CASE(event_sequence_must_increase) {
  Scenario s;
  s.issue("o1", {"a"});
  s.issue("o1", {"a"});
  const std::uint64_t seq = s.state.seq();
  const std::size_t count = s.state.ticket_count();
  for (std::uint64_t bad : {seq, seq - 1}) {
    Event e = s.journal.back();
    e.seq = bad;
    e.body["ticket"]["id"] = "another-id";
    e.body["ticket"]["number"] = "A099";
    BOOST_CHECK_THROW(s.state.apply(e), std::invalid_argument);
  }
  BOOST_CHECK_EQUAL(s.state.seq(), seq);
  BOOST_CHECK_EQUAL(s.state.ticket_count(), count);
  BOOST_CHECK(!s.state.ticket_by_number("o1", "A099"));
  // Replaying a journal twice into one state fails on the first repeated event.
  State twice(s.state.region_ptr());
  for (const auto& e : s.journal) twice.apply(e);
  BOOST_CHECK_THROW(twice.apply(s.journal.front()), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(unknown_event_type_throws) {
  Scenario s;
  Event e;
  e.seq = s.state.seq() + 1;
  e.oseq = 1;
  e.time = s.now;
  e.office = "o1";
  e.type = "ticket.teleported";
  e.body = json{{"ticket", "x"}};
  BOOST_CHECK_THROW(s.state.apply(e), std::invalid_argument);
  // Events about tickets or counters that do not exist do not fit either.
  e.seq += 1;
  e.type = "ticket.called";
  e.body = json{{"ticket", "no-such-ticket"}, {"counter", "o1-1"}};
  BOOST_CHECK_THROW(s.state.apply(e), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(identity)

BOOST_AUTO_TEST_CASE(identity_needs_consent) {
  Scenario s;
  json body{{"office", "o1"}, {"services", {"a"}}, {"identity", kIdentity}};
  BOOST_CHECK(s.fails("ticket.issue", body) == ErrorCode::bad_field);
  body["consent"] = false;
  auto d = s.send("ticket.issue", body);
  BOOST_REQUIRE(d.error);
  BOOST_CHECK(d.error->code == ErrorCode::bad_field);
  BOOST_CHECK_EQUAL(d.error->field, "identity");
  BOOST_CHECK(d.personal.empty());
  BOOST_CHECK_EQUAL(s.state.ticket_count(), 0u);
}

BOOST_AUTO_TEST_CASE(identity_accepts_only_listed_short_strings) {
  Scenario s;
  auto with = [](const std::string& k, json v) {
    json id = kIdentity;
    id[k] = std::move(v);
    return json{{"office", "o1"}, {"services", {"a"}}, {"consent", true}, {"identity", id}};
  };
  for (const char* field : {"religion", "address", "photo", "can", "token"}) {
    auto d = s.send("ticket.issue", with(field, "x"));
    BOOST_REQUIRE_MESSAGE(d.error, field << " was accepted");
    BOOST_CHECK(d.error->code == ErrorCode::bad_field);
    BOOST_CHECK_EQUAL(d.error->field, "identity");
  }
  BOOST_CHECK(s.fails("ticket.issue", with("surname", 42)) == ErrorCode::bad_field);
  BOOST_CHECK(s.fails("ticket.issue", with("surname", json::object())) == ErrorCode::bad_field);
  BOOST_CHECK(s.fails("ticket.issue", with("surname", std::string(101, 'X'))) == ErrorCode::bad_field);
  s.ok("ticket.issue", with("surname", std::string(100, 'X')));
  // Every listed field is accepted.
  json all = json::object();
  for (const auto& f : identity_fields()) all[f] = "v";
  s.ok("ticket.issue", json{{"office", "o1"}, {"services", {"a"}}, {"consent", true}, {"identity", all}});
}

BOOST_AUTO_TEST_CASE(identity_goes_to_personal_not_into_the_event) {
  Scenario s;
  auto d = s.ok("ticket.issue",
                json{{"office", "o1"}, {"services", {"a"}}, {"consent", true}, {"identity", kIdentity}});
  std::string id = d.reply["ticket"]["id"];
  BOOST_REQUIRE_EQUAL(d.personal.size(), 1u);
  BOOST_CHECK_EQUAL(d.personal[0].key, id);
  BOOST_CHECK(d.personal[0].data == kIdentity);
  BOOST_REQUIRE_EQUAL(d.events.size(), 1u);
  std::string event = event_to_json(d.events[0]).dump();
  std::string reply = d.reply.dump();
  for (const auto& [k, v] : kIdentity.items()) {
    BOOST_CHECK_MESSAGE(event.find(v.get<std::string>()) == std::string::npos, "event has " << k);
    BOOST_CHECK_MESSAGE(reply.find(v.get<std::string>()) == std::string::npos, "reply has " << k);
  }
  BOOST_CHECK(s.ticket(id).has_identity);
  BOOST_CHECK_EQUAL(d.events[0].body["ticket"]["has_identity"], true);
  // Consent with an empty identity captures nothing.
  auto none = s.ok("ticket.issue", json{{"office", "o1"}, {"services", {"a"}}, {"consent", true},
                                        {"identity", json::object()}});
  BOOST_CHECK(none.personal.empty());
  BOOST_CHECK(!s.ticket(none.reply["ticket"]["id"]).has_identity);
  // Without identity nothing is personal.
  auto plain = s.ok("ticket.issue", json{{"office", "o1"}, {"services", {"a"}}});
  BOOST_CHECK(plain.personal.empty());
}

BOOST_AUTO_TEST_CASE(issue_validates_against_the_region) {
  Scenario s;
  BOOST_CHECK(s.fails("ticket.issue", json{{"office", "o9"}, {"services", {"a"}}}) == ErrorCode::not_found);
  BOOST_CHECK(s.fails("ticket.issue", json{{"office", "o1"}, {"services", {"zz"}}}) == ErrorCode::not_found);
  // c is offered only in o1.
  BOOST_CHECK(s.fails("ticket.issue", json{{"office", "o2"}, {"services", {"c"}}}) == ErrorCode::not_found);
  BOOST_CHECK(s.fails("ticket.issue", json{{"office", "o1"}, {"services", {"a", "a"}}}) == ErrorCode::bad_field);
  BOOST_CHECK(s.fails("ticket.issue", json{{"office", "o1"}, {"services", {"a"}}, {"language", "fr"}}) ==
              ErrorCode::bad_field);
  auto d = s.ok("ticket.issue", json{{"office", "o1"}, {"services", {"a"}}});
  BOOST_CHECK_EQUAL(d.reply["ticket"]["language"], "de");  // the region's default
  BOOST_CHECK(!d.reply["ticket"].contains("token"));
  BOOST_CHECK(d.reply["token"].is_string());
  BOOST_CHECK_EQUAL(d.reply["office_name"], "Büro Eins");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(numbering)

BOOST_AUTO_TEST_CASE(numbers_run_per_office_prefix_and_day) {
  Scenario s(demo_region());
  auto num = [&](const std::string& office, std::vector<std::string> services) {
    return s.number(s.issue(office, std::move(services)));
  };
  BOOST_CHECK_EQUAL(num("goerlitz", {"kfz-neu"}), "K001");
  BOOST_CHECK_EQUAL(num("goerlitz", {"kfz-neu"}), "K002");
  BOOST_CHECK_EQUAL(num("zittau", {"kfz-neu"}), "K001");
  BOOST_CHECK_EQUAL(num("goerlitz", {"buergerberatung"}), "I001");
  BOOST_CHECK_EQUAL(num("goerlitz", {"kfz-um"}), "U001");
  BOOST_CHECK_EQUAL(num("goerlitz", {"fischereischein"}), "FS001");
  // A second concern does not change the number: the first concern's prefix counts.
  BOOST_CHECK_EQUAL(num("goerlitz", {"kfz-neu", "buergerberatung"}), "K003");
  BOOST_CHECK_EQUAL(num("goerlitz", {"buergerberatung"}), "I002");
  BOOST_CHECK_EQUAL(s.state.last_number("goerlitz", "K", kDay), 3);
  BOOST_CHECK_EQUAL(s.state.last_number("zittau", "K", kDay), 1);
  BOOST_CHECK_EQUAL(s.state.last_number("loebau", "K", kDay), 0);
  const std::regex shape("[A-Z]{1,2}[0-9]{3}");
  for (int i = 0; i < 9; ++i) num("goerlitz", {"kfz-ab"});
  std::string tenth = num("goerlitz", {"kfz-ab"});
  BOOST_CHECK_EQUAL(tenth, "A010");
  for (const Ticket* t : s.state.tickets_of("goerlitz"))
    BOOST_CHECK_MESSAGE(std::regex_match(t->number, shape), t->number);
  BOOST_CHECK_EQUAL(format_number("K", 7), "K007");
  BOOST_CHECK_EQUAL(format_number("WA", 999), "WA999");
  // Numbers are unique per office and day: the lookup finds each one.
  for (const Ticket* t : s.state.tickets_of("goerlitz"))
    BOOST_CHECK_EQUAL(s.state.ticket_by_number("goerlitz", t->number), t);
}

BOOST_AUTO_TEST_CASE(a_new_day_restarts_at_001) {
  Scenario s(demo_region());
  s.open("goerlitz-1");
  std::string y1 = s.issue("goerlitz", {"kfz-neu"});
  s.issue("goerlitz", {"kfz-neu"});
  s.next("goerlitz-1");
  s.finish("goerlitz-1");
  // Outside the opening hours only staff issue (core/office_hours.hpp): a counter's ticket.
  const json staff{{"source", "counter"}};
  s.set("23:59");
  BOOST_CHECK_EQUAL(s.number(s.issue("goerlitz", {"kfz-neu"}, staff)), "K003");
  s.set("07:45", kNextDay);
  std::string t1 = s.issue("goerlitz", {"kfz-neu"}, staff);
  BOOST_CHECK_EQUAL(s.number(t1), "K001");
  BOOST_CHECK_EQUAL(s.ticket(t1).day, kNextDay);
  BOOST_CHECK_EQUAL(s.state.current_day(), kNextDay);
  BOOST_CHECK_EQUAL(s.state.last_number("goerlitz", "K", kNextDay), 1);
  BOOST_CHECK_EQUAL(s.state.last_number("goerlitz", "K", kDay), 0);  // only today's count
  // Yesterday's finished ticket left memory; the lookup finds today's K001.
  BOOST_CHECK(!s.state.ticket(y1));
  BOOST_CHECK_EQUAL(s.state.ticket_by_number("goerlitz", "K001"), &s.ticket(t1));
  BOOST_CHECK_EQUAL(s.state.counter("goerlitz-1")->served_today, 0);
  BOOST_CHECK_EQUAL(s.number(s.issue("goerlitz", {"kfz-neu"}, staff)), "K002");
}

BOOST_AUTO_TEST_CASE(numbers_survive_checkpoint_snapshot_and_replay) {
  Scenario s(demo_region());
  s.issue("goerlitz", {"kfz-neu"});
  s.issue("goerlitz", {"kfz-neu"});
  s.issue("goerlitz", {"buergerberatung"});
  s.issue("zittau", {"kfz-neu"});
  auto next_number = [&](const State& st, const std::string& office, const std::string& service) {
    Decision d = decide(Request{1, "id", "ticket.issue",
                                json{{"office", office}, {"services", {service}}}},
                        st, s.now);
    BOOST_REQUIRE(!d.error);
    return d.events.at(0).body["ticket"]["number"].get<std::string>();
  };
  State restarted(s.state.region_ptr());
  restarted.load_snapshot(s.state.checkpoint());
  BOOST_CHECK_EQUAL(next_number(restarted, "goerlitz", "kfz-neu"), "K003");
  BOOST_CHECK_EQUAL(next_number(restarted, "goerlitz", "buergerberatung"), "I002");
  BOOST_CHECK_EQUAL(next_number(restarted, "zittau", "kfz-neu"), "K002");
  State screen(s.state.region_ptr());
  screen.load_snapshot(s.state.snapshot("goerlitz"));
  BOOST_CHECK_EQUAL(next_number(screen, "goerlitz", "kfz-neu"), "K003");
  State replayed = s.replay();
  BOOST_CHECK_EQUAL(next_number(replayed, "goerlitz", "kfz-neu"), "K003");
  BOOST_CHECK_EQUAL(next_number(replayed, "zittau", "kfz-neu"), "K002");
  // A restarted broker continues the numbering instead of starting over.
  s.state.load_snapshot(s.state.checkpoint());
  BOOST_CHECK_EQUAL(s.number(s.issue("goerlitz", {"kfz-neu"})), "K003");
}

BOOST_AUTO_TEST_CASE(leftover_tickets_do_not_shadow_todays_numbers) {
  // Tickets still waiting at closing time stay in memory overnight. Today's tickets with the
  // same numbers must win the number lookup, also after a restart from a checkpoint, and a
  // leftover leaving memory later must not take today's number lookup with it.
  Scenario s(demo_region());
  std::vector<std::string> yesterday, today;
  for (int i = 0; i < 6; ++i) yesterday.push_back(s.issue("goerlitz", {"kfz-neu"}));
  s.set("08:00", kNextDay);
  BOOST_CHECK_EQUAL(s.state.ticket_by_number("goerlitz", "K001")->id, yesterday[0]);
  for (int i = 0; i < 6; ++i) today.push_back(s.issue("goerlitz", {"kfz-neu"}));
  BOOST_CHECK_EQUAL(s.number(today[0]), "K001");
  State restarted(s.state.region_ptr());
  restarted.load_snapshot(s.state.checkpoint());
  for (int i = 0; i < 6; ++i) {
    std::string n = s.number(today[i]);
    BOOST_CHECK_EQUAL(s.state.ticket_by_number("goerlitz", n)->id, today[i]);
    BOOST_CHECK_EQUAL(restarted.ticket_by_number("goerlitz", n)->id, today[i]);
  }
  // Calling "K001" calls today's.
  s.open("goerlitz-1");
  auto d = s.ok("counter.call", json{{"counter", "goerlitz-1"}, {"ticket", "K002"}});
  BOOST_CHECK_EQUAL(d.reply["ticket"]["id"], today[1]);
  s.finish("goerlitz-1");
  // Yesterday's leftovers are cancelled; at the next day they leave memory, today's
  // (still waiting) tickets keep their numbers.
  for (const auto& id : yesterday) s.ok("ticket.cancel", json{{"ticket", id}});
  s.set("08:00", "2026-11-25");
  s.issue("goerlitz", {"kfz-um"});
  for (const auto& id : yesterday) BOOST_CHECK(!s.state.ticket(id));
  BOOST_CHECK(!s.state.ticket(today[1]));  // done yesterday: gone too
  for (int i = 0; i < 6; ++i) {
    if (i == 1) continue;
    const Ticket* t = s.state.ticket_by_number("goerlitz", s.number(today[i]));
    BOOST_REQUIRE_MESSAGE(t, "K00" << i + 1 << " lost");
    BOOST_CHECK_EQUAL(t->id, today[i]);
  }
}

BOOST_AUTO_TEST_SUITE_END()

// Issue 17 item 1: the end of day as the broker does it (core/day_close.hpp + day.closed),
// across the closing time and midnight, and its replay.
BOOST_AUTO_TEST_SUITE(end_of_day)

namespace {

// o1 open Monday (kDay) 08:00-18:00 only, grace 30 minutes; o2 around the clock.
std::shared_ptr<const Region> region_with_hours() {
  auto r = std::make_shared<Region>(*small_region());
  r->offices[0].hours = {{1, 8 * 60, 18 * 60}};
  r->policy.day_close_grace_minutes = 30;
  return r;
}

// What the broker's once-a-second check does: a day.closed per office whose day is due.
int close_due(Scenario& s) {
  int closed = 0;
  for (const Office& o : s.state.region().offices) {
    auto day = day_to_close(s.state, o, s.now);
    if (!day) continue;
    Event e;
    e.office = o.id;
    e.type = "day.closed";
    e.body = day_closed_body(s.state, o.id, *day, "schedule");
    e.seq = s.state.seq() + 1;
    e.oseq = s.state.office_seq(o.id) + 1;
    e.time = s.now;
    s.state.apply(e);
    s.journal.push_back(e);
    ++closed;
  }
  return closed;
}

}  // namespace

BOOST_AUTO_TEST_CASE(closing_time_plus_grace_then_midnight_and_replay) {
  Scenario s(region_with_hours(), at("17:00"));
  const Office& o1 = *s.state.region().find_office("o1");
  BOOST_CHECK_EQUAL(day_close_due(s.state.region(), o1, kDay), at("18:30"));
  BOOST_CHECK_EQUAL(day_close_due(s.state.region(), *s.state.region().find_office("o2"), kDay),
                    at("00:00", kNextDay));
  s.open("o1-1");
  s.open("o1-4");
  std::string served = s.issue("o1", {"a"});
  std::string parked = s.issue("o1", {"a"});
  std::string waiting = s.issue("o1", {"b"});
  std::string in_o2 = s.issue("o2", {"a"});
  BOOST_CHECK_EQUAL(s.next("o1-4"), served);
  s.start("o1-4");
  BOOST_CHECK_EQUAL(s.next("o1-1"), parked);
  s.ok("counter.park", json{{"counter", "o1-1"}, {"reason", "Kennzeichen holen"}});

  s.set("18:29");
  BOOST_CHECK_EQUAL(close_due(s), 0);
  BOOST_CHECK(s.ticket_state(waiting) == TicketState::waiting);
  s.set("18:30");
  BOOST_CHECK_EQUAL(close_due(s), 1);
  BOOST_CHECK_EQUAL(s.journal.back().body["tickets"], 3);
  BOOST_CHECK_EQUAL(s.journal.back().body["counters"], 2);
  for (const auto& id : {served, parked, waiting}) {
    BOOST_CHECK(s.ticket_state(id) == TicketState::closed);
    BOOST_CHECK_EQUAL(s.ticket(id).history.back().what, "closed");
  }
  BOOST_CHECK_EQUAL(s.ticket(served).history.back().detail, "serving");
  BOOST_CHECK_EQUAL(s.ticket(parked).history.back().detail, "parked");
  BOOST_CHECK_EQUAL(s.state.active_count("o1"), 0u);
  BOOST_CHECK(waiting_by_service(s.state, "o1").empty());
  for (const char* c : {"o1-1", "o1-4"}) {
    BOOST_CHECK(s.state.counter(c)->state == CounterState::closed);
    BOOST_CHECK(s.state.counter(c)->ticket.empty());
    BOOST_CHECK(s.state.counter(c)->staff.empty());
  }
  BOOST_CHECK(s.ticket_state(in_o2) == TicketState::waiting);  // o2 closes at midnight
  BOOST_CHECK_EQUAL(s.state.closed_day("o1"), kDay);
  // Statistics count them as not served.
  DayStats st = compute_day_stats(s.state, kDay, s.now, "o1");
  BOOST_CHECK_EQUAL(st.offices.at(0).f.closed, 3);
  BOOST_CHECK_EQUAL(st.offices.at(0).f.waiting, 0);
  BOOST_CHECK_EQUAL(st.offices.at(0).f.served, 0);

  // Once a day: a ticket staff issue after the close waits until midnight.
  s.set("18:45");
  BOOST_CHECK_EQUAL(close_due(s), 0);
  std::string late = s.issue("o1", {"a"}, json{{"source", "counter"}});
  s.set("23:59");
  BOOST_CHECK_EQUAL(close_due(s), 0);
  BOOST_CHECK(s.ticket_state(late) == TicketState::waiting);
  // Midnight: nothing of yesterday waits any more, in either office.
  s.now = at("00:00", kNextDay) + 1000;
  BOOST_CHECK_EQUAL(close_due(s), 2);
  BOOST_CHECK_EQUAL(s.journal.back().body["day"], kDay);
  BOOST_CHECK_EQUAL(s.state.active_count("o1"), 0u);
  BOOST_CHECK_EQUAL(s.state.active_count("o2"), 0u);
  BOOST_CHECK(!s.state.ticket(late));  // yesterday's final tickets leave memory
  json sum = s.ok("status").reply;
  for (const auto& o : sum["offices"]) {
    BOOST_CHECK_EQUAL(o["waiting"], 0);
    BOOST_CHECK(o["oldest_waiting_day"].is_null());
  }
  BOOST_CHECK_EQUAL(close_due(s), 0);  // done for the day

  // Replaying the journal gives the identical state, as does a checkpoint.
  State replayed = s.replay();
  BOOST_CHECK(replayed.checkpoint() == s.state.checkpoint());
  State from_checkpoint(s.state.region_ptr());
  from_checkpoint.load_snapshot(s.state.checkpoint());
  BOOST_CHECK(from_checkpoint.checkpoint() == s.state.checkpoint());
  BOOST_CHECK_EQUAL(from_checkpoint.closed_day("o1"), kDay);
}

BOOST_AUTO_TEST_CASE(day_close_by_hand) {
  Scenario s(region_with_hours(), at("10:00"));
  BOOST_CHECK(s.fails("day.close", json{{"office", "nowhere"}}) == ErrorCode::not_found);
  s.open("o1-1");
  std::string a = s.issue("o1", {"a"});
  std::string b = s.issue("o1", {"b"});
  s.next("o1-1");
  auto d = s.ok("day.close", json{{"office", "o1"}});
  BOOST_CHECK_EQUAL(d.reply["tickets"], 2);
  BOOST_CHECK_EQUAL(d.reply["counters"], 1);
  BOOST_CHECK_EQUAL(d.reply["day"], kDay);
  BOOST_CHECK_EQUAL(s.journal.back().body["reason"], "manual");
  BOOST_CHECK(s.ticket_state(a) == TicketState::closed);
  BOOST_CHECK(s.ticket_state(b) == TicketState::closed);
  BOOST_CHECK_EQUAL(s.state.active_count("o1"), 0u);
  // Final: not reactivated, not called.
  BOOST_CHECK(s.fails("ticket.reactivate", json{{"ticket", a}}) == ErrorCode::invalid_state);
  s.open("o1-1");
  BOOST_CHECK(s.fails("counter.call", json{{"counter", "o1-1"}, {"ticket", b}}) ==
              ErrorCode::invalid_state);
  // The scheduled close of the same day still comes (the journal records the day's end).
  s.set("18:30");
  BOOST_CHECK(day_to_close(s.state, *s.state.region().find_office("o1"), s.now).has_value());
  BOOST_CHECK(s.replay().checkpoint() == s.state.checkpoint());
}

BOOST_AUTO_TEST_SUITE_END()
