// Keeps docs/protocol.md true about error codes: the documented ones are exactly ErrorCode's.
// (Requests and events are checked against their tables, both ways, by core_test_table.)
#define BOOST_TEST_MODULE server_docs
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "core/protocol.hpp"
#include "tests/support/temp_dir.hpp"

namespace {
std::string read(const std::string& rel) {
  std::ifstream in(wm::test::source_path(rel));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

BOOST_AUTO_TEST_CASE(protocol_doc_lists_exactly_the_error_codes) {
  std::string doc = read("docs/protocol.md");
  BOOST_REQUIRE(!doc.empty());
  std::set<std::string> declared;
  for (auto code : wm::core::error_codes()) {
    std::string name(wm::core::to_string(code));
    BOOST_TEST(declared.insert(name).second, name << " named twice");
    BOOST_TEST((wm::core::error_code_from(name) == code), name);
    BOOST_TEST_INFO(name);
    BOOST_TEST(doc.find("| `" + name + "` |") != std::string::npos);
  }
  BOOST_TEST(declared.size() == static_cast<std::size_t>(wm::core::ErrorCode::internal) + 1);
  // The other way: every row of the error code table is a code the broker can send.
  std::size_t pos = doc.find("\n### Error codes\n");
  BOOST_REQUIRE(pos != std::string::npos);
  std::istringstream in(doc.substr(pos + 1));
  std::string line;
  std::getline(in, line);  // the heading
  int rows = 0;
  while (std::getline(in, line) && line.rfind("#", 0) != 0) {
    if (line.rfind("| `", 0) != 0) continue;
    std::string name = line.substr(3, line.find('`', 3) - 3);
    BOOST_TEST(declared.count(name), "docs/protocol.md documents an unknown error code " << name);
    ++rows;
  }
  BOOST_TEST(rows == static_cast<int>(declared.size()));
}
