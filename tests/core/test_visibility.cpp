// The declared event table (fields and their visibility) against what the code really sends,
// and the projections core/visibility computes from it (issue 14).
#define BOOST_TEST_MODULE core_visibility
#include <boost/test/unit_test.hpp>

#include <set>

#include "core/visibility.hpp"
#include "tests/core/scenario.hpp"

using namespace wm::core;
using namespace wm::test;

namespace {

// Every key path an event body carries, nested objects and lists of objects included.
void collect(const json& j, const std::string& prefix, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      std::string path = prefix.empty() ? k : prefix + "." + k;
      out.insert(path);
      collect(v, path, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect(v, prefix, out);
  }
}

// A day that produces every event type the core decides (presence comes from the broker).
Scenario busy_day() {
  Scenario s;
  s.ok("appointment.import",
       json{{"appointments", {{{"code", "APPT-9"}, {"office", "o1"}, {"service", "a"},
                               {"slot", "2026-11-23T08:30"}, {"name", "Erika Musterfrau"}}}}});
  s.ok("counter.open", json{{"counter", "o1-1"}, {"staff", "anna"}});
  s.open("o1-2");
  s.issue("o1", {"a"}, json{{"consent", true}, {"identity", {{"surname", "Muster"}}}});
  std::string t2 = s.issue("o1", {"b"});
  s.next("o1-1");
  s.ok("counter.recall", json{{"counter", "o1-1"}});
  s.start("o1-1");
  s.finish("o1-1", json{{"forward", true}, {"notes", "Brief fehlt"}, {"outcome", "weiter"}});
  s.next("o1-2");
  s.ok("counter.transfer", json{{"counter", "o1-2"}, {"to_counter", "o1-1"}});
  s.next("o1-1");
  s.ok("counter.park", json{{"counter", "o1-1"}, {"reason", "Kennzeichen holen"}});
  s.ok("ticket.return", json{{"ticket", t2}});
  s.next("o1-1");
  s.ok("counter.no_show", json{{"counter", "o1-1"}});
  s.ok("ticket.reactivate", json{{"ticket", t2}});
  s.ok("ticket.cancel", json{{"ticket", t2}, {"reason", "Termin vergessen"}});
  s.issue("o1", {"b", "a"});
  s.next("o1-2");
  s.finish("o1-2");  // b done, a follows at the same counter: next and stay
  s.finish("o1-2");
  s.ok("appointment.checkin", json{{"office", "o1"}, {"code", "APPT-9"}});
  s.ok("device.status", json{{"device", "o1-kiosk/printer"}, {"state", "paper_low"}, {"detail", "Rolle"}});
  s.ok("counter.panic", json{{"counter", "o1-1"}});
  const Case& c = s.state.cases().begin()->second;
  s.ok("case.claim", json{{"case", c.id}, {"staff", "anna"}});
  s.ok("case.return", json{{"case", c.id}, {"question", "Welche Unterlagen?"}});
  s.ok("case.claim", json{{"case", c.id}, {"staff", "anna"}});
  s.ok("case.finish", json{{"case", c.id}, {"staff", "anna"}});
  s.ok("counter.close", json{{"counter", "o1-2"}});
  s.ok("counter.profile", json{{"counter", "o1-4"}, {"services", {"a", "b"}}});
  // The end of day (issue 17), in the other office so the rest of o1's day stays as it is.
  s.ok("counter.open", json{{"counter", "o2-1"}});
  s.issue("o2", {"a"});
  s.ok("day.close", json{{"office", "o2"}});
  return s;
}

}  // namespace

// That every event type is declared once, has fields, an applier and a docs entry is
// core_test_table's (tests/core/test_table.cpp); here: what the code really sends.

BOOST_AUTO_TEST_CASE(every_field_an_event_carries_is_declared) {
  Scenario s = busy_day();
  std::set<std::string> seen_types;
  for (const auto& e : s.journal) {
    seen_types.insert(e.type);
    const EventSpec* spec = find_event(e.type);
    BOOST_REQUIRE_MESSAGE(spec, "event type " << e.type << " is not declared");
    std::set<std::string> declared;
    for (const auto& f : spec->fields) declared.insert(f.name);
    std::set<std::string> carried;
    collect(e.body, {}, carried);
    for (const auto& k : carried) {
      BOOST_TEST(declared.count(k), e.type << " carries undeclared " << k);
      for (const auto& f : spec->fields)
        if (f.name == k) BOOST_TEST(f.visibility != Visibility::sealed, e.type << " carries sealed " << k);
    }
  }
  // Presence events are made by the broker (server/broker_stats.cpp): {kind, name}.
  for (const char* t : {"client.online", "client.offline"}) seen_types.insert(t);
  for (const auto& spec : event_specs())
    BOOST_TEST(seen_types.count(spec.type), spec.type << " never happened in the scenario");
  // The snapshot's records are declared too: every key of a full snapshot survives the widest
  // projection except the internal ones.
  Viewer admin;
  admin.reach = Visibility::backoffice;
  json full = s.state.snapshot();
  json seen = project_snapshot(full, admin);
  std::set<std::string> all_keys, kept;
  collect(full, {}, all_keys);
  collect(seen, {}, kept);
  for (const auto& k : all_keys)
    if (!k.starts_with("calls.")) BOOST_TEST(kept.count(k), "snapshot key " << k << " is undeclared");
}

BOOST_AUTO_TEST_CASE(screens_get_no_staff_data_and_staff_only_their_office) {
  Scenario s = busy_day();
  for (const auto& e : s.journal) {
    Event pub = public_event(e);
    const std::string text = pub.body.dump();
    for (const char* secret : {"Brief fehlt", "anna", "Kennzeichen holen", "Termin vergessen",
                               "Welche Unterlagen?", "APPT-9", "Rolle", "weiter"})
      BOOST_TEST(text.find(secret) == std::string::npos, e.type << " publishes " << secret);
  }
  // Free text is sealed: in no event, in no state the broker checkpoints.
  const std::string state_text = s.state.checkpoint().dump();
  for (const char* secret : {"Brief fehlt", "Kennzeichen holen", "Termin vergessen", "Welche Unterlagen?"}) {
    BOOST_TEST(state_text.find(secret) == std::string::npos, "the state holds " << secret);
    bool sealed = false;
    for (const auto& [key, data] : s.personal) sealed = sealed || data.dump().find(secret) != std::string::npos;
    BOOST_TEST(sealed, secret << " was not sealed");
  }
  // Snapshots as the broker answers them: projected, then the texts the projection left keys
  // for read back from the personal store.
  auto seen_by = [&](const Viewer& v) {
    json out = project_snapshot(s.state.snapshot(), v);
    unseal(out, [&](const std::string& key) -> std::optional<std::string> {
      auto it = s.personal.find(key);
      if (it == s.personal.end()) return std::nullopt;
      return it->second.value("text", "");
    });
    return out.dump();
  };
  const std::string screen = seen_by(Viewer::screen());
  for (const char* secret : {"Brief fehlt", "anna", "Kennzeichen holen", "Termin vergessen",
                             "Welche Unterlagen?", "APPT-9", "has_identity"})
    BOOST_TEST(screen.find(secret) == std::string::npos, "screen snapshot holds " << secret);
  BOOST_TEST(screen.find("A001") != std::string::npos);  // positive control: numbers are public

  Viewer dash_o1{Visibility::office_staff, {"o1"}, {}};
  Viewer dash_o2{Visibility::office_staff, {"o2"}, {}};
  Viewer back_o1{Visibility::backoffice, {"o1"}, {}};
  const std::string d1 = seen_by(dash_o1);
  const std::string d2 = seen_by(dash_o2);
  const std::string b1 = seen_by(back_o1);
  BOOST_TEST(d1.find("\"anna\"") != std::string::npos);  // the office's own staff login
  BOOST_TEST(d1.find("Kennzeichen holen") != std::string::npos);  // the office's own staff data
  BOOST_TEST(d1.find("Brief fehlt") == std::string::npos);        // notes: back office only
  BOOST_TEST(d1.find("Welche Unterlagen?") == std::string::npos); // question: its counter only
  for (const char* secret : {"Brief fehlt", "anna", "Kennzeichen holen", "Welche Unterlagen?"})
    BOOST_TEST(d2.find(secret) == std::string::npos, "the other office's dashboard sees " << secret);
  BOOST_TEST(b1.find("Brief fehlt") != std::string::npos);
  BOOST_TEST(b1.find("Welche Unterlagen?") != std::string::npos);
  Viewer counter_o1_1{Visibility::office_staff, {"o1"}, "o1-1"};
  Viewer counter_o1_2{Visibility::office_staff, {"o1"}, "o1-2"};
  BOOST_TEST(seen_by(counter_o1_1).find("Welche Unterlagen?") != std::string::npos);
  BOOST_TEST(seen_by(counter_o1_2).find("Welche Unterlagen?") == std::string::npos);
  BOOST_TEST(seen_by(counter_o1_1).find("Brief fehlt") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(undeclared_fields_and_types_are_dropped) {
  Event e{1, 1, 0, "o1", "ticket.called", json{{"ticket", "t"}, {"counter", "c"}, {"secret", "x"}}};
  BOOST_TEST(project_event(e, Viewer::screen()));
  BOOST_TEST(!e.body.contains("secret"));
  BOOST_TEST(e.body["ticket"] == "t");
  Event u{1, 1, 0, "o1", "made.up", json{{"a", 1}}};
  project_event(u, Viewer::screen());
  BOOST_TEST(u.body.empty());
  BOOST_TEST(all_public("ticket.serving"));
  BOOST_TEST(!all_public("ticket.parked"));
  // A call in order is published as journaled; one out of order carries staff-only fields.
  BOOST_TEST(!all_public("ticket.called"));
  Event in_order{1, 1, 0, "o1", "ticket.called", json{{"ticket", "t"}, {"counter", "c"}, {"recalls", 0}}};
  BOOST_TEST(public_as_is(in_order));
  in_order.body["reason"] = "language";
  BOOST_TEST(!public_as_is(in_order));
  BOOST_TEST(!public_as_is(Event{1, 1, 0, "o1", "ticket.parked", json{{"ticket", "t"}, {"reason_ref", "r"}}}));
  BOOST_TEST(!all_public("made.up"));
}
