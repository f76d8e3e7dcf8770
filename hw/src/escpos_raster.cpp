// Rasterizes interpreted ESC/POS with stb_truetype (Noto Sans) and libqrencode; PNG via stb.
#include <qrencode.h>
#include <stb_image_write.h>
#include <stb_truetype.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include "wm/hw/escpos_raster.hpp"

namespace wm::hw {
namespace {

struct Font {
  std::vector<unsigned char> data;
  stbtt_fontinfo info{};
  int ascent = 0, descent = 0, gap = 0;
  explicit Font(const char* path) {
    std::ifstream in(path, std::ios::binary);
    data.assign(std::istreambuf_iterator<char>(in), {});
    if (data.empty() || !stbtt_InitFont(&info, data.data(), stbtt_GetFontOffsetForIndex(data.data(), 0)))
      throw std::runtime_error(std::string("cannot load font ") + path);
    stbtt_GetFontVMetrics(&info, &ascent, &descent, &gap);
  }
};

const Font& font(bool bold) {
  static const Font regular(WM_FONT_REGULAR), heavy(WM_FONT_BOLD);
  return bold ? heavy : regular;
}

// Font A is a 12 x 24 dot cell; Noto Sans at 24 px has about the same advance and cap height.
constexpr float kCellHeight = 24.0f;
constexpr int kLineSpacing = 30;  // ESC/POS default: 1/6 inch at 180 dpi ~ 30 dots at 203 dpi
constexpr int kPad = 8;           // unprinted margin inside the 576 dots

// Runs of '-' are rules: printed in the 12-dot cells of font A they span the paper, which
// a proportional font would not.
bool is_rule(const TextRun& r) {
  return r.text.size() >= 8 && r.text.find_first_not_of(U'-') == std::u32string::npos;
}

float run_width(const TextRun& r) {
  if (is_rule(r)) return static_cast<float>(r.text.size() * 12 * r.width);
  const Font& f = font(r.bold);
  const float scale = stbtt_ScaleForPixelHeight(&f.info, kCellHeight) * r.width;
  float x = 0;
  for (size_t k = 0; k < r.text.size(); ++k) {
    int adv, lsb;
    stbtt_GetCodepointHMetrics(&f.info, static_cast<int>(r.text[k]), &adv, &lsb);
    x += adv * scale;
    if (k + 1 < r.text.size())
      x += scale * stbtt_GetCodepointKernAdvance(&f.info, static_cast<int>(r.text[k]),
                                                 static_cast<int>(r.text[k + 1]));
  }
  return x;
}

void draw_run(GrayImage& img, const TextRun& r, float x, int baseline, float squeeze) {
  if (is_rule(r)) {
    const int cell = static_cast<int>(12 * r.width * squeeze);
    const int y = baseline - static_cast<int>(kCellHeight * 0.3f);
    for (size_t k = 0; k < r.text.size(); ++k)
      for (int dx = 2; dx < cell - 2; ++dx)
        for (int dy = 0; dy < 2; ++dy) {
          const int px = static_cast<int>(x) + static_cast<int>(k) * cell + dx, py = y + dy;
          if (px >= 0 && px < img.width && py >= 0 && py < img.height)
            img.pixels[static_cast<size_t>(py) * img.width + px] = 0;
        }
    return;
  }
  const Font& f = font(r.bold);
  const float base = stbtt_ScaleForPixelHeight(&f.info, kCellHeight);
  const float sx = base * r.width * squeeze, sy = base * r.height;
  std::vector<unsigned char> glyph;
  for (size_t k = 0; k < r.text.size(); ++k) {
    const int cp = static_cast<int>(r.text[k]);
    int x0, y0, x1, y1;
    const float fx = x - std::floor(x);
    stbtt_GetCodepointBitmapBoxSubpixel(&f.info, cp, sx, sy, fx, 0, &x0, &y0, &x1, &y1);
    const int gw = x1 - x0, gh = y1 - y0;
    if (gw > 0 && gh > 0) {
      glyph.assign(static_cast<size_t>(gw) * gh, 0);
      stbtt_MakeCodepointBitmapSubpixel(&f.info, glyph.data(), gw, gh, gw, sx, sy, fx, 0, cp);
      const int ox = static_cast<int>(std::floor(x)) + x0, oy = baseline + y0;
      for (int yy = 0; yy < gh; ++yy) {
        const int py = oy + yy;
        if (py < 0 || py >= img.height) continue;
        for (int xx = 0; xx < gw; ++xx) {
          const int px = ox + xx;
          if (px < 0 || px >= img.width) continue;
          auto& p = img.pixels[static_cast<size_t>(py) * img.width + px];
          p = static_cast<std::uint8_t>(std::min<int>(p, 255 - glyph[static_cast<size_t>(yy) * gw + xx]));
        }
      }
    }
    int adv, lsb;
    stbtt_GetCodepointHMetrics(&f.info, cp, &adv, &lsb);
    x += adv * sx;
    if (k + 1 < r.text.size())
      x += sx * stbtt_GetCodepointKernAdvance(&f.info, cp, static_cast<int>(r.text[k + 1]));
  }
}

int line_height(const PrintedLine& l) { return kLineSpacing + static_cast<int>(kCellHeight) * (l.height() - 1); }

struct QrDeleter {
  void operator()(QRcode* q) const { QRcode_free(q); }
};

std::unique_ptr<QRcode, QrDeleter> encode_qr(const PrintedQr& q) {
  const QRecLevel level = q.ec == 'L' ? QR_ECLEVEL_L : q.ec == 'Q' ? QR_ECLEVEL_Q
                          : q.ec == 'H' ? QR_ECLEVEL_H : QR_ECLEVEL_M;
  return std::unique_ptr<QRcode, QrDeleter>(
      QRcode_encodeString8bit(q.data.empty() ? " " : q.data.c_str(), 0, level));
}

int x_for(int align, int content, int width) {
  if (align == 1) return (width - content) / 2;
  if (align == 2) return width - kPad - content;
  return kPad;
}

}  // namespace

GrayImage rasterize(const EscPosDocument& doc, int width) {
  // First pass: height.
  int height = 24;
  for (const auto& b : doc.blocks) {
    if (const auto* l = std::get_if<PrintedLine>(&b)) height += line_height(*l);
    else if (const auto* q = std::get_if<PrintedQr>(&b)) {
      if (auto qr = encode_qr(*q)) height += qr->width * std::max(1, q->module) + 8;
    } else if (const auto* f = std::get_if<PrintedFeed>(&b)) height += f->dots;
    else height += 48;  // the cutter sits a few mm above the print head
  }
  GrayImage img{width, height, std::vector<std::uint8_t>(static_cast<size_t>(width) * height, 255)};
  int y = 16;
  for (const auto& b : doc.blocks) {
    if (const auto* l = std::get_if<PrintedLine>(&b)) {
      const int lh = line_height(*l);
      float total = 0;
      for (const auto& r : l->runs) total += run_width(r);
      // A real printer wraps; our layouts never overflow, but never draw off the paper.
      const float room = static_cast<float>(width - 2 * kPad);
      const float squeeze = total > room ? room / total : 1.0f;
      float x = static_cast<float>(x_for(l->align, static_cast<int>(total * squeeze), width));
      // The character cell (24 dots per height step) sits centred in the line pitch.
      const Font& f = font(false);
      const float ascent = f.ascent * stbtt_ScaleForPixelHeight(&f.info, kCellHeight);
      const int cell = static_cast<int>(kCellHeight) * l->height();
      const int baseline = y + (lh - cell) / 2 + static_cast<int>(ascent * l->height());
      for (const auto& r : l->runs) {
        draw_run(img, r, x, baseline, squeeze);
        x += run_width(r) * squeeze;
      }
      y += lh;
    } else if (const auto* q = std::get_if<PrintedQr>(&b)) {
      auto qr = encode_qr(*q);
      if (!qr) continue;
      const int m = std::max(1, q->module), size = qr->width * m;
      const int x0 = x_for(q->align, size, width);
      for (int yy = 0; yy < qr->width; ++yy)
        for (int xx = 0; xx < qr->width; ++xx)
          if (qr->data[yy * qr->width + xx] & 1)
            for (int dy = 0; dy < m; ++dy)
              for (int dx = 0; dx < m; ++dx) {
                const int px = x0 + xx * m + dx, py = y + 4 + yy * m + dy;
                if (px >= 0 && px < width && py < height)
                  img.pixels[static_cast<size_t>(py) * width + px] = 0;
              }
      y += size + 8;
    } else if (const auto* f = std::get_if<PrintedFeed>(&b)) {
      y += f->dots;
    } else {
      y += 48;
    }
  }
  return img;
}

bool write_png(const GrayImage& img, const std::string& path) {
  return stbi_write_png(path.c_str(), img.width, img.height, 1, img.pixels.data(), img.width) != 0;
}

}  // namespace wm::hw
