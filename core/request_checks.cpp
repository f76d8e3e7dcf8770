// Reference and nested-field checks the broker runs on every request after decoding it.
#include "core/request_checks.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

namespace wm::core {
namespace {

// What appointment.import reads from each appointment (core/commands import_appointments).
constexpr std::array<std::string_view, 5> kAppointmentKeys{"code", "office", "service", "slot",
                                                           "name"};

ProtocolError refuse(const Request& r, ErrorCode code, std::string message, std::string field) {
  return ProtocolError{code, std::move(message), r.id, std::move(field)};
}

const Office* office_of_kiosk(const Region& region, const std::string& kiosk) {
  for (const auto& o : region.offices)
    for (const auto& k : o.kiosks)
      if (k.id == kiosk) return &o;
  return nullptr;
}

}  // namespace

std::optional<ProtocolError> check_references(const Request& r, const State& state,
                                              const Region& region) {
  const json& b = r.body;
  if (auto it = b.find("office"); it != b.end() && it->is_string()) {
    const auto& office = it->get_ref<const std::string&>();
    if (!office.empty() && !region.find_office(office))
      return refuse(r, ErrorCode::not_found, "unknown office '" + office + "'", "office");
  }
  if (auto it = b.find("kiosk"); it != b.end() && it->is_string()) {
    const auto& kiosk = it->get_ref<const std::string&>();
    const Office* o = office_of_kiosk(region, kiosk);
    if (!o) return refuse(r, ErrorCode::not_found, "unknown kiosk '" + kiosk + "'", "kiosk");
    if (b.contains("office") && b["office"].is_string() && b["office"] != o->id)
      return refuse(r, ErrorCode::bad_field, "kiosk '" + kiosk + "' is not in office '" +
                                                 b["office"].get<std::string>() + "'", "kiosk");
  }
  if (r.type == "outbox.fetch")
    if (auto it = b.find("limit"); it != b.end() && it->is_number_integer()) {
      // Unsigned values above INT64_MAX read back negative: out of range too.
      const std::int64_t limit = it->get<std::int64_t>();
      if (limit < 1 || limit > 200)
        return refuse(r, ErrorCode::bad_field, "field 'limit' must be between 1 and 200", "limit");
    }
  if (auto it = b.find("appointments"); it != b.end() && it->is_array()) {
    int i = 0;
    for (const auto& a : *it) {
      std::string field = "appointments[" + std::to_string(i++) + "]";
      for (const auto& [key, _] : a.items())
        if (std::find(kAppointmentKeys.begin(), kAppointmentKeys.end(), key) == kAppointmentKeys.end())
          return refuse(r, ErrorCode::bad_field,
                        field + ": unknown key '" + key.substr(0, 64) + "'", field);
    }
  }
  if (r.type == "counter.finish" && b.value("forward", false)) {
    const CounterRuntime* rt = state.counter(b.value("counter", ""));
    const Ticket* t = rt && !rt->ticket.empty() ? state.ticket(rt->ticket) : nullptr;
    if (t && t->current < t->services.size() && !region.forwardable(t->service()))
      return refuse(r, ErrorCode::bad_field,
                    "service '" + t->service() + "' has no back-office unit; it cannot be forwarded",
                    "forward");
  }
  return std::nullopt;
}

}  // namespace wm::core
