// wartemarke-dashboard: the office heads' county overview, office view and alerts (desktop).
#include <spdlog/spdlog.h>

#include "core/client/station.hpp"
#include "core/clock.hpp"
#include "counter/dashboard/dashboard_app.hpp"
#include "kiosk/display_audio.hpp"
#include "ui/app.hpp"

int main(int argc, char** argv) {
  using namespace wm;
  ui::AppConfig config;
  config.title = "Wartemarke Dashboard";
  config.width = 1920;
  config.height = 1080;
  std::string config_path = core::default_config_path();
  std::string office, commands, events, name = "dashboard";
  CLI::App cli{"Wartemarke dashboard for office heads"};
  ui::add_app_options(cli, config);
  cli.add_option("-c,--config", config_path, "county configuration (TOML)");
  cli.add_option("--office", office, "start in this office's view (default: county overview)");
  cli.add_option("--server", commands, "broker command endpoint (default from config)");
  cli.add_option("--events", events, "broker event endpoint (default from config)");
  cli.add_option("--name", name, "station name announced to the broker");
  CLI11_PARSE(cli, argc, argv);

  try {
    auto region = std::make_shared<const core::Region>(core::load_config(config_path));
    core::use_time_zone(region->policy.timezone);
    if (!office.empty() && !region->find_office(office)) {
      spdlog::critical("office '{}' is not in {}", office, config_path);
      return 2;
    }
    ui::App app(config);
    core::StationOptions so;
    so.command_endpoint = commands.empty() ? region->network.command_endpoint : commands;
    so.event_endpoint = events.empty() ? region->network.event_endpoint : events;
    so.kind = "dashboard";  // office empty: the dashboard follows the whole region
    so.name = name;
    so.on_change = [&app] { app.request_redraw(); };
    so.curve = core::curve_keys_from_env();
    core::Station station(region, so);
    counter::DashboardRunner runner(region, station);
    if (!office.empty()) runner.model().open_office(office);
    // The panic alarm's gong and words (staff safety; not in headless screenshot runs).
    std::unique_ptr<kiosk::Announcer> announcer;
    if (!config.screenshot) {
      announcer = std::make_unique<kiosk::Announcer>(std::make_unique<kiosk::EspeakSynth>(),
                                                     std::make_unique<kiosk::SdlAudioSink>());
      runner.on_panic = [&announcer](const std::string& lang, const std::string& words) {
        announcer->enqueue(kiosk::SpokenCall{{{lang, words}}});
      };
    }
    return app.run([&](ui::Frame& f) { runner.frame(f); });
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
