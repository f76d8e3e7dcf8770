// State as JSON: the anonymous snapshot for screens, the broker's checkpoint, and loading either.
#include "core/state.hpp"

#include "core/codec.hpp"

namespace wm::core {

json State::dump(const std::string& office, bool with_private) const {
  // Offices in configuration order, tickets in issue order: equal states dump equally.
  json tickets = json::array();
  for (const auto& o : region_->offices) {
    if (!office.empty() && o.id != office) continue;
    const auto* list = tickets_.today(o.id);
    if (!list) continue;
    for (const Ticket* t : *list) {
      json j = ticket_with_history(*t);
      if (!with_private) {  // status-page token and booking code are secrets of the visitor
        j.erase("token");
        j.erase("appointment_code");
      }
      tickets.push_back(std::move(j));
    }
  }
  json counters = json::array();
  for (const auto& [id, c] : counters_)
    if (office.empty() || c.office == office) counters.push_back(c);
  json calls = json::object();
  for (const auto& [o, list] : calls_)
    if (office.empty() || o == office) calls[o] = list;
  json oseq = json::object();
  for (const auto& [o, s] : oseq_)
    if (office.empty() || o == office) oseq[o] = s;
  json cases = json::array();
  for (const auto& [id, c] : cases_)
    if (office.empty() || c.office == office) cases.push_back(c);
  json appts = json::array();
  for (const auto& [code, a] : appointments_)
    if (office.empty() || a.office == office) appts.push_back(a);
  // Keys are "office|prefix" and "office|service": an office's snapshot holds only its own.
  auto of_office = [&](const std::string& k) {
    return office.empty() || k.compare(0, office.size() + 1, office + "|") == 0;
  };
  json numbers = json::object();
  for (const auto& [k, v] : numbers_)
    if (of_office(k)) numbers[k] = json{v.first, v.second};
  json times = json::object();
  for (const auto& [k, v] : service_times_)
    if (of_office(k)) times[k] = json{v.ema_ms, v.samples};
  json devices = json::array();
  for (const auto& [id, d] : devices_)
    if (office.empty() || d.office == office)
      devices.push_back(json{{"device", d.device}, {"office", d.office}, {"state", d.state},
                             {"detail", d.detail}, {"since", d.since}});
  json presence = json::array();
  for (const auto& [name, p] : presence_)
    if (office.empty() || p.office == office)
      presence.push_back(json{{"kind", p.kind}, {"name", p.name}, {"office", p.office},
                              {"online", p.online}, {"since", p.since}});
  json out{{"seq", seq_},          {"oseq", oseq},         {"office", office},
           {"day", current_day_},  {"tickets", tickets},   {"counters", counters},
           {"calls", calls},       {"cases", cases},       {"numbers", numbers},
           {"service_times", times}, {"devices", devices}};
  out["presence"] = presence;
  json closed_days = json::object();
  for (const auto& [o, day] : closed_days_)
    if (office.empty() || o == office) closed_days[o] = day;
  out["closed_days"] = closed_days;
  json day_profiles = json::object();
  for (const auto& [id, c] : day_profiles_)
    if (office.empty() || counters_.at(id).office == office) day_profiles[id] = c.profile;
  out["day_profiles"] = day_profiles;
  if (with_private) out["appointments"] = appts;
  return out;
}

json State::snapshot(const std::string& office) const { return dump(office, false); }
json State::checkpoint() const { return dump({}, true); }

void State::load_snapshot(const json& snap) {
  State fresh(region_);
  fresh.seq_ = snap.at("seq").get<std::uint64_t>();
  for (const auto& [o, s] : snap.at("oseq").items()) fresh.oseq_[o] = s.get<std::uint64_t>();
  fresh.current_day_ = snap.value("day", "");
  // Snapshots list tickets in issue order (see dump()), so the lists keep that order.
  for (const auto& tj : snap.at("tickets")) {
    Ticket t = tj.get<Ticket>();
    fresh.by_number_[key(t.office, t.number)] = t.id;
    if (!t.token.empty()) fresh.by_token_[t.token] = t.id;
    if (auto old = fresh.tickets_.find(t.id); old != fresh.tickets_.end()) {
      fresh.tickets_.deactivate(old->second);
      fresh.count_waiting(old->second, -1);
      fresh.tickets_.forget_today([&](const Ticket& x) { return &x == &old->second; });
      fresh.tickets_.erase(old);
    }
    std::string id = t.id;
    const Ticket& stored = fresh.tickets_.emplace(id, std::move(t)).first->second;
    if (!is_terminal(stored.state)) fresh.tickets_.activate(stored);
    fresh.tickets_.add_today(stored);
    fresh.count_waiting(stored, +1);
  }
  for (const auto& cj : snap.at("counters")) {
    CounterRuntime c = cj.get<CounterRuntime>();
    fresh.counters_[c.id] = c;
  }
  for (const auto& [o, list] : snap.at("calls").items())
    for (const auto& r : list) fresh.calls_[o].push_back(r.get<CallRecord>());
  for (const auto& cj : snap.value("cases", json::array())) {
    Case c = cj.get<Case>();
    fresh.cases_[c.id] = c;
  }
  for (const auto& aj : snap.value("appointments", json::array())) {
    Appointment a = aj.get<Appointment>();
    fresh.index_appointment(a);
    fresh.appointments_[a.code] = a;
  }
  // Bind first: items() of a temporary would dangle.
  const json numbers = snap.value("numbers", json::object());
  const json times = snap.value("service_times", json::object());
  for (const auto& [k, v] : numbers.items())
    fresh.numbers_[k] = {v.at(0).get<std::string>(), v.at(1).get<int>()};
  for (const auto& [k, v] : times.items())
    fresh.service_times_[k] = ServiceTime{v.at(0).get<double>(), v.at(1).get<int>()};
  for (const auto& dj : snap.value("devices", json::array())) {
    DeviceState d{dj.at("device"), dj.value("office", ""), dj.value("state", ""),
                  dj.value("detail", ""), dj.value("since", Millis{0})};
    fresh.devices_[d.device] = d;
  }
  for (const auto& pj : snap.value("presence", json::array())) {
    Presence p{pj.value("kind", ""), pj.value("name", ""), pj.value("office", ""),
               pj.value("online", false), pj.value("since", Millis{0})};
    fresh.presence_[p.name] = p;
  }
  const json closed_days = snap.value("closed_days", json::object());
  for (const auto& [o, day] : closed_days.items()) fresh.closed_days_[o] = day.get<std::string>();
  const json day_profiles = snap.value("day_profiles", json::object());
  for (const auto& [id, profile] : day_profiles.items())
    if (const Counter* c = region_->find_counter(id)) {
      Counter today = *c;
      today.profile = profile.get<std::vector<std::string>>();
      fresh.day_profiles_[id] = std::move(today);
    }
  *this = std::move(fresh);
}

}  // namespace wm::core
