// The one permission check the broker runs on every request before answering it, by its row.
#include "core/permissions.hpp"

#include <algorithm>
#include <array>

namespace wm::core {
namespace {

using R = DeviceRole;

constexpr std::array<std::pair<DeviceRole, std::string_view>, 7> kRoleNames{{
    {R::kiosk, "kiosk"},
    {R::display, "display"},
    {R::counter, "counter"},
    {R::dashboard, "dashboard"},
    {R::backoffice, "backoffice"},
    {R::admin, "admin"},
    {R::cli, "cli"},
}};

bool is_admin(DeviceRole r) { return r == R::admin || r == R::cli; }

// Kinds whose hello creates a presence (client.online), named after the station's key.
bool is_station_kind(std::string_view kind) {
  return kind == "kiosk" || kind == "counter" || kind == "display";
}

// hello/ping: a tracked station kind must be the key's role and name the key's own station;
// anything else would journal presences of stations that do not exist or are elsewhere.
std::optional<std::string> check_presence(const Principal& who, const Request& req) {
  auto kind = req.body.find("client");
  if (kind == req.body.end() || !kind->is_string() ||
      !is_station_kind(kind->get_ref<const std::string&>()))
    return std::nullopt;
  const std::string& k = kind->get_ref<const std::string&>();
  if (k != device_role_name(who.role))
    return "a " + std::string(device_role_name(who.role)) + " key may not announce a " + k;
  auto name = req.body.find("name");
  if (name != req.body.end() && name->is_string() && name->get_ref<const std::string&>() != who.name)
    return "device '" + who.name + "' may announce only itself, not '" +
           name->get<std::string>() + "'";
  return std::nullopt;
}

// A counter station's session: the counter a request names must be open with its staff logged
// in from this station; a request naming no counter needs a session at any counter.
std::optional<std::string> check_session(const Principal& who, const Request& req,
                                         const State& state) {
  auto c = req.body.find("counter");
  if (c == req.body.end() || !c->is_string()) {
    if (state.session_of(who.name)) return std::nullopt;
    return "nobody is logged in at station '" + who.name + "' (staff.login first)";
  }
  const std::string& id = c->get_ref<const std::string&>();
  const CounterRuntime* rt = state.counter(id);
  if (!rt) return std::nullopt;  // unknown counter: decide() answers not_found
  if (rt->state == CounterState::closed || rt->staff.empty())
    return "nobody is logged in at counter '" + id + "' (staff.login first)";
  if (rt->station != who.name)
    return "counter '" + id + "' is in use " +
           (rt->station.empty() ? std::string("without a login at a station")
                                : "at station '" + rt->station + "'") +
           "; log in at this station first";
  return std::nullopt;
}

}  // namespace

std::string_view station_of_device(std::string_view device) {
  return device.substr(0, device.find('/'));
}

std::vector<std::string> offices_of(const Request& req, const State& state, const Region& region) {
  std::vector<std::string> out;
  const MessageSpec* row = find_message(req.type);
  if (!row) return out;
  const OfficeFrom from = row->offices;
  const json& b = req.body;
  auto str = [&](const char* k) -> const std::string* {
    auto it = b.find(k);
    return it != b.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
  };
  auto station = [&](std::string_view id) {
    if (const Office* o = region.office_of_station(std::string(id))) out.push_back(o->id);
  };
  if (has(from, OfficeFrom::office))
    if (auto* o = str("office"); o && !o->empty()) out.push_back(*o);
  if (has(from, OfficeFrom::counter))
    for (const char* k : {"counter", "to_counter"})
      if (auto* c = str(k))
        if (const Office* o = region.office_of_counter(*c)) out.push_back(o->id);
  if (has(from, OfficeFrom::device))
    if (auto* d = str("device")) station(station_of_device(*d));
  if (has(from, OfficeFrom::kiosk))
    if (auto* k = str("kiosk")) station(*k);
  if (has(from, OfficeFrom::station))
    if (auto* n = str("name")) station(*n);
  if (has(from, OfficeFrom::ticket))
    if (auto* t = str("ticket"))
      if (const Ticket* tk = state.ticket(*t)) out.push_back(tk->office);
  if (has(from, OfficeFrom::token))
    if (auto* t = str("token"))
      if (const Ticket* tk = state.ticket_by_token(*t)) out.push_back(tk->office);
  if (has(from, OfficeFrom::case_))
    if (auto* c = str("case"))
      if (const Case* cs = state.find_case(*c)) out.push_back(cs->office);
  if (has(from, OfficeFrom::appointments))
    if (auto it = b.find("appointments"); it != b.end() && it->is_array())
      for (const auto& a : *it)
        if (a.is_object() && a.contains("office") && a["office"].is_string())
          out.push_back(a["office"].get<std::string>());
  return out;
}

std::string_view device_role_name(DeviceRole role) {
  for (auto [r, n] : kRoleNames)
    if (r == role) return n;
  return "?";
}

std::optional<DeviceRole> device_role_from(std::string_view name) {
  for (auto [r, n] : kRoleNames)
    if (n == name) return r;
  return std::nullopt;
}

const std::vector<DeviceRole>& all_device_roles() {
  static const std::vector<DeviceRole> roles = [] {
    std::vector<DeviceRole> v;
    for (auto [r, n] : kRoleNames) v.push_back(r);
    return v;
  }();
  return roles;
}

bool Principal::may_act_in(const std::string& office) const {
  return offices.empty() || std::find(offices.begin(), offices.end(), office) != offices.end();
}

std::string_view scope_name(Scope scope) {
  switch (scope) {
    case Scope::any: return "any office";
    case Scope::own_office: return "own offices";
    case Scope::own_device: return "own device";
    case Scope::serving_counter: return "serving counter";
  }
  return "?";
}

std::optional<std::string> check_permission(const Principal& who, const Request& req,
                                            const State& state, const Region& region) {
  if (is_admin(who.role)) return std::nullopt;
  const MessageSpec* p = find_message(req.type);
  std::string role{device_role_name(who.role)};
  if (!p || std::find(p->roles.begin(), p->roles.end(), who.role) == p->roles.end())
    return "role '" + role + "' may not send " + req.type;
  if (p->scope == Scope::any) return std::nullopt;
  if (p->scope == Scope::own_device) {
    // "<key name>" or "<key name>/<part>" (a kiosk's printer, reader): its own parts only.
    auto it = req.body.find("device");
    if (it == req.body.end() || !it->is_string() ||
        station_of_device(it->get_ref<const std::string&>()) != who.name)
      return "device '" + who.name + "' may report only its own status";
  }
  if (p->server == ServerHandler::presence)  // hello, ping
    if (auto why = check_presence(who, req)) return why;
  for (const auto& office : offices_of(req, state, region))
    if (!who.may_act_in(office))
      return "device '" + who.name + "' may not act in office '" + office + "'";
  if (req.type == "ticket.issue" && who.role == R::kiosk) {
    // The opening hours bind kiosk walk-ins; staff sources are exempt (core/office_hours), so
    // a kiosk key must not call itself staff.
    auto src = req.body.find("source");
    if (src != req.body.end() && src->is_string() && *src != "kiosk")
      return "a kiosk issues tickets as 'source' kiosk, not '" + src->get<std::string>() + "'";
  }
  if (req.type == "staff.login" && who.role == R::counter) {
    // A station keyed by its counter id logs staff in at that counter only.
    auto c = req.body.find("counter");
    if (region.find_counter(who.name) && (c == req.body.end() || !c->is_string() || *c != who.name))
      return "station '" + who.name + "' may log staff in only at its own counter";
  }
  if (p->session && who.role == R::counter)
    if (auto why = check_session(who, req, state)) return why;
  if (p->scope == Scope::serving_counter && who.role == R::counter) {
    // A counter station reads only the visitor it serves: the broker resolves the ticket from
    // the counter, so the request must name the counter, and a station keyed by its counter id
    // only that one. Cases (forwarded data) are the back office's.
    auto c = req.body.find("counter");
    if (c == req.body.end() || !c->is_string() || req.body.contains("case"))
      return "a counter station reads ID data only of the visitor at its counter";
    if (region.find_counter(who.name) && c->get<std::string>() != who.name)
      return "station '" + who.name + "' may read ID data only at its own counter";
    if (const Ticket* tk = req.body.contains("ticket") && req.body["ticket"].is_string()
                               ? state.ticket(req.body["ticket"].get<std::string>())
                               : nullptr;
        tk && tk->counter != c->get<std::string>())
      return "only the counter serving this ticket may read its ID data";
  }
  return std::nullopt;
}

}  // namespace wm::core
