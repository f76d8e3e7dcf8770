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
  // Office roles (kiosk, display, counter, dashboard, backoffice) need offices, or
  // all_offices set explicitly: a key registered without either is refused, not "everywhere".
  std::vector<std::string> offices;
  bool all_offices = false;
  bool revoked = false;
  std::string created;     // ISO time, for `keys list`
};

// The registry file `<keys_dir>/devices.json`. Written atomically (temp file + rename), so the
// broker, which rereads it when it changes, never sees half a file.
class KeyRegistry {
 public:
  static std::string file_in(const std::string& keys_dir);
  // A missing file is an empty registry; a damaged one throws std::runtime_error, and so does
  // an active office-role entry without offices. `for_repair` (the `keys` commands) loads such
  // entries anyway, so that an admin can list, revoke or re-register them.
  static KeyRegistry load(const std::string& path, bool for_repair = false);
  // The problem of an entry as the broker sees it, or empty: office roles need offices.
  static std::string office_problem(const DeviceKey& key);
  void save(const std::string& path) const;

  // Adds or replaces the entry with this name; throws std::invalid_argument on a bad role/key,
  // or an active office-role key with neither offices nor all_offices.
  void put(DeviceKey key);
  bool revoke(const std::string& name);
  const DeviceKey* by_name(const std::string& name) const;
  // Registered and not revoked.
  const DeviceKey* active(const std::string& public_key) const;
  const std::vector<DeviceKey>& devices() const { return devices_; }

 private:
  void insert(DeviceKey key, bool check_offices);
  std::vector<DeviceKey> devices_;
};

// Whether a role acts for offices (everything but admin and cli).
bool is_office_role(const std::string& role);

// The registry as the running broker sees it: reloaded whenever the file changes, thread-safe
// (the ZAP thread and the reactor both ask it).
class LiveRegistry {
 public:
  // Throws std::runtime_error if the file exists but is damaged: the broker does not start.
  explicit LiveRegistry(std::string path);
  // Rereads the file if its modification time or size changed. A damaged file refuses every
  // key (not the old registry: it may hold a key being revoked) until the file is repaired,
  // and says so at critical level.
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
  bool damaged_ = false;  // the file on disk cannot be read: every key refused
};

// `<keys_dir>/server.key` (secret, 0600) and `server.pub`; created on first use.
core::KeyPair load_or_create_server_keys(const std::string& keys_dir);
// Replaces the server key pair (the old secret is kept as server.key.old); returns the new pair.
core::KeyPair rotate_server_keys(const std::string& keys_dir);

}  // namespace wm::server
