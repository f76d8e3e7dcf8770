// Fuzz target: garbage from a USB MRZ reader gives a result with errors, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wm/hw/mrz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)wm::hw::parse_mrz_text(text, wm::hw::Date{2026, 11, 22});
  return 0;
}
