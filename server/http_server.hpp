// The server's small HTTP side: /healthz, Prometheus /metrics, and the visitor status page
// that the QR code on a ticket opens. It talks to the broker over ZeroMQ like any client,
// so it never touches the broker's state directly.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/client/curve.hpp"
#include "core/config.hpp"
#include "core/protocol.hpp"
#include "core/i18n/catalog.hpp"

namespace wm::server {

// What one client may cost the broker process (docs/security.md, "HTTP status page").
struct HttpLimits {
  std::size_t max_head_bytes = 8 * 1024;   // request line + headers, else 431
  std::size_t max_body_bytes = 4 * 1024;   // claimed or sent, else 413 (GET/HEAD need none)
  std::chrono::milliseconds head_timeout{5000};   // whole request head, from accept
  std::chrono::milliseconds write_timeout{5000};  // whole response
  std::size_t max_connections = 64;        // open at once; the oldest unfinished head gives way
  // Status lookups (/t/, /api/t/) per client IP: a phone polls every 5 s (0.2/s).
  double status_rate = 2, status_burst = 60;
  // Lookups of unknown or malformed tokens per client IP (token guessing): 20 at once, then
  // one every 6 s. An exhausted IP gets 429 for every lookup until its bucket refills.
  double miss_rate = 1.0 / 6, miss_burst = 20;
};

class HttpServer {
 public:
  // `listen` is "host:port"; `journal_path` is reported as the store size metric.
  HttpServer(std::shared_ptr<const core::Region> region, std::string command_endpoint,
             std::string listen, std::string journal_path,
             std::optional<core::CurveKeys> keys = std::nullopt, HttpLimits limits = {});
  ~HttpServer();

  // Binds and serves on a background thread; throws std::runtime_error if it cannot bind.
  void start();
  void stop();
  int port() const { return port_; }

  struct Impl;  // the poll loop and its connections (http_server.cpp)

 private:
  std::shared_ptr<const core::Region> region_;
  std::string command_endpoint_;
  std::string host_;
  int port_ = 0;
  std::string journal_path_;
  std::optional<core::CurveKeys> keys_;  // on a CURVE broker: the in-process key
  HttpLimits limits_;
  i18n::Catalog catalog_;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
};

// The status page for one ticket (HTML, complete: readable without JavaScript; a small script
// refreshes it every few seconds). `status` is a ticket.status reply body, or null if unknown.
// `browser_lang`: the language for a page without a ticket to take it from (an unknown
// token, the broker away), from the browser's Accept-Language.
std::string render_status_page(const i18n::Catalog& catalog, const core::json& status,
                               const std::string& token, const std::string& browser_lang = "de");
// The texts the page shows for a status, in the ticket's language (used by page and API);
// without a ticket in `browser_lang`.
core::json status_texts(const i18n::Catalog& catalog, const core::json& status,
                        const std::string& browser_lang = "de");
// The first language of an Accept-Language header ("uk-UA,uk;q=0.9,en;q=0.8") that we ship,
// by weight; German when none is.
std::string preferred_language(const std::string& accept_language);
// The Content-Security-Policy every response carries: the page's one inline script is allowed
// by its hash, its refresh may fetch from the same origin, nothing else loads.
const std::string& content_security_policy();

}  // namespace wm::server
