// ESC/POS byte stream builder and UTF-8 -> PC858/PC866 conversion with visible fallbacks.
#include "wm/hw/escpos.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "codepage_tables.hpp"

namespace wm::hw {
namespace {

const std::unordered_map<char32_t, std::uint8_t>& reverse(CodePage p) {
  static const auto build = [](const char32_t* table) {
    std::unordered_map<char32_t, std::uint8_t> m;
    for (int i = 0; i < 128; ++i)
      if (table[i] != 0) m.emplace(table[i], static_cast<std::uint8_t>(0x80 + i));
    return m;
  };
  static const auto m858 = build(codepages::kPc858);
  static const auto m866 = build(codepages::kPc866);
  static const auto m852 = build(codepages::kPc852);
  static const auto m857 = build(codepages::kPc857);
  static const auto m437 = build(codepages::kPc437);
  switch (p) {
    case CodePage::pc858: return m858;
    case CodePage::pc866: return m866;
    case CodePage::pc852: return m852;
    case CodePage::pc857: return m857;
    default: return m437;
  }
}

// Latin letters of our kiosk languages (pl, cs, tr, ...) that PC858 lacks, and typographic
// punctuation: a close ASCII look-alike is better on paper than '?'.
char transliterate(char32_t cp) {
  switch (cp) {
    case U'ł': case U'ľ': case U'ĺ': return 'l';
    case U'Ł': case U'Ľ': case U'Ĺ': return 'L';
    case U'ą': case U'ă': case U'ā': return 'a';
    case U'Ą': case U'Ă': case U'Ā': return 'A';
    case U'ć': case U'č': return 'c';
    case U'Ć': case U'Č': return 'C';
    case U'ę': case U'ě': case U'ė': case U'ē': return 'e';
    case U'Ę': case U'Ě': case U'Ė': case U'Ē': return 'E';
    case U'ń': case U'ň': return 'n';
    case U'Ń': case U'Ň': return 'N';
    case U'ś': case U'š': case U'ş': case U'ș': return 's';
    case U'Ś': case U'Š': case U'Ş': case U'Ș': return 'S';
    case U'ź': case U'ż': case U'ž': return 'z';
    case U'Ź': case U'Ż': case U'Ž': return 'Z';
    case U'ř': case U'ŕ': return 'r';
    case U'Ř': case U'Ŕ': return 'R';
    case U'ť': case U'ț': return 't';
    case U'Ť': case U'Ț': return 'T';
    case U'ď': return 'd';
    case U'Ď': return 'D';
    case U'ů': case U'ű': case U'ū': return 'u';
    case U'Ů': case U'Ű': case U'Ū': return 'U';
    case U'ő': return 'o';
    case U'Ő': return 'O';
    case U'ğ': return 'g';
    case U'Ğ': return 'G';
    case U'ı': case U'і': return 'i';  // dotless i; Ukrainian і looks like Latin i
    case U'İ': case U'І': return 'I';
    case U'‘': case U'’': case U'‚': case U'′': return '\'';
    case U'“': case U'”': case U'„': case U'″': return '"';
    case U'–': case U'—': case U'‐': case U'−': return '-';
    case U'…': return '.';
    case U'•': return '*';
    case U'\u00A0': case U'\u202F': case U'\u2009': return ' ';
    default: return 0;
  }
}

}  // namespace

std::optional<std::uint8_t> byte_in(CodePage page, char32_t cp) {
  if (cp < 0x80) return std::nullopt;
  const auto& m = reverse(page);
  if (auto it = m.find(cp); it != m.end()) return it->second;
  return std::nullopt;
}

EncodedChar encode_code_point(char32_t cp) {
  if (cp >= 0x20 && cp < 0x7F) return {CodePage::pc858, static_cast<std::uint8_t>(cp)};
  if (cp == U'\t') return {CodePage::pc858, ' '};
  const char t = transliterate(cp);
  // Typographic punctuation and spaces: ASCII on every page, no switch for a dash.
  if (t && !std::isalpha(static_cast<unsigned char>(t)))
    return {CodePage::pc858, static_cast<std::uint8_t>(t)};
  if (cp >= 0x80) {
    // Letters as letters (issue 16 item 11): German first, then Turkish (before PC852, which
    // has ş too but not ı: a Turkish word stays in one page), Polish/Czech, Cyrillic.
    for (CodePage p : {CodePage::pc858, CodePage::pc857, CodePage::pc852, CodePage::pc866})
      if (auto b = byte_in(p, cp)) return {p, *b};
    const auto& m866 = reverse(CodePage::pc866);
    if (cp == U'ґ') return {CodePage::pc866, m866.at(U'г')};
    if (cp == U'Ґ') return {CodePage::pc866, m866.at(U'Г')};
  }
  if (t) return {CodePage::pc858, static_cast<std::uint8_t>(t)};  // ā, і: the closest letter
  return {CodePage::pc858, '?'};  // control characters, CJK, Arabic, U+FFFD ...
}

char32_t decode_byte(CodePage page, std::uint8_t b) {
  if (b < 0x80) return b;
  switch (page) {
    case CodePage::pc858: return codepages::kPc858[b - 0x80];
    case CodePage::pc866: return codepages::kPc866[b - 0x80];
    case CodePage::pc852: return codepages::kPc852[b - 0x80];
    case CodePage::pc857: return codepages::kPc857[b - 0x80] ? codepages::kPc857[b - 0x80] : U'?';
    default: return codepages::kPc437[b - 0x80];
  }
}

std::u32string utf8_to_u32(std::string_view s) {
  std::u32string out;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      out += U'\uFFFD';
      ++i;
      continue;
    }
    bool ok = true;
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    if (!ok) {
      out += U'\uFFFD';
      ++i;
      continue;
    }
    static const char32_t min_for_len[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = U'\uFFFD';
    out += cp;
    i += n + 1;
  }
  return out;
}

std::string u32_to_utf8(std::u32string_view s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

void EscPos::select_page(CodePage p) {
  if (p == page_) return;
  out_.insert(out_.end(), {0x1B, 't', static_cast<std::uint8_t>(p)});
  page_ = p;
}

EscPos& EscPos::init() {
  out_.insert(out_.end(), {0x1B, '@'});
  page_ = CodePage::pc437;
  select_page(CodePage::pc858);
  return *this;
}

EscPos& EscPos::align(int a) {
  out_.insert(out_.end(), {0x1B, 'a', static_cast<std::uint8_t>(std::clamp(a, 0, 2))});
  return *this;
}

EscPos& EscPos::bold(bool on) {
  out_.insert(out_.end(), {0x1B, 'E', static_cast<std::uint8_t>(on ? 1 : 0)});
  return *this;
}

EscPos& EscPos::size(int width, int height) {
  const int w = std::clamp(width, 1, 8) - 1, h = std::clamp(height, 1, 8) - 1;
  out_.insert(out_.end(), {0x1D, '!', static_cast<std::uint8_t>((w << 4) | h)});
  return *this;
}

EscPos& EscPos::text(std::string_view utf8) {
  for (char32_t cp : utf8_to_u32(utf8)) {
    if (cp == U'\n') {
      out_.push_back(0x0A);
      continue;
    }
    EncodedChar e = encode_code_point(cp);
    // Stay in the current page when it has the letter too (ó after Ł stays in PC852).
    if (e.byte >= 0x80 && e.page != page_)
      if (auto here = byte_in(page_, cp)) e = {page_, *here};
    // ASCII prints the same in every page we use: switch only for the high half.
    if (e.byte >= 0x80) select_page(e.page);
    out_.push_back(e.byte);
  }
  return *this;
}

EscPos& EscPos::line(std::string_view utf8) {
  text(utf8);
  out_.push_back(0x0A);
  return *this;
}

EscPos& EscPos::feed(int lines) {
  out_.insert(out_.end(), {0x1B, 'd', static_cast<std::uint8_t>(std::clamp(lines, 0, 255))});
  return *this;
}

EscPos& EscPos::rule(int columns, char c) {
  out_.insert(out_.end(), static_cast<size_t>(std::max(columns, 0)), static_cast<std::uint8_t>(c));
  out_.push_back(0x0A);
  return *this;
}

EscPos& EscPos::qr(std::string_view data, int module_size, char ec) {
  // Model 2, module size, error correction (48 L, 49 M, 50 Q, 51 H), store, print.
  const std::uint8_t ecn = ec == 'L' ? 48 : ec == 'Q' ? 50 : ec == 'H' ? 51 : 49;
  out_.insert(out_.end(), {0x1D, '(', 'k', 4, 0, 49, 65, 50, 0});
  out_.insert(out_.end(),
              {0x1D, '(', 'k', 3, 0, 49, 67, static_cast<std::uint8_t>(std::clamp(module_size, 1, 16))});
  out_.insert(out_.end(), {0x1D, '(', 'k', 3, 0, 49, 69, ecn});
  // Only printable ASCII goes into the symbol: a URL never needs more, and stray bytes
  // must not reach the printer's command parser.
  std::string clean;
  for (char c : data)
    if (c >= 0x20 && c < 0x7F) clean += c;
  if (clean.size() > 7000) clean.resize(7000);
  const size_t len = clean.size() + 3;
  out_.insert(out_.end(), {0x1D, '(', 'k', static_cast<std::uint8_t>(len & 0xFF),
                           static_cast<std::uint8_t>(len >> 8), 49, 80, 48});
  out_.insert(out_.end(), clean.begin(), clean.end());
  out_.insert(out_.end(), {0x1D, '(', 'k', 3, 0, 49, 81, 48});
  return *this;
}

EscPos& EscPos::cut(int feed_dots) {
  out_.insert(out_.end(), {0x1D, 'V', 66, static_cast<std::uint8_t>(std::clamp(feed_dots, 0, 255))});
  return *this;
}

EscPos& EscPos::raw(std::initializer_list<std::uint8_t> b) {
  out_.insert(out_.end(), b);
  return *this;
}

std::size_t column_width(std::string_view utf8) { return utf8_to_u32(utf8).size(); }

std::vector<std::string> wrap_text(std::string_view utf8, std::size_t columns) {
  std::vector<std::string> lines;
  if (columns == 0) columns = 1;
  const std::u32string s = utf8_to_u32(utf8);
  std::u32string cur, word;
  auto flush_word = [&] {
    while (word.size() > columns) {  // a word longer than a line: hard split
      if (!cur.empty()) {
        lines.push_back(u32_to_utf8(cur));
        cur.clear();
      }
      lines.push_back(u32_to_utf8(word.substr(0, columns)));
      word.erase(0, columns);
    }
    if (word.empty()) return;
    if (cur.empty()) {
      cur = word;
    } else if (cur.size() + 1 + word.size() <= columns) {
      cur += U' ';
      cur += word;
    } else {
      lines.push_back(u32_to_utf8(cur));
      cur = word;
    }
    word.clear();
  };
  for (char32_t c : s) {
    if (c == U' ' || c == U'\n') {
      flush_word();
      if (c == U'\n') {
        lines.push_back(u32_to_utf8(cur));
        cur.clear();
      }
    } else {
      word += c;
    }
  }
  flush_word();
  if (!cur.empty() || lines.empty()) lines.push_back(u32_to_utf8(cur));
  return lines;
}

}  // namespace wm::hw
