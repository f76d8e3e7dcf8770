// Requests the broker answers with its store or secrets rather than by a pure decision:
// staff login, reading a visitor's ID data, and the back-office gateway's outbox.
#pragma once

#include <optional>
#include <string>

#include "core/protocol.hpp"
#include "core/state.hpp"
#include "server/login_lockout.hpp"
#include "server/store.hpp"

namespace wm::server {

struct StaffOutcome {
  // Either a finished reply frame (ok or error) ...
  std::optional<std::string> reply;
  bool remember = false;  // a state-changing ok reply: journal it for retries
  // ... or a request to decide as usual (staff.login → counter.open), whose ok reply body is
  // extended by `extra`.
  std::optional<core::Request> then;
  core::json extra = core::json::object();
};

// nullopt: not one of these requests, decide() handles it. `lockout` (may be null) counts
// wrong PINs per login and per `station` (the sender's device key name) at `now` (the
// broker's clock).
std::optional<StaffOutcome> handle_staff_request(const core::Request& req, const core::State& state,
                                                 Store& store, Batch& batch,
                                                 LoginGuards* lockout = nullptr,
                                                 const std::string& station = {}, core::Millis now = 0);

}  // namespace wm::server
