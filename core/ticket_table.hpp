// Tickets by id, plus per-office indexes the hot paths walk by pointer (no id hashing per ticket).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model.hpp"

namespace wm::core {

// An unordered_map of tickets by id that also keeps, per office, the active tickets (in id
// order, as the former set of ids) and today's tickets (in issue order). Node-based maps keep
// element addresses across inserts, erases of other elements and moves, so the indexes hold
// plain pointers; a copy rebinds them to its own elements.
class TicketTable : public std::unordered_map<std::string, Ticket> {
 public:
  using Map = std::unordered_map<std::string, Ticket>;
  using Active = std::map<std::string_view, const Ticket*>;  // keys view the tickets' ids

  TicketTable() = default;
  TicketTable(const TicketTable& o) : Map(o) { rebind(o); }
  TicketTable(TicketTable&&) noexcept = default;
  TicketTable& operator=(const TicketTable& o) {
    if (this != &o) {
      Map::operator=(o);
      active_.clear();
      today_.clear();
      rebind(o);
    }
    return *this;
  }
  TicketTable& operator=(TicketTable&&) noexcept = default;
  ~TicketTable() = default;

  // `t` must be an element of this table.
  void activate(const Ticket& t) { active_[t.office][t.id] = &t; }
  void deactivate(const Ticket& t) {
    if (auto it = active_.find(t.office); it != active_.end()) it->second.erase(t.id);
  }
  void add_today(const Ticket& t) { today_[t.office].push_back(&t); }
  // Drops the tickets `gone` says will be erased from today's lists (call before erasing them).
  template <class Pred>
  void forget_today(Pred gone) {
    for (auto& [office, list] : today_) std::erase_if(list, [&](const Ticket* t) { return gone(*t); });
  }

  const Active* active(const std::string& office) const {
    auto it = active_.find(office);
    return it == active_.end() ? nullptr : &it->second;
  }
  const std::vector<const Ticket*>* today(const std::string& office) const {
    auto it = today_.find(office);
    return it == today_.end() ? nullptr : &it->second;
  }

 private:
  void rebind(const TicketTable& o) {
    for (const auto& [office, list] : o.active_) {
      auto& mine = active_[office];
      for (const auto& [id, t] : list) {
        const Ticket& own = at(t->id);
        mine.emplace(std::string_view(own.id), &own);
      }
    }
    for (const auto& [office, list] : o.today_) {
      auto& mine = today_[office];
      mine.reserve(list.size());
      for (const Ticket* t : list) mine.push_back(&at(t->id));
    }
  }

  std::unordered_map<std::string, Active> active_;
  std::unordered_map<std::string, std::vector<const Ticket*>> today_;
};

}  // namespace wm::core
