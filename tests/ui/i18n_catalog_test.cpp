// Translation catalog: shipped files complete and consistent, fallback, formatting, bad files.
#define BOOST_TEST_MODULE i18n_catalog
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/i18n/catalog.hpp"
#include "core/i18n/dates.hpp"
#include "core/i18n/languages.hpp"

namespace fs = std::filesystem;
using namespace wm::i18n;

namespace {

const fs::path kI18nDir = fs::path(WM_SOURCE_DIR) / "assets" / "i18n";

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("wm-i18n-" + std::to_string(std::random_device{}()));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return path / name;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(languages_have_native_names_german_first) {
  auto langs = supported_languages();
  BOOST_REQUIRE_EQUAL(langs.size(), 7u);
  BOOST_TEST(langs[0].code == "de");
  const std::pair<const char*, const char*> expected[] = {
      {"de", "Deutsch"}, {"en", "English"}, {"pl", "Polski"}, {"cs", "Čeština"},
      {"uk", "Українська"}, {"ru", "Русский"}, {"tr", "Türkçe"}};
  for (auto [code, name] : expected) {
    const Language* l = find_language(code);
    BOOST_REQUIRE_MESSAGE(l, code);
    BOOST_TEST(l->native_name == name);
  }
  BOOST_TEST(find_language("ar") == nullptr);
}

BOOST_AUTO_TEST_CASE(shipped_files_load_cleanly_and_match_german) {
  std::vector<LoadError> errors;
  Catalog c = Catalog::load_dir(kI18nDir, errors);
  for (const auto& e : errors) BOOST_ERROR(e.to_string());
  const auto de_keys = c.keys("de");
  BOOST_TEST(de_keys.size() >= 20u);
  for (const auto& lang : supported_languages()) {
    BOOST_TEST_CONTEXT("language " << lang.code) {
      BOOST_TEST(c.has_language(lang.code));
      auto keys = c.keys(lang.code);
      BOOST_TEST(keys == de_keys, "keys differ from de.json");
      for (const auto& k : de_keys) {
        auto v = c.find(lang.code, k);
        BOOST_TEST_CONTEXT("key " << k) {
          BOOST_REQUIRE(v.has_value());
          BOOST_TEST(!v->empty());
          BOOST_TEST(placeholders(*v) == placeholders(*c.find("de", k)),
                     "placeholders differ from German");
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(common_texts_are_the_agreed_ones) {
  std::vector<LoadError> errors;
  Catalog c = Catalog::load_dir(kI18nDir, errors);
  BOOST_TEST(c.lookup("de", "common.connection_lost") == "Verbindung wird wiederhergestellt …");
  BOOST_TEST(c.translate("de", "common.minutes", {{"n", "12"}}) == "12 Min.");
  BOOST_TEST(c.translate("uk", "common.minutes", {{"n", "5"}}) == "5 хв");
  BOOST_TEST(c.lookup("pl", "common.back") == "Wstecz");
  BOOST_TEST(c.lookup("tr", "common.high_contrast") == "Yüksek kontrast");
}

// Dates as each language writes them, one rule for every staff screen (issue 16 item 7).
BOOST_AUTO_TEST_CASE(dates_as_each_language_writes_them) {
  for (const char* lang : {"de", "pl", "uk", "ru", "tr"})
    BOOST_TEST(format_date("1964-08-02", lang) == "02.08.1964", lang);
  BOOST_TEST(format_date("1964-08-02", "cs") == "2. 8. 1964");
  BOOST_TEST(format_date("2031-10-31", "cs") == "31. 10. 2031");
  BOOST_TEST(format_date("1964-08-02", "en") == "1964-08-02");
  // Every shipped language has a form (an unknown one gets the common dd.mm.yyyy).
  for (const auto& l : supported_languages()) BOOST_TEST(!format_date("2026-11-23", l.code).empty());
  // Not an ISO date: shown as it came, never guessed at.
  for (const char* odd : {"", "1964-8-2", "640802", "1964-08-0x", "1964/08/02", "1964-08-02T10:00"})
    BOOST_TEST(format_date(odd, "de") == odd);
}

BOOST_AUTO_TEST_CASE(lookup_falls_back_to_german_then_key) {
  Catalog c;
  c.set("de", "x.only_german", "Nur Deutsch");
  c.set("de", "x.both", "Beide");
  c.set("en", "x.both", "Both");
  c.set("en", "x.empty", "");
  c.set("de", "x.empty", "Leer");
  BOOST_TEST(c.lookup("en", "x.both") == "Both");
  BOOST_TEST(c.lookup("en", "x.only_german") == "Nur Deutsch");
  BOOST_TEST(c.lookup("en", "x.empty") == "Leer");
  BOOST_TEST(c.lookup("pl", "x.both") == "Beide");  // language not loaded at all
  BOOST_TEST(c.lookup("en", "x.missing") == "x.missing");
}

BOOST_AUTO_TEST_CASE(format_replaces_named_placeholders) {
  BOOST_TEST(format("{n} Min.", {{"n", "7"}}) == "7 Min.");
  BOOST_TEST(format("{ticket} → {counter}", {{"counter", "Schalter 3"}, {"ticket", "K017"}}) ==
             "K017 → Schalter 3");
  BOOST_TEST(format("{missing} bleibt", {}) == "{missing} bleibt");
  BOOST_TEST(format("{{wörtlich}} {n}", {{"n", "1"}}) == "{wörtlich} 1");
  BOOST_TEST(format("kaputt { und } {", {}) == "kaputt { und } {");
  BOOST_TEST(placeholders("{b} {a} {b} {{c}}") == (std::vector<std::string>{"a", "b"}));
}

BOOST_AUTO_TEST_CASE(keys_must_be_namespaced) {
  BOOST_TEST(Catalog::valid_key("kiosk.touch_to_start"));
  BOOST_TEST(Catalog::valid_key("a.b.c2"));
  BOOST_TEST(!Catalog::valid_key("nodot"));
  BOOST_TEST(!Catalog::valid_key("Kiosk.Start"));
  BOOST_TEST(!Catalog::valid_key("a..b"));
  BOOST_TEST(!Catalog::valid_key(".a"));
  BOOST_TEST(!Catalog::valid_key("a.b "));
}

BOOST_AUTO_TEST_CASE(broken_files_give_file_and_reason_never_crash) {
  TempDir dir;
  Catalog c;
  auto bad_json = dir.write("pl.json", "{\"common.back\": \"Wstecz\",, }");
  auto errs = c.load_file("pl", bad_json);
  BOOST_REQUIRE_EQUAL(errs.size(), 1u);
  BOOST_TEST(errs[0].file == bad_json.string());
  BOOST_TEST(errs[0].reason.find("invalid JSON") != std::string::npos);
  BOOST_TEST(!c.has_language("pl"));

  auto array = dir.write("en.json", "[1, 2]");
  errs = c.load_file("en", array);
  BOOST_REQUIRE_EQUAL(errs.size(), 1u);
  BOOST_TEST(errs[0].reason.find("object") != std::string::npos);

  auto mixed = dir.write("cs.json", R"({"common.back": "Zpět", "common.ok": 5, "Bad Key": "x"})");
  errs = c.load_file("cs", mixed);
  BOOST_TEST(errs.size() == 2u);
  BOOST_TEST((errs[0].to_string() + errs[1].to_string()).find("\"common.ok\" must be a string") !=
             std::string::npos);
  BOOST_TEST(c.lookup("cs", "common.back") == "Zpět");  // the good entry is kept

  auto bad_utf8 = dir.write("ru.json", "{\"common.back\": \"\xff\xfe\"}");
  errs = c.load_file("ru", bad_utf8);
  BOOST_TEST(errs.size() == 1u);

  errs = c.load_file("tr", dir.path / "nope.json");
  BOOST_REQUIRE_EQUAL(errs.size(), 1u);
  BOOST_TEST(errs[0].reason == "cannot open file");
}

BOOST_AUTO_TEST_CASE(load_dir_reports_broken_language_and_falls_back) {
  TempDir dir;
  for (const auto& l : supported_languages()) {
    fs::copy_file(kI18nDir / (std::string(l.code) + ".json"),
                  dir.path / (std::string(l.code) + ".json"));
  }
  dir.write("uk.json", "{ truncated");
  std::vector<LoadError> errors;
  Catalog c = Catalog::load_dir(dir.path, errors);
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_TEST(errors[0].file.find("uk.json") != std::string::npos);
  BOOST_TEST(c.lookup("uk", "common.back") == "Zurück");
  BOOST_TEST(c.lookup("ru", "common.back") == "Назад");
}
