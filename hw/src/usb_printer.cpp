// USB ESC/POS printer: GET_DEVICE_ID, DLE EOT status round trips, chunked writes, confirmation.
#include "wm/hw/usb_printer.hpp"

#include <algorithm>

namespace wm::hw {

PrintError print_error_from_usb(UsbStatus s) {
  switch (s) {
    case UsbStatus::ok: return PrintError::ok;
    case UsbStatus::timeout: return PrintError::timeout;
    case UsbStatus::stall: return PrintError::stall;
    case UsbStatus::no_device: return PrintError::unplugged;
    case UsbStatus::not_found: return PrintError::not_found;
    default: return PrintError::io_error;
  }
}

UsbPrinter::UsbPrinter(std::unique_ptr<UsbDevice> dev, UsbPrinterTimeouts t)
    : dev_(std::move(dev)), t_(t), claim_(dev_->claim(kClassPrinter)) {}

std::string UsbPrinter::describe() const { return "usb printer " + dev_->info().describe(); }

PrintError UsbPrinter::identity(PrinterIdentity& out) {
  std::uint8_t buf[1024];
  std::size_t got = 0;
  const auto& ep = dev_->endpoints();
  // GET_DEVICE_ID: class, interface recipient; wIndex = interface << 8 | alternate setting.
  const UsbStatus s = dev_->control_in(
      0xA1, 0, 0, static_cast<std::uint16_t>((ep.interface_number << 8) | ep.alt_setting),
      buf, t_.control, &got);
  if (s != UsbStatus::ok) return print_error_from_usb(s);
  if (!parse_device_id(std::span(buf, got), out)) return PrintError::protocol_error;
  return PrintError::ok;
}

PrintError UsbPrinter::query(std::uint8_t n, std::uint8_t& out) {
  const std::uint8_t cmd[] = {0x10, 0x04, n};
  UsbStatus s = dev_->bulk_write(cmd, t_.status, nullptr);
  if (s != UsbStatus::ok) return print_error_from_usb(s);
  // Read a whole packet: a printer may have queued more than one byte; the last is the newest.
  std::vector<std::uint8_t> buf(std::max<std::size_t>(dev_->endpoints().bulk_in_max_packet, 64));
  std::size_t got = 0;
  s = dev_->bulk_read(buf, t_.status, &got);
  if (s != UsbStatus::ok) return print_error_from_usb(s);
  if (got == 0) return PrintError::protocol_error;
  out = buf[got - 1];
  return PrintError::ok;
}

PrinterStatus UsbPrinter::status() {
  PrinterStatus st;
  if (claim_ != UsbStatus::ok) {
    st.error = print_error_from_usb(claim_);
    return st;
  }
  std::uint8_t b[3];
  const std::uint8_t which[3] = {1, 2, 4};
  for (int i = 0; i < 3; ++i) {
    st.error = query(which[i], b[i]);
    if (st.error != PrintError::ok) {
      if (st.error == PrintError::stall) dev_->clear_halt(dev_->endpoints().bulk_in);
      return st;
    }
  }
  decode_status(b[0], b[1], b[2], st);
  return st;
}

PrintError UsbPrinter::send(std::span<const std::uint8_t> data, std::size_t* sent) {
  // Chunks keep each timeout meaningful: a slow printer still makes progress per chunk.
  constexpr std::size_t kChunk = 4096;
  *sent = 0;
  while (*sent < data.size()) {
    const std::size_t n = std::min(kChunk, data.size() - *sent);
    std::size_t done = 0;
    const UsbStatus s = dev_->bulk_write(data.subspan(*sent, n), t_.write, &done);
    *sent += done;
    if (s != UsbStatus::ok) {
      if (s == UsbStatus::stall) dev_->clear_halt(dev_->endpoints().bulk_out);
      return print_error_from_usb(s);
    }
  }
  return PrintError::ok;
}

PrintResult UsbPrinter::print_raw(std::span<const std::uint8_t> job) {
  PrintResult r;
  const PrinterStatus before = status();
  if (before.blocking() != PrintError::ok) {
    r.error = before.blocking();
    r.detail = "not printed: " + before.describe();
    return r;
  }
  r.error = send(job, &r.bytes_sent);
  if (r.error != PrintError::ok) {
    r.detail = "print failed after " + std::to_string(r.bytes_sent) + " of " +
               std::to_string(job.size()) + " bytes: " + std::string(to_string(r.error));
    return r;
  }
  // Confirmation: the printer must still report no error after taking the whole job.
  const PrinterStatus after = status();
  r.error = after.blocking();
  r.paper_near_end = after.paper_near_end;
  r.detail = r.error == PrintError::ok ? "printed (" + after.describe() + ")"
                                       : "printer reported after the job: " + after.describe();
  return r;
}

}  // namespace wm::hw
