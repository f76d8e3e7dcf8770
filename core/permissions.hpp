// Who may send what: the permission table (device role -> message types, office scope) and its check.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/protocol.hpp"
#include "core/state.hpp"

namespace wm::core {

// The role a device key is registered with. `cli` is the local admin tool: same rights as admin.
enum class DeviceRole { kiosk, display, counter, dashboard, backoffice, admin, cli };

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

// How far a permitted role may reach.
enum class Scope {
  any,              // no office restriction (anonymous reads, heartbeats)
  own_office,       // the office the request touches must be one of the sender's offices
  own_device,       // own_office, and a device may report only its own name ("device" field)
  serving_counter,  // ID data: counters only for the ticket they call/serve; back office always
};

struct Permission {
  const char* type;
  std::vector<DeviceRole> roles;  // admin and cli are always allowed and not listed
  Scope scope;
  // A counter station needs a staff session (staff.login from this station, not yet closed)
  // and acts only at the counter it holds. Bound to the device key and journaled with the
  // counter.changed event, so it survives the station's reconnect and a broker restart.
  bool session = false;
  // A list request (case.list, outbox.fetch): a key limited to some offices gets only their
  // rows, whatever it asked for (restrict_to_offices).
  bool filtered = false;
};

// The whole table, one row per message type. A type without a row is admin-only.
const std::vector<Permission>& permission_table();
const Permission* find_permission(std::string_view type);
std::string_view scope_name(Scope scope);

// Checks one validated request against the sender; returns why it is forbidden, or nullopt.
// Offices are resolved from the body's office, counter, device, kiosk, station name,
// ticket/token, case and appointments (offices_of).
std::optional<std::string> check_permission(const Principal& who, const Request& request,
                                            const State& state, const Region& region);

// Every office a request touches; references that do not resolve are left out (the request
// is refused as not_found by check_references or decide()).
std::vector<std::string> offices_of(const Request& request, const State& state, const Region& region);

// "<station>/<part>" -> "<station>" (device.status names a kiosk's printer or reader).
std::string_view station_of_device(std::string_view device);

}  // namespace wm::core
