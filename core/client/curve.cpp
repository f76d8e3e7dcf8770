// Key generation and key files for CurveZMQ; only the owner may read a secret key file.
#include "core/client/curve.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wm::core {

KeyPair generate_key_pair() {
  char pub[41], sec[41];
  if (zmq_curve_keypair(pub, sec) != 0)
    throw std::runtime_error("this ZeroMQ library has no CURVE support");
  return {pub, sec};
}

bool valid_z85_key(const std::string& key) {
  if (key.size() != 40) return false;
  std::uint8_t raw[32];
  return zmq_z85_decode(raw, key.c_str()) != nullptr;
}

void write_key_file(const std::string& path, const KeyPair& pair, const std::string& comment,
                    bool include_secret) {
  std::string text = "# " + comment + "\npublic = \"" + pair.public_key + "\"\n";
  if (include_secret) text += "secret = \"" + pair.secret_key + "\"\n";
  auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir);
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, include_secret ? 0600 : 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + path);
  fchmod(fd, include_secret ? 0600 : 0644);  // umask must not widen or narrow it
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot write " + path);
}

KeyPair read_key_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read key file " + path);
  KeyPair pair;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    auto q1 = line.find('"');
    auto q2 = line.rfind('"');
    if (eq == std::string::npos || q1 == std::string::npos || q2 <= q1) continue;
    std::string key = line.substr(0, line.find_first_of(" =")), value = line.substr(q1 + 1, q2 - q1 - 1);
    if (key == "public") pair.public_key = value;
    if (key == "secret") pair.secret_key = value;
  }
  if (!valid_z85_key(pair.public_key)) throw std::runtime_error(path + ": no valid public key");
  if (!pair.secret_key.empty() && !valid_z85_key(pair.secret_key))
    throw std::runtime_error(path + ": bad secret key");
  return pair;
}

CurveKeys load_curve_keys(const std::string& device_key_file, const std::string& server_key) {
  CurveKeys keys;
  keys.device = read_key_file(device_key_file);
  if (keys.device.secret_key.empty())
    throw std::runtime_error(device_key_file + " holds no secret key");
  // A file first: a 40-character path of Z85 characters ("/tmp/…/keys/server.pub") is also a
  // well-formed key, and taking it as one gives a server key that never handshakes.
  keys.server_public = valid_z85_key(server_key) && !std::filesystem::exists(server_key)
                           ? server_key
                           : read_key_file(server_key).public_key;
  return keys;
}

std::optional<CurveKeys> curve_keys_from_env() {
  const char* key = std::getenv("WARTEMARKE_KEY");
  const char* server = std::getenv("WARTEMARKE_SERVER_KEY");
  if (!key || !server || !*key || !*server) return std::nullopt;
  return load_curve_keys(key, server);
}

void apply_curve(zmq::socket_t& socket, const CurveKeys& keys) {
  socket.set(zmq::sockopt::curve_serverkey, keys.server_public);
  socket.set(zmq::sockopt::curve_publickey, keys.device.public_key);
  socket.set(zmq::sockopt::curve_secretkey, keys.device.secret_key);
}

}  // namespace wm::core
