// Dashboard: figures of a scripted office day on a real broker equal an independent count from
// the journal; alerts appear, clear on acknowledge and return; both views draw in 7 languages.
#define BOOST_TEST_MODULE counter_dashboard
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "core/client/station.hpp"
#include "core/clock.hpp"
#include "counter/dashboard/dashboard_app.hpp"
#include "counter/dashboard/dashboard_model.hpp"
#include "counter/dashboard/dashboard_view.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/broker_process.hpp"
#include "tests/support/screenshots.hpp"
#include "ui/harness.hpp"

using namespace wm;
using core::json;
using namespace std::chrono_literals;

namespace {

using wm::test::eventually;

struct JournalEvent {
  core::Millis time;
  std::string office, type;
  json body;
};

std::vector<JournalEvent> journal(const std::string& dir) {
  std::vector<JournalEvent> out;
  sqlite3* db = nullptr;
  sqlite3_open_v2((dir + "/journal.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT time, office, type, body FROM events ORDER BY seq", -1, &st,
                     nullptr);
  while (st && sqlite3_step(st) == SQLITE_ROW)
    out.push_back({sqlite3_column_int64(st, 0),
                   reinterpret_cast<const char*>(sqlite3_column_text(st, 1)),
                   reinterpret_cast<const char*>(sqlite3_column_text(st, 2)),
                   json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st, 3)))});
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// The day's figures of one office, counted straight from journal rows (not via core/stats).
struct Expected {
  int arrivals = 0, served = 0, no_shows = 0, waiting = 0, waits = 0;
  core::Millis wait_sum = 0;
  std::map<std::string, int> served_by_counter;
  std::map<int, int> arrivals_by_bucket;
};

Expected count(const std::vector<JournalEvent>& evs, const std::string& office) {
  Expected x;
  std::map<std::string, core::Millis> issued;
  std::set<std::string> called, ended;
  std::map<std::string, std::string> counter_of;
  for (const auto& e : evs) {
    if (e.office != office) continue;
    if (e.type == "ticket.issued") {
      ++x.arrivals;
      issued[e.body["ticket"]["id"]] = e.time;
      const std::string hhmm = core::local_hhmm(e.time);
      ++x.arrivals_by_bucket[(std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2))) /
                             15];
    } else if (e.type == "ticket.called") {
      const std::string id = e.body["ticket"];
      counter_of[id] = e.body["counter"];
      if (called.insert(id).second) {
        ++x.waits;
        x.wait_sum += e.time - issued.at(id);
      }
    } else if (e.type == "ticket.finished") {
      ++x.served;
      ++x.served_by_counter[counter_of[e.body["ticket"]]];
      ended.insert(e.body["ticket"]);
    } else if (e.type == "ticket.no_show") {
      ++x.no_shows;
    }
  }
  for (const auto& [id, t] : issued)
    if (!called.count(id)) ++x.waiting;
  return x;
}

bool has_alert(const counter::DashboardModel& m, const std::string& id) {
  for (const auto& a : m.alerts())
    if (a.id == id) return true;
  return false;
}

std::string alert_ids(const counter::DashboardModel& m) {
  std::string s;
  for (const auto& a : m.alerts()) s += a.id + " ";
  return s;
}

// A broker on a fast simulated Tuesday morning: 10 simulated minutes per real second.
std::vector<std::string> fast_tuesday() { return {"--clock-start", "2026-11-24T08:00", "--clock-speed", "600"}; }

// Scripts a small Görlitz morning; leaves one Führerschein visitor waiting with nobody serving it.
void script_day(core::BrokerClient& c) {
  c.request("counter.open", json{{"counter", "goerlitz-3"}, {"staff", "tweber"}});
  c.request("counter.open", json{{"counter", "goerlitz-6"}, {"staff", "anowak"}});
  for (int i = 0; i < 4; ++i) {
    c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-um"}}});
    std::this_thread::sleep_for(150ms);
  }
  c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"fuehrerschein"}}});
  for (int i = 0; i < 2; ++i)
    c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"wohngeld"}}});
  std::this_thread::sleep_for(300ms);
  for (int i = 0; i < 3; ++i) {
    c.request("counter.next", json{{"counter", "goerlitz-3"}});
    c.request("counter.start", json{{"counter", "goerlitz-3"}});
    std::this_thread::sleep_for(120ms);
    c.request("counter.finish", json{{"counter", "goerlitz-3"}});
  }
  c.request("counter.next", json{{"counter", "goerlitz-3"}});
  c.request("counter.no_show", json{{"counter", "goerlitz-3"}});
  c.request("counter.next", json{{"counter", "goerlitz-6"}});
  c.request("counter.start", json{{"counter", "goerlitz-6"}});
  c.request("device.status", json{{"device", "goerlitz-kiosk-1/printer"}, {"state", "paper_out"}});
  c.request("counter.panic", json{{"counter", "goerlitz-6"}});
}

core::StationOptions options(test::BrokerProcess& b, std::string office, std::string kind,
                             std::string name) {
  core::StationOptions o;
  o.command_endpoint = b.command_endpoint();
  o.event_endpoint = b.event_endpoint();
  o.office = std::move(office);  // empty: the whole region, as the dashboard follows it
  o.kind = std::move(kind);
  o.name = std::move(name);
  // The fixture's key: the county's dashboard, or the station's own (named as the station, as
  // the broker's presence rule wants for counters and kiosks).
  o.curve = o.kind == "dashboard" ? b.keys(o.office.empty() ? "dashboard" : o.office + "-dashboard")
                                  : b.station_keys(o.name);
  return o;
}

const char* kLangs[] = {"de", "en", "pl", "cs", "uk", "ru", "tr"};

}  // namespace

BOOST_AUTO_TEST_CASE(model_refuses_unknown_offices_and_alerts) {
  test::BrokerProcess broker;  // only for the demo region
  auto region = broker.region();
  counter::DashboardModel m(region);
  core::State s(region);
  m.update(s, {}, core::real_now());
  BOOST_TEST(!m.open_office("atlantis"));
  BOOST_TEST(m.office().empty());
  BOOST_TEST(!m.acknowledge("panic:nowhere"));
  BOOST_TEST(m.alerts().empty());
  BOOST_TEST(m.stats().offices.size() == region->offices.size());
  BOOST_TEST(m.open_office("zittau"));
  m.show_county();
  BOOST_TEST(m.office().empty());
}

BOOST_AUTO_TEST_CASE(scripted_day_figures_alerts_and_views) {
  test::BrokerProcess broker(fast_tuesday());
  broker.start();
  auto region = broker.region();
  // The whole region, exactly as counter/dashboard/main.cpp follows it.
  core::Station station(region, options(broker, "", "dashboard", "dashboard-test"));
  BOOST_REQUIRE(eventually([&] { return station.online(); }));
  auto c = broker.client();
  script_day(c);

  counter::DashboardModel m(region);
  std::vector<core::Event> seen;
  // Returns the replica the model just saw (events first: the state then holds them all), so
  // a test waiting for a state knows the model has seen it too.
  auto refresh = [&] {
    auto evs = station.take_events();
    auto st = station.state();
    seen.insert(seen.end(), evs.begin(), evs.end());
    m.update(*st, evs, station.broker_now());
    return st;
  };
  const core::Service* fs = region->find_service("fuehrerschein");
  BOOST_REQUIRE(fs);
  // The Führerschein visitor waits past the target (30 simulated minutes = 3 s here).
  BOOST_REQUIRE_MESSAGE(eventually(
      [&] {
        refresh();
        return has_alert(m, "wait:goerlitz:fuehrerschein") && has_alert(m, "panic:goerlitz-6");
      },
      20s), "alerts: " << alert_ids(m) << " seq " << station.state()->seq() << " tickets "
                        << station.state()->ticket_count() << " devices "
                        << station.state()->devices().size() << " day " << m.stats().day
                        << " arrivals " << m.stats().total.arrivals << " events " << seen.size()
                        << " online " << station.online() << " broker "
                        << [&] { json j = c.request("snapshot", json::object()); return j.value("seq", json()).dump() + " dev " + j.value("devices", json()).dump() + " pres " + j.value("presence", json()).dump(); }());
  BOOST_TEST_MESSAGE("alerts: " << alert_ids(m));
  BOOST_TEST(m.panic());
  BOOST_TEST(has_alert(m, "device:goerlitz-kiosk-1/printer:paper_out"));
  BOOST_TEST(counter::to_string(m.alerts().front().kind) == "panic");  // loudest first

  // Figures equal the journal, counted independently.
  const Expected x = count(journal(broker.data_dir()), "goerlitz");
  const core::OfficeStats* o = m.stats().office("goerlitz");
  BOOST_REQUIRE(o);
  BOOST_TEST(x.arrivals == 7);
  BOOST_TEST(o->f.arrivals == x.arrivals);
  BOOST_TEST(o->f.served == x.served);
  BOOST_TEST(x.served == 3);
  BOOST_TEST(o->f.no_shows == x.no_shows);
  BOOST_TEST(o->f.waiting == x.waiting);
  BOOST_TEST(x.waiting == 2);
  BOOST_TEST(o->f.waits == x.waits);
  BOOST_TEST(o->f.wait_sum_ms == x.wait_sum);
  BOOST_TEST(x.wait_sum > 0);
  BOOST_TEST(o->counters_open == 2);
  for (const auto& cs : o->counters)
    BOOST_TEST(cs.f.served == (x.served_by_counter.count(cs.counter) ? x.served_by_counter.at(cs.counter) : 0),
               cs.counter);
  for (int b = 0; b < core::kBuckets; ++b)
    BOOST_TEST(o->arrivals[b] == (x.arrivals_by_bucket.count(b) ? x.arrivals_by_bucket.at(b) : 0), b);
  for (const auto& s : o->services)
    if (s.service == "fuehrerschein") {
      BOOST_TEST(s.f.waiting == 1);
      BOOST_TEST(core::to_string(s.light) == "red");
    }
  BOOST_TEST(core::to_string(o->light) == "red");
  // Another office saw nothing.
  BOOST_TEST(m.stats().office("zittau")->f.arrivals == 0);

  // Both views in every language: no ImGui errors, no text overflow, clicks work.
  for (const char* lang : kLangs) {
    ui::Harness hl({.width = 1920, .height = 1080, .lang = lang});
    const core::Millis now = station.broker_now();
    hl.set_screen([&](ui::Frame& f) {
      counter::apply(m, counter::draw_dashboard(f, m, now, true), now);
    });
    m.show_county();
    hl.step(2);
    BOOST_TEST(hl.widget("dash.office.goerlitz") != nullptr);
    BOOST_TEST(hl.widget("dash.panic") != nullptr);
    // Not by colour alone (WCAG 1.4.1): the light has a shape and, on the tile, its word.
    BOOST_REQUIRE(hl.widget("dash.office.goerlitz.light.word") != nullptr);
    BOOST_TEST(hl.widget("dash.office.goerlitz.light.word")->label ==
               hl.widget("dash.office.goerlitz.light")->label);
    if (std::string(lang) == "de") {
      BOOST_TEST(hl.widget("dash.office.goerlitz.light")->label == "über Ziel");
      BOOST_TEST(hl.widget("dash.office.zittau.light")->label == "im Ziel");
    }
    BOOST_TEST(hl.overflowing().empty(), lang << " county: "
               << (hl.overflowing().empty() ? "" : hl.overflowing().front()->id));
    if (std::string(lang) == "de") hl.save_png(test::screenshot_path("dashboard-county.png"));
    BOOST_REQUIRE(hl.tap("dash.office.goerlitz", ui::PointerKind::mouse));
    BOOST_TEST(m.office() == "goerlitz");
    hl.step(2);
    BOOST_TEST(hl.widget("dash.svc.fuehrerschein.1") != nullptr);
    // Nothing left out: every service and every counter of the office has its row, at full
    // HD with the panic banner up, and no "… more" line is needed.
    for (const auto& s : o->services)
      BOOST_TEST(hl.widget("dash.svc." + s.service + ".name") != nullptr, lang << " " << s.service);
    for (const auto& c : o->counters)
      BOOST_TEST(hl.widget("dash.ctr." + c.counter + ".name") != nullptr, lang << " " << c.counter);
    BOOST_TEST(hl.widget("dash.svc.more") == nullptr);
    BOOST_REQUIRE(hl.widget("dash.svc.fuehrerschein.light") != nullptr);
    BOOST_TEST(!hl.widget("dash.svc.fuehrerschein.light")->label.empty());
    if (std::string(lang) == "de")
      BOOST_TEST(hl.widget("dash.svc.fuehrerschein.light")->label == "über Ziel");
    BOOST_TEST(hl.widget("dash.ctr.goerlitz-3.served") != nullptr);
    BOOST_TEST(hl.widget("dash.chart.flow.title") != nullptr);
    BOOST_TEST(hl.overflowing().empty(), lang << " office: "
               << (hl.overflowing().empty() ? "" : hl.overflowing().front()->id));
    BOOST_TEST(hl.app().ui_errors() == 0);
    BOOST_TEST(hl.app().widgets().duplicates().empty());
    if (std::string(lang) == "de") hl.save_png(test::screenshot_path("dashboard-office.png"));
    BOOST_REQUIRE(hl.tap("dash.back", ui::PointerKind::mouse));
    BOOST_TEST(m.office().empty());
  }

  // A small window: rows shrink first (text scales with the window, so all 11 still fit), and
  // what would not fit is counted, never dropped silently ("… und N weitere").
  {
    ui::Harness small({.width = 1024, .height = 480});
    const core::Millis now = station.broker_now();
    small.set_screen([&](ui::Frame& f) { counter::apply(m, counter::draw_dashboard(f, m, now, true), now); });
    m.show_county();
    small.step(2);
    BOOST_REQUIRE(small.tap("dash.office.goerlitz", ui::PointerKind::mouse));
    small.step(2);
    int rows = 0;
    for (const auto& s : o->services)
      if (small.widget("dash.svc." + s.service + ".name")) ++rows;
    int hidden = 0;
    if (const auto* more = small.widget("dash.svc.more")) hidden = std::stoi(more->label.substr(more->label.find_first_of("0123456789")));
    BOOST_TEST_MESSAGE("1024x480: " << rows << " service rows, " << hidden << " counted as more");
    BOOST_TEST(rows + hidden == static_cast<int>(o->services.size()));
    BOOST_REQUIRE(small.tap("dash.back", ui::PointerKind::mouse));
  }

  // Acknowledge through the view: the panic banner goes and stays gone.
  {
    ui::Harness hl({.width = 1920, .height = 1080});
    hl.set_screen([&](ui::Frame& f) {
      refresh();
      const core::Millis t = station.broker_now();
      counter::apply(m, counter::draw_dashboard(f, m, t, station.online()), t);
    });
    hl.step();
    BOOST_REQUIRE(hl.tap("dash.panic.ack", ui::PointerKind::mouse));
    hl.step();
    BOOST_TEST(!m.panic());
    BOOST_TEST(hl.widget("dash.panic") == nullptr);
    BOOST_REQUIRE(hl.tap("dash.ack.device:goerlitz-kiosk-1/printer:paper_out",
                         ui::PointerKind::mouse));
  }
  BOOST_TEST(m.acknowledge("wait:goerlitz:fuehrerschein"));
  BOOST_TEST(!m.acknowledge("wait:goerlitz:fuehrerschein"));  // already gone
  refresh();
  // Meanwhile the second Wohngeld visitor may have passed its target too: acknowledge it.
  for (const auto& a : std::vector<counter::Alert>(m.alerts()))
    if (a.kind == counter::AlertKind::wait_over_target) BOOST_TEST(m.acknowledge(a.id));
  BOOST_TEST(m.alerts().empty(), alert_ids(m));

  // It happens again: paper back, then out again; a second panic.
  c.request("device.status", json{{"device", "goerlitz-kiosk-1/printer"}, {"state", "ok"}});
  BOOST_REQUIRE(eventually([&] {
    return refresh()->devices().at("goerlitz-kiosk-1/printer").state == "ok";
  }));
  c.request("device.status", json{{"device", "goerlitz-kiosk-1/printer"}, {"state", "paper_out"}});
  c.request("counter.panic", json{{"counter", "goerlitz-6"}});
  BOOST_TEST(eventually([&] {
    refresh();
    return has_alert(m, "device:goerlitz-kiosk-1/printer:paper_out") && m.panic();
  }));
  // The acknowledged wait alert stays gone while the same visitor still waits.
  BOOST_TEST(!has_alert(m, "wait:goerlitz:fuehrerschein"));
  // No personal data in any alert text source: only ids of stations, devices, services.
  for (const auto& a : m.alerts()) BOOST_TEST(a.label.find("Weber") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(station_offline_alert_appears_and_clears) {
  test::BrokerProcess broker;
  broker.start();
  auto region = broker.region();
  core::Station dash(region, options(broker, "", "dashboard", "dashboard-test"));
  counter::DashboardModel m(region);
  auto refresh = [&] { m.update(*dash.state(), dash.take_events(), dash.broker_now()); };
  auto presence_online = [&](const std::string& name) -> std::optional<bool> {
    auto st = dash.state();
    auto it = st->presence().find(name);
    if (it == st->presence().end()) return std::nullopt;
    return it->second.online;
  };
  BOOST_REQUIRE(eventually([&] { return dash.online(); }));
  // A counter station and the kiosk come up and ping, as their apps do.
  auto counter_station = std::make_unique<core::Station>(
      region, options(broker, "goerlitz", "counter", "goerlitz-3"));
  core::Station kiosk(region, options(broker, "goerlitz", "kiosk", "goerlitz-kiosk-1"));
  BOOST_REQUIRE(eventually([&] {
    return presence_online("goerlitz-3") == true && presence_online("goerlitz-kiosk-1") == true;
  }));
  refresh();
  BOOST_TEST(!has_alert(m, "offline:goerlitz-3"), alert_ids(m));

  // The counter's process goes away: no more pings; the broker journals it offline after its
  // client expiry (5 s) and the dashboard, following the whole region, raises the alert.
  counter_station.reset();
  BOOST_REQUIRE_MESSAGE(eventually([&] {
    refresh();
    return has_alert(m, "offline:goerlitz-3");
  }, 15s), "alerts: " << alert_ids(m));
  const counter::Alert* a = nullptr;
  for (const auto& x : m.alerts())
    if (x.id == "offline:goerlitz-3") a = &x;
  BOOST_REQUIRE(a);
  BOOST_TEST(counter::to_string(a->kind) == "offline");
  BOOST_TEST(a->office == "goerlitz");
  BOOST_TEST(!has_alert(m, "offline:goerlitz-kiosk-1"));  // still pinging
  // The view shows it, in German, with the office name.
  {
    ui::Harness h({.width = 1920, .height = 1080});
    h.set_screen([&](ui::Frame& f) {
      const core::Millis t = dash.broker_now();
      counter::apply(m, counter::draw_dashboard(f, m, t, dash.online()), t);
    });
    h.step(2);
    const ui::WidgetInfo* w = h.widget("dash.alert.offline:goerlitz-3");
    BOOST_REQUIRE(w);
    BOOST_TEST(w->label.find("Offline") != std::string::npos, w->label);
    BOOST_TEST(w->label.find("Görlitz") != std::string::npos, w->label);
    BOOST_TEST(h.overflowing().empty());
  }

  // It comes back: the alert clears by itself, without an acknowledgement.
  core::Station again(region, options(broker, "goerlitz", "counter", "goerlitz-3"));
  BOOST_REQUIRE_MESSAGE(eventually([&] {
    refresh();
    return !has_alert(m, "offline:goerlitz-3");
  }), "alerts: " << alert_ids(m));
  BOOST_TEST(presence_online("goerlitz-3").value_or(false));
  BOOST_TEST(m.alerts().empty(), alert_ids(m));
}

// A past day picked in the dashboard equals the journal; the broker replays it once, then
// answers from its cache; the picker never goes past today; an unreachable broker says so.
BOOST_AUTO_TEST_CASE(past_day_picker_shows_the_journal_day) {
  const std::string monday = "2026-11-23", tuesday = "2026-11-24";
  test::BrokerProcess broker({"--clock-start", monday + "T09:00"});
  broker.start();
  {
    auto c = broker.client();
    c.request("counter.open", json{{"counter", "goerlitz-3"}, {"staff", "tweber"}});
    for (int i = 0; i < 4; ++i)
      c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-um"}}});
    c.request("ticket.issue", json{{"office", "zittau"}, {"services", {"wohngeld"}}});
    std::this_thread::sleep_for(200ms);
    for (int i = 0; i < 2; ++i) {
      c.request("counter.next", json{{"counter", "goerlitz-3"}});
      c.request("counter.start", json{{"counter", "goerlitz-3"}});
      std::this_thread::sleep_for(50ms);
      c.request("counter.finish", json{{"counter", "goerlitz-3"}});
    }
    c.request("counter.next", json{{"counter", "goerlitz-3"}});
    c.request("counter.no_show", json{{"counter", "goerlitz-3"}});
  }
  broker.terminate();
  // The next morning, on the same journal.
  broker.set_extra_args({"--clock-start", tuesday + "T08:00"});
  broker.start();
  auto region = broker.region();
  auto opts = options(broker, "", "dashboard", "dashboard-test");
  opts.request_timeout = 1500ms;
  core::Station station(region, opts);
  BOOST_REQUIRE(eventually([&] { return station.online(); }));
  counter::DashboardRunner runner(region, station);
  ui::Harness h({.width = 1920, .height = 1080});
  h.set_screen([&](ui::Frame& f) { runner.frame(f); });
  auto& m = runner.model();
  h.step(2);
  BOOST_TEST(m.live());
  BOOST_TEST(h.widget("dash.day.next") == nullptr);  // nothing after today
  BOOST_TEST(h.widget("dash.day")->label == "24.11.2026");
  BOOST_TEST(m.shown_stats().office("goerlitz")->f.arrivals == 0);  // nothing yet today

  BOOST_REQUIRE(h.tap("dash.day.prev", ui::PointerKind::mouse));
  BOOST_TEST(m.picked_day() == monday);
  BOOST_REQUIRE(eventually([&] {
    h.step();
    return m.past_state() == counter::DashboardModel::PastState::ready;
  }));
  BOOST_TEST(h.widget("dash.day")->label == "23.11.2026");
  BOOST_TEST(h.widget("dash.day.state")->label.find("23.11.2026") != std::string::npos);
  const auto journal_rows = journal(broker.data_dir());
  for (const char* office : {"goerlitz", "zittau"}) {
    const Expected x = count(journal_rows, office);
    const core::OfficeStats* o = m.shown_stats().office(office);
    BOOST_REQUIRE(o);
    BOOST_TEST(o->f.arrivals == x.arrivals, office);
    BOOST_TEST(o->f.served == x.served, office);
    BOOST_TEST(o->f.no_shows == x.no_shows, office);
    BOOST_TEST(o->f.waiting == x.waiting, office);
    BOOST_TEST(o->f.waits == x.waits, office);
    BOOST_TEST(o->f.wait_sum_ms == x.wait_sum, office);
    for (const auto& cs : o->counters)
      BOOST_TEST(cs.f.served == (x.served_by_counter.count(cs.counter) ? x.served_by_counter.at(cs.counter) : 0),
                 cs.counter);
    for (int b = 0; b < core::kBuckets; ++b)
      BOOST_TEST(o->arrivals[b] == (x.arrivals_by_bucket.count(b) ? x.arrivals_by_bucket.at(b) : 0), b);
  }
  BOOST_TEST(count(journal_rows, "goerlitz").arrivals == 4);
  BOOST_TEST(count(journal_rows, "goerlitz").served == 2);
  BOOST_TEST(count(journal_rows, "goerlitz").waiting == 1);
  // The county tile of a past day shows the day's totals; the office view draws too.
  BOOST_TEST(h.widget("dash.office.goerlitz.arrivals")->label == "4");
  BOOST_TEST(h.widget("dash.office.goerlitz.no_shows")->label == "1");
  BOOST_TEST(h.widget("dash.office.goerlitz.open") == nullptr);  // no "counters open" then
  BOOST_REQUIRE(h.tap("dash.office.goerlitz", ui::PointerKind::mouse));
  h.step(2);
  BOOST_TEST(h.widget("dash.ctr.goerlitz-3.served")->label == "2");
  BOOST_TEST(h.widget("dash.svc.kfz-um.6")->label == "–");  // no forecast for a past day
  BOOST_TEST(h.overflowing().empty());
  BOOST_TEST(h.app().ui_errors() == 0);
  h.save_png(test::screenshot_path("dashboard-past-day.png"));
  BOOST_REQUIRE(h.tap("dash.back", ui::PointerKind::mouse));

  // Further back: nothing happened; forward again: the cached day, replayed only once.
  BOOST_REQUIRE(h.tap("dash.day.prev", ui::PointerKind::mouse));
  BOOST_REQUIRE(eventually([&] {
    h.step();
    return m.past_state() == counter::DashboardModel::PastState::ready;
  }));
  BOOST_TEST(m.picked_day() == "2026-11-22");
  BOOST_TEST(m.shown_stats().total.arrivals == 0);
  BOOST_REQUIRE(h.tap("dash.day.next", ui::PointerKind::mouse));
  BOOST_REQUIRE(eventually([&] {
    h.step();
    return m.past_state() == counter::DashboardModel::PastState::ready;
  }));
  BOOST_TEST(m.picked_day() == monday);
  BOOST_TEST(m.shown_stats().office("goerlitz")->f.arrivals == 4);
  auto c = broker.client();
  for (int i = 0; i < 3; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    json one = c.request("stats", json{{"day", monday}, {"office", "zittau"}});
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    BOOST_TEST_MESSAGE("cached past-day stats request: " << ms << " ms");
    auto ds = core::day_stats_from_json(one);
    BOOST_TEST(ds.offices.size() == 1u);
    BOOST_TEST(ds.total.arrivals == 1);
  }
  const std::string log = broker.log();
  std::size_t replays = 0;
  for (auto at = log.find("stats for " + monday + ": replayed"); at != std::string::npos;
       at = log.find("stats for " + monday + ": replayed", at + 1))
    ++replays;
  BOOST_TEST(replays == 1u, log);

  // Next from the day before today is today, live again; "today" from any past day too.
  BOOST_REQUIRE(h.tap("dash.day.next", ui::PointerKind::mouse));
  h.step();
  BOOST_TEST(m.live());
  m.step_day(+3, station.broker_now());  // never into the future
  BOOST_TEST(m.live());
  BOOST_REQUIRE(h.tap("dash.day.prev", ui::PointerKind::mouse));
  h.step();
  BOOST_REQUIRE(h.tap("dash.day.today", ui::PointerKind::mouse));
  BOOST_TEST(m.live());
  // Calendar days across the daylight saving changes; nonsense is refused.
  BOOST_TEST(counter::add_days("2026-03-29", 1).value_or("") == "2026-03-30");
  BOOST_TEST(counter::add_days("2026-10-25", -1).value_or("") == "2026-10-24");
  BOOST_TEST(counter::add_days("2026-03-01", -1).value_or("") == "2026-02-28");
  BOOST_TEST(!counter::add_days("gestern", -1).has_value());

  // The broker away: a pick says it could not be loaded instead of showing stale figures.
  broker.kill9();
  BOOST_REQUIRE(h.tap("dash.day.prev", ui::PointerKind::mouse));
  BOOST_REQUIRE(eventually([&] {
    h.step();
    return m.past_state() == counter::DashboardModel::PastState::failed;
  }));
  h.step();
  BOOST_TEST(h.widget("dash.day.state")->label.find("nicht verfügbar") != std::string::npos);
  BOOST_TEST(h.widget("dash.office.goerlitz") == nullptr);
}

// The dashboard's region-wide feed keeps up with every office and with stations coming and
// going (client.online/offline on their office topics), and hands out every event once.
BOOST_AUTO_TEST_CASE(region_wide_feed_keeps_up_with_offices_and_station_churn) {
  test::BrokerProcess broker;
  broker.start();
  auto region = broker.region();
  core::Station dash(region, options(broker, "", "dashboard", "dashboard-test"));
  BOOST_REQUIRE(eventually([&] { return dash.online(); }));
  auto c = broker.client();
  const std::uint64_t start = c.request("hello", json{{"client", "cli"}})["seq"];
  std::vector<core::Event> seen;
  for (int round = 0; round < 6; ++round) {
    // Stations of two offices appear (online events) while tickets are issued everywhere.
    std::vector<std::unique_ptr<core::Station>> stations;
    for (const char* name : {"goerlitz-1", "zittau-2", "goerlitz-kiosk-1"}) {
      const std::string office = std::string(name).substr(0, std::string(name).find('-'));
      stations.push_back(std::make_unique<core::Station>(
          region, options(broker, office, std::string(name).find("kiosk") != std::string::npos
                                              ? "kiosk" : "counter", name)));
    }
    for (const char* office : {"goerlitz", "zittau", "loebau"})
      c.request("ticket.issue", json{{"office", office}, {"services", {"kfz-um"}}});
    std::this_thread::sleep_for(300ms);
    auto evs = dash.take_events();
    seen.insert(seen.end(), evs.begin(), evs.end());
    stations.clear();  // they go quiet: offline events follow after the broker's expiry
  }
  // Wait for the last offline events, then the replica must equal the broker, and every
  // event since the start must have been handed out exactly once, in order.
  std::uint64_t head = 0;
  BOOST_REQUIRE_MESSAGE(eventually([&] {
    head = c.request("hello", json{{"client", "cli"}})["seq"];
    auto evs = dash.take_events();
    seen.insert(seen.end(), evs.begin(), evs.end());
    auto st = dash.state();
    bool all_offline = true;
    for (const auto& [name, p] : st->presence()) all_offline = all_offline && !p.online;
    return st->seq() == head && all_offline && !st->presence().empty();
  }, 20s), "replica " << dash.state()->seq() << " broker " << head);
  BOOST_TEST(head > start + 18);  // 18 tickets plus presence events
  BOOST_REQUIRE(!seen.empty());
  bool in_order = true;
  for (std::size_t i = 1; i < seen.size(); ++i) in_order = in_order && seen[i].seq == seen[i - 1].seq + 1;
  BOOST_TEST(in_order);
  BOOST_TEST(seen.back().seq == head);
  BOOST_TEST(seen.front().seq == start + 1);
  int online = 0, offline = 0;
  for (const auto& e : seen) {
    if (e.type == "client.online") ++online;
    if (e.type == "client.offline") ++offline;
  }
  BOOST_TEST_MESSAGE("presence events: " << online << " online, " << offline << " offline");
  BOOST_TEST(online >= 3);
  BOOST_TEST(offline >= 3);
  BOOST_TEST(dash.state()->ticket_count() == 18u);

  // A re-snapshot in the middle of steady traffic (the broker restarts while tickets keep
  // coming): afterwards the feed settles and hands out every event again, none dropped.
  std::atomic<bool> stop{false};
  std::thread traffic([&] {
    auto tc = broker.client();
    const char* offices[] = {"goerlitz", "zittau", "loebau"};
    for (int i = 0; !stop; ++i) {
      try {
        tc.call("ticket.issue", json{{"office", offices[i % 3]}, {"services", {"kfz-um"}}}, 500ms,
                200ms);
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(20ms);
    }
  });
  broker.kill9();
  std::this_thread::sleep_for(300ms);
  broker.start();
  BOOST_REQUIRE(eventually([&] { return dash.online(); }, 15s));
  std::this_thread::sleep_for(500ms);
  const std::uint64_t from = dash.state()->seq();
  (void)dash.take_events();  // may also hold a few after `from`: those are counted below
  std::vector<core::Event> later;
  for (int i = 0; i < 30; ++i) {  // 3 s of traffic
    std::this_thread::sleep_for(100ms);
    auto evs = dash.take_events();
    later.insert(later.end(), evs.begin(), evs.end());
  }
  stop = true;
  traffic.join();
  BOOST_REQUIRE(eventually([&] {
    head = c.request("hello", json{{"client", "cli"}})["seq"];
    auto evs = dash.take_events();
    later.insert(later.end(), evs.begin(), evs.end());
    return dash.state()->seq() == head;
  }));
  BOOST_TEST_MESSAGE("steady traffic: " << later.size() << " events handed out for seq " << from
                     << " -> " << head);
  std::erase_if(later, [&](const core::Event& e) { return e.seq <= from; });
  BOOST_TEST(head > from + 50);
  // Events taken with the first take_events() after `from` are missing here; the rest, up to
  // the head, must all be there and in order.
  BOOST_REQUIRE(!later.empty());
  BOOST_TEST(later.back().seq == head);
  BOOST_TEST(later.size() == head - later.front().seq + 1,
             later.size() << " events for seq " << later.front().seq << " -> " << head);
  BOOST_TEST(later.front().seq <= from + 10);
}

// Started before the broker (a dashboard PC booting first): no tiles full of zeros with green
// lights, but a plain "no data yet"; the county appears once the replica comes.
BOOST_AUTO_TEST_CASE(no_figures_before_the_first_snapshot) {
  test::BrokerProcess broker;
  auto region = broker.region();
  core::Station station(region, options(broker, "", "dashboard", "dashboard-test"));
  counter::DashboardRunner runner(region, station);
  ui::Harness h({.width = 1920, .height = 1080});
  h.set_screen([&](ui::Frame& f) { runner.frame(f); });
  h.step(2);
  BOOST_TEST(!station.has_data());
  BOOST_REQUIRE(h.widget("dash.no_data"));
  BOOST_TEST(h.widget("dash.no_data")->label.find("Noch keine Daten") == 0u);
  BOOST_TEST(h.widget("dash.offline") != nullptr);
  BOOST_TEST(h.widget("dash.office.goerlitz") == nullptr);
  h.save_png(test::screenshot_path("dashboard-no-data.png"));
  broker.start();
  BOOST_REQUIRE(eventually([&] { return station.has_data(); }));
  h.step(2);
  BOOST_TEST(h.widget("dash.no_data") == nullptr);
  BOOST_TEST(h.widget("dash.office.goerlitz") != nullptr);
}

// The panic alarm is heard, not only seen (issue 16 item 9): the dashboard speaks each new
// panic once, in its banner's words and its language; a second panic is spoken again.
BOOST_AUTO_TEST_CASE(a_panic_is_announced_once_per_panic) {
  test::BrokerProcess broker;
  broker.start();
  auto region = broker.region();
  core::Station station(region, options(broker, "", "dashboard", "dashboard-test"));
  BOOST_REQUIRE(eventually([&] { return station.online(); }));
  counter::DashboardRunner runner(region, station);
  std::vector<std::pair<std::string, std::string>> spoken;
  runner.on_panic = [&](const std::string& lang, const std::string& words) {
    spoken.emplace_back(lang, words);
  };
  ui::Harness h({.width = 1920, .height = 1080});
  h.set_screen([&](ui::Frame& f) { runner.frame(f); });
  h.step(2);
  BOOST_TEST(spoken.empty());
  auto c = broker.client();
  c.request("counter.panic", json{{"counter", "goerlitz-6"}});
  BOOST_REQUIRE(eventually([&] {
    h.step();
    return !spoken.empty();
  }));
  h.step(5);
  BOOST_REQUIRE_EQUAL(spoken.size(), 1u);  // once, not every frame
  BOOST_TEST(spoken[0].first == "de");
  BOOST_TEST(spoken[0].second == "NOTRUF: Raum 1.12 – Bürgerbüro Görlitz");
  // Acknowledged, then a second panic at the same counter: heard again.
  BOOST_REQUIRE(h.tap("dash.panic.ack", ui::PointerKind::mouse));
  h.step(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a later event time
  c.request("counter.panic", json{{"counter", "goerlitz-6"}});
  BOOST_REQUIRE(eventually([&] {
    h.step();
    return spoken.size() == 2u;
  }));
}

// Issue 17 item 4: the office head moves a clerk to other services for the day from the
// dashboard. The broker takes it (the snapshot and routing follow), the counter's row says so,
// nothing picked is refused before sending, and the editor fits in every language.
BOOST_AUTO_TEST_CASE(office_head_moves_a_clerk_for_the_day) {
  test::BrokerProcess broker;
  broker.start();
  auto region = broker.region();
  core::Station station(region, options(broker, "goerlitz", "dashboard", "goerlitz-dashboard"));
  BOOST_REQUIRE(eventually([&] { return station.online() && station.has_data(); }));
  counter::DashboardRunner runner(region, station);
  auto& m = runner.model();
  BOOST_REQUIRE(m.open_office("goerlitz"));
  {  // one harness at a time: each has its own ImGui context
  ui::Harness h({.width = 1920, .height = 1080});
  h.set_screen([&](ui::Frame& f) { runner.frame(f); });
  h.step(2);
  BOOST_REQUIRE(h.widget("dash.ctr.edit") != nullptr);
  BOOST_TEST(h.widget("dash.ctr.edit")->label == "Dienste ändern");
  BOOST_TEST(h.widget("dash.ctr.legend") == nullptr);  // nobody moved yet
  BOOST_REQUIRE(h.tap("dash.ctr.edit", ui::PointerKind::mouse));
  h.step(2);
  BOOST_REQUIRE(m.editor().editing());
  BOOST_TEST(m.editor().counter() == "goerlitz-1");  // the office's first counter
  BOOST_REQUIRE(h.tap("dash.profile.counter.goerlitz-5", ui::PointerKind::mouse));
  h.step(2);
  BOOST_TEST(m.editor().counter() == "goerlitz-5");
  BOOST_TEST(m.editor().picked() == (std::vector<std::string>{"fuehrerschein", "kfz-ab"}));
  BOOST_REQUIRE(h.widget("dash.profile.svc.kfz-neu") != nullptr);
  // Führerschein off, Kfz-Zulassung on: it comes after Kfz-Abmeldung.
  BOOST_REQUIRE(h.tap("dash.profile.svc.fuehrerschein", ui::PointerKind::mouse));
  BOOST_REQUIRE(h.tap("dash.profile.svc.kfz-neu", ui::PointerKind::mouse));
  h.step(2);
  BOOST_TEST(m.editor().picked() == (std::vector<std::string>{"kfz-ab", "kfz-neu"}));
  BOOST_TEST(h.widget("dash.profile.svc.kfz-neu")->label.rfind("2. ", 0) == 0);
  BOOST_TEST(h.overflowing().empty(), (h.overflowing().empty() ? "" : h.overflowing().front()->id));
  h.save_png(test::screenshot_path("dashboard-move-clerk.png"));
  BOOST_REQUIRE(h.tap("dash.profile.apply", ui::PointerKind::mouse));
  BOOST_REQUIRE(eventually([&] {
    h.step();
    return !m.editor().editing() && m.moved().count("goerlitz-5") > 0;
  }));
  BOOST_TEST(m.moved().at("goerlitz-5") == (std::vector<std::string>{"kfz-ab", "kfz-neu"}));
  json snap = broker.client().request("snapshot", json{{"office", "goerlitz"}});
  BOOST_TEST(snap["day_profiles"]["goerlitz-5"] == json::array({"kfz-ab", "kfz-neu"}));
  h.step(2);
  BOOST_TEST(h.widget("dash.ctr.goerlitz-5.name")->label == "Schalter 5 *");
  BOOST_TEST(h.widget("dash.ctr.goerlitz-4.name")->label == "Schalter 4");
  BOOST_REQUIRE(h.widget("dash.ctr.legend") != nullptr);
  BOOST_TEST(h.overflowing().empty(), (h.overflowing().empty() ? "" : h.overflowing().front()->id));
  h.save_png(test::screenshot_path("dashboard-office-moved.png"));

  // Nothing picked: said at once, nothing sent; cancel leaves the day's profile as it is.
  BOOST_REQUIRE(h.tap("dash.ctr.edit", ui::PointerKind::mouse));
  h.step(2);
  BOOST_REQUIRE(h.tap("dash.profile.counter.goerlitz-5", ui::PointerKind::mouse));
  h.step(2);
  BOOST_REQUIRE(h.tap("dash.profile.svc.kfz-ab", ui::PointerKind::mouse));
  BOOST_REQUIRE(h.tap("dash.profile.svc.kfz-neu", ui::PointerKind::mouse));
  BOOST_REQUIRE(h.tap("dash.profile.apply", ui::PointerKind::mouse));
  h.step(2);
  BOOST_TEST(m.editor().nothing_picked());
  BOOST_TEST(h.widget("dash.profile.error") != nullptr);
  BOOST_REQUIRE(h.tap("dash.profile.cancel", ui::PointerKind::mouse));
  h.step(2);
  BOOST_TEST(!m.editor().editing());
  BOOST_TEST(m.moved().count("goerlitz-5") == 1u);
  }

  // The editor in every language: nothing cut off, no ImGui errors.
  for (const char* lang : kLangs) {
    ui::Harness hl({.width = 1920, .height = 1080, .lang = lang});
    const core::Millis now = station.broker_now();
    hl.set_screen([&](ui::Frame& f) { counter::apply(m, counter::draw_dashboard(f, m, now, true), now); });
    hl.step(2);
    BOOST_REQUIRE(hl.tap("dash.ctr.edit", ui::PointerKind::mouse));
    hl.step(2);
    BOOST_REQUIRE(hl.tap("dash.profile.counter.goerlitz-5", ui::PointerKind::mouse));
    hl.step(2);
    BOOST_TEST(hl.widget("dash.profile.apply") != nullptr, lang);
    BOOST_TEST(hl.overflowing().empty(), lang << ": " << (hl.overflowing().empty() ? "" : hl.overflowing().front()->id));
    BOOST_TEST(hl.app().ui_errors() == 0);
    if (std::string(lang) == "uk") hl.save_png(test::screenshot_path("dashboard-move-clerk-uk.png"));
    BOOST_REQUIRE(hl.tap("dash.profile.cancel", ui::PointerKind::mouse));
  }
}
