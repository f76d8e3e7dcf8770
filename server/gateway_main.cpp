// wartemarke-backoffice: the gateway process between the broker's outbox and the E-Akte drop folder.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include "core/client/curve.hpp"
#include "core/clock.hpp"
#include "server/gateway.hpp"
#include "server/log_format.hpp"

namespace {
std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop.store(true); }
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wartemarke-backoffice: writes forwarded cases into the E-Akte drop folder"};
  std::string config_path = wm::core::default_config_path();
  std::string commands, events, drop_dir, log_level = "info";
  int poll_ms = 1000;
  app.add_option("-c,--config", config_path, "county configuration (TOML)");
  app.add_option("--commands", commands, "broker command endpoint, default from config");
  app.add_option("--events", events, "broker event endpoint, default from config");
  app.add_option("--drop-dir", drop_dir, "drop folder the E-Akte import watches")->required();
  app.add_option("--poll-ms", poll_ms, "look into the outbox at least this often");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error");
  CLI11_PARSE(app, argc, argv);
  wm::server::use_escaping_log_format();  // case records come from the broker: one line each
  spdlog::set_level(spdlog::level::from_str(log_level));
  try {
    auto region = std::make_shared<const wm::core::Region>(wm::core::load_config(config_path));
    wm::server::GatewayOptions o;
    o.command_endpoint = commands.empty() ? region->network.command_endpoint : commands;
    o.event_endpoint = events.empty() ? region->network.event_endpoint : events;
    o.drop_dir = drop_dir;
    o.poll = std::chrono::milliseconds(std::max(50, poll_ms));
    // The same key settings as every app and the CLI; the unit's EnvironmentFile sets them.
    try {
      o.curve = wm::core::curve_keys_from_env();
    } catch (const std::exception& e) {
      std::cerr << "wartemarke-backoffice: key error: " << e.what() << "\n";
      return 2;
    }
    if (!o.curve && region->security.transport == "curve") {
      // Without a key a CURVE broker refuses every connection: say so now, not as silence.
      const char* msg =
          "the broker requires CURVE (security.transport = \"curve\") but the gateway has no "
          "key: set WARTEMARKE_KEY (its key file, registered with role backoffice) and "
          "WARTEMARKE_SERVER_KEY (the server's public key), see docs/operations.md";
      std::cerr << "wartemarke-backoffice: " << msg << "\n";
      return 2;
    }
    wm::server::Gateway gateway(region, o);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    std::cout << "wartemarke-backoffice: outbox of " << o.command_endpoint
              << (o.curve ? " (CURVE)" : " (plain)") << " → " << drop_dir << std::endl;
    gateway.run(g_stop);
    return 0;
  } catch (const wm::core::ConfigError& e) {
    std::cerr << "wartemarke-backoffice: configuration error:\n" << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    // SIGTERM while a request waits for a broker that refuses us: a stop, not a failure.
    if (g_stop.load()) return 0;
    std::cerr << "wartemarke-backoffice: " << e.what() << "\n";
    return 1;
  }
}
