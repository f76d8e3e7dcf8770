// wartemarke-hw command: exit codes and output against the simulators.
#define BOOST_TEST_MODULE hw_cli
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

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
