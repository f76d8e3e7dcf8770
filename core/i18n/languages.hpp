// The languages Wartemarke speaks, with the names visitors recognise them by.
#pragma once

#include <span>
#include <string_view>

namespace wm::i18n {

// German is the source language: every key exists there first, and it is the fallback.
inline constexpr std::string_view kSourceLanguage = "de";

struct Language {
  std::string_view code;          // ISO 639-1, also the file name: assets/i18n/<code>.json
  std::string_view native_name;   // what the visitor looks for on the language button
  std::string_view english_name;  // for logs, config checks and docs
};

// In the order the kiosk shows them (German first, then by how often offices need them).
std::span<const Language> supported_languages();

// nullptr for a code we do not ship.
const Language* find_language(std::string_view code);

}  // namespace wm::i18n
