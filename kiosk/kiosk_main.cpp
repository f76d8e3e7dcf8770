// wartemarke-kiosk: the touch ticket kiosk of a Bürgerbüro.
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "core/config.hpp"
#include "kiosk/display_audio.hpp"
#include "kiosk/kiosk_app/kiosk_app.hpp"
#include "wm/hw/device_spec.hpp"

int main(int argc, char** argv) {
  using namespace wm;
  ui::AppConfig config;
  config.title = "Wartemarke Kiosk";
  std::string kiosk_id, config_file = core::default_config_path(), server, events;
  std::string ticket_dir, printer, mrz, tour_dir;
  double idle = 60;
  CLI::App cli{"Wartemarke touch ticket kiosk"};
  ui::add_app_options(cli, config);
  cli.add_option("--kiosk", kiosk_id, "Kiosk id from the configuration, e.g. goerlitz-kiosk-1")
      ->required();
  cli.add_option("--config", config_file, "County configuration (TOML)");
  cli.add_option("--server", server, "Broker command endpoint (default: from the configuration)");
  cli.add_option("--events", events, "Broker event endpoint (default: from the configuration)");
  cli.add_option("--ticket-dir", ticket_dir, "Folder of the simulated printer's tickets (PNG, txt)");
  cli.add_option("--printer", printer, "Printer device spec (default: the kiosk's configuration)");
  cli.add_option("--mrz", mrz, "ID reader device spec (default: the kiosk's configuration)");
  cli.add_option("--idle-timeout", idle, "Seconds without a touch before the kiosk forgets the visitor")
      ->check(CLI::Range(5.0, 3600.0));
  cli.add_option("--tour", tour_dir, "Walk through every screen against the broker, save PNGs there, exit");
  CLI11_PARSE(cli, argc, argv);

  try {
    auto region = std::make_shared<const core::Region>(core::load_config(config_file));
    const core::Kiosk* k = region->find_kiosk(kiosk_id);
    if (!k) {
      spdlog::critical("unknown kiosk '{}' in {}", kiosk_id, config_file);
      return 2;
    }
    kiosk::ControllerOptions opts;
    opts.kiosk_id = kiosk_id;
    opts.command_endpoint = server;
    opts.event_endpoint = events;
    opts.hw.printer = printer.empty() ? k->printer : printer;
    opts.hw.mrz = mrz.empty() ? k->mrz_reader : mrz;
    opts.hw.card = k->card_reader.empty() ? "sim" : k->card_reader;
    opts.hw.enable_card = !k->card_reader.empty();
    opts.hw.enable_mrz = !opts.hw.mrz.empty();
    if (!ticket_dir.empty() && opts.hw.printer.rfind("sim", 0) == 0) opts.hw.printer = "sim:" + ticket_dir;
    opts.flow.idle_timeout = idle;
    const bool tour = !tour_dir.empty();
    if (tour) {
      opts.sim_specimen_delay = -1;
      config.fixed_dt = 1.0 / 60.0;
      if (!std::getenv("SDL_VIDEODRIVER")) setenv("SDL_VIDEODRIVER", "dummy", 1);
    }
    ui::App app(config);
    kiosk::KioskApp kiosk(app, region, opts);
    if (tour) {
      const std::string suffix = app.width() > app.height() ? "-landscape" : "";
      int n = kiosk::run_tour(app, kiosk, tour_dir, app.settings().lang, suffix);
      spdlog::info("tour: {} screenshots in {}", n, tour_dir);
      return n > 0 ? 0 : 1;
    }
    // The idle warning's gong and words (WCAG 2.2.1, and for visitors who do not look at
    // the screen); not in headless screenshot runs.
    std::unique_ptr<kiosk::Announcer> announcer;
    if (!config.screenshot) {
      announcer = std::make_unique<kiosk::Announcer>(std::make_unique<kiosk::EspeakSynth>(),
                                                     std::make_unique<kiosk::SdlAudioSink>());
      kiosk.on_idle_warning = [&announcer](const std::string& lang, const std::string& words) {
        announcer->enqueue(kiosk::SpokenCall{{{lang, words}}});
      };
    }
    return app.run(kiosk.draw_fn());
  } catch (const core::ConfigError& e) {
    spdlog::critical("configuration: {}", e.what());
    return 2;
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
