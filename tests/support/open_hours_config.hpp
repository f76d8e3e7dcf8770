// A copy of a county configuration whose offices are open around the clock, for tests that
// are about queues rather than hours and run on the real clock (at night, on a Sunday).
#pragma once

#include <string>

namespace wm::test {

// Copies every .toml beside `county_toml` into `dir`, each [offices.hours] table replaced by
// 00:00-24:00 on all seven days; returns the copy of `county_toml`. Nothing else changes.
std::string around_the_clock_copy(const std::string& county_toml, const std::string& dir);

}  // namespace wm::test
