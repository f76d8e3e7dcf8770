// ICAO 9303 machine readable zone parser (TD1, TD2, TD3) with every check digit verified.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wm::hw {

struct Date {
  int year = 0;   // four digits
  int month = 0;  // 1..12, 0 when a birth date says "unknown" (<<); never 0 in an expiry
  int day = 0;    // 1..31, 0 when unknown (<<), likewise
  auto operator<=>(const Date&) const = default;
};
std::string to_iso(const Date& d);  // "2031-10-20", unknown parts as "00"

enum class MrzFormat { td1, td2, td3 };

enum class MrzError {
  none,
  bad_line_count,         // not 2 or 3 lines
  bad_line_length,        // lines do not form 3x30, 2x36 or 2x44
  bad_character,          // outside A-Z 0-9 <, or wrong class for the field
  check_document_number,  // check digit of the document number
  check_birth_date,
  check_expiry_date,
  check_personal_number,  // TD3 optional personal number
  check_composite,        // composite check digit over several fields
  bad_birth_date,         // not a calendar date
  bad_expiry_date,
  bad_sex,
  bad_document_number,  // empty, or a long number that does not follow ICAO 9303 Parts 4-6
  bad_country_code,     // issuing state or nationality not in the ICAO 9303 Part 3 list
};
std::string_view to_string(MrzError e);

// Fillers in values, one rule for every format and field: fillers before and after a value
// are padding and dropped; every filler inside a value becomes one space (ICAO writes spaces
// and punctuation inside a field as '<'). Names additionally collapse runs of spaces, because
// "<<" separates the surname from the given names.
struct MrzDocument {
  MrzFormat format = MrzFormat::td1;
  std::string document_code;    // "ID", "I", "P", ...
  std::string issuing_state;    // "D" for Germany, "UTO", ... (checked against the ICAO list)
  std::string document_number;  // the whole number, also when longer than 9 characters
  std::string surname;          // parts separated by one space
  std::string given_names;      // given names separated by one space
  std::string nationality;      // checked against the ICAO list
  Date birth_date;
  char sex = '<';  // 'M', 'F', 'X' or '<' (unspecified)
  Date expiry_date;
  std::string optional_data;    // TD1 line 1 / TD2 / TD3 personal number, after a long number
  std::string optional_data_2;  // TD1 line 2 only
  bool expired = false;         // expiry_date < today
  std::vector<std::string> lines;
};

struct MrzResult {
  std::optional<MrzDocument> document;
  MrzError error = MrzError::none;
  std::string message;  // precise: which line/position/check digit failed
  bool ok() const { return error == MrzError::none; }
};

// A two-digit expiry year is read in the window today.year - 79 ... today.year + 20: documents
// are valid for at most 10 years (20 leaves room), so anything further ahead is an old one.
inline constexpr int kExpiryYearsAhead = 20;

// Lines as delivered by a reader; surrounding blanks and CR are ignored. `today` decides the
// century of birth dates (the latest one not after today), the expiry window above and the
// expired flag (the parser never reads the clock).
MrzResult parse_mrz(const std::vector<std::string>& lines, const Date& today);
// Same, from one text block (lines separated by LF or CR LF).
MrzResult parse_mrz_text(std::string_view text, const Date& today);

// Whether `code` (fillers removed: "D", "UTO") is an ICAO 9303 Part 3 state, organization or
// nationality code (ISO 3166-1 alpha-3 with D for Germany, plus the special codes).
bool is_icao_country_code(std::string_view code);

// ICAO 7-3-1 check digit over `field`; -1 if it contains a character outside A-Z 0-9 <.
int mrz_check_digit(std::string_view field);

// Today's date from the local clock, for callers (the parser itself never reads it).
Date local_today();

}  // namespace wm::hw
