// The kiosk's view-model: what the screens show, computed from the flow model and the replica.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/state.hpp"
#include "kiosk/kiosk_app/kiosk_model.hpp"

namespace wm::kiosk {

struct ServiceView {
  std::string id;
  std::string title;        // in the visitor's language
  std::string description;
  std::vector<std::string> documents;
  int waiting = 0;
  std::optional<int> minutes;  // estimated wait for a new ticket; nullopt: no counter open
  // Open, but the estimated start is past this service's last-ticket time
  // (core::issue_verdict): the tile says so and issues nothing.
  bool last_ticket_passed = false;
  std::optional<core::Millis> next_opening;  // with last_ticket_passed
};

// Another office of the county where the drive plus the wait is much shorter than the wait
// here, for the first concern (core::suggest_nearby_office).
struct Alternative {
  std::string office_name;
  std::string address;
  int minutes = 0;         // the estimated wait there, as displayed
  int travel_minutes = 0;  // the drive there, from the config
};

struct KioskView {
  Screen screen = Screen::services;
  std::string office_name;
  bool online = false;
  std::vector<ServiceView> offered;   // tiles, in configuration order
  std::vector<ServiceView> selected;  // the visitor's concerns
  // The second-concern tiles: only services a counter here serves with the first
  // (KioskModel::second_choices), in configuration order.
  std::vector<ServiceView> combinable;
  std::optional<int> estimate;        // for the first concern
  std::optional<Alternative> alternative;
  std::optional<Identity> identity;
  // What the summary offers besides printing (KioskModel::can_add_second / can_add_id).
  bool can_add_second = false;
  bool can_add_id = false;
  std::string code;
  Failure failure = Failure::none;
  Failure code_failure = Failure::none;
  std::string number;           // the issued ticket's number
  std::optional<int> ticket_minutes;  // estimate from the issue reply
  std::string slot;             // appointment time "HH:MM", if checked in by code
  bool late = false;            // checked in after late_arrival_minutes: served as a walk-in
  std::string printer_state;
  int print_attempts = 0;
  std::string returned_number;
  bool sim_reader = false;      // the demo's simulated ID reader: show a "present specimen" key
  // Opening hours, on the broker's clock (core/office_hours.hpp). Only while online: offline
  // the kiosk cannot know the broker's time and says "offline" instead.
  core::Millis now = 0;
  bool closed = false;
  std::optional<core::Millis> next_opening;  // closed: when the office opens next
  // Seconds until the idle reset while it is near (KioskModel::idle_warning): the warning
  // dialog over the screen.
  std::optional<int> idle_warning;
};

KioskView build_view(const KioskModel& model, const core::State& state, core::Millis now);
// Everything of the replica the screens can show (this office's waiting counts, every
// office's rounded estimates): equal digests mean a redraw would draw the same picture, so a
// heartbeat-driven replica update need not wake the UI. Safe on any thread.
std::vector<int> replica_digest(const core::State& state, const std::string& office,
                                core::Millis now);

}  // namespace wm::kiosk
