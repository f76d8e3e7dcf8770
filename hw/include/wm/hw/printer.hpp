// Ticket printer interface: identity, real-time status and confirmed printing.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "wm/hw/escpos.hpp"
#include "wm/hw/ticket.hpp"

namespace wm::hw {

// What went wrong with a print or a status query, most specific first.
enum class PrintError {
  ok,
  paper_end,       // out of paper (DLE EOT 4 bits 5-6 or DLE EOT 2 bit 5)
  cover_open,      // DLE EOT 2 bit 2
  offline,         // DLE EOT 1 bit 3 without a more specific cause
  printer_error,   // DLE EOT 2 bit 6: cutter jam, head overheated, ...
  timeout,         // the printer did not take the data / answer in time
  stall,           // endpoint halted (LIBUSB_ERROR_PIPE)
  unplugged,       // device vanished during the job
  not_found,       // no such device (spec did not match, nothing attached)
  protocol_error,  // status byte malformed, GET_DEVICE_ID unreadable
  io_error,        // any other transport failure
};
std::string_view to_string(PrintError e);

// Decoded real-time status (DLE EOT 1, 2, 4).
struct PrinterStatus {
  PrintError error = PrintError::ok;  // transport failure when the status could not be read
  bool offline = false;
  bool cover_open = false;
  bool paper_end = false;
  bool paper_near_end = false;  // a warning: printing still works
  bool feed_button = false;
  bool error_state = false;  // unrecoverable/auto-recoverable error bit
  std::uint8_t raw[3] = {0, 0, 0};  // the three status bytes as read

  // The most specific blocking condition, or ok (paper near end does not block).
  PrintError blocking() const;
  bool ready() const { return blocking() == PrintError::ok; }
  std::string describe() const;
};

// Decodes the answers to DLE EOT 1, 2 and 4; false if a byte is not a status byte
// (bits 1 and 4 set, bit 7 clear).
bool decode_status(std::uint8_t printer, std::uint8_t offline_cause, std::uint8_t paper,
                   PrinterStatus& out);

struct PrintResult {
  PrintError error = PrintError::ok;
  bool paper_near_end = false;  // printed, but the roll needs changing soon
  std::size_t bytes_sent = 0;
  std::string detail;  // human readable, for logs and the admin tool
  bool ok() const { return error == PrintError::ok; }
};

// From IEEE 1284 GET_DEVICE_ID ("MFG:EPSON;CMD:ESCPOS;MDL:TM-T20II;").
struct PrinterIdentity {
  std::string manufacturer, model, command_set, raw;
  std::string describe() const;
};
bool parse_device_id(std::span<const std::uint8_t> reply, PrinterIdentity& out);

// A ticket printer. Calls may block up to their timeouts (a few seconds): call them from a
// worker (HwService does), never from a UI thread. Not thread-safe; one owner at a time.
class Printer {
 public:
  virtual ~Printer() = default;
  virtual std::string describe() const = 0;
  virtual PrintError identity(PrinterIdentity& out) = 0;
  virtual PrinterStatus status() = 0;
  // Refuses to print when the status shows a blocking condition; confirms the job by reading
  // the status again after the data went out.
  virtual PrintResult print_raw(std::span<const std::uint8_t> job) = 0;
  PrintResult print(const TicketPrint& t) { return print_raw(render_ticket(t)); }
};

}  // namespace wm::hw
