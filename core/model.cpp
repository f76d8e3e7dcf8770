// String forms of the model's enums, as used in the protocol and the journal.
#include "core/model.hpp"

#include <array>
#include <utility>

namespace wm::core {
namespace {

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table)
    if (e == value) return name;
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view name) {
  for (const auto& [e, n] : table)
    if (n == name) return e;
  return std::nullopt;
}

constexpr std::array<std::pair<TicketState, std::string_view>, 9> kTicketStates{{
    {TicketState::waiting, "waiting"},
    {TicketState::called, "called"},
    {TicketState::serving, "serving"},
    {TicketState::done, "done"},
    {TicketState::forwarded, "forwarded"},
    {TicketState::parked, "parked"},
    {TicketState::no_show, "no_show"},
    {TicketState::cancelled, "cancelled"},
    {TicketState::closed, "closed"},
}};
constexpr std::array<std::pair<Priority, std::string_view>, 3> kPriorities{{
    {Priority::normal, "normal"},
    {Priority::appointment, "appointment"},
    {Priority::priority_needs, "priority_needs"},
}};
constexpr std::array<std::pair<Source, std::string_view>, 4> kSources{{
    {Source::kiosk, "kiosk"},
    {Source::counter, "counter"},
    {Source::appointment, "appointment"},
    {Source::cli, "cli"},
}};
constexpr std::array<std::pair<CounterState, std::string_view>, 3> kCounterStates{{
    {CounterState::closed, "closed"},
    {CounterState::open, "open"},
    {CounterState::paused, "paused"},
}};
constexpr std::array<std::pair<CaseState, std::string_view>, 4> kCaseStates{{
    {CaseState::received, "received"},
    {CaseState::claimed, "claimed"},
    {CaseState::done, "done"},
    {CaseState::returned, "returned"},
}};

}  // namespace

std::string_view to_string(TicketState s) { return name_of(kTicketStates, s); }
std::string_view to_string(Priority p) { return name_of(kPriorities, p); }
std::string_view to_string(Source s) { return name_of(kSources, s); }
std::string_view to_string(CounterState s) { return name_of(kCounterStates, s); }
std::string_view to_string(CaseState s) { return name_of(kCaseStates, s); }
std::optional<TicketState> ticket_state_from(std::string_view s) { return value_of(kTicketStates, s); }
std::optional<Priority> priority_from(std::string_view s) { return value_of(kPriorities, s); }
std::optional<Source> source_from(std::string_view s) { return value_of(kSources, s); }
std::optional<CounterState> counter_state_from(std::string_view s) {
  return value_of(kCounterStates, s);
}
std::optional<CaseState> case_state_from(std::string_view s) { return value_of(kCaseStates, s); }

bool is_terminal(TicketState s) {
  return s == TicketState::done || s == TicketState::forwarded || s == TicketState::no_show ||
         s == TicketState::cancelled || s == TicketState::closed;
}

}  // namespace wm::core
