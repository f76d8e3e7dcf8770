// The broker's clock (real, or a scaled simulation clock for demos) and local-time helpers.
#pragma once

#include <string>

#include "core/model.hpp"

namespace wm::core {

// Real time, or simulated time that starts at `start` and runs `speed` times faster.
// Demos run the broker on a fast clock so a whole office day passes in minutes while every
// wait, estimate and statistic still reads in realistic minutes.
class Clock {
 public:
  Clock() = default;
  Clock(Millis sim_start, double speed);
  Millis now() const;
  double speed() const { return speed_; }
  bool simulated() const { return simulated_; }
  // Real milliseconds that correspond to `sim_ms` on this clock.
  Millis real_duration(Millis sim_ms) const;

 private:
  bool simulated_ = false;
  Millis sim_start_ = 0;
  Millis real_start_ = 0;
  double speed_ = 1.0;
};

Millis real_now();
// Local calendar day ("2026-11-22") of a time, in the process's time zone (TZ).
std::string local_day(Millis t);
// Minutes after local midnight.
int local_minute_of_day(Millis t);
// ISO weekday 1..7 (Monday = 1).
int local_weekday(Millis t);
// "08:15"
std::string local_hhmm(Millis t);
// Local time for a day ("2026-11-22") and "HH:MM"; nullopt on bad input.
std::optional<Millis> local_time_of(const std::string& day, const std::string& hhmm);
// Parses "2026-11-22T08:30" or "2026-11-22 08:30" as local time.
std::optional<Millis> parse_local_datetime(const std::string& text);
// Makes the process use the region's time zone (policy.timezone), whatever TZ or the machine
// say: every time a program shows, prints or compares with opening hours is the county's.
void use_time_zone(const std::string& tz);

// A random UUID (version 4) and an unguessable URL-safe token.
std::string new_uuid();
std::string new_token();

}  // namespace wm::core
