// Every systemd unit we ship passes `systemd-analyze verify` with real binaries in place.
#define BOOST_TEST_MODULE deploy_units
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/temp_dir.hpp"
#include "tests/support/shell.hpp"

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The real binary a unit starts: systemd-analyze checks what it would exec. A missing one is a
// failure (the build registers this test after all programs; cage comes from install-deps.sh),
// not a stand-in that lets the check pass on nothing.
std::string required(const fs::path& wanted) {
  BOOST_REQUIRE_MESSAGE(fs::exists(wanted), wanted.string() << " is missing");
  return wanted.string();
}

}  // namespace

BOOST_AUTO_TEST_CASE(all_units_verify) {
  wm::test::TempDir dir;
  fs::path units = wm::test::source_path("deploy/systemd");
  fs::path bin = std::getenv("WM_BIN_DIR") ? std::getenv("WM_BIN_DIR") : "";
  // systemd-analyze checks that ExecStart binaries exist: point it at the build tree.
  fs::path bindir = dir.path() / "bin";
  fs::create_directories(bindir);
  for (const char* name : {"wartemarke-server", "wartemarke-backoffice", "wartemarke-kiosk", "wartemarke-display"}) {
    std::string target = required(bin / name);
    fs::create_symlink(target, bindir / name);
  }
  std::string cage = required("/usr/bin/cage");
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(units)) {
    std::string name = entry.path().filename().string();
    std::string text = read(entry.path());
    text = std::regex_replace(text, std::regex("@BINDIR@"), bindir.string());
    text = std::regex_replace(text, std::regex("@CAGE@"), cage);
    text = std::regex_replace(text, std::regex("@SYSTEMCTL@"), "/usr/bin/systemctl");
    text = std::regex_replace(text, std::regex("@DOCDIR@"), "/usr/share/doc/wartemarke");
    if (name.size() > 3 && name.substr(name.size() - 3) == ".in") name.resize(name.size() - 3);
    // Templates are verified as an instance.
    name = std::regex_replace(name, std::regex("@\\."), "@goerlitz-kiosk-1.");
    fs::path out = dir.path() / name;
    std::ofstream(out) << text;
    std::string cmd = "cd " + dir.path().string() + " && systemd-analyze verify --man=no " +
                      out.string() + " 2>&1";
    auto [status, output] = wm::test::run_shell(cmd);
    BOOST_TEST_INFO(name << ": " << output);
    BOOST_TEST(status == 0);
    // Only complaints about this unit count; the host's own units are not ours to judge.
    BOOST_TEST(output.find(name) == std::string::npos);
    ++checked;
  }
  BOOST_TEST(checked >= 6);
}
