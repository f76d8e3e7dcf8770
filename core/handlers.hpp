// The core handler of each request row (core/protocol/requests.cpp) and the helpers they share.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include "core/commands.hpp"

namespace wm::core::handlers {

// One function per request type decided in core; the request table points at them.
Decision ticket_issue(const Request& r, const State& s, Millis now);
Decision ticket_cancel(const Request& r, const State& s, Millis now);
Decision ticket_return(const Request& r, const State& s, Millis now);
Decision ticket_reactivate(const Request& r, const State& s, Millis now);
Decision ticket_status(const Request& r, const State& s, Millis now);
Decision appointment_import(const Request& r, const State& s, Millis now);
Decision appointment_checkin(const Request& r, const State& s, Millis now);
Decision device_status(const Request& r, const State& s, Millis now);

Decision counter_open(const Request& r, const State& s, Millis now);
Decision counter_close(const Request& r, const State& s, Millis now);
Decision counter_pause(const Request& r, const State& s, Millis now);
Decision counter_resume(const Request& r, const State& s, Millis now);
Decision counter_next(const Request& r, const State& s, Millis now);
Decision counter_call(const Request& r, const State& s, Millis now);
Decision counter_profile(const Request& r, const State& s, Millis now);
Decision counter_recall(const Request& r, const State& s, Millis now);
Decision counter_no_show(const Request& r, const State& s, Millis now);
Decision counter_start(const Request& r, const State& s, Millis now);
Decision counter_finish(const Request& r, const State& s, Millis now);
Decision counter_transfer(const Request& r, const State& s, Millis now);
Decision counter_park(const Request& r, const State& s, Millis now);
Decision counter_panic(const Request& r, const State& s, Millis now);

Decision day_close(const Request& r, const State& s, Millis now);

Decision case_list(const Request& r, const State& s, Millis now);
Decision case_claim(const Request& r, const State& s, Millis now);
Decision case_finish(const Request& r, const State& s, Millis now);
Decision case_return(const Request& r, const State& s, Millis now);

Decision snapshot(const Request& r, const State& s, Millis now);
Decision status(const Request& r, const State& s, Millis now);

// Shared by the handlers above (core/commands.cpp).
Decision fail(ErrorCode code, std::string message, std::string field = {});
Event make_event(const std::string& office, std::string type, json body);
json public_ticket(const Ticket& t);
// By id, or (with an office) by number; or by status-page token.
const Ticket* find_ticket(const State& s, const json& body, const std::string& office = {});

// The counter named in the body and the ticket it is working on.
struct CounterCtx {
  const Counter* config = nullptr;
  const CounterRuntime* rt = nullptr;
  const Office* office = nullptr;
  const Ticket* ticket = nullptr;
};
std::optional<CommandError> load_counter(const State& s, const json& body, CounterCtx& ctx);

}  // namespace wm::core::handlers
