// Fuzz target: the one request validator (and the reply decoder) must never crash or throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view frame(reinterpret_cast<const char*>(data), size);
  auto r = wm::core::decode_request(frame);
  if (auto* req = std::get_if<wm::core::Request>(&r)) (void)wm::core::encode_request(*req);
  (void)wm::core::decode_reply(frame);
  return 0;
}
