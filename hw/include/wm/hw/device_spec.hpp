// Device spec strings from the configuration ("sim:<dir>", "usb:04b8:0e15", ...) and factories.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "wm/hw/card_reader.hpp"
#include "wm/hw/mrz_reader.hpp"
#include "wm/hw/printer.hpp"
#include "wm/hw/usb.hpp"

namespace wm::hw {

enum class DeviceRole { printer, mrz_reader, card_reader };
std::string_view to_string(DeviceRole r);

//   printer: "sim" | "sim:<dir>" | "usb" (first printer-class device) | "usb:VID:PID"
//   mrz:     "sim" | "sim:<watch file>" | "usb-hid:VID:PID[:de]" | "serial:<tty>[@baud]"
//   card:    "sim" | "usb" (first CCID device) | "usb:VID:PID"
struct DeviceSpec {
  enum class Kind { sim, usb, usb_hid, serial } kind = Kind::sim;
  std::string path;  // sim directory / watch file, serial device
  std::optional<std::uint16_t> vid, pid;
  int baud = 9600;
  KeyboardLayout layout = KeyboardLayout::us;
  std::string text;  // the spec as given

  bool uses_usb() const { return kind == Kind::usb || kind == Kind::usb_hid; }
  UsbMatch usb_match(DeviceRole role) const;
};

// nullopt with a message naming what is wrong and what is accepted.
std::optional<DeviceSpec> parse_device_spec(std::string_view text, DeviceRole role,
                                            std::string* error);

// Default ticket directory of "sim" without a path.
std::string default_sim_printer_dir();

// Open the device a spec names. `usb` may be null for simulators; on failure the result is
// null and `error` says why (not found, access denied, busy, ...).
std::unique_ptr<Printer> open_printer(const DeviceSpec& spec, UsbContext* usb, std::string* error);
std::unique_ptr<MrzReader> open_mrz_reader(const DeviceSpec& spec, UsbContext* usb,
                                           std::string* error);
std::unique_ptr<CardReader> open_card_reader(const DeviceSpec& spec, UsbContext* usb,
                                             std::string* error);

}  // namespace wm::hw
