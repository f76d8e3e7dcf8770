// Plain transport: loopback/ipc only, and only the role the configuration grants it.
#include "server/transport_policy.hpp"

#include <arpa/inet.h>

#include <string_view>

namespace wm::server {

std::optional<std::string> plain_endpoint_problem(const std::string& endpoint) {
  std::string_view e = endpoint;
  if (e.starts_with("ipc://") || e.starts_with("inproc://")) return std::nullopt;
  if (e.starts_with("tcp://")) {
    std::string_view hostport = e.substr(6);
    auto colon = hostport.rfind(':');
    std::string host(hostport.substr(0, colon == std::string_view::npos ? hostport.size() : colon));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    in_addr v4{};
    in6_addr v6{};
    if (host == "localhost") return std::nullopt;
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127) return std::nullopt;
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6)) return std::nullopt;
  }
  return "plain transport (no encryption, no device keys) may listen only on loopback "
         "(tcp://127.0.0.1:PORT, tcp://[::1]:PORT) or ipc://, not on '" + endpoint +
         "': use transport = \"curve\" with a key per device (docs/security.md)";
}

std::optional<core::Principal> plain_principal(const core::Security& security) {
  // The local operator (role cli, the rights of admin), named "local" as plain replies were
  // always journaled: their retries still match after an upgrade.
  if (security.plain_role == "admin") return core::Principal{core::DeviceRole::cli, "local", {}};
  return std::nullopt;
}

}  // namespace wm::server
