// The parts of `wartemarke bench`, each against a fresh real server in its own directory.
#include "server/cli/bench_run.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>
#include <zmq.hpp>

#include "core/client/broker_client.hpp"
#include "core/clock.hpp"
#include "server/cli/bench.hpp"

namespace wm::cli::bench {
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;
using core::json;

double secs(Steady::time_point a, Steady::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string endpoint() { return "tcp://127.0.0.1:" + std::to_string(free_port()); }

void say(const std::string& what) {
  std::cerr << "bench: " << what << std::endl;
}

// A real server of the bench county in `dir`, on free loopback ports.
struct Server {
  std::string commands = endpoint(), events = endpoint();
  std::unique_ptr<ServerProcess> proc;
  Server(const RunOptions& o, const std::string& config, const std::string& dir) {
    fs::create_directories(dir);
    proc = std::make_unique<ServerProcess>(o.bin_dir + "/wartemarke-server", config, dir + "/data",
                                           commands, events, dir + "/server.log");
  }
};

json latency_json(const Samples& s) {
  return json{{"p50_ms", s.percentile(50) / 1000}, {"p99_ms", s.percentile(99) / 1000},
              {"p999_ms", s.percentile(99.9) / 1000}, {"mean_ms", s.mean() / 1000}};
}

void open_counters(zmq::context_t& ctx, const std::string& commands, const core::Region& region) {
  core::BrokerClient c(ctx, commands);
  for (const auto& o : region.offices)
    for (const auto& k : o.counters) c.request("counter.open", json{{"counter", k.id}});
}

json throughput(const RunOptions& o, const std::string& config, const core::Region& region,
                const std::string& dir) {
  double warmup = o.quick ? 0.5 : 1, seconds = o.quick ? 2 : 6;
  LoadSpec spec;
  spec.clients = o.clients;
  spec.warmup_s = warmup;
  spec.seconds = seconds;
  LoadResult base;
  {
    fs::create_directories(dir + "/raw");
    spec.endpoint = endpoint();
    RawBaseline raw(dir + "/raw", spec.endpoint);
    spec.make_script = [](int i) { return raw_script(i); };
    say("raw baseline, closed loop");
    base = run_load(spec);
  }
  Server server(o, config, dir + "/mix");
  server.proc->start();
  zmq::context_t ctx(1);
  open_counters(ctx, server.commands, region);
  spec.endpoint = server.commands;
  spec.make_script = [&region](int i) { return mix_script(region, i); };
  say("broker, closed loop (saturation)");
  LoadResult sat = run_load(spec);
  json out{{"clients", o.clients},
           {"offices", static_cast<int>(region.offices.size())},
           {"baseline_ops", base.ops_per_s},
           {"baseline_latency", latency_json(base.latency)},
           {"broker_ops", sat.ops_per_s},
           {"broker_latency", latency_json(sat.latency)},
           {"broker_errors", sat.errors},
           {"ratio", base.ops_per_s > 0 ? sat.ops_per_s / base.ops_per_s : 0},
           {"latency", json::array()}};
  for (double rate : {500.0, 2000.0, 10000.0}) {
    say("broker, open loop at " + std::to_string(static_cast<int>(rate)) + " ops/s");
    spec.rate = rate;
    // The server's CPU per request at a fixed offered rate: unlike ops/s at saturation it
    // hardly depends on what else the machine runs, so builds can be compared on a busy one.
    double cpu0 = server.proc->cpu_ms();
    LoadResult r = run_load(spec);
    double cpu_ms = server.proc->cpu_ms() - cpu0;
    double sent = rate * (spec.warmup_s + spec.seconds);
    json l = latency_json(r.latency);
    l["server_cpu_us_per_op"] = sent > 0 ? cpu_ms * 1000.0 / sent : 0.0;
    l["offered"] = rate;
    l["achieved"] = r.ops_per_s;
    l["errors"] = r.errors;
    l["unanswered"] = r.unanswered;
    out["latency"].push_back(l);
  }
  out["tickets_in_memory_after"] = json(nullptr);
  server.proc->terminate();
  return out;
}

// From a counter's call to the ticket.called event at each of `n` subscribed displays.
json call_to_screen(const RunOptions& o, const std::string& config, const core::Region& region,
                    const std::string& dir) {
  int subscribers = 100, calls = o.quick ? 50 : 300;
  Server server(o, config, dir + "/screen");
  server.proc->start();
  zmq::context_t ctx(1);
  const auto& office = region.offices.front();
  const auto& counter = office.counters.front();
  core::BrokerClient c(ctx, server.commands);
  // The counter's calls come from one station, its other steps from a second: each stays
  // under the broker's per-connection rate limit ([security] rate_limit, 200/s by default).
  core::BrokerClient caller(ctx, server.commands), worker(ctx, server.commands);
  c.request("counter.open", json{{"counter", counter.id}});
  std::atomic<bool> stop{false};
  std::atomic<int> probes{0};
  std::vector<std::vector<Steady::time_point>> got(static_cast<std::size_t>(subscribers));
  std::vector<std::thread> threads;
  int per_thread = subscribers / 2;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      zmq::context_t sctx(1);
      std::vector<zmq::socket_t> subs;
      std::vector<zmq::pollitem_t> items;
      for (int i = 0; i < per_thread; ++i) {
        subs.emplace_back(sctx, zmq::socket_type::sub);
        subs.back().set(zmq::sockopt::linger, 0);
        subs.back().set(zmq::sockopt::rcvhwm, 100000);
        subs.back().set(zmq::sockopt::subscribe, "o/" + office.id + "/");
        subs.back().connect(server.events);
      }
      for (auto& s : subs) items.push_back({s.handle(), 0, ZMQ_POLLIN, 0});
      std::vector<bool> probed(subs.size(), false);
      while (!stop.load()) {
        zmq::poll(items.data(), items.size(), std::chrono::milliseconds(20));
        auto now = Steady::now();
        for (std::size_t i = 0; i < subs.size(); ++i) {
          if (!(items[i].revents & ZMQ_POLLIN)) continue;
          zmq::message_t topic, payload;
          while (subs[i].recv(topic, zmq::recv_flags::dontwait)) {
            (void)subs[i].recv(payload, zmq::recv_flags::none);
            std::string_view p = payload.to_string_view();
            if (!probed[i]) {
              probed[i] = true;
              ++probes;
            }
            if (p.find("\"type\":\"ticket.called\"") != std::string_view::npos)
              got[static_cast<std::size_t>(t * per_thread) + i].push_back(now);
          }
        }
      }
    });
  }
  // Slow joiners: issue tickets until every display has seen one, then measure.
  auto until = Steady::now() + std::chrono::seconds(10);
  int issued = 0;
  while (probes.load() < subscribers && Steady::now() < until) {
    c.request("ticket.issue", json{{"office", office.id}, {"services", json::array({counter.profile[0]})}});
    ++issued;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int i = issued; i < calls + 1; ++i)
    c.request("ticket.issue", json{{"office", office.id}, {"services", json::array({counter.profile[0]})}});
  std::vector<Steady::time_point> sent;
  for (int k = 0; k < calls; ++k) {
    sent.push_back(Steady::now());
    caller.request("counter.next", json{{"counter", counter.id}});
    worker.request("counter.start", json{{"counter", counter.id}});
    worker.request("counter.finish", json{{"counter", counter.id}, {"outcome", "erledigt"}});
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop.store(true);
  for (auto& t : threads) t.join();
  Samples s;
  long missing = 0;
  for (const auto& g : got)
    for (int k = 0; k < calls; ++k) {
      if (static_cast<std::size_t>(k) >= g.size()) {
        ++missing;
        continue;
      }
      s.us.push_back(std::chrono::duration<double, std::micro>(g[static_cast<std::size_t>(k)] - sent[static_cast<std::size_t>(k)]).count());
    }
  server.proc->terminate();
  return json{{"subscribers", subscribers}, {"calls", calls},
              {"deliveries", static_cast<double>(s.us.size())}, {"missing", missing},
              {"p50_ms", s.percentile(50) / 1000}, {"p99_ms", s.percentile(99) / 1000},
              {"max_ms", s.percentile(100) / 1000}};
}

double replay_seconds(const std::string& log) {
  std::smatch m;
  std::regex re(R"(events recovered in ([0-9.eE+-]+) s)");
  std::string last;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), re); it != std::sregex_iterator(); ++it)
    last = (*it)[1];
  return last.empty() ? -1 : std::atof(last.c_str());
}

json recovery(const RunOptions& o, const std::string& config,
              const std::shared_ptr<const core::Region>& region, const std::string& dir) {
  json out = json::array();
  std::vector<long> sizes = o.quick ? std::vector<long>{20000} : std::vector<long>{100000, 1000000};
  for (long n : sizes) {
    std::string d = dir + "/recovery-" + std::to_string(n);
    Server server(o, config, d);
    say("writing a journal of " + std::to_string(n) + " events");
    auto g0 = Steady::now();
    generate_journal(region, d + "/data", n);
    double gen_s = secs(g0, Steady::now());
    say("starting the server on it");
    double start_s = server.proc->start();
    server.proc->terminate();
    double replay_s = replay_seconds(server.proc->log_text());
    // The same journal without checkpoints: what recovery would cost without them.
    sqlite3* db = nullptr;
    sqlite3_open((d + "/data/journal.sqlite").c_str(), &db);
    sqlite3_exec(db, "DELETE FROM checkpoints", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    double cold_s = server.proc->start(120);
    server.proc->terminate();
    out.push_back(json{{"events", n}, {"start_s", start_s}, {"replay_s", replay_s},
                       {"cold_s", cold_s}, {"generate_s", gen_s}});
  }
  return out;
}

// 500 clients connected; the broker is killed and restarted; time until each has an answer.
json reconnect(const RunOptions& o, const std::string& config, const std::string& dir) {
  int n = 500;
  Server server(o, config, dir + "/reconnect");
  server.proc->start();
  zmq::context_t ctx(2);
  std::vector<zmq::socket_t> socks;
  std::vector<zmq::pollitem_t> items;
  for (int i = 0; i < n; ++i) {
    socks.emplace_back(ctx, zmq::socket_type::dealer);
    auto& s = socks.back();
    // As core::BrokerClient sets them.
    s.set(zmq::sockopt::linger, 0);
    s.set(zmq::sockopt::reconnect_ivl, 100);
    s.set(zmq::sockopt::reconnect_ivl_max, 2000);
    s.connect(server.commands);
  }
  for (auto& s : socks) items.push_back({s.handle(), 0, ZMQ_POLLIN, 0});
  auto request = [&](const std::string& id, const std::string& type) {
    core::Request r;
    r.id = id;
    r.type = type;
    r.body = type == "hello" ? json{{"client", "cli"}, {"name", "storm"}} : json::object();
    return core::encode_request(r);
  };
  // Every client sends, then waits for its answer; resent under the same id after 2.5 s.
  auto round = [&](const std::string& type, double limit_s) {
    std::vector<bool> done(static_cast<std::size_t>(n), false);
    std::vector<std::string> frames;
    for (int i = 0; i < n; ++i) {
      frames.push_back(request(type + std::to_string(i), type));
      socks[static_cast<std::size_t>(i)].send(zmq::buffer(frames.back()), zmq::send_flags::dontwait);
    }
    auto t0 = Steady::now(), last_send = t0;
    int left = n;
    while (left > 0 && secs(t0, Steady::now()) < limit_s) {
      zmq::poll(items.data(), items.size(), std::chrono::milliseconds(10));
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (!(items[i].revents & ZMQ_POLLIN)) continue;
        zmq::message_t m;
        while (socks[i].recv(m, zmq::recv_flags::dontwait))
          if (!done[i]) done[i] = true, --left;
      }
      if (secs(last_send, Steady::now()) > 2.5) {
        for (std::size_t i = 0; i < done.size(); ++i)
          if (!done[i]) socks[i].send(zmq::buffer(frames[i]), zmq::send_flags::dontwait);
        last_send = Steady::now();
      }
    }
    return std::make_pair(left, Steady::now());
  };
  round("hello", 10);
  server.proc->kill9();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto t0 = Steady::now();
  double ready_s = 0;
  std::thread starter([&] { ready_s = server.proc->start(); });
  auto [left, end] = round("ping", 30);
  starter.join();
  server.proc->terminate();
  double all = secs(t0, end);
  return json{{"clients", n}, {"unserved", left}, {"all_served_s", all}, {"ready_s", ready_s},
              {"after_ready_s", std::max(0.0, all - ready_s)}};
}

json memory(const RunOptions& o, const std::string& config, const core::Region& region,
            const std::string& dir) {
  long tickets = o.quick ? 10000 : 100000;
  Server server(o, config, dir + "/memory");
  server.proc->start();
  long idle_kb = server.proc->rss_kb();
  zmq::context_t ctx(1);
  open_counters(ctx, server.commands, region);
  LoadSpec spec;
  spec.endpoint = server.commands;
  spec.clients = o.clients;
  spec.warmup_s = 0;
  spec.seconds = 600;
  spec.total_ops = tickets;
  spec.make_script = [&region](int i) { return issue_script(region, i); };
  say("issuing " + std::to_string(tickets) + " tickets");
  auto t0 = Steady::now();
  LoadResult r = run_load(spec);
  double took = secs(t0, Steady::now());
  long kb = server.proc->rss_kb();
  server.proc->terminate();
  return json{{"active_tickets", r.completed - r.errors}, {"rss_mb", kb / 1024.0},
              {"idle_rss_mb", idle_kb / 1024.0}, {"issue_s", took}, {"errors", r.errors},
              {"issue_p99_ms", r.latency.percentile(99) / 1000}};
}

json screens(const RunOptions& o, const std::string& config, const core::Region& region,
             const std::string& dir) {
  for (const char* name : {"wartemarke-kiosk", "wartemarke-display"})
    if (!fs::exists(o.bin_dir + "/" + name))
      return json{{"status", "n/a: " + std::string(name) + " not built next to wartemarke"}};
  // Against a live server with open counters and a queue, as in an office.
  Server server(o, config, dir + "/screens");
  server.proc->start();
  zmq::context_t ctx(1);
  open_counters(ctx, server.commands, region);
  core::BrokerClient c(ctx, server.commands);
  const auto& office = region.offices.front();
  for (int i = 0; i < 12; ++i)
    c.request("ticket.issue", json{{"office", office.id},
                                   {"services", json::array({office.counters[static_cast<std::size_t>(i) % office.counters.size()].profile[0]})}});
  json out = measure_screens(o.bin_dir, o.quick, config, server.commands, server.events,
                             dir + "/screens");
  server.proc->terminate();
  return out;
}

json prediction(const RunOptions& o, const std::shared_ptr<const core::Region>& region) {
  PredictionResult sum;
  int days = o.quick ? 2 : 10;
  for (int d = 0; d < days; ++d) {
    PredictionResult r = predict_day(region, 1000u + static_cast<unsigned>(d), 0.9);
    double n = static_cast<double>(r.tickets);
    sum.mae_estimate_min += r.mae_estimate_min * n;
    sum.mae_naive_min += r.mae_naive_min * n;
    sum.mean_wait_min += r.mean_wait_min * n;
    sum.tickets += r.tickets;
  }
  double n = std::max(1.0, static_cast<double>(sum.tickets));
  double est = sum.mae_estimate_min / n, naive = sum.mae_naive_min / n;
  return json{{"county", region->id}, {"days", days}, {"tickets", sum.tickets},
              {"mae_estimate_min", est}, {"mae_naive_min", naive},
              {"mean_wait_min", sum.mean_wait_min / n}, {"ratio", naive > 0 ? est / naive : 0}};
}

bool wanted(const RunOptions& o, const std::string& part) {
  return o.only.empty() || ("," + o.only + ",").find("," + part + ",") != std::string::npos;
}

json target(const std::string& name, const std::string& value, std::optional<bool> reached) {
  return json{{"name", name}, {"value", value}, {"reached", reached ? json(*reached) : json(nullptr)}};
}

std::string f2(double v, const char* unit) {
  char b[64];
  std::snprintf(b, sizeof b, "%.2f%s", v, unit);
  return b;
}

}  // namespace

json run_all(const RunOptions& o) {
  std::string dir = o.keep_dir;
  bool remove = dir.empty();
  if (remove) {
    char tmpl[] = "/tmp/wartemarke-bench-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("cannot create a temporary directory");
    dir = tmpl;
  }
  fs::create_directories(dir);
  std::string config = write_county(dir, o.offices, 10);
  auto region = std::make_shared<const core::Region>(core::load_config(config));
  core::use_time_zone(region->policy.timezone);

  std::time_t now = std::time(nullptr);
  char date[64];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  json r{{"mode", o.quick ? "quick" : "full"},
         {"date", date},
         {"machine", json{{"nproc", static_cast<int>(std::thread::hardware_concurrency())},
                          {"cpu", cpu_model()}}},
         {"throughput", json{{"clients", o.clients}, {"offices", o.offices}, {"baseline_ops", 0.0},
                             {"broker_ops", 0.0}, {"ratio", 0.0}, {"latency", json::array()}}},
         {"call_to_screen", json{{"subscribers", 0}, {"calls", 0}, {"deliveries", 0.0},
                                 {"p50_ms", 0.0}, {"p99_ms", 0.0}}},
         {"recovery", json::array()},
         {"reconnect", json{{"clients", 0}, {"all_served_s", 0.0}, {"after_ready_s", 0.0}}},
         {"memory", json{{"active_tickets", 0}, {"rss_mb", 0.0}, {"idle_rss_mb", 0.0}}},
         {"prediction", json{{"tickets", 0}, {"mean_wait_min", 0.0}, {"mae_estimate_min", 0.0},
                             {"mae_naive_min", 0.0}, {"ratio", 0.0}}}};
  try {
    if (wanted(o, "throughput")) r["throughput"] = throughput(o, config, *region, dir);
    if (wanted(o, "screen")) r["call_to_screen"] = call_to_screen(o, config, *region, dir);
    if (wanted(o, "recovery")) r["recovery"] = recovery(o, config, region, dir);
    if (wanted(o, "reconnect")) r["reconnect"] = reconnect(o, config, dir);
    if (wanted(o, "memory")) r["memory"] = memory(o, config, *region, dir);
    if (wanted(o, "prediction"))
      r["prediction"] = prediction(o, o.prediction_region ? o.prediction_region : region);
    r["screens"] = wanted(o, "screens") ? screens(o, config, *region, dir)
                                        : json{{"status", "n/a: not run"}};
  } catch (...) {
    if (remove) fs::remove_all(dir);
    throw;
  }
  if (remove) fs::remove_all(dir);
  r["parts"] = json::array();
  for (const char* p : {"throughput", "screen", "recovery", "reconnect", "memory", "prediction", "screens"})
    if (wanted(o, p)) r["parts"].push_back(p);

  json targets = json::array();
  auto part = [&](const std::string& p) { return wanted(o, p); };
  // A part left out with --only shows "not run", not its zeros.
  auto shown = [&](const std::string& p, std::string value) {
    return part(p) ? value : std::string("not run");
  };
  const json& t = r["throughput"];
  std::optional<bool> none;
  targets.push_back(target("durable mixed >= 0.5 x raw baseline", shown("throughput", f2(t["ratio"], " x")),
                           part("throughput") ? std::optional<bool>(t["ratio"].get<double>() >= 0.5) : none));
  double p99_2000 = -1;
  for (const auto& l : t["latency"])
    if (l["offered"].get<double>() == 2000) p99_2000 = l["p99_ms"];
  targets.push_back(target("p99 <= 5 ms at 2,000 ops/s", shown("throughput", f2(p99_2000, " ms")),
                           p99_2000 >= 0 ? std::optional<bool>(p99_2000 <= 5) : none));
  const json& c = r["call_to_screen"];
  targets.push_back(target("call -> 100 displays p99 <= 10 ms", shown("screen", f2(c["p99_ms"], " ms")),
                           part("screen") ? std::optional<bool>(c["p99_ms"].get<double>() <= 10) : none));
  std::optional<bool> rec;
  std::string rec_value = part("recovery") ? "not run (quick mode has no 1M journal)" : "not run";
  for (const auto& x : r["recovery"])
    if (x["events"].get<long>() >= 1000000) {
      rec = x["start_s"].get<double>() <= 2;
      rec_value = f2(x["start_s"], " s");
    }
  targets.push_back(target("recovery of 1M events <= 2 s", rec_value, rec));
  const json& s = r["reconnect"];
  targets.push_back(target("500-client reconnect <= 1 s", shown("reconnect", f2(s["all_served_s"], " s")),
                           part("reconnect") ? std::optional<bool>(s["all_served_s"].get<double>() <= 1 &&
                                                                   s.value("unserved", 0) == 0)
                                             : none));
  const json& m = r["memory"];
  bool full_memory = m["active_tickets"].get<long>() >= 100000;
  targets.push_back(target("broker <= 200 MB at 100k tickets", shown("memory", f2(m["rss_mb"], " MB")),
                           part("memory") && full_memory ? std::optional<bool>(m["rss_mb"].get<double>() <= 200) : none));
  const json& sc = r["screens"];
  if (sc.contains("kiosk"))
    targets.push_back(target("idle kiosk <= 1 % CPU", f2(sc["kiosk"]["cpu_percent"], " %"),
                             sc["kiosk"]["cpu_percent"].get<double>() <= 1));
  else
    targets.push_back(target("idle kiosk <= 1 % CPU", sc["status"], none));
  const json& p = r["prediction"];
  targets.push_back(target("prediction error <= 0.6 x naive", shown("prediction", f2(p["ratio"], " x")),
                           part("prediction") ? std::optional<bool>(p["ratio"].get<double>() <= 0.6) : none));
  r["targets"] = targets;
  return r;
}

}  // namespace wm::cli::bench
