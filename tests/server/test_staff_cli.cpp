// `wartemarke staff add|list|remove` on the packaged (account-free) staff file: PINs from stdin
// only, the PIN policy, Argon2id hashes the broker accepts, and no change that breaks the config.
#define BOOST_TEST_MODULE server_staff_cli
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/staff_file.hpp"
#include "tests/support/broker_process.hpp"
#include "tests/support/shell.hpp"

namespace fs = std::filesystem;
using wm::core::json;

namespace {

using Run = wm::test::ShellResult;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The demo county's files with the staff file the package installs (no accounts), and the
// policy line `extra_security` added to [security].
struct PackagedConfig {
  wm::test::TempDir dir;
  explicit PackagedConfig(const std::string& extra_security = {}) {
    for (const auto& f : fs::directory_iterator(wm::test::source_path("deploy/config")))
      if (f.path().extension() == ".toml") fs::copy_file(f.path(), dir.path() / f.path().filename());
    fs::copy_file(wm::test::source_path("deploy/package/staff.toml"), dir.path() / "staff.toml",
                  fs::copy_options::overwrite_existing);
    if (!extra_security.empty()) {
      std::ofstream(dir.path() / "county.toml", std::ios::app) << extra_security << "\n";
    }
  }
  std::string county() const { return dir.file("county.toml"); }
  std::string staff() const { return read(dir.path() / "staff.toml"); }
};

Run run(const std::string& config, const std::string& args, const std::string& stdin_text = {}) {
  std::string cmd = "printf '%s' '" + stdin_text + "' | " + wm::test::binary_path("wartemarke") +
                    " --config " + config + " " + args + " 2>&1";
  return wm::test::run_shell(cmd);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_packaged_staff_file_has_no_accounts) {
  PackagedConfig cfg;
  auto list = run(cfg.county(), "--json staff list");
  BOOST_TEST(list.status == 0, list.out);
  BOOST_TEST(json::parse(list.out).empty());
  // It still loads (no admin yet is a warning, not an error).
  BOOST_TEST(run(cfg.county(), "config check").status == 0);
}

BOOST_AUTO_TEST_CASE(staff_add_hashes_a_pin_from_stdin_that_the_broker_accepts) {
  PackagedConfig cfg;
  auto added = run(cfg.county(), "staff add mmustermann --role admin --name 'Max Mustermann'", "k7Pq9x2\n");
  BOOST_TEST(added.status == 0, added.out);
  std::string text = cfg.staff();
  BOOST_TEST(text.find("login = \"mmustermann\"") != std::string::npos, text);
  BOOST_TEST(text.find("$argon2id$v=19$m=65536,t=2,p=1$") != std::string::npos);
  BOOST_TEST(text.find("k7Pq9x2") == std::string::npos);  // never the PIN itself
  BOOST_TEST(text.find("# Staff accounts of this county") == 0u);  // the comments stay
  BOOST_TEST(run(cfg.county(), "staff add ewagner --role counter --office goerlitz", "5829104\n").status == 0);
  auto list = run(cfg.county(), "--json staff list");
  json staff = json::parse(list.out);
  BOOST_REQUIRE(staff.size() == 2u);
  BOOST_TEST(staff[0]["login"] == "mmustermann");
  BOOST_TEST(staff[0]["name"] == "Max Mustermann");
  BOOST_TEST(staff[0]["roles"] == json::array({"admin"}));
  BOOST_TEST(staff[1]["offices"] == json::array({"goerlitz"}));
  BOOST_TEST(list.out.find("argon2id") == std::string::npos);

  // The broker verifies the new hash: right PIN in, wrong PIN out.
  wm::test::BrokerProcess broker({"--clock-start", "2026-11-23T09:00"});
  broker.use_config(cfg.county());
  broker.start();
  auto c = broker.client();
  auto ok = c.call("staff.login", json{{"login", "ewagner"}, {"secret", "5829104"}, {"counter", "goerlitz-1"}});
  BOOST_TEST(ok.ok, ok.message);
  auto wrong = c.call("staff.login", json{{"login", "ewagner"}, {"secret", "5829105"}, {"counter", "goerlitz-1"}});
  BOOST_TEST(wrong.error == wm::core::ErrorCode::forbidden);
  // The demo's accounts are not in this county.
  auto demo = c.call("staff.login", json{{"login", "tweber"}, {"secret", "1234"}, {"counter", "goerlitz-2"}});
  BOOST_TEST(demo.error == wm::core::ErrorCode::forbidden);
}

BOOST_AUTO_TEST_CASE(staff_add_enforces_the_pin_policy_and_refuses_bad_input) {
  PackagedConfig cfg;
  std::string before = cfg.staff();
  auto refused = [&](const std::string& args, const std::string& pin, const std::string& why) {
    auto r = run(cfg.county(), args, pin);
    BOOST_TEST(r.status == 2, args << ": " << r.out);
    BOOST_TEST(r.out.find(why) != std::string::npos, args << ": " << r.out);
    BOOST_TEST(cfg.staff() == before);  // nothing written
  };
  // Default policy: 6 characters. The demo's 1234 is exactly what no longer goes.
  refused("staff add a1 --role admin", "1234\n", "too short: at least 6");
  refused("staff add a1 --role admin", "12345\n", "too short: at least 6");
  refused("staff add a1 --role admin", "123456\n", "straight run");
  refused("staff add a1 --role admin", "999999\n", "repeated");
  refused("staff add a1 --role admin", "48 2917\n", "no spaces");
  refused("staff add a1 --role admin", "", "no PIN given");
  refused("staff add a1 --role wizard", "482917\n", "unknown role 'wizard'");
  refused("staff add a1 --role counter --office atlantis", "482917\n", "unknown office 'atlantis'");
  refused("staff add 'Bad Login' --role admin", "482917\n", "not a valid login");
  BOOST_TEST(run(cfg.county(), "staff add a1 --role admin", "482917\n").status == 0);
  before = cfg.staff();
  refused("staff add a1 --role counter", "482917\n", "exists already");

  // A stricter county: pin_min_length = 8.
  PackagedConfig strict("pin_min_length = 8");
  BOOST_TEST(run(strict.county(), "staff add a2 --role admin", "4829173\n").out.find("at least 8") !=
             std::string::npos);
  BOOST_TEST(run(strict.county(), "staff add a2 --role admin", "48291730\n").status == 0);
  // Out of range in the config: a clear configuration error.
  PackagedConfig silly("pin_min_length = 2");
  auto bad = run(silly.county(), "config check");
  BOOST_TEST(bad.status == 2);
  BOOST_TEST(bad.out.find("security.pin_min_length") != std::string::npos, bad.out);
}

BOOST_AUTO_TEST_CASE(staff_remove_takes_one_account_and_keeps_the_last_admin) {
  PackagedConfig cfg;
  BOOST_TEST(run(cfg.county(), "staff add boss --role admin", "482917\n").status == 0);
  BOOST_TEST(run(cfg.county(), "staff add clerk --role counter --role head --office goerlitz", "739164\n").status == 0);
  auto last = run(cfg.county(), "staff remove boss");
  BOOST_TEST(last.status == 2);
  BOOST_TEST(last.out.find("last admin") != std::string::npos, last.out);
  BOOST_TEST(run(cfg.county(), "staff remove nobody").status == 2);
  auto removed = run(cfg.county(), "staff remove clerk");
  BOOST_TEST(removed.status == 0, removed.out);
  std::string text = cfg.staff();
  BOOST_TEST(text.find("clerk") == std::string::npos, text);
  BOOST_TEST(text.find("login = \"boss\"") != std::string::npos);
  BOOST_TEST(run(cfg.county(), "config check").status == 0);
}

BOOST_AUTO_TEST_CASE(pin_policy_and_staff_file_edits_in_detail) {
  using wm::server::pin_problem;
  BOOST_TEST(pin_problem("482917", 6).empty());
  BOOST_TEST(!pin_problem("48291", 6).empty());
  BOOST_TEST(!pin_problem("987654", 6).empty());
  BOOST_TEST(!pin_problem("abcdef", 6).empty());
  BOOST_TEST(pin_problem("correct horse", 6).find("spaces") != std::string::npos);
  BOOST_TEST(!pin_problem(std::string(129, 'x') + "y", 6).empty());
  // Removing keeps comments, other entries and an entry whose line has a trailing comment.
  std::string text =
      "# head\n\n[[staff]]\nlogin = \"a\"   # first\nname = \"A\"\n\n# about b\n[[staff]]\n"
      "login = \"b\"\nname = \"B \\\"quoted\\\"\"\n";
  bool found = false;
  std::string out = wm::server::without_staff_entry(text, "a", found);
  BOOST_TEST(found);
  BOOST_TEST(out == "# head\n\n# about b\n[[staff]]\nlogin = \"b\"\nname = \"B \\\"quoted\\\"\"\n");
  wm::server::without_staff_entry(text, "c", found);
  BOOST_TEST(!found);
  wm::server::NewStaff s{"x", "Name \"Q\"", {"admin"}, {}, "$argon2id$h"};
  std::string added = wm::server::with_staff_entry("# only a comment", s);
  BOOST_TEST(added == "# only a comment\n\n[[staff]]\nlogin = \"x\"\nname = \"Name \\\"Q\\\"\"\n"
                      "roles = [\"admin\"]\npassword_hash = \"$argon2id$h\"\n");
}
