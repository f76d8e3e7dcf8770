// The audit log's hash chain: intact after real appends, broken by any edited, dropped or
// reordered line, and `wartemarke audit verify` says which line.
#define BOOST_TEST_MODULE server_security_audit
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <vector>

#include "server/audit.hpp"
#include "tests/support/broker_process.hpp"

namespace {

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& l : lines) out << l << "\n";
}

int verify_cli(const std::string& path) {
  std::string cmd = wm::test::binary_path("wartemarke") + " audit verify " + path + " >/dev/null 2>&1";
  return WEXITSTATUS(std::system(cmd.c_str()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(chain_verifies_and_detects_tampering) {
  wm::test::TempDir dir;
  wm::server::audit_open(dir.path().string());
  for (int i = 0; i < 5; ++i)
    BOOST_TEST(wm::server::audit("tweber@goerlitz-3", "identity.read", "K00" + std::to_string(i)));
  std::string path = dir.file("audit.log");
  // A new process continues the chain from the file's last line.
  wm::server::audit_open(dir.path().string());
  BOOST_TEST(wm::server::audit("hzimmermann", "case.read", "case-1"));
  auto good = lines_of(path);
  BOOST_REQUIRE(good.size() == 6u);
  auto r = wm::server::audit_verify(path);
  BOOST_TEST(r.ok);
  BOOST_TEST(r.lines == 6);
  BOOST_TEST(verify_cli(path) == 0);

  auto edited = good;  // a curious insider hides which ticket they looked at
  edited[2].replace(edited[2].find("K002"), 4, "K009");
  write_lines(path, edited);
  r = wm::server::audit_verify(path);
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.bad_line == 3);
  BOOST_TEST(verify_cli(path) == 4);

  auto dropped = good;
  dropped.erase(dropped.begin() + 1);
  write_lines(path, dropped);
  r = wm::server::audit_verify(path);
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.bad_line == 2);

  auto swapped = good;
  std::swap(swapped[3], swapped[4]);
  write_lines(path, swapped);
  BOOST_TEST(!wm::server::audit_verify(path).ok);

  write_lines(path, good);
  BOOST_TEST(wm::server::audit_verify(path).ok);
  BOOST_TEST(verify_cli(dir.file("missing.log")) == 4);
}
