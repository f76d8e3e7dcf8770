// CurveZMQ keys on the client side: key files, and turning a socket into an authenticated client.
#pragma once

#include <optional>
#include <string>
#include <zmq.hpp>

namespace wm::core {

// Z85 text keys (40 characters each).
struct KeyPair {
  std::string public_key;
  std::string secret_key;
};

// What a device needs to talk to a CURVE broker: its own pair and the server's public key.
struct CurveKeys {
  std::string server_public;
  KeyPair device;
};

KeyPair generate_key_pair();
bool valid_z85_key(const std::string& key);

// Key files are tiny text files: `public = "..."` and (secret files only) `secret = "..."`.
// A secret file is created with mode 0600; throws std::runtime_error on any failure.
void write_key_file(const std::string& path, const KeyPair& pair, const std::string& comment,
                    bool include_secret);
// Reads a key file; `secret_key` stays empty for a public-only file. Throws on a bad file.
KeyPair read_key_file(const std::string& path);

// Device key file + the server's public key file (or a 40-character key given directly).
CurveKeys load_curve_keys(const std::string& device_key_file, const std::string& server_key);
// WARTEMARKE_KEY (device key file) and WARTEMARKE_SERVER_KEY (server public key or its file),
// if both are set; lets every app and the CLI join a CURVE broker without new options.
std::optional<CurveKeys> curve_keys_from_env();

// Makes `socket` a CURVE client (before connect).
void apply_curve(zmq::socket_t& socket, const CurveKeys& keys);

}  // namespace wm::core
