// Fail-closed rules for plain (unencrypted, unauthenticated) transport: where it may listen, whom it grants what.
#pragma once

#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/permissions.hpp"

namespace wm::server {

// Why `endpoint` must not carry plain transport, or nullopt if it may: only loopback
// (tcp://127.x.x.x, tcp://localhost, tcp://[::1]) and ipc:// / inproc:// endpoints, so that
// no other machine can reach a broker that cannot tell one peer from another.
std::optional<std::string> plain_endpoint_problem(const std::string& endpoint);

// What every plain peer is (security.plain_role): nullopt for "none", the default, so that a
// plain broker grants nothing unless its configuration says so for the local demo.
std::optional<core::Principal> plain_principal(const core::Security& security);

}  // namespace wm::server
