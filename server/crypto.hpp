// Encryption at rest for personal data: libsodium secretbox with a key file only the service reads.
#pragma once

#include <sodium.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace wm::server {

// A secret key file of `size` random bytes, only the service's to read. nullopt if `path` does
// not exist; throws std::runtime_error if it is unreadable, of the wrong size, or readable by
// others.
std::optional<std::string> read_key_file(const std::string& path, std::size_t size);
// Creates `path` (mode 0600, never over an existing file) with `size` random bytes and returns
// them; throws std::runtime_error if it cannot.
std::string create_key_file(const std::string& path, std::size_t size);

class SecretBox {
 public:
  // Reads the 32-byte key from `path`, or creates it (mode 0600) if missing. Throws
  // std::runtime_error if the file is unreadable, of the wrong size, or readable by others.
  static SecretBox open_or_create(const std::string& path);

  // nonce || ciphertext (XSalsa20-Poly1305).
  std::string seal(std::string_view plain) const;
  // nullopt if the data was not sealed with this key or was changed.
  std::optional<std::string> open(std::string_view sealed) const;

 private:
  std::array<unsigned char, crypto_secretbox_KEYBYTES> key_{};
};

}  // namespace wm::server
