// Shared parts of the `wartemarke` command-line tool: connection settings and output helpers.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <zmq.hpp>

#include "core/client/broker_client.hpp"
#include "core/config.hpp"

namespace wm::cli {

using core::json;

struct Context {
  std::string config_path = core::default_config_path();
  std::string commands;  // empty = from the configuration
  std::string events;
  bool json_output = false;
  zmq::context_t zmq{1};

  const core::Region& region();
  std::shared_ptr<const core::Region> region_ptr();
  std::string command_endpoint();
  std::string event_endpoint();
  core::BrokerClient client();

 private:
  std::shared_ptr<const core::Region> region_;
};

// Each file registers its subcommands; the callback runs the command and sets the exit code.
void add_ticket_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_status_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_config_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_appointment_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_simulate_command(CLI::App& app, Context& ctx, int& exit_code);
void add_backup_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_bench_command(CLI::App& app, Context& ctx, int& exit_code);
void add_keys_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_audit_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_stats_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_staff_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_day_commands(CLI::App& app, Context& ctx, int& exit_code);

// Ctrl-C / SIGTERM end long-running commands (watch, simulate) cleanly.
void install_stop_handler();
bool stop_requested();

// An estimate as every screen and the paper ticket show it (core::wait_minutes_for_display):
// "15 min", "–" for unknown (null or not a number).
std::string estimate_text(const json& ms);
// A wait that has happened, in whole minutes cut down (core::elapsed_minutes): "12 min", "–".
std::string elapsed_text(const json& ms);

}  // namespace wm::cli
