// staff.login (its two halves around the Argon2id verify), identity.read (audited), outbox.fetch / outbox.ack.
#include "server/staff_requests.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>

#include "server/audit.hpp"
#include "server/ldap_auth.hpp"

namespace wm::server {
namespace {

using core::ErrorCode;
using core::json;

StaffOutcome error(const core::Request& r, ErrorCode code, const std::string& msg,
                   const std::string& field = {}) {
  StaffOutcome o;
  o.reply = core::encode_error(r.id, code, msg, field);
  return o;
}

StaffOutcome ok(const core::Request& r, const json& body, bool remember = false) {
  StaffOutcome o;
  o.reply = core::encode_ok(r.id, body);
  o.remember = remember;
  return o;
}

std::string locked_message(core::Millis until, core::Millis now) {
  auto minutes = std::max<core::Millis>(1, (until - now + 59'999) / 60'000);
  return "too many wrong PINs: login locked for " + std::to_string(minutes) + " min";
}

// The lock on this login or station, if any, as its answer.
std::optional<StaffOutcome> refused_while_locked(const core::Request& r, LoginGuards* lockout,
                                                 const std::string& who, const std::string& station,
                                                 core::Millis now) {
  if (core::Millis until = lockout ? lockout->per_login.locked_until(who, now) : 0) {
    spdlog::warn("staff login refused for '{}': locked", who);
    return error(r, ErrorCode::locked, locked_message(until, now), "login");
  }
  if (core::Millis until = lockout ? lockout->per_station.locked_until(station, now) : 0) {
    spdlog::warn("staff login refused at station '{}': locked", station);
    return error(r, ErrorCode::locked, locked_message(until, now), "login");
  }
  return std::nullopt;
}

}  // namespace

// Verified for an unknown login when the staff file has no local hash (every account is
// auth = "ldap"): the Argon2id cost of a real verify. Its password is random and unknown, and
// the verdict for an unknown login is ignored anyway.
const char* const kStandInHash =
    "$argon2id$v=19$m=65536,t=2,p=1$ZA23Ssil/YYth2SiMsAedg$C4sxD5c5HgQKiH7Ee3Rw2MTFs5jtiSvP6NmCCb8E0iw";

bool verify_pin(const std::string& hash, const std::string& secret) {
  if (hash.empty() || sodium_init() < 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), secret.c_str(), secret.size()) == 0;
}

std::variant<StaffOutcome, PinCheck> login_start(const core::Request& r, const core::State& s,
                                                 LoginGuards* lockout, const std::string& station,
                                                 core::Millis now) {
  const auto& region = s.region();
  std::string who = r.body["login"];
  // No account has other characters (core::valid_staff_login), and in an LDAP bind DN they
  // could inject ("x,ou=admins", "*", "\\2c"): refused before anything else, no work done.
  if (!core::valid_staff_login(who)) {
    spdlog::warn("staff login refused at station '{}': '{}' breaks the login rules", station, who);
    StaffOutcome o;
    o.reply = core::encode_error(r.id, ErrorCode::bad_field,
                                 "not a login: lowercase letters, digits, '.', '_', '-' (at most 32)",
                                 "login");
    return o;
  }
  // A locked login or station is refused before the PIN is even checked: no guessing (and no
  // Argon2id or LDAP work) while locked.
  if (auto refused = refused_while_locked(r, lockout, who, station, now)) return *refused;
  const core::Staff* st = region.find_staff(who);
  // The same answer for an unknown login and a wrong PIN, after the same work: an unknown
  // login is verified against another staff member's hash (same Argon2id cost), its result
  // ignored, so neither the answer nor its timing tells which local logins exist. An unknown
  // login never goes to the directory: the broker binds only as accounts of its staff file,
  // so it cannot be used to probe or lock out the county's other directory accounts.
  PinCheck check;
  check.known = st != nullptr;
  if (st && st->auth == core::StaffAuth::ldap) {
    check.directory = true;
    check.hash = bind_name(region.security.ldap, st->login);
  } else if (st) {
    check.hash = st->password_hash;
  } else {
    for (const auto& other : region.staff)
      if (!other.password_hash.empty()) {
        check.hash = other.password_hash;
        break;
      }
    if (check.hash.empty()) check.hash = kStandInHash;
  }
  check.secret = r.body["secret"].get<std::string>();
  return check;
}

StaffOutcome login_finish(const core::Request& r, const core::State& s, LoginGuards* lockout,
                          const std::string& station, core::Millis now, bool pin_matches,
                          bool undecided) {
  const auto& region = s.region();
  std::string who = r.body["login"];
  // Checked again: other attempts for this login or station may have been verified meanwhile
  // (they were sent together), and one of them may have started a lock. A verdict after the
  // lock is answered `locked` and not counted, whatever the PIN: concurrent guesses get no
  // more tries than sequential ones.
  if (auto refused = refused_while_locked(r, lockout, who, station, now)) return *refused;
  const core::Staff* st = region.find_staff(who);
  if (st && undecided) {  // the directory did not answer: neither a failure nor a success
    spdlog::warn("staff login '{}' not checked: the LDAP directory is unavailable", who);
    return error(r, ErrorCode::unavailable,
                 "the staff directory (LDAP) does not answer; try again in a moment", "login");
  }
  if (!st || !pin_matches) {
    if (lockout && lockout->per_station.failed(station, now))
      spdlog::warn("staff logins at station '{}' locked after repeated wrong PINs", station);
    if (core::Millis until = lockout ? lockout->per_login.failed(who, now) : 0) {
      spdlog::warn("staff login '{}' locked after repeated wrong PINs", who);
      return error(r, ErrorCode::locked, locked_message(until, now), "login");
    }
    spdlog::warn("staff login refused for '{}'", who);
    return error(r, ErrorCode::forbidden, "login or PIN wrong", "secret");
  }
  if (lockout) {
    lockout->per_login.succeeded(who);
    lockout->per_station.succeeded(station);
  }
  json roles = json::array();
  for (auto role : st->roles) roles.push_back(core::role_name(role));
  json profile{{"login", st->login}, {"name", st->name}, {"roles", roles}, {"offices", st->offices}};
  if (!r.body.contains("counter")) {  // back-office mode
    if (!st->has_role(core::Role::backoffice) && !st->has_role(core::Role::head) &&
        !st->has_role(core::Role::admin))
      return error(r, ErrorCode::forbidden, who + " has no back-office role", "login");
    return ok(r, json{{"staff", profile}});
  }
  std::string counter = r.body["counter"];
  const core::Office* office = region.office_of_counter(counter);
  if (!office) return error(r, ErrorCode::not_found, "unknown counter '" + counter + "'", "counter");
  if (!st->has_role(core::Role::counter) && !st->has_role(core::Role::head))
    return error(r, ErrorCode::forbidden, who + " has no counter role", "login");
  if (!st->may_act_in(office->id))
    return error(r, ErrorCode::forbidden, who + " may not work in " + office->name, "counter");
  const core::CounterRuntime* rt = s.counter(counter);
  if (rt && rt->state != core::CounterState::closed && !rt->staff.empty() && rt->staff != who)
    return error(r, ErrorCode::invalid_state, "counter is in use by " + rt->staff, "counter");
  StaffOutcome o;
  core::Request open{r.version, r.id, "counter.open", json{{"counter", counter}, {"staff", who}}};
  o.then = open;
  o.extra = json{{"staff", profile}};
  return o;
}

namespace {

// The gateway's work: forwarded cases with their ID data, only of the key's offices, each
// release audited before it is answered.
StaffOutcome outbox_fetch(const core::Request& r, Store& store, const core::Principal& who) {
  int limit = static_cast<int>(r.body.value("limit", 50));  // 1..200, checked by the protocol
  bool all = who.offices.empty();
  json cases = json::array();
  for (auto& e : store.outbox_pending(all ? limit : std::numeric_limits<int>::max())) {
    if (static_cast<int>(cases.size()) >= limit) break;
    std::string office = e.record.is_object() ? e.record.value("office", "") : std::string{};
    if (!all && !who.may_act_in(office)) continue;
    if (!audit(audit_actor(who.name, ""), "outbox.fetch", "case/" + e.case_id, office))
      return error(r, ErrorCode::unavailable, "audit log not writable; access refused");
    // The case notes are sealed (issue 14): the gateway gets them back while they are kept.
    if (auto ref = e.record.find("notes_ref"); ref != e.record.end() && ref->is_string())
      if (auto notes = store.read_personal(ref->get<std::string>()))
        e.record["notes"] = notes->value("text", "");
    cases.push_back(json{{"case", e.record}, {"identity", e.identity}, {"time", e.time}});
  }
  return ok(r, json{{"cases", cases}});
}

StaffOutcome identity(const core::Request& r, const core::State& s, Store& store,
                      const core::Principal& who) {
  if (r.body.contains("counter")) {
    std::string counter = r.body["counter"];
    const core::CounterRuntime* rt = s.counter(counter);
    if (!rt) return error(r, ErrorCode::not_found, "unknown counter '" + counter + "'", "counter");
    const core::Ticket* t = rt->ticket.empty() ? nullptr : s.ticket(rt->ticket);
    // Only the counter serving the visitor sees the data, and only while it serves them.
    if (!t || (t->state != core::TicketState::called && t->state != core::TicketState::serving))
      return error(r, ErrorCode::forbidden, "no visitor at this counter", "counter");
    auto data = t->has_identity ? store.read_personal(t->id) : std::nullopt;
    if (!data) return ok(r, json{{"ticket", t->id}, {"identity", nullptr}});
    if (!audit(audit_actor(who.name, rt->staff), "identity.read", t->office + "/" + t->number,
               "counter=" + counter))
      return error(r, ErrorCode::unavailable, "audit log not writable; access refused");
    return ok(r, json{{"ticket", t->id}, {"identity", *data}});
  }
  if (r.body.contains("case")) {
    std::string id = r.body["case"], staff = r.body.value("staff", "");
    const core::Case* c = s.find_case(id);
    if (!c) return error(r, ErrorCode::not_found, "unknown case", "case");
    const core::Staff* st = s.region().find_staff(staff);
    if (!st || !st->has_role(core::Role::backoffice))
      return error(r, ErrorCode::forbidden, "only back-office staff read case data", "staff");
    if (c->state != core::CaseState::claimed || c->claimed_by != staff)
      return error(r, ErrorCode::forbidden, "claim the case first", "case");
    auto entry = store.outbox_entry(id);
    json data = entry && !entry->identity.is_null() ? entry->identity : json(nullptr);
    if (data.is_null())  // delivered: the data now lives in the E-Akte only
      return ok(r, json{{"case", id}, {"identity", nullptr}, {"delivered", entry.has_value()}});
    if (!audit(audit_actor(who.name, staff), "identity.read", "case/" + id))
      return error(r, ErrorCode::unavailable, "audit log not writable; access refused");
    return ok(r, json{{"case", id}, {"identity", data}, {"delivered", false}});
  }
  return error(r, ErrorCode::bad_field, "identity.read needs 'counter' or 'case'", "counter");
}

}  // namespace

std::optional<StaffOutcome> handle_staff_request(const core::Request& r, const core::State& s,
                                                 Store& store, Batch& batch,
                                                 const core::Principal& who) {
  try {
    const core::MessageSpec* row = core::find_message(r.type);
    switch (row ? row->server : core::ServerHandler::none) {
      case core::ServerHandler::identity_read: return identity(r, s, store, who);
      case core::ServerHandler::outbox_fetch: return outbox_fetch(r, store, who);
      case core::ServerHandler::outbox_ack: {
        std::string id = r.body["case"];
        auto entry = store.outbox_entry(id);
        if (!entry) return error(r, ErrorCode::not_found, "no case '" + id + "' in the outbox", "case");
        batch.acks.push_back(id);
        return ok(r, json{{"case", id}}, true);
      }
      case core::ServerHandler::none:         // decided in core
      case core::ServerHandler::staff_login:  // login_start / login_finish
      case core::ServerHandler::presence:     // the broker's own
      case core::ServerHandler::stats:
        return std::nullopt;
    }
  } catch (const StoreError& e) {
    spdlog::error("{} failed: {}", r.type, e.what());
    return error(r, ErrorCode::unavailable, "the server cannot read its store");
  }
  return std::nullopt;
}

}  // namespace wm::server
