// The declared event table: the fields each event carries and who may see each of them.
#include <initializer_list>
#include <map>

#include "core/protocol.hpp"

namespace wm::core {

std::string_view to_string(Visibility v) {
  switch (v) {
    case Visibility::public_: return "public";
    case Visibility::office_staff: return "office_staff";
    case Visibility::serving: return "serving";
    case Visibility::backoffice: return "backoffice";
    case Visibility::internal: return "internal";
    case Visibility::sealed: return "sealed";
  }
  return "sealed";
}

namespace {

constexpr auto kPublic = Visibility::public_;
constexpr auto kStaff = Visibility::office_staff;
constexpr auto kServing = Visibility::serving;
constexpr auto kBack = Visibility::backoffice;
constexpr auto kInternal = Visibility::internal;
// Journals written before sealing (issue 14) still hold these texts: never projected.
constexpr auto kSealed = Visibility::sealed;

std::vector<EventField> all(Visibility v, std::initializer_list<const char*> names) {
  std::vector<EventField> out;
  for (const char* n : names) out.push_back({n, v});
  return out;
}

// `a` + `b` + ...: a field list built from parts.
std::vector<EventField> join(std::initializer_list<std::vector<EventField>> parts) {
  std::vector<EventField> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<EventField> sealed(std::vector<EventField> list, std::initializer_list<const char*> names) {
  for (auto& f : list)
    for (const char* n : names)
      if (f.name == n) f.visibility = kSealed;
  return list;
}

// A nested record: the container itself, then its fields under "<name>.".
std::vector<EventField> nested(const char* name, Visibility container, std::string_view record) {
  std::vector<EventField> out{{name, container}};
  for (const auto& f : record_fields(record)) out.push_back({std::string(name) + "." + f.name, f.visibility});
  return out;
}

const std::map<std::string, std::vector<EventField>, std::less<>>& records() {
  static const std::map<std::string, std::vector<EventField>, std::less<>> r{
      {"ticket",
       join({all(kPublic, {"id", "office", "number", "day", "services", "current", "state",
                           "priority", "source", "language", "issued_at", "queued_since",
                           "recalls", "counter", "target_counter", "appointment_slot",
                           "first_called_at", "called_at", "serving_since", "finished_at",
                           "history", "history.time", "history.what", "history.counter"}),
             // A history entry's detail is the park or cancel reason, outcome or target.
             all(kStaff, {"park_reason", "park_ref", "outcome", "case_id", "history.detail"}),
             all(kServing, {"has_identity"}),
             all(kInternal, {"token", "appointment_code"})})},
      {"case",
       join({all(kStaff, {"id", "ticket", "office", "number", "service", "unit", "counter",
                          "outcome", "state", "claimed_by", "created_at", "updated_at"}),
             // Texts unsealed into snapshots and case lists, and the keys they are sealed under.
             all(kServing, {"question", "question_ref"}),  // asked back to the forwarding counter
             all(kBack, {"notes", "notes_ref"})})},
      {"counter", join({all(kPublic, {"id", "office", "state", "ticket", "since", "served_today"}),
                        all(kStaff, {"staff", "station"})})},
      {"device", join({all(kPublic, {"device", "office", "state", "since"}), all(kStaff, {"detail"})})},
      {"presence", all(kStaff, {"kind", "name", "office", "online", "since"})},
      {"call", all(kPublic, {"ticket", "number", "counter", "service", "time", "recalls"})},
      {"stats_counter", join({all(kPublic, {"counter", "name", "state", "ticket_number",
                                            "ticket_state", "since", "f"}),
                              all(kStaff, {"staff"})})},
  };
  return r;
}

}  // namespace

const std::vector<EventField>& record_fields(std::string_view record) {
  static const std::vector<EventField> none;
  auto it = records().find(record);
  return it == records().end() ? none : it->second;
}

const std::vector<EventSpec>& event_specs() {
  static const std::vector<EventSpec> specs{
      {"ticket.issued", "a ticket was issued (anonymous ticket record)",
       nested("ticket", kPublic, "ticket")},
      {"ticket.called", "a ticket was called to a counter (also recalls, with the count); out of "
       "order in an office that calls in order: the reason and the number that was next",
       join({all(kPublic, {"ticket", "counter", "recalls"}), all(kStaff, {"reason", "next"})})},
      {"counter.profile_changed", "a counter's services for the day (an office head moved a clerk)",
       all(kPublic, {"counter", "profile"})},
      {"ticket.serving", "the visitor arrived at the counter", all(kPublic, {"ticket", "counter"})},
      {"ticket.finished", "a concern was finished; the ticket is done or waits for its next service",
       join({all(kPublic, {"ticket", "counter", "next", "stay"}), all(kStaff, {"outcome"})})},
      {"ticket.forwarded", "the ticket was finished and its case handed to the back office",
       join({all(kPublic, {"ticket", "counter", "next", "stay"}), all(kStaff, {"outcome"}),
             sealed(nested("case", kStaff, "case"), {"case.notes", "case.question"})})},
      {"ticket.transferred", "back to waiting for another service or a named counter, place kept",
       all(kPublic, {"ticket", "counter", "service", "to_counter"})},
      {"ticket.parked", "the visitor was parked with a reason (sealed: reason_ref is its key)",
       join({all(kPublic, {"ticket", "counter"}), all(kStaff, {"reason_ref"}), all(kSealed, {"reason"})})},
      {"ticket.returned", "a parked visitor is waiting again, place kept", all(kPublic, {"ticket"})},
      {"ticket.no_show", "the called visitor did not come",
       all(kPublic, {"ticket", "counter", "reason"})},  // reason: only the fixed "recall limit"
      {"ticket.reactivated", "a no-show ticket is waiting again", all(kPublic, {"ticket"})},
      {"ticket.cancelled", "the ticket was cancelled (a reason is sealed under reason_ref)",
       join({all(kPublic, {"ticket"}), all(kStaff, {"reason_ref"}), all(kSealed, {"reason"})})},
      {"counter.changed", "a counter opened, paused, resumed or closed",
       join({all(kPublic, {"counter", "state"}), all(kStaff, {"staff", "station"})})},
      {"appointments.imported", "appointments were imported (codes, slots; no names)",
       join({all(kInternal, {"appointments", "appointments.code", "appointments.office",
                             "appointments.service", "appointments.slot", "appointments.ticket",
                             "appointments.cancelled"}),
             all(kPublic, {"count"})})},  // count: added by the projection
      {"appointment.checked_in", "an appointment was checked in and got a ticket",
       join({all(kPublic, {"ticket"}), all(kInternal, {"code"})})},
      {"device.status", "a kiosk device (printer, reader) changed state",
       join({all(kPublic, {"device", "state"}), all(kStaff, {"detail"})})},
      {"client.online", "a kiosk, counter or display station said hello (kind, name)",
       all(kStaff, {"kind", "name"})},
      {"client.offline", "a station was silent for ~5 s (kind, name)", all(kStaff, {"kind", "name"})},
      // The counter stays public: dashboards raise the alarm from the event itself.
      {"alert.panic", "staff safety alarm from a counter (counter, staff)",
       join({all(kPublic, {"counter"}), all(kStaff, {"staff"})})},
      {"day.closed",
       "the office's day ended (schedule or by hand): open tickets of that day or before became "
       "closed, open counters closed",
       all(kPublic, {"day", "reason", "tickets", "counters"})},
      {"case.claimed", "a back-office clerk claimed a case", all(kStaff, {"case", "staff"})},
      {"case.done", "the back office finished a case", all(kStaff, {"case", "staff", "outcome"})},
      {"case.returned", "the back office returned a case with a question (sealed under question_ref)",
       join({all(kStaff, {"case", "staff"}), all(kServing, {"question_ref"}), all(kSealed, {"question"})})},
  };
  return specs;
}

const EventSpec* find_event(std::string_view type) {
  for (const auto& e : event_specs())
    if (type == e.type) return &e;
  return nullptr;
}

}  // namespace wm::core
