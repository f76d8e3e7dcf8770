// ESC/POS ticket printer on a USB printer-class interface (bulk OUT data, bulk IN status).
#pragma once

#include <chrono>
#include <memory>

#include "wm/hw/printer.hpp"
#include "wm/hw/usb.hpp"

namespace wm::hw {

struct UsbPrinterTimeouts {
  std::chrono::milliseconds write{5000};   // per chunk: a printer that takes nothing for 5 s
  std::chrono::milliseconds status{800};   // one DLE EOT answer
  std::chrono::milliseconds control{1000}; // GET_DEVICE_ID
};

class UsbPrinter : public Printer {
 public:
  // Takes an opened device; claims its printer interface. Check `claim_status()`.
  explicit UsbPrinter(std::unique_ptr<UsbDevice> dev, UsbPrinterTimeouts t = {});
  UsbStatus claim_status() const { return claim_; }

  std::string describe() const override;
  PrintError identity(PrinterIdentity& out) override;
  PrinterStatus status() override;
  PrintResult print_raw(std::span<const std::uint8_t> job) override;

 private:
  PrintError query(std::uint8_t n, std::uint8_t& out);
  PrintError send(std::span<const std::uint8_t> data, std::size_t* sent);

  std::unique_ptr<UsbDevice> dev_;
  UsbPrinterTimeouts t_;
  UsbStatus claim_;
};

PrintError print_error_from_usb(UsbStatus s);

}  // namespace wm::hw
