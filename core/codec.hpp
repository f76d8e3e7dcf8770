// JSON forms of the model, shared by events, snapshots, replies and the journal.
#pragma once

#include <nlohmann/json.hpp>

#include "core/model.hpp"

namespace wm::core {

using json = nlohmann::json;

void to_json(json& j, const HistoryEntry& h);
void from_json(const json& j, HistoryEntry& h);
void to_json(json& j, const Ticket& t);  // without history; see ticket_with_history()
void from_json(const json& j, Ticket& t);
void to_json(json& j, const CounterRuntime& c);
void from_json(const json& j, CounterRuntime& c);
void to_json(json& j, const Case& c);
void from_json(const json& j, Case& c);
void to_json(json& j, const Appointment& a);
void from_json(const json& j, Appointment& a);
void to_json(json& j, const CallRecord& r);
void from_json(const json& j, CallRecord& r);

json ticket_with_history(const Ticket& t);

}  // namespace wm::core
