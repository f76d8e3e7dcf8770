// Where tests put their screenshots: the build tree by default, docs/images only on request
// (WM_UPDATE_SCREENSHOTS=1), so a plain test or CI run never dirties the checkout.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace wm::test {

// Needs WM_SOURCE_DIR and WM_BINARY_DIR (set for every wm_add_test target).
inline std::filesystem::path screenshot_path(const std::string& name) {
  const char* update = std::getenv("WM_UPDATE_SCREENSHOTS");
  const bool docs = update && std::string(update) == "1";
  std::filesystem::path dir = docs ? std::filesystem::path(WM_SOURCE_DIR) / "docs" / "images"
                                   : std::filesystem::path(WM_BINARY_DIR) / "screenshots";
  std::filesystem::create_directories(dir);
  return dir / name;
}

}  // namespace wm::test
