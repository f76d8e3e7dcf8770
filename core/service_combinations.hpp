// Which services one ticket may combine: a second concern only where a counter serves both.
#pragma once

#include <string>
#include <vector>

#include "core/config.hpp"

namespace wm::core {

// Whether some counter of `office` has both services in its work profile. Only then can the
// second concern follow the first on the same ticket without the visitor being promised a
// counter that does not exist (issue 16: "Kfz + Wohngeld", which no Görlitz counter serves).
bool served_together(const Office& office, const std::string& a, const std::string& b);

// The services that `office_id` offers and that some counter there serves together with
// `service`, in the region's service order; `service` itself is never in the list. Empty for
// an unknown office or service: then the kiosk does not offer a second concern.
std::vector<std::string> combinable_services(const Region& region, const std::string& office_id,
                                             const std::string& service);

}  // namespace wm::core
