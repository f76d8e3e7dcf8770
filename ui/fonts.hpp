// Noto Sans at the sizes our screens use, with glyph ranges for all shipped languages.
#pragma once

#include <imgui.h>

#include <array>
#include <filesystem>
#include <string>

namespace wm::ui {

enum class FontRole {
  small,      // footnotes, status lines
  body,       // descriptions, paragraphs
  body_bold,  // button labels, emphasised text
  heading,    // tile titles, section headings
  title,      // the one question a screen asks
  huge,       // ticket and counter numbers (ASCII + arrows only, to keep the atlas small)
  count_
};

// Design sizes in px at a 1080 px short window side, normal text.
float design_size(FontRole role);

// Large-text mode multiplies every role except `huge` (already huge) by this.
inline constexpr float kLargeTextFactor = 1.4f;

// Codepoint ranges (ImGui pairs, zero-terminated) for the text fonts: Basic Latin, Latin-1,
// Latin Extended-A, Cyrillic, the punctuation we use (– — „ “ ” ‚ ‘ ’ … •), €, №.
// ImGui's own Cyrillic range lacks ł, č, ğ, ş, ő …, hence our own.
const ImWchar* text_glyph_ranges();
const ImWchar* huge_glyph_ranges();
// Arrows (← ↑ → ↓) merged in from Noto Sans Symbols: Noto Sans itself has none.
const ImWchar* symbol_glyph_ranges();

struct FontPaths {
  std::filesystem::path regular = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
  std::filesystem::path bold = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";
  std::filesystem::path symbols = "/usr/share/fonts/truetype/noto/NotoSansSymbols-Regular.ttf";
};

class FontSet {
 public:
  // Rebuilds the atlas (fonts must not be in use: call between frames). If a font file is
  // missing, logs it and falls back to ImGui's built-in font so the screen still works.
  // Returns false when a fallback was needed.
  bool build(ImFontAtlas& atlas, const FontPaths& paths, float scale, bool large_text);

  ImFont* get(FontRole role) const { return fonts_[static_cast<int>(role)]; }
  float size(FontRole role) const { return sizes_[static_cast<int>(role)]; }
  bool large_text() const { return large_text_; }
  float scale() const { return scale_; }
  bool fallback() const { return fallback_; }

 private:
  std::array<ImFont*, static_cast<int>(FontRole::count_)> fonts_{};
  std::array<float, static_cast<int>(FontRole::count_)> sizes_{};
  float scale_ = 0;
  bool large_text_ = false;
  bool fallback_ = false;
};

}  // namespace wm::ui
