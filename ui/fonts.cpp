// Builds the ImGui font atlas from Noto Sans with our own glyph ranges.
#include "ui/fonts.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace wm::ui {

namespace {

constexpr ImWchar kTextRanges[] = {
    0x0020, 0x007E,  // Basic Latin
    0x00A0, 0x00FF,  // Latin-1 Supplement: ä ö ü ß é ç …
    0x0100, 0x017F,  // Latin Extended-A: ł č ě ř š ž ğ ş ı İ ő ű
    0x0400, 0x045F,  // Cyrillic: Russian, Ukrainian є і ї
    0x0490, 0x0491,  // Ukrainian Ґ ґ
    0x2010, 0x2027,  // dashes, quotes „ “ ‚ ‘, bullet, ellipsis
    0x2030, 0x203A,  // ‰ ‹ ›
    0x20AC, 0x20AC,  // €
    0x2116, 0x2116,  // № (ru/uk forms)
    0,
};

constexpr ImWchar kHugeRanges[] = {0x0020, 0x007E, 0};
constexpr ImWchar kSymbolRanges[] = {0x2190, 0x2193, 0};

constexpr float kDesign[] = {
    24,   // small
    30,   // body
    30,   // body_bold
    40,   // heading
    56,   // title
    200,  // huge
};

}  // namespace

const ImWchar* text_glyph_ranges() { return kTextRanges; }
const ImWchar* huge_glyph_ranges() { return kHugeRanges; }
const ImWchar* symbol_glyph_ranges() { return kSymbolRanges; }

float design_size(FontRole role) { return kDesign[static_cast<int>(role)]; }

bool FontSet::build(ImFontAtlas& atlas, const FontPaths& paths, float scale, bool large_text) {
  atlas.Clear();
  // A kiosk atlas is big; skipping power-of-two height saves megabytes of texture.
  atlas.Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
  atlas.TexDesiredWidth = 4096;
  scale_ = scale;
  large_text_ = large_text;
  fallback_ = false;

  std::error_code ec;
  for (const auto* p : {&paths.regular, &paths.bold}) {
    if (!std::filesystem::is_regular_file(*p, ec)) {
      spdlog::error("ui: font file {} not found; using ImGui's built-in font (Latin only)",
                    p->string());
      fallback_ = true;
    }
  }
  const bool have_symbols = std::filesystem::is_regular_file(paths.symbols, ec);

  for (int i = 0; i < static_cast<int>(FontRole::count_); ++i) {
    auto role = static_cast<FontRole>(i);
    float size = kDesign[i] * scale * (large_text && role != FontRole::huge ? kLargeTextFactor : 1);
    size = std::max(8.f, std::round(size));
    sizes_[i] = size;
    if (fallback_) {
      ImFontConfig cfg;
      cfg.SizePixels = size;
      fonts_[i] = atlas.AddFontDefault(&cfg);
      continue;
    }
    ImFontConfig cfg;
    // Big text needs no horizontal oversampling; it would triple the atlas for nothing.
    cfg.OversampleH = size < 20 ? 2 : 1;
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    const bool bold = role == FontRole::body_bold || role == FontRole::heading ||
                      role == FontRole::title || role == FontRole::huge;
    const auto& file = bold ? paths.bold : paths.regular;
    const ImWchar* ranges = role == FontRole::huge ? kHugeRanges : kTextRanges;
    fonts_[i] = atlas.AddFontFromFileTTF(file.c_str(), size, &cfg, ranges);
    if (fonts_[i] && have_symbols) {
      ImFontConfig merge;
      merge.MergeMode = true;
      merge.OversampleH = 1;
      merge.PixelSnapH = true;
      atlas.AddFontFromFileTTF(paths.symbols.c_str(), size, &merge, kSymbolRanges);
    }
    if (!fonts_[i]) {
      spdlog::error("ui: cannot load font {}; using ImGui's built-in font", file.string());
      ImFontConfig def;
      def.SizePixels = size;
      fonts_[i] = atlas.AddFontDefault(&def);
      fallback_ = true;
    }
  }
  if (!atlas.Build()) {
    spdlog::error("ui: font atlas build failed");
    fallback_ = true;
  }
  return !fallback_;
}

}  // namespace wm::ui
