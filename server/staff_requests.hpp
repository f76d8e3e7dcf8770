// Requests the broker answers with its store or secrets rather than by a pure decision:
// staff login, reading a visitor's ID data, and the back-office gateway's outbox.
#pragma once

#include <optional>
#include <string>
#include <variant>

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

// staff.login in two halves around the Argon2id verify, which the broker runs on its
// PinVerifier thread (~0.1 s: on the reactor it stalled every office). `station` is the
// sender's key name, whose wrong PINs `lockout` (may be null) counts at `now`.
struct PinCheck {
  // What to check the secret against: an Argon2id hash (a stand-in's for an unknown login),
  // or for an auth = "ldap" account the bind name to try (`directory`).
  std::string hash;
  std::string secret;
  bool known = false;      // the login exists; for an unknown one the verdict is ignored
  bool directory = false;  // an LDAP bind (the directory verifier), not an Argon2id verify
};
// Refuses a login that breaks the login rules (bad_field: such characters could inject into
// an LDAP DN, and no account has them) and a locked login or station at once (no Argon2id or
// LDAP work while locked), else names the check to run.
std::variant<StaffOutcome, PinCheck> login_start(const core::Request& req, const core::State& state,
                                                 LoginGuards* lockout, const std::string& station,
                                                 core::Millis now);
// With the verify's verdict (`pin_matches`; ignored for an unknown login): counts a failure or
// clears the count, checks roles and counter, and answers or hands on counter.open.
// `undecided`: the directory could not be asked (down, too slow): `unavailable`, nothing
// counted.
StaffOutcome login_finish(const core::Request& req, const core::State& state, LoginGuards* lockout,
                          const std::string& station, core::Millis now, bool pin_matches,
                          bool undecided = false);
// crypto_pwhash_str_verify; false for an empty hash. Thread-safe (the verifier's work).
bool verify_pin(const std::string& hash, const std::string& secret);

// Answers the rows whose handler (MessageSpec::server) is identity_read, outbox_fetch or
// outbox_ack; nullopt for any other row (staff_login: login_start / login_finish). `who` is
// the sender, already permitted by core::check_permission; its offices limit outbox.fetch.
std::optional<StaffOutcome> handle_staff_request(const core::Request& req, const core::State& state,
                                                 Store& store, Batch& batch,
                                                 const core::Principal& who);

}  // namespace wm::server
