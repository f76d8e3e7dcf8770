// Behaviour models of the emulated devices: ESC/POS printer, CCID reader, HID keyboard wedge.
#pragma once

#include <deque>
#include <functional>

#include "usb_testbed.hpp"

namespace wm::hw::test {

// Epson-like ESC/POS printer: records every OUT byte, answers DLE EOT n on bulk IN and
// GET_DEVICE_ID on the control pipe; faults can be armed per test.
class EscPosModel : public DeviceModel {
 public:
  std::optional<Bytes> control(const Setup& s, std::span<const std::uint8_t>) override;
  OutAction out(std::uint8_t ep, std::span<const std::uint8_t> data) override;
  std::optional<Bytes> in(std::uint8_t ep, std::size_t max) override;

  Bytes received;        // print data (DLE EOT queries excluded)
  int status_queries = 0;
  std::string device_id = "MFG:EPSON;CMD:ESCPOS;MDL:TM-T20II;CLS:PRINTER;";
  bool offline = false, cover_open = false, paper_end = false, paper_near_end = false;
  bool silent = false;  // never answers status queries (-> read timeout)
  // Fault on the OUT transfer that would take the print data past this many bytes.
  std::size_t fault_after = SIZE_MAX;
  OutAction fault = OutAction::complete;
  // Runs out of paper once this many print bytes arrived (seen by the confirming status).
  std::size_t paper_runs_out_after = SIZE_MAX;

 private:
  std::uint8_t status_byte(std::uint8_t n) const;
  std::deque<Bytes> replies_;
};

// CCID reader with one slot: echoes bSeq, power-on returns the ATR, XfrBlock runs `apdu`.
class CcidModel : public DeviceModel {
 public:
  CcidModel();
  OutAction out(std::uint8_t ep, std::span<const std::uint8_t> data) override;
  std::optional<Bytes> in(std::uint8_t ep, std::size_t max) override;

  void insert_card();  // queues NotifySlotChange on the interrupt endpoint
  void remove_card();

  bool card_present = true;
  bool mute = false;            // card does not answer reset (bError 0xFE)
  bool hardware_error = false;  // bError 0xFB
  bool powered = false;
  int time_extensions = 0;      // answer every command with this many time extensions first
  bool wrong_sequence = false;  // answer with bSeq + 1
  bool silent = false;          // never answers (-> timeout)
  Bytes atr = {0x3B, 0x8A, 0x80, 0x01, 0x80, 0x31, 0xF8, 0x73, 0xF7, 0x41, 0xE0, 0x82, 0x90, 0x00, 0x75};
  std::function<Bytes(const Bytes&)> apdu = [](const Bytes&) { return Bytes{0x90, 0x00}; };
  std::vector<Bytes> commands;  // every CCID message received

 private:
  Bytes reply(std::uint8_t type, std::uint8_t seq, std::uint8_t status, std::uint8_t error,
              const Bytes& payload) const;
  std::deque<Bytes> bulk_in_;
  std::deque<Bytes> interrupt_in_;
};

// USB HID boot keyboard as MRZ readers present themselves (US layout by default).
class HidKeyboardModel : public DeviceModel {
 public:
  OutAction out(std::uint8_t, std::span<const std::uint8_t>) override { return OutAction::complete; }
  std::optional<Bytes> in(std::uint8_t ep, std::size_t max) override;
  std::optional<Bytes> control(const Setup& s, std::span<const std::uint8_t>) override;

  // Queues press/release reports; '\n' becomes Enter. `german` uses the QWERTZ layout.
  void type(const std::string& text, bool german = false);
  std::deque<Bytes> reports;
};

}  // namespace wm::hw::test
