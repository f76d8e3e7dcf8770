// Recall rules per service: the count limit and the minimum interval, with the policy's defaults.
#include "core/recall_rules.hpp"

namespace wm::core {

int recall_limit(const Region& region, const std::string& service) {
  const Service* s = region.find_service(service);
  return s && s->recall_limit >= 0 ? s->recall_limit : region.policy.recall_limit;
}

Millis recall_min_interval_ms(const Region& region, const std::string& service) {
  const Service* s = region.find_service(service);
  int seconds = s && s->recall_min_interval_s >= 0 ? s->recall_min_interval_s
                                                   : region.policy.recall_min_interval_s;
  return static_cast<Millis>(seconds) * 1000;
}

Millis next_recall_at(const Region& region, const Ticket& t) {
  if (!t.called_at || t.services.empty()) return 0;
  Millis interval = recall_min_interval_ms(region, t.service());
  return interval > 0 ? t.called_at + interval : 0;
}

}  // namespace wm::core
