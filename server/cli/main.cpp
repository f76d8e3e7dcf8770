// wartemarke: the command-line tool for scripts, tests, demos and admins.
#include <csignal>
#include <iostream>

#include "core/clock.hpp"
#include "core/queries.hpp"
#include "server/cli/cli.hpp"

namespace wm::cli {

const core::Region& Context::region() { return *region_ptr(); }

std::shared_ptr<const core::Region> Context::region_ptr() {
  if (!region_) {
    region_ = std::make_shared<const core::Region>(core::load_config(config_path));
    core::use_time_zone(region_->policy.timezone);
  }
  return region_;
}

std::string Context::command_endpoint() {
  return commands.empty() ? region().network.command_endpoint : commands;
}

std::string Context::event_endpoint() {
  return events.empty() ? region().network.event_endpoint : events;
}

// WARTEMARKE_KEY / WARTEMARKE_SERVER_KEY make the tool a CURVE client of a secured broker.
core::BrokerClient Context::client() {
  return core::BrokerClient(zmq, command_endpoint(), core::curve_keys_from_env());
}

namespace {
volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }
}  // namespace

void install_stop_handler() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

bool stop_requested() { return g_stop != 0; }

std::string estimate_text(const json& ms) {
  if (!ms.is_number()) return "–";
  return std::to_string(core::wait_minutes_for_display(ms.get<core::Millis>())) + " min";
}

std::string elapsed_text(const json& ms) {
  if (!ms.is_number()) return "–";
  return std::to_string(core::elapsed_minutes(ms.get<core::Millis>())) + " min";
}

}  // namespace wm::cli

int main(int argc, char** argv) {
  wm::cli::Context ctx;
  int exit_code = 0;
  CLI::App app{"wartemarke: issue, call and watch tickets; check config; simulate an office day"};
  app.require_subcommand(1);
  app.add_option("-c,--config", ctx.config_path, "county configuration (TOML)");
  app.add_option("--server", ctx.commands, "broker command endpoint (default from config)");
  app.add_option("--events", ctx.events, "broker event endpoint (default from config)");
  app.add_flag("--json", ctx.json_output, "machine-readable output");
  wm::cli::add_ticket_commands(app, ctx, exit_code);
  wm::cli::add_status_commands(app, ctx, exit_code);
  wm::cli::add_config_commands(app, ctx, exit_code);
  wm::cli::add_appointment_commands(app, ctx, exit_code);
  wm::cli::add_simulate_command(app, ctx, exit_code);
  wm::cli::add_backup_commands(app, ctx, exit_code);
  wm::cli::add_bench_command(app, ctx, exit_code);
  wm::cli::add_keys_commands(app, ctx, exit_code);
  wm::cli::add_audit_commands(app, ctx, exit_code);
  wm::cli::add_stats_commands(app, ctx, exit_code);
  wm::cli::add_staff_commands(app, ctx, exit_code);
  wm::cli::add_day_commands(app, ctx, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const wm::core::ConfigError& e) {
    std::cerr << "wartemarke: configuration error:\n" << e.what() << "\n";
    return 2;
  } catch (const wm::core::RequestError& e) {
    std::cerr << "wartemarke: " << to_string(e.code()) << ": " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "wartemarke: " << e.what() << "\n";
    return 1;
  }
  return exit_code;
}
