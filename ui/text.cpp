// Word wrapping and shrink-to-fit on top of ImFont metrics.
#include "ui/text.hpp"

#include <algorithm>
#include <cmath>

namespace wm::ui {

namespace {

float width_of(ImFont* font, float size, std::string_view s) {
  if (s.empty()) return 0;
  return font->CalcTextSizeA(size, FLT_MAX, 0, s.data(), s.data() + s.size()).x;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::string_view> wrap_lines(ImFont* font, float size, std::string_view text,
                                         float width) {
  std::vector<std::string_view> lines;
  std::size_t para_start = 0;
  while (para_start <= text.size()) {
    std::size_t nl = text.find('\n', para_start);
    std::string_view para =
        text.substr(para_start, nl == std::string_view::npos ? std::string_view::npos : nl - para_start);
    // Greedy: extend the line word by word while it still fits.
    std::size_t line_start = 0;
    while (line_start < para.size() && para[line_start] == ' ') ++line_start;
    if (line_start >= para.size()) lines.emplace_back();
    while (line_start < para.size()) {
      std::size_t end = para.find(' ', line_start);
      if (end == std::string_view::npos) end = para.size();
      std::size_t best = end;  // at least one word per line
      while (end < para.size()) {
        std::size_t next = para.find(' ', end + 1);
        if (next == std::string_view::npos) next = para.size();
        if (width_of(font, size, trim(para.substr(line_start, next - line_start))) > width) break;
        best = end = next;
      }
      lines.push_back(trim(para.substr(line_start, best - line_start)));
      line_start = best;
      while (line_start < para.size() && para[line_start] == ' ') ++line_start;
    }
    if (nl == std::string_view::npos) break;
    para_start = nl + 1;
  }
  return lines;
}

TextLayout fit_text(ImFont* font, float size, std::string_view text, ImVec2 box,
                    const FitOptions& o) {
  TextLayout out;
  const float min_size = size * o.min_scale;
  for (float s = size;; s = std::max(min_size, std::floor(s * 0.95f))) {
    out.size = s;
    out.line_height = std::round(s * o.line_spacing);
    out.lines = wrap_lines(font, s, text, box.x);
    float w = 0;
    for (auto l : out.lines) w = std::max(w, width_of(font, s, l));
    float h = out.lines.empty() ? 0 : out.line_height * (out.lines.size() - 1) + s;
    out.extent = ImVec2(w, h);
    out.fits = w <= box.x + 0.5f && h <= box.y + 0.5f && int(out.lines.size()) <= o.max_lines;
    if (out.fits || s <= min_size) break;
  }
  return out;
}

void draw_text(ImDrawList* dl, ImFont* font, const TextLayout& layout, const Rect& box,
               ImU32 color, Align align, VAlign valign) {
  float y = box.y;
  if (valign == VAlign::middle) y += (box.h - layout.extent.y) * 0.5f;
  if (valign == VAlign::bottom) y += box.h - layout.extent.y;
  // Whole pixels: the software renderer blurs glyphs drawn at fractional positions.
  y = std::round(y);
  const ImVec4 clip(box.x, box.y, box.x + box.w, box.y + box.h);
  for (auto line : layout.lines) {
    // An empty line (empty text, a blank line in a ticker or translation) may have no data
    // pointer, and ImGui's AddText reads a null end as "up to the NUL": nothing to draw.
    if (line.empty()) {
      y += layout.line_height;
      continue;
    }
    float w = width_of(font, layout.size, line);
    float x = box.x;
    if (align == Align::center) x += (box.w - w) * 0.5f;
    if (align == Align::right) x += box.w - w;
    dl->AddText(font, layout.size, ImVec2(std::round(x), y), color, line.data(),
                line.data() + line.size(), 0, &clip);
    y += layout.line_height;
  }
}

}  // namespace wm::ui
