// Property test: generated TD1/TD2/TD3 documents round-trip, and every single-character change
// under a check digit is rejected unless the 7-3-1 weights cannot see it (counted, predicted).
#define BOOST_TEST_MODULE hw_mrz_property
#include <boost/test/unit_test.hpp>

#include <array>
#include <random>
#include <sstream>
#include <string_view>

#include "mrz_builder.hpp"
#include "wm/hw/mrz.hpp"

using namespace wm::hw;
using wm::hw::test::build_mrz;
using wm::hw::test::MrzFields;

namespace {
const Date kToday{2026, 11, 23};  // fixed: the test never reads the clock
constexpr int kDocsPerFormat = 3000;
constexpr int kMutatedPerFormat = 200;  // of those, changed in every checked position
const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
const std::string kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

int value(char c) { return c == '<' ? 0 : c <= '9' ? c - '0' : c - 'A' + 10; }
int days_in(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

struct Rng {
  std::mt19937 gen{9303};
  int below(int n) { return static_cast<int>(gen() % static_cast<unsigned>(n)); }
  bool chance(int percent) { return below(100) < percent; }
  template <class T, size_t N>
  const T& pick(const T (&a)[N]) { return a[below(N)]; }
};

// UTF-8 names; the ICAO 9303 Part 3 transliteration is Ä->AE, Ö->OE, Ü->UE, ß->SS, and blanks
// and hyphens become fillers.
const char* const kSurnames[] = {"Müller", "Schröder", "Weiß", "Jäger", "Köhler", "Strauß",
                                 "Lübke", "Bäcker", "Özdemir", "Müller-Lüdenscheidt",
                                 "von Bülow", "Groß", "Nguyen", "Kowalski", "Schmidt", "Öztürk",
                                 "Krüger", "Würfel", "Ahrens", "Schäfer-Gümbel"};
const char* const kGivenNames[] = {"Jürgen", "Jörg",  "Björn", "Käthe", "Hans-Peter", "Günther",
                                   "Ulrike", "Sören", "Bärbel", "Anna", "Maria",      "Ömer",
                                   "Grete",  "Änne",  "Ute",    "Olga", "Mykola",     "Lütfiye"};
const char* const kStates[] = {"D",   "UTO", "AUT", "POL", "CZE", "UKR", "RUS", "TUR", "SYR",
                               "AFG", "FRA", "XXA", "XXB", "XXC", "XXX", "EUE", "UNO", "GBD"};

std::string transliterate(std::string_view utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c == 0xC3 && i + 1 < utf8.size()) {
      switch (static_cast<unsigned char>(utf8[++i])) {
        case 0x84: case 0xA4: out += "AE"; break;  // Ä ä
        case 0x96: case 0xB6: out += "OE"; break;  // Ö ö
        case 0x9C: case 0xBC: out += "UE"; break;  // Ü ü
        case 0x9F: out += "SS"; break;             // ß
        default: throw std::invalid_argument("no transliteration for " + std::string(utf8));
      }
    } else if (c == ' ' || c == '-') {
      out += '<';
    } else {
      out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
  }
  return out;
}

// The filler rule the parser promises: padding dropped, inner fillers are blanks.
std::string blanks(std::string s) {
  const size_t a = s.find_first_not_of('<');
  if (a == std::string::npos) return {};
  s = s.substr(a, s.find_last_not_of('<') - a + 1);
  for (char& c : s)
    if (c == '<') c = ' ';
  return s;
}

// Letters and digits, never a filler at either end, sometimes one inside.
std::string random_value(Rng& rng, int len, bool inner_filler) {
  std::string s;
  for (int i = 0; i < len; ++i) s += kAlnum[rng.below(36)];
  if (inner_filler && len >= 3 && rng.chance(25)) s[1 + rng.below(len - 2)] = '<';
  return s;
}

// Month or day as two digits, 0 (unknown) as "<<"; a year as its last two digits.
std::string two(int v) { return v == 0 ? "<<" : std::string{char('0' + v / 10), char('0' + v % 10)}; }
std::string yy(int year) { return {char('0' + year % 100 / 10), char('0' + year % 10)}; }

struct Generated {
  MrzFields fields;
  MrzDocument expect;
};

Generated generate(Rng& rng, MrzFormat format) {
  Generated g;
  MrzFields& f = g.fields;
  MrzDocument& e = g.expect;
  f.format = e.format = format;
  const bool td1 = format == MrzFormat::td1, td3 = format == MrzFormat::td3;
  const char* const codes[] = {"I", "ID", "IR", "AC"};
  f.code = td3 ? (rng.chance(70) ? "P" : "PD") : codes[rng.below(4)];
  f.state = rng.pick(kStates);
  f.nationality = rng.pick(kStates);
  // Long numbers use the optional data: a tail of 1 .. opt_len-1 characters plus a check digit.
  const int opt_len = td1 ? 15 : td3 ? 14 : 7;
  if (rng.chance(50)) {
    const int tail = 1 + rng.below(opt_len - 1);
    f.number = random_value(rng, 9 + tail, false);
    const int room = opt_len - tail - 1 - 1;  // after the check digit and one separating filler
    if (room >= 1 && rng.chance(50)) f.optional = random_value(rng, 1 + rng.below(room), true);
  } else {
    f.number = random_value(rng, 2 + rng.below(8), true);
    if (rng.chance(60)) f.optional = random_value(rng, 1 + rng.below(opt_len), true);
  }
  if (td1 && rng.chance(50)) f.optional2 = random_value(rng, 1 + rng.below(11), true);
  f.empty_check_as_filler = rng.chance(50);
  // Birth dates over the whole century up to today (1926-11-24 .. 2026-11-23), so the same two
  // digits stand for both centuries; unknown day or month sometimes. A date with unknown parts
  // belongs to the century in which its earliest possible day is not after today.
  Date b, earliest;
  do {
    // One in ten from the two years that share their last two digits, where the century
    // decides on the day.
    b.year = rng.chance(10) ? kToday.year - 100 * rng.below(2) : kToday.year - 100 + rng.below(101);
    b.month = 1 + rng.below(12);
    b.day = 1 + rng.below(days_in(b.year, b.month));
    if (rng.chance(5)) b.day = 0;
    if (rng.chance(5)) b.month = b.day = 0;
    earliest = {b.year, b.month == 0 ? 1 : b.month, b.day == 0 ? 1 : b.day};
  } while (earliest > kToday || Date{earliest.year + 100, earliest.month, earliest.day} <= kToday);
  Date x;  // expiry anywhere in the documented window
  x.year = kToday.year - 79 + rng.below(100);
  x.month = 1 + rng.below(12);
  x.day = 1 + rng.below(days_in(x.year, x.month));
  f.birth = yy(b.year) + two(b.month) + two(b.day);
  f.expiry = yy(x.year) + two(x.month) + two(x.day);
  f.sex = "MFX<"[rng.below(4)];
  // Names: a surname and up to three given names, as many as fit the name field.
  const size_t room = td1 ? 30 : td3 ? 39 : 31;
  const std::string surname = transliterate(rng.pick(kSurnames));
  std::vector<std::string> given;
  for (int n = rng.below(4); n > 0; --n) given.push_back(transliterate(rng.pick(kGivenNames)));
  auto join = [&] {
    std::string s = surname;
    if (!given.empty()) s += "<<";
    for (size_t i = 0; i < given.size(); ++i) s += (i ? "<" : "") + given[i];
    return s;
  };
  while (join().size() > room) given.pop_back();
  f.names = join();

  e.document_code = f.code;
  e.issuing_state = f.state;
  e.nationality = f.nationality;
  e.document_number = blanks(f.number);
  e.surname = blanks(surname);
  for (const auto& n : given) e.given_names += (e.given_names.empty() ? "" : " ") + blanks(n);
  e.birth_date = b;
  e.expiry_date = x;
  e.sex = f.sex;
  e.optional_data = blanks(f.optional);
  e.optional_data_2 = td1 ? blanks(f.optional2) : "";
  e.expired = x < kToday;
  return g;
}

// First differing field, or empty.
std::string difference(const MrzDocument& got, const MrzDocument& want) {
  std::ostringstream o;
  auto cmp = [&](const char* name, const auto& a, const auto& b) {
    if (o.tellp() == 0 && !(a == b)) o << name << ": got '" << a << "', want '" << b << "'";
  };
  cmp("format", static_cast<int>(got.format), static_cast<int>(want.format));
  cmp("document_code", got.document_code, want.document_code);
  cmp("issuing_state", got.issuing_state, want.issuing_state);
  cmp("document_number", got.document_number, want.document_number);
  cmp("surname", got.surname, want.surname);
  cmp("given_names", got.given_names, want.given_names);
  cmp("nationality", got.nationality, want.nationality);
  cmp("birth_date", to_iso(got.birth_date), to_iso(want.birth_date));
  cmp("sex", got.sex, want.sex);
  cmp("expiry_date", to_iso(got.expiry_date), to_iso(want.expiry_date));
  cmp("optional_data", got.optional_data, want.optional_data);
  cmp("optional_data_2", got.optional_data_2, want.optional_data_2);
  cmp("expired", got.expired, want.expired);
  return o.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(transliteration_is_the_icao_one) {
  BOOST_TEST(transliterate("Müller-Lüdenscheidt") == "MUELLER<LUEDENSCHEIDT");
  BOOST_TEST(transliterate("Änne Strauß") == "AENNE<STRAUSS");
  BOOST_TEST(transliterate("Björn Öztürk") == "BJOERN<OEZTUERK");
}

BOOST_AUTO_TEST_CASE(generated_documents_round_trip) {
  Rng rng;
  for (auto format : {MrzFormat::td1, MrzFormat::td2, MrzFormat::td3}) {
    int ok = 0, long_numbers = 0, unknown_birth_parts = 0, before_2000 = 0, inner_fillers = 0;
    int century_ago = 0;  // born in 1926 after 23 November: "26" read as 2026 would be future
    std::string first_failure;
    for (int i = 0; i < kDocsPerFormat; ++i) {
      const Generated g = generate(rng, format);
      const auto lines = build_mrz(g.fields);
      const MrzResult r = parse_mrz(lines, kToday);
      const std::string diff = r.ok() ? difference(*r.document, g.expect) : r.message;
      if (diff.empty()) ++ok;
      else if (first_failure.empty()) first_failure = diff + " in " + lines[0] + " / " + lines[1];
      long_numbers += g.fields.number.size() > 9;
      unknown_birth_parts += g.expect.birth_date.day == 0;
      before_2000 += g.expect.birth_date.year < 2000;
      century_ago += g.expect.birth_date.year == kToday.year - 100;
      inner_fillers += g.fields.number.find('<') != std::string::npos;
    }
    BOOST_TEST_MESSAGE("format " << static_cast<int>(format) << ": " << ok << "/" << kDocsPerFormat
                                 << " round-trip; " << long_numbers << " long numbers, "
                                 << inner_fillers << " numbers with an inner filler, "
                                 << unknown_birth_parts << " births with unknown parts, "
                                 << before_2000 << " born before 2000, " << century_ago
                                 << " in " << kToday.year - 100);
    BOOST_TEST(ok == kDocsPerFormat, first_failure);
    // The generator really covers what the parser must get right.
    BOOST_TEST(long_numbers > kDocsPerFormat / 3);
    BOOST_TEST(inner_fillers > kDocsPerFormat / 20);
    BOOST_TEST(unknown_birth_parts > kDocsPerFormat / 30);
    BOOST_TEST(before_2000 > kDocsPerFormat / 2);
    BOOST_TEST(century_ago > kDocsPerFormat / 600);
  }
}

namespace {
// Where each format keeps the document number, its check position and the optional data.
struct Layout {
  int line, check, opt, opt_len;
};
Layout layout(MrzFormat f) {
  if (f == MrzFormat::td1) return {0, 14, 15, 15};
  return {1, 9, 28, f == MrzFormat::td3 ? 14 : 7};
}

// ICAO 9303's rule for the document number, written independently of the parser: does the
// number (short, or long with its tail in the optional data) satisfy its check digit?
bool number_reads(const std::vector<std::string>& lines, MrzFormat format) {
  const Layout l = layout(format);
  const std::string& s = lines[l.line];
  const std::string prefix = s.substr(l.check - 9, 9);
  if (s[l.check] != '<')
    return s[l.check] >= '0' && s[l.check] <= '9' && s[l.check] - '0' == mrz_check_digit(prefix) &&
           !blanks(prefix).empty();
  const std::string opt = s.substr(l.opt, l.opt_len);
  const std::string run = opt.substr(0, opt.find('<'));
  if (run.size() < 2 || prefix.find('<') != std::string::npos) return false;
  const char c = run.back();
  return c >= '0' && c <= '9' && c - '0' == mrz_check_digit(prefix + run.substr(0, run.size() - 1));
}

enum class Kind { date, composite, personal_check, number_or_optional };

// The check-digit-covered positions of a format (0-based line, position) and what they hold.
// The composite covers every one of them, so its weights see every change of value mod 10.
std::vector<std::tuple<int, int, Kind>> checked_positions(MrzFormat f) {
  std::vector<std::tuple<int, int, Kind>> out;
  auto add = [&](int line, int from, int to, Kind k) {
    for (int p = from; p <= to; ++p) out.emplace_back(line, p, k);
  };
  if (f == MrzFormat::td1) {
    add(0, 5, 29, Kind::number_or_optional);
    add(1, 0, 6, Kind::date);
    add(1, 8, 14, Kind::date);
    add(1, 18, 28, Kind::number_or_optional);
    add(1, 29, 29, Kind::composite);
    return out;
  }
  const int last = f == MrzFormat::td3 ? 43 : 35;
  add(1, 0, 9, Kind::number_or_optional);
  add(1, 13, 19, Kind::date);
  add(1, 21, 27, Kind::date);
  add(1, 28, f == MrzFormat::td3 ? 41 : 34, Kind::number_or_optional);
  if (f == MrzFormat::td3) add(1, 42, 42, Kind::personal_check);
  add(1, last, last, Kind::composite);
  return out;
}

// What the math predicts for a change that keeps every value mod 10 (invisible to 7-3-1).
bool predicted_accept(const std::vector<std::string>& changed, MrzFormat f, Kind kind, char to) {
  if (kind == Kind::date || kind == Kind::composite) return false;  // digits only; the
  // alternatives of equal value mod 10 to a digit are letters or '<'
  if (f == MrzFormat::td3) {
    // '<' as the personal number's check digit stands only for an empty field (value 0).
    const std::string personal = changed[1].substr(28, 14);
    const bool empty = personal.find_first_not_of('<') == std::string::npos;
    if (kind == Kind::personal_check) return empty && (to == '0' || to == '<');
    if (changed[1][42] == '<' && !empty) return false;
  }
  return number_reads(changed, f);
}
}  // namespace

BOOST_AUTO_TEST_CASE(single_character_changes_are_caught_or_predicted) {
  // Classes of equal value mod 10 in the MRZ alphabet, derived by hand: value v (0-9 digits,
  // A=10 .. Z=35, '<'=0) is invisible to a weight w in {7,3,1} exactly when w*(v'-v) = 0 mod 10,
  // and as gcd(w,10)=1 that is v' = v mod 10. Class 0 = {0 < A K U}, 1-5 = {d, +10, +20, +30},
  // 6-9 = {d, +10, +20}.
  const std::array<int, 10> kClassSize = {5, 4, 4, 4, 4, 4, 3, 3, 3, 3};
  std::array<int, 10> counted{};
  for (char c : kAlphabet) ++counted[value(c) % 10];
  BOOST_TEST(counted == kClassSize);

  Rng rng;
  for (auto format : {MrzFormat::td1, MrzFormat::td2, MrzFormat::td3}) {
    long tried = 0, visible = 0, visible_accepted = 0, invisible = 0, predicted_invisible = 0;
    long invisible_accepted = 0, predicted_accepted = 0, mispredicted = 0;
    long accepted_by_kind[4] = {};
    std::string first_problem;
    for (int i = 0; i < kMutatedPerFormat; ++i) {
      const Generated g = generate(rng, format);
      const auto lines = build_mrz(g.fields);
      BOOST_TEST_REQUIRE(parse_mrz(lines, kToday).ok());
      for (const auto& [line, pos, kind] : checked_positions(format)) {
        const char orig = lines[line][pos];
        predicted_invisible += kind == Kind::composite ? 0 : kClassSize[value(orig) % 10] - 1;
        for (char c : kAlphabet) {
          if (c == orig) continue;
          auto changed = lines;
          changed[line][pos] = c;
          const bool accepted = parse_mrz(changed, kToday).ok();
          ++tried;
          const bool same_class = value(c) % 10 == value(orig) % 10 && kind != Kind::composite;
          if (!same_class) {
            ++visible;
            if (accepted) {
              ++visible_accepted;
              if (first_problem.empty())
                first_problem = "visible change accepted: " + changed[0] + " / " + changed[1];
            }
            continue;
          }
          ++invisible;
          const bool predicted = predicted_accept(changed, format, kind, c);
          predicted_accepted += predicted;
          invisible_accepted += accepted;
          accepted_by_kind[static_cast<int>(kind)] += accepted;
          if (predicted != accepted) {
            ++mispredicted;
            if (first_problem.empty())
              first_problem = std::string(accepted ? "accepted" : "rejected") + " against the "
                              "prediction: line " + std::to_string(line + 1) + " pos " +
                              std::to_string(pos + 1) + " '" + orig + "'->'" + c + "' in " +
                              changed[0] + " / " + changed[1];
          }
        }
      }
    }
    BOOST_TEST_MESSAGE("format " << static_cast<int>(format) << ": " << tried
                                 << " single-character changes in checked positions; " << visible
                                 << " change a value mod 10 (all must fail: " << visible_accepted
                                 << " accepted); " << invisible << " keep it (predicted "
                                 << predicted_invisible << "), of which " << invisible_accepted
                                 << " are accepted (predicted " << predicted_accepted
                                 << "; number/optional " << accepted_by_kind[3]
                                 << ", empty personal number check " << accepted_by_kind[2]
                                 << ", dates " << accepted_by_kind[0] << ")");
    BOOST_TEST(visible_accepted == 0, first_problem);
    BOOST_TEST(invisible == predicted_invisible);
    BOOST_TEST(mispredicted == 0, first_problem);
    BOOST_TEST(invisible_accepted == predicted_accepted);
    BOOST_TEST(accepted_by_kind[static_cast<int>(Kind::date)] == 0);
    BOOST_TEST(accepted_by_kind[static_cast<int>(Kind::composite)] == 0);
    BOOST_TEST(tried == visible + invisible);
    BOOST_TEST(invisible_accepted > 0);  // the weights do have blind spots; they are counted
  }
}
