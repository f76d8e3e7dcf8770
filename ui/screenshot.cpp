// SDL_RenderReadPixels + stb_image_write.
#include "ui/screenshot.hpp"

#include <stb_image_write.h>

#include <vector>

namespace wm::ui {

bool write_renderer_png(SDL_Renderer* renderer, const std::filesystem::path& file,
                        std::string* error) {
  auto fail = [&](std::string why) {
    if (error) *error = file.string() + ": " + why;
    return false;
  };
  int w = 0, h = 0;
  if (SDL_GetRendererOutputSize(renderer, &w, &h) != 0 || w <= 0 || h <= 0) {
    return fail(std::string("no output size: ") + SDL_GetError());
  }
  std::vector<unsigned char> pixels(std::size_t(w) * h * 3);
  // RGB24 is byte order R,G,B on every platform: exactly what stb expects.
  if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGB24, pixels.data(), w * 3) != 0) {
    return fail(std::string("cannot read pixels: ") + SDL_GetError());
  }
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (!stbi_write_png(file.c_str(), w, h, 3, pixels.data(), w * 3)) {
    return fail("cannot write PNG");
  }
  return true;
}

}  // namespace wm::ui
