// Reads the county configuration from TOML (with includes) and validates it, collecting every
// issue with file, line and field so that an admin can fix a broken file in one pass.
#include <sodium.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/config.hpp"

namespace wm::core {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxIncludeDepth = 8;
constexpr std::uintmax_t kMaxFileBytes = 4u << 20;

// Where an item was read from, so that cross-checks can point at it.
struct Origin {
  std::string file;
  std::string path;
  int line = 0;
};

struct OfficeOrigin {
  Origin self;
  std::vector<Origin> counters, kiosks, displays;
};

// A localized text seen while reading; its completeness is checked once languages are known.
struct TextSite {
  Origin where;
  std::set<std::string> langs;
};

int line_of(const toml::node* n) { return n ? static_cast<int>(n->source().begin.line) : 0; }

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    default:
      return "nothing";
  }
}

std::string at(const std::string& base, std::string_view key) {
  return base.empty() ? std::string(key) : base + "." + std::string(key);
}

std::string at(const std::string& base, std::size_t index) {
  return base + "[" + std::to_string(index) + "]";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

template <typename Pred>
bool all_of(std::string_view s, Pred pred, std::string_view extra = "") {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return pred(static_cast<unsigned char>(c)) || extra.find(c) != std::string_view::npos;
  });
}

// Ids end up in protocol messages, file names and URLs: lowercase ASCII, digits and '-'.
bool valid_id(std::string_view id) {
  return !id.empty() && id.size() <= 48 && id.front() != '-' && id.back() != '-' &&
         all_of(
             id, [](int c) { return (c >= 'a' && c <= 'z') || std::isdigit(c); }, "-");
}

bool valid_login(std::string_view s) {
  return !s.empty() && s.size() <= 32 && std::isalnum(static_cast<unsigned char>(s.front())) &&
         all_of(
             s, [](int c) { return (c >= 'a' && c <= 'z') || std::isdigit(c); }, "._-");
}

bool valid_lang(std::string_view s) {
  return s.size() >= 2 && s.size() <= 3 &&
         all_of(s, [](int c) { return int(c >= 'a' && c <= 'z'); });
}

bool valid_port(std::string_view s) {
  if (s.empty() || s.size() > 5 || !all_of(s, [](int c) { return std::isdigit(c); })) return false;
  int port = std::stoi(std::string(s));
  return port >= 1 && port <= 65535;
}

// "host:port", host a name, an IPv4 address or a bracketed IPv6 address.
bool valid_host_port(std::string_view s, bool allow_star) {
  auto colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view host = s.substr(0, colon);
  if (!valid_port(s.substr(colon + 1))) return false;
  if (allow_star && host == "*") return true;
  if (host.front() == '[') return host.size() > 2 && host.back() == ']';
  return all_of(
      host, [](int c) { return std::isalnum(c); }, ".-_");
}

bool valid_zmq_endpoint(std::string_view s) {
  if (s.starts_with("tcp://")) return valid_host_port(s.substr(6), true);
  if (s.starts_with("ipc://")) return s.size() > 6;
  if (s.starts_with("inproc://")) return s.size() > 9;
  return false;
}

bool valid_url(std::string_view s) {
  std::string_view rest;
  if (s.starts_with("http://"))
    rest = s.substr(7);
  else if (s.starts_with("https://"))
    rest = s.substr(8);
  else
    return false;
  std::string_view host = rest.substr(0, rest.find('/'));
  auto colon = host.rfind(':');
  if (colon != std::string_view::npos && host.front() != '[') {
    if (!valid_port(host.substr(colon + 1))) return false;
    host = host.substr(0, colon);
  }
  return !host.empty() && all_of(
                              host, [](int c) { return std::isalnum(c); }, ".-_[]:");
}

std::optional<int> parse_weekday(std::string_view key) {
  static const std::map<std::string_view, int> names = {
      {"mo", 1}, {"tu", 2}, {"we", 3}, {"th", 4}, {"fr", 5}, {"sa", 6},
      {"su", 7}, {"di", 2}, {"mi", 3}, {"do", 4}, {"so", 7}, {"1", 1},
      {"2", 2},  {"3", 3},  {"4", 4},  {"5", 5},  {"6", 6},  {"7", 7}};
  auto it = names.find(key);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// "08:30" -> 510; "24:00" is allowed as a closing time.
std::optional<int> parse_clock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::string clock_text(int minute) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60 % 100, minute % 60);
  return buf;
}

class Loader;

// One TOML table whose allowed keys are known; reports unknown keys and type errors.
class TableReader {
 public:
  TableReader(Loader& loader, const toml::table& table, std::string path,
              std::initializer_list<std::string_view> keys);

  const toml::table& table() const { return table_; }
  const std::string& path() const { return path_; }
  int line() const { return line_of(&table_); }
  std::string field(std::string_view key) const { return at(path_, key); }
  // The node for `key`, or null; reports a missing required key.
  const toml::node* get(std::string_view key, bool required);

  std::optional<std::string> string(std::string_view key, bool required = false);
  std::optional<int> integer(std::string_view key, int lo, int hi, bool required = false);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::vector<std::string>> strings(std::string_view key, bool required = false);
  const toml::table* subtable(std::string_view key, bool required = false);
  // Elements of an array of tables with their index; non-table elements are reported.
  std::vector<std::pair<std::size_t, const toml::table*>> tables(std::string_view key,
                                                                 bool required = false);

 private:
  bool expect(const toml::node& n, toml::node_type type, const std::string& field);

  Loader& loader_;
  const toml::table& table_;
  std::string path_;
};

class Loader {
 public:
  void load_file(const std::string& path, int depth, const Origin* from);
  void load_text(std::string_view text, const std::string& file, int depth);
  Region finish();

  void error(int line, const std::string& field, std::string message) {
    issue(file_, line, field, std::move(message), false);
  }
  void warn(int line, const std::string& field, std::string message) {
    issue(file_, line, field, std::move(message), true);
  }
  void issue(const std::string& file, int line, const std::string& field, std::string message,
             bool warning) {
    issues_.push_back({file, line, field, std::move(message), warning});
  }
  void note_line(const std::string& field, int line) { lines_[file_ + '\n' + field] = line; }

 private:
  void read_document(const toml::table& doc, int depth);
  bool claim_section(const char* name, const toml::node& node);
  void read_region(const toml::table& t);
  void read_policy(const toml::table& t);
  void read_network(const toml::table& t);
  void read_security(const toml::table& t);
  void read_ldap(const toml::table& t);
  void read_service(const toml::table& t, const std::string& path);
  void read_office(const toml::table& t, const std::string& path);
  void read_hours(const toml::table& t, const std::string& path, std::vector<OpeningSpan>& out);
  void read_staff(const toml::table& t, const std::string& path);
  void read_travel(const toml::table& t, const std::string& path);
  void check_travel();
  LocalizedText read_text(const toml::node* n, const std::string& field);
  void check_references();
  void check_texts();
  int line_at(const Origin& o, const std::string& field) const;
  void fail_at(const Origin& o, const std::string& field, std::string message, bool warn = false) {
    issue(o.file, line_at(o, field), field, std::move(message), warn);
  }

  Region region_;
  std::vector<ConfigIssue> issues_;
  std::string file_;                        // the file being read
  std::string dir_;                         // its directory, for includes
  std::set<std::string> loading_;           // canonical paths on the include stack
  std::set<std::string> loaded_;            // canonical paths read so far
  std::map<std::string, Origin> sections_;  // region/policy/network: where first defined
  bool have_region_ = false;
  bool incomplete_ = false;           // a file could not be read or parsed: skip the cross-checks
  std::map<std::string, int> lines_;  // file '\n' field -> line
  std::vector<Origin> service_origin_, staff_origin_, travel_origin_;
  bool ldap_section_ = false;  // [security.ldap] was read (staff with auth = "ldap" need it)
  std::vector<OfficeOrigin> office_origin_;
  std::vector<TextSite> texts_;

  friend class TableReader;
};

TableReader::TableReader(Loader& loader, const toml::table& table, std::string path,
                         std::initializer_list<std::string_view> keys)
    : loader_(loader), table_(table), path_(std::move(path)) {
  for (auto&& [key, value] : table_) {
    std::string_view k = key.str();
    if (std::find(keys.begin(), keys.end(), k) != keys.end()) continue;
    std::string message = "unknown key '" + std::string(k) + "'";
    std::string_view best;
    std::size_t best_distance = 3;
    for (auto known : keys) {
      std::size_t d = edit_distance(k, known);
      if (d < best_distance) best_distance = d, best = known;
    }
    if (!best.empty()) message += " (did you mean '" + std::string(best) + "'?)";
    int line = static_cast<int>(key.source().begin.line);
    loader_.error(line ? line : line_of(&value), field(k), message);
  }
}

const toml::node* TableReader::get(std::string_view key, bool required) {
  const toml::node* n = table_.get(key);
  if (!n && required) loader_.error(line(), field(key), "missing required key");
  if (n) loader_.note_line(field(key), line_of(n));
  return n;
}

bool TableReader::expect(const toml::node& n, toml::node_type type, const std::string& field) {
  if (n.type() == type) return true;
  static const std::map<toml::node_type, const char*> names = {
      {toml::node_type::string, "string"},
      {toml::node_type::integer, "integer"},
      {toml::node_type::boolean, "boolean"},
      {toml::node_type::table, "table"},
      {toml::node_type::array, "array"}};
  loader_.error(line_of(&n), field,
                std::string("expected ") + names.at(type) + ", found " + type_name(n));
  return false;
}

std::optional<std::string> TableReader::string(std::string_view key, bool required) {
  const toml::node* n = get(key, required);
  if (!n || !expect(*n, toml::node_type::string, field(key))) return std::nullopt;
  std::string value = n->as_string()->get();
  if (required && trim(value).empty()) {
    loader_.error(line_of(n), field(key), "must not be empty");
    return std::nullopt;
  }
  return value;
}

std::optional<int> TableReader::integer(std::string_view key, int lo, int hi, bool required) {
  const toml::node* n = get(key, required);
  if (!n || !expect(*n, toml::node_type::integer, field(key))) return std::nullopt;
  std::int64_t v = n->as_integer()->get();
  if (v < lo || v > hi) {
    loader_.error(line_of(n), field(key),
                  "out of range: " + std::to_string(v) + " (allowed " + std::to_string(lo) + ".." +
                      std::to_string(hi) + ")");
    return std::nullopt;
  }
  return static_cast<int>(v);
}

std::optional<bool> TableReader::boolean(std::string_view key) {
  const toml::node* n = get(key, false);
  if (!n || !expect(*n, toml::node_type::boolean, field(key))) return std::nullopt;
  return n->as_boolean()->get();
}

std::optional<std::vector<std::string>> TableReader::strings(std::string_view key, bool required) {
  const toml::node* n = get(key, required);
  if (!n || !expect(*n, toml::node_type::array, field(key))) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  const toml::array& arr = *n->as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    std::string f = at(field(key), i);
    if (!expect(arr[i], toml::node_type::string, f)) {
      ok = false;
      continue;
    }
    loader_.note_line(f, line_of(&arr[i]));
    out.push_back(arr[i].as_string()->get());
  }
  if (!ok) return std::nullopt;
  return out;
}

const toml::table* TableReader::subtable(std::string_view key, bool required) {
  const toml::node* n = get(key, required);
  if (!n || !expect(*n, toml::node_type::table, field(key))) return nullptr;
  return n->as_table();
}

std::vector<std::pair<std::size_t, const toml::table*>> TableReader::tables(std::string_view key,
                                                                            bool required) {
  std::vector<std::pair<std::size_t, const toml::table*>> out;
  const toml::node* n = get(key, required);
  if (!n) return out;
  if (!n->is_array()) {
    loader_.error(line_of(n), field(key),
                  "expected an array of tables ([[" + field(key) + "]]), found " + type_name(*n));
    return out;
  }
  const toml::array& arr = *n->as_array();
  for (std::size_t i = 0; i < arr.size(); ++i)
    if (expect(arr[i], toml::node_type::table, at(field(key), i)))
      out.emplace_back(i, arr[i].as_table());
  return out;
}

// ---- reading documents ----

void Loader::load_file(const std::string& path, int depth, const Origin* from) {
  auto report = [&](std::string message) {
    incomplete_ = true;
    if (from)
      issue(from->file, from->line, from->path, message, false);
    else
      issue(path, 0, "", message, false);
  };
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  std::string key = ec ? path : canonical.string();
  if (loading_.count(key)) return report("include cycle: '" + path + "' includes itself");
  if (loaded_.count(key)) return report("'" + path + "' is included twice");
  if (depth > kMaxIncludeDepth) return report("includes nested too deeply");
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path, ec))
    return report("cannot read '" + path +
                  "': " + (fs::exists(path, ec) ? "not a readable file" : "no such file"));
  std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) return report("'" + path + "' is too large for a config file");
  std::ostringstream text;
  text << in.rdbuf();
  loading_.insert(key);
  loaded_.insert(key);
  load_text(text.str(), path, depth);
  loading_.erase(key);
}

void Loader::load_text(std::string_view text, const std::string& file, int depth) {
  std::string saved_file = file_, saved_dir = dir_;
  file_ = file;
  dir_ = fs::path(file).parent_path().string();
  if (std::find(region_.files.begin(), region_.files.end(), file) == region_.files.end())
    region_.files.push_back(file);
  if (depth == 0) {  // text handed in directly: guard against including itself
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(file, ec);
    loading_.insert(ec ? file : canonical.string());
    loaded_.insert(ec ? file : canonical.string());
  }
  try {
    toml::table doc = toml::parse(text, file);
    read_document(doc, depth);
  } catch (const toml::parse_error& e) {
    incomplete_ = true;
    error(static_cast<int>(e.source().begin.line), "",
          "TOML syntax error: " + std::string(e.description()));
  }
  file_ = saved_file;
  dir_ = saved_dir;
}

bool Loader::claim_section(const char* name, const toml::node& node) {
  auto [it, fresh] = sections_.try_emplace(name, Origin{file_, name, line_of(&node)});
  if (!fresh)
    error(line_of(&node), name,
          "section [" + std::string(name) + "] is already defined at " + it->second.file + ":" +
              std::to_string(it->second.line));
  return fresh;
}

void Loader::read_document(const toml::table& doc, int depth) {
  TableReader r(*this, doc, "",
                {"include", "region", "policy", "network", "security", "services", "offices", "staff",
                 "travel"});
  if (const toml::node* n = r.get("region", false); n && claim_section("region", *n))
    if (const auto* t = r.subtable("region")) read_region(*t);
  if (const toml::node* n = r.get("policy", false); n && claim_section("policy", *n))
    if (const auto* t = r.subtable("policy")) read_policy(*t);
  if (const toml::node* n = r.get("network", false); n && claim_section("network", *n))
    if (const auto* t = r.subtable("network")) read_network(*t);
  if (const toml::node* n = r.get("security", false); n && claim_section("security", *n))
    if (const auto* t = r.subtable("security")) read_security(*t);
  for (auto [i, t] : r.tables("services")) read_service(*t, at("services", i));
  for (auto [i, t] : r.tables("offices")) read_office(*t, at("offices", i));
  for (auto [i, t] : r.tables("staff")) read_staff(*t, at("staff", i));
  for (auto [i, t] : r.tables("travel")) read_travel(*t, at("travel", i));

  std::vector<std::string> includes;
  if (const toml::node* n = doc.get("include"); n && n->is_string()) {
    includes.push_back(n->as_string()->get());
    note_line("include[0]", line_of(n));
  } else if (n) {
    includes = r.strings("include").value_or(std::vector<std::string>{});
  }
  std::string here = file_;
  for (std::size_t i = 0; i < includes.size(); ++i) {
    Origin from{here, at("include", i), lines_[here + '\n' + at("include", i)]};
    if (includes[i].empty()) {
      error(from.line, from.path, "empty include path");
      continue;
    }
    fs::path target =
        fs::path(includes[i]).is_absolute() ? fs::path(includes[i]) : fs::path(dir_) / includes[i];
    load_file(target.string(), depth + 1, &from);
  }
}

void Loader::read_region(const toml::table& t) {
  TableReader r(*this, t, "region", {"id", "name", "languages"});
  have_region_ = true;
  if (auto id = r.string("id", true)) {
    if (!valid_id(*id))
      error(line_of(r.get("id", false)), "region.id",
            "'" + *id + "' is not a valid id (lowercase letters, digits and '-')");
    region_.id = *id;
  }
  if (auto name = r.string("name", true)) region_.name = *name;
  if (auto langs = r.strings("languages", true)) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < langs->size(); ++i) {
      const std::string& l = (*langs)[i];
      int line = lines_[file_ + '\n' + at("region.languages", i)];
      if (!valid_lang(l))
        error(line, at("region.languages", i), "'" + l + "' is not a language code like \"de\"");
      else if (!seen.insert(l).second)
        error(line, at("region.languages", i), "language '" + l + "' listed twice");
      else
        region_.languages.push_back(l);
    }
    if (!seen.count("de"))
      error(line_of(r.get("languages", false)), "region.languages",
            "must include \"de\" (German is the fallback for every text)");
  }
}

void Loader::read_policy(const toml::table& t) {
  TableReader r(*this, t, "policy",
                {"recall_limit", "max_wait_factor_percent", "appointment_grace_minutes",
                 "retention_hours", "timezone", "last_ticket_minutes_before_close",
                 "recall_min_interval_s", "day_close_grace_minutes", "no_show_release_minutes",
                 "late_arrival_minutes"});
  Policy& p = region_.policy;
  p.no_show_release_minutes =
      r.integer("no_show_release_minutes", 0, 720).value_or(p.no_show_release_minutes);
  p.late_arrival_minutes = r.integer("late_arrival_minutes", 0, 720).value_or(p.late_arrival_minutes);
  p.recall_min_interval_s =
      r.integer("recall_min_interval_s", 0, 3600).value_or(p.recall_min_interval_s);
  p.day_close_grace_minutes =
      r.integer("day_close_grace_minutes", 0, 720).value_or(p.day_close_grace_minutes);
  p.last_ticket_minutes_before_close =
      r.integer("last_ticket_minutes_before_close", 0, 240).value_or(p.last_ticket_minutes_before_close);
  p.recall_limit = r.integer("recall_limit", 0, 10).value_or(p.recall_limit);
  p.max_wait_factor_percent =
      r.integer("max_wait_factor_percent", 100, 1000).value_or(p.max_wait_factor_percent);
  p.appointment_grace_minutes =
      r.integer("appointment_grace_minutes", 0, 60).value_or(p.appointment_grace_minutes);
  p.retention_hours = r.integer("retention_hours", 0, 2160).value_or(p.retention_hours);
  if (auto tz = r.string("timezone")) {
    bool ok = !tz->empty() && tz->find("..") == std::string::npos && tz->front() != '/' &&
              all_of(
                  *tz, [](int c) { return std::isalnum(c); }, "/_+-");
    if (!ok)
      error(line_of(r.get("timezone", false)), "policy.timezone",
            "'" + *tz + "' is not a time zone name like \"Europe/Berlin\"");
    else
      p.timezone = *tz;
  }
}

void Loader::read_network(const toml::table& t) {
  TableReader r(*this, t, "network",
                {"command_endpoint", "event_endpoint", "http_endpoint", "public_url"});
  Network& n = region_.network;
  auto check = [&](const char* key, std::string& out, bool (*valid)(std::string_view),
                   const char* example) {
    if (auto v = r.string(key)) {
      if (valid(*v))
        out = *v;
      else
        error(line_of(r.get(key, false)), r.field(key),
              "bad endpoint '" + *v + "' (expected " + example + ")");
    }
  };
  check("command_endpoint", n.command_endpoint, valid_zmq_endpoint, "\"tcp://127.0.0.1:5570\"");
  check("event_endpoint", n.event_endpoint, valid_zmq_endpoint, "\"tcp://127.0.0.1:5571\"");
  check(
      "http_endpoint", n.http_endpoint,
      [](std::string_view s) { return valid_host_port(s, false); }, "\"127.0.0.1:8080\"");
  check("public_url", n.public_url, valid_url, "\"http://127.0.0.1:8080\"");
  if (n.command_endpoint == n.event_endpoint)
    error(r.line(), "network.event_endpoint", "must differ from command_endpoint");
}

void Loader::read_security(const toml::table& t) {
  TableReader r(*this, t, "security",
                {"transport", "plain_role", "keys_dir", "rate_limit", "rate_burst", "memory_budget_mb", "connections_per_key",
                 "login_attempts", "lockout_minutes", "pin_min_length", "ldap"});
  Security& s = region_.security;
  if (auto v = r.string("transport")) {
    if (*v == "curve" || *v == "plain")
      s.transport = *v;
    else
      error(line_of(r.get("transport", false)), r.field("transport"),
            "unknown transport '" + *v + "' (expected \"curve\" or \"plain\")");
  }
  if (auto v = r.string("plain_role")) {
    if (*v == "none" || *v == "admin")
      s.plain_role = *v;
    else
      error(line_of(r.get("plain_role", false)), r.field("plain_role"),
            "unknown plain_role '" + *v + "' (expected \"none\" or \"admin\")");
  }
  if (auto v = r.string("keys_dir")) s.keys_dir = *v;
  s.rate_limit = r.integer("rate_limit", 0, 100000).value_or(s.rate_limit);
  s.rate_burst = r.integer("rate_burst", 1, 100000).value_or(s.rate_burst);
  // Below 8 MiB a connection could not queue a hundred full-size requests; above 4 GiB the
  // budget protects nothing.
  s.memory_budget_mb = r.integer("memory_budget_mb", 8, 4096).value_or(s.memory_budget_mb);
  s.connections_per_key = r.integer("connections_per_key", 0, 1000).value_or(s.connections_per_key);
  s.login_attempts = r.integer("login_attempts", 0, 100).value_or(s.login_attempts);
  s.lockout_minutes = r.integer("lockout_minutes", 1, 1440).value_or(s.lockout_minutes);
  // Below 4 the lockout alone cannot protect an account; above 128 no one types it.
  s.pin_min_length = r.integer("pin_min_length", 4, 128).value_or(s.pin_min_length);
  if (const auto* t = r.subtable("ldap")) read_ldap(*t);
}

// [security.ldap]: staff logins checked by a simple bind to the county's directory. Passwords
// travel to it, so TLS (ldaps:// or StartTLS) is required unless a test allows plaintext.
void Loader::read_ldap(const toml::table& t) {
  TableReader r(*this, t, "security.ldap",
                {"url", "starttls", "bind_dn_template", "ca_file", "timeout_s", "allow_plaintext"});
  Ldap& l = region_.security.ldap;
  if (auto v = r.string("url", true)) {
    // One URL, or several separated by spaces (a county's domain controllers, tried in order
    // by libldap); one scheme for all, so that "is this TLS" has one answer.
    std::istringstream words(*v);
    std::string url, scheme;
    bool ok = true, any = false;
    while (words >> url) {
      any = true;
      std::string s = url.starts_with("ldaps://") ? "ldaps://" : url.starts_with("ldap://") ? "ldap://" : "";
      std::string host = url.substr(s.size());
      if (!host.empty() && host.back() == '/') host.pop_back();
      if (s.empty() || host.empty() || host.find_first_of("/?,\\") != std::string::npos ||
          (!scheme.empty() && s != scheme))
        ok = false;
      scheme = s;
    }
    if (!ok || !any)
      error(line_of(r.get("url", false)), r.field("url"),
            "'" + *v + "' is not an LDAP URL like \"ldaps://dc1.county.local\" or \"ldap://host:389\" "
            "(several: separated by spaces, one scheme)");
    else
      l.url = *v;
  }
  l.starttls = r.boolean("starttls").value_or(l.starttls);
  l.allow_plaintext = r.boolean("allow_plaintext").value_or(l.allow_plaintext);
  if (auto v = r.string("bind_dn_template", true)) {
    if (v->find("{login}") == std::string::npos)
      error(line_of(r.get("bind_dn_template", false)), r.field("bind_dn_template"),
            "must contain {login} (\"uid={login},ou=staff,dc=county,dc=de\" or \"{login}@county.local\")");
    else
      l.bind_dn_template = *v;
  }
  if (auto v = r.string("ca_file")) l.ca_file = *v;
  l.timeout_s = r.integer("timeout_s", 1, 60).value_or(l.timeout_s);
  if (l.plaintext() && !l.allow_plaintext)
    error(line_of(r.get("starttls", false)), r.field("starttls"),
          "ldap:// without StartTLS sends staff passwords in the clear: use ldaps:// or "
          "starttls = true (allow_plaintext = true exists for tests only)");
  // Not yet `enabled()` when a required key is missing: reported above, and the staff entries
  // with auth = "ldap" are then not reported a second time.
  ldap_section_ = true;
}

LocalizedText Loader::read_text(const toml::node* n, const std::string& field) {
  LocalizedText text;
  TextSite site{{file_, field, line_of(n)}, {}};
  if (n->is_string()) {
    text["de"] = n->as_string()->get();
  } else if (n->is_table()) {
    for (auto&& [key, value] : *n->as_table()) {
      std::string lang(key.str());
      std::string f = at(field, lang);
      if (!valid_lang(lang)) {
        error(line_of(&value), f, "'" + lang + "' is not a language code like \"de\"");
      } else if (!value.is_string()) {
        error(line_of(&value), f, "expected string, found " + type_name(value));
      } else if (trim(value.as_string()->get()).empty()) {
        error(line_of(&value), f, "must not be empty");
      } else {
        text[lang] = value.as_string()->get();
      }
    }
  } else {
    error(line_of(n), field,
          "expected a table of translations (de = \"...\"), found " + type_name(*n));
    return text;
  }
  if (!text.count("de") || trim(text["de"]).empty())
    error(line_of(n), field.ends_with(".de") ? field : at(field, "de"), "missing German text (de)");
  for (const auto& [lang, value] : text) site.langs.insert(lang);
  texts_.push_back(std::move(site));
  return text;
}

void Loader::read_service(const toml::table& t, const std::string& path) {
  TableReader r(*this, t, path,
                {"id", "name", "description", "prefix", "expected_minutes", "documents",
                 "id_capture", "backoffice_unit", "wait_target_minutes", "offices",
                 "last_ticket_minutes_before_close", "recall_limit", "recall_min_interval_s"});
  Service s;
  if (auto id = r.string("id", true)) {
    if (!valid_id(*id))
      error(line_of(r.get("id", false)), r.field("id"),
            "'" + *id + "' is not a valid id (lowercase letters, digits and '-')");
    s.id = *id;
  }
  if (const auto* n = r.get("name", true)) s.name = read_text(n, r.field("name"));
  if (const auto* n = r.get("description", false))
    s.description = read_text(n, r.field("description"));
  if (auto prefix = r.string("prefix", true)) {
    bool ok = (prefix->size() == 1 || prefix->size() == 2) &&
              all_of(*prefix, [](int c) { return int(c >= 'A' && c <= 'Z'); });
    if (!ok)
      error(line_of(r.get("prefix", false)), r.field("prefix"),
            "prefix '" + *prefix + "' must be 1-2 uppercase letters A-Z");
    s.prefix = *prefix;
  }
  s.expected_minutes = r.integer("expected_minutes", 1, 180).value_or(s.expected_minutes);
  s.wait_target_minutes = r.integer("wait_target_minutes", 1, 480).value_or(s.wait_target_minutes);
  s.last_ticket_minutes_before_close =
      r.integer("last_ticket_minutes_before_close", 0, 240).value_or(-1);
  s.recall_limit = r.integer("recall_limit", 0, 10).value_or(-1);
  s.recall_min_interval_s = r.integer("recall_min_interval_s", 0, 3600).value_or(-1);
  s.id_capture = r.boolean("id_capture").value_or(false);
  s.backoffice_unit = r.string("backoffice_unit").value_or("");
  if (const auto* n = r.get("documents", false)) {
    if (!n->is_array()) {
      error(line_of(n), r.field("documents"), "expected array, found " + type_name(*n));
    } else {
      const toml::array& arr = *n->as_array();
      for (std::size_t i = 0; i < arr.size(); ++i)
        s.documents.push_back(read_text(&arr[i], at(r.field("documents"), i)));
    }
  }
  if (auto offices = r.strings("offices")) {
    if (offices->empty())
      error(line_of(r.get("offices", false)), r.field("offices"),
            "empty list; leave the key out to offer the service in every office");
    s.offices = *offices;
  }
  region_.services.push_back(std::move(s));
  service_origin_.push_back({file_, path, r.line()});
}

void Loader::read_hours(const toml::table& t, const std::string& path,
                        std::vector<OpeningSpan>& out) {
  std::map<int, std::string> day_keys;
  // toml++ iterates keys sorted; go in file order so "given twice" points at the second one.
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (auto&& [key, value] : t) entries.emplace_back(&key, &value);
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto &x = a.first->source().begin, &y = b.first->source().begin;
    return std::tie(x.line, x.column) < std::tie(y.line, y.column);
  });
  for (auto [key_ptr, value_ptr] : entries) {
    const toml::node& value = *value_ptr;
    std::string k(key_ptr->str());
    std::string f = at(path, k);
    int line = line_of(&value);
    auto day = parse_weekday(k);
    if (!day) {
      error(line, f, "unknown weekday '" + k + "' (use mo tu we th fr sa su, or 1-7)");
      continue;
    }
    if (auto [it, fresh] = day_keys.emplace(*day, k); !fresh) {
      error(line, f, "weekday given twice (also as '" + it->second + "')");
      continue;
    }
    std::vector<std::string> texts;
    auto split = [&](const std::string& s) {
      std::stringstream ss(s);
      for (std::string part; std::getline(ss, part, ',');) texts.push_back(trim(part));
    };
    if (value.is_string()) {
      split(value.as_string()->get());
    } else if (value.is_array()) {
      for (auto& el : *value.as_array()) {
        if (el.is_string())
          split(el.as_string()->get());
        else
          error(line_of(&el), f, "expected string, found " + type_name(el));
      }
    } else {
      error(line, f, "expected \"08:00-12:00\" or a list of them, found " + type_name(value));
      continue;
    }
    std::vector<OpeningSpan> spans;
    for (const auto& text : texts) {
      if (text.empty() || text == "closed" || text == "geschlossen") continue;
      auto dash = text.find('-');
      auto open =
          dash == std::string::npos ? std::nullopt : parse_clock(trim(text.substr(0, dash)));
      auto close =
          dash == std::string::npos ? std::nullopt : parse_clock(trim(text.substr(dash + 1)));
      if (!open || !close) {
        error(line, f, "bad opening hours '" + text + "' (expected \"08:00-12:00\")");
      } else if (*close <= *open) {
        error(line, f,
              "'" + text + "': closes (" + clock_text(*close) + ") before it opens (" +
                  clock_text(*open) + ")");
      } else {
        spans.push_back({*day, *open, *close});
      }
    }
    std::sort(spans.begin(), spans.end(),
              [](const auto& a, const auto& b) { return a.open_minute < b.open_minute; });
    for (std::size_t i = 1; i < spans.size(); ++i)
      if (spans[i].open_minute < spans[i - 1].close_minute)
        error(line, f, "opening hours overlap (" + clock_text(spans[i].open_minute) + ")");
    out.insert(out.end(), spans.begin(), spans.end());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.weekday, a.open_minute) < std::tie(b.weekday, b.open_minute);
  });
}

void Loader::read_office(const toml::table& t, const std::string& path) {
  TableReader r(*this, t, path,
                {"id", "name", "address", "hours", "counters", "kiosks", "displays",
                 "day_close_grace_minutes", "calling"});
  Office o;
  OfficeOrigin origin{{file_, path, r.line()}, {}, {}, {}};
  auto read_id = [&](TableReader& tr) {
    auto id = tr.string("id", true);
    if (id && !valid_id(*id))
      error(line_of(tr.get("id", false)), tr.field("id"),
            "'" + *id + "' is not a valid id (lowercase letters, digits and '-')");
    return id.value_or("");
  };
  o.id = read_id(r);
  o.name = r.string("name", true).value_or("");
  o.address = r.string("address").value_or("");
  o.day_close_grace_minutes = r.integer("day_close_grace_minutes", 0, 720).value_or(-1);
  if (auto calling = r.string("calling")) {
    if (*calling == "any" || *calling == "next_only")
      o.calling = *calling;
    else
      error(line_of(r.get("calling", false)), r.field("calling"),
            "'" + *calling + "' is not \"any\" or \"next_only\"");
  }
  if (const auto* h = r.subtable("hours", true)) read_hours(*h, r.field("hours"), o.hours);
  auto counters = r.tables("counters", true);
  if (r.get("counters", false) && counters.empty())
    error(r.line(), r.field("counters"), "an office needs at least one counter");
  for (auto [i, ct] : counters) {
    TableReader c(*this, *ct, at(r.field("counters"), i),
                  {"id", "name", "spoken", "group", "profile"});
    Counter counter;
    counter.id = read_id(c);
    counter.name = c.string("name", true).value_or("");
    counter.spoken = c.string("spoken").value_or("");
    counter.group = c.string("group").value_or("");
    counter.profile = c.strings("profile", true).value_or(std::vector<std::string>{});
    if (counter.profile.empty() && c.get("profile", false) && c.get("profile", false)->is_array())
      error(line_of(c.get("profile", false)), c.field("profile"),
            "empty profile: the counter would serve nothing");
    o.counters.push_back(std::move(counter));
    origin.counters.push_back({file_, c.path(), c.line()});
  }
  for (auto [i, kt] : r.tables("kiosks")) {
    TableReader k(*this, *kt, at(r.field("kiosks"), i),
                  {"id", "printer", "mrz_reader", "card_reader"});
    Kiosk kiosk;
    kiosk.id = read_id(k);
    kiosk.printer = k.string("printer").value_or(kiosk.printer);
    kiosk.mrz_reader = k.string("mrz_reader").value_or(kiosk.mrz_reader);
    kiosk.card_reader = k.string("card_reader").value_or("");
    o.kiosks.push_back(std::move(kiosk));
    origin.kiosks.push_back({file_, k.path(), k.line()});
  }
  for (auto [i, dt] : r.tables("displays")) {
    TableReader d(*this, *dt, at(r.field("displays"), i),
                  {"id", "groups", "ticker", "second_language", "sound"});
    Display display;
    display.id = read_id(d);
    display.groups = d.strings("groups").value_or(std::vector<std::string>{});
    display.ticker = d.string("ticker").value_or("");
    display.second_language = d.string("second_language").value_or("");
    display.sound = d.boolean("sound").value_or(true);
    o.displays.push_back(std::move(display));
    origin.displays.push_back({file_, d.path(), d.line()});
  }
  region_.offices.push_back(std::move(o));
  office_origin_.push_back(std::move(origin));
}

void Loader::read_staff(const toml::table& t, const std::string& path) {
  TableReader r(*this, t, path, {"login", "name", "roles", "offices", "password_hash", "auth"});
  Staff s;
  if (auto login = r.string("login", true)) {
    if (!valid_login(*login))
      error(line_of(r.get("login", false)), r.field("login"),
            "'" + *login + "' is not a valid login (lowercase letters, digits, '.', '_', '-')");
    s.login = *login;
  }
  s.name = r.string("name", true).value_or("");
  if (auto roles = r.strings("roles", true)) {
    if (roles->empty()) error(line_of(r.get("roles", false)), r.field("roles"), "no role given");
    for (std::size_t i = 0; i < roles->size(); ++i) {
      if (auto role = parse_role((*roles)[i]))
        s.roles.push_back(*role);
      else
        error(lines_[file_ + '\n' + at(r.field("roles"), i)], at(r.field("roles"), i),
              "unknown role '" + (*roles)[i] + "' (counter, head, backoffice, admin)");
    }
  }
  s.offices = r.strings("offices").value_or(std::vector<std::string>{});
  if (auto auth = r.string("auth")) {
    if (*auth == "ldap")
      s.auth = StaffAuth::ldap;
    else if (*auth != "local")
      error(line_of(r.get("auth", false)), r.field("auth"),
            "unknown auth '" + *auth + "' (expected \"local\" or \"ldap\")");
  }
  if (s.auth == StaffAuth::ldap) {
    // The directory checks the password; a hash beside it would be a second, forgotten one.
    if (r.get("password_hash", false))
      error(line_of(r.get("password_hash", false)), r.field("password_hash"),
            "an auth = \"ldap\" account has no password_hash (the directory checks the password)");
  } else if (auto hash = r.string("password_hash", true)) {
    static const bool sodium_ready = sodium_init() >= 0;
    bool ok = sodium_ready && hash->starts_with("$argon2id$") &&
              hash->size() < crypto_pwhash_STRBYTES &&
              crypto_pwhash_str_needs_rehash(hash->c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                             crypto_pwhash_MEMLIMIT_INTERACTIVE) != -1;
    if (!ok)
      error(line_of(r.get("password_hash", false)), r.field("password_hash"),
            "not a libsodium Argon2id hash (\"$argon2id$v=19$...\"); never store a plain PIN");
    s.password_hash = *hash;
  }
  region_.staff.push_back(std::move(s));
  staff_origin_.push_back({file_, path, r.line()});
}

// ---- checks across the whole region ----

int Loader::line_at(const Origin& o, const std::string& field) const {
  auto it = lines_.find(o.file + '\n' + field);
  return it != lines_.end() ? it->second : o.line;
}

// [[travel]] between = ["goerlitz", "zittau"], minutes = 40, km = 35: the office ids are
// checked once every office is known (check_travel).
void Loader::read_travel(const toml::table& t, const std::string& path) {
  TableReader r(*this, t, path, {"between", "minutes", "km"});
  Travel travel;
  if (auto between = r.strings("between", true)) {
    if (between->size() != 2)
      error(line_of(r.get("between", false)), r.field("between"),
            "expected two office ids, found " + std::to_string(between->size()));
    else
      travel.from = (*between)[0], travel.to = (*between)[1];
  }
  // A drive of more than ten hours is a typo, not a suggestion anyone takes.
  travel.minutes = r.integer("minutes", 0, 600, true).value_or(-1);
  travel.km = r.integer("km", 0, 1000).value_or(0);
  if (travel.from.empty() || travel.minutes < 0) return;  // reported above
  region_.travel.push_back(std::move(travel));
  travel_origin_.push_back({file_, path, r.line()});
}

void Loader::check_travel() {
  std::map<std::pair<std::string, std::string>, Origin> seen;
  for (std::size_t i = 0; i < region_.travel.size(); ++i) {
    const Travel& t = region_.travel[i];
    const Origin& o = travel_origin_[i];
    bool known = true;
    for (std::size_t k = 0; k < 2; ++k) {
      const std::string& id = k == 0 ? t.from : t.to;
      if (region_.find_office(id)) continue;
      fail_at(o, at(o.path + ".between", k), "unknown office '" + id + "'");
      known = false;
    }
    if (!known) continue;
    if (t.from == t.to) {
      fail_at(o, o.path + ".between", "an office and itself ('" + t.from + "')");
      continue;
    }
    auto pair = std::minmax(t.from, t.to);
    auto [it, fresh] = seen.try_emplace({pair.first, pair.second}, o);
    if (!fresh)
      fail_at(o, o.path + ".between",
              "travel between '" + t.from + "' and '" + t.to + "' is already given at " +
                  it->second.file + ":" + std::to_string(line_at(it->second, it->second.path)));
  }
}

void Loader::check_references() {
  auto first_seen = [](std::map<std::string, Origin>& seen, const std::string& key,
                       const Origin& o) -> const Origin* {
    auto [it, fresh] = seen.try_emplace(key, o);
    return fresh ? nullptr : &it->second;
  };
  auto where = [](const Origin& o) { return o.file + ":" + std::to_string(o.line); };

  std::map<std::string, Origin> service_ids, prefixes, office_ids, stations, logins;
  for (std::size_t i = 0; i < region_.services.size(); ++i) {
    const Service& s = region_.services[i];
    const Origin& o = service_origin_[i];
    if (!s.id.empty())
      if (auto* prev = first_seen(service_ids, s.id, {o.file, o.path, line_at(o, o.path + ".id")}))
        fail_at(o, o.path + ".id",
                "duplicate service id '" + s.id + "' (first at " + where(*prev) + ")");
    if (!s.prefix.empty())
      if (auto* prev =
              first_seen(prefixes, s.prefix, {o.file, o.path, line_at(o, o.path + ".prefix")}))
        fail_at(o, o.path + ".prefix",
                "duplicate prefix '" + s.prefix + "' (first at " + where(*prev) + ")");
  }
  for (std::size_t i = 0; i < region_.offices.size(); ++i) {
    const Office& office = region_.offices[i];
    const OfficeOrigin& oo = office_origin_[i];
    if (!office.id.empty())
      if (auto* prev = first_seen(office_ids, office.id,
                                  {oo.self.file, "", line_at(oo.self, oo.self.path + ".id")}))
        fail_at(oo.self, oo.self.path + ".id",
                "duplicate office id '" + office.id + "' (first at " + where(*prev) + ")");
    auto station = [&](const std::string& id, const Origin& o) {
      if (id.empty()) return;
      if (auto* prev = first_seen(stations, id, {o.file, "", line_at(o, o.path + ".id")}))
        fail_at(o, o.path + ".id",
                "duplicate station id '" + id + "' (first at " + where(*prev) +
                    "; counters, kiosks and displays share one namespace)");
    };
    std::set<std::string> groups, names;
    for (std::size_t c = 0; c < office.counters.size(); ++c) {
      const Counter& counter = office.counters[c];
      const Origin& o = oo.counters[c];
      station(counter.id, o);
      groups.insert(counter.group);
      if (!counter.name.empty() && !names.insert(counter.name).second)
        fail_at(o, o.path + ".name",
                "two counters in this office are called '" + counter.name + "'");
      std::set<std::string> in_profile;
      for (std::size_t p = 0; p < counter.profile.size(); ++p) {
        const std::string& sid = counter.profile[p];
        std::string f = at(o.path + ".profile", p);
        if (!in_profile.insert(sid).second)
          fail_at(o, f, "service '" + sid + "' listed twice in the profile");
        else if (!region_.find_service(sid))
          fail_at(o, f, "unknown service '" + sid + "'");
        else if (!office.id.empty() && !region_.office_offers(office.id, sid))
          fail_at(o, f, "service '" + sid + "' is not offered in office '" + office.id + "'");
      }
    }
    for (std::size_t k = 0; k < office.kiosks.size(); ++k)
      station(office.kiosks[k].id, oo.kiosks[k]);
    for (std::size_t d = 0; d < office.displays.size(); ++d) {
      const Display& display = office.displays[d];
      const Origin& o = oo.displays[d];
      station(display.id, o);
      for (std::size_t g = 0; g < display.groups.size(); ++g)
        if (!groups.count(display.groups[g]))
          fail_at(o, at(o.path + ".groups", g),
                  "no counter of this office is in group '" + display.groups[g] + "'");
      if (!display.second_language.empty() &&
          std::find(region_.languages.begin(), region_.languages.end(), display.second_language) ==
              region_.languages.end())
        fail_at(o, o.path + ".second_language",
                "language '" + display.second_language + "' is not in region.languages");
    }
    if (office.kiosks.empty()) fail_at(oo.self, oo.self.path, "office has no kiosk", true);
  }
  // Offices named by services, and services nobody serves.
  for (std::size_t i = 0; i < region_.services.size(); ++i) {
    const Service& s = region_.services[i];
    const Origin& o = service_origin_[i];
    for (std::size_t k = 0; k < s.offices.size(); ++k)
      if (!region_.find_office(s.offices[k]))
        fail_at(o, at(o.path + ".offices", k), "unknown office '" + s.offices[k] + "'");
    for (const Office& office : region_.offices) {
      if (office.id.empty() || s.id.empty() || !region_.office_offers(office.id, s.id)) continue;
      bool served =
          std::any_of(office.counters.begin(), office.counters.end(), [&](const Counter& c) {
            return std::find(c.profile.begin(), c.profile.end(), s.id) != c.profile.end();
          });
      if (!served)
        fail_at(o, o.path + ".id",
                "offered in office '" + office.id + "' but no counter there serves it", true);
    }
  }
  bool admin = false;
  for (std::size_t i = 0; i < region_.staff.size(); ++i) {
    const Staff& s = region_.staff[i];
    const Origin& o = staff_origin_[i];
    admin = admin || s.has_role(Role::admin);
    if (!s.login.empty())
      if (auto* prev = first_seen(logins, s.login, {o.file, "", line_at(o, o.path + ".login")}))
        fail_at(o, o.path + ".login",
                "duplicate login '" + s.login + "' (first at " + where(*prev) + ")");
    for (std::size_t k = 0; k < s.offices.size(); ++k)
      if (!region_.find_office(s.offices[k]))
        fail_at(o, at(o.path + ".offices", k), "unknown office '" + s.offices[k] + "'");
    if (s.auth == StaffAuth::ldap && !ldap_section_)
      fail_at(o, o.path + ".auth", "auth = \"ldap\" needs a [security.ldap] section (url, bind_dn_template)");
  }
  const std::string main = region_.files.empty() ? std::string() : region_.files.front();
  if (!have_region_ && !sections_.count("region"))
    issue(main, 0, "region", "missing required section [region]", false);
  if (region_.services.empty())
    issue(main, 0, "services", "no services defined ([[services]])", false);
  if (region_.offices.empty()) issue(main, 0, "offices", "no offices defined ([[offices]])", false);
  if (!admin) issue(main, 0, "staff", "no staff member has the admin role", true);
}

void Loader::check_texts() {
  for (const TextSite& site : texts_) {
    std::string missing, unused;
    for (const auto& lang : region_.languages)
      if (!site.langs.count(lang)) missing += (missing.empty() ? "" : ", ") + lang;
    for (const auto& lang : site.langs)
      if (std::find(region_.languages.begin(), region_.languages.end(), lang) ==
          region_.languages.end())
        unused += (unused.empty() ? "" : ", ") + lang;
    if (!missing.empty() && site.langs.count("de"))
      fail_at(site.where, site.where.path, "missing translation: " + missing + " (German is shown)",
              true);
    if (!unused.empty() && !region_.languages.empty())
      fail_at(site.where, site.where.path, "language not in region.languages: " + unused, true);
  }
}

Region Loader::finish() {
  if (!region_.files.empty() && !incomplete_) {
    check_references();
    check_travel();
    check_texts();
  }
  auto file_rank = [&](const std::string& f) {
    auto it = std::find(region_.files.begin(), region_.files.end(), f);
    return it - region_.files.begin();
  };
  std::stable_sort(issues_.begin(), issues_.end(), [&](const auto& a, const auto& b) {
    return std::make_tuple(file_rank(a.file), a.line == 0 ? 1 : 0, a.line) <
           std::make_tuple(file_rank(b.file), b.line == 0 ? 1 : 0, b.line);
  });
  bool failed =
      std::any_of(issues_.begin(), issues_.end(), [](const auto& i) { return !i.warning; });
  if (failed) throw ConfigError(std::move(issues_));
  region_.warnings = std::move(issues_);
  region_.index();
  return std::move(region_);
}

}  // namespace

bool valid_staff_login(std::string_view login) { return valid_login(login); }

Region load_config(const std::string& path) {
  Loader loader;
  loader.load_file(path, 0, nullptr);
  return loader.finish();
}

Region parse_config(const std::string& toml_text, const std::string& file_name) {
  Loader loader;
  loader.load_text(toml_text, file_name, 0);
  return loader.finish();
}

}  // namespace wm::core
