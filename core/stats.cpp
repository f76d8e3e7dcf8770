// Day statistics from a State: one pass over the day's tickets and their histories.
#include "core/stats.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/clock.hpp"
#include "core/estimate.hpp"
#include "core/queries.hpp"

namespace wm::core {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Figures, arrivals, waiting, serving, served,
                                                forwarded, no_shows, cancelled, closed, waits,
                                                within_target, wait_sum_ms, max_wait_ms,
                                                longest_waiting_ms, services, service_sum_ms)

namespace {

int bucket_of(Millis t) {
  return std::clamp(local_minute_of_day(t) / kBucketMinutes, 0, kBuckets - 1);
}

void add(Figures& into, const Figures& f) {
  into.arrivals += f.arrivals;
  into.waiting += f.waiting;
  into.serving += f.serving;
  into.served += f.served;
  into.forwarded += f.forwarded;
  into.no_shows += f.no_shows;
  into.cancelled += f.cancelled;
  into.closed += f.closed;
  into.waits += f.waits;
  into.within_target += f.within_target;
  into.wait_sum_ms += f.wait_sum_ms;
  into.max_wait_ms = std::max(into.max_wait_ms, f.max_wait_ms);
  into.longest_waiting_ms = std::max(into.longest_waiting_ms, f.longest_waiting_ms);
  into.services += f.services;
  into.service_sum_ms += f.service_sum_ms;
}

std::string seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", ms / 1000.0);
  return buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The columns every level shares, so a spreadsheet can stack the files.
const char* kFigureHeader =
    "arrivals,served,forwarded,no_shows,cancelled,waiting,called,within_target,"
    "within_target_pct,mean_wait_s,max_wait_s,mean_service_s,closed";

std::string figure_columns(const Figures& f) {
  std::string pct;
  if (auto s = f.within_target_share()) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", *s * 100.0);
    pct = buf;
  }
  return std::to_string(f.arrivals) + "," + std::to_string(f.served) + "," +
         std::to_string(f.forwarded) + "," + std::to_string(f.no_shows) + "," +
         std::to_string(f.cancelled) + "," + std::to_string(f.waiting) + "," +
         std::to_string(f.waits) + "," + std::to_string(f.within_target) + "," + pct + "," +
         seconds(f.mean_wait_ms()) + "," + seconds(double(f.max_wait_ms)) + "," +
         seconds(f.mean_service_ms()) + "," + std::to_string(f.closed);
}

}  // namespace

void add_figures(Figures& into, const Figures& f) { add(into, f); }

std::optional<double> Figures::within_target_share() const {
  if (!waits) return std::nullopt;
  return double(within_target) / waits;
}

std::string_view to_string(Light l) {
  switch (l) {
    case Light::green: return "green";
    case Light::yellow: return "yellow";
    case Light::red: return "red";
  }
  return "green";
}

Light light_for(const Figures& f, int target_minutes) {
  const Millis target = Millis(std::max(1, target_minutes)) * 60000;
  if (over_target(f.longest_waiting_ms, target_minutes)) return Light::red;
  auto share = f.within_target_share();
  if (f.longest_waiting_ms * 4 > target * 3 || (share && *share < 0.8)) return Light::yellow;
  return Light::green;
}

const OfficeStats* DayStats::office(const std::string& id) const {
  for (const auto& o : offices)
    if (o.office == id) return &o;
  return nullptr;
}

DayStats compute_day_stats(const State& state, const std::string& day, Millis now,
                           const std::string& office_filter) {
  const Region& region = state.region();
  DayStats out;
  out.day = day;
  out.now = now;
  const bool today = local_day(now) == day;
  const Millis midnight = local_time_of(day, "00:00").value_or(0);
  for (const auto& office : region.offices) {
    if (!office_filter.empty() && office.id != office_filter) continue;
    OfficeStats os;
    os.office = office.id;
    os.name = office.name;
    if (today) os.buckets_until = bucket_of(now) + 1;
    else if (day > local_day(now)) os.buckets_until = 0;

    std::map<std::string, ServiceStats> services;
    std::map<std::string, CounterStats> counters;
    for (const auto& c : office.counters) {
      CounterStats cs;
      cs.counter = c.id;
      cs.name = c.name;
      counters[c.id] = cs;
    }
    auto service_of = [&](const std::string& id) -> ServiceStats& {
      auto& s = services[id];
      if (s.service.empty()) {
        s.service = id;
        if (const Service* sv = region.find_service(id)) s.target_minutes = sv->wait_target_minutes;
      }
      return s;
    };
    auto target_minutes = [&](const std::string& id) {
      const Service* sv = region.find_service(id);
      return sv ? sv->wait_target_minutes : 30;
    };

    for (const Ticket* t : state.tickets_of(office.id)) {
      if (t->day != day || t->services.empty()) continue;
      // Arrival, wait and its outcome belong to the concern the visitor came for.
      const std::string& first = t->services.front();
      Figures& sf = service_of(first).f;
      Figures tf;
      tf.arrivals = 1;
      os.arrivals[bucket_of(t->issued_at)]++;
      Millis wait_end = t->first_called_at;
      if (wait_end) {
        Millis w = std::max<Millis>(0, wait_end - t->issued_at);
        tf.waits = 1;
        tf.wait_sum_ms = w;
        tf.max_wait_ms = w;
        tf.within_target = over_target(w, target_minutes(first)) ? 0 : 1;
      } else if (today && (t->state == TicketState::waiting || t->state == TicketState::parked)) {
        // Still waiting counts as a wait so far; on a day that is over, an uncalled visitor
        // went home, and "waited until midnight" would be a false figure.
        tf.max_wait_ms = std::max<Millis>(0, now - t->issued_at);
      }
      if (t->state == TicketState::no_show) tf.no_shows = 1;
      if (t->state == TicketState::cancelled) tf.cancelled = 1;
      if (t->state == TicketState::closed) tf.closed = 1;  // not served: the day ended first
      add(sf, tf);
      // Live figures belong to the concern being waited for or served now.
      if (t->state == TicketState::waiting) {
        Figures& cur = service_of(t->service()).f;
        Millis w = std::max<Millis>(0, now - t->queued_since);
        cur.waiting++;
        if (today) cur.longest_waiting_ms = std::max(cur.longest_waiting_ms, w);
      } else if (t->state == TicketState::called || t->state == TicketState::serving) {
        service_of(t->service()).f.serving++;
      }
      // Each finish in the history is one served concern, at its counter; the k-th finish
      // served the k-th concern (transfers rewrite the concern in place).
      Millis serving_since = 0;
      std::size_t finishes = 0;
      for (const auto& h : t->history) {
        if (h.what == "serving") serving_since = h.time;
        if (h.what != "finished" && h.what != "forwarded") {
          if (h.what == "transferred" || h.what == "parked") serving_since = 0;
          continue;
        }
        const std::string& sid = t->services[std::min(finishes, t->services.size() - 1)];
        ++finishes;
        Figures ff;
        ff.served = 1;
        ff.forwarded = h.what == "forwarded" ? 1 : 0;
        if (serving_since && h.time >= serving_since) {
          ff.services = 1;
          ff.service_sum_ms = h.time - serving_since;
        }
        serving_since = 0;
        os.served[bucket_of(h.time)]++;
        add(service_of(sid).f, ff);
        if (auto it = counters.find(h.counter); it != counters.end()) add(it->second.f, ff);
      }
      // Waiting count over the day: the ticket waits from issue to first call or its end.
      Millis until = wait_end ? wait_end
                              : (t->finished_at ? t->finished_at : now);
      for (int b = 0; b < os.buckets_until; ++b) {
        Millis end = midnight + Millis(b + 1) * kBucketMinutes * 60000;
        if (t->issued_at <= end && until > end) os.waiting[b]++;
      }
    }

    for (const auto& [id, s] : services) {
      (void)id;
      add(os.f, s.f);
    }
    // The current bucket has not ended: its point is the count waiting now (as on the tiles),
    // not a count at its future end, which would read as a false drop to zero.
    if (today && os.buckets_until > 0) os.waiting[os.buckets_until - 1] = os.f.waiting;
    // Arrival-side figures were added once per ticket and served ones once per finish, so
    // the office sum is the sum of its services.
    for (const auto& c : office.counters) {
      CounterStats& cs = counters[c.id];
      if (const CounterRuntime* rt = state.counter(c.id)) {
        cs.state = rt->state;
        cs.staff = rt->staff;
        cs.since = rt->since;
        if (rt->state != CounterState::closed) os.counters_open++;
        if (rt->state == CounterState::paused) os.counters_paused++;
        if (!rt->ticket.empty()) {
          if (const Ticket* t = state.ticket(rt->ticket)) {
            cs.ticket_number = t->number;
            cs.ticket_state = std::string(to_string(t->state));
            cs.since = t->state == TicketState::serving ? t->serving_since : t->called_at;
            os.counters_serving++;
          }
        }
      }
      os.counters.push_back(cs);
    }
    Light worst = Light::green;
    for (const auto& sv : region.services) {
      bool offered = region.office_offers(office.id, sv.id);
      auto it = services.find(sv.id);
      if (!offered && it == services.end()) continue;
      ServiceStats s = it != services.end() ? it->second : service_of(sv.id);
      if (today && offered) s.estimate_ms = estimate_new(state, office.id, sv.id, now);
      s.light = light_for(s.f, s.target_minutes);
      worst = std::max(worst, s.light);
      os.services.push_back(std::move(s));
    }
    os.light = worst;
    add(out.total, os.f);
    out.offices.push_back(std::move(os));
  }
  return out;
}

json to_json(const DayStats& s) {
  json offices = json::array();
  for (const auto& o : s.offices) {
    json services = json::array();
    for (const auto& sv : o.services) {
      json j{{"service", sv.service}, {"target_minutes", sv.target_minutes}, {"f", sv.f},
             {"light", to_string(sv.light)}};
      if (sv.estimate_ms) j["estimate_ms"] = *sv.estimate_ms;
      services.push_back(std::move(j));
    }
    json counters = json::array();
    for (const auto& c : o.counters)
      counters.push_back(json{{"counter", c.counter}, {"name", c.name},
                              {"state", to_string(c.state)}, {"staff", c.staff},
                              {"ticket_number", c.ticket_number}, {"ticket_state", c.ticket_state},
                              {"since", c.since}, {"f", c.f}});
    offices.push_back(json{{"office", o.office}, {"name", o.name}, {"f", o.f},
                           {"counters_open", o.counters_open},
                           {"counters_paused", o.counters_paused},
                           {"counters_serving", o.counters_serving},
                           {"light", to_string(o.light)}, {"services", services},
                           {"counters", counters}, {"arrivals", o.arrivals},
                           {"served", o.served}, {"waiting", o.waiting},
                           {"buckets_until", o.buckets_until}});
  }
  return json{{"day", s.day}, {"now", s.now}, {"total", s.total}, {"offices", offices}};
}

namespace {
Light light_from(const std::string& s) {
  return s == "red" ? Light::red : s == "yellow" ? Light::yellow : Light::green;
}
template <class A>
void buckets_from(const json& j, A& a) {
  for (std::size_t i = 0; i < a.size() && i < j.size(); ++i) a[i] = j[i].get<int>();
}
}  // namespace

DayStats day_stats_from_json(const json& j) {
  DayStats s;
  s.day = j.value("day", "");
  s.now = j.value("now", Millis{0});
  s.total = j.value("total", Figures{});
  for (const auto& oj : j.value("offices", json::array())) {
    OfficeStats o;
    o.office = oj.value("office", "");
    o.name = oj.value("name", "");
    o.f = oj.value("f", Figures{});
    o.counters_open = oj.value("counters_open", 0);
    o.counters_paused = oj.value("counters_paused", 0);
    o.counters_serving = oj.value("counters_serving", 0);
    o.light = light_from(oj.value("light", "green"));
    for (const auto& sj : oj.value("services", json::array())) {
      ServiceStats sv;
      sv.service = sj.value("service", "");
      sv.target_minutes = sj.value("target_minutes", 30);
      sv.f = sj.value("f", Figures{});
      sv.light = light_from(sj.value("light", "green"));
      if (sj.contains("estimate_ms")) sv.estimate_ms = sj["estimate_ms"].get<Millis>();
      o.services.push_back(std::move(sv));
    }
    for (const auto& cj : oj.value("counters", json::array())) {
      CounterStats c;
      c.counter = cj.value("counter", "");
      c.name = cj.value("name", "");
      c.state = counter_state_from(cj.value("state", "closed")).value_or(CounterState::closed);
      c.staff = cj.value("staff", "");
      c.ticket_number = cj.value("ticket_number", "");
      c.ticket_state = cj.value("ticket_state", "");
      c.since = cj.value("since", Millis{0});
      c.f = cj.value("f", Figures{});
      o.counters.push_back(std::move(c));
    }
    buckets_from(oj.value("arrivals", json::array()), o.arrivals);
    buckets_from(oj.value("served", json::array()), o.served);
    buckets_from(oj.value("waiting", json::array()), o.waiting);
    o.buckets_until = oj.value("buckets_until", kBuckets);
    s.offices.push_back(std::move(o));
  }
  return s;
}

std::optional<StatsLevel> stats_level_from(std::string_view s) {
  if (s == "office") return StatsLevel::office;
  if (s == "service") return StatsLevel::service;
  if (s == "counter") return StatsLevel::counter;
  return std::nullopt;
}

std::string stats_csv(const DayStats& s, StatsLevel level) {
  std::string out = "day,office,";
  if (level == StatsLevel::service) out += "service,wait_target_min,";
  if (level == StatsLevel::counter) out += "counter,";
  out += kFigureHeader;
  out += "\n";
  for (const auto& o : s.offices) {
    std::string prefix = csv_field(s.day) + "," + csv_field(o.office) + ",";
    if (level == StatsLevel::office) {
      out += prefix + figure_columns(o.f) + "\n";
    } else if (level == StatsLevel::service) {
      for (const auto& sv : o.services)
        out += prefix + csv_field(sv.service) + "," + std::to_string(sv.target_minutes) + "," +
               figure_columns(sv.f) + "\n";
    } else {
      for (const auto& c : o.counters)
        out += prefix + csv_field(c.counter) + "," + figure_columns(c.f) + "\n";
    }
  }
  return out;
}

}  // namespace wm::core
