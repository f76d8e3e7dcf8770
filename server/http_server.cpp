// HTTP endpoints on cpp-httplib; each request asks the broker through its own DEALER socket.
#include "server/http_server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>

#include "core/client/broker_client.hpp"
#include "core/clock.hpp"
#include "core/paths.hpp"
#include "core/queries.hpp"

namespace wm::server {

using core::json;

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

bool valid_token(const std::string& t) {
  static const std::regex re("[A-Za-z0-9_-]{8,64}");
  return std::regex_match(t, re);
}

// One ZeroMQ context for all HTTP worker threads; a socket per request (cheap, and sockets
// must not cross threads).
zmq::context_t& zmq_context() {
  static zmq::context_t ctx{1};
  return ctx;
}

}  // namespace

json status_texts(const i18n::Catalog& catalog, const json& st) {
  std::string lang = st.is_object() ? st.value("language", "de") : "de";
  auto t = [&](const char* key, const i18n::Args& args = {}) {
    return catalog.translate(lang, key, args);
  };
  json out{{"lang", lang}, {"title", t("status.title")}};
  if (!st.is_object()) {
    out["headline"] = t("status.unknown");
    out["state"] = "unknown";
    return out;
  }
  std::string state = st.value("state", "");
  out["state"] = state;
  out["number"] = st.value("number", "");
  out["office"] = st.value("office_name", "");
  if (state == "waiting") {
    out["headline"] = t("status.waiting");
    // "position" counts the ticket itself (1 = next); the page says how many are ahead.
    if (st.contains("position"))
      out["position"] = t("status.position", {{"n", std::to_string(std::max(0, st["position"].get<int>() - 1))}});
    // The rule of the kiosk and the paper ticket, so the phone shows the printed number.
    if (auto est = st.find("estimate_ms"); est != st.end() && est->is_number())
      out["estimate"] = t("status.estimate", {{"n", std::to_string(core::wait_minutes_for_display(
                                                        est->get<core::Millis>()))}});
    else
      out["estimate"] = t("status.estimate_unknown");
  } else if (state == "called") {
    out["headline"] = t("status.called", {{"counter", st.value("counter_name", "")}});
  } else if (state == "serving") {
    out["headline"] = t("status.serving");
  } else if (state == "done" || state == "forwarded") {
    out["headline"] = t("status.done");
  } else if (state == "parked") {
    out["headline"] = t("status.parked");
  } else if (state == "no_show") {
    out["headline"] = t("status.no_show");
  } else {
    out["headline"] = t("status.cancelled");
  }
  out["updated"] = t("status.updated", {{"time", core::local_hhmm(core::real_now())}});
  out["offline"] = t("status.offline");
  return out;
}

std::string render_status_page(const i18n::Catalog& catalog, const json& status,
                               const std::string& token) {
  json tx = status_texts(catalog, status);
  std::ostringstream h;
  auto field = [&](const char* k) { return escape(tx.value(k, "")); };
  h << "<!doctype html><html lang=\"" << field("lang") << "\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<meta name=\"robots\" content=\"noindex\"><title>" << field("title") << "</title><style>"
    << "body{font-family:'Noto Sans',system-ui,sans-serif;margin:0;background:#f3f5f8;color:#17202a}"
    << "header{background:#0b5394;color:#fff;padding:16px 20px;font-size:18px;font-weight:600}"
    << "main{padding:20px;max-width:560px;margin:auto}"
    << ".card{background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 4px #0002;text-align:center}"
    << ".label{font-size:16px;color:#4a5866}.number{font-size:72px;font-weight:800;letter-spacing:2px;margin:4px 0 12px}"
    << ".headline{font-size:22px;font-weight:600;margin:12px 0}"
    << ".called .headline{background:#ffd54f;border-radius:8px;padding:14px;font-size:26px}"
    << ".detail{font-size:18px;margin:6px 0}.foot{font-size:14px;color:#4a5866;margin-top:16px;text-align:center}"
    << "</style></head><body><header>" << field("office") << "</header><main>"
    << "<div class=\"card " << field("state") << "\" id=\"card\">"
    << "<div class=\"label\">" << field("title") << "</div>"
    << "<div class=\"number\" id=\"number\">" << field("number") << "</div>"
    << "<div class=\"headline\" id=\"headline\">" << field("headline") << "</div>"
    << "<div class=\"detail\" id=\"position\">" << field("position") << "</div>"
    << "<div class=\"detail\" id=\"estimate\">" << field("estimate") << "</div>"
    << "</div><div class=\"foot\" id=\"updated\">" << field("updated") << "</div></main>"
    << "<script>const token=" << json(token).dump() << ";"
    << "async function refresh(){try{const r=await fetch('/api/t/'+encodeURIComponent(token));"
    << "const t=await r.json();for(const k of ['number','headline','position','estimate','updated'])"
    << "document.getElementById(k).textContent=t[k]||'';"
    << "document.getElementById('card').className='card '+t.state;}"
    << "catch(e){document.getElementById('updated').textContent=" << json(tx.value("offline", "")).dump() << ";}}"
    << "setInterval(refresh,5000);</script></body></html>";
  return h.str();
}

HttpServer::HttpServer(std::shared_ptr<const core::Region> region, std::string command_endpoint,
                       std::string listen, std::string journal_path,
                       std::optional<core::CurveKeys> keys)
    : region_(std::move(region)),
      command_endpoint_(std::move(command_endpoint)),
      journal_path_(std::move(journal_path)),
      keys_(std::move(keys)),
      http_(std::make_unique<httplib::Server>()) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("HTTP address must be host:port: " + listen);
  host_ = listen.substr(0, colon);
  port_ = std::stoi(listen.substr(colon + 1));
  std::vector<i18n::LoadError> errors;
  catalog_ = i18n::Catalog::load_dir(core::find_assets_dir() / "i18n", errors);
  for (const auto& e : errors) spdlog::warn("translations: {}", e.to_string());
  routes();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::routes() {
  auto ask = [this](const std::string& type, const json& body) {
    core::BrokerClient client(zmq_context(), command_endpoint_, keys_);
    return client.call(type, body, std::chrono::milliseconds(1500), std::chrono::milliseconds(700));
  };

  http_->Get("/healthz", [ask](const httplib::Request&, httplib::Response& res) {
    try {
      auto r = ask("hello", json{{"client", "status"}});
      res.set_content("ok seq=" + std::to_string(r.body.value("seq", 0)) + "\n", "text/plain");
    } catch (const std::exception& e) {
      res.status = 503;
      res.set_content(std::string("broker unreachable: ") + e.what() + "\n", "text/plain");
    }
  });

  http_->Get("/metrics", [this, ask](const httplib::Request&, httplib::Response& res) {
    std::ostringstream m;
    try {
      auto hello = ask("hello", json{{"client", "status"}});
      auto status = ask("status", json::object());
      m << "# TYPE wartemarke_up gauge\nwartemarke_up 1\n";
      m << "# TYPE wartemarke_events_total counter\nwartemarke_events_total " << hello.body.value("seq", 0) << "\n";
      m << "# TYPE wartemarke_clients_connected gauge\nwartemarke_clients_connected " << hello.body.value("clients", 0) << "\n";
      m << "# TYPE wartemarke_commit_seconds gauge\nwartemarke_commit_seconds " << hello.body.value("commit_ms", 0.0) / 1000 << "\n";
      m << "# TYPE wartemarke_reactor_stall_seconds gauge\nwartemarke_reactor_stall_seconds " << hello.body.value("stall_ms", 0.0) / 1000 << "\n";
      std::error_code ec;
      auto size = std::filesystem::file_size(journal_path_, ec);
      auto wal = std::filesystem::file_size(journal_path_ + "-wal", ec);
      m << "# TYPE wartemarke_store_bytes gauge\nwartemarke_store_bytes " << (size + (ec ? 0 : wal)) << "\n";
      m << "# TYPE wartemarke_waiting gauge\n# TYPE wartemarke_longest_wait_seconds gauge\n"
        << "# TYPE wartemarke_tickets_today gauge\n# TYPE wartemarke_counters_open gauge\n";
      for (const auto& o : status.body["offices"]) {
        std::string id = o["id"];
        m << "wartemarke_waiting{office=\"" << id << "\"} " << o["waiting"] << "\n";
        m << "wartemarke_longest_wait_seconds{office=\"" << id << "\"} " << o["longest_wait_ms"].get<long long>() / 1000 << "\n";
        m << "wartemarke_tickets_today{office=\"" << id << "\",state=\"issued\"} " << o["issued_today"] << "\n";
        m << "wartemarke_tickets_today{office=\"" << id << "\",state=\"done\"} " << o["done_today"] << "\n";
        m << "wartemarke_tickets_today{office=\"" << id << "\",state=\"no_show\"} " << o["no_show_today"] << "\n";
        m << "wartemarke_counters_open{office=\"" << id << "\"} " << o["counters_open"] << "\n";
        for (const auto& s : o["services"])
          m << "wartemarke_waiting_service{office=\"" << id << "\",service=\"" << s["id"].get<std::string>() << "\"} " << s["waiting"] << "\n";
      }
    } catch (const std::exception& e) {
      m.str("");
      m << "# broker unreachable\nwartemarke_up 0\n";
      res.status = 503;
    }
    res.set_content(m.str(), "text/plain; version=0.0.4");
  });

  auto lookup = [ask](const std::string& token) -> json {
    if (!valid_token(token)) return nullptr;
    auto r = ask("ticket.status", json{{"token", token}});
    return r.ok ? r.body : json(nullptr);
  };

  http_->Get(R"(/t/([A-Za-z0-9_-]+))", [this, lookup](const httplib::Request& req, httplib::Response& res) {
    std::string token = req.matches[1];
    try {
      json st = lookup(token);
      if (st.is_null()) res.status = 404;
      res.set_header("Cache-Control", "no-store");
      res.set_content(render_status_page(catalog_, st, token), "text/html; charset=utf-8");
    } catch (const std::exception&) {
      res.status = 503;
      res.set_content(render_status_page(catalog_, nullptr, token), "text/html; charset=utf-8");
    }
  });

  http_->Get(R"(/api/t/([A-Za-z0-9_-]+))", [this, lookup](const httplib::Request& req, httplib::Response& res) {
    try {
      json st = lookup(req.matches[1]);
      if (st.is_null()) res.status = 404;
      res.set_header("Cache-Control", "no-store");
      res.set_content(status_texts(catalog_, st).dump(), "application/json; charset=utf-8");
    } catch (const std::exception&) {
      res.status = 503;
      res.set_content(R"({"state":"offline"})", "application/json");
    }
  });
}

void HttpServer::start() {
  if (!http_->bind_to_port(host_.c_str(), port_))
    throw std::runtime_error("cannot listen for HTTP on " + host_ + ":" + std::to_string(port_));
  thread_ = std::thread([this] { http_->listen_after_bind(); });
}

void HttpServer::stop() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace wm::server
