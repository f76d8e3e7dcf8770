// DLE EOT status decoding, GET_DEVICE_ID parsing and printer error names.
#include <cstdio>

#include "wm/hw/printer.hpp"

namespace wm::hw {

std::string_view to_string(PrintError e) {
  switch (e) {
    case PrintError::ok: return "ok";
    case PrintError::paper_end: return "paper_end";
    case PrintError::cover_open: return "cover_open";
    case PrintError::offline: return "offline";
    case PrintError::printer_error: return "printer_error";
    case PrintError::timeout: return "timeout";
    case PrintError::stall: return "stall";
    case PrintError::unplugged: return "unplugged";
    case PrintError::not_found: return "not_found";
    case PrintError::protocol_error: return "protocol_error";
    case PrintError::io_error: return "io_error";
  }
  return "unknown";
}

bool decode_status(std::uint8_t printer, std::uint8_t cause, std::uint8_t paper,
                   PrinterStatus& out) {
  auto valid = [](std::uint8_t b) { return (b & 0x93) == 0x12; };
  out.raw[0] = printer, out.raw[1] = cause, out.raw[2] = paper;
  if (!valid(printer) || !valid(cause) || !valid(paper)) {
    out.error = PrintError::protocol_error;
    return false;
  }
  out.error = PrintError::ok;
  out.offline = printer & 0x08;
  out.cover_open = cause & 0x04;
  out.feed_button = cause & 0x08;
  out.paper_end = (paper & 0x60) || (cause & 0x20);
  out.error_state = cause & 0x40;
  out.paper_near_end = paper & 0x0C;
  return true;
}

PrintError PrinterStatus::blocking() const {
  if (error != PrintError::ok) return error;
  if (paper_end) return PrintError::paper_end;
  if (cover_open) return PrintError::cover_open;
  if (error_state) return PrintError::printer_error;
  if (offline) return PrintError::offline;
  return PrintError::ok;
}

std::string PrinterStatus::describe() const {
  if (error != PrintError::ok) return "status unavailable: " + std::string(to_string(error));
  std::string s;
  auto add = [&](bool f, const char* name) {
    if (!f) return;
    if (!s.empty()) s += ", ";
    s += name;
  };
  add(offline, "offline");
  add(cover_open, "cover open");
  add(paper_end, "paper end");
  add(paper_near_end, "paper near end");
  add(error_state, "error");
  add(feed_button, "feed button pressed");
  return s.empty() ? "ready" : s;
}

bool parse_device_id(std::span<const std::uint8_t> reply, PrinterIdentity& out) {
  if (reply.size() < 2) return false;
  std::size_t len = (static_cast<std::size_t>(reply[0]) << 8) | reply[1];
  // Some printers send the length little endian or without counting itself; clamp either way.
  if (len < 2 || len > reply.size()) len = reply.size();
  out.raw.assign(reply.begin() + 2, reply.begin() + len);
  std::size_t pos = 0;
  while (pos < out.raw.size()) {
    std::size_t end = out.raw.find(';', pos);
    if (end == std::string::npos) end = out.raw.size();
    const std::string item = out.raw.substr(pos, end - pos);
    const std::size_t colon = item.find(':');
    if (colon != std::string::npos) {
      const std::string key = item.substr(0, colon), value = item.substr(colon + 1);
      if (key == "MFG" || key == "MANUFACTURER") out.manufacturer = value;
      else if (key == "MDL" || key == "MODEL") out.model = value;
      else if (key == "CMD" || key == "COMMAND SET") out.command_set = value;
    }
    pos = end + 1;
  }
  return !out.raw.empty();
}

std::string PrinterIdentity::describe() const {
  if (manufacturer.empty() && model.empty()) return raw.empty() ? "unknown printer" : raw;
  std::string s = manufacturer + " " + model;
  if (!command_set.empty()) s += " (" + command_set + ")";
  return s;
}

}  // namespace wm::hw
