// The login guards' file: JSON, rewritten atomically after each change (a wrong PIN costs an
// Argon2id verify, far more than this write, so the write adds no new load).
#include "server/login_lockout.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/protocol.hpp"

namespace wm::server {

namespace {

core::json to_json(const LoginLockout& l) {
  core::json out = core::json::object();
  for (const auto& [key, e] : l.entries()) out[key] = {e.failures, e.until};
  return out;
}

void from_json(LoginLockout& l, const core::json& j) {
  if (!j.is_object()) return;
  for (const auto& [key, v] : j.items())
    if (v.is_array() && v.size() == 2 && v[0].is_number_integer() && v[1].is_number_integer())
      l.restore(key, {v[0].get<int>(), v[1].get<core::Millis>()});
}

}  // namespace

LoginGuards::LoginGuards(int attempts, int minutes, std::string file)
    : per_login(attempts, minutes), per_station(attempts * 4, minutes), file_(std::move(file)) {
  if (file_.empty()) return;
  std::ifstream in(file_);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    core::json j = core::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      // Unreadable: start without locks rather than not at all, and say so.
      spdlog::error("login lockouts: {} is damaged; starting without saved lockouts", file_);
    } else {
      from_json(per_login, j.value("logins", core::json::object()));
      from_json(per_station, j.value("stations", core::json::object()));
    }
  }
  per_login.on_change([this] { save(); });
  per_station.on_change([this] { save(); });
}

void LoginGuards::save() {
  core::json j{{"logins", to_json(per_login)}, {"stations", to_json(per_station)}};
  std::string tmp = file_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump() << "\n";
    if (!out.flush()) {
      if (!warned_) spdlog::error("login lockouts: cannot write {}; a restart would unlock", tmp);
      warned_ = true;
      return;
    }
  }
  if (std::rename(tmp.c_str(), file_.c_str()) != 0) {
    if (!warned_) spdlog::error("login lockouts: cannot replace {}; a restart would unlock", file_);
    warned_ = true;
    return;
  }
  warned_ = false;
}

}  // namespace wm::server
