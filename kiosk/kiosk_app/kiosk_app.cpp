// The kiosk's frame: update the controller, restore settings after a reset, draw, apply.
#include "kiosk/kiosk_app/kiosk_app.hpp"

namespace wm::kiosk {

KioskApp::KioskApp(ui::App& app, std::shared_ptr<const core::Region> region,
                   ControllerOptions options)
    : app_(app), defaults_(app.settings()) {
  options.flow.default_lang = defaults_.lang;
  controller_ = std::make_unique<KioskController>(std::move(region), std::move(options),
                                                  app.catalog(), [&app] { app.request_redraw(); });
}

void KioskApp::frame(ui::Frame& f) {
  KioskModel& m = controller_->model();
  controller_->update(f.now());
  if (m.resets() != resets_seen_) {
    // Everything this visitor chose goes, the screen settings too.
    resets_seen_ = m.resets();
    input_ = {};
    f.settings() = defaults_;
  }
  if (m.code().empty() && m.screen() != Screen::appointment) input_.code.clear();
  // Every tile screen opens on its first page.
  if (m.screen() != page_screen_) input_.page = 0;
  page_screen_ = m.screen();
  if (f.settings().lang != m.lang()) f.settings().lang = m.lang();
  KioskView v = controller_->view();
  // The closed screen stands in for the first screen: nothing entered there to warn about
  // (a language chosen on it still goes back to the default after the idle time, silently).
  if (v.screen != Screen::closed) v.idle_warning = m.idle_warning(f.now());
  if (v.idle_warning && !warned_ && on_idle_warning)
    on_idle_warning(m.lang(), std::string(f.t("kiosk.idle.title")) + " " +
                                  f.t("kiosk.idle.text", {{"n", std::to_string(*v.idle_warning)}}));
  warned_ = v.idle_warning.has_value();
  if (override_view) override_view(v);
  Intents in = draw_kiosk(f, v, input_);
  controller_->apply(in, f.now());
  if (v.idle_warning) f.redraw_after(1);  // the seconds count down
  else if (double d = m.next_deadline(f.now()); d > 0) f.redraw_at(d);
  // Idle, the screen wakes only for changes it shows; once a minute it refreshes anyway
  // (estimates age, queued device polls are consumed).
  else f.redraw_after(60);
}

}  // namespace wm::kiosk
