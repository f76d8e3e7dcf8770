// systemd readiness and watchdog notifications (sd_notify protocol), without libsystemd.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace wm::server {

// Sends `state` (e.g. "READY=1") to $NOTIFY_SOCKET; false when not run by systemd or on error.
bool sd_notify(const std::string& state);

// The watchdog interval systemd asks for ($WATCHDOG_USEC, honouring $WATCHDOG_PID), if any.
std::optional<std::chrono::microseconds> sd_watchdog_interval();

}  // namespace wm::server
