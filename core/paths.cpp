// Asset lookup shared by the server, the CLI and the screen apps.
#include "core/paths.hpp"

#include <cstdlib>

namespace wm::core {

std::filesystem::path find_assets_dir(const std::filesystem::path& explicit_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto usable = [&](const fs::path& p) { return !p.empty() && fs::is_directory(p / "i18n", ec); };
  if (!explicit_dir.empty()) return explicit_dir;  // the user said so: report errors there
  if (const char* env = std::getenv("WM_ASSETS_DIR"); env && usable(env)) return env;
  // Next to an installed binary (/usr/bin -> /usr/share/wartemarke), wherever the prefix is.
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path beside = exe.parent_path() / ".." / "share" / "wartemarke";
    if (usable(beside)) return beside.lexically_normal();
  }
  fs::path source = fs::path(WM_SOURCE_DIR) / "assets";
  if (usable(source)) return source;
  return fs::path(WM_INSTALL_DATADIR);
}

}  // namespace wm::core
