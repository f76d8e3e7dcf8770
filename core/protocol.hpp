// The wire protocol: the declared request and event tables, the JSON envelope and its single validator.
#pragma once

#include <nlohmann/json.hpp>

#include "core/model.hpp"

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
  recall_too_early,     // counter.recall within the service's recall_min_interval_s of the last call
  internal,
};

std::string_view to_string(ErrorCode c);
std::optional<ErrorCode> error_code_from(std::string_view s);
const std::vector<ErrorCode>& error_codes();  // every code, in declaration order
inline std::ostream& operator<<(std::ostream& os, ErrorCode c) { return os << to_string(c); }

enum class FieldType { string, integer, boolean, string_list, object, object_list };

struct FieldSpec {
  const char* name;
  FieldType type;
  bool required;
  std::size_t max_len = 200;                  // strings: bytes; lists: elements
  std::vector<std::string_view> allowed = {};  // strings: allowed values (empty = any)
};

struct Request {
  int version = kProtocolVersion;
  std::string id;    // client request id: retries reuse it and get the first answer
  std::string type;
  json body;
};

// The role a device key is registered with. `cli` is the local admin tool: same rights as admin.
enum class DeviceRole { kiosk, display, counter, dashboard, backoffice, admin, cli };

// How far a permitted role may reach.
enum class Scope {
  any,              // no office restriction (anonymous reads, heartbeats)
  own_office,       // the office the request touches must be one of the sender's offices
  own_device,       // own_office, and a device may report only its own name ("device" field)
  serving_counter,  // ID data: counters only for the ticket they call/serve; back office always
};

// Where the office(s) a request touches come from: each row declares the references of its
// body that the permission check resolves (core/permissions.cpp offices_of). A set: a transfer
// names two counters, a ticket.issue an office and a kiosk. `none` is for the truly global rows.
enum class OfficeFrom : unsigned {
  none = 0,
  office = 1u << 0,        // the "office" field itself
  counter = 1u << 1,       // "counter" and "to_counter": the office of the counter
  kiosk = 1u << 2,         // "kiosk": the office of the kiosk
  device = 1u << 3,        // "device" ("<station>/<part>"): the office of the station
  station = 1u << 4,       // "name" (hello, ping): the office of the station named
  ticket = 1u << 5,        // "ticket" (an id): the ticket's office
  token = 1u << 6,         // "token": the office of the ticket with that status-page token
  case_ = 1u << 7,         // "case": the case's office
  appointments = 1u << 8,  // the "office" of every entry of "appointments"
};
constexpr OfficeFrom operator|(OfficeFrom a, OfficeFrom b) {
  return static_cast<OfficeFrom>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr bool has(OfficeFrom set, OfficeFrom one) {
  return (static_cast<unsigned>(set) & static_cast<unsigned>(one)) != 0;
}

// A request core decides (core/commands.hpp): pure, state and time in, events and reply out.
struct Decision;
class State;
using CoreHandler = Decision (*)(const Request&, const State&, Millis);

// The requests the server answers itself, with its store, secrets or connection table; the
// broker maps each to its function (server/broker.cpp) and a switch over this enum makes a
// missing one a compile error.
enum class ServerHandler {
  none,           // decided in core: the row's `decide`
  presence,       // hello, ping: the connection's presence (Broker::handle_request)
  stats,          // Broker::handle_stats (replays past days from the journal)
  staff_login,    // server/staff_requests.cpp: Argon2id, lockout; then counter.open
  identity_read,  // server/staff_requests.cpp: ID data from the personal store, audited
  outbox_fetch,   // server/staff_requests.cpp: the gateway's outbox
  outbox_ack,     // server/staff_requests.cpp: deletes a delivered case's personal data
};
std::string_view to_string(ServerHandler h);

// One declared request: the one row that says what it carries, who may send it for which
// office, and who answers it. Every request gets either an "ok" reply or an "error" reply.
// Adding a request is one row here (core/protocol/requests.cpp), one handler, one docs entry.
struct MessageSpec {
  const char* type;
  int since_version;
  bool writes;        // changes state: journaled before it is acknowledged
  const char* summary;
  std::vector<FieldSpec> fields;
  std::vector<DeviceRole> roles;  // admin and cli are always allowed and not listed; empty = admin only
  Scope scope = Scope::own_office;
  OfficeFrom offices = OfficeFrom::none;
  // A counter station needs a staff session (staff.login from this station, not yet closed)
  // and acts only at the counter it holds. Bound to the device key and journaled with the
  // counter.changed event, so it survives the station's reconnect and a broker restart.
  bool session = false;
  // A list request (case.list, outbox.fetch, stats): a key limited to some offices gets only
  // their rows, whatever it asked for.
  bool filtered = false;
  CoreHandler decide = nullptr;                 // decided in core ...
  ServerHandler server = ServerHandler::none;   // ... or answered by the server
};

// The request table (core/protocol/requests.cpp), one row per type.
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
