// A PNG written by a test (ui::Harness::save_png), decoded to RGB for pixel checks.
#pragma once

#include <boost/test/unit_test.hpp>
#include <stb_image.h>

#include <cstddef>
#include <filesystem>
#include <vector>

namespace wm::test {

struct PngFile {
  int w = 0, h = 0;
  std::vector<unsigned char> rgb;
  explicit PngFile(const std::filesystem::path& file) {
    int comp = 0;
    unsigned char* data = stbi_load(file.c_str(), &w, &h, &comp, 3);
    BOOST_REQUIRE_MESSAGE(data, "cannot decode " << file);
    rgb.assign(data, data + std::size_t(w) * h * 3);
    stbi_image_free(data);
  }
  // The pixel at (x, y) as 0xRRGGBB.
  unsigned pixel(int x, int y) const {
    const unsigned char* p = &rgb[(std::size_t(y) * w + std::size_t(x)) * 3];
    return (unsigned(p[0]) << 16) | (unsigned(p[1]) << 8) | p[2];
  }
};

}  // namespace wm::test
