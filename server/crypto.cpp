// SecretBox: one random key per data directory; a stolen journal alone reveals no names.
#include "server/crypto.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace wm::server {

std::optional<std::string> read_key_file(const std::string& path, std::size_t size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw std::runtime_error("cannot read key file " + path + ": " + std::strerror(errno));
  }
  struct stat st {};
  fstat(fd, &st);
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    ::close(fd);
    throw std::runtime_error(path + " is readable by other users: chmod 600 it");
  }
  std::string key(size, '\0');
  bool ok = ::read(fd, key.data(), size) == static_cast<ssize_t>(size);
  ::close(fd);
  if (!ok) throw std::runtime_error(path + " is not a " + std::to_string(size) + "-byte key");
  return key;
}

std::string create_key_file(const std::string& path, std::size_t size) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
  std::string key(size, '\0');
  randombytes_buf(key.data(), size);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create key file " + path);
  fchmod(fd, 0600);
  bool ok = ::write(fd, key.data(), size) == static_cast<ssize_t>(size) && fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write key file " + path);
  return key;
}

SecretBox SecretBox::open_or_create(const std::string& path) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
  SecretBox box;
  auto key = read_key_file(path, box.key_.size());
  if (!key) key = create_key_file(path, box.key_.size());
  std::copy(key->begin(), key->end(), box.key_.begin());
  sodium_memzero(key->data(), key->size());
  return box;
}

std::string SecretBox::seal(std::string_view plain) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(o, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(o + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), o,
                        key_.data());
  return out;
}

std::optional<std::string> SecretBox::open(std::string_view sealed) const {
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
  const auto* s = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string out(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()),
                                 s + crypto_secretbox_NONCEBYTES,
                                 sealed.size() - crypto_secretbox_NONCEBYTES, s, key_.data()) != 0)
    return std::nullopt;
  return out;
}

}  // namespace wm::server
