// Interprets the ESC/POS subset we emit and rasterizes it like a 203 dpi, 80 mm thermal printer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace wm::hw {

struct TextRun {
  std::u32string text;
  bool bold = false;
  int width = 1, height = 1;  // GS ! multipliers
};
struct PrintedLine {
  int align = 0;  // 0 left, 1 centre, 2 right
  std::vector<TextRun> runs;
  int height() const;  // largest height multiplier on the line (1 when empty)
};
struct PrintedQr {
  std::string data;
  int module = 3;
  char ec = 'M';
  int align = 0;
};
struct PrintedFeed {
  int dots = 0;
};
struct PrintedCut {};
using PrintedBlock = std::variant<PrintedLine, PrintedQr, PrintedFeed, PrintedCut>;

// What a printer would put on paper. Unknown commands are skipped (as a printer would),
// counted in `unknown_commands` so tests notice.
struct EscPosDocument {
  std::vector<PrintedBlock> blocks;
  int unknown_commands = 0;
  std::string text() const;  // UTF-8, one line per printed line, QR as "[QR: data]"
};
EscPosDocument interpret_escpos(std::span<const std::uint8_t> job);

struct GrayImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;  // 0 black .. 255 white, row-major
};
// 576 dots = 72 mm printable width of an 80 mm roll at 203 dpi. Throws if the fonts are missing.
GrayImage rasterize(const EscPosDocument& doc, int width = 576);
bool write_png(const GrayImage& img, const std::string& path);

}  // namespace wm::hw
