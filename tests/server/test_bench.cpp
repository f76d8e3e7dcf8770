// wartemarke bench --quick runs every part end to end (whether it works, never how fast).
#define BOOST_TEST_MODULE server_bench
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdio>

#include "tests/support/broker_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/shell.hpp"

using wm::core::json;

namespace {

using Run = wm::test::ShellResult;

Run run(const std::string& args) {
  std::string cmd = wm::test::binary_path("wartemarke") + " --config " +
                    wm::test::source_path("deploy/config/county.toml") + " " + args + " 2>/dev/null";
  return wm::test::run_shell(cmd);
}

}  // namespace

BOOST_AUTO_TEST_CASE(quick_run_measures_every_part) {
  wm::test::TempDir dir;
  Run r = run("--json bench --quick --keep " + dir.file("work"));
  BOOST_TEST_REQUIRE(r.status == 0, r.out);
  json j = json::parse(r.out);
  BOOST_TEST(j["mode"] == "quick");
  BOOST_TEST(j["machine"]["nproc"].get<int>() >= 1);
  const json& t = j["throughput"];
  BOOST_TEST(t["baseline_ops"].get<double>() > 0);
  BOOST_TEST(t["broker_ops"].get<double>() > 0);
  BOOST_TEST(t["broker_errors"].get<long>() == 0);  // the mix is a valid working day
  BOOST_TEST(t["latency"].size() == 3u);
  for (const auto& l : t["latency"]) {
    BOOST_TEST(l["achieved"].get<double>() > 0);
    BOOST_TEST(l["p99_ms"].get<double>() >= l["p50_ms"].get<double>());
  }
  const json& c = j["call_to_screen"];
  BOOST_TEST(c["missing"].get<long>() == 0);  // every display saw every call
  BOOST_TEST(c["deliveries"].get<double>() == c["calls"].get<int>() * 100.0);
  BOOST_TEST_REQUIRE(j["recovery"].size() == 1u);
  BOOST_TEST(j["recovery"][0]["start_s"].get<double>() > 0);
  BOOST_TEST(j["recovery"][0]["replay_s"].get<double>() >= 0);  // the server reported it
  BOOST_TEST(j["reconnect"]["unserved"].get<int>() == 0);
  BOOST_TEST(j["memory"]["active_tickets"].get<long>() == 10000);
  BOOST_TEST(j["memory"]["rss_mb"].get<double>() > j["memory"]["idle_rss_mb"].get<double>());
  BOOST_TEST(j["prediction"]["tickets"].get<long>() > 100);
  BOOST_TEST(j["prediction"]["county"] == "landkreis-goerlitz");
  BOOST_TEST(j["targets"].size() == 8u);
  // Screens are measured when the kiosk and display are built next to wartemarke.
  const json& sc = j["screens"];
  if (sc.contains("kiosk")) {
    for (const char* name : {"kiosk", "display"}) {
      BOOST_TEST(sc[name]["cpu_percent"].get<double>() >= 0);
      BOOST_TEST(sc[name]["rss_mb"].get<double>() > 0);
      BOOST_TEST_REQUIRE(sc[name]["frames"].size() == 2u);
      for (const auto& f : sc[name]["frames"]) BOOST_TEST(f["cpu_ms"].get<double>() > 0);
    }
  } else {
    BOOST_TEST(sc["status"].get<std::string>().rfind("n/a", 0) == 0u);
  }
}

BOOST_AUTO_TEST_CASE(table_output_and_bad_options) {
  Run table = run("bench --quick --only prediction");
  BOOST_TEST(table.status == 0);
  BOOST_TEST(table.out.find("Wait-time prediction") != std::string::npos, table.out);
  BOOST_TEST(table.out.find("Targets") != std::string::npos);
  BOOST_TEST(run("bench --clients 0").status != 0);
  BOOST_TEST(run("bench --only nonsense").status != 0);
}
