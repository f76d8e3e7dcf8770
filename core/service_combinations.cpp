// The one rule for a second concern on a ticket: both services in one counter's profile.
#include "core/service_combinations.hpp"

#include <algorithm>

namespace wm::core {

namespace {

bool in_profile(const Counter& c, const std::string& service) {
  return std::find(c.profile.begin(), c.profile.end(), service) != c.profile.end();
}

}  // namespace

bool served_together(const Office& office, const std::string& a, const std::string& b) {
  if (a == b) return false;
  return std::any_of(office.counters.begin(), office.counters.end(),
                     [&](const Counter& c) { return in_profile(c, a) && in_profile(c, b); });
}

std::vector<std::string> combinable_services(const Region& region, const std::string& office_id,
                                             const std::string& service) {
  std::vector<std::string> out;
  const Office* office = region.find_office(office_id);
  if (!office || !region.find_service(service) || !region.office_offers(office_id, service))
    return out;
  for (const Service& s : region.services)
    if (region.office_offers(office_id, s.id) && served_together(*office, service, s.id))
      out.push_back(s.id);
  return out;
}

}  // namespace wm::core
