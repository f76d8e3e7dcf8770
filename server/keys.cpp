// Device key registry file and server key files; the registry is plain JSON an admin can read.
#include "server/keys.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/protocol.hpp"

namespace wm::server {

using core::json;
namespace fs = std::filesystem;

std::string KeyRegistry::file_in(const std::string& keys_dir) {
  return (fs::path(keys_dir) / "devices.json").string();
}

bool is_office_role(const std::string& role) { return role != "admin" && role != "cli"; }

std::string KeyRegistry::office_problem(const DeviceKey& key) {
  if (key.revoked || !is_office_role(key.role) || key.all_offices || !key.offices.empty()) return {};
  return "device '" + key.name + "' (role " + key.role +
         ") names no office: register it with --office (repeatable) or, for a key that serves "
         "every office, --all-offices";
}

KeyRegistry KeyRegistry::load(const std::string& path, bool for_repair) {
  KeyRegistry reg;
  std::ifstream in(path);
  if (!in) return reg;
  json doc;
  try {
    doc = json::parse(in);
    for (const auto& d : doc.at("devices")) {
      DeviceKey k;
      k.name = d.at("name").get<std::string>();
      k.public_key = d.at("public_key").get<std::string>();
      k.role = d.at("role").get<std::string>();
      k.offices = d.value("offices", std::vector<std::string>{});
      k.all_offices = d.value("all_offices", false);
      k.revoked = d.value("revoked", false);
      k.created = d.value("created", "");
      reg.insert(std::move(k), !for_repair);
    }
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": damaged device key registry: " + e.what());
  }
  return reg;
}

void KeyRegistry::save(const std::string& path) const {
  json devices = json::array();
  for (const auto& k : devices_)
    devices.push_back({{"name", k.name}, {"public_key", k.public_key}, {"role", k.role},
                       {"offices", k.offices}, {"all_offices", k.all_offices}, {"revoked", k.revoked}, {"created", k.created}});
  std::string text = json{{"devices", devices}}.dump(2) + "\n";
  fs::create_directories(fs::path(path).parent_path());
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  fs::rename(tmp, path);
}

void KeyRegistry::put(DeviceKey key) { insert(std::move(key), true); }

void KeyRegistry::insert(DeviceKey key, bool check_offices) {
  if (!core::device_role_from(key.role)) throw std::invalid_argument("unknown role '" + key.role + "'");
  if (!core::valid_z85_key(key.public_key))
    throw std::invalid_argument("'" + key.public_key + "' is not a Z85 public key (40 characters)");
  if (key.name.empty()) throw std::invalid_argument("a device key needs a name");
  if (check_offices)
    if (auto why = office_problem(key); !why.empty()) throw std::invalid_argument(why);
  if (!is_office_role(key.role)) key.all_offices = false;  // admin/cli act everywhere anyway
  for (const auto& other : devices_)
    if (other.public_key == key.public_key && other.name != key.name && !other.revoked)
      throw std::invalid_argument("this public key is already registered as '" + other.name + "'");
  auto it = std::find_if(devices_.begin(), devices_.end(), [&](auto& d) { return d.name == key.name; });
  if (it != devices_.end())
    *it = std::move(key);
  else
    devices_.push_back(std::move(key));
}

bool KeyRegistry::revoke(const std::string& name) {
  for (auto& d : devices_)
    if (d.name == name) {
      d.revoked = true;
      return true;
    }
  return false;
}

const DeviceKey* KeyRegistry::by_name(const std::string& name) const {
  for (const auto& d : devices_)
    if (d.name == name) return &d;
  return nullptr;
}

const DeviceKey* KeyRegistry::active(const std::string& public_key) const {
  for (const auto& d : devices_)
    if (d.public_key == public_key && !d.revoked) return &d;
  return nullptr;
}

LiveRegistry::LiveRegistry(std::string path) : path_(std::move(path)) {
  // At start a damaged file is fatal: the broker must not serve with keys it cannot read.
  registry_ = KeyRegistry::load(path_);
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0) {
    mtime_ = st.st_mtim;
    size_ = st.st_size;
  }
  loaded_ = true;
  spdlog::info("device key registry loaded: {} keys", registry_.devices().size());
}

void LiveRegistry::refresh() {
  struct stat st {};
  bool exists = ::stat(path_.c_str(), &st) == 0;
  std::lock_guard lock(mu_);
  if (!exists) {
    if (loaded_ && size_ != -1) spdlog::warn("device key registry {} is gone: every key refused", path_);
    registry_ = KeyRegistry{};
    size_ = -1;
    loaded_ = true;
    return;
  }
  if (loaded_ && st.st_mtim.tv_sec == mtime_.tv_sec && st.st_mtim.tv_nsec == mtime_.tv_nsec &&
      st.st_size == size_)
    return;
  try {
    registry_ = KeyRegistry::load(path_);
    mtime_ = st.st_mtim;
    size_ = st.st_size;
    loaded_ = true;
    spdlog::info("device key registry loaded: {} keys", registry_.devices().size());
  } catch (const std::exception& e) {
    // Not the previous registry: it may hold the key an admin is revoking right now. The file
    // is not marked as read: it is reread until repaired, and logged once per damage.
    registry_ = KeyRegistry{};
    loaded_ = true;
    if (!damaged_)
      spdlog::critical("{}: every device key is refused until the file is repaired "
                       "(`wartemarke keys list` shows what it holds)", e.what());
    damaged_ = true;
    return;
  }
  if (damaged_) spdlog::warn("device key registry {} is readable again", path_);
  damaged_ = false;
}

std::optional<core::Principal> LiveRegistry::principal(const std::string& public_key) {
  std::lock_guard lock(mu_);
  if (auto it = internal_.find(public_key); it != internal_.end()) return it->second;
  const DeviceKey* k = registry_.active(public_key);
  if (!k) return std::nullopt;
  return core::Principal{*core::device_role_from(k->role), k->name, k->offices};
}

void LiveRegistry::add_internal(const std::string& public_key, core::Principal who) {
  std::lock_guard lock(mu_);
  internal_[public_key] = std::move(who);
}

core::KeyPair load_or_create_server_keys(const std::string& keys_dir) {
  auto secret = (fs::path(keys_dir) / "server.key").string();
  if (fs::exists(secret)) {
    auto pair = core::read_key_file(secret);
    if (pair.secret_key.empty()) throw std::runtime_error(secret + " holds no secret key");
    return pair;
  }
  return rotate_server_keys(keys_dir);
}

core::KeyPair rotate_server_keys(const std::string& keys_dir) {
  fs::create_directories(keys_dir);
  fs::permissions(keys_dir, fs::perms::owner_all, fs::perm_options::replace);
  auto secret = (fs::path(keys_dir) / "server.key").string();
  if (fs::exists(secret)) fs::rename(secret, secret + ".old");
  auto pair = core::generate_key_pair();
  core::write_key_file(secret, pair, "wartemarke server key: secret, readable only by the service user", true);
  core::write_key_file((fs::path(keys_dir) / "server.pub").string(), pair,
                       "wartemarke server public key: give it to every device", false);
  return pair;
}

}  // namespace wm::server
