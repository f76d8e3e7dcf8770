// wartemarke day close --office ID: close an office's day by hand (issue 17, end of day).
#include <iostream>

#include "server/cli/cli.hpp"

namespace wm::cli {

void add_day_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* day = app.add_subcommand("day", "the office day");
  day->require_subcommand(1);
  auto* close = day->add_subcommand(
      "close", "close an office's day now: open tickets become closed, counters close (admin key)");
  auto office = std::make_shared<std::string>();
  close->add_option("-o,--office", *office, "office id, e.g. goerlitz")->required();
  close->callback([&ctx, &exit_code, office] {
    auto client = ctx.client();
    json reply = client.request("day.close", json{{"office", *office}});
    if (ctx.json_output) {
      std::cout << reply.dump() << "\n";
    } else {
      std::cout << reply.value("office_name", *office) << ": day " << reply.value("day", "")
                << " closed, " << reply.value("tickets", 0) << " ticket(s) closed, "
                << reply.value("counters", 0) << " counter(s) closed\n";
    }
    (void)exit_code;
  });
}

}  // namespace wm::cli
