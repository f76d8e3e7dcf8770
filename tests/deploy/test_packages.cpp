// The Debian packages build with CPack, hold what an office installation needs, and install,
// run and purge cleanly in a throwaway copy of this machine.
#define BOOST_TEST_MODULE deploy_packages
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "tests/support/temp_dir.hpp"
#include "tests/support/preconditions.hpp"
#include "tests/support/shell.hpp"

namespace fs = std::filesystem;

namespace {

std::string sh(const std::string& cmd, int* status = nullptr) {
  auto r = wm::test::run_shell(cmd + " 2>&1");
  if (status) *status = r.status;
  return r.out;
}

fs::path find_deb(const fs::path& dir, const std::string& name) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind(name + "_", 0) == 0 && e.path().extension() == ".deb")
      return e.path();
  return {};
}

// Builds the packages once for all cases of this run.
const wm::test::TempDir& packages() {
  static wm::test::TempDir out;
  static int status = -1;
  static std::string log;
  if (status == -1)
    log = sh("cd " + std::string(WM_BINARY_DIR) + " && cpack -G DEB -B " + out.path().string(), &status);
  BOOST_TEST_INFO(log);
  BOOST_REQUIRE(status == 0);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(debian_packages_build_with_dependencies_units_and_config) {
  const auto& out = packages();

  fs::path server = find_deb(out.path(), "wartemarke-server");
  BOOST_REQUIRE(!server.empty());
  std::string info = sh("dpkg-deb -I " + server.string());
  BOOST_TEST(info.find("libzmq5") != std::string::npos);     // from dpkg-shlibdeps
  BOOST_TEST(info.find("libsqlite3-0") != std::string::npos);
  BOOST_TEST(info.find("adduser") != std::string::npos);
  BOOST_TEST(info.find("postinst") != std::string::npos);
  std::string files = sh("dpkg-deb -c " + server.string());
  for (const char* f : {"./usr/bin/wartemarke-server", "./usr/bin/wartemarke",
                        "./lib/systemd/system/wartemarke-server.service",
                        "./usr/bin/wartemarke-backoffice",
                        "./lib/systemd/system/wartemarke-backoffice.service",
                        "./etc/wartemarke/county.toml", "./etc/wartemarke/staff.toml"}) {
    BOOST_TEST_INFO(f);
    BOOST_TEST(files.find(f) != std::string::npos);
  }
  std::string conffiles = sh("dpkg-deb -f " + server.string() + " Package; dpkg-deb -e " +
                             server.string() + " " + out.file("ctl") + " && cat " + out.file("ctl") + "/conffiles");
  BOOST_TEST(conffiles.find("/etc/wartemarke/county.toml") != std::string::npos);

  BOOST_TEST(info.find("wartemarke-common (= ") != std::string::npos);
  // The translations live in one package that every program depends on.
  fs::path common = find_deb(out.path(), "wartemarke-common");
  BOOST_REQUIRE(!common.empty());
  BOOST_TEST(sh("dpkg-deb -c " + common.string()).find("./usr/share/wartemarke/i18n/de.json") != std::string::npos);
  BOOST_TEST(files.find("i18n/") == std::string::npos);

  // The gateway's unit runs it as its own user with the key its environment file names.
  std::string unit = sh("dpkg-deb --fsys-tarfile " + server.string() +
                        " | tar -xO ./lib/systemd/system/wartemarke-backoffice.service");
  BOOST_TEST(unit.find("ExecStart=/usr/bin/wartemarke-backoffice --config /etc/wartemarke/county.toml") !=
             std::string::npos, unit);
  BOOST_TEST(unit.find("User=wartemarke-backoffice") != std::string::npos);
  BOOST_TEST(unit.find("EnvironmentFile=-/etc/wartemarke/backoffice.env") != std::string::npos);
  BOOST_TEST(sh("dpkg-deb -I " + server.string() + " postinst").find("wartemarke-backoffice") !=
             std::string::npos);

  fs::path kiosk = find_deb(out.path(), "wartemarke-kiosk");
  BOOST_REQUIRE(!kiosk.empty());
  std::string kfiles = sh("dpkg-deb -c " + kiosk.string());
  BOOST_TEST(kfiles.find("./lib/systemd/system/wartemarke-kiosk@.service") != std::string::npos);
  BOOST_TEST(sh("dpkg-deb -I " + kiosk.string()).find("cage") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_package_ships_a_staff_account_or_a_binary_outside_a_package) {
  const auto& out = packages();
  int debs = 0;
  std::string packaged;
  for (const auto& e : fs::directory_iterator(out.path())) {
    if (e.path().extension() != ".deb") continue;
    ++debs;
    fs::path x = out.path() / ("x-" + e.path().stem().string());
    fs::create_directories(x);
    sh("dpkg-deb -x " + e.path().string() + " " + x.string());
    // "./usr/bin/name\n" per file, as dpkg-deb -c ends its lines.
    for (const auto& f : fs::recursive_directory_iterator(x))
      if (f.is_regular_file())
        packaged += "./" + fs::relative(f.path(), x).string() + "\n";
    // A [[staff]] table or a password hash outside a comment, in any TOML file of the package.
    std::string hits = sh("find " + x.string() + " -name '*.toml' -exec grep -HnE "
                          "'^[[:space:]]*(\\[\\[staff\\]\\]|password_hash)' {} +");
    BOOST_TEST(hits.empty(), e.path().filename().string() << ": " << hits);
  }
  BOOST_TEST(debs == 4);
  // Every program the build installs is in some package (the gateway once was in none: its
  // install rule had no component). The full install goes under DESTDIR, never the host.
  wm::test::TempDir inst;
  int status = -1;
  std::string log = sh("DESTDIR=" + inst.path().string() + " cmake --install " + WM_BINARY_DIR, &status);
  BOOST_TEST_INFO(log);
  BOOST_REQUIRE(status == 0);
  int programs = 0;
  for (const auto& e : fs::recursive_directory_iterator(inst.path())) {
    if (!e.is_regular_file() || e.path().parent_path().filename() != "bin") continue;
    ++programs;
    std::string name = e.path().filename().string();
    BOOST_TEST_INFO(name);
    BOOST_TEST(packaged.find("./usr/bin/" + name + "\n") != std::string::npos);
  }
  BOOST_TEST(programs >= 3);
}

// CI runs as root; without root (mount namespaces, dpkg -i) the case is reported as skipped.
BOOST_AUTO_TEST_CASE(packages_install_run_and_purge_on_a_copy_of_this_machine,
                     *wm::test::when(wm::test::running_as_root)) {
  const auto& out = packages();
  wm::test::TempDir work;
  fs::create_directories(work.path() / "layer");
  std::string script = std::string(WM_SOURCE_DIR) + "/tests/deploy/install_check.sh";
  int status = 0;
  std::string log = sh(script + " " + out.path().string() + " " + (work.path() / "layer").string() + " " +
                           std::to_string(wm::test::free_port()) + " " + std::to_string(wm::test::free_port()) +
                           " " + std::to_string(wm::test::free_port()),
                       &status);
  BOOST_TEST_MESSAGE(log);
  BOOST_TEST(status == 0);
  BOOST_TEST(log.find("INSTALL-CHECK OK") != std::string::npos);
  // The installed CURVE server answered its own health check (the in-process HTTP key).
  BOOST_TEST(log.find("ok seq=0") != std::string::npos);
}
