// Load generation for `wartemarke bench`: asynchronous DEALER clients and the raw baseline.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>
#include <stdexcept>
#include <zmq.hpp>

#include "server/cli/bench.hpp"

namespace wm::cli::bench {

using Clock = std::chrono::steady_clock;

double Samples::percentile(double p) const {
  if (us.empty()) return 0;
  std::vector<double> v = us;
  std::size_t k = std::min(v.size() - 1, static_cast<std::size_t>(std::ceil(p / 100.0 * v.size())) -
                                             (p > 0 ? 1 : 0));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

double Samples::mean() const {
  return us.empty() ? 0 : std::accumulate(us.begin(), us.end(), 0.0) / static_cast<double>(us.size());
}

namespace {

struct Client {
  zmq::socket_t socket;
  std::unique_ptr<Script> script;
  bool busy = false;
  Clock::time_point intended, next_due;
};

struct ThreadResult {
  long completed = 0, errors = 0, unanswered = 0;
  std::vector<double> us;
};

// One generator thread: many sockets, one poll. Open loop: each client has a fixed schedule;
// a reply that comes late delays the next send, and that delay counts in its latency.
void drive(const LoadSpec& spec, zmq::context_t& ctx, int first, int count, Clock::time_point t0,
           std::atomic<long>& sent, ThreadResult& out) {
  std::vector<Client> clients(static_cast<std::size_t>(count));
  std::vector<zmq::pollitem_t> items;
  std::mt19937 rng(static_cast<unsigned>(first + 1));
  double interval_s = spec.rate > 0 ? spec.clients / spec.rate : 0;
  for (int i = 0; i < count; ++i) {
    auto& c = clients[static_cast<std::size_t>(i)];
    c.socket = zmq::socket_t(ctx, zmq::socket_type::dealer);
    c.socket.set(zmq::sockopt::linger, 0);
    c.socket.set(zmq::sockopt::sndhwm, 10000);
    c.socket.connect(spec.endpoint);
    c.script = spec.make_script(first + i);
    double phase = std::uniform_real_distribution<>(0, std::max(interval_s, 1e-6))(rng);
    c.next_due = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(phase));
  }
  for (auto& c : clients) items.push_back({c.socket.handle(), 0, ZMQ_POLLIN, 0});
  auto measure_from = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(spec.warmup_s));
  auto end = measure_from + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(spec.seconds));
  auto step = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval_s));
  auto drain_deadline = end + std::chrono::seconds(spec.total_ops > 0 ? 60 : 5);
  int busy = 0;
  // Nothing is sent before t0: sockets are connected by then, and requests sent earlier
  // would fall outside the measuring window and go uncounted.
  std::this_thread::sleep_until(t0);
  while (true) {
    auto now = Clock::now();
    if (now >= drain_deadline) break;
    bool over = now >= end || (spec.total_ops > 0 && sent.load() >= spec.total_ops);
    if (over && busy == 0) break;
    Clock::time_point soonest = now + std::chrono::milliseconds(5);
    for (auto& c : clients) {
      if (c.busy || over) continue;
      if (spec.total_ops > 0 && sent.fetch_add(1) >= spec.total_ops) {
        over = true;
        continue;
      }
      if (spec.rate > 0 && c.next_due > now) {
        soonest = std::min(soonest, c.next_due);
        continue;
      }
      c.intended = spec.rate > 0 ? c.next_due : now;
      c.next_due += step;
      std::string frame = c.script->next_frame();
      c.socket.send(zmq::buffer(frame), zmq::send_flags::none);
      c.busy = true;
      ++busy;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - Clock::now());
    zmq::poll(items.data(), items.size(), std::max(wait, std::chrono::milliseconds(0)));
    now = Clock::now();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!(items[i].revents & ZMQ_POLLIN)) continue;
      auto& c = clients[i];
      zmq::message_t msg;
      while (c.socket.recv(msg, zmq::recv_flags::dontwait)) {
        if (!c.busy) continue;
        c.busy = false;
        --busy;
        int before = c.script->errors;
        c.script->on_reply(msg.to_string_view());
        if (c.intended >= measure_from && c.intended < end) {
          ++out.completed;
          if (c.script->errors != before) ++out.errors;
          out.us.push_back(std::chrono::duration<double, std::micro>(now - c.intended).count());
        }
      }
    }
  }
  out.unanswered = busy;
}

}  // namespace

LoadResult run_load(const LoadSpec& spec) {
  zmq::context_t ctx(2);
  std::vector<ThreadResult> results(static_cast<std::size_t>(spec.threads));
  std::vector<std::thread> threads;
  std::atomic<long> sent{0};
  auto t0 = Clock::now() + std::chrono::milliseconds(300);  // all sockets connected by then
  int per = spec.clients / spec.threads;
  for (int t = 0; t < spec.threads; ++t) {
    int first = t * per;
    int count = t == spec.threads - 1 ? spec.clients - first : per;
    threads.emplace_back([&, t, first, count] {
      drive(spec, ctx, first, count, t0, sent, results[static_cast<std::size_t>(t)]);
    });
  }
  for (auto& th : threads) th.join();
  LoadResult r;
  for (auto& tr : results) {
    r.completed += tr.completed;
    r.errors += tr.errors;
    r.unanswered += tr.unanswered;
    r.latency.us.insert(r.latency.us.end(), tr.us.begin(), tr.us.end());
  }
  r.ops_per_s = static_cast<double>(r.completed) / spec.seconds;
  return r;
}

namespace {

// Keys are dumped in order (body, id, type, v): the last "type" is the envelope's.
bool reply_ok(std::string_view frame) {
  auto pos = frame.rfind("\"type\":");
  return pos != std::string_view::npos && frame.substr(pos + 7, 4) == "\"ok\"";
}

class MixScript : public Script {
 public:
  MixScript(const core::Region& region, int client) : client_(client) {
    const auto& office = region.offices[static_cast<std::size_t>(client) % region.offices.size()];
    std::size_t k = static_cast<std::size_t>(client) / region.offices.size();
    const auto& counter = office.counters[k % office.counters.size()];
    office_ = office.id;
    counter_ = counter.id;
    service_ = counter.profile.front();
    // Transfers go to another service than the counter's own.
    for (const auto& s : region.services)
      if (region.office_offers(office_, s.id) && s.id != service_) offered_.push_back(s.id);
    if (offered_.empty()) offered_.push_back(service_);
  }

  std::string next_frame() override {
    core::Request r;
    r.id = "b" + std::to_string(client_) + "-" + std::to_string(n_++);
    switch (step_) {
      case 0:
        r.type = "ticket.issue";
        r.body = json{{"office", office_}, {"services", json::array({service_})},
                      {"language", "de"}, {"source", "kiosk"}};
        break;
      case 1: r.type = "counter.next"; r.body = json{{"counter", counter_}}; break;
      case 2: r.type = "counter.start"; r.body = json{{"counter", counter_}}; break;
      case 3:
        if (cycle_ % 10 == 9) {
          r.type = "counter.transfer";
          r.body = json{{"counter", counter_}, {"service", offered_[static_cast<std::size_t>(cycle_ / 10) % offered_.size()]}};
        } else {
          r.type = "counter.finish";
          r.body = json{{"counter", counter_}, {"outcome", "erledigt"}};
        }
        break;
      default: r.type = "status"; r.body = json{{"office", office_}}; break;
    }
    return core::encode_request(r);
  }

  void on_reply(std::string_view frame) override {
    // Only ok/error matters here: a cheap look instead of a full parse.
    bool ok = reply_ok(frame);
    bool empty_queue = !ok && frame.find("queue_empty") != std::string_view::npos;
    if (!ok && !empty_queue) ++errors;
    if (!ok) {
      step_ = 0;  // start over with a fresh ticket
      return;
    }
    if (step_ == 3) {
      ++cycle_;
      step_ = cycle_ % 5 == 0 ? 4 : 0;
    } else if (step_ == 4) {
      step_ = 0;
    } else {
      ++step_;
    }
  }

 private:
  int client_;
  std::string office_, counter_, service_;
  std::vector<std::string> offered_;
  long n_ = 0;
  int step_ = 0;
  long cycle_ = 0;
};

class IssueScript : public Script {
 public:
  IssueScript(const core::Region& region, int client) : client_(client) {
    office_ = region.offices[static_cast<std::size_t>(client) % region.offices.size()].id;
    for (const auto& s : region.services)
      if (region.office_offers(office_, s.id)) services_.push_back(s.id);
  }
  std::string next_frame() override {
    core::Request r;
    r.id = "i" + std::to_string(client_) + "-" + std::to_string(n_);
    r.type = "ticket.issue";
    r.body = json{{"office", office_},
                  {"services", json::array({services_[static_cast<std::size_t>(n_++) % services_.size()]})},
                  {"source", "kiosk"}};
    return core::encode_request(r);
  }
  void on_reply(std::string_view frame) override {
    if (!reply_ok(frame)) ++errors;
  }

 private:
  int client_;
  long n_ = 0;
  std::string office_;
  std::vector<std::string> services_;
};

class RawScript : public Script {
 public:
  explicit RawScript(int client) : payload_(200, 'x') {
    std::string tag = std::to_string(client);
    payload_.replace(0, tag.size(), tag);
  }
  std::string next_frame() override { return payload_; }
  void on_reply(std::string_view frame) override {
    if (frame != "ok") ++errors;
  }

 private:
  std::string payload_;
};

}  // namespace

std::unique_ptr<Script> mix_script(const core::Region& region, int client) {
  return std::make_unique<MixScript>(region, client);
}
std::unique_ptr<Script> issue_script(const core::Region& region, int client) {
  return std::make_unique<IssueScript>(region, client);
}
std::unique_ptr<Script> raw_script(int client) { return std::make_unique<RawScript>(client); }

RawBaseline::RawBaseline(std::string dir, std::string endpoint)
    : dir_(std::move(dir)), endpoint_(std::move(endpoint)) {
  thread_ = std::thread([this] { run(); });
  while (!ready_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (!error_.empty()) {
    thread_.join();
    throw std::runtime_error("raw baseline: " + error_);
  }
}

RawBaseline::~RawBaseline() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

void RawBaseline::run() {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  zmq::context_t ctx(1);
  zmq::socket_t router(ctx, zmq::socket_type::router);
  try {
    std::string path = dir_ + "/raw.sqlite";
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open " + path);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE IF NOT EXISTS r(id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
                 nullptr, nullptr, nullptr);
    if (sqlite3_prepare_v2(db, "INSERT INTO r(body) VALUES(?)", -1, &insert, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db));
    router.set(zmq::sockopt::sndhwm, 100000);
    router.set(zmq::sockopt::rcvhwm, 100000);
    router.set(zmq::sockopt::backlog, 1024);
    router.set(zmq::sockopt::linger, 0);
    router.bind(endpoint_);
  } catch (const std::exception& e) {
    error_ = e.what();
  }
  ready_.store(true);
  if (!error_.empty()) {
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return;
  }
  zmq::pollitem_t items[] = {{router.handle(), 0, ZMQ_POLLIN, 0}};
  std::vector<zmq::message_t> ids;
  while (!stop_.load()) {
    zmq::poll(items, 1, std::chrono::milliseconds(50));
    if (!(items[0].revents & ZMQ_POLLIN)) continue;
    ids.clear();
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (int i = 0; i < 512; ++i) {
      zmq::message_t id, body;
      if (!router.recv(id, zmq::recv_flags::dontwait)) break;
      (void)router.recv(body, zmq::recv_flags::none);
      sqlite3_bind_blob(insert, 1, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
      sqlite3_step(insert);
      sqlite3_reset(insert);
      ids.push_back(std::move(id));
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    for (auto& id : ids) {
      router.send(id, zmq::send_flags::sndmore);
      router.send(zmq::str_buffer("ok"), zmq::send_flags::dontwait);
    }
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
}

}  // namespace wm::cli::bench
