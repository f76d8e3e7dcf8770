// wartemarke stats export: a day's statistics as CSV per office, service or counter.
#include <fstream>
#include <iostream>

#include "core/stats.hpp"
#include "server/cli/cli.hpp"

namespace wm::cli {

void add_stats_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* stats = app.add_subcommand("stats", "day statistics");
  stats->require_subcommand(1);
  auto* exp = stats->add_subcommand("export", "a day's statistics as CSV (the journal's numbers)");
  struct Opts {
    std::string day, by = "office", out, office;
  };
  auto o = std::make_shared<Opts>();
  exp->add_option("--day", o->day, "the day, YYYY-MM-DD")->required();
  exp->add_option("--by", o->by, "office, service or counter")
      ->check(CLI::IsMember({"office", "service", "counter"}));
  exp->add_option("-o,--output", o->out, "write to this file (default: stdout)");
  exp->add_option("--office", o->office, "only this office");
  exp->callback([&ctx, &exit_code, o] {
    json body{{"day", o->day}};
    if (!o->office.empty()) body["office"] = o->office;
    auto client = ctx.client();
    json reply = client.request("stats", body, std::chrono::seconds(60));
    core::DayStats s = core::day_stats_from_json(reply);
    if (ctx.json_output && o->out.empty()) {
      std::cout << reply.dump(2) << "\n";
      return;
    }
    std::string csv = core::stats_csv(s, *core::stats_level_from(o->by));
    if (o->out.empty()) {
      std::cout << csv;
      return;
    }
    std::ofstream f(o->out, std::ios::binary | std::ios::trunc);
    f << csv;
    if (!f.good()) {
      std::cerr << "wartemarke: cannot write " << o->out << "\n";
      exit_code = 1;
    }
  });
}

}  // namespace wm::cli
