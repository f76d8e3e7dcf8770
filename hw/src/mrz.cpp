// ICAO 9303 MRZ parsing: layout detection, check digits, dates, names.
#include "wm/hw/mrz.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "mrz_country_codes.hpp"

namespace wm::hw {
namespace {

static_assert(std::is_sorted(icao::kIsoAlpha3.begin(), icao::kIsoAlpha3.end()));
static_assert(std::is_sorted(icao::kSpecial.begin(), icao::kSpecial.end()));

bool is_mrz_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The one filler rule for values (see MrzDocument): padding dropped, inner fillers -> spaces.
std::string value_of(std::string_view s) {
  const size_t first = s.find_first_not_of('<');
  if (first == std::string_view::npos) return {};
  const size_t last = s.find_last_not_of('<');
  std::string out(s.substr(first, last - first + 1));
  for (char& c : out)
    if (c == '<') c = ' ';
  return out;
}

// Names: the value rule, then runs of blanks collapse ("ANNA<MARIA<<<" -> "ANNA MARIA").
std::string name_of(std::string_view s) {
  std::string out;
  for (char c : value_of(s)) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return days[m - 1];
}

// A field covered by a check digit.
struct Checked {
  std::string_view name;
  MrzError error;
  std::string data;  // the characters the check digit is computed over
  int line;          // 0-based line of the check digit
  int pos;           // 0-based position of the check digit
};

// Where a format keeps its document number, the number's check digit and the optional data
// that takes over the rest of a long number (all 0-based).
struct NumberLayout {
  int line;
  int number_pos;  // 9 characters
  int check_pos;
  int opt_pos;
  int opt_len;
};

class Parser {
 public:
  Parser(std::vector<std::string> lines, const Date& today)
      : lines_(std::move(lines)), today_(today) {}

  MrzResult run();

 private:
  static MrzResult fail(MrzError e, std::string msg) {
    MrzResult r;
    r.error = e;
    r.message = std::move(msg);
    return r;
  }
  std::string_view field(int line, int pos1, int len) const {
    return std::string_view(lines_[line]).substr(pos1 - 1, len);
  }
  std::optional<MrzResult> verify(const Checked& c) const;
  std::optional<MrzResult> parse_number(const NumberLayout& l, std::vector<Checked>& checks,
                                        std::string& number, std::string& rest_of_opt) const;
  std::optional<MrzResult> parse_date(std::string_view yymmdd, bool birth, Date& out) const;
  void parse_names(std::string_view s, MrzDocument& doc) const;

  std::vector<std::string> lines_;
  Date today_;
};

std::optional<MrzResult> Parser::verify(const Checked& c) const {
  const char found = lines_[c.line][c.pos];
  const int expected = mrz_check_digit(c.data);
  // '<' as check digit is only allowed for an entirely empty optional field (value 0).
  const bool ok = (is_digit(found) && found - '0' == expected) ||
                  (found == '<' && expected == 0 &&
                   c.data.find_first_not_of('<') == std::string::npos);
  if (ok) return std::nullopt;
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "check digit of the %.*s failed (line %d, position %d: expected %d, found '%c')",
                static_cast<int>(c.name.size()), c.name.data(), c.line + 1, c.pos + 1, expected,
                found);
  return fail(c.error, buf);
}

// ICAO 9303 Parts 5 and 6 (TD1, TD2), and TD3 read the same way: a number longer than 9
// characters puts its first 9 in the number field, '<' in the check digit position, and
// continues at the start of the optional data, followed by the check digit over the whole
// number and a filler. Queues the number's check and returns the optional data left over.
std::optional<MrzResult> Parser::parse_number(const NumberLayout& l, std::vector<Checked>& checks,
                                              std::string& number,
                                              std::string& rest_of_opt) const {
  const std::string& line = lines_[l.line];
  number = line.substr(l.number_pos, 9);
  rest_of_opt = line.substr(l.opt_pos, l.opt_len);
  int check_pos = l.check_pos;
  if (line[l.check_pos] == '<' && rest_of_opt[0] != '<') {
    const size_t run = std::min(rest_of_opt.find('<'), rest_of_opt.size());
    const std::string where = " (line " + std::to_string(l.line + 1) + ", position " +
                              std::to_string(l.opt_pos + 1) + ")";
    if (run < 2)
      return fail(MrzError::bad_document_number,
                  "long document number: its continuation needs at least one character and a "
                  "check digit" + where);
    if (number.find('<') != std::string::npos)
      return fail(MrzError::bad_document_number,
                  "long document number: the first 9 characters hold no filler" + where);
    number += rest_of_opt.substr(0, run - 1);
    check_pos = l.opt_pos + static_cast<int>(run) - 1;
    rest_of_opt.erase(0, run);
  }
  checks.push_back({"document number", MrzError::check_document_number, number, l.line,
                    check_pos});
  return std::nullopt;
}

std::optional<MrzResult> Parser::parse_date(std::string_view s, bool birth, Date& out) const {
  const MrzError err = birth ? MrzError::bad_birth_date : MrzError::bad_expiry_date;
  const std::string what = birth ? "birth date" : "expiry date";
  const std::string quoted = " (" + std::string(s) + ")";
  if (!is_digit(s[0]) || !is_digit(s[1])) return fail(err, what + " has no valid year" + quoted);
  const int yy = (s[0] - '0') * 10 + (s[1] - '0');
  // Month and day: two digits, or "<<" (unknown; ICAO 9303 Part 3, birth dates only).
  auto part = [&](size_t i, const char* name, int max, int& v) -> std::optional<MrzResult> {
    if (s[i] == '<' && s[i + 1] == '<') {
      if (!birth) return fail(err, what + " has an unknown " + name + quoted);
      v = 0;
      return std::nullopt;
    }
    if (!is_digit(s[i]) || !is_digit(s[i + 1]))
      return fail(err, what + " has no valid " + name + quoted);
    v = (s[i] - '0') * 10 + (s[i + 1] - '0');
    if (v < 1 || v > max)
      return fail(err, what + ": " + name + " " + std::string(s.substr(i, 2)) +
                           " does not exist (unknown is written <<)" + quoted);
    return std::nullopt;
  };
  int month = 0, day = 0;
  if (auto r = part(2, "month", 12, month)) return r;
  if (auto r = part(4, "day", 31, day)) return r;
  if (month == 0 && day != 0) return fail(err, what + ": a day without its month" + quoted);
  int year;
  if (birth) {
    // The latest year ending in yy whose earliest possible date is not after today.
    year = today_.year - ((today_.year % 100 - yy + 100) % 100);
    if (Date{year, month == 0 ? 1 : month, day == 0 ? 1 : day} > today_) year -= 100;
  } else {
    const int from = today_.year + kExpiryYearsAhead - 99;
    year = from + ((yy - from % 100 + 100) % 100);
  }
  if (day > 0 && day > days_in_month(year, month))
    return fail(err, what + ": " + std::to_string(year) + "-" + std::string(s.substr(2, 2)) +
                         " has no day " + std::string(s.substr(4, 2)) + quoted);
  out = Date{year, month, day};
  return std::nullopt;
}

void Parser::parse_names(std::string_view s, MrzDocument& doc) const {
  const size_t sep = s.find("<<");
  if (sep == std::string_view::npos) {
    doc.surname = name_of(s);
    return;
  }
  doc.surname = name_of(s.substr(0, sep));
  doc.given_names = name_of(s.substr(sep + 2));
}

MrzResult Parser::run() {
  for (auto& l : lines_) {
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\n')) l.pop_back();
    while (!l.empty() && (l.front() == ' ' || l.front() == '\r')) l.erase(0, 1);
  }
  while (!lines_.empty() && lines_.back().empty()) lines_.pop_back();
  while (!lines_.empty() && lines_.front().empty()) lines_.erase(lines_.begin());

  if (lines_.size() != 2 && lines_.size() != 3)
    return fail(MrzError::bad_line_count,
                "expected 2 or 3 MRZ lines, got " + std::to_string(lines_.size()));
  MrzFormat format;
  const size_t len = lines_[0].size();
  for (const auto& l : lines_)
    if (l.size() != len)
      return fail(MrzError::bad_line_length, "MRZ lines differ in length (" +
                                                 std::to_string(len) + " vs " +
                                                 std::to_string(l.size()) + ")");
  if (lines_.size() == 3 && len == 30)
    format = MrzFormat::td1;
  else if (lines_.size() == 2 && len == 36)
    format = MrzFormat::td2;
  else if (lines_.size() == 2 && len == 44)
    format = MrzFormat::td3;
  else
    return fail(MrzError::bad_line_length, std::to_string(lines_.size()) + " lines of " +
                                               std::to_string(len) +
                                               " characters are no ICAO layout (3x30, 2x36, 2x44)");
  for (size_t li = 0; li < lines_.size(); ++li)
    for (size_t p = 0; p < lines_[li].size(); ++p)
      if (!is_mrz_char(lines_[li][p]))
        return fail(MrzError::bad_character, "invalid character at line " + std::to_string(li + 1) +
                                                 ", position " + std::to_string(p + 1));

  MrzDocument doc;
  doc.format = format;
  doc.lines = lines_;
  std::vector<Checked> checks;
  std::string_view birth, expiry, sex, nationality, names;
  std::string number, opt;
  doc.document_code = value_of(field(0, 1, 2));
  doc.issuing_state = value_of(field(0, 3, 3));

  if (format == MrzFormat::td1) {
    const std::string& l1 = lines_[0];
    const std::string& l2 = lines_[1];
    if (auto r = parse_number({0, 5, 14, 15, 15}, checks, number, opt)) return *r;
    birth = field(1, 1, 6);
    checks.push_back({"birth date", MrzError::check_birth_date, std::string(birth), 1, 6});
    sex = field(1, 8, 1);
    expiry = field(1, 9, 6);
    checks.push_back({"expiry date", MrzError::check_expiry_date, std::string(expiry), 1, 14});
    nationality = field(1, 16, 3);
    const std::string composite = l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) +
                                  l2.substr(18, 11);
    checks.push_back({"composite", MrzError::check_composite, composite, 1, 29});
    doc.optional_data_2 = value_of(field(1, 19, 11));
    names = lines_[2];
  } else {
    const std::string& l2 = lines_[1];
    names = std::string_view(lines_[0]).substr(5);
    const bool td3 = format == MrzFormat::td3;
    if (auto r = parse_number({1, 0, 9, 28, td3 ? 14 : 7}, checks, number, opt)) return *r;
    nationality = field(1, 11, 3);
    birth = field(1, 14, 6);
    checks.push_back({"birth date", MrzError::check_birth_date, std::string(birth), 1, 19});
    sex = field(1, 21, 1);
    expiry = field(1, 22, 6);
    checks.push_back({"expiry date", MrzError::check_expiry_date, std::string(expiry), 1, 27});
    if (td3) {
      // The personal number's check digit covers the whole field, a long number's tail too.
      checks.push_back({"personal number", MrzError::check_personal_number,
                        std::string(field(1, 29, 14)), 1, 42});
      const std::string composite = l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 22);
      checks.push_back({"composite", MrzError::check_composite, composite, 1, 43});
    } else {
      const std::string composite = l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 14);
      checks.push_back({"composite", MrzError::check_composite, composite, 1, 35});
    }
  }
  doc.optional_data = value_of(opt);

  for (const auto& c : checks)
    if (auto r = verify(c)) return *r;

  doc.document_number = value_of(number);
  if (doc.document_number.empty())
    return fail(MrzError::bad_document_number, "the document number is empty");
  if (auto r = parse_date(birth, true, doc.birth_date)) return *r;
  if (auto r = parse_date(expiry, false, doc.expiry_date)) return *r;
  if (sex[0] != 'M' && sex[0] != 'F' && sex[0] != 'X' && sex[0] != '<')
    return fail(MrzError::bad_sex, std::string("sex must be M, F, X or <, found '") + sex[0] + "'");
  doc.sex = sex[0];
  auto letters_only = [](std::string_view s) {
    for (char c : s)
      if (!(c >= 'A' && c <= 'Z') && c != '<') return false;
    return true;
  };
  if (!letters_only(field(0, 1, 2)) || !letters_only(field(0, 3, 3)) ||
      !letters_only(nationality))
    return fail(MrzError::bad_character,
                "document code, issuing state and nationality must be letters or <");
  if (!letters_only(names))
    return fail(MrzError::bad_character, "the name field contains digits");
  doc.nationality = value_of(nationality);
  if (!is_icao_country_code(doc.issuing_state))
    return fail(MrzError::bad_country_code, "issuing state '" + std::string(field(0, 3, 3)) +
                                                "' is no ICAO 9303 code (line 1, position 3)");
  if (!is_icao_country_code(doc.nationality))
    return fail(MrzError::bad_country_code,
                "nationality '" + std::string(nationality) + "' is no ICAO 9303 code (line 2, position " +
                    std::to_string(format == MrzFormat::td1 ? 16 : 11) + ")");
  parse_names(names, doc);
  doc.expired = doc.expiry_date < today_;
  MrzResult r;
  r.document = std::move(doc);
  return r;
}

}  // namespace

std::string_view to_string(MrzError e) {
  switch (e) {
    case MrzError::none: return "ok";
    case MrzError::bad_line_count: return "bad_line_count";
    case MrzError::bad_line_length: return "bad_line_length";
    case MrzError::bad_character: return "bad_character";
    case MrzError::check_document_number: return "check_document_number";
    case MrzError::check_birth_date: return "check_birth_date";
    case MrzError::check_expiry_date: return "check_expiry_date";
    case MrzError::check_personal_number: return "check_personal_number";
    case MrzError::check_composite: return "check_composite";
    case MrzError::bad_birth_date: return "bad_birth_date";
    case MrzError::bad_expiry_date: return "bad_expiry_date";
    case MrzError::bad_sex: return "bad_sex";
    case MrzError::bad_document_number: return "bad_document_number";
    case MrzError::bad_country_code: return "bad_country_code";
  }
  return "unknown";
}

std::string to_iso(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year % 10000, d.month % 100, d.day % 100);
  return buf;
}

bool is_icao_country_code(std::string_view code) {
  return std::binary_search(icao::kIsoAlpha3.begin(), icao::kIsoAlpha3.end(), code) ||
         std::binary_search(icao::kSpecial.begin(), icao::kSpecial.end(), code);
}

int mrz_check_digit(std::string_view field) {
  static const int weights[] = {7, 3, 1};
  int sum = 0;
  for (size_t i = 0; i < field.size(); ++i) {
    const char c = field[i];
    int v;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (c >= 'A' && c <= 'Z')
      v = c - 'A' + 10;
    else if (c == '<')
      v = 0;
    else
      return -1;
    sum += v * weights[i % 3];
  }
  return sum % 10;
}

MrzResult parse_mrz(const std::vector<std::string>& lines, const Date& today) {
  return Parser(lines, today).run();
}

MrzResult parse_mrz_text(std::string_view text, const Date& today) {
  std::vector<std::string> lines;
  std::string cur;
  for (char c : text) {
    if (c == '\n') {
      lines.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  lines.push_back(cur);
  return parse_mrz(lines, today);
}

Date local_today() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

}  // namespace wm::hw
