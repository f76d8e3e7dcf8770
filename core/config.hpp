// The county's static configuration: offices, services, counters, devices, staff, policy.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wm::core {

// A text in every configured language, keyed by language code ("de", "en", ...).
using LocalizedText = std::map<std::string, std::string>;

// Returns the text in `lang`, falling back to German, then to any language.
std::string localized(const LocalizedText& text, const std::string& lang);

enum class Role { counter, head, backoffice, admin };

// "counter", "head", "backoffice", "admin": the spelling used in the config and the protocol.
std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

struct Service {
  std::string id;                 // "kfz-neu"
  LocalizedText name;             // short tile title per language
  LocalizedText description;      // one plain sentence per language
  std::string prefix;             // ticket letter(s), "K"; unique in the region
  int expected_minutes = 12;      // seed for the live service-time estimate
  std::vector<LocalizedText> documents;  // what to bring
  bool id_capture = false;        // reading the ID card helps this service
  std::string backoffice_unit;    // unit receiving forwarded cases, may be empty
  int wait_target_minutes = 30;   // SLA: share served within this is reported
  std::vector<std::string> offices;  // empty = offered by every office
  // Last ticket: the estimated start must lie this many minutes before closing;
  // -1 = the region's policy (see core/office_hours.hpp).
  int last_ticket_minutes_before_close = -1;
  // Recall rules (core/recall_rules.hpp); -1 = the region's policy.
  int recall_limit = -1;           // recalls before the next one becomes a no-show
  int recall_min_interval_s = -1;  // seconds from one call of a ticket to its next recall
};

struct OpeningSpan {
  int weekday = 1;        // 1 = Monday ... 7 = Sunday
  int open_minute = 0;    // minutes after midnight, local time
  int close_minute = 0;
};

struct Counter {
  std::string id;          // unique in the region, "goerlitz-3"
  std::string name;        // shown on displays and announced: "Schalter 3"
  std::string spoken;      // optional override for speech, else `name`
  std::string group;       // floor/group, for displays limited to some counters
  std::vector<std::string> profile;  // service ids in priority order
};

struct Kiosk {
  std::string id;          // "goerlitz-kiosk-1"
  std::string printer = "sim";   // device spec, see docs/hw.md
  std::string mrz_reader = "sim";
  std::string card_reader;       // empty = none
};

struct Display {
  std::string id;
  std::vector<std::string> groups;  // counter groups shown; empty = all
  std::string ticker;               // optional ticker line
  std::string second_language;      // announcement language besides German, may be empty
  bool sound = true;
};

struct Office {
  std::string id;          // "goerlitz"
  std::string name;        // "Bürgerbüro Görlitz"
  std::string address;
  std::vector<OpeningSpan> hours;
  std::vector<Counter> counters;
  std::vector<Kiosk> kiosks;
  std::vector<Display> displays;
  // Minutes after the day's last closing at which the broker closes the day (core/day_close.hpp);
  // -1 = the region's policy.
  int day_close_grace_minutes = -1;
  // Fair calling: "any" (a counter may call any waiting ticket) or "next_only" (calling another
  // than the next by the routing rules needs a reason from core/calling.hpp, and is audited).
  std::string calling = "any";

  // Whether the office is open at `minute` after midnight on `weekday` (1 = Monday).
  bool is_open_at(int weekday, int minute) const;
};

// Driving time between two offices, both ways: the kiosk suggests another office only when
// the drive plus the wait there beats the wait here ([[travel]] in the config).
struct Travel {
  std::string from, to;  // office ids; one entry covers both directions
  int minutes = 0;
  int km = 0;            // for whoever reads the config; 0 = not given
};

// How a staff member's PIN/password is checked: against the Argon2id hash in the staff file
// (local), or by a simple bind to the county's directory ([security.ldap]). Roles and offices
// are kept in the staff file either way.
enum class StaffAuth { local, ldap };

struct Staff {
  std::string login;
  std::string name;
  std::vector<Role> roles;
  std::vector<std::string> offices;  // empty = all offices
  std::string password_hash;         // libsodium crypto_pwhash string (Argon2id); empty for ldap
  StaffAuth auth = StaffAuth::local;

  bool has_role(Role role) const;
  bool may_act_in(const std::string& office_id) const;
};

struct Policy {
  int recall_limit = 2;              // recalls before the next one becomes a no-show
  int max_wait_factor_percent = 150; // escalate when wait > target × factor
  int appointment_grace_minutes = 5; // an appointment becomes due this long before its slot
  // A booked appointment not checked in this long after its slot is a no-show: the office
  // stops holding counter time for it, and walk-ins' estimates no longer count it.
  int no_show_release_minutes = 15;
  // Checked in later than this after its slot, a visitor is served as a walk-in (no appointment
  // priority, queued at check-in); NovoSGA uses 60 minutes.
  int late_arrival_minutes = 60;
  int retention_hours = 0;           // 0 = delete personal data at the end of the day
  std::string timezone = "Europe/Berlin";
  // Default last-ticket margin for every service (core/office_hours.hpp): 0 = a ticket is
  // issued while its estimated start is before closing.
  int last_ticket_minutes_before_close = 0;
  // Shortest time between two calls of one ticket (a recall within it is refused with
  // recall_too_early); 0 = no interval. Services may set their own.
  int recall_min_interval_s = 0;
  // The broker closes an office's day this many minutes after its last closing time of the
  // day (never later than midnight): waiting, parked and unfinished tickets become `closed`,
  // open counters close. Offices may set their own.
  int day_close_grace_minutes = 30;
};

// Transport security. "plain" exists only for a local demo: the broker refuses to start with it
// on anything but loopback or ipc endpoints, and plain peers get plain_role, by default nothing.
// Staff login against the county's directory (OpenLDAP, Active Directory): a simple bind as
// the user over TLS. Empty url = not configured (every login is local).
struct Ldap {
  std::string url;               // "ldaps://dc1.county.local" or "ldap://host:389" (+ starttls)
  bool starttls = true;          // ldap:// only: upgrade with StartTLS before the bind
  // The bind DN (or AD user principal name) of a login: "{login}" is replaced by the login,
  // escaped as an RFC 4514 attribute value. "uid={login},ou=staff,dc=county,dc=de",
  // "{login}@county.local".
  std::string bind_dn_template;
  std::string ca_file;           // PEM CA certificate(s) for the server's certificate; "" = system CAs
  int timeout_s = 5;             // connect + TLS + bind, each bounded by what is left of it
  // ldap:// without StartTLS sends passwords in the clear: refused unless this is set (tests).
  bool allow_plaintext = false;
  bool enabled() const { return !url.empty(); }
  bool plaintext() const { return url.starts_with("ldap://") && !starttls; }
};

struct Security {
  std::string transport = "curve";  // "curve" (CurveZMQ + ZAP key registry) or "plain"
  // What a plain peer may do (it cannot be told from another): "none" (every request refused)
  // or "admin" (the local operator, for the one-machine demo).
  std::string plain_role = "none";
  std::string keys_dir;             // server key + device registry; empty = <data dir>/keys
  int rate_limit = 200;             // requests per second per connection; 0 = no limit
  int rate_burst = 400;             // requests one connection may send at once
  // What one device key's connections may make the broker hold (MiB), shared by at most
  // connections_per_key of them: sets the ROUTER's receive and send high-water marks from the
  // largest frame it accepts (docs/security.md).
  int memory_budget_mb = 32;
  int connections_per_key = 4;      // command connections one device key may hold; 0 = no cap
  int login_attempts = 5;           // failed PINs in a row before a login is locked; 0 = never
  int lockout_minutes = 15;         // how long a locked login stays locked
  // Shortest PIN/password `wartemarke staff add` accepts. Only creation can enforce it: a hash
  // does not tell how long its PIN was.
  int pin_min_length = 6;
  Ldap ldap;                        // [security.ldap]
};

struct Network {
  std::string command_endpoint = "tcp://127.0.0.1:5570";
  std::string event_endpoint = "tcp://127.0.0.1:5571";
  std::string http_endpoint = "127.0.0.1:8080";
  std::string public_url = "http://127.0.0.1:8080";  // base of the ticket's QR link
};

// One problem found while loading: where it is and what is wrong.
struct ConfigIssue {
  std::string file;
  int line = 0;           // 0 when unknown
  std::string field;      // dotted path, "offices[2].counters[1].profile[0]"
  std::string message;
  bool warning = false;   // true: reported, but the configuration still loads
  std::string to_string() const;  // "county.toml:42: offices[2]...: unknown service 'x'"
};

struct Region {
  std::string id;          // "landkreis-goerlitz"
  std::string name;        // "Landkreis Görlitz"
  std::vector<std::string> languages;  // offered at the kiosk, first is the default
  std::vector<Service> services;
  std::vector<Office> offices;
  std::vector<Staff> staff;
  std::vector<Travel> travel;
  Policy policy;
  Network network;
  Security security;
  std::vector<std::string> files;       // files read, main file first (includes follow)
  std::vector<ConfigIssue> warnings;    // non-fatal issues, e.g. a missing translation

  const Service* find_service(const std::string& id) const;
  const Office* find_office(const std::string& id) const;
  const Counter* find_counter(const std::string& id) const;
  const Office* office_of_counter(const std::string& counter_id) const;
  const Staff* find_staff(const std::string& login) const;
  const Kiosk* find_kiosk(const std::string& id) const;
  const Display* find_display(const std::string& id) const;
  // The office a counter, kiosk or display (a "station") belongs to; station ids share one
  // namespace because each station gets its own key.
  const Office* office_of_station(const std::string& station_id) const;
  bool office_offers(const std::string& office_id, const std::string& service_id) const;
  // Only a service with a back-office unit can be forwarded: a case for a unit that does not
  // exist would wait in no one's work list. The broker refuses, the counter greys out F8.
  bool forwardable(const std::string& service_id) const;
  // Minutes to drive from one office to the other (either order); nullopt when the config
  // has no figure for the pair: then no suggestion is made, rather than a guessed one.
  std::optional<int> travel_minutes(const std::string& a, const std::string& b) const;

  // Counter id -> (office, counter) positions, for the per-request lookups above (a county has
  // hundreds of counters). Built by index(), which the loader calls. Only a hint: a lookup
  // checks the positions it finds and otherwise walks the vectors, so a region built or
  // changed by hand (tests) still answers right.
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> counter_index;
  void index();
  const Counter* indexed_counter(const std::string& id, const Office** office) const;
};


// Thrown by the loaders; what() lists every issue, one per line (errors and warnings).
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<ConfigIssue> issues);
  const std::vector<ConfigIssue>& issues() const { return issues_; }

 private:
  std::vector<ConfigIssue> issues_;
};

// Loads and validates a county configuration; throws ConfigError listing every problem.
Region load_config(const std::string& path);
// The login rules: lowercase letters, digits, '.', '_', '-', starting with a letter or digit,
// at most 32 characters. Nothing in a valid login has a meaning in an LDAP DN or filter.
bool valid_staff_login(std::string_view login);
// Same, from TOML text (file name used only in messages).
Region parse_config(const std::string& toml_text, const std::string& file_name);

// The demo county shipped in deploy/config/, found relative to the source or install tree.
std::string default_config_path();

}  // namespace wm::core
