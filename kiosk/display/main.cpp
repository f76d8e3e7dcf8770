// wartemarke-display: the waiting-room call display (full screen, unattended).
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "kiosk/display_app.hpp"
#include "ui/app.hpp"

int main(int argc, char** argv) {
  using namespace wm;
  ui::AppConfig config;
  config.title = "Wartemarke Aufrufanzeige";
  config.width = 1920;
  config.height = 1080;
  std::string config_path = core::default_config_path();
  std::string display_id = "goerlitz-display-eg";
  std::string commands, events;
  bool mute = false;
  CLI::App cli{"Wartemarke waiting-room call display"};
  ui::add_app_options(cli, config);
  cli.add_option("-c,--config", config_path, "county configuration (TOML)");
  cli.add_option("--display", display_id, "display id from the configuration");
  cli.add_option("--server", commands, "broker command endpoint (default from config)");
  cli.add_option("--events", events, "broker event endpoint (default from config)");
  cli.add_flag("--mute", mute, "no gong, no speech");
  CLI11_PARSE(cli, argc, argv);

  try {
    auto region = std::make_shared<const core::Region>(core::load_config(config_path));
    core::use_time_zone(region->policy.timezone);
    const core::Display* display = region->find_display(display_id);
    const core::Office* office = region->office_of_station(display_id);
    if (!display || !office) {
      spdlog::critical("display '{}' is not in {}", display_id, config_path);
      return 2;
    }
    ui::App app(config);
    core::StationOptions so;
    so.command_endpoint = commands.empty() ? region->network.command_endpoint : commands;
    so.event_endpoint = events.empty() ? region->network.event_endpoint : events;
    so.office = office->id;
    so.kind = "display";
    so.name = display_id;
    so.on_change = [&app] { app.request_redraw(); };
    so.curve = core::curve_keys_from_env();  // WARTEMARKE_KEY / WARTEMARKE_SERVER_KEY (CURVE)
    core::Station station(region, so);
    std::unique_ptr<kiosk::Announcer> announcer;
    if (!mute && display->sound && !config.screenshot)
      announcer = std::make_unique<kiosk::Announcer>(std::make_unique<kiosk::EspeakSynth>(),
                                                     std::make_unique<kiosk::SdlAudioSink>());
    kiosk::DisplayRunner runner(region, station, announcer.get(),
                                {office->id, display, !mute});
    return app.run([&](ui::Frame& f) { runner.frame(f); });
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
