// "{name}" placeholder substitution for translated strings.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wm::i18n {

// Values are strings on purpose: numbers and times are formatted by the caller, who knows the
// unit ("12 Min.", "08:15"), so the catalog never guesses a locale.
using Args = std::vector<std::pair<std::string_view, std::string>>;

// Replaces every "{name}" with its value. "{{" and "}}" are literal braces. An unknown
// placeholder stays visible as "{name}" so a missing argument is noticed, never crashes.
std::string format(std::string_view pattern, const Args& args);

// The placeholder names in a pattern, sorted and unique (used to check translations agree).
std::vector<std::string> placeholders(std::string_view pattern);

}  // namespace wm::i18n
