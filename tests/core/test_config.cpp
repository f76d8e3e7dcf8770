// Loading and validating the county configuration: the demo county, every class of error, and
// robustness against damaged files.
#define BOOST_TEST_MODULE config
#include <sodium.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "core/config.hpp"
#include "tests/support/temp_dir.hpp"

using namespace wm::core;

namespace {

const char* const kHash =
    "$argon2id$v=19$m=65536,t=2,p=1$X0WVYXkr5OvlHxLYeqLmgg$"
    "B7BCTHExpc/Tq6XHybwos36ozM8d7LaHg1wTajRQ+GA";

// A small valid county; tests append or replace lines to break it in one place.
std::string minimal() {
  return std::string(R"([region]
id = "test"
name = "Testkreis"
languages = ["de", "en"]

[[services]]
id = "alpha"
prefix = "A"
name = { de = "Alpha", en = "Alpha" }

[[services]]
id = "beta"
prefix = "B"
name = { de = "Beta", en = "Beta" }
offices = ["o1"]

[[offices]]
id = "o1"
name = "Büro Eins"
hours = { mo = "08:00-12:00", 4 = ["08:00-12:00", "13:00-18:00"] }
[[offices.counters]]
id = "o1-1"
name = "Schalter 1"
group = "EG"
profile = ["alpha", "beta"]
[[offices.kiosks]]
id = "o1-kiosk"
[[offices.displays]]
id = "o1-display"
groups = ["EG"]

[[staff]]
login = "root"
name = "Root"
roles = ["admin"]
password_hash = ")") +
         kHash + "\"\n";
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  BOOST_REQUIRE_MESSAGE(pos != std::string::npos, "snippet lacks: " + from);
  return text.replace(pos, from.size(), to);
}

int line_containing(const std::string& text, const std::string& needle) {
  auto pos = text.find(needle);
  BOOST_REQUIRE_MESSAGE(pos != std::string::npos, "snippet lacks: " + needle);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

std::vector<ConfigIssue> issues_of(const std::string& text) {
  try {
    parse_config(text, "test.toml");
  } catch (const ConfigError& e) {
    return e.issues();
  }
  BOOST_FAIL("configuration loaded although it should not");
  return {};
}

std::string dump(const std::vector<ConfigIssue>& issues) {
  std::string out;
  for (const auto& i : issues) out += "\n  " + i.to_string();
  return out;
}

// Expects an error at the line holding `needle`, in `field`, whose message contains `message`.
void expect_error(const std::string& text, const std::string& needle, const std::string& field,
                  const std::string& message) {
  auto issues = issues_of(text);
  int line = line_containing(text, needle);
  bool found = std::any_of(issues.begin(), issues.end(), [&](const ConfigIssue& i) {
    return !i.warning && i.file == "test.toml" && i.line == line && i.field == field &&
           i.message.find(message) != std::string::npos;
  });
  BOOST_CHECK_MESSAGE(found, "expected test.toml:" << line << ": " << field << ": ..." << message
                                                   << "\ngot:" << dump(issues));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(minimal_config_loads) {
  Region r = parse_config(minimal(), "test.toml");
  BOOST_TEST(r.id == "test");
  BOOST_TEST(r.services.size() == 2u);
  BOOST_TEST(r.offices.at(0).hours.size() == 3u);
  BOOST_TEST(r.offices[0].is_open_at(4, 17 * 60 + 59));
  BOOST_TEST(!r.offices[0].is_open_at(4, 12 * 60 + 30));
  BOOST_TEST(r.office_offers("o1", "beta"));
  BOOST_TEST(r.office_of_station("o1-kiosk")->id == "o1");
  BOOST_TEST(r.find_staff("root")->has_role(Role::admin));
  BOOST_TEST(r.warnings.empty(), dump(r.warnings));
}

BOOST_AUTO_TEST_CASE(demo_county_loads) {
  Region r = load_config(wm::test::source_path("deploy/config/county.toml"));
  BOOST_TEST(r.warnings.empty(), dump(r.warnings));
  BOOST_TEST(r.name == "Landkreis Görlitz");
  BOOST_TEST(r.files.size() == 4u);
  BOOST_TEST(r.languages == (std::vector<std::string>{"de", "en", "pl", "cs", "uk", "ru", "tr"}));
  BOOST_TEST(r.offices.size() == 5u);
  BOOST_TEST(r.services.size() >= 10u);
  std::set<std::string> prefixes;
  for (const Service& s : r.services) {
    BOOST_TEST(prefixes.insert(s.prefix).second);
    BOOST_TEST(s.expected_minutes >= 5);
    BOOST_TEST(s.expected_minutes <= 25);
    BOOST_TEST(!s.documents.empty(), s.id);
    for (const auto& lang : r.languages) {
      BOOST_TEST(s.name.count(lang) == 1u, s.id << " name " << lang);
      BOOST_TEST(s.description.count(lang) == 1u, s.id << " description " << lang);
      for (const auto& doc : s.documents)
        BOOST_TEST(doc.count(lang) == 1u, s.id << " doc " << lang);
    }
  }
  for (const Office& o : r.offices) {
    BOOST_TEST(o.counters.size() >= 4u, o.id);
    BOOST_TEST(o.counters.size() <= 8u, o.id);
    BOOST_TEST(!o.kiosks.empty());
    BOOST_TEST(!o.displays.empty());
    BOOST_TEST(o.is_open_at(4, 17 * 60 + 30), o.id << " is open late on Thursday");
    BOOST_TEST(!o.is_open_at(5, 14 * 60), o.id << " closes early on Friday");
    for (const Counter& c : o.counters) {
      BOOST_TEST(!c.profile.empty());
      for (const auto& sid : c.profile) {
        BOOST_TEST(r.find_service(sid) != nullptr, c.id << " " << sid);
        BOOST_TEST(r.office_offers(o.id, sid), c.id << " " << sid);
      }
      BOOST_TEST(r.office_of_counter(c.id) == &o);
    }
  }
  BOOST_TEST(!r.office_offers("niesky", "fischereischein"));
  BOOST_TEST(r.office_offers("zittau", "fischereischein"));
  BOOST_TEST(r.find_service("kfz-neu")->prefix == "K");
  BOOST_TEST(r.find_staff("admin")->has_role(Role::admin));
  BOOST_TEST(r.find_staff("tweber")->may_act_in("goerlitz"));
  BOOST_TEST(!r.find_staff("tweber")->may_act_in("zittau"));
  // The PIN documented in docs/configuration.md opens the demo accounts.
  BOOST_REQUIRE(sodium_init() >= 0);
  for (const char* login : {"admin", "tweber"}) {
    const std::string& hash = r.find_staff(login)->password_hash;
    BOOST_TEST(crypto_pwhash_str_verify(hash.c_str(), "1234", 4) == 0, login);
  }
}

BOOST_AUTO_TEST_CASE(default_path_prefers_environment) {
  setenv("WM_CONFIG", "/tmp/elsewhere.toml", 1);
  BOOST_TEST(default_config_path() == "/tmp/elsewhere.toml");
  unsetenv("WM_CONFIG");
  BOOST_TEST(default_config_path() == std::string(WM_SOURCE_DIR) + "/deploy/config/county.toml");
}

BOOST_AUTO_TEST_CASE(missing_required_fields) {
  std::string t = replace(minimal(), "prefix = \"B\"\n", "");
  // A missing key is reported at its table's header line.
  expect_error(t, "[[services]]\nid = \"beta\"", "services[1].prefix", "missing required key");
  expect_error(replace(minimal(), "name = \"Root\"\n", ""), "[[staff]]", "staff[0].name",
               "missing required key");
  t = replace(minimal(),
              "[region]\nid = \"test\"\nname = \"Testkreis\"\nlanguages = [\"de\", \"en\"]\n", "");
  auto missing = issues_of(t);
  BOOST_TEST(std::any_of(missing.begin(), missing.end(),
                         [](const ConfigIssue& i) {
                           return i.field == "region" &&
                                  i.message.find("missing") != std::string::npos;
                         }),
             dump(missing));
}

BOOST_AUTO_TEST_CASE(wrong_types) {
  std::string t = replace(minimal(), "prefix = \"A\"", "prefix = \"A\"\nexpected_minutes = \"20\"");
  expect_error(t, "expected_minutes", "services[0].expected_minutes",
               "expected integer, found string");
  t = replace(minimal(), "profile = [\"alpha\", \"beta\"]", "profile = \"alpha\"");
  expect_error(t, "profile = \"alpha\"", "offices[0].counters[0].profile", "expected array");
  t = replace(minimal(), "groups = [\"EG\"]", "groups = [\"EG\"]\nsound = 1");
  expect_error(t, "sound = 1", "offices[0].displays[0].sound", "expected boolean, found integer");
}

BOOST_AUTO_TEST_CASE(unknown_references) {
  std::string t =
      replace(minimal(), "profile = [\"alpha\", \"beta\"]", "profile = [\"alpha\", \"gamma\"]");
  expect_error(t, "profile = [", "offices[0].counters[0].profile[1]", "unknown service 'gamma'");
  t = replace(minimal(), "offices = [\"o1\"]", "offices = [\"o1\", \"o9\"]");
  expect_error(t, "offices = [\"o1\", \"o9\"]", "services[1].offices[1]", "unknown office 'o9'");
  t = replace(minimal(), "roles = [\"admin\"]", "roles = [\"admin\"]\noffices = [\"nowhere\"]");
  expect_error(t, "nowhere", "staff[0].offices[0]", "unknown office 'nowhere'");
  t = replace(minimal(), "groups = [\"EG\"]", "groups = [\"OG\"]");
  expect_error(t, "groups = [\"OG\"]", "offices[0].displays[0].groups[0]", "group 'OG'");
}

BOOST_AUTO_TEST_CASE(profile_service_not_offered_in_office) {
  std::string t = replace(minimal(), "offices = [\"o1\"]", "offices = [\"o2\"]");
  t += "[[offices]]\nid = \"o2\"\nname = \"Zwei\"\nhours = { mo = \"08:00-12:00\" }\n"
       "[[offices.counters]]\nid = \"o2-1\"\nname = \"Schalter 1\"\nprofile = [\"beta\"]\n";
  expect_error(t, "profile = [\"alpha\", \"beta\"]", "offices[0].counters[0].profile[1]",
               "not offered in office 'o1'");
}

BOOST_AUTO_TEST_CASE(duplicate_ids) {
  std::string t = replace(minimal(), "id = \"beta\"", "id = \"alpha\"");
  expect_error(t, "id = \"alpha\"\nprefix = \"B\"", "services[1].id",
               "duplicate service id 'alpha'");
  t = replace(minimal(), "prefix = \"B\"", "prefix = \"A\"");
  expect_error(t, "prefix = \"A\"\nname = { de = \"Beta\"", "services[1].prefix",
               "duplicate prefix 'A'");
  std::string office2 =
      "[[offices]]\nid = \"o1\"\nname = \"Zwei\"\nhours = { mo = \"08:00-12:00\" }\n"
      "[[offices.counters]]\nid = \"o1-1\"\nname = \"Schalter 1\"\nprofile = [\"alpha\"]\n";
  t = minimal() + office2;
  expect_error(t, "id = \"o1\"\nname = \"Zwei\"", "offices[1].id", "duplicate office id 'o1'");
  expect_error(t, "id = \"o1-1\"\nname = \"Schalter 1\"\nprofile = [\"alpha\"]",
               "offices[1].counters[0].id", "duplicate station id 'o1-1'");
  t = replace(minimal(), "id = \"o1-kiosk\"", "id = \"o1-display\"");
  expect_error(t, "id = \"o1-display\"\ngroups", "offices[0].displays[0].id",
               "duplicate station id 'o1-display'");
  t = minimal() +
      "[[staff]]\nlogin = \"root\"\nname = \"Zweiter\"\nroles = [\"counter\"]\n"
      "password_hash = \"" +
      kHash + "\"\n";
  expect_error(t, "login = \"root\"\nname = \"Zweiter\"", "staff[1].login",
               "duplicate login 'root'");
}

BOOST_AUTO_TEST_CASE(bad_prefixes) {
  for (const char* bad : {"k", "ABC", "A1", "", "Ä"}) {
    std::string t = replace(minimal(), "prefix = \"A\"", std::string("prefix = \"") + bad + "\"");
    expect_error(t, std::string("prefix = \"") + bad + "\"", "services[0].prefix",
                 *bad ? "1-2 uppercase letters" : "must not be empty");
  }
}

BOOST_AUTO_TEST_CASE(bad_hours) {
  auto with_hours = [](const std::string& hours) {
    return replace(minimal(),
                   "hours = { mo = \"08:00-12:00\", 4 = [\"08:00-12:00\", \"13:00-18:00\"] }",
                   "hours = { " + hours + " }");
  };
  expect_error(with_hours("mo = \"8-12\""), "hours = {", "offices[0].hours.mo",
               "bad opening hours '8-12'");
  expect_error(with_hours("mo = \"12:00-08:00\""), "hours = {", "offices[0].hours.mo",
               "closes (08:00) before it opens (12:00)");
  expect_error(with_hours("mo = \"08:00-08:00\""), "hours = {", "offices[0].hours.mo",
               "before it opens");
  expect_error(with_hours("xx = \"08:00-12:00\""), "hours = {", "offices[0].hours.xx",
               "unknown weekday 'xx'");
  expect_error(with_hours("8 = \"08:00-12:00\""), "hours = {", "offices[0].hours.8",
               "unknown weekday");
  expect_error(with_hours("mo = \"08:00-12:60\""), "hours = {", "offices[0].hours.mo",
               "bad opening hours");
  expect_error(with_hours("mo = \"08:00-12:00, 11:00-13:00\""), "hours = {", "offices[0].hours.mo",
               "overlap");
  expect_error(with_hours("mo = \"08:00-12:00\", 1 = \"13:00-14:00\""), "hours = {",
               "offices[0].hours.1", "weekday given twice");
  expect_error(with_hours("mo = 8"), "hours = {", "offices[0].hours.mo", "found integer");
  Region r = parse_config(with_hours("su = \"10:00-11:00\", di = \"closed\", 3 = \"07:30-24:00\""),
                          "test.toml");
  BOOST_TEST(r.offices[0].hours.size() == 2u);
  BOOST_TEST(r.offices[0].is_open_at(7, 10 * 60 + 59));
  BOOST_TEST(r.offices[0].is_open_at(3, 23 * 60 + 59));
}

BOOST_AUTO_TEST_CASE(minutes_out_of_range) {
  std::string t = replace(minimal(), "prefix = \"A\"", "prefix = \"A\"\nexpected_minutes = 0");
  expect_error(t, "expected_minutes = 0", "services[0].expected_minutes", "out of range: 0");
  t = replace(minimal(), "prefix = \"A\"", "prefix = \"A\"\nwait_target_minutes = 1000");
  expect_error(t, "wait_target_minutes", "services[0].wait_target_minutes", "out of range: 1000");
  t = minimal() + "[policy]\nrecall_limit = -1\n";
  expect_error(t, "recall_limit", "policy.recall_limit", "out of range: -1");
}

BOOST_AUTO_TEST_CASE(security_limits) {
  Region r = parse_config(minimal() + "[security]\nrate_limit = 50\nrate_burst = 80\n"
                                      "login_attempts = 3\nlockout_minutes = 30\n", "test.toml");
  BOOST_TEST(r.security.rate_limit == 50);
  BOOST_TEST(r.security.rate_burst == 80);
  BOOST_TEST(r.security.login_attempts == 3);
  BOOST_TEST(r.security.lockout_minutes == 30);
  BOOST_TEST(parse_config(minimal(), "test.toml").security.rate_limit == 200);  // the default
  expect_error(minimal() + "[security]\nrate_burst = 0\n", "rate_burst", "security.rate_burst",
               "out of range: 0");
  expect_error(minimal() + "[security]\nlockout_minutes = 0\n", "lockout_minutes",
               "security.lockout_minutes", "out of range: 0");
  expect_error(minimal() + "[security]\nrate_limit = -5\n", "rate_limit", "security.rate_limit",
               "out of range: -5");
  // The per-key memory budget of the broker: 32 MiB unless set, 8..4096, shared by at most
  // connections_per_key connections: 4 unless set, 0 (no cap) .. 1000.
  BOOST_TEST(parse_config(minimal(), "test.toml").security.memory_budget_mb == 32);
  BOOST_TEST(parse_config(minimal(), "test.toml").security.connections_per_key == 4);
  BOOST_TEST(parse_config(minimal() + "[security]\nconnections_per_key = 0\n", "test.toml").security.connections_per_key == 0);
  expect_error(minimal() + "[security]\nconnections_per_key = -1\n", "connections_per_key",
               "security.connections_per_key", "out of range: -1");
  BOOST_TEST(parse_config(minimal() + "[security]\nmemory_budget_mb = 16\n", "test.toml").security.memory_budget_mb == 16);
  expect_error(minimal() + "[security]\nmemory_budget_mb = 4\n", "memory_budget_mb",
               "security.memory_budget_mb", "out of range: 4");
  // The PIN policy `wartemarke staff add` enforces: 6 unless set, never below 4.
  BOOST_TEST(parse_config(minimal(), "test.toml").security.pin_min_length == 6);
  BOOST_TEST(parse_config(minimal() + "[security]\npin_min_length = 10\n", "test.toml").security.pin_min_length == 10);
  expect_error(minimal() + "[security]\npin_min_length = 3\n", "pin_min_length",
               "security.pin_min_length", "out of range: 3");
  // Plain peers get nothing unless the config grants the demo's local operator.
  BOOST_TEST(parse_config(minimal(), "test.toml").security.plain_role == "none");
  BOOST_TEST(parse_config(minimal() + "[security]\ntransport = \"plain\"\nplain_role = \"admin\"\n", "test.toml")
                 .security.plain_role == "admin");
  expect_error(minimal() + "[security]\nplain_role = \"kiosk\"\n", "plain_role", "security.plain_role",
               "unknown plain_role 'kiosk' (expected \"none\" or \"admin\")");
}

BOOST_AUTO_TEST_CASE(translations) {
  std::string t =
      replace(minimal(), "name = { de = \"Alpha\", en = \"Alpha\" }", "name = { en = \"Alpha\" }");
  expect_error(t, "name = { en = \"Alpha\" }", "services[0].name.de", "missing German text");
  // Another configured language missing is only a warning: the kiosk falls back to German.
  t = replace(minimal(), "name = { de = \"Alpha\", en = \"Alpha\" }", "name = { de = \"Alpha\" }");
  Region r = parse_config(t, "test.toml");
  BOOST_REQUIRE(r.warnings.size() == 1u);
  BOOST_TEST(r.warnings[0].field == "services[0].name");
  BOOST_TEST(r.warnings[0].line == line_containing(t, "name = { de = \"Alpha\" }"));
  BOOST_TEST(r.warnings[0].to_string().find("warning: services[0].name: missing translation: en") !=
                 std::string::npos,
             r.warnings[0].to_string());
  t = replace(minimal(), "languages = [\"de\", \"en\"]", "languages = [\"en\"]");
  expect_error(t, "languages = [\"en\"]", "region.languages", "must include \"de\"");
  t = replace(minimal(), "id = \"o1-display\"", "id = \"o1-display\"\nsecond_language = \"fr\"");
  expect_error(t, "second_language", "offices[0].displays[0].second_language",
               "'fr' is not in region.languages");
}

BOOST_AUTO_TEST_CASE(roles_logins_and_hashes) {
  std::string t = replace(minimal(), "roles = [\"admin\"]", "roles = [\"admin\", \"boss\"]");
  expect_error(t, "roles = [", "staff[0].roles[1]", "unknown role 'boss'");
  t = replace(minimal(), "login = \"root\"", "login = \"Root User\"");
  expect_error(t, "login = ", "staff[0].login", "not a valid login");
  t = replace(minimal(), kHash, "1234");
  expect_error(t, "password_hash", "staff[0].password_hash", "not a libsodium Argon2id hash");
  BOOST_TEST((parse_role("backoffice") == Role::backoffice));
  BOOST_TEST(role_name(Role::head) == "head");
  BOOST_TEST(!parse_role("Admin").has_value());
}

BOOST_AUTO_TEST_CASE(bad_endpoints) {
  std::string base = minimal() + "[network]\n";
  expect_error(base + "command_endpoint = \"127.0.0.1:5570\"\n", "command_endpoint",
               "network.command_endpoint", "bad endpoint '127.0.0.1:5570'");
  expect_error(base + "event_endpoint = \"tcp://127.0.0.1:99999\"\n", "event_endpoint",
               "network.event_endpoint", "bad endpoint");
  expect_error(base + "http_endpoint = \"localhost\"\n", "http_endpoint", "network.http_endpoint",
               "bad endpoint");
  expect_error(base + "public_url = \"ftp://x\"\n", "public_url", "network.public_url",
               "bad endpoint");
  Region r = parse_config(
      base +
          "command_endpoint = \"tcp://*:6000\"\nevent_endpoint = \"ipc:///run/wm/ev\"\n"
          "public_url = \"https://warten.kreis-gr.de/status\"\n",
      "test.toml");
  BOOST_TEST(r.network.event_endpoint == "ipc:///run/wm/ev");
}

BOOST_AUTO_TEST_CASE(unknown_keys_everywhere) {
  std::string t =
      replace(minimal(), "[[services]]\nid = \"alpha\"", "[[servcies]]\nid = \"alpha\"");
  expect_error(t, "[[servcies]]", "servcies", "unknown key 'servcies' (did you mean 'services'?)");
  t = replace(minimal(), "prefix = \"A\"", "prefix = \"A\"\nexpected_minuts = 5");
  expect_error(t, "expected_minuts", "services[0].expected_minuts",
               "did you mean 'expected_minutes'?");
  t = replace(minimal(), "id = \"o1-kiosk\"", "id = \"o1-kiosk\"\ncolor = \"red\"");
  expect_error(t, "color", "offices[0].kiosks[0].color", "unknown key 'color'");
}

BOOST_AUTO_TEST_CASE(syntax_errors_have_lines) {
  std::string t = replace(minimal(), "prefix = \"B\"", "prefix = \"B");
  auto issues = issues_of(t);
  BOOST_REQUIRE(issues.size() == 1u);
  BOOST_TEST(issues[0].line == line_containing(t, "prefix = \"B"));
  BOOST_TEST(issues[0].message.find("TOML syntax error") == 0u);
  BOOST_TEST(issues_of("[region]\nid = 1\nid = 2\n").at(0).line == 3);
}

BOOST_AUTO_TEST_CASE(all_issues_are_collected) {
  std::string t = replace(minimal(), "prefix = \"A\"", "prefix = \"a\"");
  t = replace(t, "profile = [\"alpha\", \"beta\"]", "profile = [\"alpha\", \"nope\"]");
  t = replace(t, "roles = [\"admin\"]", "roles = [\"king\"]");
  try {
    parse_config(t, "test.toml");
    BOOST_FAIL("loaded");
  } catch (const ConfigError& e) {
    BOOST_TEST(std::count_if(e.issues().begin(), e.issues().end(),
                             [](auto& i) { return !i.warning; }) == 3);
    std::string what = e.what();
    BOOST_TEST(
        what.find("test.toml:" + std::to_string(line_containing(t, "prefix = \"a\"")) +
                  ": services[0].prefix: prefix 'a' must be 1-2 uppercase letters A-Z") == 0u,
        what);
    BOOST_TEST(std::count(what.begin(), what.end(), '\n') + 1 ==
               static_cast<long>(e.issues().size()));
    // Issues come in file order.
    for (std::size_t i = 1; i < e.issues().size(); ++i)
      if (e.issues()[i].line > 0) BOOST_TEST(e.issues()[i - 1].line <= e.issues()[i].line);
  }
}

BOOST_AUTO_TEST_CASE(includes) {
  wm::test::TempDir dir;
  std::string text = minimal();
  auto cut = text.find("[[staff]]");
  std::ofstream(dir.file("main.toml")) << text.substr(0, cut) << "include = \"people.toml\"\n";
  std::ofstream(dir.file("people.toml")) << text.substr(cut);
  // `include` after a table header would belong to that table: put it at the top instead.
  std::ofstream(dir.file("main.toml")) << "include = \"people.toml\"\n" << text.substr(0, cut);
  Region r = load_config(dir.file("main.toml"));
  BOOST_TEST(r.staff.size() == 1u);
  BOOST_TEST(r.files.size() == 2u);

  std::ofstream(dir.file("people.toml"))
      << text.substr(cut) << "[[staff]]\nlogin = \"x\"\nname = \"X\"\n"
      << "roles = [\"counter\"]\npassword_hash = \"plain\"\n";
  try {
    load_config(dir.file("main.toml"));
    BOOST_FAIL("loaded");
  } catch (const ConfigError& e) {
    BOOST_REQUIRE(e.issues().size() == 1u);
    BOOST_TEST(e.issues()[0].file == dir.file("people.toml"));
    BOOST_TEST(e.issues()[0].field == "staff[1].password_hash");
    BOOST_TEST(e.issues()[0].line == 10);
  }
  std::ofstream(dir.file("people.toml")) << "include = \"main.toml\"\n" << text.substr(cut);
  BOOST_CHECK_THROW(load_config(dir.file("main.toml")), ConfigError);
  std::ofstream(dir.file("main.toml")) << "include = [\"missing.toml\"]\n" << text.substr(0, cut);
  try {
    load_config(dir.file("main.toml"));
    BOOST_FAIL("loaded");
  } catch (const ConfigError& e) {
    BOOST_TEST(e.issues().at(0).line == 1);
    BOOST_TEST(e.issues()[0].field == "include[0]");
    BOOST_TEST(e.issues()[0].message.find("no such file") != std::string::npos);
  }
  BOOST_CHECK_THROW(load_config(dir.file("nothing-here.toml")), ConfigError);
  BOOST_CHECK_THROW(load_config(dir.path().string()), ConfigError);
}

// Damaged files (truncated, lines lost or doubled, stray characters) must give ConfigError or
// load; never another exception, never a crash.
BOOST_AUTO_TEST_CASE(damaged_files_never_crash) {
  const std::vector<std::string> names = {"county.toml", "services.toml", "offices.toml",
                                          "staff.toml"};
  std::vector<std::string> originals;
  wm::test::TempDir dir;
  for (const auto& n : names) {
    originals.push_back(read_file(wm::test::source_path("deploy/config/" + n)));
    BOOST_REQUIRE(!originals.back().empty());
    std::ofstream(dir.file(n), std::ios::binary) << originals.back();
  }
  std::mt19937 rng(20240611);
  auto pick = [&](std::size_t n) {
    return n ? std::uniform_int_distribution<std::size_t>(0, n - 1)(rng) : 0;
  };
  const std::string noise = "[]{}=\"'#,.\n\\ 0123456789-:xé\x80\xff\0";
  auto mutate = [&](std::string s) {
    int rounds = 1 + static_cast<int>(pick(4));
    for (int i = 0; i < rounds && !s.empty(); ++i) {
      std::size_t pos = pick(s.size());
      switch (pick(7)) {
        case 0:
          s.resize(pos);
          break;
        case 1:
          s.erase(pos, 1 + pick(200));
          break;
        case 2:
          s.insert(pos, 1, noise[pick(noise.size())]);
          break;
        case 3:
          s[pos] = noise[pick(noise.size())];
          break;
        case 4: {  // drop a whole line
          auto start = s.rfind('\n', pos), end = s.find('\n', pos);
          s.erase(start == std::string::npos ? 0 : start,
                  end == std::string::npos ? std::string::npos : end - start);
          break;
        }
        case 5: {  // duplicate a line
          auto start = s.rfind('\n', pos), end = s.find('\n', pos);
          start = start == std::string::npos ? 0 : start;
          s.insert(start,
                   s.substr(start, end == std::string::npos ? std::string::npos : end - start));
          break;
        }
        default:
          s.insert(pos, s.substr(pick(s.size()), pick(80)));
          break;
      }
    }
    return s;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  int runs = 0, loaded = 0;
  while (runs < 3000 && std::chrono::steady_clock::now() < deadline) {
    std::size_t f = pick(names.size());
    std::string damaged = mutate(originals[f]);
    std::ofstream(dir.file(names[f]), std::ios::binary | std::ios::trunc) << damaged;
    try {
      load_config(dir.file("county.toml"));
      ++loaded;
    } catch (const ConfigError& e) {
      BOOST_CHECK(!e.issues().empty());
    } catch (const std::exception& e) {
      BOOST_FAIL("unexpected exception " << e.what() << " on run " << runs);
    }
    try {
      parse_config(damaged, names[f]);  // the same text alone, without its siblings
    } catch (const ConfigError&) {
    } catch (const std::exception& e) {
      BOOST_FAIL("unexpected exception from parse_config: " << e.what());
    }
    std::ofstream(dir.file(names[f]), std::ios::binary | std::ios::trunc) << originals[f];
    ++runs;
  }
  BOOST_TEST_MESSAGE(runs << " damaged configurations, " << loaded << " still loaded");
  BOOST_TEST(runs > 100);
}

// [[travel]]: driving minutes between two offices for the kiosk's nearby-office suggestion.
// Office ids are checked against the offices, both directions count once, nonsense is refused.
BOOST_AUTO_TEST_CASE(travel_table_is_read_and_validated) {
  const std::string two = minimal() + R"(
[[offices]]
id = "o2"
name = "Büro Zwei"
hours = { mo = "08:00-12:00" }
[[offices.counters]]
id = "o2-1"
name = "Schalter 1"
profile = ["alpha"]
[[offices.kiosks]]
id = "o2-kiosk"
)";
  BOOST_TEST(parse_config(two, "test.toml").travel.empty());  // optional
  Region r = parse_config(two + "[[travel]]\nbetween = [\"o1\", \"o2\"]\nminutes = 40\nkm = 35\n",
                          "test.toml");
  BOOST_REQUIRE_EQUAL(r.travel.size(), 1u);
  BOOST_TEST(r.travel[0].km == 35);
  BOOST_TEST(r.travel_minutes("o1", "o2").value_or(-1) == 40);
  BOOST_TEST(r.travel_minutes("o2", "o1").value_or(-1) == 40);
  BOOST_TEST(!r.travel_minutes("o1", "o1"));

  auto travel = [&](const std::string& between, const std::string& rest = "minutes = 40\n") {
    return two + "[[travel]]\nbetween = " + between + "\n" + rest;
  };
  expect_error(travel(R"(["o1", "o9"])"), R"("o9")", "travel[0].between[1]", "unknown office 'o9'");
  expect_error(travel(R"(["o1", "o2"])", "minutes = -5\n"), "minutes = -5", "travel[0].minutes",
               "out of range: -5");
  expect_error(travel(R"(["o1", "o2"])", "minutes = \"40\"\n"), "minutes = \"40\"",
               "travel[0].minutes", "expected integer");
  expect_error(travel(R"(["o1", "o2"])", "km = 3\n"), "[[travel]]", "travel[0].minutes",
               "missing required key");
  expect_error(travel(R"(["o1"])"), R"(between = ["o1"])", "travel[0].between", "expected two office ids, found 1");
  expect_error(travel(R"(["o2", "o2"])"), R"(["o2", "o2"])", "travel[0].between",
               "an office and itself");
  expect_error(travel(R"(["o1", "o2"])", "minutes = 40\nmiles = 3\n"), "miles = 3",
               "travel[0].miles", "unknown key 'miles'");
  const std::string twice = travel(R"(["o1", "o2"])") + "[[travel]]\nbetween = [\"o2\", \"o1\"]\nminutes = 45\n";
  expect_error(twice, R"(["o2", "o1"])", "travel[1].between", "already given at test.toml:");
}

// Issue 17: fair calling per office, and the appointment no-show and late-arrival minutes.
BOOST_AUTO_TEST_CASE(queue_day_rules) {
  auto r = parse_config(minimal(), "test.toml");
  BOOST_TEST(r.offices[0].calling == "any");
  BOOST_TEST(r.policy.no_show_release_minutes == 15);
  BOOST_TEST(r.policy.late_arrival_minutes == 60);
  auto set = parse_config(replace(minimal(), "name = \"Büro Eins\"\n", "name = \"Büro Eins\"\ncalling = \"next_only\"\n") +
                              "[policy]\nno_show_release_minutes = 10\nlate_arrival_minutes = 30\n",
                          "test.toml");
  BOOST_TEST(set.offices[0].calling == "next_only");
  BOOST_TEST(set.policy.no_show_release_minutes == 10);
  BOOST_TEST(set.policy.late_arrival_minutes == 30);
  expect_error(replace(minimal(), "name = \"Büro Eins\"\n", "name = \"Büro Eins\"\ncalling = \"whoever\"\n"),
               "calling = ", "offices[0].calling", "'whoever' is not \"any\" or \"next_only\"");
  expect_error(minimal() + "[policy]\nlate_arrival_minutes = -1\n", "late_arrival_minutes",
               "policy.late_arrival_minutes", "out of range: -1");
  expect_error(minimal() + "[policy]\nno_show_release_minutes = 721\n", "no_show_release_minutes",
               "policy.no_show_release_minutes", "out of range: 721");
}
