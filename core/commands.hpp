// Command decisions: validates a request against the state and turns it into events + a reply.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/protocol.hpp"
#include "core/state.hpp"

namespace wm::core {

struct CommandError {
  ErrorCode code;
  std::string message;
  std::string field;
};

// Personal data that must be stored apart from the journal (encrypted, deleted on time).
struct PersonalRecord {
  std::string key;   // ticket id, or "appt:<code>"
  json data;
};

struct Decision {
  std::vector<Event> events;  // office, type, body; the broker assigns seq, oseq and time
  json reply = json::object();
  std::optional<CommandError> error;
  std::vector<PersonalRecord> personal;
};

// Decides one validated request against the current state at time `now` with the core handler
// its row in the request table names (unknown_type for rows the server answers). Pure: the caller
// applies the events (in order) and journals them. Replies that depend on the events' effect
// (e.g. the issued ticket) are built here from what the events will do.
Decision decide(const Request& request, const State& state, Millis now);

// Identity fields a kiosk may send (data minimisation: nothing else is accepted).
const std::vector<std::string>& identity_fields();

// "K017" for prefix "K" and running number 17.
std::string format_number(const std::string& prefix, int n);

// The reply body for "status": per office and per service, anonymous.
json status_summary(const State& state, const std::string& office, Millis now);
// The anonymous status of one ticket (status page, CLI).
json ticket_status(const State& state, const Ticket& t, Millis now);

}  // namespace wm::core
