// wartemarke-counter: the counter station for staff, and with --backoffice the back-office list.
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "counter/views.hpp"
#include "ui/app.hpp"

int main(int argc, char** argv) {
  using namespace wm;
  ui::AppConfig config;
  config.title = "Wartemarke – Schalter";
  config.width = 1920;
  config.height = 1080;
  std::string config_path = core::default_config_path(), counter, commands, events, login, pin;
  bool backoffice = false;
  CLI::App cli{"wartemarke-counter: counter station (and back-office work list)"};
  ui::add_app_options(cli, config);
  cli.add_option("-c,--config", config_path, "county configuration (TOML)");
  cli.add_option("--counter", counter, "this station's counter id, e.g. goerlitz-3");
  cli.add_flag("--backoffice", backoffice, "back-office work list instead of a counter");
  cli.add_option("--server,--commands", commands, "broker command endpoint, default from config");
  cli.add_option("--events", events, "broker event endpoint, default from config");
  cli.add_option("--login", login, "pre-filled login (demos, screenshots)");
  cli.add_option("--pin", pin, "log in at start with this PIN (demos and screenshots only)");
  CLI11_PARSE(cli, argc, argv);
  try {
    auto region = std::make_shared<const core::Region>(core::load_config(config_path));
    core::use_time_zone(region->policy.timezone);
    if (!backoffice && !counter.empty() && !region->find_counter(counter)) {
      spdlog::critical("unknown counter '{}'", counter);
      return 2;
    }
    if (backoffice) config.title = "Wartemarke – Backoffice";
    ui::App app(config);
    core::StationOptions so;
    so.command_endpoint = commands.empty() ? region->network.command_endpoint : commands;
    so.event_endpoint = events.empty() ? region->network.event_endpoint : events;
    so.kind = backoffice ? "backoffice" : "counter";
    so.name = backoffice ? "backoffice" : counter;
    so.on_change = [&app] { app.request_redraw(); };
    so.curve = core::curve_keys_from_env();  // WARTEMARKE_KEY / WARTEMARKE_SERVER_KEY (CURVE)
    core::Station station(region, so);
    counter::CounterModel model(station, backoffice ? std::string() : counter, backoffice);
    model.login_name = login;
    bool auto_login = !pin.empty();
    return app.run([&](ui::Frame& f) {
      model.set_translate([&f](const std::string& key, const std::string& arg) {
        return f.t(key, {{"arg", arg}});
      });
      model.poll();
      if (auto_login && station.online() && model.mode() == counter::Mode::login && !model.busy()) {
        model.login_secret = pin;
        model.apply({counter::Action::login});
        auto_login = false;
      }
      counter::CounterView v = model.view();
      counter::Intent in = counter::draw_screen(f, v, model);
      model.apply(in);
      if (in.action == counter::Action::logout) auto_login = false;
      f.redraw_after(model.busy() || !station.online() ? 0.25 : 15.0);  // waits tick on screen
    });
  } catch (const core::ConfigError& e) {
    spdlog::critical("configuration error:\n{}", e.what());
    return 2;
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
