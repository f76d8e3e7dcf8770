// Screenshot tour: drives the real flow (broker, simulated printer and reader) and saves PNGs.
#include <spdlog/spdlog.h>

#include <thread>

#include "core/office_hours.hpp"
#include "kiosk/kiosk_app/kiosk_app.hpp"
#include "wm/hw/mrz_reader.hpp"
#include "wm/hw/sim_printer.hpp"

namespace wm::kiosk {

namespace {

struct Tour {
  ui::App& app;
  KioskApp& kiosk;
  std::filesystem::path dir;
  std::string lang, suffix;
  int written = 0;

  KioskModel& model() { return kiosk.controller().model(); }
  void step(int n = 1) {
    for (int i = 0; i < n; ++i) app.step(kiosk.draw_fn());
  }
  // Frames until the flow reaches `s` (replies and printer results arrive on other threads).
  bool until(Screen s, int limit_ms = 8000) {
    for (int waited = 0; waited < limit_ms; waited += 20) {
      step();
      if (model().screen() == s) {
        step(3);
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    spdlog::error("tour: {} not reached (at {})", screen_name(s), screen_name(model().screen()));
    return false;
  }
  void act(Intents in) {
    kiosk.controller().apply(in, app.now());
    step(3);
  }
  void shot(const std::string& name) {
    step(2);
    auto file = dir / ("kiosk-" + name + "-" + lang + suffix + ".png");
    if (app.save_png(file)) ++written;
    else spdlog::error("tour: could not write {}", file.string());
  }
};

}  // namespace

int run_tour(ui::App& app, KioskApp& kiosk, const std::filesystem::path& dir,
             const std::string& lang, const std::string& suffix) {
  Tour t{app, kiosk, dir, lang, suffix};
  std::filesystem::create_directories(dir);
  auto& ctl = kiosk.controller();
  for (int i = 0; i < 400 && !ctl.station().online(); ++i) {
    t.step();
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  if (!ctl.station().online()) {
    spdlog::error("tour: the broker does not answer");
    return 0;
  }
  const std::string lang_code = lang;
  auto language = [&] { t.act(Intents{.language = lang_code}); };

  // The first screen, then the common case: a tile, the summary (print is the second tap).
  t.step(3);
  if (lang != "de") language();
  t.shot("services");
  t.act(Intents{.open_language = true});
  t.shot("language");
  t.act(Intents{.back = true});
  t.act(Intents{.service = std::string("kfz-neu")});
  t.shot("summary");  // one concern: print, "Noch ein Anliegen?", ID capture offered
  // The extras the summary offers: a second concern a counter here serves with the first,
  // then the ID card.
  t.act(Intents{.add_second = true});
  t.shot("second-service");
  t.act(Intents{.service = std::string("kfz-um")});
  t.shot("summary-two");
  t.act(Intents{.add_id = true});
  t.shot("consent");
  t.act(Intents{.consent_yes = true});
  t.shot("id-scan");
  ctl.hw().sim_mrz_reader()->present(hw::SimMrzReader::german_specimen());
  if (t.until(Screen::id_confirm)) t.shot("id-confirm");
  t.act(Intents{.id_accept = true});
  t.shot("summary-id");
  // The idle warning over the summary (what would be lost stays visible below it).
  kiosk.override_view = [](KioskView& v) { v.idle_warning = 15; };
  t.shot("timeout-warning");
  kiosk.override_view = nullptr;
  t.act(Intents{.print = true});
  if (t.until(Screen::done)) t.shot("done");
  t.act(Intents{.finish = true});

  // Appointment with a code the broker does not know.
  if (lang != "de") language();
  t.act(Intents{.appointment = true});
  kiosk.input().code = "XY4711";
  t.act(Intents{.code = std::string("XY4711")});
  if (t.until(Screen::appointment)) t.shot("appointment");

  // The printer runs out of paper.
  hw::SimPrinter* printer = ctl.hw().sim_printer();
  if (printer) {
    t.act(Intents{.back = true});
    t.act(Intents{.service = std::string("beglaubigung")});
    printer->set_conditions({.paper_end = true});
    t.act(Intents{.print = true});
    if (t.until(Screen::print_failed)) t.shot("print-failed");
    printer->set_conditions({});
    t.act(Intents{.finish = true});
  }

  // Screens that need a broken network or a parked ticket: same screens, view set directly.
  kiosk.override_view = [](KioskView& v) {
    v.screen = Screen::unavailable;
    v.failure = Failure::unavailable;
    v.online = false;
  };
  t.shot("unavailable");
  kiosk.override_view = [](KioskView& v) {
    v.screen = Screen::returned;
    v.returned_number = "K007";
  };
  t.shot("returned");
  kiosk.override_view = [](KioskView& v) {
    v.screen = Screen::services;
    v.online = false;
  };
  t.shot("offline");
  // Opening hours: the closed screen and tiles past their last-ticket time, with the office's
  // real next opening (core/office_hours.hpp) whatever the broker's clock says now.
  const core::Office* office = kiosk.controller().station().state()->region().find_office(
      ctl.model().office());
  kiosk.override_view = [office](KioskView& v) {
    v.screen = Screen::closed;
    v.closed = true;
    v.online = true;
    v.next_opening = office ? core::office_next_opening(*office, v.now) : std::nullopt;
  };
  t.shot("closed");
  if (lang != "de") language();
  kiosk.override_view = [office](KioskView& v) {
    v.screen = Screen::services;
    auto next = office ? core::office_next_opening(*office, v.now) : std::nullopt;
    for (std::size_t i = 0; i < v.offered.size(); i += 2) {  // every other service
      v.offered[i].last_ticket_passed = true;
      v.offered[i].next_opening = next;
    }
  };
  t.shot("services-cutoff");
  kiosk.override_view = nullptr;
  t.act(Intents{.start_over = true});
  t.step(3);
  return t.written;
}

}  // namespace wm::kiosk
