// HwService: one worker thread per device role, reopen on hotplug/retry, events to the UI.
#include "wm/hw/hw_service.hpp"

#include <stdexcept>

#include "wm/hw/sim_printer.hpp"
#include "wm/hw/usb.hpp"

namespace wm::hw {

std::string_view to_string(HwEvent::Kind k) {
  switch (k) {
    case HwEvent::Kind::device_ready: return "device_ready";
    case HwEvent::Kind::device_lost: return "device_lost";
    case HwEvent::Kind::printer_status: return "printer_status";
    case HwEvent::Kind::print_done: return "print_done";
    case HwEvent::Kind::document: return "document";
    case HwEvent::Kind::card_inserted: return "card_inserted";
    case HwEvent::Kind::card_removed: return "card_removed";
  }
  return "?";
}

namespace {
DeviceSpec parse_or_throw(const std::string& text, DeviceRole role) {
  std::string err;
  auto spec = parse_device_spec(text, role, &err);
  if (!spec) throw std::invalid_argument(err);
  return *spec;
}
bool same_status(const PrinterStatus& a, const PrinterStatus& b) {
  return a.error == b.error && a.offline == b.offline && a.cover_open == b.cover_open &&
         a.paper_end == b.paper_end && a.paper_near_end == b.paper_near_end &&
         a.error_state == b.error_state;
}
int idx(DeviceRole r) { return static_cast<int>(r); }
HwEvent make_event(HwEvent::Kind kind, DeviceRole role, std::string message) {
  HwEvent ev;
  ev.kind = kind;
  ev.role = role;
  ev.message = std::move(message);
  return ev;
}
}  // namespace

HwService::HwService(HwConfig cfg)
    : cfg_(std::move(cfg)),
      printer_spec_(parse_or_throw(cfg_.printer, DeviceRole::printer)),
      mrz_spec_(parse_or_throw(cfg_.mrz, DeviceRole::mrz_reader)),
      card_spec_(parse_or_throw(cfg_.card, DeviceRole::card_reader)) {
  const bool need_usb = (cfg_.enable_printer && printer_spec_.uses_usb()) ||
                        (cfg_.enable_mrz && mrz_spec_.uses_usb()) ||
                        (cfg_.enable_card && card_spec_.uses_usb());
  if (need_usb) usb_ = std::make_unique<UsbContext>();
  printer_status_.error = PrintError::not_found;
}

HwService::~HwService() { stop(); }

void HwService::start() {
  {
    std::lock_guard lock(mu_);
    if (started_) return;
    started_ = true;
  }
  // Hotplug only wakes the workers: they find out themselves what arrived or left.
  if (usb_) hotplug_id_ = usb_->add_hotplug([this](HotplugEvent, const UsbDeviceInfo&) { on_hotplug(); });
  if (cfg_.enable_printer) printer_thread_ = std::thread([this] { printer_loop(); });
  if (cfg_.enable_mrz) mrz_thread_ = std::thread([this] { mrz_loop(); });
  if (cfg_.enable_card) card_thread_ = std::thread([this] { card_loop(); });
}

void HwService::stop() {
  stop_ = true;
  printer_cv_.notify_all();
  mrz_cv_.notify_all();
  card_cv_.notify_all();
  if (printer_thread_.joinable()) printer_thread_.join();
  if (mrz_thread_.joinable()) mrz_thread_.join();
  if (card_thread_.joinable()) card_thread_.join();
  if (usb_ && hotplug_id_ >= 0) usb_->remove_hotplug(hotplug_id_);
  hotplug_id_ = -1;
  std::lock_guard lock(mu_);
  for (auto& j : jobs_) {
    PrintResult r;
    r.error = PrintError::not_found;
    r.detail = "service stopped";
    j.done.set_value(r);
  }
  jobs_.clear();
  for (auto& a : apdus_) a.done.set_value(CardResult{CardError::not_found, {}, "service stopped"});
  apdus_.clear();
}

void HwService::on_hotplug() {
  {
    std::lock_guard lock(mu_);
    printer_wake_ = mrz_wake_ = card_wake_ = true;
  }
  printer_cv_.notify_all();
  mrz_cv_.notify_all();
  card_cv_.notify_all();
}

void HwService::emit(HwEvent ev) {
  std::function<void(const HwEvent&)> cb;
  {
    std::lock_guard lock(mu_);
    events_.push_back(ev);
    if (events_.size() > 1000) events_.pop_front();  // nobody polls: do not grow forever
    cb = callback_;
  }
  events_cv_.notify_all();
  if (cb) cb(ev);
}

void HwService::set_ready(DeviceRole role, bool ready, const std::string& message) {
  {
    std::lock_guard lock(mu_);
    const int i = idx(role);
    if (ready_[i] == ready && (ready || missing_reported_[i])) return;  // no news
    ready_[i] = ready;
    missing_reported_[i] = !ready;
  }
  emit(make_event(ready ? HwEvent::Kind::device_ready : HwEvent::Kind::device_lost, role, message));
}

std::uint64_t HwService::print(TicketPrint ticket, std::future<PrintResult>* result) {
  std::uint64_t id;
  {
    std::lock_guard lock(mu_);
    id = next_job_++;
    jobs_.push_back(Job{id, std::move(ticket), {}});
    if (result) *result = jobs_.back().done.get_future();
    if (!started_ || !cfg_.enable_printer) {
      PrintResult r;
      r.error = PrintError::not_found;
      r.detail = "printer disabled or service not started";
      jobs_.back().done.set_value(r);
      jobs_.pop_back();
      return id;
    }
  }
  printer_cv_.notify_all();
  return id;
}

void HwService::request_printer_status() {
  {
    std::lock_guard lock(mu_);
    status_requested_ = true;
  }
  printer_cv_.notify_all();
}

std::future<CardResult> HwService::transmit(Bytes apdu) {
  std::lock_guard lock(mu_);
  apdus_.push_back(Apdu{std::move(apdu), {}});
  return apdus_.back().done.get_future();
}

std::vector<HwEvent> HwService::poll_events() {
  std::lock_guard lock(mu_);
  std::vector<HwEvent> out(std::make_move_iterator(events_.begin()),
                           std::make_move_iterator(events_.end()));
  events_.clear();
  return out;
}

bool HwService::wait_event(HwEvent& out, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  if (!events_cv_.wait_for(lock, timeout, [&] { return !events_.empty(); })) return false;
  out = std::move(events_.front());
  events_.pop_front();
  return true;
}

void HwService::set_callback(std::function<void(const HwEvent&)> cb) {
  std::lock_guard lock(mu_);
  callback_ = std::move(cb);
}

bool HwService::ready(DeviceRole role) const {
  std::lock_guard lock(mu_);
  return ready_[idx(role)];
}

PrinterStatus HwService::printer_status() const {
  std::lock_guard lock(mu_);
  return printer_status_;
}

SimPrinter* HwService::sim_printer() const {
  std::lock_guard lock(mu_);
  return sim_printer_;
}
SimMrzReader* HwService::sim_mrz_reader() const {
  std::lock_guard lock(mu_);
  return sim_mrz_;
}
SimCardReader* HwService::sim_card_reader() const {
  std::lock_guard lock(mu_);
  return sim_card_;
}

// ---------------------------------------------------------------- printer worker

void HwService::lose_printer(const std::string& why) {
  // A simulator stays the same object (its conditions live in it); a USB device handle is
  // dead after an unplug and is reopened when the device comes back.
  if (printer_spec_.kind != DeviceSpec::Kind::sim) {
    printer_.reset();
    std::lock_guard lock(mu_);
    sim_printer_ = nullptr;
  }
  set_ready(DeviceRole::printer, false, why);
}

void HwService::printer_loop() {
  auto next_status = std::chrono::steady_clock::now();
  std::string last_error = "not opened yet";
  while (!stop_) {
    if (!printer_) {
      std::string err;
      printer_ = open_printer(printer_spec_, usb_.get(), &err);
      if (printer_) {
        {
          std::lock_guard lock(mu_);
          if (printer_spec_.kind == DeviceSpec::Kind::sim) sim_printer_ = static_cast<SimPrinter*>(printer_.get());
        }
        set_ready(DeviceRole::printer, true, printer_->describe());
        next_status = std::chrono::steady_clock::now();
      } else {
        last_error = err;
        set_ready(DeviceRole::printer, false, err);
      }
    }
    std::unique_lock lock(mu_);
    const auto wait_until = printer_ ? next_status
                                     : std::chrono::steady_clock::now() + cfg_.retry_interval;
    printer_cv_.wait_until(lock, wait_until, [&] {
      return stop_ || !jobs_.empty() || status_requested_ || printer_wake_;
    });
    if (stop_) break;
    if (!jobs_.empty()) {
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      PrintResult r;
      if (!printer_) {
        r.error = PrintError::not_found;
        r.detail = "no printer: " + last_error;
      } else {
        r = printer_->print(job.ticket);
      }
      HwEvent ev = make_event(HwEvent::Kind::print_done, DeviceRole::printer, r.detail);
      ev.job_id = job.id;
      ev.print = r;
      emit(std::move(ev));
      job.done.set_value(r);
      if (r.error == PrintError::unplugged && printer_) {
        last_error = "printer unplugged";
        lose_printer("printer unplugged during a print");
      }
      next_status = std::chrono::steady_clock::now();  // refresh the status after a job
      continue;
    }
    const bool requested = status_requested_;
    const bool woke = printer_wake_;
    status_requested_ = printer_wake_ = false;
    lock.unlock();
    if (!printer_ || (!requested && !woke && std::chrono::steady_clock::now() < next_status)) continue;
    const PrinterStatus st = printer_->status();
    next_status = std::chrono::steady_clock::now() + cfg_.status_interval;
    bool changed;
    {
      std::lock_guard l2(mu_);
      changed = !same_status(st, printer_status_);
      printer_status_ = st;
    }
    if (st.error == PrintError::unplugged || st.error == PrintError::io_error)
      lose_printer("printer lost: " + std::string(to_string(st.error)));
    else if (st.error == PrintError::ok)
      set_ready(DeviceRole::printer, true, printer_->describe());  // e.g. sim plugged back
    if (changed || requested) {
      HwEvent ev = make_event(HwEvent::Kind::printer_status, DeviceRole::printer, st.describe());
      ev.printer_status = st;
      emit(std::move(ev));
    }
  }
  printer_.reset();
}

// ---------------------------------------------------------------- MRZ worker

void HwService::mrz_loop() {
  while (!stop_) {
    if (!mrz_) {
      std::string err;
      mrz_ = open_mrz_reader(mrz_spec_, usb_.get(), &err);
      if (mrz_) {
        {
          std::lock_guard lock(mu_);
          if (mrz_spec_.kind == DeviceSpec::Kind::sim) sim_mrz_ = static_cast<SimMrzReader*>(mrz_.get());
        }
        set_ready(DeviceRole::mrz_reader, true, mrz_->describe());
      } else {
        set_ready(DeviceRole::mrz_reader, false, err);
        std::unique_lock lock(mu_);
        mrz_cv_.wait_for(lock, cfg_.retry_interval, [&] { return stop_ || mrz_wake_; });
        mrz_wake_ = false;
        continue;
      }
    }
    ReaderError err = ReaderError::ok;
    auto lines = mrz_->read(std::chrono::milliseconds(200), &err);
    if (lines) {
      HwEvent ev = make_event(HwEvent::Kind::document, DeviceRole::mrz_reader, {});
      ev.document = parse_mrz(*lines, cfg_.today());
      ev.message = ev.document.ok() ? "document read" : ev.document.message;
      emit(std::move(ev));
    } else if (err != ReaderError::ok) {
      mrz_.reset();
      set_ready(DeviceRole::mrz_reader, false, "MRZ reader lost: " + std::string(to_string(err)));
    }
  }
  {
    std::lock_guard lock(mu_);
    sim_mrz_ = nullptr;
  }
  mrz_.reset();
}

// ---------------------------------------------------------------- card worker

void HwService::card_loop() {
  auto power_on = [&] {
    const CardResult r = card_->power_on();
    HwEvent ev = make_event(HwEvent::Kind::card_inserted, DeviceRole::card_reader, r.ok() ? "card ready" : r.detail);
    ev.atr = r.data;
    ev.card_error = r.error;
    emit(std::move(ev));
    return r.error;
  };
  while (!stop_) {
    if (!card_) {
      std::string err;
      card_ = open_card_reader(card_spec_, usb_.get(), &err);
      if (card_) {
        {
          std::lock_guard lock(mu_);
          if (card_spec_.kind == DeviceSpec::Kind::sim) sim_card_ = static_cast<SimCardReader*>(card_.get());
        }
        set_ready(DeviceRole::card_reader, true, card_->describe());
        CardError e = CardError::ok;
        const SlotState s = card_->slot_state(&e);
        if (s == SlotState::present_inactive || s == SlotState::active) power_on();
      } else {
        set_ready(DeviceRole::card_reader, false, err);
        std::unique_lock lock(mu_);
        for (auto& a : apdus_) a.done.set_value(CardResult{CardError::not_found, {}, err});
        apdus_.clear();
        card_cv_.wait_for(lock, cfg_.retry_interval, [&] { return stop_ || card_wake_; });
        card_wake_ = false;
        continue;
      }
    }
    std::deque<Apdu> todo;
    {
      std::lock_guard lock(mu_);
      todo.swap(apdus_);
    }
    for (auto& a : todo) a.done.set_value(card_->transmit(a.apdu));
    CardError err = CardError::ok;
    const auto change = card_->wait_slot_change(std::chrono::milliseconds(200), &err);
    if (err == CardError::unplugged || err == CardError::io_error) {
      card_.reset();
      {
        std::lock_guard lock(mu_);
        sim_card_ = nullptr;
      }
      set_ready(DeviceRole::card_reader, false, "card reader lost: " + std::string(to_string(err)));
      continue;
    }
    if (change) {
      if (*change) {
        power_on();
      } else {
        emit(make_event(HwEvent::Kind::card_removed, DeviceRole::card_reader, "card removed"));
      }
    }
  }
  {
    std::lock_guard lock(mu_);
    sim_card_ = nullptr;
  }
  card_.reset();
}

}  // namespace wm::hw
