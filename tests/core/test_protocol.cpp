// The wire protocol: the one validator (every class of error, with the request id when it can
// be read), reply encoding and decoding, and the declared message list.
#define BOOST_TEST_MODULE protocol
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <variant>

#include "core/protocol.hpp"
#include "tests/core/scenario.hpp"

using namespace wm::core;
using wm::test::json;

namespace {

json envelope(const std::string& type, json body, const std::string& id = "r1") {
  return json{{"v", 1}, {"id", id}, {"type", type}, {"body", std::move(body)}};
}

json issue_body() { return json{{"office", "o1"}, {"services", {"a"}}}; }

Request decode_ok(const std::string& frame) {
  auto r = decode_request(frame);
  if (auto* e = std::get_if<ProtocolError>(&r))
    BOOST_FAIL("expected a valid request, got " << to_string(e->code) << ": " << e->message);
  return std::get<Request>(r);
}

ProtocolError decode_err(const std::string& frame) {
  auto r = decode_request(frame);
  if (std::holds_alternative<Request>(r)) BOOST_FAIL("expected an error for " << frame.substr(0, 200));
  return std::get<ProtocolError>(r);
}

ProtocolError decode_err(const json& j) { return decode_err(j.dump()); }

// The error class, the id it carries and the offending field of one bad frame.
void expect(const json& frame, ErrorCode code, const std::string& id, const std::string& field) {
  ProtocolError e = decode_err(frame);
  BOOST_TEST_CONTEXT(frame.dump().substr(0, 200)) {
    BOOST_CHECK_EQUAL(to_string(e.code), to_string(code));
    BOOST_CHECK_EQUAL(e.id, id);
    BOOST_CHECK_EQUAL(e.field, field);
    BOOST_CHECK(!e.message.empty());
  }
}

// An issue request with one body field replaced.
json issue_with(const std::string& field, json value) {
  json b = issue_body();
  b[field] = std::move(value);
  return envelope("ticket.issue", b);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(decode)

BOOST_AUTO_TEST_CASE(valid_request_decodes) {
  json body = issue_body();
  body["language"] = "en";
  body["priority"] = "priority_needs";
  body["source"] = "kiosk";
  body["consent"] = true;
  body["identity"] = json{{"surname", "MUSTERMANN"}};
  Request r = decode_ok(envelope("ticket.issue", body, "kiosk-1/42").dump());
  BOOST_CHECK_EQUAL(r.version, 1);
  BOOST_CHECK_EQUAL(r.id, "kiosk-1/42");
  BOOST_CHECK_EQUAL(r.type, "ticket.issue");
  BOOST_CHECK_EQUAL(r.body, body);
}

BOOST_AUTO_TEST_CASE(body_may_be_missing_when_nothing_is_required) {
  Request r = decode_ok(R"({"v":1,"id":"p","type":"ping"})");
  BOOST_CHECK_EQUAL(r.type, "ping");
  BOOST_CHECK(r.body.is_object());
  BOOST_CHECK(r.body.empty());
  // ... but then a message with required fields misses them.
  expect(json{{"v", 1}, {"id", "x"}, {"type", "counter.next"}}, ErrorCode::bad_field, "x", "counter");
}

BOOST_AUTO_TEST_CASE(encode_request_roundtrip) {
  Request r{1, "abc", "counter.call", json{{"counter", "o1-1"}, {"ticket", "A007"}}};
  Request back = decode_ok(encode_request(r));
  BOOST_CHECK_EQUAL(back.id, r.id);
  BOOST_CHECK_EQUAL(back.type, r.type);
  BOOST_CHECK_EQUAL(back.body, r.body);
}

BOOST_AUTO_TEST_CASE(not_json) {
  for (std::string frame : {"", "{", "not json", R"({"v":1,"id":"x",})", "\xff\xfe",
                            R"({"v":1,"id":"x","type":"ping","body":{"a":"\xc3\x28"}})"}) {
    ProtocolError e = decode_err(frame);
    BOOST_CHECK_EQUAL(to_string(e.code), "bad_json");
    BOOST_CHECK_EQUAL(e.id, "");  // nothing could be read
  }
}

BOOST_AUTO_TEST_CASE(not_an_object) {
  for (std::string frame : {"[]", "[1,2]", "42", "\"ping\"", "null", "true"})
    BOOST_CHECK_EQUAL(to_string(decode_err(frame).code), "bad_envelope");
}

BOOST_AUTO_TEST_CASE(unknown_envelope_key) {
  json j = envelope("ping", json::object(), "id-7");
  j["extra"] = 1;
  expect(j, ErrorCode::bad_envelope, "id-7", "extra");
}

BOOST_AUTO_TEST_CASE(missing_or_non_integer_version) {
  json j = envelope("ping", json::object(), "id-v");
  j.erase("v");
  expect(j, ErrorCode::bad_envelope, "id-v", "v");
  for (json bad : {json("1"), json(1.0), json(1.5), json(nullptr), json(true), json::array({1})}) {
    j["v"] = bad;
    expect(j, ErrorCode::bad_envelope, "id-v", "v");
  }
}

BOOST_AUTO_TEST_CASE(unsupported_version) {
  json j = envelope("ping", json::object(), "id-u");
  for (json v : {json(0), json(2), json(-1), json(99)}) {
    j["v"] = v;
    expect(j, ErrorCode::unsupported_version, "id-u", "v");
  }
}

BOOST_AUTO_TEST_CASE(huge_version_is_not_truncated_to_a_supported_one) {
  // 2^32 + 1 and 2^64 - 1 must not wrap around to version 1 (or to anything else).
  for (const char* v : {"4294967297", "18446744073709551617", "18446744073709551615",
                        "-4294967295"}) {
    std::string frame = std::string(R"({"v":)") + v + R"(,"id":"big","type":"ping"})";
    ProtocolError e = decode_err(frame);
    BOOST_TEST_CONTEXT(v) {
      // 2^64 + 1 does not fit any integer: the parser makes it a float, so not an integer.
      if (std::string(v) == "18446744073709551617")
        BOOST_CHECK_EQUAL(to_string(e.code), "bad_envelope");
      else
        BOOST_CHECK_EQUAL(to_string(e.code), "unsupported_version");
      BOOST_CHECK_EQUAL(e.id, "big");
    }
  }
}

BOOST_AUTO_TEST_CASE(missing_empty_or_bad_id) {
  json j = envelope("ping", json::object());
  j.erase("id");
  expect(j, ErrorCode::bad_envelope, "", "id");
  for (json bad : {json(""), json(17), json(nullptr), json::object()}) {
    j["id"] = bad;
    expect(j, ErrorCode::bad_envelope, "", "id");
  }
}

BOOST_AUTO_TEST_CASE(id_length_limit) {
  std::string longest(kMaxIdBytes, 'x');
  BOOST_CHECK_EQUAL(decode_ok(envelope("ping", json::object(), longest).dump()).id, longest);
  expect(envelope("ping", json::object(), longest + "y"), ErrorCode::bad_envelope, "", "id");
}

BOOST_AUTO_TEST_CASE(unknown_or_missing_type) {
  expect(envelope("ticket.steal", json::object(), "t1"), ErrorCode::unknown_type, "t1", "type");
  expect(envelope("", json::object(), "t1"), ErrorCode::unknown_type, "t1", "type");
  // Replies and events are not requests.
  expect(envelope("ok", json::object(), "t1"), ErrorCode::unknown_type, "t1", "type");
  expect(envelope("ticket.issued", json::object(), "t1"), ErrorCode::unknown_type, "t1", "type");
  json j = envelope("ping", json::object(), "t2");
  j.erase("type");
  expect(j, ErrorCode::bad_envelope, "t2", "type");
  j["type"] = 5;
  expect(j, ErrorCode::bad_envelope, "t2", "type");
}

BOOST_AUTO_TEST_CASE(body_not_an_object) {
  for (json bad : {json::array(), json("x"), json(1), json(nullptr)})
    expect(envelope("ping", bad, "b1"), ErrorCode::bad_envelope, "b1", "body");
}

BOOST_AUTO_TEST_CASE(unknown_field) {
  expect(issue_with("colour", "blue"), ErrorCode::bad_field, "r1", "colour");
  expect(envelope("ping", json{{"x", 1}}, "p"), ErrorCode::bad_field, "p", "x");
  // A field of another message is unknown here.
  expect(envelope("counter.next", json{{"counter", "o1-1"}, {"ticket", "A001"}}),
         ErrorCode::bad_field, "r1", "ticket");
}

BOOST_AUTO_TEST_CASE(missing_required_field) {
  json b = issue_body();
  b.erase("services");
  expect(envelope("ticket.issue", b), ErrorCode::bad_field, "r1", "services");
  b = issue_body();
  b.erase("office");
  expect(envelope("ticket.issue", b), ErrorCode::bad_field, "r1", "office");
  expect(envelope("counter.park", json{{"counter", "o1-1"}}), ErrorCode::bad_field, "r1", "reason");
  expect(envelope("hello", json::object()), ErrorCode::bad_field, "r1", "client");
}

BOOST_AUTO_TEST_CASE(wrong_field_types) {
  // string field
  for (json bad : {json(5), json(true), json::array({"o1"}), json::object(), json(nullptr), json(1.5)})
    expect(issue_with("office", bad), ErrorCode::bad_field, "r1", "office");
  // boolean field
  for (json bad : {json("yes"), json(1), json(0), json(nullptr)})
    expect(issue_with("consent", bad), ErrorCode::bad_field, "r1", "consent");
  // string list
  for (json bad : {json("a"), json::array({1}), json::array({"a", nullptr}), json::object()})
    expect(issue_with("services", bad), ErrorCode::bad_field, "r1", "services");
  // object
  for (json bad : {json("MUSTERMANN"), json::array(), json(1)})
    expect(issue_with("identity", bad), ErrorCode::bad_field, "r1", "identity");
  // object list
  for (json bad : {json::object(), json::array({1}), json::array({json::object(), "x"})})
    expect(envelope("appointment.import", json{{"appointments", bad}}), ErrorCode::bad_field, "r1",
           "appointments");
  // integer where a string belongs (no declared message has an integer field)
  expect(envelope("counter.next", json{{"counter", 1}}), ErrorCode::bad_field, "r1", "counter");
}

BOOST_AUTO_TEST_CASE(disallowed_enum_values) {
  for (const char* p : {"normal", "priority_needs"})
    decode_ok(issue_with("priority", p).dump());
  // Appointment priority is given by check-in only, never asked for by a client.
  for (const char* p : {"appointment", "vip", "NORMAL", ""})
    expect(issue_with("priority", p), ErrorCode::bad_field, "r1", "priority");
  for (const char* s : {"appointment", "web"})
    expect(issue_with("source", s), ErrorCode::bad_field, "r1", "source");
  expect(envelope("hello", json{{"client", "robot"}}), ErrorCode::bad_field, "r1", "client");
  expect(envelope("device.status", json{{"device", "o1-kiosk/printer"}, {"state", "on_fire"}}),
         ErrorCode::bad_field, "r1", "state");
}

BOOST_AUTO_TEST_CASE(string_too_long) {
  decode_ok(issue_with("office", std::string(200, 'o')).dump());  // default limit is inclusive
  expect(issue_with("office", std::string(201, 'o')), ErrorCode::bad_field, "r1", "office");
  decode_ok(issue_with("language", std::string(8, 'l')).dump());
  expect(issue_with("language", std::string(9, 'l')), ErrorCode::bad_field, "r1", "language");
  expect(envelope("appointment.checkin", json{{"office", "o1"}, {"code", std::string(33, 'c')}}),
         ErrorCode::bad_field, "r1", "code");
  decode_ok(envelope("counter.finish", json{{"counter", "o1-1"}, {"notes", std::string(4000, 'n')}})
                .dump());
  expect(envelope("counter.finish", json{{"counter", "o1-1"}, {"notes", std::string(4001, 'n')}}),
         ErrorCode::bad_field, "r1", "notes");
  // Elements of a string list are limited too.
  expect(issue_with("services", json::array({std::string(201, 's')})), ErrorCode::bad_field, "r1",
         "services");
}

BOOST_AUTO_TEST_CASE(list_too_long_or_empty) {
  decode_ok(issue_with("services", json::array({"a", "b", "c"})).dump());
  expect(issue_with("services", json::array({"a", "b", "c", "d"})), ErrorCode::bad_field, "r1",
         "services");
  expect(issue_with("services", json::array()), ErrorCode::bad_field, "r1", "services");
  json many = json::array();
  for (int i = 0; i < 501; ++i) many.push_back(json{{"code", "c" + std::to_string(i)}});
  expect(envelope("appointment.import", json{{"appointments", many}}), ErrorCode::bad_field, "r1",
         "appointments");
  many.erase(many.begin());
  decode_ok(envelope("appointment.import", json{{"appointments", many}}).dump());
}

BOOST_AUTO_TEST_CASE(oversize_frame) {
  // Exactly at the limit is fine (padding with whitespace keeps it valid JSON) ...
  std::string frame = envelope("ping", json::object(), "big").dump();
  frame += std::string(kMaxRequestBytes - frame.size(), ' ');
  BOOST_REQUIRE_EQUAL(frame.size(), kMaxRequestBytes);
  BOOST_CHECK_EQUAL(decode_ok(frame).id, "big");
  // ... one byte more is refused before parsing.
  frame += ' ';
  BOOST_CHECK_EQUAL(to_string(decode_err(frame).code), "too_large");
  std::string huge = envelope("counter.finish",
                              json{{"counter", "o1-1"}, {"notes", std::string(70000, 'n')}}).dump();
  BOOST_CHECK_EQUAL(to_string(decode_err(huge).code), "too_large");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(replies)

BOOST_AUTO_TEST_CASE(ok_roundtrip) {
  json body{{"ticket", {{"number", "K017"}, {"services", {"kfz-neu"}}}}, {"estimate_ms", 1200000},
            {"text", "Bürgerbüro Görlitz"}};
  std::string frame = encode_ok("req-1", body);
  auto r = decode_reply(frame);
  BOOST_REQUIRE(r);
  BOOST_CHECK(r->ok);
  BOOST_CHECK_EQUAL(r->id, "req-1");
  BOOST_CHECK_EQUAL(r->body, body);
  json j = json::parse(frame);
  BOOST_CHECK_EQUAL(j["v"], kProtocolVersion);
  BOOST_CHECK_EQUAL(j["type"], "ok");
  // Spliced, not built as an envelope object: still byte for byte the envelope's own dump
  // (replies are journaled for retries, so their text must not drift between versions).
  json envelope{{"v", kProtocolVersion}, {"id", "req-\"1\""}, {"type", "ok"}, {"body", body}};
  BOOST_CHECK_EQUAL(encode_ok("req-\"1\"", body), envelope.dump());
}

BOOST_AUTO_TEST_CASE(error_roundtrip_for_every_code) {
  for (int i = 0; i <= static_cast<int>(ErrorCode::internal); ++i) {
    auto code = static_cast<ErrorCode>(i);
    BOOST_TEST_CONTEXT(to_string(code)) {
      BOOST_CHECK_EQUAL(error_code_from(to_string(code)).value_or(ErrorCode::internal) == code, true);
      std::string frame = encode_error("e-" + std::to_string(i), code, "Nachricht äöü", "field");
      auto r = decode_reply(frame);
      BOOST_REQUIRE(r);
      BOOST_CHECK(!r->ok);
      BOOST_CHECK_EQUAL(r->id, "e-" + std::to_string(i));
      BOOST_CHECK(r->error == code);
      BOOST_CHECK_EQUAL(r->message, "Nachricht äöü");
      BOOST_CHECK_EQUAL(r->body["field"], "field");
    }
  }
  // No field: no "field" key.
  auto r = decode_reply(encode_error("x", ErrorCode::queue_empty, "leer"));
  BOOST_REQUIRE(r);
  BOOST_CHECK(!r->body.contains("field"));
  BOOST_CHECK(!error_code_from("no_such_code"));
}

BOOST_AUTO_TEST_CASE(encoding_survives_invalid_utf8) {
  // A message built from a client's bytes must not make the encoder throw.
  std::string bad = "caf\xc3";
  std::string frame;
  BOOST_REQUIRE_NO_THROW(frame = encode_error("id", ErrorCode::bad_field, "field " + bad, bad));
  BOOST_CHECK(decode_reply(frame));
  BOOST_REQUIRE_NO_THROW(frame = encode_ok("id", json{{"x", bad}}));
  BOOST_CHECK(decode_reply(frame));
}

BOOST_AUTO_TEST_CASE(decode_reply_rejects_garbage) {
  BOOST_CHECK(!decode_reply("nonsense"));
  BOOST_CHECK(!decode_reply("[]"));
  BOOST_CHECK(!decode_reply(R"({"id":"x"})"));
  BOOST_CHECK(!decode_reply(R"({"id":"x","type":1})"));
  auto r = decode_reply(R"({"type":"error","body":{"code":"what"}})");
  BOOST_REQUIRE(r);
  BOOST_CHECK(r->error == ErrorCode::internal);  // unknown codes read as internal
  // Error bodies of the wrong shape are errors too, never an exception (fuzz_protocol found
  // a body that was `true`).
  for (const char* bad : {R"({"type":"ticket.issue","body":true})", R"({"type":"error","body":[1]})",
                          R"({"type":"error","body":{"code":7,"message":{"x":1}}})"}) {
    std::optional<Reply> b;
    BOOST_REQUIRE_NO_THROW(b = decode_reply(bad));
    BOOST_REQUIRE(b);
    BOOST_CHECK(!b->ok);
    BOOST_CHECK(b->error == ErrorCode::internal);
    BOOST_CHECK(b->message.empty());
  }
}

BOOST_AUTO_TEST_CASE(decode_error_becomes_error_reply_with_id) {
  // What the broker does with a rejected request: the client can match the answer.
  json j = envelope("ticket.issue", json{{"office", "o1"}}, "kiosk-9");
  ProtocolError e = decode_err(j);
  auto r = decode_reply(encode_error(e.id, e.code, e.message, e.field));
  BOOST_REQUIRE(r);
  BOOST_CHECK_EQUAL(r->id, "kiosk-9");
  BOOST_CHECK(r->error == ErrorCode::bad_field);
  BOOST_CHECK_EQUAL(r->body["field"], "services");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(declarations)

BOOST_AUTO_TEST_CASE(message_types_are_unique_and_findable) {
  std::set<std::string> types;
  for (const auto& m : message_specs()) {
    BOOST_TEST_CONTEXT(m.type) {
      BOOST_CHECK(types.insert(m.type).second);
      BOOST_CHECK_EQUAL(find_message(m.type), &m);
      BOOST_CHECK(m.since_version >= kMinProtocolVersion && m.since_version <= kProtocolVersion);
      BOOST_CHECK(m.summary && *m.summary);
      std::set<std::string> fields;
      for (const auto& f : m.fields) BOOST_CHECK(fields.insert(f.name).second);
    }
  }
  BOOST_CHECK(!find_message("no.such"));
  for (const char* t : {"hello", "ping", "ticket.issue", "counter.next", "counter.call",
                        "counter.transfer", "counter.park", "appointment.checkin", "snapshot"})
    BOOST_CHECK_MESSAGE(find_message(t), t);
}

BOOST_AUTO_TEST_CASE(every_declared_message_accepts_its_required_fields) {
  // A minimal valid body for each message passes the validator (the declarations are usable).
  for (const auto& m : message_specs()) {
    json body = json::object();
    for (const auto& f : m.fields) {
      if (!f.required) continue;
      switch (f.type) {
        case FieldType::string:
          body[f.name] = f.allowed.empty() ? std::string("x") : std::string(f.allowed.front());
          break;
        case FieldType::integer: body[f.name] = 1; break;
        case FieldType::boolean: body[f.name] = true; break;
        case FieldType::string_list: body[f.name] = json::array({"x"}); break;
        case FieldType::object: body[f.name] = json::object(); break;
        case FieldType::object_list: body[f.name] = json::array({json::object()}); break;
      }
    }
    BOOST_TEST_CONTEXT(m.type) { decode_ok(envelope(m.type, body).dump()); }
  }
}

BOOST_AUTO_TEST_CASE(event_types_are_unique) {
  std::set<std::string> types;
  for (const auto& e : event_specs()) BOOST_CHECK_MESSAGE(types.insert(e.type).second, e.type);
  BOOST_CHECK(types.count("ticket.issued") && types.count("ticket.called"));
}

BOOST_AUTO_TEST_SUITE_END()
