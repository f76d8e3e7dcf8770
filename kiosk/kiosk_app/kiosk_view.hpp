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
};

// Another office of the county with a much shorter wait for the first concern.
struct Alternative {
  std::string office_name;
  std::string address;
  int minutes = 0;
};

struct KioskView {
  Screen screen = Screen::attract;
  std::string office_name;
  bool online = false;
  std::vector<ServiceView> offered;   // tiles, in configuration order
  std::vector<ServiceView> selected;  // the visitor's concerns
  std::optional<int> estimate;        // for the first concern
  std::optional<Alternative> alternative;
  std::optional<Identity> identity;
  bool can_capture_id = false;
  std::string code;
  Failure failure = Failure::none;
  Failure code_failure = Failure::none;
  std::string number;           // the issued ticket's number
  std::optional<int> ticket_minutes;  // estimate from the issue reply
  std::string slot;             // appointment time "HH:MM", if checked in by code
  std::string printer_state;
  int print_attempts = 0;
  std::string returned_number;
  bool sim_reader = false;      // the demo's simulated ID reader: show a "present specimen" key
};

// A nearby office is suggested when it saves at least this much and at least half the wait.
inline constexpr int kAlternativeMinSavingMinutes = 20;

KioskView build_view(const KioskModel& model, const core::State& state, core::Millis now);
// Everything of the replica the screens can show (this office's waiting counts, every
// office's rounded estimates): equal digests mean a redraw would draw the same picture, so a
// heartbeat-driven replica update need not wake the UI. Safe on any thread.
std::vector<int> replica_digest(const core::State& state, const std::string& office,
                                core::Millis now);

// Minutes, rounded up to the next 5 above 10 (an honest estimate is not to the minute).
int round_minutes(core::Millis ms);

}  // namespace wm::kiosk
