// Locale date forms for the shipped languages; no libc locale, so no installed locales needed.
#include "core/i18n/dates.hpp"

#include <cctype>

namespace wm::i18n {

namespace {

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

std::string without_leading_zero(std::string_view two) {
  return std::string(two[0] == '0' ? two.substr(1) : two);
}

}  // namespace

std::string format_date(std::string_view iso, std::string_view lang) {
  if (!is_iso_date(iso) || lang == "en") return std::string(iso);
  const std::string_view y = iso.substr(0, 4), m = iso.substr(5, 2), d = iso.substr(8, 2);
  if (lang == "cs") return without_leading_zero(d) + ". " + without_leading_zero(m) + ". " + std::string(y);
  return std::string(d) + "." + std::string(m) + "." + std::string(y);
}

}  // namespace wm::i18n
