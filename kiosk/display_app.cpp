// DisplayRunner: the per-frame glue between the broker link, the model, the sound and the view.
#include "kiosk/display_app.hpp"

#include <spdlog/spdlog.h>

namespace wm::kiosk {

DisplayRunner::DisplayRunner(std::shared_ptr<const core::Region> region, core::Station& station,
                             Announcer* announcer, DisplayRunnerOptions options)
    : region_(std::move(region)),
      station_(station),
      announcer_(announcer),
      options_(std::move(options)),
      model_(region_, options_.office, options_.display) {
  if (options_.display && !options_.display->sound) announcer_ = nullptr;
  if (!options_.sound) announcer_ = nullptr;
}

SpokenCall spoken_call(const Announcement& a, const i18n::Catalog& catalog,
                       const std::string& second_language) {
  SpokenCall call;
  const i18n::Args args{{"number", a.spoken_number}, {"counter", a.counter_name}};
  call.texts.emplace_back("de", catalog.translate("de", "display.announce", args));
  if (!second_language.empty() && second_language != "de")
    call.texts.emplace_back(second_language,
                            catalog.translate(second_language, "display.announce", args));
  return call;
}

void DisplayRunner::frame(ui::Frame& f) {
  auto state = station_.state();
  auto events = station_.take_events();
  for (const auto& a : model_.update(*state, events, f.now())) {
    ++announcements_;
    // No personal data exists here: numbers and counter names only.
    spdlog::info("display: call {} -> {}{}", a.number, a.counter_name,
                 a.recalls ? " (recall)" : "");
    if (announcer_)
      announcer_->enqueue(spoken_call(a, f.translator().catalog(),
                                      options_.display ? options_.display->second_language : ""));
  }
  last_ = model_.view(*state, station_.broker_now(), f.now(), station_.online());
  DisplayTexts texts;
  for (const auto& w : last_.waiting)
    if (const core::Service* s = region_->find_service(w.service))
      texts.service_names.push_back(core::localized(s->name, f.lang()));
  draw_display(f, last_, texts);
  // The clock changes every minute even when nothing else happens.
  f.redraw_after(60.0 - std::fmod(static_cast<double>(station_.broker_now()) / 1000.0, 60.0));
}

}  // namespace wm::kiosk
