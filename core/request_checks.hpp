// Checks of a well-formed request against the configuration and state, before permissions.
#pragma once

#include <optional>

#include "core/config.hpp"
#include "core/protocol.hpp"
#include "core/state.hpp"

namespace wm::core {

// The references a request names must exist (an unknown office or kiosk is not_found, before
// the permission check would call it a foreign office), nested objects carry only declared
// keys (bad_field), numbers are in range (outbox.fetch limit 1..200), and a forward needs a
// back-office unit. nullopt: nothing to object to;
// unknown counters, tickets and cases are still decide()'s to report.
std::optional<ProtocolError> check_references(const Request& request, const State& state,
                                              const Region& region);

}  // namespace wm::core
