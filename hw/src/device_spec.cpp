// Parses device spec strings and opens the matching printer / MRZ reader / card reader.
#include "wm/hw/device_spec.hpp"

#include <cstdlib>

#include "wm/hw/sim_printer.hpp"
#include "wm/hw/usb_printer.hpp"

namespace wm::hw {

std::string_view to_string(DeviceRole r) {
  switch (r) {
    case DeviceRole::printer: return "printer";
    case DeviceRole::mrz_reader: return "mrz";
    case DeviceRole::card_reader: return "card";
  }
  return "?";
}

namespace {
std::optional<std::uint16_t> hex16(std::string_view s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  unsigned v = 0;
  for (char c : s) {
    v <<= 4;
    if (c >= '0' && c <= '9') v |= c - '0';
    else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
    else return std::nullopt;
  }
  return static_cast<std::uint16_t>(v);
}

// "04b8:0e15" (+ optional ":rest") -> vid, pid, rest
bool vid_pid(std::string_view s, DeviceSpec& spec, std::string_view* rest) {
  const size_t c1 = s.find(':');
  if (c1 == std::string_view::npos) return false;
  const size_t c2 = s.find(':', c1 + 1);
  spec.vid = hex16(s.substr(0, c1));
  spec.pid = hex16(s.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1));
  if (rest) *rest = c2 == std::string_view::npos ? std::string_view{} : s.substr(c2 + 1);
  return spec.vid && spec.pid;
}
}  // namespace

UsbMatch DeviceSpec::usb_match(DeviceRole role) const {
  UsbMatch m;
  m.vid = vid, m.pid = pid;
  if (!vid) m.interface_class = role == DeviceRole::printer ? kClassPrinter
                                : role == DeviceRole::card_reader ? kClassSmartCard
                                                                  : kClassHid;
  return m;
}

std::optional<DeviceSpec> parse_device_spec(std::string_view text, DeviceRole role,
                                            std::string* error) {
  DeviceSpec spec;
  spec.text = std::string(text);
  auto fail = [&](const std::string& why) -> std::optional<DeviceSpec> {
    if (error) {
      const char* accepted = role == DeviceRole::printer ? "sim, sim:<dir>, usb, usb:VID:PID"
                             : role == DeviceRole::mrz_reader
                                 ? "sim, sim:<file>, usb-hid:VID:PID[:de], serial:<tty>[@baud]"
                                 : "sim, usb, usb:VID:PID";
      *error = std::string(to_string(role)) + " spec \"" + std::string(text) + "\": " + why +
               " (accepted: " + accepted + ")";
    }
    return std::nullopt;
  };
  if (text == "sim" || text.starts_with("sim:")) {
    spec.kind = DeviceSpec::Kind::sim;
    if (text.size() > 4) spec.path = std::string(text.substr(4));
    if (role == DeviceRole::card_reader && !spec.path.empty()) return fail("sim takes no argument");
    return spec;
  }
  if ((role == DeviceRole::printer || role == DeviceRole::card_reader) &&
      (text == "usb" || text.starts_with("usb:"))) {
    spec.kind = DeviceSpec::Kind::usb;
    if (text.size() > 4) {
      std::string_view rest;
      if (!vid_pid(text.substr(4), spec, &rest) || !rest.empty())
        return fail("expected usb:VID:PID with 4-digit hex ids");
    }
    return spec;
  }
  if (role == DeviceRole::mrz_reader && text.starts_with("usb-hid:")) {
    spec.kind = DeviceSpec::Kind::usb_hid;
    std::string_view rest;
    // A keyboard wedge must be named: "first HID device" would grab the real keyboard.
    if (!vid_pid(text.substr(8), spec, &rest)) return fail("expected usb-hid:VID:PID");
    if (rest == "de") spec.layout = KeyboardLayout::de;
    else if (!rest.empty() && rest != "us") return fail("keyboard layout must be us or de");
    return spec;
  }
  if (role == DeviceRole::mrz_reader && text.starts_with("serial:")) {
    spec.kind = DeviceSpec::Kind::serial;
    std::string_view p = text.substr(7);
    const size_t at = p.find('@');
    if (at != std::string_view::npos) {
      spec.baud = std::atoi(std::string(p.substr(at + 1)).c_str());
      p = p.substr(0, at);
      if (spec.baud <= 0) return fail("bad baud rate");
    }
    if (p.empty() || p[0] != '/') return fail("expected an absolute tty path");
    spec.path = std::string(p);
    return spec;
  }
  return fail("unknown device spec");
}

std::string default_sim_printer_dir() {
  if (const char* d = std::getenv("WM_SIM_PRINTER_DIR")) return d;
  return "wartemarke-data/tickets";
}

namespace {
std::unique_ptr<UsbDevice> open_usb(const DeviceSpec& spec, DeviceRole role, UsbContext* usb,
                                    std::string* error) {
  if (!usb) {
    if (error) *error = "no USB context";
    return nullptr;
  }
  UsbStatus why;
  const UsbMatch m = spec.usb_match(role);
  auto dev = usb->open(m, &why);
  if (!dev && error)
    *error = std::string(to_string(role)) + " " + m.describe() + ": " +
             (why == UsbStatus::not_found ? "no such USB device attached"
              : why == UsbStatus::access  ? "access denied (udev rule for the kiosk user?)"
                                          : std::string(to_string(why)));
  return dev;
}
}  // namespace

std::unique_ptr<Printer> open_printer(const DeviceSpec& spec, UsbContext* usb, std::string* error) {
  if (spec.kind == DeviceSpec::Kind::sim)
    return std::make_unique<SimPrinter>(spec.path.empty() ? default_sim_printer_dir() : spec.path);
  auto dev = open_usb(spec, DeviceRole::printer, usb, error);
  if (!dev) return nullptr;
  auto p = std::make_unique<UsbPrinter>(std::move(dev));
  if (p->claim_status() != UsbStatus::ok) {
    if (error) *error = "cannot claim the printer interface: " + std::string(to_string(p->claim_status()));
    return nullptr;
  }
  return p;
}

std::unique_ptr<MrzReader> open_mrz_reader(const DeviceSpec& spec, UsbContext* usb,
                                           std::string* error) {
  switch (spec.kind) {
    case DeviceSpec::Kind::sim: return std::make_unique<SimMrzReader>(spec.path);
    case DeviceSpec::Kind::serial: {
      auto r = std::make_unique<SerialMrzReader>(spec.path, spec.baud);
      if (!r->is_open()) {
        if (error) *error = "cannot open " + spec.path + ": " + r->open_error();
        return nullptr;
      }
      return r;
    }
    default: {
      auto dev = open_usb(spec, DeviceRole::mrz_reader, usb, error);
      if (!dev) return nullptr;
      auto r = std::make_unique<HidMrzReader>(std::move(dev), spec.layout);
      if (r->claim_status() != UsbStatus::ok) {
        if (error) *error = "cannot claim the HID interface: " + std::string(to_string(r->claim_status()));
        return nullptr;
      }
      return r;
    }
  }
}

std::unique_ptr<CardReader> open_card_reader(const DeviceSpec& spec, UsbContext* usb,
                                             std::string* error) {
  if (spec.kind == DeviceSpec::Kind::sim) return std::make_unique<SimCardReader>();
  auto dev = open_usb(spec, DeviceRole::card_reader, usb, error);
  if (!dev) return nullptr;
  auto r = std::make_unique<CcidReader>(std::move(dev));
  if (r->claim_status() != UsbStatus::ok) {
    if (error) *error = "cannot claim the CCID interface: " + std::string(to_string(r->claim_status()));
    return nullptr;
  }
  return r;
}

}  // namespace wm::hw
