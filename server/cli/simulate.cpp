// wartemarke simulate: a realistic office day (arrivals, counters at work) against a live broker.
#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <queue>
#include <random>
#include <thread>

#include "core/clock.hpp"
#include "server/cli/cli.hpp"

namespace wm::cli {
namespace {


using core::Millis;
constexpr Millis kMinute = 60000;

enum class Step { arrive, next, start, finish, recall, no_show, return_parked };

struct Action {
  Millis at;
  Step step;
  std::string who;  // office (arrive) or counter
  std::string ticket;
  bool operator>(const Action& o) const { return at > o.at; }
};

struct Stats {
  int issued = 0, called = 0, done = 0, forwarded = 0, no_show = 0, transferred = 0, parked = 0,
      errors = 0, ops = 0;
  int turned_away = 0;  // arrived outside the hours or past the service's last ticket
  double wait_sum_min = 0;
  double wait_max_min = 0;
  int waits = 0;
};

class Simulation {
 public:
  Simulation(Context& ctx, std::vector<std::string> offices, int visitors, std::string until,
             unsigned seed, bool quiet, std::vector<std::string> human_counters)
      : ctx_(ctx), client_(ctx.client()), offices_(std::move(offices)), visitors_(visitors),
        until_text_(std::move(until)), rng_(seed), quiet_(quiet),
        human_counters_(std::move(human_counters)) {}

  int run() {
    json hello = client_.request("hello", json{{"client", "cli"}, {"name", "simulate"}});
    speed_ = hello.value("clock_speed", 1.0);
    sim_start_ = hello["time"].get<Millis>();
    real_start_ = std::chrono::steady_clock::now();
    auto until = core::local_time_of(core::local_day(sim_start_), until_text_);
    if (!until || *until <= sim_start_) {
      std::cerr << "simulate: the broker's clock is at " << core::local_hhmm(sim_start_)
                << ", after --until " << until_text_ << "; start the server with --clock-start\n";
      return 2;
    }
    until_ = *until;
    if (speed_ < 2)
      std::cerr << "simulate: the broker runs in real time (clock speed " << speed_
                << "); the day takes as long as a real one. Start the server with "
                   "--clock-start/--clock-speed for a fast demo.\n";
    const core::Region& region = ctx_.region();
    if (offices_.empty())
      for (const auto& o : region.offices) offices_.push_back(o.id);
    for (const auto& id : offices_) {
      const core::Office* o = region.find_office(id);
      if (!o) throw std::runtime_error("unknown office '" + id + "'");
      for (const auto& c : o->counters) {
        // Counters worked by people in the demo are left alone.
        if (std::find(human_counters_.begin(), human_counters_.end(), c.id) != human_counters_.end())
          continue;
        op("counter.open", json{{"counter", c.id}});
        schedule(sim_start_ + jitter(2 * kMinute), Step::next, c.id);
      }
      plan_arrivals(*o);
    }
    std::printf("simulate: %zu office(s), ~%d visitors each, %s -> %s (clock x%.0f)\n",
                offices_.size(), visitors_, core::local_hhmm(sim_start_).c_str(),
                until_text_.c_str(), speed_);
    auto last_print = std::chrono::steady_clock::now();
    while (!stop_requested() && !queue_.empty()) {
      Action a = queue_.top();
      Millis now = sim_now();
      if (a.at > now) {
        auto real_ms = static_cast<long>((a.at - now) / speed_);
        std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp(real_ms, 1L, 200L)));
      } else {
        queue_.pop();
        perform(a);
      }
      if (std::chrono::steady_clock::now() - last_print > std::chrono::seconds(2)) {
        print_line();
        last_print = std::chrono::steady_clock::now();
      }
    }
    print_line();
    double real_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - real_start_).count();
    std::printf(
        "simulate: done. issued %d, served %d (forwarded %d), no-shows %d, transfers %d, parked %d; "
        "mean wait %.1f min, longest %.0f min; %d requests in %.1f s = %.0f req/s, %.1f tickets/s; "
        "%d refused, %d turned away by the opening hours\n",
        stats_.issued, stats_.done + stats_.forwarded, stats_.forwarded, stats_.no_show,
        stats_.transferred, stats_.parked, stats_.waits ? stats_.wait_sum_min / stats_.waits : 0.0,
        stats_.wait_max_min, stats_.ops, real_s, stats_.ops / std::max(real_s, 1e-9),
        stats_.issued / std::max(real_s, 1e-9), stats_.errors, stats_.turned_away);
    // The end of day (closing time + grace): visitors the counters did not reach are closed.
    auto st = client_.call("status", json::object(), std::chrono::seconds(5));
    if (st.ok) {
      int closed = 0;
      std::string days;
      for (const auto& o : st.body["offices"])
        if (std::find(offices_.begin(), offices_.end(), o.value("id", "")) != offices_.end()) {
          closed += o.value("closed_today", 0);
          if (!o.value("day_closed", std::string()).empty()) days += " " + o.value("id", "");
        }
      std::printf("simulate: %d ticket(s) closed at the end of the day; day closed for:%s\n", closed,
                  days.empty() ? " none yet" : days.c_str());
    }
    return 0;
  }

 private:
  Millis sim_now() const {
    auto real = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - real_start_).count();
    return sim_start_ + static_cast<Millis>(real * speed_);
  }

  Millis jitter(Millis max) { return std::uniform_int_distribution<Millis>(0, max)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<>(0, 1)(rng_) < p; }
  void schedule(Millis at, Step s, std::string who, std::string ticket = {}) {
    queue_.push(Action{at, s, std::move(who), std::move(ticket)});
  }

  // Arrivals peak mid-morning and again in the afternoon, as reported for Bürgerämter.
  void plan_arrivals(const core::Office& o) {
    double day_min = static_cast<double>(until_ - sim_start_) / kMinute;
    int n = std::max(1, static_cast<int>(visitors_ * std::min(1.0, day_min / 600.0)));
    Millis base = core::local_time_of(core::local_day(sim_start_), "00:00").value_or(sim_start_);
    std::normal_distribution<> morning(10.5 * 60, 70), afternoon(15.5 * 60, 60);
    for (int i = 0; i < n; ++i) {
      double minute = chance(0.65) ? morning(rng_) : afternoon(rng_);
      Millis at = base + static_cast<Millis>(minute * kMinute);
      if (at < sim_start_ || at > until_ - 30 * kMinute) at = sim_start_ + jitter(until_ - 30 * kMinute - sim_start_);
      schedule(at, Step::arrive, o.id);
    }
  }

  std::optional<json> op(const std::string& type, const json& body) {
    ++stats_.ops;
    auto r = client_.call(type, body, std::chrono::seconds(10));
    if (!r.ok) {
      // The office's hours at work (core/office_hours.hpp): the visitor goes home, no error.
      if (r.error == core::ErrorCode::office_closed || r.error == core::ErrorCode::last_ticket_passed) {
        ++stats_.turned_away;
        return std::nullopt;
      }
      if (r.error != core::ErrorCode::queue_empty) {
        ++stats_.errors;
        if (!quiet_) std::cerr << "simulate: " << type << ": " << r.message << "\n";
      }
      return std::nullopt;
    }
    return r.body;
  }

  std::vector<std::string> offered(const std::string& office) {
    std::vector<std::string> out;
    for (const auto& s : ctx_.region().services)
      if (ctx_.region().office_offers(office, s.id)) out.push_back(s.id);
    return out;
  }

  // Demand follows staffing: a service's share of visitors is proportional to how strongly the
  // office's counters are set up for it (profile position 1 counts most).
  std::string pick_service(const std::string& office, const std::vector<std::string>& services) {
    std::vector<double> weights;
    const core::Office* o = ctx_.region().find_office(office);
    for (const auto& sv : services) {
      double w = 0;
      for (const auto& c : o->counters)
        for (std::size_t i = 0; i < c.profile.size(); ++i)
          if (c.profile[i] == sv) w += 1.0 / static_cast<double>(i + 1);
      const core::Service* s = ctx_.region().find_service(sv);
      weights.push_back(w * 12.0 / std::max(1, s ? s->expected_minutes : 12));
    }
    std::discrete_distribution<std::size_t> d(weights.begin(), weights.end());
    return services[d(rng_)];
  }

  Millis service_duration(const std::string& service) {
    const core::Service* s = ctx_.region().find_service(service);
    double mean = s ? s->expected_minutes : 12;
    // Log-normal with the configured mean: most visits are quick, some take much longer.
    double sigma = 0.5, mu = std::log(mean) - sigma * sigma / 2;
    double minutes = std::lognormal_distribution<>(mu, sigma)(rng_);
    return static_cast<Millis>(std::clamp(minutes, 1.0, mean * 4) * kMinute);
  }

  void perform(const Action& a) {
    Millis now = sim_now();
    switch (a.step) {
      case Step::arrive: {
        auto services = offered(a.who);
        if (services.empty()) return;
        std::string first = pick_service(a.who, services);
        json list = json::array({first});
        std::string second = pick_service(a.who, services);
        if (second != first && chance(0.1)) list.push_back(second);
        static const char* langs[] = {"de", "de", "de", "de", "de", "de", "en", "pl", "cs", "uk", "ru", "tr"};
        json body{{"office", a.who}, {"services", list},
                  {"language", langs[std::uniform_int_distribution<>(0, 11)(rng_)]},
                  {"source", "kiosk"}};
        if (chance(0.05)) body["priority"] = "priority_needs";
        if (op("ticket.issue", body)) ++stats_.issued;
        break;
      }
      case Step::next: {
        if (now > until_ + 120 * kMinute) return;  // counters go home
        auto r = op("counter.next", json{{"counter", a.who}});
        if (!r) {
          if (now < until_ || has_waiting()) schedule(now + kMinute, Step::next, a.who);
          return;
        }
        ++stats_.called;
        const json& t = (*r)["ticket"];
        double waited = static_cast<double>(now - t.value("queued_since", now)) / kMinute;
        stats_.wait_sum_min += waited;
        stats_.wait_max_min = std::max(stats_.wait_max_min, waited);
        ++stats_.waits;
        if (chance(0.06))
          schedule(now + 2 * kMinute, Step::recall, a.who);
        else
          schedule(now + kMinute / 2 + jitter(kMinute), Step::start, a.who);
        break;
      }
      case Step::recall: {
        auto r = op("counter.recall", json{{"counter", a.who}});
        if (r && r->value("no_show", false)) {
          ++stats_.no_show;
          schedule(now + kMinute / 4, Step::next, a.who);
        } else if (chance(0.5)) {
          schedule(now + 2 * kMinute, Step::no_show, a.who);
        } else {
          schedule(now + kMinute / 2, Step::start, a.who);
        }
        break;
      }
      case Step::no_show:
        if (op("counter.no_show", json{{"counter", a.who}})) ++stats_.no_show;
        schedule(now + kMinute / 4, Step::next, a.who);
        break;
      case Step::start: {
        auto r = op("counter.start", json{{"counter", a.who}});
        std::string service = r ? current_service(a.who) : "";
        schedule(now + service_duration(service), Step::finish, a.who);
        break;
      }
      case Step::finish: {
        double x = std::uniform_real_distribution<>(0, 1)(rng_);
        std::string office = ctx_.region().office_of_counter(a.who)->id;
        if (x < 0.02) {
          auto r = op("counter.park", json{{"counter", a.who}, {"reason", "Kennzeichen holen"}});
          if (r) {
            ++stats_.parked;
            schedule(now + 20 * kMinute + jitter(20 * kMinute), Step::return_parked, office,
                     (*r)["ticket"]);
          }
        } else if (x < 0.05) {
          auto services = offered(office);
          if (op("counter.transfer", json{{"counter", a.who}, {"service", services[jitter(services.size() - 1)]}}))
            ++stats_.transferred;
        } else {
          // Counter staff forward only what has a back-office unit (F8 is greyed otherwise).
          bool forward = x < 0.13 && ctx_.region().forwardable(current_service(a.who));
          if (op("counter.finish", json{{"counter", a.who}, {"outcome", "erledigt"},
                                        {"forward", forward},
                                        {"notes", forward ? "Unterlagen vollständig" : ""}}))
            ++(forward ? stats_.forwarded : stats_.done);
          if (current_service(a.who) != "") {  // a second concern at the same counter
            schedule(now + service_duration(current_service(a.who)), Step::finish, a.who);
            return;
          }
        }
        schedule(now + kMinute / 4 + jitter(kMinute), Step::next, a.who);
        break;
      }
      case Step::return_parked:
        op("ticket.return", json{{"ticket", a.ticket}});
        break;
    }
  }

  bool has_waiting() {
    auto r = op("status", json::object());
    if (!r) return false;
    for (const auto& o : (*r)["offices"])
      if (o["waiting"].get<int>() > 0) return true;
    return false;
  }

  std::string current_service(const std::string& counter) {
    auto r = op("snapshot", json{{"office", ctx_.region().office_of_counter(counter)->id}});
    if (!r) return {};
    std::string ticket;
    for (const auto& c : (*r)["counters"])
      if (c["id"] == counter) ticket = c.value("ticket", "");
    if (ticket.empty()) return {};
    for (const auto& t : (*r)["tickets"])
      if (t["id"] == ticket && t["state"] == "serving")
        return t["services"][t["current"].get<std::size_t>()];
    return {};
  }

  void print_line() {
    if (quiet_) return;
    auto r = client_.call("status", json::object(), std::chrono::seconds(5));
    int waiting = 0, busy = 0;
    if (r.ok)
      for (const auto& o : r.body["offices"]) {
        waiting += o["waiting"].get<int>();
        busy += o["counters_busy"].get<int>();
      }
    std::printf("%s  issued %4d  waiting %3d  at counters %3d  served %4d  no-show %3d  mean wait %4.1f min\n",
                core::local_hhmm(sim_now()).c_str(), stats_.issued, waiting, busy,
                stats_.done + stats_.forwarded, stats_.no_show,
                stats_.waits ? stats_.wait_sum_min / stats_.waits : 0.0);
    std::fflush(stdout);
  }

  Context& ctx_;
  core::BrokerClient client_;
  std::vector<std::string> offices_;
  int visitors_;
  std::string until_text_;
  std::mt19937_64 rng_;
  bool quiet_;
  std::vector<std::string> human_counters_;
  double speed_ = 1;
  Millis sim_start_ = 0, until_ = 0;
  std::chrono::steady_clock::time_point real_start_;
  std::priority_queue<Action, std::vector<Action>, std::greater<>> queue_;
  Stats stats_;
};

}  // namespace

void add_simulate_command(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("simulate", "simulate an office day against a running broker");
  auto offices = std::make_shared<std::vector<std::string>>();
  auto visitors = std::make_shared<int>(140);
  auto until = std::make_shared<std::string>("18:00");
  auto seed = std::make_shared<unsigned>(42);
  auto quiet = std::make_shared<bool>(false);
  auto humans = std::make_shared<std::vector<std::string>>();
  cmd->add_option("-o,--office", *offices, "office id (repeatable; default all)");
  cmd->add_option("--leave-counter", *humans, "counter the simulation leaves to a person (repeatable)");
  cmd->add_option("--visitors", *visitors, "visitors per office over a full day");
  cmd->add_option("--until", *until, "local time the simulated day ends (HH:MM)");
  cmd->add_option("--seed", *seed, "random seed");
  cmd->add_flag("-q,--quiet", *quiet, "only the final summary");
  cmd->callback([&ctx, &exit_code, offices, visitors, until, seed, quiet, humans] {
    install_stop_handler();
    Simulation sim(ctx, *offices, *visitors, *until, *seed, *quiet, *humans);
    exit_code = sim.run();
  });
}

}  // namespace wm::cli
