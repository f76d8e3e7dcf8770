// Test helper: writes TD1/TD2/TD3 MRZ lines from field values, computing every check digit.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "wm/hw/mrz.hpp"

namespace wm::hw::test {

// Values as they stand in the MRZ (fillers included where a value has them inside).
struct MrzFields {
  MrzFormat format = MrzFormat::td3;
  std::string code = "P";
  std::string state = "UTO";
  std::string number = "L898902C3";  // longer than 9 -> ICAO long-number layout
  std::string nationality = "UTO";
  std::string birth = "740812";  // YYMMDD, "<<" for unknown parts
  char sex = 'F';
  std::string expiry = "120415";
  std::string names = "ERIKSSON<<ANNA<MARIA";
  std::string optional;   // after a long number's tail (TD3: the personal number field)
  std::string optional2;  // TD1 line 2
  bool empty_check_as_filler = false;  // TD3 empty personal number: check digit '<', not '0'
};

inline char check_char(const std::string& s) {
  return static_cast<char>('0' + mrz_check_digit(s));
}

inline std::string padded(const std::string& s, size_t n) {
  if (s.size() > n) throw std::invalid_argument("MRZ field too long: " + s);
  return s + std::string(n - s.size(), '<');
}

// The number field (9), its check position and the optional-data field of `opt_len`.
inline void number_fields(const MrzFields& f, size_t opt_len, std::string& num9, char& check,
                          std::string& opt) {
  if (f.number.size() <= 9) {
    num9 = padded(f.number, 9);
    check = check_char(num9);
    opt = padded(f.optional, opt_len);
  } else {
    num9 = f.number.substr(0, 9);
    check = '<';
    std::string tail = f.number.substr(9) + check_char(f.number);
    if (!f.optional.empty()) tail += "<" + f.optional;
    opt = padded(tail, opt_len);
  }
}

inline std::vector<std::string> build_mrz(const MrzFields& f) {
  std::string num9, opt;
  char check;
  const std::string head = padded(f.code, 2) + padded(f.state, 3);
  const std::string birth = f.birth + check_char(f.birth);
  const std::string expiry = f.expiry + check_char(f.expiry);
  if (f.format == MrzFormat::td1) {
    number_fields(f, 15, num9, check, opt);
    const std::string l1 = head + num9 + check + opt;
    std::string l2 = birth + f.sex + expiry + padded(f.nationality, 3) + padded(f.optional2, 11);
    l2 += check_char(l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11));
    return {l1, l2, padded(f.names, 30)};
  }
  const bool td3 = f.format == MrzFormat::td3;
  number_fields(f, td3 ? 14 : 7, num9, check, opt);
  std::string l2 = num9 + check + padded(f.nationality, 3) + birth + f.sex + expiry + opt;
  if (td3) {
    const bool empty = opt.find_first_not_of('<') == std::string::npos;
    l2 += (empty && f.empty_check_as_filler) ? '<' : check_char(opt);
    l2 += check_char(l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 22));
  } else {
    l2 += check_char(l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 14));
  }
  return {head + padded(f.names, td3 ? 39 : 31), l2};
}

}  // namespace wm::hw::test
