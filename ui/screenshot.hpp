// PNG capture of what a renderer currently holds.
#pragma once

#include <SDL.h>

#include <filesystem>
#include <string>

namespace wm::ui {

// Reads the renderer's target (SDL_RenderReadPixels) and writes an RGB PNG, creating the
// parent directory. On failure returns false and says why in *error.
bool write_renderer_png(SDL_Renderer* renderer, const std::filesystem::path& file,
                        std::string* error = nullptr);

}  // namespace wm::ui
