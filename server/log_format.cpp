// The spdlog formatter flag that escapes control characters in every logged message.
#include "server/log_format.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

namespace wm::server {
namespace {

void append_escaped(std::string_view text, spdlog::memory_buf_t& out) {
  static const char* hex = "0123456789abcdef";
  for (unsigned char c : text) {
    if (c >= 0x20 && c != 0x7f) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    out.push_back('\\');
    switch (c) {
      case '\n': out.push_back('n'); break;
      case '\r': out.push_back('r'); break;
      case '\t': out.push_back('t'); break;
      case 0x1b: out.push_back('e'); break;
      default:
        out.push_back('x');
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
  }
}

// %* : the message, escaped (spdlog's %v copies it as it is).
class EscapedMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    append_escaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessage>();
  }
};

}  // namespace

std::string escape_controls(std::string_view text) {
  spdlog::memory_buf_t buf;
  append_escaped(text, buf);
  return std::string(buf.data(), buf.size());
}

void use_escaping_log_format() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  // spdlog's default ("%+") with the escaped message in place of %v.
  formatter->add_flag<EscapedMessage>('*').set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %*");
  spdlog::set_formatter(std::move(formatter));
}

}  // namespace wm::server
