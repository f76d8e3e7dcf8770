// Who may send what: the check of a request against its declared row (roles, office scope, session).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/protocol.hpp"
#include "core/state.hpp"

namespace wm::core {

std::string_view device_role_name(DeviceRole role);
std::optional<DeviceRole> device_role_from(std::string_view name);
const std::vector<DeviceRole>& all_device_roles();

// The authenticated sender of a request (from its CURVE key via the ZAP handler).
struct Principal {
  DeviceRole role = DeviceRole::admin;
  std::string name;                  // device name from the key registry, e.g. "goerlitz-kiosk-1"
  std::vector<std::string> offices;  // empty = every office
  bool may_act_in(const std::string& office) const;
};

std::string_view scope_name(Scope scope);

// Checks one validated request against the sender and its row in the request table (roles,
// scope, session; a type without roles is admin-only); returns why it is forbidden, or nullopt.
// The offices it touches are resolved from the references its row declares (offices_of).
std::optional<std::string> check_permission(const Principal& who, const Request& request,
                                            const State& state, const Region& region);

// Every office a request touches, from the references its row declares (MessageSpec::offices);
// references that do not resolve are left out (the request is refused as not_found by
// check_references or its handler).
std::vector<std::string> offices_of(const Request& request, const State& state, const Region& region);

// "<station>/<part>" -> "<station>" (device.status names a kiosk's printer or reader).
std::string_view station_of_device(std::string_view device);

}  // namespace wm::core
