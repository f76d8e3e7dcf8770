// The declared message list and the one validator every request passes through.
#include "core/protocol.hpp"

#include <array>
#include <initializer_list>
#include <map>
#include <cstdint>
#include <utility>

namespace wm::core {
namespace {

using F = FieldType;

constexpr std::array<std::pair<ErrorCode, std::string_view>, 16> kErrorNames{{
    {ErrorCode::bad_json, "bad_json"},
    {ErrorCode::bad_envelope, "bad_envelope"},
    {ErrorCode::unsupported_version, "unsupported_version"},
    {ErrorCode::unknown_type, "unknown_type"},
    {ErrorCode::bad_field, "bad_field"},
    {ErrorCode::too_large, "too_large"},
    {ErrorCode::not_found, "not_found"},
    {ErrorCode::invalid_state, "invalid_state"},
    {ErrorCode::queue_empty, "queue_empty"},
    {ErrorCode::forbidden, "forbidden"},
    {ErrorCode::unavailable, "unavailable"},
    {ErrorCode::rate_limited, "rate_limited"},
    {ErrorCode::locked, "locked"},
    {ErrorCode::office_closed, "office_closed"},
    {ErrorCode::last_ticket_passed, "last_ticket_passed"},
    {ErrorCode::internal, "internal"},
}};

const std::vector<std::string_view> kPriorities{"normal", "priority_needs"};
const std::vector<std::string_view> kSources{"kiosk", "counter", "cli"};
const std::vector<std::string_view> kClientKinds{"kiosk",     "counter", "display", "dashboard",
                                                 "backoffice", "cli",    "bench",   "status"};
const std::vector<std::string_view> kDeviceStates{"ok", "paper_low", "paper_out", "cover_open",
                                                  "offline", "error"};

std::vector<MessageSpec> build_specs() {
  return {
      {"hello", 1, false, "introduce the client; returns server time, clock speed and sequence",
       {{"client", F::string, true, 32, kClientKinds},
        {"name", F::string, false},
        {"office", F::string, false}}},
      {"ping", 1, false, "heartbeat; the broker forgets clients silent for ~5 s (may repeat hello's fields)",
       {{"client", F::string, false, 32, kClientKinds},
        {"name", F::string, false},
        {"office", F::string, false}}},
      {"ticket.issue", 1, true, "issue a waiting ticket for one or more services",
       {{"office", F::string, true},
        {"services", F::string_list, true, 3},
        {"language", F::string, false, 8},
        {"priority", F::string, false, 32, kPriorities},
        {"source", F::string, false, 32, kSources},
        {"kiosk", F::string, false},
        {"consent", F::boolean, false},
        {"identity", F::object, false}}},
      {"ticket.cancel", 1, true, "cancel a waiting or parked ticket",
       {{"ticket", F::string, true}, {"reason", F::string, false}}},
      {"ticket.return", 1, true, "a parked visitor returns to the queue (by ticket id or token)",
       {{"ticket", F::string, false}, {"token", F::string, false, 64}}},
      {"ticket.reactivate", 1, true, "a no-show ticket goes back to waiting",
       {{"ticket", F::string, true}}},
      {"ticket.status", 1, false, "one ticket's anonymous status: position, estimate, call",
       {{"ticket", F::string, false}, {"token", F::string, false, 64}}},
      {"appointment.import", 1, true, "import booked appointments (code, office, service, slot)",
       {{"appointments", F::object_list, true, 500}}},
      {"appointment.checkin", 1, true, "check in an appointment by its booking code",
       {{"office", F::string, true},
        {"code", F::string, true, 32},
        {"language", F::string, false, 8}}},
      {"counter.open", 1, true, "open a counter (staff logs in there)",
       {{"counter", F::string, true}, {"staff", F::string, false}}},
      {"counter.close", 1, true, "close a counter", {{"counter", F::string, true}}},
      {"counter.pause", 1, true, "pause a counter", {{"counter", F::string, true}}},
      {"counter.resume", 1, true, "resume a paused counter", {{"counter", F::string, true}}},
      {"counter.next", 1, true, "call the next ticket by the routing rules",
       {{"counter", F::string, true}}},
      {"counter.call", 1, true, "call a specific ticket (id or number)",
       {{"counter", F::string, true}, {"ticket", F::string, true}}},
      {"counter.recall", 1, true, "call the current ticket again; past the limit it is a no-show",
       {{"counter", F::string, true}}},
      {"counter.no_show", 1, true, "the called visitor did not come",
       {{"counter", F::string, true}}},
      {"counter.start", 1, true, "the visitor arrived: start serving",
       {{"counter", F::string, true}}},
      {"counter.finish", 1, true, "finish the current concern, optionally forward to back office",
       {{"counter", F::string, true},
        {"outcome", F::string, false},
        {"notes", F::string, false, 4000},
        {"forward", F::boolean, false}}},
      {"counter.transfer", 1, true, "send the visitor to another service or counter, keeping the place",
       {{"counter", F::string, true},
        {"service", F::string, false},
        {"to_counter", F::string, false}}},
      {"counter.park", 1, true, "park the visitor (e.g. fetching number plates)",
       {{"counter", F::string, true}, {"reason", F::string, true}}},
      {"snapshot", 1, false, "the full anonymous state of one office (or all) with its sequence",
       {{"office", F::string, false}}},
      {"status", 1, false, "per-office and per-service queue summary with estimates",
       {{"office", F::string, false}}},
      {"stats", 1, false, "day statistics per office/service/counter (a past day is replayed from the journal)",
       {{"day", F::string, true, 10}, {"office", F::string, false}}},
      {"device.status", 1, true, "a kiosk reports its printer/reader state",
       {{"device", F::string, true},
        {"state", F::string, true, 32, kDeviceStates},
        {"detail", F::string, false}}},
      // Counter stations and the back office (issue 5).
      {"staff.login", 1, true, "verify a login + PIN/password; with a counter, open it for them",
       {{"login", F::string, true, 64}, {"secret", F::string, true, 128}, {"counter", F::string, false}}},
      {"identity.read", 1, false, "the consented ID data of the visitor at this counter (or of a case); audited",
       {{"counter", F::string, false}, {"case", F::string, false, 64}, {"staff", F::string, false, 64}}},
      {"counter.panic", 1, true, "staff safety alarm: alerts the office head's dashboard",
       {{"counter", F::string, true}}},
      {"case.list", 1, false, "back-office cases, optionally of one unit",
       {{"unit", F::string, false}, {"office", F::string, false}}},
      {"case.claim", 1, true, "a back-office clerk takes a case",
       {{"case", F::string, true, 64}, {"staff", F::string, true, 64}}},
      {"case.finish", 1, true, "the back office finished a case",
       {{"case", F::string, true, 64}, {"staff", F::string, false, 64}, {"outcome", F::string, false}}},
      {"case.return", 1, true, "the back office returns a case with a question to the front office",
       {{"case", F::string, true, 64}, {"question", F::string, true, 2000}, {"staff", F::string, false, 64}}},
      {"outbox.fetch", 1, false, "gateway: forwarded cases not yet acknowledged, with their ID data",
       {{"limit", F::integer, false}}},
      {"outbox.ack", 1, true, "gateway: a case is in the drop folder; deletes its personal data",
       {{"case", F::string, true, 64}}},
  };
}

bool check_field(const FieldSpec& f, const json& v, std::string& why) {
  auto string_ok = [&](const json& s) {
    if (!s.is_string()) return false;
    const auto& str = s.get_ref<const std::string&>();
    if (str.size() > f.max_len && f.type == F::string) {
      why = "longer than " + std::to_string(f.max_len) + " bytes";
      return false;
    }
    if (f.type == F::string_list && str.size() > 200) {
      why = "element longer than 200 bytes";
      return false;
    }
    if (!f.allowed.empty()) {
      for (auto a : f.allowed)
        if (a == str) return true;
      why = "value '" + str + "' not allowed";
      return false;
    }
    return true;
  };
  switch (f.type) {
    case F::string:
      if (!v.is_string()) return why = "must be a string", false;
      return string_ok(v);
    case F::integer:
      if (!v.is_number_integer()) return why = "must be an integer", false;
      return true;
    case F::boolean:
      if (!v.is_boolean()) return why = "must be true or false", false;
      return true;
    case F::object:
      if (!v.is_object()) return why = "must be an object", false;
      return true;
    case F::string_list:
      if (!v.is_array()) return why = "must be a list of strings", false;
      if (v.empty()) return why = "must not be empty", false;
      if (v.size() > f.max_len)
        return why = "more than " + std::to_string(f.max_len) + " elements", false;
      for (const auto& e : v) {
        if (!e.is_string()) return why = "must be a list of strings", false;
        if (!string_ok(e)) return false;
      }
      return true;
    case F::object_list:
      if (!v.is_array()) return why = "must be a list of objects", false;
      if (v.size() > f.max_len)
        return why = "more than " + std::to_string(f.max_len) + " elements", false;
      for (const auto& e : v)
        if (!e.is_object()) return why = "must be a list of objects", false;
      return true;
  }
  return false;
}

}  // namespace

std::string_view to_string(ErrorCode c) {
  for (const auto& [code, name] : kErrorNames)
    if (code == c) return name;
  return "internal";
}

std::optional<ErrorCode> error_code_from(std::string_view s) {
  for (const auto& [code, name] : kErrorNames)
    if (name == s) return code;
  return std::nullopt;
}

const std::vector<MessageSpec>& message_specs() {
  static const std::vector<MessageSpec> specs = build_specs();
  return specs;
}

const MessageSpec* find_message(std::string_view type) {
  for (const auto& m : message_specs())
    if (type == m.type) return &m;
  return nullptr;
}

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
      {"ticket.called", "a ticket was called to a counter (also recalls, with the count)",
       all(kPublic, {"ticket", "counter", "recalls"})},
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

std::variant<Request, ProtocolError> decode_request(std::string_view frame) {
  if (frame.size() > kMaxRequestBytes)
    return ProtocolError{ErrorCode::too_large,
                         "request of " + std::to_string(frame.size()) + " bytes exceeds " +
                             std::to_string(kMaxRequestBytes),
                         {}, {}};
  json j = json::parse(frame, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return ProtocolError{ErrorCode::bad_json, "request is not valid JSON", {}, {}};
  if (!j.is_object())
    return ProtocolError{ErrorCode::bad_envelope, "request must be a JSON object", {}, {}};

  std::string id;
  if (auto it = j.find("id"); it != j.end() && it->is_string() && it->get_ref<const std::string&>().size() <= kMaxIdBytes)
    id = it->get<std::string>();
  for (const auto& [key, _] : j.items())
    if (key != "v" && key != "id" && key != "type" && key != "body")
      return ProtocolError{ErrorCode::bad_envelope, "unknown envelope key '" + key + "'", id, key};
  auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer())
    return ProtocolError{ErrorCode::bad_envelope, "missing integer protocol version 'v'", id, "v"};
  // Compare at full width: get<int>() would wrap 2^32 + 1 around to a supported version.
  const bool supported =
      v->is_number_unsigned()
          ? v->get<std::uint64_t>() >= static_cast<std::uint64_t>(kMinProtocolVersion) &&
                v->get<std::uint64_t>() <= static_cast<std::uint64_t>(kProtocolVersion)
          : v->get<std::int64_t>() >= kMinProtocolVersion &&
                v->get<std::int64_t>() <= kProtocolVersion;
  if (!supported)
    return ProtocolError{ErrorCode::unsupported_version,
                         "protocol version " + v->dump() + " not supported (" +
                             std::to_string(kMinProtocolVersion) + ".." +
                             std::to_string(kProtocolVersion) + ")",
                         id, "v"};
  const int version = v->get<int>();
  if (id.empty())
    return ProtocolError{ErrorCode::bad_envelope,
                         "missing request id 'id' (1.." + std::to_string(kMaxIdBytes) + " chars)",
                         {}, "id"};
  auto t = j.find("type");
  if (t == j.end() || !t->is_string())
    return ProtocolError{ErrorCode::bad_envelope, "missing string 'type'", id, "type"};
  const std::string type = t->get<std::string>();
  const MessageSpec* spec = find_message(type);
  if (!spec || spec->since_version > version)
    return ProtocolError{ErrorCode::unknown_type, "unknown message type '" + type.substr(0, 64) + "'",
                         id, "type"};

  json body = json::object();
  if (auto b = j.find("body"); b != j.end()) {
    if (!b->is_object())
      return ProtocolError{ErrorCode::bad_envelope, "'body' must be an object", id, "body"};
    body = std::move(*b);
  }
  for (const auto& [key, value] : body.items()) {
    const FieldSpec* f = nullptr;
    for (const auto& fs : spec->fields)
      if (key == fs.name) f = &fs;
    if (!f)
      return ProtocolError{ErrorCode::bad_field,
                           "unknown field '" + key.substr(0, 64) + "' for " + type, id, key};
    std::string why;
    if (!check_field(*f, value, why))
      return ProtocolError{ErrorCode::bad_field, "field '" + key + "' " + why, id, key};
  }
  for (const auto& fs : spec->fields)
    if (fs.required && !body.contains(fs.name))
      return ProtocolError{ErrorCode::bad_field,
                           std::string("missing required field '") + fs.name + "'", id, fs.name};
  return Request{version, std::move(id), type, std::move(body)};
}

std::string encode_request(const Request& r) {
  return json{{"v", r.version}, {"id", r.id}, {"type", r.type}, {"body", r.body}}.dump();
}

std::string encode_ok(const std::string& id, const json& body) {
  // Byte for byte what dumping {"v","id","type","body"} gives (keys sorted), without copying
  // the body into an envelope object first: replies are the broker's most frequent encoding.
  std::string out = R"({"body":)";
  out += body.dump(-1, ' ', false, json::error_handler_t::replace);
  out += R"(,"id":)";
  out += json(id).dump(-1, ' ', false, json::error_handler_t::replace);
  out += R"(,"type":"ok","v":)";
  out += std::to_string(kProtocolVersion);
  out += '}';
  return out;
}

std::string encode_error(const std::string& id, ErrorCode code, const std::string& message,
                         const std::string& field) {
  json body{{"code", to_string(code)}, {"message", message}};
  if (!field.empty()) body["field"] = field;
  return json{{"v", kProtocolVersion}, {"id", id}, {"type", "error"}, {"body", body}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::optional<Reply> decode_reply(std::string_view frame) {
  json j = json::parse(frame, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("type") || !j["type"].is_string())
    return std::nullopt;
  Reply r;
  if (j.contains("id") && j["id"].is_string()) r.id = j["id"].get<std::string>();
  r.body = j.value("body", json::object());
  r.ok = j["type"] == "ok";
  if (!r.ok) {
    // A broken error body (not an object, fields of the wrong type) is still an error, not a
    // crash: json::value() throws on those (found by fuzz_protocol).
    auto text = [&](const char* key) -> std::string {
      if (!r.body.is_object()) return {};
      auto it = r.body.find(key);
      return it != r.body.end() && it->is_string() ? it->get<std::string>() : std::string{};
    };
    r.error = error_code_from(text("code")).value_or(ErrorCode::internal);
    r.message = text("message");
  }
  return r;
}

}  // namespace wm::core
