// ICAO 9303 MRZ parsing: layout detection, check digits, dates, names.
#include "wm/hw/mrz.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace wm::hw {
namespace {

bool is_mrz_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string strip_fillers(std::string_view s) {
  std::string out(s);
  while (!out.empty() && out.back() == '<') out.pop_back();
  size_t start = 0;
  while (start < out.size() && out[start] == '<') ++start;
  out.erase(0, start);
  for (char& c : out)
    if (c == '<') c = ' ';
  return out;
}

// Collapses the blanks left over from inner fillers ("ANNA<MARIA<<<" -> "ANNA MARIA").
std::string normalize_spaces(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return days[m - 1];
}

// A field covered by a check digit: 0-based line, 0-based start, length, the check position.
struct Checked {
  std::string_view name;
  MrzError error;
  std::string data;  // the characters the check digit is computed over
  int line;          // 0-based line of the check digit
  int pos;           // 0-based position of the check digit
};

class Parser {
 public:
  Parser(std::vector<std::string> lines, const Date& today)
      : lines_(std::move(lines)), today_(today) {}

  MrzResult run();

 private:
  MrzResult fail(MrzError e, std::string msg) {
    MrzResult r;
    r.error = e;
    r.message = std::move(msg);
    return r;
  }
  std::string_view field(int line, int pos1, int len) const {
    return std::string_view(lines_[line]).substr(pos1 - 1, len);
  }
  std::optional<MrzResult> verify(const Checked& c) const;
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
  MrzResult r;
  r.error = c.error;
  r.message = buf;
  return r;
}

std::optional<MrzResult> Parser::parse_date(std::string_view s, bool birth, Date& out) const {
  const MrzError err = birth ? MrzError::bad_birth_date : MrzError::bad_expiry_date;
  const std::string what = birth ? "birth date" : "expiry date";
  MrzResult r;
  r.error = err;
  if (!is_digit(s[0]) || !is_digit(s[1])) {
    r.message = what + " has no valid year: " + std::string(s);
    return r;
  }
  const int yy = (s[0] - '0') * 10 + (s[1] - '0');
  auto part = [&](size_t i, int& v) {
    if (s[i] == '<' && s[i + 1] == '<') {
      v = 0;  // ICAO: unknown month/day
      return true;
    }
    if (!is_digit(s[i]) || !is_digit(s[i + 1])) return false;
    v = (s[i] - '0') * 10 + (s[i + 1] - '0');
    return true;
  };
  int month = 0, day = 0;
  if (!part(2, month) || !part(4, day)) {
    r.message = what + " is not a date: " + std::string(s);
    return r;
  }
  int year;
  if (birth) {
    year = (yy > today_.year % 100) ? 1900 + yy : 2000 + yy;
  } else {
    year = 2000 + yy;
    if (year > today_.year + 50) year -= 100;
  }
  if (month > 12 || (month == 0 && day != 0) ||
      (month != 0 && day > days_in_month(year, month))) {
    r.message = what + " is not a calendar date: " + std::string(s);
    return r;
  }
  out = Date{year, month, day};
  return std::nullopt;
}

void Parser::parse_names(std::string_view s, MrzDocument& doc) const {
  const size_t sep = s.find("<<");
  if (sep == std::string_view::npos) {
    doc.surname = normalize_spaces(strip_fillers(s));
    return;
  }
  doc.surname = normalize_spaces(strip_fillers(s.substr(0, sep)));
  doc.given_names = normalize_spaces(strip_fillers(s.substr(sep + 2)));
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

  if (format == MrzFormat::td1) {
    const std::string& l1 = lines_[0];
    const std::string& l2 = lines_[1];
    doc.document_code = strip_fillers(field(0, 1, 2));
    doc.issuing_state = strip_fillers(field(0, 3, 3));
    std::string number(field(0, 6, 9));
    std::string opt1(field(0, 16, 15));
    int check_line = 0, check_pos = 14;
    if (l1[14] == '<' && opt1[0] != '<') {
      // Long document number: continues in the optional data, its last character is the check.
      const size_t end = opt1.find('<');
      const size_t n = (end == std::string::npos ? opt1.size() : end);
      number += opt1.substr(0, n - 1);
      check_pos = 15 + static_cast<int>(n) - 1;
      opt1 = opt1.substr(n);
    }
    checks.push_back({"document number", MrzError::check_document_number, number, check_line,
                      check_pos});
    doc.document_number = strip_fillers(number);
    for (char& c : doc.document_number)
      if (c == ' ') c = '<';
    birth = field(1, 1, 6);
    checks.push_back({"birth date", MrzError::check_birth_date, std::string(birth), 1, 6});
    sex = field(1, 8, 1);
    expiry = field(1, 9, 6);
    checks.push_back({"expiry date", MrzError::check_expiry_date, std::string(expiry), 1, 14});
    nationality = field(1, 16, 3);
    const std::string composite = l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) +
                                  l2.substr(18, 11);
    checks.push_back({"composite", MrzError::check_composite, composite, 1, 29});
    doc.optional_data = normalize_spaces(strip_fillers(opt1) + " " +
                                         strip_fillers(field(1, 19, 11)));
    names = lines_[2];
  } else {
    const std::string& l2 = lines_[1];
    doc.document_code = strip_fillers(field(0, 1, 2));
    doc.issuing_state = strip_fillers(field(0, 3, 3));
    names = std::string_view(lines_[0]).substr(5);
    const std::string number(field(1, 1, 9));
    checks.push_back({"document number", MrzError::check_document_number, number, 1, 9});
    doc.document_number = strip_fillers(number);
    nationality = field(1, 11, 3);
    birth = field(1, 14, 6);
    checks.push_back({"birth date", MrzError::check_birth_date, std::string(birth), 1, 19});
    sex = field(1, 21, 1);
    expiry = field(1, 22, 6);
    checks.push_back({"expiry date", MrzError::check_expiry_date, std::string(expiry), 1, 27});
    if (format == MrzFormat::td3) {
      const std::string personal(field(1, 29, 14));
      checks.push_back(
          {"personal number", MrzError::check_personal_number, personal, 1, 42});
      doc.optional_data = strip_fillers(personal);
      const std::string composite = l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 22);
      checks.push_back({"composite", MrzError::check_composite, composite, 1, 43});
    } else {
      doc.optional_data = strip_fillers(field(1, 29, 7));
      const std::string composite = l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 14);
      checks.push_back({"composite", MrzError::check_composite, composite, 1, 35});
    }
  }

  for (const auto& c : checks)
    if (auto r = verify(c)) return *r;

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
  doc.nationality = strip_fillers(nationality);
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
  }
  return "unknown";
}

std::string to_iso(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year % 10000, d.month % 100, d.day % 100);
  return buf;
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
