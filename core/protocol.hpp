// The wire protocol: one declared list of messages, the JSON envelope, and its single validator.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <ostream>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace wm::core {

using json = nlohmann::json;

inline constexpr int kProtocolVersion = 1;
inline constexpr int kMinProtocolVersion = 1;
inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;
inline constexpr std::size_t kMaxIdBytes = 64;

enum class ErrorCode {
  bad_json,             // not parseable as JSON
  bad_envelope,         // JSON, but not {"v","id","type","body"}
  unsupported_version,  // v outside [kMinProtocolVersion, kProtocolVersion]
  unknown_type,         // no such message
  bad_field,            // missing, wrong type, too long, not allowed value, unknown field
  too_large,            // frame over kMaxRequestBytes
  not_found,            // office, counter, ticket, appointment ... does not exist
  invalid_state,        // e.g. finish without serving, call while another ticket is called
  queue_empty,          // next: nothing waiting for this counter
  forbidden,            // role or office does not allow it
  unavailable,          // store cannot write (disk full, read-only); nothing was changed
  rate_limited,         // this connection sent too many requests ([security] rate_limit)
  locked,               // staff.login: too many wrong PINs, the login is locked for a while
  office_closed,        // ticket.issue outside the office's opening hours
  last_ticket_passed,   // ticket.issue: the service's estimated start is past its cut-off
  internal,
};

std::string_view to_string(ErrorCode c);
std::optional<ErrorCode> error_code_from(std::string_view s);
inline std::ostream& operator<<(std::ostream& os, ErrorCode c) { return os << to_string(c); }

enum class FieldType { string, integer, boolean, string_list, object, object_list };

struct FieldSpec {
  const char* name;
  FieldType type;
  bool required;
  std::size_t max_len = 200;                  // strings: bytes; lists: elements
  std::vector<std::string_view> allowed = {};  // strings: allowed values (empty = any)
};

// One declared request type. Every request gets either an "ok" reply or an "error" reply.
struct MessageSpec {
  const char* type;
  int since_version;
  bool writes;        // changes state: journaled before it is acknowledged
  const char* summary;
  std::vector<FieldSpec> fields;
};

const std::vector<MessageSpec>& message_specs();
const MessageSpec* find_message(std::string_view type);

// Who may see a field of an event or of a state record (issue 14). core/visibility.cpp is the
// one place that projects by it; the PUB socket carries only `public` fields.
enum class Visibility {
  public_,       // numbers, counters, services, counts: what a waiting-room display may show
  office_staff,  // staff logins, station presence, outcomes, park/cancel reasons: staff of the office
  serving,       // only the counter serving that ticket (or that forwarded that case), and the back office
  backoffice,    // the back office of the office (case notes)
  internal,      // journaled because the broker needs it (status token, booking code), never projected
  sealed,        // never in an event: kept encrypted in the personal store, referenced by id
};
std::string_view to_string(Visibility v);
inline std::ostream& operator<<(std::ostream& os, Visibility v) { return os << to_string(v); }

// One declared field. `name` is a path: "ticket.token" is the token of the nested "ticket"
// object; a list of objects declares its elements' fields the same way ("appointments.code").
struct EventField {
  std::string name;
  Visibility visibility;
};

// Event types published on the PUB socket: what each carries and who may see each field.
struct EventSpec {
  const char* type;
  const char* summary;
  std::vector<EventField> fields;
};
const std::vector<EventSpec>& event_specs();
const EventSpec* find_event(std::string_view type);

// The fields of the records a snapshot lists (and events nest), declared once: "ticket"
// (with "history"), "case", "counter", "device", "presence", "call", and the day statistics'
// "stats_counter".
const std::vector<EventField>& record_fields(std::string_view record);

struct Request {
  int version = kProtocolVersion;
  std::string id;    // client request id: retries reuse it and get the first answer
  std::string type;
  json body;
};

struct ProtocolError {
  ErrorCode code;
  std::string message;
  std::string id;     // the request id if it could be read, so the client can match it
  std::string field;  // offending field, if any
};

// Parses and validates one request frame. The only place that decides what is well-formed.
std::variant<Request, ProtocolError> decode_request(std::string_view frame);

std::string encode_request(const Request& r);
std::string encode_ok(const std::string& id, const json& body);
std::string encode_error(const std::string& id, ErrorCode code, const std::string& message,
                         const std::string& field = {});

// A decoded reply: ok with a body, or an error.
struct Reply {
  std::string id;
  bool ok = false;
  json body;
  ErrorCode error = ErrorCode::internal;
  std::string message;
};
std::optional<Reply> decode_reply(std::string_view frame);

}  // namespace wm::core
