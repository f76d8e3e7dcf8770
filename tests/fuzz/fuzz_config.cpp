// Fuzz target: the config loader reports bad TOML as ConfigError, never crashes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)wm::core::parse_config(text, "fuzz.toml");
  } catch (const wm::core::ConfigError&) {
  }
  return 0;
}
