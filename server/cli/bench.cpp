// wartemarke bench: the real server under real clients on loopback, beside a raw baseline.
#include "server/cli/bench.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>

#include "core/clock.hpp"
#include "server/cli/bench_run.hpp"
#include "server/cli/cli.hpp"

namespace wm::cli {
namespace {

std::string self_dir() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : p.parent_path().string();
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

void print_table(const json& r) {
  auto line = [](const std::string& what, const std::string& value, const std::string& note = {}) {
    std::printf("  %-46s %18s  %s\n", what.c_str(), value.c_str(), note.c_str());
  };
  std::printf("wartemarke bench (%s) — %s, %d cores, %s\n", r["mode"].get<std::string>().c_str(),
              r["machine"]["cpu"].get<std::string>().c_str(), r["machine"]["nproc"].get<int>(),
              r["date"].get<std::string>().c_str());
  // Parts left out with --only are not printed (their figures would be zeros).
  auto ran = [&](const char* part) {
    const json& parts = r.value("parts", json::array());
    return std::find(parts.begin(), parts.end(), part) != parts.end();
  };
  const json& t = r["throughput"];
  if (ran("throughput")) {
    std::printf(
        "\nDurable request/reply (%d clients, %d offices, mix "
        "issue/call/start/finish/transfer/status)\n",
        t["clients"].get<int>(), t["offices"].get<int>());
    line("raw baseline ROUTER+SQLite (FULL, group commit)",
         fmt("%.0f ops/s", t["baseline_ops"].get<double>()));
    line("wartemarke-server, saturation", fmt("%.0f ops/s", t["broker_ops"].get<double>()),
         fmt("= %.2f x baseline", t["ratio"].get<double>()));
    for (const auto& l : t["latency"])
      line("offered " + fmt("%.0f", l["offered"].get<double>()) + " ops/s: achieved " +
               fmt("%.0f", l["achieved"].get<double>()),
           fmt("p50 %.2f", l["p50_ms"].get<double>()) + fmt(" p99 %.2f", l["p99_ms"].get<double>()),
           fmt("p99.9 %.2f ms", l["p999_ms"].get<double>()) +
               fmt(", server %.0f us CPU/op", l.value("server_cpu_us_per_op", 0.0)) +
               (l["errors"].get<long>()
                    ? fmt(", %.0f errors", static_cast<double>(l["errors"].get<long>()))
                    : ""));
  }
  const json& c = r["call_to_screen"];
  if (ran("screen")) {
    std::printf("\nCall -> screen\n");
    line(
        "call -> " + std::to_string(c["subscribers"].get<int>()) + " displays (" +
            std::to_string(c["calls"].get<int>()) + " calls)",
        fmt("p50 %.2f", c["p50_ms"].get<double>()) + fmt(" p99 %.2f ms", c["p99_ms"].get<double>()),
        fmt("%.0f deliveries", c["deliveries"].get<double>()));
  }
  if (ran("recovery") || ran("reconnect")) std::printf("\nRecovery and restart\n");
  for (const auto& rec : r["recovery"])
    line("start with " + std::to_string(rec["events"].get<long>()) + " journaled events",
         fmt("%.3f s", rec["start_s"].get<double>()),
         fmt("replay %.3f s", rec["replay_s"].get<double>()) +
             fmt(", cold (no checkpoint) %.3f s", rec["cold_s"].get<double>()));
  const json& s = r["reconnect"];
  if (ran("reconnect"))
    line(std::to_string(s["clients"].get<int>()) + " clients reconnect after restart",
         fmt("%.3f s", s["all_served_s"].get<double>()),
         fmt("from exec; %.3f s after the broker was ready", s["after_ready_s"].get<double>()));
  const json& m = r["memory"];
  if (ran("memory")) {
    std::printf("\nMemory\n");
    line("broker RSS with " + std::to_string(m["active_tickets"].get<long>()) + " active tickets",
         fmt("%.1f MB", m["rss_mb"].get<double>()),
         fmt("idle %.1f MB", m["idle_rss_mb"].get<double>()));
  }
  const json& sc = r["screens"];
  if (ran("screens")) {
    std::printf("\nScreens\n");
    if (!sc.contains("kiosk")) {
      line("kiosk / display idle CPU, RSS, frame time", sc["status"].get<std::string>());
    } else {
      for (const char* name : {"kiosk", "display"}) {
        const json& x = sc[name];
        line(std::string(name) + " idle (dummy video driver), " +
                 fmt("%.0f s", x["idle_s"].get<double>()),
             fmt("%.2f %% CPU", x["cpu_percent"].get<double>()),
             fmt("RSS %.1f MB", x["rss_mb"].get<double>()));
        for (const auto& f : x["frames"])
          line(std::string(name) + " frame " + f["size"].get<std::string>() + ", software renderer",
               fmt("%.1f ms", f["wall_ms"].get<double>()),
               fmt("CPU %.1f ms/frame", f["cpu_ms"].get<double>()) +
                   fmt(", peak RSS %.1f MB", f["peak_rss_mb"].get<double>()));
      }
    }
  }
  const json& p = r["prediction"];
  if (ran("prediction")) {
    std::printf("\nWait-time prediction (%ld tickets, simulated days, mean wait %.1f min)\n",
                p["tickets"].get<long>(), p["mean_wait_min"].get<double>());
    line("MAE estimate_new at issue time", fmt("%.2f min", p["mae_estimate_min"].get<double>()),
         fmt("= %.2f x naive", p["ratio"].get<double>()));
    line("MAE naive (queue x mean time / open counters)",
         fmt("%.2f min", p["mae_naive_min"].get<double>()));
  }
  std::printf("\nTargets\n");
  for (const auto& g : r["targets"])
    std::printf("  [%s] %-40s %s\n",
                g["reached"].is_null()     ? " n/a"
                : g["reached"].get<bool>() ? "ok "
                                           : "MISS",
                g["name"].get<std::string>().c_str(), g["value"].get<std::string>().c_str());
}

}  // namespace

void add_bench_command(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "bench", "benchmark the real broker against a raw baseline on this machine");
  auto opts = std::make_shared<bench::RunOptions>();
  cmd->add_flag("--quick", opts->quick, "short smoke run (under a minute)");
  cmd->add_option("--clients", opts->clients, "concurrent request clients")
      ->check(CLI::Range(2, 5000));
  cmd->add_option("--offices", opts->offices, "offices in the generated bench county")
      ->check(CLI::Range(1, 500));
  cmd->add_option("--keep", opts->keep_dir,
                  "keep the working directory here (default: a temp dir, removed)");
  cmd->add_option(
         "--only", opts->only,
         "comma-separated parts: throughput,screen,recovery,reconnect,memory,prediction,screens")
      ->check([](const std::string& v) -> std::string {
        static const std::set<std::string> parts{
            "throughput", "screen", "recovery", "reconnect", "memory", "prediction", "screens"};
        std::stringstream ss(v);
        for (std::string p; std::getline(ss, p, ',');)
          if (!parts.count(p)) return "unknown part '" + p + "'";
        return {};
      });
  cmd->callback([&ctx, &exit_code, opts] {
    opts->bin_dir = self_dir();
    try {
      opts->prediction_region = ctx.region_ptr();
    } catch (const std::exception& e) {
      std::cerr << "bench: demo county not loadable (" << e.what()
                << "), predicting on the bench county\n";
    }
    json r = bench::run_all(*opts);
    if (ctx.json_output)
      std::cout << r.dump(2) << "\n";
    else
      print_table(r);
    exit_code = 0;
  });
}

}  // namespace wm::cli
