// The live domain model: tickets, counters at work, back-office cases, appointments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wm::core {

// Milliseconds since the Unix epoch on the broker's clock.
using Millis = std::int64_t;

// `closed`: still open when the office's day was closed (day.closed); final, counted as not
// served.
enum class TicketState { waiting, called, serving, done, forwarded, parked, no_show, cancelled, closed };
enum class Priority { normal, appointment, priority_needs };
enum class Source { kiosk, counter, appointment, cli };
enum class CounterState { closed, open, paused };
enum class CaseState { received, claimed, done, returned };

std::string_view to_string(TicketState s);
std::string_view to_string(Priority p);
std::string_view to_string(Source s);
std::string_view to_string(CounterState s);
std::string_view to_string(CaseState s);
std::optional<TicketState> ticket_state_from(std::string_view s);
std::optional<Priority> priority_from(std::string_view s);
std::optional<Source> source_from(std::string_view s);
std::optional<CounterState> counter_state_from(std::string_view s);
std::optional<CaseState> case_state_from(std::string_view s);

// A terminal ticket never changes again except by reactivation (no-show only).
bool is_terminal(TicketState s);

struct HistoryEntry {
  Millis time = 0;
  std::string what;     // event type: "called", "transferred", ...
  std::string counter;  // where it happened, may be empty
  std::string detail;   // reason, outcome, target; never personal data
};

struct Ticket {
  std::string id;       // UUID, immutable
  std::string office;
  std::string number;   // "K017": prefix + running number per office, prefix and day
  std::string day;      // local date of issue, "2026-11-22"
  std::vector<std::string> services;  // concerns in the order they are served
  std::size_t current = 0;            // index into services
  TicketState state = TicketState::waiting;
  Priority priority = Priority::normal;
  Source source = Source::kiosk;
  std::string language = "de";
  Millis issued_at = 0;
  Millis queued_since = 0;     // ordering key; kept on transfer and return from parking
  Millis appointment_slot = 0; // 0 = no appointment
  std::string appointment_code;
  std::string counter;         // counter that called / serves it
  std::string target_counter;  // set by a transfer to a named counter
  int recalls = 0;
  Millis first_called_at = 0;  // end of the visitor's wait, for statistics
  Millis called_at = 0;
  Millis serving_since = 0;
  Millis finished_at = 0;
  // Park reasons are free text: sealed in the personal store under `park_ref` ("park:<id>").
  // park_reason is filled only in snapshots for office staff (and in journals from before).
  std::string park_reason;
  std::string park_ref;
  std::string outcome;
  std::string case_id;
  std::string token;           // unguessable, for the visitor's status page
  bool has_identity = false;   // ID data captured with consent (stored apart, encrypted)
  std::vector<HistoryEntry> history;

  const std::string& service() const { return services.at(current); }
};

struct CounterRuntime {
  std::string id;
  std::string office;
  CounterState state = CounterState::closed;
  std::string staff;     // login of who is working there
  // The device key (station) the staff logged in from (staff.login); counter stations act on
  // this counter only from there. Empty when an administrator opened it.
  std::string station;
  std::string ticket;    // ticket being called or served, may be empty
  Millis since = 0;      // when the state last changed
  int served_today = 0;
};

struct Case {
  std::string id;        // UUID
  std::string ticket;
  std::string office;
  std::string number;
  std::string service;
  std::string unit;      // back-office unit
  std::string counter;
  std::string outcome;
  // Free text is sealed in the personal store (issue 14): events and checkpoints carry only the
  // keys ("note:<case>", "question:<case>"); the texts appear in snapshots and case lists for
  // those who may read them, while the store keeps them (policy.retention_hours).
  std::string notes;
  std::string notes_ref;
  CaseState state = CaseState::received;
  std::string claimed_by;
  std::string question;  // asked back to the front office
  std::string question_ref;
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct Appointment {
  std::string code;      // booking code, what the visitor types or scans
  std::string office;
  std::string service;
  Millis slot = 0;
  std::string ticket;    // set at check-in
  bool cancelled = false;
};

// The last calls of an office, newest first, for displays.
struct CallRecord {
  std::string ticket;
  std::string number;
  std::string counter;
  std::string service;
  Millis time = 0;
  int recalls = 0;
};

}  // namespace wm::core
