// The device key registry (public key -> role, offices, name) and the server's own key pair.
#pragma once

#include <sys/types.h>

#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/client/curve.hpp"
#include "core/permissions.hpp"

namespace wm::server {

struct DeviceKey {
  std::string name;        // "goerlitz-kiosk-1"
  std::string public_key;  // Z85
  std::string role;        // kiosk, display, counter, dashboard, backoffice, admin, cli
  std::vector<std::string> offices;  // empty = every office
  bool revoked = false;
  std::string created;     // ISO time, for `keys list`
};

// The registry file `<keys_dir>/devices.json`. Written atomically (temp file + rename), so the
// broker, which rereads it when it changes, never sees half a file.
class KeyRegistry {
 public:
  static std::string file_in(const std::string& keys_dir);
  // A missing file is an empty registry; a damaged one throws std::runtime_error.
  static KeyRegistry load(const std::string& path);
  void save(const std::string& path) const;

  // Adds or replaces the entry with this name; throws std::invalid_argument on a bad role/key.
  void put(DeviceKey key);
  bool revoke(const std::string& name);
  const DeviceKey* by_name(const std::string& name) const;
  // Registered and not revoked.
  const DeviceKey* active(const std::string& public_key) const;
  const std::vector<DeviceKey>& devices() const { return devices_; }

 private:
  std::vector<DeviceKey> devices_;
};

// The registry as the running broker sees it: reloaded whenever the file changes, thread-safe
// (the ZAP thread and the reactor both ask it).
class LiveRegistry {
 public:
  explicit LiveRegistry(std::string path);
  // Rereads the file if its modification time or size changed; keeps the old one on error.
  void refresh();
  // The principal of an active key, or nullopt for unknown or revoked keys.
  std::optional<core::Principal> principal(const std::string& public_key);
  // A key that lives only in this process (the broker's own HTTP side): never in the file,
  // gone with the process, so there is nothing on disk to steal or to forget to revoke.
  void add_internal(const std::string& public_key, core::Principal who);

 private:
  std::string path_;
  std::mutex mu_;
  KeyRegistry registry_;
  std::map<std::string, core::Principal> internal_;
  std::timespec mtime_{};
  off_t size_ = -1;
  bool loaded_ = false;
};

// `<keys_dir>/server.key` (secret, 0600) and `server.pub`; created on first use.
core::KeyPair load_or_create_server_keys(const std::string& keys_dir);
// Replaces the server key pair (the old secret is kept as server.key.old); returns the new pair.
core::KeyPair rotate_server_keys(const std::string& keys_dir);

}  // namespace wm::server
