// wartemarke config check: validates a county configuration and lists every problem.
#include <iostream>

#include "server/cli/cli.hpp"

namespace wm::cli {

void add_config_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* config = app.add_subcommand("config", "configuration tools");
  config->require_subcommand(1);
  auto* check = config->add_subcommand("check", "validate a configuration file");
  auto file = std::make_shared<std::string>();
  check->add_option("file", *file, "TOML file (default: --config)");
  check->callback([&ctx, &exit_code, file] {
    std::string path = file->empty() ? ctx.config_path : *file;
    try {
      core::Region r = core::load_config(path);
      std::size_t counters = 0;
      for (const auto& o : r.offices) counters += o.counters.size();
      std::cout << path << ": ok — " << r.name << ", " << r.offices.size() << " offices, "
                << r.services.size() << " services, " << counters << " counters, "
                << r.staff.size() << " staff\n";
    } catch (const core::ConfigError& e) {
      std::cerr << path << ": " << e.issues().size() << " problem(s):\n" << e.what() << "\n";
      exit_code = 2;
    }
  });
}

}  // namespace wm::cli
