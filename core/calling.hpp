// Fair calling (issue 17): in an office that calls in order (`calling = "next_only"`), a counter
// calls another waiting ticket than the next only for one of these reasons, and it is audited.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wm::core {

// The reasons a counter may give, as sent in counter.call's `reason` (translated on screens):
// the visitor needs this counter's access (wheelchair, hearing loop), speaks a language the
// clerk there speaks, comes back to finish (a no-show who returned, a call missed), or was
// sent here by a colleague.
inline const std::vector<std::string_view> kCallReasons{"accessibility", "language", "returning",
                                                        "sent_by_colleague"};

// Whether `office_calling` (Office::calling) lets a counter call out of order without a reason.
inline bool calls_in_order(const std::string& office_calling) { return office_calling == "next_only"; }

}  // namespace wm::core
