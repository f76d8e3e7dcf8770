// Wires a display together: Station events → model → announcements, and the frame's view.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/client/station.hpp"
#include "kiosk/display_audio.hpp"
#include "kiosk/display_model.hpp"
#include "kiosk/display_view.hpp"
#include "ui/frame.hpp"

namespace wm::kiosk {

struct DisplayRunnerOptions {
  std::string office;
  const core::Display* display = nullptr;  // groups, ticker, second language, sound
  bool sound = true;                       // false: --mute (config sound=false also mutes)
};

class DisplayRunner {
 public:
  // `announcer` may be null (muted). The station must follow `office`.
  DisplayRunner(std::shared_ptr<const core::Region> region, core::Station& station,
                Announcer* announcer, DisplayRunnerOptions options);

  // One frame: take the station's new events, queue announcements, draw.
  void frame(ui::Frame& f);

  // What the last frame drew (tests look at it).
  const DisplayView& last_view() const { return last_; }
  std::uint64_t announcements() const { return announcements_; }

 private:
  std::shared_ptr<const core::Region> region_;
  core::Station& station_;
  Announcer* announcer_;
  DisplayRunnerOptions options_;
  DisplayModel model_;
  DisplayView last_;
  std::uint64_t announcements_ = 0;
};

// The spoken texts of a call: German, then the display's second language if any.
SpokenCall spoken_call(const Announcement& a, const i18n::Catalog& catalog,
                       const std::string& second_language);

}  // namespace wm::kiosk
