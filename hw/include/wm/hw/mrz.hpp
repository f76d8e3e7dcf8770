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
  int month = 0;  // 1..12, 0 when the MRZ says "unknown" (<<)
  int day = 0;    // 1..31, 0 when unknown
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
};
std::string_view to_string(MrzError e);

struct MrzDocument {
  MrzFormat format = MrzFormat::td1;
  std::string document_code;    // "ID", "I", "P", ... (fillers removed)
  std::string issuing_state;    // "D" for Germany, "UTO", ... (fillers removed)
  std::string document_number;  // including TD1 overflow digits
  std::string surname;          // '<' inside a name part becomes a space
  std::string given_names;      // given names separated by spaces
  std::string nationality;      // fillers removed
  Date birth_date;
  char sex = '<';  // 'M', 'F', 'X' or '<' (unspecified)
  Date expiry_date;
  std::string optional_data;  // fillers removed (line 1 + line 2 for TD1)
  bool expired = false;       // expiry_date < today
  std::vector<std::string> lines;
};

struct MrzResult {
  std::optional<MrzDocument> document;
  MrzError error = MrzError::none;
  std::string message;  // precise: which line/position/check digit failed
  bool ok() const { return error == MrzError::none; }
};

// Lines as delivered by a reader; surrounding blanks and CR are ignored. `today` decides the
// century of birth dates and the expired flag (the parser never reads the clock).
MrzResult parse_mrz(const std::vector<std::string>& lines, const Date& today);
// Same, from one text block (lines separated by LF or CR LF).
MrzResult parse_mrz_text(std::string_view text, const Date& today);

// ICAO 7-3-1 check digit over `field`; -1 if it contains a character outside A-Z 0-9 <.
int mrz_check_digit(std::string_view field);

// Today's date from the local clock, for callers (the parser itself never reads it).
Date local_today();

}  // namespace wm::hw
