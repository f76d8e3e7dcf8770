// Builds the printed ticket in the visitor's language and maps printer results to states.
#include "kiosk/kiosk_app/kiosk_ticket.hpp"

#include "core/clock.hpp"
#include "core/queries.hpp"

namespace wm::kiosk {

namespace {

std::string state_of(hw::PrintError e, bool near_end) {
  switch (e) {
    case hw::PrintError::ok: return near_end ? "paper_low" : "ok";
    case hw::PrintError::paper_end: return "paper_out";
    case hw::PrintError::cover_open: return "cover_open";
    case hw::PrintError::offline:
    case hw::PrintError::unplugged:
    case hw::PrintError::not_found:
    case hw::PrintError::timeout: return "offline";
    default: return "error";
  }
}

// "2026-11-22" + "09:41" → "22.11.2026 09:41": the way dates are written in Germany.
std::string local_stamp(core::Millis t) {
  std::string day = core::local_day(t);
  if (day.size() == 10) day = day.substr(8, 2) + "." + day.substr(5, 2) + "." + day.substr(0, 4);
  return day + " " + core::local_hhmm(t);
}

}  // namespace

std::string printer_state(const hw::PrintResult& r) { return state_of(r.error, r.paper_near_end); }

std::string printer_state(const hw::PrinterStatus& s) {
  return state_of(s.blocking(), s.paper_near_end);
}

hw::TicketPrint make_ticket_print(const core::Region& region, const nlohmann::json& reply,
                                  const i18n::Catalog& catalog, const std::string& lang) {
  i18n::Translator t(catalog, lang);
  const nlohmann::json& ticket = reply.at("ticket");
  hw::TicketPrint p;
  p.office_name = reply.value("office_name", "");
  p.number = ticket.value("number", "");
  for (const auto& id : ticket.value("services", std::vector<std::string>{})) {
    const core::Service* s = region.find_service(id);
    if (!s) continue;
    if (!p.service.empty()) p.service += " + ";
    p.service += core::localized(s->name, lang);
    for (const auto& d : s->documents) p.documents.push_back(core::localized(d, lang));
  }
  p.issued_at = local_stamp(ticket.value("issued_at", core::Millis(0)));
  if (reply.contains("estimate_ms") && reply["estimate_ms"].is_number()) {
    // The same rule as the kiosk screen and the status page: paper and phone agree.
    const int m = core::wait_minutes_for_display(reply["estimate_ms"].get<core::Millis>());
    p.estimated_wait = t("kiosk.about_minutes", {{"n", std::to_string(m)}});
  } else {
    p.estimated_wait = std::string(t("kiosk.no_counter_open"));
  }
  if (reply.contains("token"))
    p.qr_url = region.network.public_url + "/t/" + reply["token"].get<std::string>();
  if (reply.contains("slot"))
    p.footer_lines.push_back(t(appointment_line_key(reply.value("late", false)),
                               {{"time", reply["slot"].get<std::string>()}}));
  p.footer_lines.push_back(std::string(t("kiosk.ticket.footer")));
  p.labels.your_number = t("kiosk.done.your_number");
  p.labels.estimated_wait = t("common.estimated_wait");
  p.labels.documents = t("kiosk.summary.documents");
  p.labels.qr_hint = t("kiosk.ticket.qr_hint");
  return p;
}

}  // namespace wm::kiosk
