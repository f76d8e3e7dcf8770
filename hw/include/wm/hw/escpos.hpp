// ESC/POS command builder and UTF-8 to printer code page conversion (PC858 + PC866).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wm::hw {

using Bytes = std::vector<std::uint8_t>;

// Printer code pages we use, with their `ESC t n` numbers (Epson TM series).
enum class CodePage : std::uint8_t { pc437 = 0, pc857 = 13, pc866 = 17, pc852 = 18, pc858 = 19 };

// One code point of text mapped to a printer byte in a code page.
struct EncodedChar {
  CodePage page;
  std::uint8_t byte;
};

// Maps a Unicode code point to the printer: PC858 first (German umlauts, ß, €), PC852 for
// Polish/Czech letters, PC857 for Turkish ones, PC866 for Cyrillic, a Latin transliteration
// (typographic punctuation „ -> ", letters no page has) otherwise, and '?' when nothing fits,
// so unknown characters stay visible instead of turning into mojibake.
EncodedChar encode_code_point(char32_t cp);
// The byte of `cp` in `page`, if the page has it (the builder stays in its current page when
// it can: "Łódź" is one switch to PC852, not three).
std::optional<std::uint8_t> byte_in(CodePage page, char32_t cp);

// Decodes UTF-8; invalid sequences yield U+FFFD (printed as '?').
std::u32string utf8_to_u32(std::string_view s);
std::string u32_to_utf8(std::u32string_view s);

// Inverse mapping for the simulator: a printer byte in a code page back to Unicode.
char32_t decode_byte(CodePage page, std::uint8_t b);

// Builds an ESC/POS byte stream. Text is UTF-8; the builder switches code pages as needed
// (and only when needed) and never emits raw UTF-8 or control bytes from text.
class EscPos {
 public:
  EscPos& init();                        // ESC @ and select PC858
  EscPos& align(int a);                  // ESC a n: 0 left, 1 centre, 2 right
  EscPos& bold(bool on);                 // ESC E n
  EscPos& size(int width, int height);   // GS ! n, each 1..8
  EscPos& text(std::string_view utf8);   // encoded text, no line feed
  EscPos& line(std::string_view utf8);   // text + LF
  EscPos& feed(int lines = 1);           // ESC d n
  EscPos& rule(int columns, char c = '-');
  EscPos& qr(std::string_view data, int module_size = 6, char ec = 'M');  // GS ( k
  EscPos& cut(int feed_dots = 0);        // GS V 66 n: feed and partial cut
  EscPos& raw(std::initializer_list<std::uint8_t> b);

  const Bytes& bytes() const { return out_; }
  Bytes take() { return std::move(out_); }

 private:
  void select_page(CodePage p);
  Bytes out_;
  CodePage page_ = CodePage::pc437;  // printer default after ESC @
};

// Encoded width in printer columns (one byte per code point after conversion).
std::size_t column_width(std::string_view utf8);
// Greedy word wrap of UTF-8 text to `columns` printer columns (long words are split).
std::vector<std::string> wrap_text(std::string_view utf8, std::size_t columns);

}  // namespace wm::hw
