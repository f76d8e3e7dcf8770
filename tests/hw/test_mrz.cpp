// MRZ parser: public specimens, every detectable single-character corruption, random garbage.
#define BOOST_TEST_MODULE hw_mrz
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <random>

#include "mrz_builder.hpp"
#include "wm/hw/mrz.hpp"

using namespace wm::hw;

namespace {
const Date kToday{2024, 10, 14};
const std::vector<std::string> kGermanId = {"IDD<<T220001293<<<<<<<<<<<<<<<",
                                            "6408125<2010315D<<<<<<<<<<<<<4",
                                            "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"};
const std::vector<std::string> kIcaoTd1 = {"I<UTOD231458907<<<<<<<<<<<<<<<",
                                           "7408122F1204159UTO<<<<<<<<<<<6",
                                           "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};
const std::vector<std::string> kIcaoTd3 = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                           "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};

int value(char c) { return c == '<' ? 0 : (c <= '9' ? c - '0' : c - 'A' + 10); }

// Builds a valid TD2 document from its fields so the TD2 layout is covered too.
std::vector<std::string> make_td2() {
  std::string l1 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<";
  std::string number = "D23145890", birth = "740812", expiry = "120415";
  std::string l2 = number + std::to_string(mrz_check_digit(number)) + "UTO" + birth +
                   std::to_string(mrz_check_digit(birth)) + "F" + expiry +
                   std::to_string(mrz_check_digit(expiry)) + "<<<<<<<";
  const std::string comp = l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 14);
  l2 += std::to_string(mrz_check_digit(comp));
  return {l1, l2};
}
}  // namespace

BOOST_AUTO_TEST_CASE(check_digit_examples) {
  BOOST_TEST(mrz_check_digit("T22000129") == 3);
  BOOST_TEST(mrz_check_digit("640812") == 5);
  BOOST_TEST(mrz_check_digit("L898902C3") == 6);
  BOOST_TEST(mrz_check_digit("<<<") == 0);
  BOOST_TEST(mrz_check_digit("a") == -1);
}

BOOST_AUTO_TEST_CASE(german_id_card_specimen) {
  const MrzResult r = parse_mrz(kGermanId, kToday);
  BOOST_TEST_REQUIRE(r.ok(), r.message);
  const MrzDocument& d = *r.document;
  BOOST_TEST((d.format == MrzFormat::td1));
  BOOST_TEST(d.document_code == "ID");
  BOOST_TEST(d.issuing_state == "D");
  BOOST_TEST(d.nationality == "D");
  BOOST_TEST(d.document_number == "T22000129");
  BOOST_TEST(d.surname == "MUSTERMANN");
  BOOST_TEST(d.given_names == "ERIKA");
  BOOST_TEST(to_iso(d.birth_date) == "1964-08-12");
  BOOST_TEST(to_iso(d.expiry_date) == "2020-10-31");
  BOOST_TEST(d.sex == '<');
  BOOST_TEST(d.expired);
  BOOST_TEST(!parse_mrz(kGermanId, Date{2020, 10, 31}).document->expired);
  BOOST_TEST(parse_mrz(kGermanId, Date{2020, 11, 1}).document->expired);
}

BOOST_AUTO_TEST_CASE(icao_td1_specimen) {
  const MrzResult r = parse_mrz(kIcaoTd1, kToday);
  BOOST_TEST_REQUIRE(r.ok(), r.message);
  BOOST_TEST(r.document->document_code == "I");
  BOOST_TEST(r.document->issuing_state == "UTO");
  BOOST_TEST(r.document->document_number == "D23145890");
  BOOST_TEST(r.document->given_names == "ANNA MARIA");
  BOOST_TEST(r.document->surname == "ERIKSSON");
  BOOST_TEST(r.document->sex == 'F');
  BOOST_TEST(to_iso(r.document->birth_date) == "1974-08-12");
  BOOST_TEST(to_iso(r.document->expiry_date) == "2012-04-15");
}

BOOST_AUTO_TEST_CASE(icao_td3_specimen) {
  const MrzResult r = parse_mrz(kIcaoTd3, Date{2010, 1, 1});
  BOOST_TEST_REQUIRE(r.ok(), r.message);
  const MrzDocument& d = *r.document;
  BOOST_TEST((d.format == MrzFormat::td3));
  BOOST_TEST(d.document_code == "P");
  BOOST_TEST(d.document_number == "L898902C3");
  BOOST_TEST(d.nationality == "UTO");
  BOOST_TEST(d.optional_data == "ZE184226B");
  BOOST_TEST(!d.expired);
  BOOST_TEST(d.given_names == "ANNA MARIA");
}

BOOST_AUTO_TEST_CASE(td2_layout_and_text_input) {
  const auto td2 = make_td2();
  const MrzResult r = parse_mrz(td2, kToday);
  BOOST_TEST_REQUIRE(r.ok(), r.message);
  BOOST_TEST((r.document->format == MrzFormat::td2));
  BOOST_TEST(r.document->document_number == "D23145890");
  const MrzResult t = parse_mrz_text(" " + kGermanId[0] + "\r\n" + kGermanId[1] + "\r\n" +
                                         kGermanId[2] + "\r\n",
                                     kToday);
  BOOST_TEST(t.ok(), t.message);
}

BOOST_AUTO_TEST_CASE(structural_errors) {
  BOOST_TEST((parse_mrz({kGermanId[0]}, kToday).error == MrzError::bad_line_count));
  BOOST_TEST((parse_mrz({kGermanId[0], kGermanId[1], "SHORT"}, kToday).error ==
              MrzError::bad_line_length));
  auto lower = kGermanId;
  lower[2][0] = 'm';
  const auto r = parse_mrz(lower, kToday);
  BOOST_TEST((r.error == MrzError::bad_character));
  BOOST_TEST(r.message.find("line 3, position 1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(message_names_the_failed_check_digit) {
  auto bad = kGermanId;
  bad[1][6] = '6';  // birth date check digit 5 -> 6
  const MrzResult r = parse_mrz(bad, kToday);
  BOOST_TEST((r.error == MrzError::check_birth_date));
  BOOST_TEST(r.message == "check digit of the birth date failed (line 2, position 7: "
                          "expected 5, found '6')");
}

namespace {
// Which check protects each (line, position): the field's own check digit wins over the
// composite because the parser verifies fields first.
struct Coverage {
  MrzError field;  // check error expected for a change at this position, none if uncovered
};

std::vector<std::vector<MrzError>> coverage(const std::vector<std::string>& doc) {
  std::vector<std::vector<MrzError>> c(doc.size(),
                                       std::vector<MrzError>(doc[0].size(), MrzError::none));
  auto set = [&](int line, int from1, int to1, MrzError e) {
    for (int p = from1; p <= to1; ++p)
      if (c[line][p - 1] == MrzError::none) c[line][p - 1] = e;
  };
  if (doc.size() == 3) {
    set(0, 6, 15, MrzError::check_document_number);
    set(1, 1, 7, MrzError::check_birth_date);
    set(1, 9, 15, MrzError::check_expiry_date);
    set(0, 16, 30, MrzError::check_composite);
    set(1, 19, 30, MrzError::check_composite);
  } else {
    set(1, 1, 10, MrzError::check_document_number);
    set(1, 14, 20, MrzError::check_birth_date);
    set(1, 22, 28, MrzError::check_expiry_date);
    set(1, 29, 43, MrzError::check_personal_number);
    set(1, 44, 44, MrzError::check_composite);
  }
  return c;
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_single_character_corruption_is_rejected) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
  int rejected = 0, inherent = 0;
  for (const auto* spec : {&kGermanId, &kIcaoTd1, &kIcaoTd3}) {
    const auto cov = coverage(*spec);
    for (size_t line = 0; line < spec->size(); ++line) {
      for (size_t pos = 0; pos < (*spec)[line].size(); ++pos) {
        const MrzError expected = cov[line][pos];
        if (expected == MrzError::none) continue;  // names, sex, nationality: no check digit
        for (char c : alphabet) {
          const char orig = (*spec)[line][pos];
          if (c == orig) continue;
          auto bad = *spec;
          bad[line][pos] = c;
          const MrzResult r = parse_mrz(bad, Date{2010, 1, 1});
          const bool is_check_digit_pos =
              (spec->size() == 3 && ((line == 0 && pos == 14) || (line == 1 && (pos == 6 || pos == 14 || pos == 29)))) ||
              (spec->size() == 2 && line == 1 && (pos == 9 || pos == 19 || pos == 27 || pos == 42 || pos == 43));
          // The 7-3-1 scheme cannot see a change by a multiple of 10 (e.g. '2' <-> 'M'); such a
          // change in a date still fails as a non-date, in a document number it is undetectable.
          if (!is_check_digit_pos && (value(c) - value(orig)) % 10 == 0) {
            ++inherent;
            continue;
          }
          BOOST_TEST_CONTEXT("line " << line + 1 << " pos " << pos + 1 << " '" << orig
                                     << "' -> '" << c << "'") {
            BOOST_TEST(!r.ok());
            BOOST_TEST(to_string(r.error) == to_string(expected));
          }
          ++rejected;
        }
      }
    }
  }
  BOOST_TEST(rejected > 3000);
  BOOST_TEST_MESSAGE("rejected " << rejected << " corruptions; " << inherent
                                 << " are invisible to ICAO check digits by design");
}

BOOST_AUTO_TEST_CASE(uncovered_fields_are_still_validated) {
  auto bad = kIcaoTd1;
  bad[1][7] = 'Q';  // sex
  BOOST_TEST((parse_mrz(bad, kToday).error == MrzError::bad_sex));
  bad = kIcaoTd1;
  bad[1][15] = '7';  // nationality digit
  BOOST_TEST((parse_mrz(bad, kToday).error == MrzError::bad_character));
  bad = kIcaoTd1;
  bad[2][3] = '4';  // digit in a name
  BOOST_TEST((parse_mrz(bad, kToday).error == MrzError::bad_character));
}

BOOST_AUTO_TEST_CASE(random_garbage_never_crashes) {
  std::mt19937 rng(20241014);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<\r\n \x01\xff";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  int runs = 0, accepted = 0;
  while (std::chrono::steady_clock::now() < deadline && runs < 200000) {
    std::vector<std::string> lines;
    const int shape = rng() % 4;
    const int nlines = shape == 0 ? 3 : shape == 1 ? 2 : 1 + rng() % 4;
    const int len = shape == 0 ? 30 : shape == 1 ? (rng() % 2 ? 44 : 36) : rng() % 50;
    for (int l = 0; l < nlines; ++l) {
      std::string s;
      for (int i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
      lines.push_back(s);
    }
    // Half of the runs mutate a valid document, which reaches the deep checks.
    if (rng() % 2) {
      lines = rng() % 2 ? kGermanId : kIcaoTd3;
      for (int k = 0, n = 1 + rng() % 3; k < n; ++k)
        lines[rng() % lines.size()][rng() % lines[0].size()] = alphabet[rng() % 38];
    }
    const MrzResult r = parse_mrz(lines, kToday);
    if (r.ok()) ++accepted;
    else BOOST_TEST_REQUIRE(!r.message.empty());
    ++runs;
  }
  BOOST_TEST(runs > 1000);
  BOOST_TEST_MESSAGE(runs << " random inputs, " << accepted << " accepted");
}

// ---- Issue 21: what an outside comparison found, one case each. ----
namespace {
using wm::hw::test::build_mrz;
using wm::hw::test::MrzFields;
const Date kNov2026{2026, 11, 23};

MrzFields fields(MrzFormat f) {
  MrzFields x;
  x.format = f;
  x.code = f == MrzFormat::td3 ? "P" : "I";
  x.expiry = "300415";
  return x;
}
MrzResult parse(const MrzFields& f) { return parse_mrz(build_mrz(f), kNov2026); }
}  // namespace

BOOST_AUTO_TEST_CASE(long_document_numbers_in_every_format) {
  for (auto format : {MrzFormat::td1, MrzFormat::td2, MrzFormat::td3}) {
    BOOST_TEST_CONTEXT("format " << static_cast<int>(format)) {
      auto f = fields(format);
      f.number = "D231458907AB";  // 12 characters: 9 + "7AB" + check digit in the optional data
      f.optional = format == MrzFormat::td2 ? "X" : "XY12";
      const auto lines = build_mrz(f);
      const MrzResult r = parse_mrz(lines, kNov2026);
      BOOST_TEST_REQUIRE(r.ok(), r.message);
      BOOST_TEST(r.document->document_number == "D231458907AB");
      BOOST_TEST(r.document->optional_data == f.optional);
      // A wrong check digit after the tail is reported where it stands.
      auto bad = lines;
      const size_t row = format == MrzFormat::td1 ? 0 : 1;
      const size_t at = (format == MrzFormat::td1 ? 15 : 28) + 3;
      bad[row][at] = bad[row][at] == '9' ? '0' : static_cast<char>(bad[row][at] + 1);
      const MrzResult b = parse_mrz(bad, kNov2026);
      BOOST_TEST((b.error == MrzError::check_document_number));
      BOOST_TEST(b.message.find("position " + std::to_string(at + 1)) != std::string::npos,
                 b.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(long_number_layout_errors_are_named) {
  auto f = fields(MrzFormat::td2);
  f.number = "D231458907";  // tail "7" + check digit
  auto lines = build_mrz(f);
  BOOST_TEST_REQUIRE(parse_mrz(lines, kNov2026).ok());
  lines[1][29] = '<';  // the tail is now a lone character: no room for its check digit
  const MrzResult r = parse_mrz(lines, kNov2026);
  BOOST_TEST((r.error == MrzError::bad_document_number));
  BOOST_TEST(r.message.find("continuation") != std::string::npos, r.message);
  f.number = "<<<<<<<<<";  // no number at all
  BOOST_TEST((parse(f).error == MrzError::bad_document_number));
}

BOOST_AUTO_TEST_CASE(impossible_dates_are_rejected) {
  auto f = fields(MrzFormat::td3);
  const std::pair<const char*, const char*> bad_expiry[] = {
      {"290000", "month 00"}, {"290100", "day 00"}, {"290230", "has no day 30"},
      {"270229", "has no day 29"}, {"291301", "month 13"}, {"2904<<", "unknown day"}};
  for (auto [date, why] : bad_expiry) {
    f.expiry = date;
    const MrzResult r = parse(f);
    BOOST_TEST((r.error == MrzError::bad_expiry_date), date << ": " << r.message);
    BOOST_TEST(r.message.find(why) != std::string::npos, r.message);
  }
  f.expiry = "280229";  // 2028 is a leap year
  BOOST_TEST(parse(f).ok());
  f = fields(MrzFormat::td1);
  for (const char* date : {"640800", "640012", "6400<<", "64<<12", "641232", "1<0812"}) {
    f.birth = date;
    BOOST_TEST((parse(f).error == MrzError::bad_birth_date), date);
  }
  f.birth = "6408<<";  // unknown day: documented by ICAO as "<<"
  BOOST_TEST(to_iso(parse(f).document->birth_date) == "1964-08-00");
  f.birth = "64<<<<";
  BOOST_TEST(to_iso(parse(f).document->birth_date) == "1964-00-00");
}

BOOST_AUTO_TEST_CASE(birth_dates_are_never_in_the_future) {
  auto f = fields(MrzFormat::td1);
  const std::pair<const char*, const char*> cases[] = {
      {"261215", "1926-12-15"}, {"261123", "2026-11-23"}, {"261124", "1926-11-24"},
      {"26<<<<", "2026-00-00"}, {"270101", "1927-01-01"}, {"000229", "2000-02-29"},
      {"991231", "1999-12-31"}};
  for (auto [date, iso] : cases) {
    f.birth = date;
    const MrzResult r = parse(f);
    BOOST_TEST_REQUIRE(r.ok(), date << ": " << r.message);
    BOOST_TEST(to_iso(r.document->birth_date) == iso);
  }
}

BOOST_AUTO_TEST_CASE(expiry_window_is_today_minus_79_to_plus_20_years) {
  auto f = fields(MrzFormat::td2);
  const std::pair<const char*, const char*> cases[] = {
      {"461231", "2046-12-31"}, {"470101", "1947-01-01"}, {"261122", "2026-11-22"},
      {"000101", "2000-01-01"}};
  for (auto [date, iso] : cases) {
    f.expiry = date;
    const MrzResult r = parse(f);
    BOOST_TEST_REQUIRE(r.ok(), date << ": " << r.message);
    BOOST_TEST(to_iso(r.document->expiry_date) == iso);
  }
  f.expiry = "261122";
  BOOST_TEST(parse(f).document->expired);
  f.expiry = "261123";
  BOOST_TEST(!parse(f).document->expired);
}

BOOST_AUTO_TEST_CASE(inner_fillers_are_blanks_in_every_format) {
  for (auto format : {MrzFormat::td1, MrzFormat::td2, MrzFormat::td3}) {
    auto f = fields(format);
    f.number = "AB<<12";
    f.optional = "X<Y";
    f.optional2 = "<Q<<R";
    const MrzResult r = parse(f);
    BOOST_TEST_REQUIRE(r.ok(), r.message);
    BOOST_TEST(r.document->document_number == "AB  12");
    BOOST_TEST(r.document->optional_data == "X Y");
    BOOST_TEST(r.document->optional_data_2 == (format == MrzFormat::td1 ? "Q  R" : ""));
  }
}

BOOST_AUTO_TEST_CASE(country_codes_come_from_the_icao_list) {
  for (const char* code : {"D", "UTO", "AUT", "UKR", "EUE", "UNO", "UNA", "UNK", "XXA", "XXB",
                           "XXC", "XXX", "XOM", "XPO", "XES", "XCC", "XBA", "XIM", "XDC", "XCO",
                           "XEC", "XCE", "GBD", "GBN", "GBO", "GBP", "GBS", "RKS"})
    BOOST_TEST(is_icao_country_code(code), code);
  for (const char* code : {"DEU", "ABC", "ZZZ", "", "UT"})
    BOOST_TEST(!is_icao_country_code(code), code);
  for (auto format : {MrzFormat::td1, MrzFormat::td2, MrzFormat::td3}) {
    auto f = fields(format);
    f.nationality = "DEU";  // ICAO writes Germany as D
    MrzResult r = parse(f);
    BOOST_TEST((r.error == MrzError::bad_country_code));
    BOOST_TEST(r.message.find("nationality 'DEU'") != std::string::npos, r.message);
    f = fields(format);
    f.state = "UTA";
    r = parse(f);
    BOOST_TEST((r.error == MrzError::bad_country_code));
    BOOST_TEST(r.message.find("issuing state 'UTA'") != std::string::npos, r.message);
    BOOST_TEST(to_string(r.error) == "bad_country_code");
  }
}
