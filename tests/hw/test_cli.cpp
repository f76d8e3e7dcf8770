// wartemarke-hw command: exit codes and output against the simulators.
#define BOOST_TEST_MODULE hw_cli
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mrz_builder.hpp"

namespace fs = std::filesystem;

namespace {
struct Run {
  int code;
  std::string out;
};
Run run(const std::string& args) {
  const char* bin = std::getenv("WM_BIN_DIR");
  BOOST_TEST_REQUIRE(bin != nullptr);
  const fs::path out = fs::temp_directory_path() / ("wm-hw-cli-" + std::to_string(::getpid()) + ".out");
  const std::string cmd = std::string(bin) + "/wartemarke-hw " + args + " >" + out.string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  std::stringstream s;
  s << std::ifstream(out).rdbuf();
  fs::remove(out);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, s.str()};
}
}  // namespace

BOOST_AUTO_TEST_CASE(print_test_status_and_read_document_on_simulators) {
  const fs::path dir = fs::temp_directory_path() / ("wm-hw-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  Run r = run("print-test --printer sim:" + dir.string() + " --lang en");
  BOOST_TEST(r.code == 0, r.out);
  BOOST_TEST(fs::exists(dir / "ticket-0001.png"));
  r = run("printer-status --printer sim:" + dir.string());
  BOOST_TEST(r.code == 0, r.out);
  BOOST_TEST(r.out.find("status: ready") != std::string::npos);
  std::ofstream(dir / "control") << "cover_open";
  r = run("printer-status --printer sim:" + dir.string());
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.find("cover open") != std::string::npos);
  r = run("print-test --printer sim:" + dir.string());
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.find("print failed: cover_open") != std::string::npos);
  r = run("read-document --mrz sim --timeout 2");
  BOOST_TEST(r.code == 0, r.out);
  BOOST_TEST(r.out.find("MUSTERMANN, ERIKA") != std::string::npos);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(bad_specs_and_missing_devices_fail_clearly) {
  Run r = run("print-test --printer lpt1");
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.out.find("unknown device spec") != std::string::npos);
  r = run("read-document --mrz serial:/dev/does-not-exist --timeout 1");
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.find("cannot open /dev/does-not-exist") != std::string::npos);
  r = run("frobnicate");
  BOOST_TEST(r.code != 0);
}

// Issue 21: a TD2 document whose number is longer than 9 characters (tail in the optional data).
BOOST_AUTO_TEST_CASE(read_document_with_a_long_td2_number) {
  wm::hw::test::MrzFields f;
  f.format = wm::hw::MrzFormat::td2;
  f.code = "I";
  f.number = "D231458907AB";
  f.birth = "740812";   // 1974 for any today from 1975 to 2073
  f.expiry = "300415";  // 2030: inside the expiry window until 2109
  const auto lines = wm::hw::test::build_mrz(f);
  const fs::path dir = fs::temp_directory_path() / ("wm-hw-cli-td2-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "staged") << lines[0] << "\n" << lines[1] << "\n";
  // The simulator reports a watched file when it changes after opening: move it in then.
  const fs::path watched = dir / "document.mrz";
  const std::string mover =
      "(sleep 1; mv " + (dir / "staged").string() + " " + watched.string() + ") &";
  BOOST_TEST_REQUIRE(std::system(mover.c_str()) == 0);
  const Run r = run("read-document --mrz sim:" + watched.string() + " --timeout 10");
  BOOST_TEST(r.code == 0, r.out);
  BOOST_TEST(r.out.find("  " + lines[1]) != std::string::npos, r.out);
  BOOST_TEST(r.out.find("document: I issued by UTO, number D231458907AB") != std::string::npos,
             r.out);
  BOOST_TEST(r.out.find("born:     1974-08-12") != std::string::npos, r.out);
  fs::remove_all(dir);
}
