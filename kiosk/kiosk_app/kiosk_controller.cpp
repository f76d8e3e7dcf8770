// The kiosk's glue: model effects become Station requests and print jobs; answers come back.
#include "kiosk/kiosk_app/kiosk_controller.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "kiosk/kiosk_app/kiosk_ticket.hpp"
#include "wm/hw/mrz_reader.hpp"

namespace wm::kiosk {

Identity identity_from(const hw::MrzDocument& d) {
  Identity id;
  id.document_type = d.document_code;
  id.issuing_state = d.issuing_state;
  id.document_number = d.document_number;
  id.surname = d.surname;
  id.given_names = d.given_names;
  id.nationality = d.nationality;
  id.birth_date = hw::to_iso(d.birth_date);
  id.sex = d.sex == '<' ? std::string() : std::string(1, d.sex);
  id.expiry = hw::to_iso(d.expiry_date);
  id.expired = d.expired;
  return id;
}

KioskController::KioskController(std::shared_ptr<const core::Region> region,
                                 ControllerOptions options, const i18n::Catalog& catalog,
                                 std::function<void()> wake)
    : region_(std::move(region)),
      options_(std::move(options)),
      catalog_(catalog),
      wake_(std::move(wake)),
      model_(*region_, options_.kiosk_id, options_.flow) {
  // Screens and printed tickets in the county's time, not the kiosk PC's (issue 16 item 11).
  core::use_time_zone(region_->policy.timezone);
  hw_ = std::make_unique<hw::HwService>(options_.hw);
  hw_->set_callback([this](const hw::HwEvent& ev) {
    // The printer is polled every few seconds; an unchanged state is nothing to draw. The
    // event stays queued for the next frame (at the latest the idle screen's slow refresh).
    if (ev.kind == hw::HwEvent::Kind::printer_status) {
      std::string state = printer_state(ev.printer_status);
      std::lock_guard lock(wake_mu_);
      if (state == polled_printer_) return;
      polled_printer_ = std::move(state);
    }
    if (wake_) wake_();
  });
  hw_->start();
  core::StationOptions so;
  so.command_endpoint = options_.command_endpoint.empty() ? region_->network.command_endpoint
                                                          : options_.command_endpoint;
  so.event_endpoint = options_.event_endpoint.empty() ? region_->network.event_endpoint
                                                      : options_.event_endpoint;
  so.office = {};  // the whole county: the summary compares offices
  so.kind = "kiosk";
  so.name = options_.kiosk_id;
  so.on_change = [this] {
    if (wake_ && should_wake_for_replica()) wake_();
  };
  so.request_timeout = options_.request_timeout;
  // On a CURVE broker (the installed default) the kiosk's key comes from the environment its
  // unit sets: WARTEMARKE_KEY / WARTEMARKE_SERVER_KEY.
  so.curve = core::curve_keys_from_env();
  office_ = model_.office();
  station_ = std::make_unique<core::Station>(region_, so);
  station_ptr_.store(station_.get());
}

bool KioskController::should_wake_for_replica() {
  core::Station* st = station_ptr_.load();
  if (!st) return true;  // still starting: be safe
  std::vector<int> digest = replica_digest(*st->state(), office_, st->broker_now());
  const bool online = st->online();
  std::lock_guard lock(wake_mu_);
  if (digest == shown_digest_ && online == shown_online_) return false;
  shown_digest_ = std::move(digest);
  shown_online_ = online;
  return true;
}

KioskController::~KioskController() {
  station_ptr_.store(nullptr);
  station_.reset();
  if (hw_) hw_->stop();
}

void KioskController::update(double now) {
  const bool online = station_->online();
  model_.set_online(online);
  if (online && !was_online_) {
    // The broker may have missed our printer's state while we were away.
    station_->submit("device.status",
                     core::json{{"device", options_.kiosk_id + "/printer"},
                                {"state", model_.printer_state()}},
                     [](const core::Reply&) {});
  }
  was_online_ = online;

  std::deque<Answer> answers;
  {
    std::lock_guard lock(mu_);
    answers.swap(answers_);
  }
  for (auto& a : answers) {
    model_.on_reply(a.ok, a.body, a.error, now);
    run_effects(now);
  }

  for (const hw::HwEvent& ev : hw_->poll_events()) {
    using K = hw::HwEvent::Kind;
    if (ev.kind == K::print_done && ev.job_id == print_job_) {
      if (!ev.print.ok()) spdlog::warn("kiosk: print failed: {}", ev.print.detail);
      model_.on_print_result(ev.print.ok(), printer_state(ev.print), now);
    } else if (ev.kind == K::printer_status) {
      model_.on_printer_state(printer_state(ev.printer_status));
    } else if (ev.kind == K::device_lost && ev.role == hw::DeviceRole::printer) {
      model_.on_printer_state("offline");
    } else if (ev.kind == K::device_ready && ev.role == hw::DeviceRole::printer) {
      hw_->request_printer_status();
    } else if (ev.kind == K::document) {
      // Never log the document's fields: they are personal data.
      if (ev.document.ok() && ev.document.document)
        model_.on_document(identity_from(*ev.document.document), now);
      else
        model_.on_document(std::nullopt, now);
    }
  }

  // Demo: the simulated reader gets the specimen a moment after the visitor agreed.
  if (model_.screen() == Screen::id_scan && last_screen_ != Screen::id_scan &&
      options_.sim_specimen_delay >= 0 && hw_->sim_mrz_reader())
    specimen_at_ = now + options_.sim_specimen_delay;
  if (model_.screen() != Screen::id_scan) specimen_at_ = -1;
  if (specimen_at_ >= 0 && now >= specimen_at_) {
    specimen_at_ = -1;
    hw_->sim_mrz_reader()->present(hw::SimMrzReader::german_specimen());
  }
  last_screen_ = model_.screen();

  model_.tick(now);
  run_effects(now);
}

KioskView KioskController::view() const {
  KioskView v = build_view(model_, *station_->state(), station_->broker_now());
  v.sim_reader = hw_->sim_mrz_reader() != nullptr;
  return v;
}

void KioskController::apply(const Intents& in, double now) {
  model_.apply(in, now);
  run_effects(now);
}

void KioskController::run_effects(double) {
  for (Effect& e : model_.take_effects()) {
    switch (e.kind) {
      case Effect::Kind::issue:
      case Effect::Kind::checkin:
      case Effect::Kind::ticket_return: {
        const char* type = e.kind == Effect::Kind::issue     ? "ticket.issue"
                           : e.kind == Effect::Kind::checkin ? "appointment.checkin"
                                                             : "ticket.return";
        station_->submit(type, e.body, e.request_id, [this](const core::Reply& r) {
          Answer a{r.ok, r.ok ? r.body : core::json{{"message", r.message}},
                   r.ok ? std::string() : std::string(core::to_string(r.error))};
          {
            std::lock_guard lock(mu_);
            answers_.push_back(std::move(a));
          }
          if (wake_) wake_();
        });
        break;
      }
      case Effect::Kind::print: {
        std::string lang = e.body.value("language", "de");
        print_job_ = hw_->print(make_ticket_print(*region_, e.body, catalog_, lang));
        ++print_jobs_;
        break;
      }
      case Effect::Kind::device_status:
        station_->submit("device.status", e.body, [](const core::Reply& r) {
          if (!r.ok) spdlog::warn("kiosk: device.status not delivered: {}", r.message);
        });
        break;
    }
  }
}

}  // namespace wm::kiosk
