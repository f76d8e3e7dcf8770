// Translation catalog: flat "area.key" → UTF-8 string tables per language, with German fallback.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n/format.hpp"

namespace wm::i18n {

// A file that could not be (fully) used. The kiosk keeps running on the fallback, and the
// operator reads exactly which file and why in the log.
struct LoadError {
  std::string file;
  std::string reason;
  std::string to_string() const { return file + ": " + reason; }
};

class Catalog {
 public:
  Catalog() = default;

  // Loads <dir>/<code>.json for every supported language. A missing or broken file is
  // reported in the result and that language falls back to German (then to the key).
  static Catalog load_dir(const std::filesystem::path& dir, std::vector<LoadError>& errors);

  // Loads one file into `lang`, replacing what was there. Entries with a bad key or a
  // non-string value are skipped and reported; a file that is not a JSON object is rejected
  // whole. Returns the problems found (empty = clean).
  std::vector<LoadError> load_file(std::string_view lang, const std::filesystem::path& file);

  // Same from memory; `origin` names the source in errors.
  std::vector<LoadError> load_json(std::string_view lang, std::string_view json,
                                   std::string_view origin);

  void set(std::string_view lang, std::string_view key, std::string value);

  // The text for key in lang, else in German, else the key itself (so a missing key is
  // visible on screen and in screenshots instead of a blank button).
  std::string_view lookup(std::string_view lang, std::string_view key) const;
  std::string translate(std::string_view lang, std::string_view key, const Args& args) const;

  // Only the language's own table, no fallback (for completeness checks).
  std::optional<std::string_view> find(std::string_view lang, std::string_view key) const;
  bool has_language(std::string_view lang) const;
  std::vector<std::string> languages() const;
  std::vector<std::string> keys(std::string_view lang) const;

  // "kiosk.touch_to_start": lowercase segments of [a-z0-9_] joined by dots, at least two.
  static bool valid_key(std::string_view key);

 private:
  using Table = std::map<std::string, std::string, std::less<>>;
  const Table* table(std::string_view lang) const;
  std::map<std::string, Table, std::less<>> tables_;
};

// A catalog bound to one language: what a screen holds to say tr("common.back").
class Translator {
 public:
  Translator(const Catalog& catalog, std::string lang) : catalog_(&catalog), lang_(std::move(lang)) {}
  std::string_view operator()(std::string_view key) const { return catalog_->lookup(lang_, key); }
  std::string operator()(std::string_view key, const Args& args) const {
    return catalog_->translate(lang_, key, args);
  }
  const std::string& lang() const { return lang_; }
  const Catalog& catalog() const { return *catalog_; }

 private:
  const Catalog* catalog_;
  std::string lang_;
};

}  // namespace wm::i18n
