// The table of shipped languages.
#include "core/i18n/languages.hpp"

#include <array>

namespace wm::i18n {

namespace {
// No right-to-left languages yet: ImGui 1.86 cannot shape them (see docs/ui.md).
constexpr std::array kLanguages = {
    Language{"de", "Deutsch", "German"},     Language{"en", "English", "English"},
    Language{"pl", "Polski", "Polish"},      Language{"cs", "Čeština", "Czech"},
    Language{"uk", "Українська", "Ukrainian"}, Language{"ru", "Русский", "Russian"},
    Language{"tr", "Türkçe", "Turkish"},
};
}  // namespace

std::span<const Language> supported_languages() { return kLanguages; }

const Language* find_language(std::string_view code) {
  for (const auto& l : kLanguages) {
    if (l.code == code) return &l;
  }
  return nullptr;
}

}  // namespace wm::i18n
