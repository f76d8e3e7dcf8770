// Connects the flow model to the broker (core::Station) and the devices (hw::HwService).
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/client/station.hpp"
#include "core/i18n/catalog.hpp"
#include "kiosk/kiosk_app/kiosk_model.hpp"
#include "kiosk/kiosk_app/kiosk_view.hpp"
#include "wm/hw/hw_service.hpp"

namespace wm::kiosk {

struct ControllerOptions {
  std::string kiosk_id;
  std::string command_endpoint;  // empty: region.network
  std::string event_endpoint;
  hw::HwConfig hw;               // printer and readers of this kiosk
  KioskOptions flow;
  std::chrono::milliseconds request_timeout{6000};
  // With the simulated ID reader, lay the specimen on it this long after the visitor agreed
  // (demo); < 0: never (tests present documents themselves).
  double sim_specimen_delay = 1.5;
};

// UI thread only, except the callbacks it installs (they only queue and wake).
class KioskController {
 public:
  KioskController(std::shared_ptr<const core::Region> region, ControllerOptions options,
                  const i18n::Catalog& catalog, std::function<void()> wake);
  ~KioskController();

  // Once per frame, before drawing: replies, device events, timeouts, connection state.
  void update(double now);
  KioskView view() const;
  // After drawing: the visitor's intents, then the effects they caused.
  void apply(const Intents& in, double now);

  KioskModel& model() { return model_; }
  core::Station& station() { return *station_; }
  hw::HwService& hw() { return *hw_; }
  // Tickets handed to the printer (reprints included) and requests sent, for tests.
  int print_jobs() const { return print_jobs_; }

 private:
  void run_effects(double now);
  struct Answer {
    bool ok;
    core::json body;
    std::string error;
  };

  std::shared_ptr<const core::Region> region_;
  ControllerOptions options_;
  const i18n::Catalog& catalog_;
  std::function<void()> wake_;
  KioskModel model_;
  std::unique_ptr<hw::HwService> hw_;
  std::unique_ptr<core::Station> station_;
  std::mutex mu_;
  std::deque<Answer> answers_;
  std::uint64_t print_job_ = 0;
  int print_jobs_ = 0;
  bool was_online_ = false;
  double specimen_at_ = -1;
  Screen last_screen_ = Screen::services;
  // Idle wake-ups: the station reports every heartbeat; only a change the screen shows (or of
  // the connection) wakes the UI. Station and device threads; guarded by wake_mu_.
  bool should_wake_for_replica();
  std::atomic<core::Station*> station_ptr_{nullptr};
  std::mutex wake_mu_;
  std::vector<int> shown_digest_;
  bool shown_online_ = false;
  std::string polled_printer_;
  std::string office_;
};

// MRZ fields as the broker's identity fields (dates ISO, sex M/F/X).
Identity identity_from(const hw::MrzDocument& doc);

}  // namespace wm::kiosk
