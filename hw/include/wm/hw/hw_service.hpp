// Asynchronous hardware service for the kiosk: worker threads own the devices, the UI polls
// events (or gets callbacks); unplug/replug is an ordinary event, never a hang.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "wm/hw/card_reader.hpp"
#include "wm/hw/device_spec.hpp"
#include "wm/hw/mrz.hpp"
#include "wm/hw/printer.hpp"

namespace wm::hw {

struct HwConfig {
  std::string printer = "sim";  // device spec strings, see device_spec.hpp
  std::string mrz = "sim";
  std::string card = "sim";
  bool enable_printer = true, enable_mrz = true, enable_card = true;
  std::chrono::milliseconds status_interval{2000};  // printer status poll while idle
  std::chrono::milliseconds retry_interval{2000};   // reopen a missing device (plus hotplug)
  std::function<Date()> today = local_today;        // for the MRZ expiry check
};

struct HwEvent {
  enum class Kind {
    device_ready,    // role opened (also after a replug); message = device description
    device_lost,     // unplugged or failing; message says why; the service keeps retrying
    printer_status,  // status changed (paper near end, cover open, ...)
    print_done,      // job finished: `print` holds exactly what happened
    document,        // an MRZ was read: `document` (check ok()/error)
    card_inserted,   // `atr` set, or `card_error` if power-on failed
    card_removed,
  };
  Kind kind;
  DeviceRole role;
  std::string message;
  std::uint64_t job_id = 0;
  PrintResult print;
  PrinterStatus printer_status;
  MrzResult document;
  Bytes atr;
  CardError card_error = CardError::ok;
};
std::string_view to_string(HwEvent::Kind k);

class UsbContext;
class SimPrinter;
class SimMrzReader;
class SimCardReader;

class HwService {
 public:
  // Throws std::invalid_argument if a spec is malformed (message names the spec).
  explicit HwService(HwConfig cfg);
  ~HwService();  // stops and joins the workers (bounded by the device timeouts)
  HwService(const HwService&) = delete;
  HwService& operator=(const HwService&) = delete;

  void start();
  void stop();

  // Never blocks: the job is queued; the result arrives as a print_done event with this id
  // and through the future. Without a printer the job fails at once (not_found/unplugged).
  std::uint64_t print(TicketPrint ticket, std::future<PrintResult>* result = nullptr);
  void request_printer_status();  // a fresh printer_status event soon
  std::future<CardResult> transmit(Bytes apdu);

  // UI thread: everything that happened since the last call, oldest first.
  std::vector<HwEvent> poll_events();
  // Tests and CLI: wait for the next event.
  bool wait_event(HwEvent& out, std::chrono::milliseconds timeout);
  // Optional push delivery; runs on a worker thread: keep it short.
  void set_callback(std::function<void(const HwEvent&)> cb);

  bool ready(DeviceRole role) const;
  PrinterStatus printer_status() const;

  // Demo/test hooks: the simulators when the spec is "sim", else null.
  SimPrinter* sim_printer() const;
  SimMrzReader* sim_mrz_reader() const;
  SimCardReader* sim_card_reader() const;

 private:
  struct Job {
    std::uint64_t id;
    TicketPrint ticket;
    std::promise<PrintResult> done;
  };
  struct Apdu {
    Bytes apdu;
    std::promise<CardResult> done;
  };
  void emit(HwEvent ev);
  void printer_loop();
  void mrz_loop();
  void card_loop();
  void on_hotplug();
  void set_ready(DeviceRole role, bool ready, const std::string& message);
  void lose_printer(const std::string& why);

  HwConfig cfg_;
  DeviceSpec printer_spec_, mrz_spec_, card_spec_;
  std::unique_ptr<UsbContext> usb_;
  int hotplug_id_ = -1;

  mutable std::mutex mu_;
  std::condition_variable printer_cv_, mrz_cv_, card_cv_, events_cv_;
  std::atomic<bool> stop_{false};
  bool started_ = false;
  bool printer_wake_ = false, mrz_wake_ = false, card_wake_ = false;
  bool status_requested_ = false;
  std::deque<Job> jobs_;
  std::deque<Apdu> apdus_;
  std::uint64_t next_job_ = 1;
  std::deque<HwEvent> events_;
  std::function<void(const HwEvent&)> callback_;
  bool ready_[3] = {false, false, false};
  PrinterStatus printer_status_;
  bool missing_reported_[3] = {false, false, false};
  SimPrinter* sim_printer_ = nullptr;
  SimMrzReader* sim_mrz_ = nullptr;
  SimCardReader* sim_card_ = nullptr;

  std::unique_ptr<Printer> printer_;  // owned by printer_loop once started
  std::unique_ptr<MrzReader> mrz_;
  std::unique_ptr<CardReader> card_;
  std::thread printer_thread_, mrz_thread_, card_thread_;
};

}  // namespace wm::hw
