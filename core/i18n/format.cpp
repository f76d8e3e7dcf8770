// Placeholder parsing shared by format() and placeholders(), so both agree on the syntax.
#include "core/i18n/format.hpp"

#include <algorithm>

namespace wm::i18n {

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Calls on_text(literal) and on_name(name) in order of appearance.
template <typename Text, typename Name>
void scan(std::string_view p, Text on_text, Name on_name) {
  std::size_t i = 0;
  while (i < p.size()) {
    char c = p[i];
    if ((c == '{' || c == '}') && i + 1 < p.size() && p[i + 1] == c) {
      on_text(p.substr(i, 1));
      i += 2;
      continue;
    }
    if (c == '{') {
      std::size_t j = i + 1;
      while (j < p.size() && is_name_char(p[j])) ++j;
      if (j < p.size() && p[j] == '}' && j > i + 1) {
        on_name(p.substr(i + 1, j - i - 1));
        i = j + 1;
        continue;
      }
    }
    // A lone brace is text: translators' typos must render, not throw.
    std::size_t j = i + 1;
    while (j < p.size() && p[j] != '{' && p[j] != '}') ++j;
    on_text(p.substr(i, j - i));
    i = j;
  }
}

}  // namespace

std::string format(std::string_view pattern, const Args& args) {
  std::string out;
  out.reserve(pattern.size() + 16);
  scan(
      pattern, [&](std::string_view t) { out += t; },
      [&](std::string_view name) {
        for (const auto& [k, v] : args) {
          if (k == name) {
            out += v;
            return;
          }
        }
        out += '{';
        out += name;
        out += '}';
      });
  return out;
}

std::vector<std::string> placeholders(std::string_view pattern) {
  std::vector<std::string> names;
  scan(
      pattern, [](std::string_view) {}, [&](std::string_view n) { names.emplace_back(n); });
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace wm::i18n
