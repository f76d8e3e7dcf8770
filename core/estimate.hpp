// Wait-time estimates from queue position, the counters serving a service and live service times.
#pragma once

#include <optional>

#include "core/state.hpp"

namespace wm::core {

// Estimated wait for a visitor who takes a ticket for `service` in `office` now.
// nullopt when no open counter serves the service (the kiosk then says so instead of guessing).
std::optional<Millis> estimate_new(const State& state, const std::string& office,
                                   const std::string& service, Millis now);

// Estimated remaining wait of a waiting ticket, from its current position.
std::optional<Millis> estimate_ticket(const State& state, const Ticket& ticket, Millis now);

// Position among the tickets ahead of it for the counters that serve it (1 = next). While no
// open counter serves its service (no_counter_open), the position among the waiting tickets
// of the same service in routing's order: still the real place in the line, never a fake 1.
int queue_position(const State& state, const Ticket& ticket, Millis now);

// Whether no open counter of the office serves `service` now (paused and closed counters do
// not count): then there is no estimate, and screens say "no counter open for this service
// now" instead of a position-1 / 1-minute guess.
bool no_counter_open(const State& state, const std::string& office, const std::string& service);

// The naive estimator the benchmark compares against: tickets waiting for the service ×
// its mean service time ÷ open counters of the office.
std::optional<Millis> estimate_naive(const State& state, const std::string& office,
                                     const std::string& service);

}  // namespace wm::core
