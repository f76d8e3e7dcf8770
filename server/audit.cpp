// Append-only audit file; the security work turns this into a hash chain behind the same call.
#include "server/audit.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"

namespace wm::server {
namespace {
std::mutex g_mu;
std::string g_path;
}  // namespace

void audit_open(const std::string& data_dir) {
  std::lock_guard lock(g_mu);
  g_path = (std::filesystem::path(data_dir) / "audit.log").string();
}

bool audit(std::string_view actor, std::string_view action, std::string_view subject,
           std::string_view detail) {
  nlohmann::json line{{"time", core::real_now()},
                      {"actor", actor},
                      {"action", action},
                      {"subject", subject},
                      {"detail", detail}};
  std::string text = line.dump() + "\n";
  std::lock_guard lock(g_mu);
  if (g_path.empty()) g_path = "audit.log";
  int fd = ::open(g_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    spdlog::error("audit log {} cannot be opened; access refused", g_path);
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fdatasync(fd) == 0;
  ::close(fd);
  if (!ok) spdlog::error("audit log {} cannot be written; access refused", g_path);
  return ok;
}

}  // namespace wm::server
