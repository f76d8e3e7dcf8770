// Request handlers for the back office's cases and for the kiosks' device reports.
#include "core/codec.hpp"
#include "core/handlers.hpp"

namespace wm::core::handlers {
namespace {

// A case request's case and staff: both must exist (the staff only when named).
std::optional<Decision> load_case(const Request& r, const State& s, const Case*& c, std::string& staff) {
  const std::string& id = r.body["case"].get_ref<const std::string&>();
  c = s.find_case(id);
  if (!c) return fail(ErrorCode::not_found, "unknown case '" + id + "'", "case");
  staff = r.body.value("staff", "");
  if (!staff.empty() && !s.region().find_staff(staff))
    return fail(ErrorCode::not_found, "unknown staff '" + staff + "'", "staff");
  return std::nullopt;
}

Decision case_event(const Case& c, const std::string& event, json body) {
  Decision d;
  d.events.push_back(make_event(c.office, event, std::move(body)));
  d.reply = json{{"case", c.id}, {"number", c.number}};
  return d;
}

}  // namespace

// Back-office work list: received → claimed → done, or returned with a question (and claimable
// again once the front office answered by a new claim).
Decision case_list(const Request& r, const State& s, Millis) {
  std::string unit = r.body.value("unit", ""), office = r.body.value("office", "");
  json cases = json::array();
  for (const auto& [id, c] : s.cases())
    if ((unit.empty() || c.unit == unit) && (office.empty() || c.office == office))
      cases.push_back(c);
  Decision d;
  d.reply = json{{"cases", cases}};
  return d;
}

Decision case_claim(const Request& r, const State& s, Millis) {
  const Case* c = nullptr;
  std::string staff;
  if (auto err = load_case(r, s, c, staff)) return *err;
  if (c->state == CaseState::done)
    return fail(ErrorCode::invalid_state, "case " + c->number + " is already done", "case");
  if (c->state == CaseState::claimed && c->claimed_by != staff)
    return fail(ErrorCode::invalid_state, "case " + c->number + " is claimed by " + c->claimed_by, "case");
  return case_event(*c, "case.claimed", json{{"case", c->id}, {"staff", staff}});
}

Decision case_finish(const Request& r, const State& s, Millis) {
  const Case* c = nullptr;
  std::string staff;
  if (auto err = load_case(r, s, c, staff)) return *err;
  if (c->state != CaseState::claimed)
    return fail(ErrorCode::invalid_state, "claim case " + c->number + " first", "case");
  return case_event(*c, "case.done",
                    json{{"case", c->id}, {"staff", staff}, {"outcome", r.body.value("outcome", "erledigt")}});
}

Decision case_return(const Request& r, const State& s, Millis) {
  const Case* c = nullptr;
  std::string staff;
  if (auto err = load_case(r, s, c, staff)) return *err;
  if (c->state == CaseState::done)
    return fail(ErrorCode::invalid_state, "case " + c->number + " is already done", "case");
  const std::string ref = "question:" + c->id;  // free text: sealed
  Decision d = case_event(*c, "case.returned", json{{"case", c->id}, {"staff", staff}, {"question_ref", ref}});
  d.personal.push_back({ref, json{{"text", r.body["question"]}}});
  return d;
}

Decision device_status(const Request& r, const State& s, Millis) {
  std::string device = r.body["device"];
  // Devices are named "<kiosk-id>/<part>", e.g. "goerlitz-kiosk-1/printer".
  std::string kiosk = device.substr(0, device.find('/'));
  const Office* office = nullptr;
  for (const auto& o : s.region().offices)
    for (const auto& k : o.kiosks)
      if (k.id == kiosk) office = &o;
  if (!office) return fail(ErrorCode::not_found, "unknown kiosk '" + kiosk + "'", "device");
  const auto& devices = s.devices();
  auto it = devices.find(device);
  Decision d;
  d.reply = json{{"device", device}};
  std::string state = r.body["state"];
  std::string detail = r.body.value("detail", "");
  if (it != devices.end() && it->second.state == state && it->second.detail == detail)
    return d;  // unchanged: nothing to journal
  d.events.push_back(make_event(office->id, "device.status",
                                json{{"device", device}, {"state", state}, {"detail", detail}}));
  return d;
}

}  // namespace wm::core::handlers
