// The printed ticket: the broker's issue reply turned into a translated TicketPrint.
#pragma once

#include <nlohmann/json.hpp>

#include "core/config.hpp"
#include "core/i18n/catalog.hpp"
#include "wm/hw/printer.hpp"
#include "wm/hw/ticket.hpp"

namespace wm::kiosk {

// `reply` is the ticket.issue / appointment.checkin reply; texts follow `lang`.
hw::TicketPrint make_ticket_print(const core::Region& region, const nlohmann::json& reply,
                                  const i18n::Catalog& catalog, const std::string& lang);

// The appointment line of the done screen and the ticket: the booked time, or (`late`: checked
// in after late_arrival_minutes) that the visitor is called like one without an appointment.
inline const char* appointment_line_key(bool late) {
  return late ? "kiosk.done.appointment_late" : "kiosk.done.appointment";
}

// The device state reported to the broker (ok, paper_low, paper_out, cover_open, offline,
// error) for a print result or a status poll.
std::string printer_state(const hw::PrintResult& result);
std::string printer_state(const hw::PrinterStatus& status);

}  // namespace wm::kiosk
