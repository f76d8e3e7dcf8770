// wartemarke-ui-demo: the toolkit's demo screen, for docs screenshots and trying out themes.
#include <spdlog/spdlog.h>

#include "ui/app.hpp"
#include "ui/demo/demo_screen.hpp"

int main(int argc, char** argv) {
  using namespace wm::ui;
  AppConfig config;
  config.title = "Wartemarke UI demo";
  bool code_page = false;
  bool offline = false;
  CLI::App cli{"Wartemarke UI toolkit demo"};
  add_app_options(cli, config);
  cli.add_flag("--code-page", code_page, "Start on the booking-code page");
  cli.add_flag("--offline", offline, "Show the connection-lost banner");
  CLI11_PARSE(cli, argc, argv);

  try {
    App app(config);
    demo::DemoPage page = code_page ? demo::DemoPage::code : demo::DemoPage::services;
    std::string code;
    // Model state lives here; the screen only reports intents, applied after drawing.
    return app.run([&](Frame& f) {
      demo::DemoView view = demo::make_demo_view(f.lang(), page);
      view.code = code;
      view.connection_lost = offline;
      const demo::DemoIntents in = demo::draw_demo_screen(f, view);
      if (in.language) f.settings().lang = *in.language;
      if (in.enter_code) page = demo::DemoPage::code;
      if (in.back) page = demo::DemoPage::services;
      if (in.code_changed) code = in.code;
      if (in.code_submitted) spdlog::info("demo: code {} submitted", in.code);
    });
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
