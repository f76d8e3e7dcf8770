// Smart-card reader interface and the CCID (USB class 0x0B) implementation.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wm/hw/escpos.hpp"
#include "wm/hw/usb.hpp"

namespace wm::hw {

enum class CardError {
  ok,
  no_card,         // slot empty
  mute_card,       // card present but does not answer (bError 0xFE)
  hardware_error,  // reader reports a hardware error (bError 0xFB)
  aborted,         // command aborted (0xFF)
  slot_busy,       // 0xE0
  timeout,
  unplugged,
  not_found,
  protocol_error,  // wrong sequence number, truncated message, unexpected type
  io_error,
};
std::string_view to_string(CardError e);

struct CardResult {
  CardError error = CardError::ok;
  Bytes data;  // ATR after power_on, response APDU (with SW1 SW2) after transmit
  std::string detail;
  bool ok() const { return error == CardError::ok; }
};

enum class SlotState { active, present_inactive, absent, unknown };

// Blocking calls bounded by timeouts; use from a worker thread.
class CardReader {
 public:
  virtual ~CardReader() = default;
  virtual std::string describe() const = 0;
  virtual SlotState slot_state(CardError* err = nullptr) = 0;
  // Waits up to `timeout` for a card insertion/removal notification; returns the new presence.
  virtual std::optional<bool> wait_slot_change(std::chrono::milliseconds timeout,
                                               CardError* err = nullptr) = 0;
  virtual CardResult power_on() = 0;
  virtual CardResult transmit(std::span<const std::uint8_t> apdu) = 0;
  virtual CardResult power_off() = 0;
};

// CCID wire format (pure functions, tested without USB).
namespace ccid {
inline constexpr std::uint8_t kPowerOn = 0x62, kPowerOff = 0x63, kGetSlotStatus = 0x65,
                              kXfrBlock = 0x6F;
inline constexpr std::uint8_t kDataBlock = 0x80, kSlotStatus = 0x81, kNotifySlotChange = 0x50;

Bytes message(std::uint8_t type, std::uint8_t slot, std::uint8_t seq,
              std::span<const std::uint8_t> payload, std::uint8_t b7 = 0, std::uint8_t b8 = 0,
              std::uint8_t b9 = 0);

struct Response {
  std::uint8_t type = 0, slot = 0, seq = 0, status = 0, error = 0, chain = 0;
  Bytes payload;
  int icc_status() const { return status & 0x03; }      // 0 active, 1 inactive, 2 absent
  int command_status() const { return status >> 6; }  // 0 ok, 1 failed, 2 time extension
};
std::optional<Response> parse(std::span<const std::uint8_t> bytes);
CardError error_of(const Response& r);  // ok unless the command failed
}  // namespace ccid

struct CcidTimeouts {
  std::chrono::milliseconds command{3000};  // overall, including time extensions
  std::chrono::milliseconds read{1000};     // one bulk IN read
};

class CcidReader : public CardReader {
 public:
  explicit CcidReader(std::unique_ptr<UsbDevice> dev, CcidTimeouts t = {});
  UsbStatus claim_status() const { return claim_; }

  std::string describe() const override;
  SlotState slot_state(CardError* err = nullptr) override;
  std::optional<bool> wait_slot_change(std::chrono::milliseconds timeout,
                                       CardError* err = nullptr) override;
  CardResult power_on() override;
  CardResult transmit(std::span<const std::uint8_t> apdu) override;
  CardResult power_off() override;

 private:
  CardResult exchange(std::uint8_t type, std::span<const std::uint8_t> payload, ccid::Response* out,
                      std::uint8_t b7 = 0);

  std::unique_ptr<UsbDevice> dev_;
  CcidTimeouts t_;
  UsbStatus claim_;
  std::uint8_t seq_ = 0;
};

// Card reader simulator: a German ID card (eID applet answers 90 00) is present by default.
class SimCardReader : public CardReader {
 public:
  std::string describe() const override { return "simulated card reader"; }
  SlotState slot_state(CardError* err = nullptr) override;
  std::optional<bool> wait_slot_change(std::chrono::milliseconds timeout,
                                       CardError* err = nullptr) override;
  CardResult power_on() override;
  CardResult transmit(std::span<const std::uint8_t> apdu) override;
  CardResult power_off() override;

  void set_card_present(bool present);  // thread-safe; wakes wait_slot_change

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool present_ = true, powered_ = false, changed_ = false;
};

CardError card_error_from_usb(UsbStatus s);

}  // namespace wm::hw
