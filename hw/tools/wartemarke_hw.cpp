// wartemarke-hw: the admin's tool when installing a kiosk: list devices, test print, printer
// status, read a document, test the card reader.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "wm/hw/card_reader.hpp"
#include "wm/hw/device_spec.hpp"
#include "wm/hw/mrz.hpp"
#include "wm/hw/mrz_reader.hpp"
#include "wm/hw/printer.hpp"
#include "wm/hw/usb.hpp"

using namespace wm::hw;

namespace {

std::optional<DeviceSpec> spec_or_complain(const std::string& text, DeviceRole role) {
  std::string err;
  auto spec = parse_device_spec(text, role, &err);
  if (!spec) std::cerr << "error: " << err << "\n";
  return spec;
}

std::unique_ptr<UsbContext> usb_for(const DeviceSpec& spec) {
  if (!spec.uses_usb()) return nullptr;
  try {
    return std::make_unique<UsbContext>();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return nullptr;
  }
}

int cmd_list() {
  std::unique_ptr<UsbContext> usb;
  try {
    usb = std::make_unique<UsbContext>();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  const auto devs = usb->list(true);
  if (devs.empty()) std::cout << "no USB devices found\n";
  for (const auto& d : devs) {
    std::string hint;
    if (d.has_interface_class(kClassPrinter)) hint = "  -> printer = \"usb:" + d.id() + "\"";
    else if (d.has_interface_class(kClassSmartCard)) hint = "  -> card = \"usb:" + d.id() + "\"";
    else if (d.has_interface_class(kClassHid)) hint = "  -> mrz = \"usb-hid:" + d.id() + "\" (if it is the document reader)";
    std::cout << d.describe() << hint << "\n";
  }
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/dev", ec)) {
    const std::string n = e.path().filename().string();
    if (n.starts_with("ttyACM") || n.starts_with("ttyUSB"))
      std::cout << e.path().string() << " [serial]  -> mrz = \"serial:" << e.path().string() << "\"\n";
  }
  return 0;
}

int cmd_printer_status(const std::string& spec_text) {
  auto spec = spec_or_complain(spec_text, DeviceRole::printer);
  if (!spec) return 2;
  auto usb = usb_for(*spec);
  std::string err;
  auto p = open_printer(*spec, usb.get(), &err);
  if (!p) {
    std::cerr << "error: " << err << "\n";
    return 1;
  }
  std::cout << "printer: " << p->describe() << "\n";
  PrinterIdentity id;
  const PrintError ie = p->identity(id);
  std::cout << "identity: " << (ie == PrintError::ok ? id.describe() : "unavailable (" + std::string(to_string(ie)) + ")") << "\n";
  const PrinterStatus st = p->status();
  std::cout << "status: " << st.describe() << "\n";
  return st.ready() ? 0 : 1;
}

int cmd_print_test(const std::string& spec_text, const std::string& lang) {
  auto spec = spec_or_complain(spec_text, DeviceRole::printer);
  if (!spec) return 2;
  auto usb = usb_for(*spec);
  std::string err;
  auto p = open_printer(*spec, usb.get(), &err);
  if (!p) {
    std::cerr << "error: " << err << "\n";
    return 1;
  }
  const PrintResult r = p->print(sample_ticket(lang));
  if (!r.ok()) {
    std::cerr << "print failed: " << to_string(r.error) << ": " << r.detail << "\n";
    return 1;
  }
  std::cout << "printed test ticket on " << p->describe() << ": " << r.detail << "\n";
  if (r.paper_near_end) std::cout << "warning: paper near end, change the roll soon\n";
  return 0;
}

int cmd_read_document(const std::string& spec_text, int timeout_s) {
  auto spec = spec_or_complain(spec_text, DeviceRole::mrz_reader);
  if (!spec) return 2;
  auto usb = usb_for(*spec);
  std::string err;
  auto r = open_mrz_reader(*spec, usb.get(), &err);
  if (!r) {
    std::cerr << "error: " << err << "\n";
    return 1;
  }
  std::cout << "waiting up to " << timeout_s << " s for a document on " << r->describe() << " ...\n";
  ReaderError re = ReaderError::ok;
  const auto lines = r->read(std::chrono::seconds(timeout_s), &re);
  if (!lines) {
    std::cerr << (re == ReaderError::ok ? "error: no document read (timeout)"
                                        : "error: reader failed: " + std::string(to_string(re)))
              << "\n";
    return 1;
  }
  for (const auto& l : *lines) std::cout << "  " << l << "\n";
  const MrzResult m = parse_mrz(*lines, local_today());
  if (!m.ok()) {
    std::cerr << "invalid MRZ: " << to_string(m.error) << ": " << m.message << "\n";
    return 1;
  }
  const MrzDocument& d = *m.document;
  std::cout << "document: " << d.document_code << " issued by " << d.issuing_state << ", number "
            << d.document_number << "\n"
            << "name:     " << d.surname << ", " << d.given_names << "\n"
            << "born:     " << to_iso(d.birth_date) << "  sex: " << d.sex
            << "  nationality: " << d.nationality << "\n"
            << "expires:  " << to_iso(d.expiry_date) << (d.expired ? "  (EXPIRED)" : "") << "\n";
  return 0;
}

int cmd_card_test(const std::string& spec_text) {
  auto spec = spec_or_complain(spec_text, DeviceRole::card_reader);
  if (!spec) return 2;
  auto usb = usb_for(*spec);
  std::string err;
  auto r = open_card_reader(*spec, usb.get(), &err);
  if (!r) {
    std::cerr << "error: " << err << "\n";
    return 1;
  }
  std::cout << "reader: " << r->describe() << "\n";
  const CardResult atr = r->power_on();
  if (!atr.ok()) {
    std::cerr << "power on failed: " << to_string(atr.error) << ": " << atr.detail << "\n";
    return 1;
  }
  std::cout << "ATR:";
  for (auto b : atr.data) std::printf(" %02X", b);
  std::cout << std::endl;
  r->power_off();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wartemarke-hw: check the kiosk's ticket printer, document and card readers"};
  app.require_subcommand(1);
  std::string printer = "usb", mrz, card = "usb", lang = "de";
  int timeout_s = 30;
  auto* list = app.add_subcommand("list", "list USB devices and serial ports with spec hints");
  auto* pt = app.add_subcommand("print-test", "print a sample ticket");
  pt->add_option("--printer", printer, "printer spec: sim[:dir] | usb | usb:VID:PID")->capture_default_str();
  pt->add_option("--lang", lang, "ticket language: de | en")->capture_default_str();
  auto* ps = app.add_subcommand("printer-status", "show printer identity and status");
  ps->add_option("--printer", printer, "printer spec")->capture_default_str();
  auto* rd = app.add_subcommand("read-document", "read and check one document's MRZ");
  rd->add_option("--mrz", mrz, "sim[:file] | usb-hid:VID:PID[:de] | serial:/dev/ttyACM0[@baud]")->required();
  rd->add_option("--timeout", timeout_s, "seconds to wait")->capture_default_str();
  auto* ct = app.add_subcommand("card-test", "power on the card in the reader and show its ATR");
  ct->add_option("--card", card, "card reader spec: sim | usb | usb:VID:PID")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (list->parsed()) return cmd_list();
  if (pt->parsed()) return cmd_print_test(printer, lang);
  if (ps->parsed()) return cmd_printer_status(printer);
  if (rd->parsed()) return cmd_read_document(mrz, timeout_s);
  if (ct->parsed()) return cmd_card_test(card);
  return 2;
}
