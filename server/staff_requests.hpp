// Requests the broker answers with its store or secrets rather than by a pure decision:
// staff login, reading a visitor's ID data, and the back-office gateway's outbox.
#pragma once

#include <optional>
#include <string>

#include "core/permissions.hpp"
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

// Answers the rows whose handler (MessageSpec::server) is staff_login, identity_read,
// outbox_fetch or outbox_ack; nullopt for any other row. `who` is the sender, already
// permitted by core::check_permission: its name is the station whose wrong PINs `lockout`
// (may be null) counts at `now` (the broker's clock), its offices limit outbox.fetch.
std::optional<StaffOutcome> handle_staff_request(const core::Request& req, const core::State& state,
                                                 Store& store, Batch& batch, LoginGuards* lockout,
                                                 const core::Principal& who, core::Millis now);

}  // namespace wm::server
