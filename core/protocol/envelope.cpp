// The JSON envelope: error codes, the one validator every request passes through (against its
// declared row, core/protocol/requests.cpp), and the encoders.
#include "core/protocol.hpp"

#include <array>
#include <cstdint>
#include <utility>

namespace wm::core {
namespace {

using F = FieldType;

constexpr std::array<std::pair<ErrorCode, std::string_view>, 17> kErrorNames{{
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
    {ErrorCode::recall_too_early, "recall_too_early"},
    {ErrorCode::internal, "internal"},
}};
// `internal` is the last code: a new one must get its name here (error_codes() lists them).
static_assert(kErrorNames.size() == static_cast<std::size_t>(ErrorCode::internal) + 1);

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

const std::vector<ErrorCode>& error_codes() {
  static const std::vector<ErrorCode> codes = [] {
    std::vector<ErrorCode> v;
    for (const auto& [code, name] : kErrorNames) v.push_back(code);
    return v;
  }();
  return codes;
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
