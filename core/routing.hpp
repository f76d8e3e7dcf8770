// Who is next: the routing rules that pick a waiting ticket for a counter.
#pragma once

#include <vector>

#include "core/config.hpp"
#include "core/state.hpp"

namespace wm::core {

// Order of classes: an appointment at its slot first, then priority needs, then everyone else.
int class_rank(const Ticket& t, Millis now, const Policy& policy);
// Waited longer than the service's target × the escalation factor.
bool escalated(const Ticket& t, Millis now, const Region& region);
// Whether this counter may call this waiting ticket at all.
bool serves(const Counter& counter, const Ticket& t);

// The waiting tickets this counter may call, in the order it would call them:
// 1. transferred to this very counter, 2. class (appointment due, priority needs, normal),
// 3. appointment slot, 4. escalated tickets ahead of the profile order, 5. the counter's
// profile order, 6. longest wait (place in the queue), 7. ticket number.
std::vector<const Ticket*> queue_for(const State& state, const Counter& counter, Millis now);

// The first of queue_for(), or nullptr when nothing waits for this counter.
const Ticket* choose_next(const State& state, const Counter& counter, Millis now);

}  // namespace wm::core
