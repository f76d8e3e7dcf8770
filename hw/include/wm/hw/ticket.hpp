// The ticket a kiosk prints (plain data, already translated) and its ESC/POS rendering.
#pragma once

#include <string>
#include <vector>

#include "wm/hw/escpos.hpp"

namespace wm::hw {

// Label texts printed on the ticket. The kiosk passes them already translated into the
// visitor's language; the defaults are German so a test print needs nothing.
struct TicketLabels {
  std::string your_number = "Ihre Nummer";
  std::string estimated_wait = "Voraussichtliche Wartezeit";
  std::string documents = "Bitte halten Sie bereit:";
  std::string qr_hint = "Wartestatus auf dem Handy:";
};

// Everything on one waiting ticket. All strings are UTF-8 and printed as given; empty fields
// (and an empty document list / QR URL / footer) are left out of the ticket.
struct TicketPrint {
  std::string office_name;     // "Bürgerbüro Görlitz"
  std::string number;          // "A-042": printed very large and bold
  std::string service;         // "Personalausweis beantragen"
  std::string issued_at;       // preformatted local date and time, "Mo 14.10.2024 09:41"
  std::string estimated_wait;  // preformatted, "ca. 25 Minuten"
  std::vector<std::string> documents;     // "Biometrisches Passfoto", ...
  std::string qr_url;                     // status page; printable ASCII
  std::vector<std::string> footer_lines;  // short multilingual hint, one line per language
  TicketLabels labels;
};

// Layout constants of an 80 mm printer with font A (12 x 24 dots, 576 dots per line).
inline constexpr int kTicketColumns = 48;

// Full ESC/POS job for one ticket: init, code page, text, QR, feed and cut.
Bytes render_ticket(const TicketPrint& t);

// A plausible ticket for `wartemarke-hw print-test` and the docs image (lang "de" or "en").
TicketPrint sample_ticket(const std::string& lang = "de");

}  // namespace wm::hw
