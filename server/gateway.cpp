// Gateway delivery: at least once (ack after the file is durable), idempotent by case id
// (the file name is the case id; an existing file is never written twice).
#include "server/gateway.hpp"

#include "core/model.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <spdlog/spdlog.h>

namespace wm::server {
namespace fs = std::filesystem;
using core::json;

namespace {

std::string iso_utc(core::Millis ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string errno_text(const std::string& what, const fs::path& p) {
  return what + " " + p.string() + ": " + std::strerror(errno);
}

}  // namespace

json case_document(const core::Region& region, const json& entry) {
  const json& c = entry.at("case");
  std::string office = c.value("office", ""), service = c.value("service", "");
  std::string counter = c.value("counter", "");
  const core::Office* o = region.find_office(office);
  const core::Service* sv = region.find_service(service);
  const core::Counter* ct = region.find_counter(counter);
  core::Millis created = c.value("created_at", core::Millis{0});
  json doc{{"format", "wartemarke-case"},
           {"version", 1},
           {"case_id", c.value("id", "")},
           {"created_at", iso_utc(created)},
           {"created_at_ms", created},
           {"office", {{"id", office}, {"name", o ? o->name : office}}},
           {"ticket", {{"id", c.value("ticket", "")}, {"number", c.value("number", "")}}},
           {"service", {{"id", service}, {"name", sv ? core::localized(sv->name, "de") : service}}},
           {"unit", c.value("unit", "")},
           {"counter", {{"id", counter}, {"name", ct ? ct->name : counter}}},
           {"outcome", c.value("outcome", "")},
           {"notes", c.value("notes", "")},
           {"identity", entry.value("identity", json(nullptr))}};
  return doc;
}

std::string drop_folder_problem(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return "drop folder " + dir.string() + " does not exist";
  if (!fs::is_directory(dir, ec)) return "drop folder " + dir.string() + " is not a directory";
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return "drop folder " + dir.string() + " is not writable: " + std::strerror(errno);
  return {};
}

void write_atomically(const fs::path& dir, const std::string& name, const std::string& content) {
  // The temporary name starts with a dot and ends in .tmp: importers skip it (case-format.md).
  fs::path tmp = dir / ("." + name + ".tmp");
  fs::path dst = dir / name;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) throw std::runtime_error(errno_text("cannot create", tmp));
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string msg = errno_text("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      throw std::runtime_error(msg);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    std::string msg = errno_text("cannot sync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    throw std::runtime_error(msg);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), dst.c_str()) != 0) {
    std::string msg = errno_text("cannot rename into", dst);
    ::unlink(tmp.c_str());
    throw std::runtime_error(msg);
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {  // the rename itself must survive a power cut before we acknowledge
    ::fsync(dfd);
    ::close(dfd);
  }
}

Gateway::Gateway(std::shared_ptr<const core::Region> region, GatewayOptions options)
    : region_(std::move(region)),
      options_(std::move(options)),
      client_(context_, options_.command_endpoint, options_.curve) {
  // Leftovers of a gateway killed mid-write: never complete, never seen by the importer.
  std::error_code ec;
  for (const auto& f : fs::directory_iterator(options_.drop_dir, ec)) {
    std::string n = f.path().filename().string();
    if (n.size() > 5 && n[0] == '.' && n.ends_with(".json.tmp")) fs::remove(f.path(), ec);
  }
}

std::string Gateway::unreachable() const {
  // A refused handshake looks like silence to a DEALER: say what the monitor saw instead.
  if (!handshake_problem_.empty()) return handshake_problem_;
  return "broker at " + options_.command_endpoint + " unreachable";
}

void Gateway::read_handshake_events(zmq::socket_t& monitor) {
  zmq::message_t event, address;
  while (monitor.recv(event, zmq::recv_flags::dontwait)) {
    if (event.more()) (void)monitor.recv(address);
    if (event.size() < 2) continue;
    std::uint16_t id = 0;
    std::memcpy(&id, event.data(), sizeof id);
    std::string was = handshake_problem_;
    if (id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
      handshake_problem_.clear();
    } else if (id == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) {
      handshake_problem_ = "broker at " + options_.event_endpoint +
                           " refused the gateway's key (not registered or revoked; register it "
                           "with `wartemarke keys register NAME --role backoffice --key-file ...`)";
    } else if (id & (ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL)) {
      handshake_problem_ =
          "CURVE handshake with the broker at " + options_.event_endpoint +
          (options_.curve ? std::string(" failed (wrong server public key in WARTEMARKE_SERVER_KEY?)")
                          : std::string(" failed: the broker requires CURVE and the gateway has no "
                                        "key (set WARTEMARKE_KEY and WARTEMARKE_SERVER_KEY)"));
    }
    if (!handshake_problem_.empty() && handshake_problem_ != was) report(handshake_problem_);
  }
}

void Gateway::report(const std::string& problem) {
  if (problem == problem_) return;  // log a lasting problem once, not every second
  if (problem.empty())
    spdlog::info("gateway: delivering again ({} resolved)", problem_);
  else
    spdlog::error("gateway: {}; forwarded cases wait in the outbox", problem);
  problem_ = problem;
}

int Gateway::deliver_once() {
  if (auto p = drop_folder_problem(options_.drop_dir); !p.empty()) {
    report(p);
    return 0;
  }
  int delivered = 0;
  while (true) {
    core::Reply r;
    try {
      r = client_.call("outbox.fetch", json{{"limit", options_.batch}}, std::chrono::seconds(3),
                       std::chrono::milliseconds(500));
    } catch (const core::TimeoutError&) {
      report(unreachable());
      return delivered;
    }
    if (!r.ok) {
      report("broker refused outbox.fetch: " + r.message);
      return delivered;
    }
    const json& cases = r.body.at("cases");
    for (const auto& entry : cases) {
      std::string id = entry.at("case").value("id", "");
      if (id.empty() || id.find('/') != std::string::npos || id[0] == '.') {
        spdlog::error("gateway: outbox entry without a usable case id skipped");
        continue;
      }
      std::string name = id + ".json";
      try {
        std::error_code ec;
        // Delivered before but not acknowledged (we were killed in between): keep that file.
        if (!fs::exists(options_.drop_dir / name, ec))
          write_atomically(options_.drop_dir, name,
                           case_document(*region_, entry).dump(2) + "\n");
      } catch (const std::exception& e) {
        report(e.what());
        return delivered;
      }
      try {
        core::Reply ack = client_.call("outbox.ack", json{{"case", id}}, std::chrono::seconds(3),
                                       std::chrono::milliseconds(500));
        if (!ack.ok) {
          report("broker refused outbox.ack: " + ack.message);
          return delivered;
        }
      } catch (const core::TimeoutError&) {
        report(unreachable());
        return delivered;
      }
      ++delivered;
      spdlog::info("gateway: case {} delivered", id);
    }
    report({});
    if (static_cast<int>(cases.size()) < options_.batch) return delivered;
  }
}

void Gateway::run(const std::atomic<bool>& stop) {
  zmq::socket_t sub(context_, zmq::socket_type::sub);
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::subscribe, "o/");
  if (options_.curve) core::apply_curve(sub, *options_.curve);
  // The SUB socket handshakes with the same key as the request socket: its monitor tells a
  // refused key or a missing one apart from a broker that is simply away.
  const std::string monitor_endpoint = "inproc://wm-gateway-monitor";
  if (zmq_socket_monitor(sub.handle(), monitor_endpoint.c_str(),
                         ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                             ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                             ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) != 0)
    throw zmq::error_t();
  zmq::socket_t monitor(context_, zmq::socket_type::pair);
  monitor.set(zmq::sockopt::linger, 0);
  monitor.connect(monitor_endpoint);
  sub.connect(options_.event_endpoint);
  while (!stop.load()) {
    read_handshake_events(monitor);
    deliver_once();
    zmq::pollitem_t items[] = {{sub.handle(), 0, ZMQ_POLLIN, 0}, {monitor.handle(), 0, ZMQ_POLLIN, 0}};
    bool forwarded = false;
    auto until = std::chrono::steady_clock::now() + options_.poll;
    while (!forwarded && !stop.load() && std::chrono::steady_clock::now() < until) {
      try {
        zmq::poll(items, 2, std::chrono::milliseconds(100));
      } catch (const zmq::error_t& e) {
        if (e.num() == EINTR) continue;
        throw;
      }
      if (items[1].revents & ZMQ_POLLIN) read_handshake_events(monitor);
      while (items[0].revents & ZMQ_POLLIN) {
        zmq::message_t topic, payload;
        if (!sub.recv(topic, zmq::recv_flags::dontwait)) break;
        if (topic.more()) (void)sub.recv(payload, zmq::recv_flags::dontwait);
        // Only the type matters: the case itself comes from the outbox, with its data.
        if (payload.to_string_view().find("\"ticket.forwarded\"") != std::string_view::npos)
          forwarded = true;
        if (!(sub.get(zmq::sockopt::events) & ZMQ_POLLIN)) break;
      }
    }
  }
}

}  // namespace wm::server
