// Where data files live: the assets (translations) of an installed system or a build tree.
#pragma once

#include <filesystem>

namespace wm::core {

// The assets directory (holding i18n/): `explicit_dir` if given, else $WM_ASSETS_DIR, else
// ../share/wartemarke beside the running binary, else the source tree this was built from,
// else the install prefix's.
std::filesystem::path find_assets_dir(const std::filesystem::path& explicit_dir = {});

}  // namespace wm::core
