// The permission table and the one check the broker runs on every request before deciding it.
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

const std::vector<DeviceRole> kEveryone{R::kiosk, R::display, R::counter, R::dashboard,
                                        R::backoffice};
const std::vector<DeviceRole> kStaff{R::kiosk, R::counter, R::dashboard, R::backoffice};

// Least privilege: each role gets what its screen needs and nothing else. Anonymous reads
// (snapshot, status) are open to every registered device because the event stream carries the
// same anonymous data to all of them anyway.
std::vector<Permission> build_table() {
  return {
      {"hello", kEveryone, Scope::any},
      {"ping", kEveryone, Scope::any},
      {"snapshot", kEveryone, Scope::any},
      {"status", kEveryone, Scope::any},
      {"ticket.status", kStaff, Scope::any},
      {"ticket.issue", {R::kiosk, R::counter}, Scope::own_office},
      {"ticket.return", {R::kiosk, R::counter}, Scope::own_office},
      {"appointment.checkin", {R::kiosk, R::counter}, Scope::own_office},
      {"device.status", {R::kiosk, R::display}, Scope::own_device},
      {"ticket.cancel", {R::counter}, Scope::own_office},
      {"ticket.reactivate", {R::counter}, Scope::own_office},
      {"counter.open", {R::counter}, Scope::own_office},
      {"counter.close", {R::counter}, Scope::own_office},
      {"counter.pause", {R::counter}, Scope::own_office},
      {"counter.resume", {R::counter}, Scope::own_office},
      {"counter.next", {R::counter}, Scope::own_office},
      {"counter.call", {R::counter}, Scope::own_office},
      {"counter.recall", {R::counter}, Scope::own_office},
      {"counter.no_show", {R::counter}, Scope::own_office},
      {"counter.start", {R::counter}, Scope::own_office},
      {"counter.finish", {R::counter}, Scope::own_office},
      {"counter.transfer", {R::counter}, Scope::own_office},
      {"counter.park", {R::counter}, Scope::own_office},
      {"counter.panic", {R::counter}, Scope::own_office},
      {"staff.login", {R::counter, R::backoffice}, Scope::own_office},
      {"identity.read", {R::counter, R::backoffice}, Scope::serving_counter},
      {"stats", {R::dashboard, R::backoffice}, Scope::any},
      {"appointment.import", {R::backoffice}, Scope::any},
      {"case.list", {R::backoffice}, Scope::any},
      {"case.claim", {R::backoffice}, Scope::any},
      {"case.finish", {R::backoffice}, Scope::any},
      {"case.return", {R::backoffice}, Scope::any},
      {"outbox.fetch", {R::backoffice}, Scope::any},
      {"outbox.ack", {R::backoffice}, Scope::any},
  };
}

bool is_admin(DeviceRole r) { return r == R::admin || r == R::cli; }

// Every office a request touches; unresolvable references are left to decide() (not_found).
std::vector<std::string> offices_of(const Request& req, const State& state, const Region& region) {
  std::vector<std::string> out;
  const json& b = req.body;
  auto str = [&](const char* k) -> std::string {
    auto it = b.find(k);
    return it != b.end() && it->is_string() ? it->get<std::string>() : std::string{};
  };
  if (auto o = str("office"); !o.empty()) out.push_back(o);
  for (const char* k : {"counter", "to_counter"})
    if (auto c = str(k); !c.empty())
      if (const Office* o = region.office_of_counter(c)) out.push_back(o->id);
  if (auto d = str("device"); !d.empty())
    if (const Office* o = region.office_of_station(d)) out.push_back(o->id);
  if (auto t = str("ticket"); !t.empty())
    if (const Ticket* tk = state.ticket(t)) out.push_back(tk->office);
  if (auto t = str("token"); !t.empty())
    if (const Ticket* tk = state.ticket_by_token(t)) out.push_back(tk->office);
  if (auto it = b.find("appointments"); it != b.end() && it->is_array())
    for (const auto& a : *it)
      if (a.is_object() && a.contains("office") && a["office"].is_string())
        out.push_back(a["office"].get<std::string>());
  return out;
}

}  // namespace

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

const std::vector<Permission>& permission_table() {
  static const std::vector<Permission> table = build_table();
  return table;
}

const Permission* find_permission(std::string_view type) {
  for (const auto& p : permission_table())
    if (type == p.type) return &p;
  return nullptr;
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
  const Permission* p = find_permission(req.type);
  std::string role{device_role_name(who.role)};
  if (!p || std::find(p->roles.begin(), p->roles.end(), who.role) == p->roles.end())
    return "role '" + role + "' may not send " + req.type;
  if (p->scope == Scope::any) return std::nullopt;
  if (p->scope == Scope::own_device && who.role != R::counter) {
    auto it = req.body.find("device");
    if (it == req.body.end() || !it->is_string() || it->get<std::string>() != who.name)
      return "device '" + who.name + "' may report only its own status";
  }
  for (const auto& office : offices_of(req, state, region))
    if (!who.may_act_in(office))
      return "device '" + who.name + "' may not act in office '" + office + "'";
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
