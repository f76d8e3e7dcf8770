// The waiting-room display's model: which calls to show, which blink, what to announce.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/state.hpp"

namespace wm::kiosk {

// One spoken call. Texts are built by the app from the catalog ("display.announce").
struct Announcement {
  std::string ticket;
  std::string number;        // "K017"
  std::string spoken_number; // "K 17"
  std::string counter_name;  // "Schalter 3" (the counter's `spoken` name if configured)
  int recalls = 0;
};

struct DisplayCall {
  std::string number;
  std::string counter_name;
  std::string service;  // service id
  core::Millis time = 0;
  int recalls = 0;
  bool blinking = false;
};

struct WaitingCount {
  std::string service;  // id
  std::string prefix;
  int waiting = 0;
};

struct DisplayView {
  std::string office_name;
  std::string clock;                  // "10:42"
  std::vector<DisplayCall> calls;     // newest first, at most kMaxCalls
  std::vector<WaitingCount> waiting;  // configuration order, services the office offers
  std::string ticker;
  bool online = true;
  bool blinking = false;              // any call blinks: the app keeps animating
};

inline constexpr std::size_t kMaxCalls = 8;
inline constexpr double kBlinkSeconds = 6.0;

class DisplayModel {
 public:
  // `display` may be null (all counters, no ticker). Throws std::invalid_argument for an
  // unknown office.
  DisplayModel(std::shared_ptr<const core::Region> region, std::string office,
               const core::Display* display);

  // Feeds the events applied since the last frame (Station::take_events, which never holds
  // events from before a re-snapshot). Returns the calls to announce, in order; a recall is a
  // new call and is announced again. `now_s` is the app clock, for blinking.
  std::vector<Announcement> update(const core::State& state, const std::vector<core::Event>& events,
                                   double now_s);

  DisplayView view(const core::State& state, core::Millis broker_now, double now_s,
                   bool online) const;

  // Whether this display shows a counter (its group is one of the display's groups).
  bool shows_counter(const std::string& counter_id) const;
  const std::string& office() const { return office_; }

 private:
  std::shared_ptr<const core::Region> region_;
  std::string office_;
  const core::Office* office_cfg_ = nullptr;
  std::vector<std::string> groups_;
  std::string ticker_;
  std::map<std::string, double> blink_since_;  // "ticket#recalls" -> app time first seen
};

// "K017" → "K 17", "FS003" → "F S 3": letters spelled, the number without leading zeros.
std::string spoken_number(const std::string& number);

}  // namespace wm::kiosk
