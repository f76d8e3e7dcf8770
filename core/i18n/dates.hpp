// Calendar dates as each shipped language writes them (one rule for every staff screen).
#pragma once

#include <string>
#include <string_view>

namespace wm::i18n {

// An ISO date ("1964-08-12") as `lang` writes it: "12.08.1964" (de, pl, uk, ru, tr),
// "12. 8. 1964" (cs, as Czech writes it), ISO unchanged for en (the one form that British
// and American readers both read right, so a birth date is never taken for another day).
// Anything that is not an ISO date (a partial MRZ date, empty) comes back unchanged rather
// than guessed at.
std::string format_date(std::string_view iso, std::string_view lang);

}  // namespace wm::i18n
