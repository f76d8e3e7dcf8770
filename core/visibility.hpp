// Who sees what: projections of events, snapshots and statistics by the declared visibility.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/permissions.hpp"
#include "core/protocol.hpp"
#include "core/state.hpp"

namespace wm::core {

// The one who receives a projection. The default viewer is a screen: public fields only.
struct Viewer {
  // The widest visibility granted: public_ (screens), office_staff (dashboards, counters) or
  // backoffice (back office, administrators). internal and sealed are never granted.
  Visibility reach = Visibility::public_;
  std::vector<std::string> offices;  // where reach applies beyond public; empty = every office
  std::string counter;  // a counter station's counter: `serving` fields of its ticket and cases

  static Viewer screen() { return {}; }
  // Whether this viewer may see a field of `v` on a record of `office` (empty: region-wide)
  // that is served at (or was forwarded from) `counter`.
  bool sees(Visibility v, const std::string& office, const std::string& counter) const;
};

// What a principal (the sender of a request) may see: kiosk/display -> screen, counter and
// dashboard -> office_staff (a counter also `serving` for the counter its staff holds),
// back office -> backoffice, admin/cli -> backoffice in every office.
Viewer viewer_of(const Principal& who, const State& state);

// Removes from an event's body every field the viewer may not see, and every undeclared one
// (fail closed). Returns false if nothing was removed. appointments.imported gets `count`.
bool project_event(Event& e, const Viewer& viewer);
// Whether every declared field of this event type is public (then the journaled body is the
// public one as it is: the broker publishes it without parsing). False for unknown types.
bool all_public(std::string_view type);
// Whether the public projection of `e` is `e` as it is: its type is all public, or every field
// it carries is a public top-level field of its type (a ticket.called without the staff-only
// reason of an out-of-order call). The broker then publishes the journaled body unparsed.
bool public_as_is(const Event& e);

// State::snapshot() and day statistics (core::to_json(DayStats)) as the viewer may see them.
// Records of which the viewer may see nothing (a case, a station's presence) are left out.
json project_snapshot(json snapshot, const Viewer& viewer);
json project_stats(json stats, const Viewer& viewer);

// Reads a sealed text back by its key (the broker: the personal store); nullopt once purged.
using SealedReader = std::function<std::optional<std::string>(const std::string& key)>;
// Fills sealed free text back into a projected snapshot or case list ({"tickets", "cases"}):
// only the keys the projection kept are read, so the viewer gets exactly the texts their
// visibility allows (park_ref -> park_reason, notes_ref -> notes, question_ref -> question).
void unseal(json& projected, const SealedReader& read);

}  // namespace wm::core
