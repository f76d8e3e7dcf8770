// Lays out a TicketPrint as ESC/POS: header, huge number, service, wait, documents, QR, footer.
#include "wm/hw/ticket.hpp"

#include <algorithm>

namespace wm::hw {

Bytes render_ticket(const TicketPrint& t) {
  EscPos p;
  p.init();
  p.align(1);
  if (!t.office_name.empty()) {
    p.bold(true).size(2, 2);
    for (const auto& l : wrap_text(t.office_name, kTicketColumns / 2)) p.line(l);
    p.size(1, 1).bold(false);
  }
  if (!t.issued_at.empty()) p.line(t.issued_at);
  p.rule(kTicketColumns);
  if (!t.labels.your_number.empty()) p.line(t.labels.your_number);
  if (!t.number.empty()) {
    // As large as fits the paper: 48 columns / length, capped at 6x (8x looks crude).
    const int len = static_cast<int>(std::max<std::size_t>(column_width(t.number), 1));
    const int mult = std::clamp(kTicketColumns / len, 1, 6);
    p.bold(true).size(mult, mult).line(t.number).size(1, 1).bold(false);
  }
  if (!t.service.empty()) {
    p.bold(true).size(2, 2);
    for (const auto& l : wrap_text(t.service, kTicketColumns / 2)) p.line(l);
    p.size(1, 1).bold(false);
  }
  if (!t.estimated_wait.empty()) {
    p.feed(1);
    for (const auto& l : wrap_text(t.labels.estimated_wait, kTicketColumns)) p.line(l);
    p.bold(true).line(t.estimated_wait).bold(false);
  }
  p.rule(kTicketColumns);
  if (!t.documents.empty()) {
    p.align(0).bold(true);
    for (const auto& l : wrap_text(t.labels.documents, kTicketColumns)) p.line(l);
    p.bold(false);
    for (const auto& d : t.documents) {
      const auto lines = wrap_text(d, kTicketColumns - 2);
      for (size_t i = 0; i < lines.size(); ++i) p.line((i == 0 ? "- " : "  ") + lines[i]);
    }
    p.align(1).rule(kTicketColumns);
  }
  if (!t.qr_url.empty()) {
    if (!t.labels.qr_hint.empty()) p.line(t.labels.qr_hint);
    p.qr(t.qr_url, 6, 'M');
    p.line("");
  }
  for (const auto& f : t.footer_lines)
    for (const auto& l : wrap_text(f, kTicketColumns)) p.line(l);
  p.cut(96);
  return p.take();
}

TicketPrint sample_ticket(const std::string& lang) {
  TicketPrint t;
  t.office_name = "Bürgerbüro Görlitz";
  t.number = "A-042";
  t.issued_at = "Mo 14.10.2024 09:41";
  t.qr_url = "https://wartemarke.landkreis-goerlitz.de/s/GR/A-042";
  t.footer_lines = {"Bitte warten Sie, bis Ihre Nummer aufgerufen wird.",
                    "Please wait until your number is called.",
                    "Proszę czekać na wywołanie numeru.",
                    "Будь ласка, зачекайте на виклик номера."};
  if (lang == "en") {
    t.service = "Apply for an identity card";
    t.estimated_wait = "about 25 minutes";
    t.documents = {"Current identity card or passport", "Biometric passport photo",
                   "Birth certificate (first application only)"};
    t.labels = {"Your number", "Estimated waiting time", "Please have ready:",
                "Waiting status on your phone:"};
  } else {
    t.service = "Personalausweis beantragen";
    t.estimated_wait = "ca. 25 Minuten";
    t.documents = {"Bisheriger Ausweis oder Reisepass", "Biometrisches Passfoto",
                   "Geburtsurkunde (nur bei Erstausstellung)", "Gebühr: 37,00 € (EC-Karte möglich)"};
  }
  return t;
}

}  // namespace wm::hw
