// ESC/POS byte stream -> printed blocks (text lines with attributes, QR codes, feeds, cuts).
#include "wm/hw/escpos.hpp"
#include "wm/hw/escpos_raster.hpp"

namespace wm::hw {

int PrintedLine::height() const {
  int h = 1;
  for (const auto& r : runs) h = std::max(h, r.height);
  return h;
}

std::string EscPosDocument::text() const {
  std::string out;
  for (const auto& b : blocks) {
    if (const auto* l = std::get_if<PrintedLine>(&b)) {
      std::u32string s;
      for (const auto& r : l->runs) s += r.text;
      out += u32_to_utf8(s) + "\n";
    } else if (const auto* q = std::get_if<PrintedQr>(&b)) {
      out += "[QR: " + q->data + "]\n";
    } else if (std::holds_alternative<PrintedCut>(b)) {
      out += "--------------------------- cut ---------------------------\n";
    }
  }
  return out;
}

EscPosDocument interpret_escpos(std::span<const std::uint8_t> job) {
  EscPosDocument doc;
  int align = 0, w = 1, h = 1;
  bool bold = false;
  CodePage page = CodePage::pc437;
  PrintedLine line;
  std::string qr_data;
  int qr_module = 3;
  char qr_ec = 'M';
  auto run = [&]() -> TextRun& {
    if (line.runs.empty() || line.runs.back().bold != bold || line.runs.back().width != w ||
        line.runs.back().height != h)
      line.runs.push_back(TextRun{{}, bold, w, h});
    return line.runs.back();
  };
  auto flush = [&] {
    line.align = align;
    doc.blocks.push_back(line);
    line = PrintedLine{};
  };
  size_t i = 0;
  auto at = [&](size_t k) -> int { return i + k < job.size() ? job[i + k] : -1; };
  while (i < job.size()) {
    const std::uint8_t b = job[i];
    if (b == 0x0A) {
      // An empty line still advances the paper by the current height.
      if (line.runs.empty()) line.runs.push_back(TextRun{{}, bold, w, h});
      flush();
      ++i;
    } else if (b == 0x1B) {
      const int c = at(1), n = at(2);
      switch (c) {
        case '@': align = 0, w = h = 1, bold = false, page = CodePage::pc437, i += 2; break;
        case 't': page = static_cast<CodePage>(n), i += 3; break;
        case 'a': align = (n == '1' || n == 1) ? 1 : (n == '2' || n == 2) ? 2 : 0, i += 3; break;
        case 'E': bold = n & 1, i += 3; break;
        case 'd':
          if (!line.runs.empty()) flush();
          doc.blocks.push_back(PrintedFeed{n * 30});
          i += 3;
          break;
        case '!':
          bold = n & 0x08, h = (n & 0x10) ? 2 : 1, w = (n & 0x20) ? 2 : 1, i += 3;
          break;
        case 'M': case '-': case 'G': case '2': case '3': case 'J': i += (c == '2') ? 2 : 3; break;
        default: ++doc.unknown_commands, i += 2;
      }
    } else if (b == 0x1D) {
      const int c = at(1);
      if (c == '!') {
        const int n = at(2);
        w = ((n >> 4) & 7) + 1, h = (n & 7) + 1, i += 3;
      } else if (c == 'V') {
        const int m = at(2);
        i += (m == 65 || m == 66) ? 4 : 3;
        if (!line.runs.empty()) flush();
        doc.blocks.push_back(PrintedCut{});
      } else if (c == '(' && at(2) == 'k') {
        const size_t len = static_cast<size_t>(at(3)) | static_cast<size_t>(at(4)) << 8;
        const size_t start = i + 5;
        if (start + len > job.size() || len < 2) {
          ++doc.unknown_commands;
          i = job.size();
          break;
        }
        const int fn = job[start + 1];
        if (fn == 67 && len >= 3) qr_module = job[start + 2];
        if (fn == 69 && len >= 3) qr_ec = "LMQH"[std::min(3, std::max(0, job[start + 2] - 48))];
        if (fn == 80 && len >= 3) qr_data.assign(job.begin() + start + 3, job.begin() + start + len);
        if (fn == 81) {
          if (!line.runs.empty()) flush();
          doc.blocks.push_back(PrintedQr{qr_data, qr_module, qr_ec, align});
        }
        i = start + len;
      } else {
        ++doc.unknown_commands;
        i += 2;
      }
    } else if (b == 0x10 && at(1) == 0x04) {
      i += 3;  // real-time status request: no ink
    } else if (b < 0x20) {
      ++i;  // other control bytes print nothing
    } else {
      run().text += decode_byte(page, b);
      ++i;
    }
  }
  if (!line.runs.empty()) flush();
  return doc;
}

}  // namespace wm::hw
