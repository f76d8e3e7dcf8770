// Builds the kiosk's view-model from the flow model and the broker replica.
#include "kiosk/kiosk_app/kiosk_view.hpp"

#include <algorithm>

#include "core/estimate.hpp"
#include "core/office_hours.hpp"
#include "core/queries.hpp"

namespace wm::kiosk {

using core::wait_minutes_for_display;

namespace {

ServiceView service_view(const core::Service& s, const core::State& state,
                         const std::string& office, const std::string& lang, core::Millis now) {
  ServiceView v;
  v.id = s.id;
  v.title = core::localized(s.name, lang);
  v.description = core::localized(s.description, lang);
  for (const auto& d : s.documents) v.documents.push_back(core::localized(d, lang));
  v.waiting = core::waiting_for(state, office, s.id);
  if (auto est = core::estimate_new(state, office, s.id, now))
    v.minutes = wait_minutes_for_display(*est);
  return v;
}

// The one hours rule, per tile: past the last-ticket time the tile offers the next opening.
void apply_hours(ServiceView& v, const core::State& state, const core::Office* office,
                 bool online, core::Millis now) {
  if (!office || !online) return;
  core::IssueVerdict verdict = core::issue_verdict(state, *office, v.id, now);
  if (verdict.kind == core::IssueVerdict::Kind::past_cutoff) {
    v.last_ticket_passed = true;
    v.next_opening = verdict.next_opening;
  }
}

}  // namespace

std::vector<int> replica_digest(const core::State& state, const std::string& office,
                                core::Millis now) {
  const core::Region& region = state.region();
  std::vector<int> out;
  // Opening and closing (and each tile's last ticket) change the picture too.
  if (const core::Office* o = region.find_office(office)) {
    out.push_back(core::office_open(*o, now) ? 1 : 0);
    for (const auto& s : region.services)
      if (region.office_offers(office, s.id))
        out.push_back(core::issue_verdict(state, *o, s.id, now).ok() ? 1 : 0);
  }
  for (const auto& s : region.services) {
    if (region.office_offers(office, s.id)) out.push_back(core::waiting_for(state, office, s.id));
    for (const auto& o : region.offices) {
      if (!region.office_offers(o.id, s.id)) continue;
      auto est = core::estimate_new(state, o.id, s.id, now);
      out.push_back(est ? wait_minutes_for_display(*est) : -1);
    }
  }
  return out;
}

KioskView build_view(const KioskModel& model, const core::State& state, core::Millis now) {
  const core::Region& region = state.region();
  const std::string& lang = model.lang();
  KioskView v;
  v.screen = model.screen();
  v.online = model.online();
  v.now = now;
  const core::Office* office = region.find_office(model.office());
  if (office) v.office_name = office->name;
  if (office && v.online && !core::office_open(*office, now)) {
    v.closed = true;
    v.next_opening = core::office_next_opening(*office, now);
    // Nothing to choose while closed; the language list and the booking code stay reachable
    // (a booked visitor is checked in whatever the hours).
    if (v.screen == Screen::services || v.screen == Screen::second_service)
      v.screen = Screen::closed;
  }
  for (const auto& s : region.services)
    if (region.office_offers(model.office(), s.id)) {
      v.offered.push_back(service_view(s, state, model.office(), lang, now));
      apply_hours(v.offered.back(), state, office, v.online && !v.closed, now);
    }
  for (const auto& id : model.services())
    if (const core::Service* s = region.find_service(id)) {
      v.selected.push_back(service_view(*s, state, model.office(), lang, now));
      apply_hours(v.selected.back(), state, office, v.online && !v.closed, now);
    }
  for (const auto& id : model.second_choices())
    if (const core::Service* s = region.find_service(id)) {
      v.combinable.push_back(service_view(*s, state, model.office(), lang, now));
      apply_hours(v.combinable.back(), state, office, v.online && !v.closed, now);
    }
  if (!v.selected.empty()) {
    v.estimate = v.selected.front().minutes;
    // Another office of the county: only when the drive plus its wait beats staying by a
    // lot (core/queries.hpp has the rule and the travel figures come from the config).
    if (auto near = core::suggest_nearby_office(state, model.office(), v.selected.front().id, now))
      v.alternative = Alternative{near->office->name, near->office->address, near->wait_minutes,
                                  near->travel_minutes};
  }
  v.identity = model.identity();
  // A second concern that no counter could take today any more is not offered either.
  v.can_add_second = model.can_add_second() &&
                     std::any_of(v.combinable.begin(), v.combinable.end(),
                                 [](const ServiceView& s) { return !s.last_ticket_passed; });
  v.can_add_id = model.can_add_id();
  v.code = model.code();
  v.failure = model.failure();
  v.code_failure = model.code_failure();
  v.number = model.ticket_number();
  const json& reply = model.ticket_reply();
  if (reply.is_object()) {
    if (reply.contains("estimate_ms") && reply["estimate_ms"].is_number())
      v.ticket_minutes = wait_minutes_for_display(reply["estimate_ms"].get<core::Millis>());
    v.slot = reply.value("slot", "");
    v.late = reply.value("late", false);
  }
  v.printer_state = model.printer_state();
  v.print_attempts = model.print_attempts();
  v.returned_number = model.returned_number();
  return v;
}

}  // namespace wm::kiosk
