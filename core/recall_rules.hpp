// Recall rules per service (issue 17 item 2): how often and how soon a called ticket may be
// called again. One place, so the broker's refusal and the counter's "next recall at" agree.
#pragma once

#include "core/config.hpp"
#include "core/model.hpp"

namespace wm::core {

// Recalls a ticket of `service` may get before the next one turns it into a no-show: the
// service's recall_limit, else the policy's.
int recall_limit(const Region& region, const std::string& service);

// Shortest time between two calls of one ticket of `service`, in milliseconds: the service's
// recall_min_interval_s, else the policy's; 0 = none.
Millis recall_min_interval_ms(const Region& region, const std::string& service);

// The earliest time a called ticket may be recalled: its last call (first call or recall) plus
// the interval. 0 when there is no interval or the ticket was never called.
Millis next_recall_at(const Region& region, const Ticket& ticket);

}  // namespace wm::core
