// CCID card reader over USB: slot status, power on (ATR), XfrBlock with bSeq check and time
// extensions, NotifySlotChange on the interrupt endpoint.
#include <cstdio>

#include "wm/hw/card_reader.hpp"

namespace wm::hw {

std::string_view to_string(CardError e) {
  switch (e) {
    case CardError::ok: return "ok";
    case CardError::no_card: return "no_card";
    case CardError::mute_card: return "mute_card";
    case CardError::hardware_error: return "hardware_error";
    case CardError::aborted: return "aborted";
    case CardError::slot_busy: return "slot_busy";
    case CardError::timeout: return "timeout";
    case CardError::unplugged: return "unplugged";
    case CardError::not_found: return "not_found";
    case CardError::protocol_error: return "protocol_error";
    case CardError::io_error: return "io_error";
  }
  return "unknown";
}

CardError card_error_from_usb(UsbStatus s) {
  switch (s) {
    case UsbStatus::ok: return CardError::ok;
    case UsbStatus::timeout: return CardError::timeout;
    case UsbStatus::no_device: return CardError::unplugged;
    case UsbStatus::not_found: return CardError::not_found;
    default: return CardError::io_error;
  }
}

namespace ccid {

Bytes message(std::uint8_t type, std::uint8_t slot, std::uint8_t seq,
              std::span<const std::uint8_t> payload, std::uint8_t b7, std::uint8_t b8,
              std::uint8_t b9) {
  const auto n = static_cast<std::uint32_t>(payload.size());
  Bytes m = {type,
             static_cast<std::uint8_t>(n),
             static_cast<std::uint8_t>(n >> 8),
             static_cast<std::uint8_t>(n >> 16),
             static_cast<std::uint8_t>(n >> 24),
             slot,
             seq,
             b7,
             b8,
             b9};
  m.insert(m.end(), payload.begin(), payload.end());
  return m;
}

std::optional<Response> parse(std::span<const std::uint8_t> b) {
  if (b.size() < 10) return std::nullopt;
  const std::uint32_t n = b[1] | b[2] << 8 | b[3] << 16 | static_cast<std::uint32_t>(b[4]) << 24;
  if (n > b.size() - 10) return std::nullopt;  // truncated
  Response r;
  r.type = b[0], r.slot = b[5], r.seq = b[6], r.status = b[7], r.error = b[8], r.chain = b[9];
  r.payload.assign(b.begin() + 10, b.begin() + 10 + n);
  return r;
}

CardError error_of(const Response& r) {
  if (r.command_status() != 1) return CardError::ok;
  if (r.icc_status() == 2) return CardError::no_card;
  switch (r.error) {
    case 0xFE: return CardError::mute_card;
    case 0xFB: return CardError::hardware_error;
    case 0xFF: return CardError::aborted;
    case 0xE0: return CardError::slot_busy;
    default: return CardError::protocol_error;
  }
}

}  // namespace ccid

CcidReader::CcidReader(std::unique_ptr<UsbDevice> dev, CcidTimeouts t)
    : dev_(std::move(dev)), t_(t), claim_(dev_->claim(kClassSmartCard)) {}

std::string CcidReader::describe() const { return "ccid reader " + dev_->info().describe(); }

CardResult CcidReader::exchange(std::uint8_t type, std::span<const std::uint8_t> payload,
                                ccid::Response* out, std::uint8_t b7) {
  CardResult r;
  if (claim_ != UsbStatus::ok) {
    r.error = card_error_from_usb(claim_);
    r.detail = "reader not claimed: " + std::string(to_string(claim_));
    return r;
  }
  const std::uint8_t seq = seq_++;
  const Bytes msg = ccid::message(type, 0, seq, payload, b7);
  UsbStatus s = dev_->bulk_write(msg, t_.read, nullptr);
  if (s != UsbStatus::ok) {
    r.error = card_error_from_usb(s);
    r.detail = "sending command failed: " + std::string(to_string(s));
    return r;
  }
  const auto deadline = std::chrono::steady_clock::now() + t_.command;
  Bytes buf(10 + 65538);
  while (true) {
    std::size_t got = 0;
    s = dev_->bulk_read(buf, t_.read, &got);
    if (s != UsbStatus::ok) {
      r.error = card_error_from_usb(s);
      r.detail = "reading the answer failed: " + std::string(to_string(s));
      return r;
    }
    const auto resp = ccid::parse(std::span(buf.data(), got));
    if (!resp) {
      r.error = CardError::protocol_error;
      r.detail = "truncated CCID message (" + std::to_string(got) + " bytes)";
      return r;
    }
    if (resp->seq != seq) {
      // Never take a stale or foreign answer as ours: that would pair an APDU with the
      // response to a different command.
      r.error = CardError::protocol_error;
      char buf2[96];
      std::snprintf(buf2, sizeof buf2, "sequence mismatch: sent bSeq %u, reader answered %u",
                    seq, resp->seq);
      r.detail = buf2;
      return r;
    }
    if (resp->command_status() == 2) {  // time extension: the card needs longer
      if (std::chrono::steady_clock::now() > deadline) {
        r.error = CardError::timeout;
        r.detail = "card kept requesting time extensions";
        return r;
      }
      continue;
    }
    r.error = ccid::error_of(*resp);
    if (r.error != CardError::ok) {
      char buf2[96];
      std::snprintf(buf2, sizeof buf2, "command 0x%02X failed: bStatus 0x%02X bError 0x%02X", type,
                    resp->status, resp->error);
      r.detail = buf2;
      return r;
    }
    const std::uint8_t expected_type = (type == ccid::kPowerOn || type == ccid::kXfrBlock)
                                           ? ccid::kDataBlock
                                           : ccid::kSlotStatus;
    if (resp->type != expected_type) {
      r.error = CardError::protocol_error;
      r.detail = "unexpected message type " + std::to_string(resp->type);
      return r;
    }
    r.data = resp->payload;
    if (out) *out = *resp;
    return r;
  }
}

SlotState CcidReader::slot_state(CardError* err) {
  ccid::Response resp;
  const CardResult r = exchange(ccid::kGetSlotStatus, {}, &resp);
  if (err) *err = r.error;
  if (!r.ok()) return r.error == CardError::no_card ? SlotState::absent : SlotState::unknown;
  switch (resp.icc_status()) {
    case 0: return SlotState::active;
    case 1: return SlotState::present_inactive;
    default: return SlotState::absent;
  }
}

std::optional<bool> CcidReader::wait_slot_change(std::chrono::milliseconds timeout,
                                                 CardError* err) {
  if (err) *err = CardError::ok;
  if (claim_ != UsbStatus::ok || !dev_->endpoints().interrupt_in) {
    if (err) *err = CardError::not_found;
    return std::nullopt;
  }
  std::uint8_t buf[16];
  std::size_t got = 0;
  const UsbStatus s = dev_->interrupt_read(buf, timeout, &got);
  if (s == UsbStatus::timeout) return std::nullopt;  // nothing happened: not an error
  if (s != UsbStatus::ok) {
    if (err) *err = card_error_from_usb(s);
    return std::nullopt;
  }
  if (got >= 2 && buf[0] == ccid::kNotifySlotChange) return (buf[1] & 0x01) != 0;  // slot 0
  return std::nullopt;
}

CardResult CcidReader::power_on() { return exchange(ccid::kPowerOn, {}, nullptr, 0 /*auto*/); }

CardResult CcidReader::transmit(std::span<const std::uint8_t> apdu) {
  return exchange(ccid::kXfrBlock, apdu, nullptr);
}

CardResult CcidReader::power_off() { return exchange(ccid::kPowerOff, {}, nullptr); }

// ---------------------------------------------------------------- simulator

SlotState SimCardReader::slot_state(CardError* err) {
  std::lock_guard lock(mu_);
  if (err) *err = CardError::ok;
  return !present_ ? SlotState::absent : powered_ ? SlotState::active : SlotState::present_inactive;
}

std::optional<bool> SimCardReader::wait_slot_change(std::chrono::milliseconds timeout,
                                                    CardError* err) {
  std::unique_lock lock(mu_);
  if (err) *err = CardError::ok;
  if (!cv_.wait_for(lock, timeout, [&] { return changed_; })) return std::nullopt;
  changed_ = false;
  return present_;
}

CardResult SimCardReader::power_on() {
  std::lock_guard lock(mu_);
  CardResult r;
  if (!present_) {
    r.error = CardError::no_card;
    r.detail = "no card in the simulated reader";
    return r;
  }
  powered_ = true;
  // ATR of a German eID card (nPA).
  r.data = {0x3B, 0x8A, 0x80, 0x01, 0x80, 0x31, 0xF8, 0x73, 0xF7, 0x41, 0xE0, 0x82, 0x90, 0x00, 0x75};
  return r;
}

CardResult SimCardReader::transmit(std::span<const std::uint8_t> apdu) {
  std::lock_guard lock(mu_);
  CardResult r;
  if (!present_ || !powered_) {
    r.error = present_ ? CardError::mute_card : CardError::no_card;
    return r;
  }
  r.data = apdu.size() >= 4 ? Bytes{0x90, 0x00} : Bytes{0x67, 0x00};
  return r;
}

CardResult SimCardReader::power_off() {
  std::lock_guard lock(mu_);
  powered_ = false;
  return {};
}

void SimCardReader::set_card_present(bool present) {
  {
    std::lock_guard lock(mu_);
    if (present_ == present) return;
    present_ = present;
    powered_ = false;
    changed_ = true;
  }
  cv_.notify_all();
}

}  // namespace wm::hw
