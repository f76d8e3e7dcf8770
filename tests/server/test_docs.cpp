// Keeps docs/protocol.md true: every declared message, event and error code is documented.
#define BOOST_TEST_MODULE server_docs
#include <boost/test/unit_test.hpp>

#include <fstream>
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

BOOST_AUTO_TEST_CASE(protocol_doc_lists_every_message_event_and_error) {
  std::string doc = read("docs/protocol.md");
  BOOST_REQUIRE(!doc.empty());
  for (const auto& m : wm::core::message_specs()) {
    BOOST_TEST_INFO(m.type);
    BOOST_TEST(doc.find(std::string("`") + m.type + "`") != std::string::npos);
  }
  for (const auto& e : wm::core::event_specs()) {
    BOOST_TEST_INFO(e.type);
    BOOST_TEST(doc.find(std::string("`") + e.type + "`") != std::string::npos);
  }
  for (auto code : {wm::core::ErrorCode::bad_json, wm::core::ErrorCode::bad_envelope,
                    wm::core::ErrorCode::unsupported_version, wm::core::ErrorCode::unknown_type,
                    wm::core::ErrorCode::bad_field, wm::core::ErrorCode::too_large,
                    wm::core::ErrorCode::not_found, wm::core::ErrorCode::invalid_state,
                    wm::core::ErrorCode::queue_empty, wm::core::ErrorCode::forbidden,
                    wm::core::ErrorCode::unavailable, wm::core::ErrorCode::rate_limited,
                    wm::core::ErrorCode::locked, wm::core::ErrorCode::office_closed,
                    wm::core::ErrorCode::last_ticket_passed, wm::core::ErrorCode::internal}) {
    std::string name(wm::core::to_string(code));
    BOOST_TEST_INFO(name);
    BOOST_TEST(doc.find("`" + name + "`") != std::string::npos);
  }
}
