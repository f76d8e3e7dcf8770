// What of a journaled event the screens may see: the one rule the broker publishes by.
#pragma once

#include <string>

#include "core/state.hpp"

namespace wm::core {

// Strips from an event's body what screens must not get: a ticket's status-page token and
// booking code, imported appointments (codes and names), a check-in's booking code. Returns
// false if nothing needed stripping (then the journaled body is the public one as it is).
bool strip_for_screens(json& body, const std::string& type);

}  // namespace wm::core
