// The wartemarke command-line tool against a real broker: issue, counter actions, status, simulate.
#define BOOST_TEST_MODULE server_cli
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/i18n/catalog.hpp"
#include "core/paths.hpp"
#include "server/http_server.hpp"
#include "tests/support/broker_process.hpp"
#include "tests/support/shell.hpp"

using wm::core::json;

namespace {

using Run = wm::test::ShellResult;

// The CLI as the county's admin runs it: with the admin key (WARTEMARKE_KEY, ...).
Run run(wm::test::BrokerProcess& b, const std::string& args) {
  std::string cmd = b.shell_env("admin") + wm::test::binary_path("wartemarke") + " --config " + b.config_path() +
                    " --server " + b.command_endpoint() + " --events " + b.event_endpoint() + " " +
                    args + " 2>&1";
  return wm::test::run_shell(cmd);
}

}  // namespace

BOOST_AUTO_TEST_CASE(counter_work_from_the_shell) {
  wm::test::BrokerProcess broker;
  broker.start();
  BOOST_TEST(run(broker, "issue -o goerlitz -s kfz-neu -s beglaubigung").out.find("K001") != std::string::npos);
  BOOST_TEST(run(broker, "open goerlitz-1").status == 0);
  auto next = run(broker, "--json next goerlitz-1");
  BOOST_TEST(json::parse(next.out)["ticket"]["number"] == "K001");
  BOOST_TEST(run(broker, "recall goerlitz-1").status == 0);
  BOOST_TEST(run(broker, "start goerlitz-1").status == 0);
  auto fin = run(broker, "finish goerlitz-1 --outcome erledigt");
  BOOST_TEST(fin.out.find("next: beglaubigung") != std::string::npos);
  auto bad = run(broker, "next goerlitz-99");
  BOOST_TEST(bad.status == 3);
  BOOST_TEST(bad.out.find("not_found") != std::string::npos);
  auto st = run(broker, "--json status -o goerlitz");
  json s = json::parse(st.out);
  BOOST_TEST(s["offices"][0]["issued_today"] == 1);
}

BOOST_AUTO_TEST_CASE(config_check_reports_problems_with_file_and_line) {
  wm::test::TempDir dir;
  std::ofstream(dir.file("bad.toml")) << "[region]\nid = \"x\"\nname = 3\n";
  wm::test::BrokerProcess broker;  // only for paths
  auto ok = run(broker, "config check");
  BOOST_TEST(ok.status == 0);
  BOOST_TEST(ok.out.find("5 offices") != std::string::npos);
  auto bad = run(broker, "config check " + dir.file("bad.toml"));
  BOOST_TEST(bad.status == 2);
  BOOST_TEST(bad.out.find("bad.toml:") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(appointments_import_and_checkin) {
  wm::test::BrokerProcess broker({"--clock-start", "2026-11-23T08:00", "--clock-speed", "1"});
  broker.start();
  wm::test::TempDir dir;
  std::ofstream(dir.file("a.csv")) << "code;office;service;slot;name\n"
                                      "AB12CD;goerlitz;kfz-neu;2026-11-23T09:30;Erika Mustermann\n"
                                      "ZZ99;zittau;wohngeld;2026-11-24T10:00;Max Muster\n";
  auto r = run(broker, "appointments import " + dir.file("a.csv"));
  BOOST_TEST(r.out.find("imported 2") != std::string::npos);
  auto c = broker.client();
  json t = c.request("appointment.checkin", json{{"office", "goerlitz"}, {"code", "AB12CD"}});
  BOOST_TEST(t["ticket"]["priority"] == "appointment");
  BOOST_TEST(t["slot"] == "09:30");
  auto again = c.call("appointment.checkin", json{{"office", "goerlitz"}, {"code", "AB12CD"}});
  BOOST_TEST(!again.ok);
  auto wrong_day = c.call("appointment.checkin", json{{"office", "zittau"}, {"code", "ZZ99"}});
  BOOST_TEST(!wrong_day.ok);
  auto unknown = c.call("appointment.checkin", json{{"office", "goerlitz"}, {"code", "NOPE"}});
  BOOST_TEST(!unknown.ok);
  std::ofstream(dir.file("b.csv")) << "code,office\nX,goerlitz\n";
  BOOST_TEST(run(broker, "appointments import " + dir.file("b.csv")).status == 2);
}

// The status table lines up by letters, not bytes: "Löbau" has an umlaut, "Görlitz" too.
BOOST_AUTO_TEST_CASE(status_table_columns_line_up_with_umlauts) {
  wm::test::BrokerProcess broker;
  broker.start();
  auto r = run(broker, "status");
  BOOST_TEST(r.status == 0);
  std::istringstream lines(r.out);
  std::string line;
  std::vector<std::size_t> columns;  // where the second column ends, in letters
  bool umlaut = false;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == ' ') continue;  // service rows are indented
    umlaut = umlaut || line.find("ö") != std::string::npos;
    std::size_t letters = 0, end = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      letters += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
      if (i >= 28 && line[i] != ' ' && (i + 1 == line.size() || line[i + 1] == ' ')) {
        end = letters;
        break;
      }
    }
    columns.push_back(end);
  }
  BOOST_TEST(umlaut);  // the check below would be empty without an umlaut office
  BOOST_REQUIRE(columns.size() >= 4u);
  for (std::size_t c : columns) BOOST_TEST(c == columns.front());
}

BOOST_AUTO_TEST_CASE(simulated_morning_runs_without_refusals) {
  wm::test::BrokerProcess broker({"--clock-start", "2026-11-23T08:00", "--clock-speed", "1500"});
  broker.start();
  auto r = run(broker, "simulate -o goerlitz -o niesky --until 10:00 --visitors 60 -q");
  BOOST_TEST_MESSAGE(r.out);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out.find("0 refused") != std::string::npos);
  auto c = broker.client();
  json s = c.request("status", json{{"office", "goerlitz"}});
  BOOST_TEST(s["offices"][0]["issued_today"].get<int>() > 5);
  BOOST_TEST(s["offices"][0]["done_today"].get<int>() > 0);
}

// One ticket, one number: what the CLI prints at issue is what the status page (the JSON the
// phone polls and the HTML around it both come from status_texts) says for the same ticket.
// 16 minutes of work ahead: the visitor rule reads 20 (the old CLI and page rounded to 16).
BOOST_AUTO_TEST_CASE(issue_output_and_status_page_show_the_same_estimate) {
  wm::test::BrokerProcess broker{{"--clock-start", "2026-11-23T09:00"}};
  broker.start();
  BOOST_TEST(run(broker, "open goerlitz-1").status == 0);  // kfz-neu 20 min, kfz-ab 8
  BOOST_TEST(run(broker, "issue -o goerlitz -s kfz-ab").status == 0);
  BOOST_TEST(run(broker, "issue -o goerlitz -s kfz-ab").status == 0);
  Run issued = run(broker, "issue -o goerlitz -s kfz-neu");
  BOOST_REQUIRE_EQUAL(issued.status, 0);
  BOOST_TEST(issued.out.find("estimate 20 min") != std::string::npos, issued.out);
  // "K001  waiting  <id>  estimate 20 min": the id is the word before "estimate".
  std::istringstream in(issued.out);
  std::vector<std::string> words{std::istream_iterator<std::string>(in), {}};
  auto est = std::find(words.begin(), words.end(), "estimate");
  BOOST_REQUIRE(est != words.begin() && est != words.end());
  const std::string id = *(est - 1);
  auto c = broker.client();
  json st = c.request("ticket.status", json{{"ticket", id}});
  BOOST_REQUIRE(st["estimate_ms"].is_number());
  BOOST_TEST(st["estimate_ms"].get<long long>() == 16 * 60'000);
  std::vector<wm::i18n::LoadError> errors;
  auto catalog = wm::i18n::Catalog::load_dir(wm::core::find_assets_dir() / "i18n", errors);
  json page = wm::server::status_texts(catalog, st);
  BOOST_TEST(page["estimate"].get<std::string>().find(" 20 ") != std::string::npos, page.dump());
  // The office's table: the wait for a new ticket (16 + 20 = 36 min) by the same rule.
  Run table = run(broker, "status -o goerlitz");
  BOOST_TEST(table.out.find("estimate 40 min") != std::string::npos, table.out);
}
