// The one place that projects by the declared visibility (core/protocol/events.cpp): the broker's PUB
// socket, snapshot and stats replies, and the core tests' replicas all go through here.
#include "core/visibility.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace wm::core {
namespace {

// Declared fields by path, and which paths have declared children (only those are descended
// into: a list of strings or a map of numbers is projected as a whole).
struct Table {
  std::unordered_map<std::string, Visibility> fields;
  std::unordered_set<std::string> parents;

  void add(const std::string& prefix, const std::vector<EventField>& list) {
    for (const auto& f : list) {
      std::string path = prefix.empty() ? f.name : prefix + "." + f.name;
      for (auto dot = path.rfind('.'); dot != std::string::npos; dot = path.rfind('.', dot - 1)) {
        parents.insert(path.substr(0, dot));
        if (dot == 0) break;
      }
      fields.emplace(std::move(path), f.visibility);
    }
  }
};

void project_object(json& obj, const Table& t, const std::string& prefix, const Viewer& v,
                    std::string office, std::string counter, bool& changed) {
  // A record names its own office and counter (a ticket's serving counter, a case's
  // forwarding one); nested records inherit them from the event otherwise.
  if (auto it = obj.find("office"); it != obj.end() && it->is_string()) office = it->get<std::string>();
  if (auto it = obj.find("counter"); it != obj.end() && it->is_string())
    counter = it->get<std::string>();
  for (auto it = obj.begin(); it != obj.end();) {
    std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
    auto d = t.fields.find(path);
    if (d == t.fields.end() || !v.sees(d->second, office, counter)) {
      it = obj.erase(it);
      changed = true;
      continue;
    }
    if (t.parents.count(path)) {
      if (it->is_object()) {
        project_object(*it, t, path, v, office, counter, changed);
      } else if (it->is_array()) {
        // Elements the viewer may see nothing of are left out (a case on a display).
        json kept = json::array();
        for (auto& el : *it) {
          if (!el.is_object()) continue;
          bool was_empty = el.empty();
          project_object(el, t, path, v, office, counter, changed);
          if (!el.empty() || was_empty) kept.push_back(std::move(el));
        }
        *it = std::move(kept);
      }
    }
    ++it;
  }
}

const Table* event_table(std::string_view type) {
  static const std::map<std::string, Table, std::less<>> tables = [] {
    std::map<std::string, Table, std::less<>> m;
    for (const auto& spec : event_specs()) m[spec.type].add({}, spec.fields);
    return m;
  }();
  auto it = tables.find(type);
  return it == tables.end() ? nullptr : &it->second;
}

const Table& snapshot_table() {
  static const Table t = [] {
    Table t;
    t.add({}, {{"seq", Visibility::public_},          {"oseq", Visibility::public_},
               {"office", Visibility::public_},       {"day", Visibility::public_},
               {"tickets", Visibility::public_},      {"counters", Visibility::public_},
               {"calls", Visibility::public_},        {"cases", Visibility::public_},
               {"numbers", Visibility::public_},      {"service_times", Visibility::public_},
               {"devices", Visibility::public_},      {"presence", Visibility::public_},
               {"closed_days", Visibility::public_},  {"day_profiles", Visibility::public_},
               {"appointments", Visibility::internal}});
    t.add("tickets", record_fields("ticket"));
    t.add("counters", record_fields("counter"));
    t.add("cases", record_fields("case"));
    t.add("devices", record_fields("device"));
    t.add("presence", record_fields("presence"));
    // "calls" maps office -> list of call records, all public (checked by the table test).
    return t;
  }();
  return t;
}

const Table& stats_table() {
  static const Table t = [] {
    Table t;
    t.add({}, {{"day", Visibility::public_}, {"now", Visibility::public_},
               {"total", Visibility::public_}, {"offices", Visibility::public_}});
    std::vector<EventField> office;
    for (const char* n : {"office", "name", "f", "counters_open", "counters_paused",
                          "counters_serving", "light", "services", "counters", "arrivals",
                          "served", "waiting", "buckets_until"})
      office.push_back({n, Visibility::public_});
    t.add("offices", office);
    t.add("offices.counters", record_fields("stats_counter"));
    return t;
  }();
  return t;
}

bool in(const std::vector<std::string>& offices, const std::string& office) {
  return offices.empty() || std::find(offices.begin(), offices.end(), office) != offices.end();
}

}  // namespace

bool Viewer::sees(Visibility v, const std::string& office, const std::string& at_counter) const {
  if (v == Visibility::public_) return true;
  if (v == Visibility::internal || v == Visibility::sealed) return false;
  // Region-wide records (no office) count as every office's: only an all-office viewer gets
  // their staff fields.
  if (office.empty() ? !offices.empty() : !in(offices, office)) return false;
  switch (v) {
    case Visibility::office_staff: return reach != Visibility::public_;
    case Visibility::serving:
      return reach == Visibility::backoffice || (!counter.empty() && counter == at_counter);
    case Visibility::backoffice: return reach == Visibility::backoffice;
    default: return false;
  }
}

Viewer viewer_of(const Principal& who, const State& state) {
  Viewer v;
  v.offices = who.offices;
  switch (who.role) {
    case DeviceRole::kiosk:
    case DeviceRole::display:
      v.reach = Visibility::public_;
      break;
    case DeviceRole::counter:
      v.reach = Visibility::office_staff;
      if (const CounterRuntime* c = state.session_of(who.name)) v.counter = c->id;
      break;
    case DeviceRole::dashboard:
      v.reach = Visibility::office_staff;
      break;
    case DeviceRole::backoffice:
      v.reach = Visibility::backoffice;
      break;
    case DeviceRole::admin:
    case DeviceRole::cli:
      v.reach = Visibility::backoffice;
      v.offices.clear();
      break;
  }
  return v;
}

bool all_public(std::string_view type) {
  // Looked up per published event: a transparent set, no string built for the lookup.
  static const std::set<std::string, std::less<>> types = [] {
    std::set<std::string, std::less<>> s;
    for (const auto& spec : event_specs())
      if (std::all_of(spec.fields.begin(), spec.fields.end(),
                      [](const EventField& f) { return f.visibility == Visibility::public_; }))
        s.insert(spec.type);
    return s;
  }();
  return types.find(type) != types.end();
}

bool public_as_is(const Event& e) {
  if (all_public(e.type)) return true;
  // Per type whose declared fields are all top-level: its public ones (nested fields need the
  // projection's walk).
  static const auto flat = [] {
    std::map<std::string, std::set<std::string, std::less<>>, std::less<>> m;
    for (const auto& spec : event_specs()) {
      if (std::any_of(spec.fields.begin(), spec.fields.end(),
                      [](const EventField& f) { return f.name.find('.') != std::string::npos; }))
        continue;
      auto& pub = m[spec.type];
      for (const auto& f : spec.fields)
        if (f.visibility == Visibility::public_) pub.insert(f.name);
    }
    return m;
  }();
  auto it = flat.find(e.type);
  if (it == flat.end() || !e.body.is_object()) return false;
  for (const auto& [key, value] : e.body.items())
    if (!it->second.contains(key)) return false;
  return true;
}

bool project_event(Event& e, const Viewer& viewer) {
  const Table* t = event_table(e.type);
  if (!e.body.is_object()) {
    e.body = json::object();
    return true;
  }
  if (!t) {  // undeclared: nothing of it is known to be anyone's
    bool had = !e.body.empty();
    e.body = json::object();
    return had;
  }
  std::size_t appointments = 0;
  if (e.type == "appointments.imported")
    if (auto it = e.body.find("appointments"); it != e.body.end() && it->is_array())
      appointments = it->size();
  bool changed = false;
  project_object(e.body, *t, {}, viewer, e.office, {}, changed);
  if (e.type == "appointments.imported" && !e.body.contains("count")) {
    e.body["count"] = appointments;  // what screens may know of an import
    changed = true;
  }
  return changed;
}

json project_snapshot(json snapshot, const Viewer& viewer) {
  if (!snapshot.is_object()) return json::object();
  bool changed = false;
  project_object(snapshot, snapshot_table(), {}, viewer, {}, {}, changed);
  return snapshot;
}

json project_stats(json stats, const Viewer& viewer) {
  if (!stats.is_object()) return json::object();
  bool changed = false;
  project_object(stats, stats_table(), {}, viewer, {}, {}, changed);
  return stats;
}

void unseal(json& projected, const SealedReader& read) {
  auto fill = [&](json& record, const char* ref, const char* text) {
    auto it = record.find(ref);
    if (it == record.end() || !it->is_string()) return;
    if (auto plain = read(it->get<std::string>())) record[text] = *plain;
  };
  if (auto it = projected.find("tickets"); it != projected.end() && it->is_array())
    for (auto& t : *it) fill(t, "park_ref", "park_reason");
  if (auto it = projected.find("cases"); it != projected.end() && it->is_array())
    for (auto& c : *it) {
      fill(c, "notes_ref", "notes");
      fill(c, "question_ref", "question");
    }
}

}  // namespace wm::core
