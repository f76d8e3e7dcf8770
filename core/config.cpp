// Lookups on the loaded county configuration, issue formatting and the default config path.
#include "core/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace wm::core {

std::string localized(const LocalizedText& text, const std::string& lang) {
  if (auto it = text.find(lang); it != text.end() && !it->second.empty()) return it->second;
  if (auto it = text.find("de"); it != text.end() && !it->second.empty()) return it->second;
  for (const auto& [code, value] : text)
    if (!value.empty()) return value;
  return {};
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::counter:
      return "counter";
    case Role::head:
      return "head";
    case Role::backoffice:
      return "backoffice";
    case Role::admin:
      return "admin";
  }
  return "counter";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : {Role::counter, Role::head, Role::backoffice, Role::admin})
    if (role_name(r) == name) return r;
  return std::nullopt;
}

bool Office::is_open_at(int weekday, int minute) const {
  return std::any_of(hours.begin(), hours.end(), [&](const OpeningSpan& s) {
    return s.weekday == weekday && minute >= s.open_minute && minute < s.close_minute;
  });
}

bool Staff::has_role(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Staff::may_act_in(const std::string& office_id) const {
  return offices.empty() || std::find(offices.begin(), offices.end(), office_id) != offices.end();
}

namespace {

template <typename T>
const T* find_by_id(const std::vector<T>& items, const std::string& id) {
  for (const auto& item : items)
    if (item.id == id) return &item;
  return nullptr;
}

}  // namespace

const Service* Region::find_service(const std::string& id) const {
  return find_by_id(services, id);
}

const Office* Region::find_office(const std::string& id) const { return find_by_id(offices, id); }

void Region::index() {
  counter_index.clear();
  for (std::size_t o = 0; o < offices.size(); ++o)
    for (std::size_t c = 0; c < offices[o].counters.size(); ++c)
      counter_index.emplace(offices[o].counters[c].id, std::make_pair(o, c));
}

const Counter* Region::indexed_counter(const std::string& id, const Office** office) const {
  if (auto it = counter_index.find(id); it != counter_index.end()) {
    auto [o, c] = it->second;
    if (o < offices.size() && c < offices[o].counters.size() && offices[o].counters[c].id == id) {
      *office = &offices[o];
      return &offices[o].counters[c];
    }
  }
  for (const auto& o : offices)
    if (const auto* c = find_by_id(o.counters, id)) {
      *office = &o;
      return c;
    }
  *office = nullptr;
  return nullptr;
}

const Counter* Region::find_counter(const std::string& id) const {
  const Office* office = nullptr;
  return indexed_counter(id, &office);
}

const Kiosk* Region::find_kiosk(const std::string& id) const {
  for (const auto& office : offices)
    if (const auto* k = find_by_id(office.kiosks, id)) return k;
  return nullptr;
}

const Display* Region::find_display(const std::string& id) const {
  for (const auto& office : offices)
    if (const auto* d = find_by_id(office.displays, id)) return d;
  return nullptr;
}

const Office* Region::office_of_counter(const std::string& counter_id) const {
  const Office* office = nullptr;
  indexed_counter(counter_id, &office);
  return office;
}

const Office* Region::office_of_station(const std::string& station_id) const {
  for (const auto& office : offices)
    if (find_by_id(office.counters, station_id) || find_by_id(office.kiosks, station_id) ||
        find_by_id(office.displays, station_id))
      return &office;
  return nullptr;
}

const Staff* Region::find_staff(const std::string& login) const {
  for (const auto& s : staff)
    if (s.login == login) return &s;
  return nullptr;
}

bool Region::office_offers(const std::string& office_id, const std::string& service_id) const {
  const Service* service = find_service(service_id);
  if (!service || !find_office(office_id)) return false;
  return service->offices.empty() || std::find(service->offices.begin(), service->offices.end(),
                                               office_id) != service->offices.end();
}

bool Region::forwardable(const std::string& service_id) const {
  const Service* service = find_service(service_id);
  return service && !service->backoffice_unit.empty();
}

std::optional<int> Region::travel_minutes(const std::string& a, const std::string& b) const {
  for (const Travel& t : travel)
    if ((t.from == a && t.to == b) || (t.from == b && t.to == a)) return t.minutes;
  return std::nullopt;
}

std::string ConfigIssue::to_string() const {
  std::string out = file.empty() ? std::string("<config>") : file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (warning) out += "warning: ";
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

namespace {

std::string join_issues(const std::vector<ConfigIssue>& issues) {
  std::string out;
  for (const auto& issue : issues) {
    if (!out.empty()) out += '\n';
    out += issue.to_string();
  }
  return out.empty() ? std::string("invalid configuration") : out;
}

}  // namespace

ConfigError::ConfigError(std::vector<ConfigIssue> issues)
    : std::runtime_error(join_issues(issues)), issues_(std::move(issues)) {}

std::string default_config_path() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("WM_CONFIG"); env && *env) return env;
  std::error_code ec;
  // Developer checkout first; on an installed system the admin's /etc file wins over the
  // demo county shipped in the data directory.
  const std::string source = std::string(WM_SOURCE_DIR) + "/deploy/config/county.toml";
  if (fs::exists(source, ec)) return source;
  const std::string etc = "/etc/wartemarke/county.toml";
  if (fs::exists(etc, ec)) return etc;
  const std::string shipped = std::string(WM_INSTALL_DATADIR) + "/config/county.toml";
  if (fs::exists(shipped, ec)) return shipped;
  return etc;
}

}  // namespace wm::core
