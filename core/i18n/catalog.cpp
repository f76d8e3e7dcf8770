// Loading and lookup of translation tables; never throws on bad files.
#include "core/i18n/catalog.hpp"

#include <algorithm>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/i18n/languages.hpp"

namespace wm::i18n {

Catalog Catalog::load_dir(const std::filesystem::path& dir, std::vector<LoadError>& errors) {
  Catalog c;
  // <dir>/<lang>.json holds the common keys; each part (kiosk, counter, display, ...) keeps
  // its own keys in <dir>/<part>/<lang>.json, merged in, so parts never edit one file.
  std::vector<std::filesystem::path> parts;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_directory()) parts.push_back(entry.path());
  std::sort(parts.begin(), parts.end());
  for (const auto& lang : supported_languages()) {
    auto file = dir / (std::string(lang.code) + ".json");
    auto errs = c.load_file(lang.code, file);
    errors.insert(errors.end(), errs.begin(), errs.end());
    for (const auto& part : parts) {
      auto part_file = part / (std::string(lang.code) + ".json");
      if (!std::filesystem::exists(part_file)) {
        errors.push_back(LoadError{part_file.string(), "missing (part " + part.filename().string() + ")"});
        continue;
      }
      Catalog extra;
      auto perrs = extra.load_file(lang.code, part_file);
      errors.insert(errors.end(), perrs.begin(), perrs.end());
      if (const Table* t = extra.table(lang.code))
        for (const auto& [k, v] : *t) c.set(lang.code, k, v);
    }
  }
  return c;
}

std::vector<LoadError> Catalog::load_file(std::string_view lang,
                                          const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {LoadError{file.string(), "cannot open file"}};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return {LoadError{file.string(), "read error"}};
  return load_json(lang, text.str(), file.string());
}

std::vector<LoadError> Catalog::load_json(std::string_view lang, std::string_view json,
                                          std::string_view origin) {
  std::vector<LoadError> errors;
  auto fail = [&](std::string reason) { errors.push_back({std::string(origin), std::move(reason)}); };

  // Parse without exceptions: a broken file is an expected operational event.
  auto doc = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded()) {
    // Re-parse with exceptions only to get the position and cause for the message.
    try {
      auto unexpected_ok = nlohmann::json::parse(json.begin(), json.end());
      (void)unexpected_ok;
      fail("invalid JSON");
    } catch (const nlohmann::json::exception& e) {
      fail(std::string("invalid JSON: ") + e.what());
    }
    return errors;
  }
  if (!doc.is_object()) {
    fail("top level must be an object of \"key\": \"text\" pairs");
    return errors;
  }
  Table table;
  for (const auto& [key, value] : doc.items()) {
    if (!valid_key(key)) {
      fail("bad key \"" + key + "\" (expected lowercase dotted name like \"common.back\")");
      continue;
    }
    if (!value.is_string()) {
      fail("value of \"" + key + "\" must be a string, is " + value.type_name());
      continue;
    }
    table.emplace(key, value.get<std::string>());
  }
  tables_[std::string(lang)] = std::move(table);
  return errors;
}

void Catalog::set(std::string_view lang, std::string_view key, std::string value) {
  tables_[std::string(lang)].insert_or_assign(std::string(key), std::move(value));
}

const Catalog::Table* Catalog::table(std::string_view lang) const {
  auto it = tables_.find(lang);
  return it == tables_.end() ? nullptr : &it->second;
}

std::optional<std::string_view> Catalog::find(std::string_view lang, std::string_view key) const {
  const Table* t = table(lang);
  if (!t) return std::nullopt;
  auto it = t->find(key);
  if (it == t->end()) return std::nullopt;
  return std::string_view(it->second);
}

std::string_view Catalog::lookup(std::string_view lang, std::string_view key) const {
  // An empty translation counts as missing: a blank button is worse than German.
  if (auto v = find(lang, key); v && !v->empty()) return *v;
  if (auto v = find(kSourceLanguage, key); v && !v->empty()) return *v;
  return key;
}

std::string Catalog::translate(std::string_view lang, std::string_view key,
                               const Args& args) const {
  return format(lookup(lang, key), args);
}

bool Catalog::has_language(std::string_view lang) const { return table(lang) != nullptr; }

std::vector<std::string> Catalog::languages() const {
  std::vector<std::string> out;
  for (const auto& [lang, _] : tables_) out.push_back(lang);
  return out;
}

std::vector<std::string> Catalog::keys(std::string_view lang) const {
  std::vector<std::string> out;
  if (const Table* t = table(lang)) {
    for (const auto& [k, _] : *t) out.push_back(k);
  }
  return out;
}

bool Catalog::valid_key(std::string_view key) {
  if (key.empty() || key.front() == '.' || key.back() == '.') return false;
  int dots = 0;
  char prev = 0;
  for (char c : key) {
    if (c == '.') {
      if (prev == '.') return false;
      ++dots;
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
    prev = c;
  }
  return dots >= 1;
}

}  // namespace wm::i18n
