// The one model of truth: applies journaled events in order. The broker owns the authoritative
// copy; screens keep a replica built from a snapshot plus the same events.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/config.hpp"
#include "core/model.hpp"
#include "core/ticket_table.hpp"

namespace wm::core {

using json = nlohmann::json;

// A fact that happened. `seq` is global, `oseq` counts the events of one office, so a screen
// that follows one office can see a gap in its own stream.
struct Event {
  std::uint64_t seq = 0;
  std::uint64_t oseq = 0;
  Millis time = 0;
  std::string office;  // empty for region-wide events
  std::string type;
  json body;
};

json event_to_json(const Event& e);
Event event_from_json(const json& j);

// Live service-time statistics per office and service (exponential moving average, seeded
// with the configured expected duration).
struct ServiceTime {
  double ema_ms = 0;
  int samples = 0;
};

struct DeviceState {
  std::string device;
  std::string office;
  std::string state;  // ok, paper_low, paper_out, cover_open, offline, error
  std::string detail;
  Millis since = 0;
};

// An office's waiting tickets, counted by what a new ticket's estimate depends on: untargeted
// ones by their current service, ones sent to a counter by (counter, service). Kept up to date
// by State::apply, so the estimate at issue time costs O(services), not O(queue).
// Alongside, the untargeted waiting tickets without an appointment in age order, per service
// and class: within one such queue routing's order is the age order, so choose_next() needs
// only the heads. The queues hold pointers into the state's own tickets, so a copied State
// starts without them (valid == false) and routing walks the office's tickets instead.
class AgeQueues {
 public:
  struct Older {
    bool operator()(const Ticket* a, const Ticket* b) const {
      if (a->queued_since != b->queued_since) return a->queued_since < b->queued_since;
      if (a->number != b->number) return a->number < b->number;
      return a < b;
    }
  };
  using Queue = std::set<const Ticket*, Older>;
  enum Class { needs = 0, normal = 1 };  // priority_needs (class rank 1), normal (rank 2)

  AgeQueues() = default;
  AgeQueues(const AgeQueues&) : valid_(false) {}
  AgeQueues& operator=(const AgeQueues&) {
    queues_.clear();
    valid_ = false;
    return *this;
  }
  AgeQueues(AgeQueues&&) noexcept = default;
  AgeQueues& operator=(AgeQueues&&) noexcept = default;
  ~AgeQueues() = default;

  bool valid() const { return valid_; }
  // Null when no such ticket waits.
  const Queue* queue(const std::string& service, Class c) const {
    auto it = queues_.find(service);
    return it == queues_.end() || it->second[c].empty() ? nullptr : &it->second[c];
  }
  void add(const Ticket& t, Class c) { queues_[t.service()][c].insert(&t); }
  void remove(const Ticket& t, Class c);

 private:
  std::map<std::string, std::array<Queue, 2>, std::less<>> queues_;
  bool valid_ = true;
};

struct WaitingCounts {
  std::map<std::string, int> by_service;
  std::map<std::pair<std::string, std::string>, int> by_target;
  int appointments = 0;  // untargeted waiting appointment tickets (not in `by_age`)
  AgeQueues by_age;
};

// A station the broker hears (client.online / client.offline), for dashboards' offline alerts.
struct Presence {
  std::string kind;  // kiosk, counter, display
  std::string name;  // station id
  std::string office;
  bool online = false;
  Millis since = 0;
};

class State {
 public:
  explicit State(std::shared_ptr<const Region> region);

  // Applies one event; throws std::invalid_argument if it does not fit the state (a bug or a
  // corrupt journal, never a user error: commands are validated before events exist).
  void apply(const Event& e);

  const Region& region() const { return *region_; }
  std::shared_ptr<const Region> region_ptr() const { return region_; }
  std::uint64_t seq() const { return seq_; }
  std::uint64_t office_seq(const std::string& office) const;
  const std::string& current_day() const { return current_day_; }
  // The last day of an office that a scheduled day.closed event closed ("" = none yet).
  const std::string& closed_day(const std::string& office) const;

  const Ticket* ticket(const std::string& id) const;
  const Ticket* ticket_by_token(const std::string& token) const;
  // Today's ticket with this number in an office ("K017").
  const Ticket* ticket_by_number(const std::string& office, const std::string& number) const;
  // Non-terminal tickets of an office (waiting, called, serving, parked), unordered.
  std::vector<const Ticket*> active_tickets(const std::string& office) const;
  // The same without a copy, for the per-request paths: fn(const Ticket&) for each, in id order.
  template <class F>
  void for_each_active(const std::string& office, F&& fn) const {
    if (const auto* list = tickets_.active(office))
      for (const auto& [id, t] : *list) fn(*t);
  }
  template <class F>
  void for_each_today(const std::string& office, F&& fn) const {
    if (const auto* list = tickets_.today(office))
      for (const Ticket* t : *list) fn(*t);
  }
  // Number of non-terminal tickets of an office.
  std::size_t active_count(const std::string& office) const {
    const auto* list = tickets_.active(office);
    return list ? list->size() : 0;
  }
  // Every ticket of an office still held in memory (today's), for statistics.
  std::vector<const Ticket*> tickets_of(const std::string& office) const;
  std::size_t ticket_count() const { return tickets_.size(); }

  // Null when the office has no waiting ticket yet.
  const WaitingCounts* waiting_counts(const std::string& office) const;

  const CounterRuntime* counter(const std::string& id) const;
  std::vector<const CounterRuntime*> counters_of(const std::string& office) const;
  // An open counter whose staff logged in from this station (device key name), or null.
  const CounterRuntime* session_of(const std::string& station) const;
  const Case* find_case(const std::string& id) const;
  const std::map<std::string, Case>& cases() const { return cases_; }
  const Appointment* appointment(const std::string& code) const;
  // The counter as it works today: as configured, or with the profile an office head set for
  // the day (counter.profile); the configured one again from the next day.
  const Counter& working(const Counter& configured) const;
  // The booked appointments of `office` not checked in (nor cancelled) with a slot
  // from `from` on, in slot order, while `fn(appointment)` returns true: the visitors the
  // office holds counter time for.
  template <class F>
  void for_each_booked(const std::string& office, Millis from, F&& fn) const {
    auto o = booked_.find(office);
    if (o == booked_.end()) return;
    for (auto it = o->second.lower_bound(from); it != o->second.end(); ++it)
      if (const Appointment* a = appointment(it->second); a && !fn(*a)) return;
  }
  const std::deque<CallRecord>& recent_calls(const std::string& office) const;
  const std::map<std::string, DeviceState>& devices() const { return devices_; }
  const std::map<std::string, Presence>& presence() const { return presence_; }

  // Last running number handed out for an office, prefix and day (0 if none).
  int last_number(const std::string& office, const std::string& prefix,
                  const std::string& day) const;
  // Live mean service time for a service in an office, in milliseconds.
  double service_time_ms(const std::string& office, const std::string& service) const;

  // The anonymous state of one office (or all, if empty) as JSON, with its sequence numbers.
  // Never contains personal data or status-page tokens.
  json snapshot(const std::string& office = {}) const;
  // Replaces this state by a snapshot (screens) or a stored checkpoint (broker, `full`).
  void load_snapshot(const json& snap);
  // Everything, including tokens, for the broker's own checkpoints.
  json checkpoint() const;

  // Every event type apply() knows (the applier table), for the table test.
  static std::vector<std::string> applied_event_types();

 private:
  Ticket& mutable_ticket(const std::string& id);
  CounterRuntime& mutable_counter(const std::string& id);
  void add_history(Ticket& t, const Event& e, std::string what, std::string detail = {});
  void release_counter(const std::string& counter_id, const std::string& ticket_id, Millis t);
  void record_service_time(const Ticket& t, Millis end);
  void roll_day(const std::string& day);
  void set_terminal(Ticket& t, TicketState s, Millis time);
  void count_waiting(const Ticket& t, int delta);
  // Applies the event's body through the applier table (core/state_events.cpp).
  void apply_body(const Event& e);
  using Applier = void (State::*)(const Event& e);
  using ApplierTable = std::unordered_map<std::string_view, Applier>;
  static const ApplierTable& appliers();
  void apply_ticket_issued(const Event& e);
  void apply_ticket_called(const Event& e);
  void apply_ticket_serving(const Event& e);
  void apply_ticket_done(const Event& e);
  void apply_ticket_transferred(const Event& e);
  void apply_ticket_parked(const Event& e);
  void apply_ticket_waiting_again(const Event& e);
  void apply_ticket_no_show(const Event& e);
  void apply_ticket_cancelled(const Event& e);
  void apply_counter_changed(const Event& e);
  void apply_appointments_imported(const Event& e);
  void apply_appointment_checked_in(const Event& e);
  void apply_presence(const Event& e);
  void apply_device_status(const Event& e);
  void apply_case(const Event& e);
  void apply_alert_panic(const Event& e);
  void apply_day_closed(const Event& e);
  void apply_counter_profile(const Event& e);
  // Yesterday's final tickets leave memory (the journal keeps them): roll_day and day.closed.
  void forget_final_before(const std::string& day);
  // "office|prefix", "office|service", "office|number": the keys of the per-office maps.
  static std::string key(const std::string& a, const std::string& b) { return a + "|" + b; }
  json dump(const std::string& office, bool with_private) const;

  std::shared_ptr<const Region> region_;
  std::uint64_t seq_ = 0;
  std::unordered_map<std::string, std::uint64_t> oseq_;
  std::string current_day_;
  TicketTable tickets_;  // also: office -> active tickets, office -> today's (issue order)
  std::unordered_map<std::string, std::string> by_number_;  // office|number -> id (today)
  std::unordered_map<std::string, std::string> by_token_;
  std::map<std::string, CounterRuntime> counters_;
  std::map<std::string, Case> cases_;
  std::map<std::string, Appointment> appointments_;
  // Counters working with another profile today (counter.profile), by counter id; cleared by
  // the next day and the office's day.closed.
  std::unordered_map<std::string, Counter> day_profiles_;
  // office -> slot -> code of the appointments booked and not checked in (for_each_booked).
  std::unordered_map<std::string, std::multimap<Millis, std::string>> booked_;
  void index_appointment(const Appointment& a);    // into booked_, if it is booked
  void unindex_appointment(const Appointment& a);  // out of booked_
  std::unordered_map<std::string, std::deque<CallRecord>> calls_;
  std::map<std::string, std::pair<std::string, int>> numbers_;  // office|prefix -> (day, last)
  std::map<std::string, ServiceTime, std::less<>> service_times_;  // office|service
  std::map<std::string, DeviceState> devices_;
  std::map<std::string, Presence> presence_;  // by station name
  std::unordered_map<std::string, WaitingCounts> waiting_;  // by office
  std::map<std::string, std::string> closed_days_;  // office -> last day closed (day.closed)
};

inline constexpr std::size_t kRecentCalls = 12;

}  // namespace wm::core
