// The declared request table: one row per request type with its fields, who may send it for
// which office, where that office comes from, and the handler that answers it.
#include <unordered_map>

#include "core/calling.hpp"
#include "core/handlers.hpp"
#include "core/protocol.hpp"

namespace wm::core {
namespace {

using F = FieldType;
using R = DeviceRole;
using O = OfficeFrom;
using S = ServerHandler;
namespace h = handlers;

const std::vector<std::string_view> kPriorities{"normal", "priority_needs"};
const std::vector<std::string_view> kSources{"kiosk", "counter", "cli"};
const std::vector<std::string_view> kClientKinds{"kiosk",     "counter", "display", "dashboard",
                                                 "backoffice", "cli",    "bench",   "status"};
const std::vector<std::string_view> kDeviceStates{"ok", "paper_low", "paper_out", "cover_open",
                                                  "offline", "error"};

// Least privilege: each role gets what its screen needs and nothing else. Anonymous reads
// (snapshot, status) are open to every registered device because the event stream carries the
// same anonymous data to all of them anyway.
const std::vector<DeviceRole> kEveryone{R::kiosk, R::display, R::counter, R::dashboard,
                                        R::backoffice};
const std::vector<DeviceRole> kStaff{R::kiosk, R::counter, R::dashboard, R::backoffice};
const std::vector<DeviceRole> kDesk{R::kiosk, R::counter};  // where visitors get tickets
const std::vector<DeviceRole> kCounter{R::counter};
const std::vector<DeviceRole> kBackoffice{R::backoffice};

// A counter action: sent by the station holding the counter (a staff session), decided in core.
MessageSpec counter_row(const char* type, const char* summary, CoreHandler handler,
                        std::vector<FieldSpec> extra = {}) {
  std::vector<FieldSpec> fields{{"counter", F::string, true}};
  fields.insert(fields.end(), extra.begin(), extra.end());
  return {.type = type, .since_version = 1, .writes = true, .summary = summary,
          .fields = std::move(fields), .roles = kCounter, .scope = Scope::own_office,
          .offices = O::counter, .session = true, .decide = handler};
}

std::vector<MessageSpec> build_specs() {
  return {
      // A station introduces only itself (check_presence) and only in its own offices.
      {.type = "hello", .since_version = 1, .writes = false,
       .summary = "introduce the client; returns server time, clock speed and sequence",
       .fields = {{"client", F::string, true, 32, kClientKinds}, {"name", F::string, false},
                  {"office", F::string, false}},
       .roles = kEveryone, .scope = Scope::own_office, .offices = O::office | O::station,
       .server = S::presence},
      {.type = "ping", .since_version = 1, .writes = false,
       .summary = "heartbeat; the broker forgets clients silent for ~5 s (may repeat hello's fields)",
       .fields = {{"client", F::string, false, 32, kClientKinds}, {"name", F::string, false},
                  {"office", F::string, false}},
       .roles = kEveryone, .scope = Scope::own_office, .offices = O::office | O::station,
       .server = S::presence},
      {.type = "ticket.issue", .since_version = 1, .writes = true,
       .summary = "issue a waiting ticket for one or more services",
       .fields = {{"office", F::string, true},
                  {"services", F::string_list, true, 3},
                  {"language", F::string, false, 8},
                  {"priority", F::string, false, 32, kPriorities},
                  {"source", F::string, false, 32, kSources},
                  {"kiosk", F::string, false},
                  {"consent", F::boolean, false},
                  {"identity", F::object, false}},
       .roles = kDesk, .scope = Scope::own_office, .offices = O::office | O::kiosk,
       .session = true, .decide = h::ticket_issue},
      {.type = "ticket.cancel", .since_version = 1, .writes = true,
       .summary = "cancel a waiting or parked ticket",
       .fields = {{"ticket", F::string, true}, {"reason", F::string, false}},
       .roles = kCounter, .scope = Scope::own_office, .offices = O::ticket, .session = true,
       .decide = h::ticket_cancel},
      {.type = "ticket.return", .since_version = 1, .writes = true,
       .summary = "a parked visitor returns to the queue (by ticket id or token)",
       .fields = {{"ticket", F::string, false}, {"token", F::string, false, 64}},
       .roles = kDesk, .scope = Scope::own_office, .offices = O::ticket | O::token,
       .session = true, .decide = h::ticket_return},
      {.type = "ticket.reactivate", .since_version = 1, .writes = true,
       .summary = "a no-show ticket goes back to waiting",
       .fields = {{"ticket", F::string, true}},
       .roles = kCounter, .scope = Scope::own_office, .offices = O::ticket, .session = true,
       .decide = h::ticket_reactivate},
      {.type = "ticket.status", .since_version = 1, .writes = false,
       .summary = "one ticket's anonymous status: position, estimate, call",
       .fields = {{"ticket", F::string, false}, {"token", F::string, false, 64}},
       .roles = kStaff, .scope = Scope::own_office, .offices = O::ticket | O::token,
       .decide = h::ticket_status},
      {.type = "appointment.import", .since_version = 1, .writes = true,
       .summary = "import booked appointments (code, office, service, slot)",
       .fields = {{"appointments", F::object_list, true, 500}},
       .roles = kBackoffice, .scope = Scope::own_office, .offices = O::appointments,
       .decide = h::appointment_import},
      {.type = "appointment.checkin", .since_version = 1, .writes = true,
       .summary = "check in an appointment by its booking code",
       .fields = {{"office", F::string, true}, {"code", F::string, true, 32},
                  {"language", F::string, false, 8}},
       .roles = kDesk, .scope = Scope::own_office, .offices = O::office, .session = true,
       .decide = h::appointment_checkin},
      // A station opens its counter only through staff.login (a PIN); opening without one, for
      // any staff name, is for administrators.
      {.type = "counter.open", .since_version = 1, .writes = true,
       .summary = "open a counter (staff logs in there)",
       .fields = {{"counter", F::string, true}, {"staff", F::string, false}},
       .roles = {}, .scope = Scope::own_office, .offices = O::counter, .decide = h::counter_open},
      counter_row("counter.close", "close a counter", h::counter_close),
      counter_row("counter.pause", "pause a counter", h::counter_pause),
      counter_row("counter.resume", "resume a paused counter", h::counter_resume),
      counter_row("counter.next", "call the next ticket by the routing rules", h::counter_next),
      [] {
        auto row = counter_row("counter.call",
                               "call a specific ticket (id or number); in an office that calls in "
                               "order, another than the next needs a reason",
                               h::counter_call,
                               {{"ticket", F::string, true}, {"reason", F::string, false, 32, kCallReasons}});
        row.offices = O::counter | O::ticket;
        return row;
      }(),
      // An office head moves a clerk to other services for the day (back at the next day).
      {.type = "counter.profile", .since_version = 1, .writes = true,
       .summary = "set a counter's services for the day, in priority order (the configured "
                  "profile again: back to it)",
       .fields = {{"counter", F::string, true}, {"services", F::string_list, true, 20}},
       .roles = {R::dashboard}, .scope = Scope::own_office, .offices = O::counter,
       .decide = h::counter_profile},
      counter_row("counter.recall", "call the current ticket again; past the limit it is a no-show",
                  h::counter_recall),
      counter_row("counter.no_show", "the called visitor did not come", h::counter_no_show),
      counter_row("counter.start", "the visitor arrived: start serving", h::counter_start),
      counter_row("counter.finish", "finish the current concern, optionally forward to back office",
                  h::counter_finish,
                  {{"outcome", F::string, false},
                   {"notes", F::string, false, 4000},
                   {"forward", F::boolean, false}}),
      counter_row("counter.transfer",
                  "send the visitor to another service or counter, keeping the place",
                  h::counter_transfer,
                  {{"service", F::string, false}, {"to_counter", F::string, false}}),
      counter_row("counter.park", "park the visitor (e.g. fetching number plates)", h::counter_park,
                  {{"reason", F::string, true}}),
      // End of day by hand (issue 17): administrators only (the CLI with the admin key).
      {.type = "day.close", .since_version = 1, .writes = true,
       .summary = "close an office's day now: open tickets become closed, open counters close",
       .fields = {{"office", F::string, true}},
       .roles = {}, .scope = Scope::own_office, .offices = O::office, .decide = h::day_close},
      // Public numbers of every office: a kiosk suggests nearby offices.
      {.type = "snapshot", .since_version = 1, .writes = false,
       .summary = "the full anonymous state of one office (or all) with its sequence",
       .fields = {{"office", F::string, false}},
       .roles = kEveryone, .scope = Scope::any, .offices = O::office, .decide = h::snapshot},
      {.type = "status", .since_version = 1, .writes = false,
       .summary = "per-office and per-service queue summary with estimates",
       .fields = {{"office", F::string, false}},
       .roles = kEveryone, .scope = Scope::any, .offices = O::office, .decide = h::status},
      // Without an office: only the key's offices (Broker::handle_stats).
      {.type = "stats", .since_version = 1, .writes = false,
       .summary = "day statistics per office/service/counter (a past day is replayed from the journal)",
       .fields = {{"day", F::string, true, 10}, {"office", F::string, false}},
       .roles = {R::dashboard, R::backoffice}, .scope = Scope::own_office, .offices = O::office,
       .filtered = true, .server = S::stats},
      {.type = "device.status", .since_version = 1, .writes = true,
       .summary = "a kiosk reports its printer/reader state",
       .fields = {{"device", F::string, true},
                  {"state", F::string, true, 32, kDeviceStates},
                  {"detail", F::string, false}},
       .roles = {R::kiosk, R::display}, .scope = Scope::own_device, .offices = O::device,
       .decide = h::device_status},
      // Counter stations and the back office (issue 5).
      {.type = "staff.login", .since_version = 1, .writes = true,
       .summary = "verify a login + PIN/password; with a counter, open it for them",
       .fields = {{"login", F::string, true, 64}, {"secret", F::string, true, 128},
                  {"counter", F::string, false}},
       .roles = {R::counter, R::backoffice}, .scope = Scope::own_office, .offices = O::counter,
       .server = S::staff_login},
      {.type = "identity.read", .since_version = 1, .writes = false,
       .summary = "the consented ID data of the visitor at this counter (or of a case); audited",
       .fields = {{"counter", F::string, false}, {"case", F::string, false, 64},
                  {"staff", F::string, false, 64}},
       .roles = {R::counter, R::backoffice}, .scope = Scope::serving_counter,
       .offices = O::counter | O::case_, .session = true, .server = S::identity_read},
      // Staff safety comes first: the alarm works even with nobody logged in.
      [] {
        auto row = counter_row("counter.panic", "staff safety alarm: alerts the office head's dashboard",
                               h::counter_panic);
        row.session = false;
        return row;
      }(),
      // The back office of one office sees and changes only that office's cases: each case
      // request resolves the case's office; lists are cut down to the key's offices.
      {.type = "case.list", .since_version = 1, .writes = false,
       .summary = "back-office cases, optionally of one unit",
       .fields = {{"unit", F::string, false}, {"office", F::string, false}},
       .roles = kBackoffice, .scope = Scope::own_office, .offices = O::office, .filtered = true,
       .decide = h::case_list},
      {.type = "case.claim", .since_version = 1, .writes = true,
       .summary = "a back-office clerk takes a case",
       .fields = {{"case", F::string, true, 64}, {"staff", F::string, true, 64}},
       .roles = kBackoffice, .scope = Scope::own_office, .offices = O::case_,
       .decide = h::case_claim},
      {.type = "case.finish", .since_version = 1, .writes = true,
       .summary = "the back office finished a case",
       .fields = {{"case", F::string, true, 64}, {"staff", F::string, false, 64},
                  {"outcome", F::string, false}},
       .roles = kBackoffice, .scope = Scope::own_office, .offices = O::case_,
       .decide = h::case_finish},
      {.type = "case.return", .since_version = 1, .writes = true,
       .summary = "the back office returns a case with a question to the front office",
       .fields = {{"case", F::string, true, 64}, {"question", F::string, true, 2000},
                  {"staff", F::string, false, 64}},
       .roles = kBackoffice, .scope = Scope::own_office, .offices = O::case_,
       .decide = h::case_return},
      // The gateway's outbox names no office: it is filtered to the key's offices instead.
      {.type = "outbox.fetch", .since_version = 1, .writes = false,
       .summary = "gateway: forwarded cases not yet acknowledged, with their ID data",
       .fields = {{"limit", F::integer, false}},
       .roles = kBackoffice, .scope = Scope::own_office, .offices = O::none, .filtered = true,
       .server = S::outbox_fetch},
      {.type = "outbox.ack", .since_version = 1, .writes = true,
       .summary = "gateway: a case is in the drop folder; deletes its personal data",
       .fields = {{"case", F::string, true, 64}},
       .roles = kBackoffice, .scope = Scope::own_office, .offices = O::case_,
       .server = S::outbox_ack},
  };
}

}  // namespace

const std::vector<MessageSpec>& message_specs() {
  static const std::vector<MessageSpec> specs = build_specs();
  return specs;
}

const MessageSpec* find_message(std::string_view type) {
  // Looked up several times per request (decode, permission, dispatch): hashed, not scanned.
  static const std::unordered_map<std::string_view, const MessageSpec*> by_type = [] {
    std::unordered_map<std::string_view, const MessageSpec*> m;
    for (const auto& row : message_specs()) m.emplace(row.type, &row);
    return m;
  }();
  auto it = by_type.find(type);
  return it == by_type.end() ? nullptr : it->second;
}

std::string_view to_string(ServerHandler h) {
  switch (h) {
    case S::none: return "core";
    case S::presence: return "presence";
    case S::stats: return "stats";
    case S::staff_login: return "staff_login";
    case S::identity_read: return "identity_read";
    case S::outbox_fetch: return "outbox_fetch";
    case S::outbox_ack: return "outbox_ack";
  }
  return "?";
}

}  // namespace wm::core
