// The server's small HTTP side: /healthz, Prometheus /metrics, and the visitor status page
// that the QR code on a ticket opens. It talks to the broker over ZeroMQ like any client,
// so it never touches the broker's state directly.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/client/curve.hpp"
#include "core/config.hpp"
#include "core/protocol.hpp"
#include "core/i18n/catalog.hpp"

namespace httplib {
class Server;
}

namespace wm::server {

class HttpServer {
 public:
  // `listen` is "host:port"; `journal_path` is reported as the store size metric.
  HttpServer(std::shared_ptr<const core::Region> region, std::string command_endpoint,
             std::string listen, std::string journal_path,
             std::optional<core::CurveKeys> keys = std::nullopt);
  ~HttpServer();

  // Binds and serves on a background thread; throws std::runtime_error if it cannot bind.
  void start();
  void stop();
  int port() const { return port_; }

 private:
  void routes();

  std::shared_ptr<const core::Region> region_;
  std::string command_endpoint_;
  std::string host_;
  int port_ = 0;
  std::string journal_path_;
  std::optional<core::CurveKeys> keys_;  // on a CURVE broker: the in-process key
  i18n::Catalog catalog_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
};

// The status page for one ticket (HTML, complete: readable without JavaScript; a small script
// refreshes it every few seconds). `status` is a ticket.status reply body, or null if unknown.
std::string render_status_page(const i18n::Catalog& catalog, const core::json& status,
                               const std::string& token);
// The texts the page shows for a status, in the ticket's language (used by page and API).
core::json status_texts(const i18n::Catalog& catalog, const core::json& status);

}  // namespace wm::server
