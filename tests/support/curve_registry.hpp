// Sets up a CURVE broker's keys the way an admin does: a server key and registered devices.
// Header-only: only suites that link wm_server (tests/server) include it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "server/keys.hpp"
#include "tests/support/broker_process.hpp"

namespace wm::test {

struct TestDevice {
  std::string name;
  std::string role;                  // kiosk, display, counter, dashboard, backoffice, admin
  std::vector<std::string> offices;  // empty = all (registered with all_offices)
};

// Writes a new server key into `broker`'s key dir (before start()) and registers a fresh key
// pair per device; returns each device's keys by name.
inline std::map<std::string, core::CurveKeys> register_devices(const BrokerProcess& broker,
                                                               const std::vector<TestDevice>& devices) {
  const std::string keys_dir = broker.data_dir() + "/keys";
  const std::string server_public = server::rotate_server_keys(keys_dir).public_key;
  const auto file = server::KeyRegistry::file_in(keys_dir);
  auto reg = server::KeyRegistry::load(file);
  std::map<std::string, core::CurveKeys> keys;
  for (const auto& d : devices) {
    auto pair = core::generate_key_pair();
    reg.put({d.name, pair.public_key, d.role, d.offices, d.offices.empty(), false, ""});
    keys[d.name] = {server_public, pair};
  }
  reg.save(file);
  return keys;
}

}  // namespace wm::test
