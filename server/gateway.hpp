// The back-office gateway: takes forwarded cases from the broker's outbox and writes each one,
// atomically, as a JSON file into the E-Akte drop folder; then acknowledges it.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <zmq.hpp>

#include "core/client/broker_client.hpp"
#include "core/config.hpp"

namespace wm::server {

struct GatewayOptions {
  std::string command_endpoint;
  std::string event_endpoint;  // woken by ticket.forwarded; polls anyway every `poll`
  std::filesystem::path drop_dir;
  std::chrono::milliseconds poll{1000};
  int batch = 50;
  // Set for a CURVE broker (the installed default): the gateway's own key, registered with
  // role backoffice, and the server's public key; see core::curve_keys_from_env().
  std::optional<core::CurveKeys> curve;
};

// The file for one outbox entry ({"case", "identity", "time"} as outbox.fetch returns it), in
// the format of docs/case-format.md. Deterministic: the same case always gives the same bytes.
core::json case_document(const core::Region& region, const core::json& entry);

// Writes `content` to `dir/name` via a temporary file, fsync and rename, then syncs the
// folder: a reader sees the whole file or none. Throws std::runtime_error with the reason.
void write_atomically(const std::filesystem::path& dir, const std::string& name,
                      const std::string& content);

// Why the drop folder cannot take files now ("" if it can).
std::string drop_folder_problem(const std::filesystem::path& dir);

class Gateway {
 public:
  Gateway(std::shared_ptr<const core::Region> region, GatewayOptions options);

  // One pass: fetch what waits, write, acknowledge. Returns the number of cases delivered;
  // problems (broker away, drop folder missing) are logged once and leave the cases waiting.
  int deliver_once();
  void run(const std::atomic<bool>& stop);
  const std::string& problem() const { return problem_; }

 private:
  void report(const std::string& problem);
  std::string unreachable() const;
  // Reads the SUB socket's monitor: a refused CURVE handshake explains an "unreachable" broker.
  void read_handshake_events(zmq::socket_t& monitor);

  std::shared_ptr<const core::Region> region_;
  GatewayOptions options_;
  zmq::context_t context_{1};
  core::BrokerClient client_;
  std::string problem_;
  std::string handshake_problem_;  // "" while the last handshake succeeded (or none failed yet)
};

}  // namespace wm::server
