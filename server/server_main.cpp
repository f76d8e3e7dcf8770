// wartemarke-server: the central broker. Runs with no arguments on the embedded demo default.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <string>

#ifdef WM_HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "core/clock.hpp"
#include "core/config.hpp"
#include "server/broker.hpp"
#include "server/http_server.hpp"
#include "server/log_format.hpp"
#include "server/sd_notify.hpp"
#include "server/transport_policy.hpp"

namespace {
wm::server::Broker* g_broker = nullptr;
extern "C" void on_signal(int) {
  if (g_broker) g_broker->stop();
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wartemarke-server: the central Wartemarke broker"};
  std::string config_path = wm::core::default_config_path();
  std::string data_dir = "wartemarke-data";
  std::string commands, events, http, clock_start, log_level = "info";
  double clock_speed = 1.0;
  app.add_option("-c,--config", config_path, "county configuration (TOML)");
  app.add_option("-d,--data", data_dir, "data directory for the journal");
  app.add_option("--commands", commands, "command endpoint (ROUTER), default from config");
  app.add_option("--events", events, "event endpoint (PUB), default from config");
  app.add_option("--http", http, "HTTP host:port for /healthz, /metrics, status page; 'off' disables");
  app.add_option("--clock-start", clock_start,
                 "run on a simulated clock starting at this local time (YYYY-MM-DDTHH:MM)");
  app.add_option("--clock-speed", clock_speed, "simulated clock speed factor (with --clock-start)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error");
  std::string security, keys_dir;
  app.add_option("--security", security, "transport: curve or plain (local demo), default from config")
      ->check(CLI::IsMember({"curve", "plain"}));
  app.add_option("--keys", keys_dir, "server key and device registry directory (default <data>/keys)");
  std::uint64_t checkpoint_every = wm::server::BrokerOptions{}.checkpoint_every;
  app.add_option("--checkpoint-every", checkpoint_every,
                 "events between state checkpoints (0 = never; tests use 1 to force one)");
  CLI11_PARSE(app, argc, argv);
  wm::server::use_escaping_log_format();  // before the first line: peers' strings reach the log
  spdlog::set_level(spdlog::level::from_str(log_level));

  try {
    auto region = std::make_shared<const wm::core::Region>(wm::core::load_config(config_path));
    wm::core::use_time_zone(region->policy.timezone);
    wm::server::BrokerOptions options;
    options.command_endpoint = commands.empty() ? region->network.command_endpoint : commands;
    options.event_endpoint = events.empty() ? region->network.event_endpoint : events;
    options.data_dir = data_dir;
    options.curve = (security.empty() ? region->security.transport : security) == "curve";
    options.keys_dir = !keys_dir.empty() ? keys_dir : region->security.keys_dir;
    options.rate_limit = region->security.rate_limit;
    options.rate_burst = region->security.rate_burst;
    options.memory_budget_mb = region->security.memory_budget_mb;
    options.connections_per_key = region->security.connections_per_key;
    options.login_attempts = region->security.login_attempts;
    options.checkpoint_every = checkpoint_every;
#ifdef WM_HAVE_JEMALLOC
    options.release_memory = [] {
      const std::string purge = "arena." + std::to_string(MALLCTL_ARENAS_ALL) + ".purge";
      mallctl(purge.c_str(), nullptr, nullptr, nullptr, 0);
    };
#endif
    options.lockout_minutes = region->security.lockout_minutes;
    if (!options.curve) {
      // Fail closed: a broker that cannot tell peers apart never listens beyond this machine.
      for (const auto& endpoint : {options.command_endpoint, options.event_endpoint})
        if (auto why = wm::server::plain_endpoint_problem(endpoint)) {
          spdlog::error("{}", *why);
          std::cerr << "wartemarke-server: " << *why << "\n";
          return 2;
        }
      options.plain_peer = wm::server::plain_principal(region->security);
      spdlog::warn("plain transport: no encryption, no device keys; for a local demo only; "
                   "every peer is {}", options.plain_peer ? "the local operator (plain_role = \"admin\")"
                                                          : "refused (plain_role = \"none\")");
    }
    if (!clock_start.empty()) {
      auto start = wm::core::parse_local_datetime(clock_start);
      if (!start || clock_speed <= 0) {
        std::cerr << "wartemarke-server: --clock-start must be YYYY-MM-DDTHH:MM and --clock-speed > 0\n";
        return 2;
      }
      options.clock = wm::core::Clock(*start, clock_speed);
    }
    if (wm::server::sd_watchdog_interval())
      options.on_alive = [] { wm::server::sd_notify("WATCHDOG=1"); };  // every ~1 s, from the reactor
    wm::server::Broker broker(region, options);
    broker.bind();
    std::unique_ptr<wm::server::HttpServer> web;
    std::string http_listen = http.empty() ? region->network.http_endpoint : http;
    if (http_listen != "off") {
      // Reads anonymous status region-wide and looks tickets up by token; nothing else.
      wm::core::Principal status_reader{wm::core::DeviceRole::dashboard, "http-status", {}};
      web = std::make_unique<wm::server::HttpServer>(region, options.command_endpoint, http_listen,
                                                     (std::filesystem::path(data_dir) / "journal.sqlite").string(),
                                                     broker.internal_client_keys(status_reader));
      web->start();
    }
    g_broker = &broker;
    // A peer that closed its socket (an LDAP server going away mid-bind) must not kill the
    // broker: writes then fail with EPIPE instead.
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    std::cout << "wartemarke-server: " << region->name << ", " << region->offices.size()
              << " offices; commands on " << options.command_endpoint << ", events on "
              << options.event_endpoint << (web ? "; http on " + http_listen : std::string())
              << "; journal "
              << std::filesystem::absolute(data_dir).string() << " (" << broker.recovered_events()
              << " events recovered in " << broker.recovery_seconds() << " s)" << std::endl;
    wm::server::sd_notify("READY=1\nSTATUS=serving " + std::to_string(region->offices.size()) + " offices");
    broker.run();
    wm::server::sd_notify("STOPPING=1");
    g_broker = nullptr;
    return 0;
  } catch (const wm::core::ConfigError& e) {
    std::cerr << "wartemarke-server: configuration error:\n" << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "wartemarke-server: " << e.what() << "\n";
    return 1;
  }
}
