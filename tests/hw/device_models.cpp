// Device behaviour models used by the umockdev USB tests.
#include "device_models.hpp"

namespace wm::hw::test {

// ---------------------------------------------------------------- ESC/POS

std::optional<Bytes> EscPosModel::control(const Setup& s, std::span<const std::uint8_t>) {
  if (s.request_type == 0xA1 && s.request == 0) {  // GET_DEVICE_ID
    const std::size_t len = device_id.size() + 2;
    Bytes b = {static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len & 0xFF)};
    b.insert(b.end(), device_id.begin(), device_id.end());
    return b;
  }
  if (s.request_type == 0xA1 && s.request == 1)  // GET_PORT_STATUS
    return Bytes{static_cast<std::uint8_t>(0x18 | (paper_end ? 0x20 : 0))};
  return std::nullopt;
}

std::uint8_t EscPosModel::status_byte(std::uint8_t n) const {
  std::uint8_t b = 0x12;
  if (n == 1 && (offline || cover_open || paper_end)) b |= 0x08;
  if (n == 2) {
    if (cover_open) b |= 0x04;
    if (paper_end) b |= 0x20;
  }
  if (n == 4) {
    if (paper_near_end || paper_end) b |= 0x0C;
    if (paper_end) b |= 0x60;
  }
  return b;
}

OutAction EscPosModel::out(std::uint8_t, std::span<const std::uint8_t> data) {
  // Real-time status requests are sent alone; anything else is print data.
  if (data.size() == 3 && data[0] == 0x10 && data[1] == 0x04) {
    ++status_queries;
    if (!silent) replies_.push_back({status_byte(data[2])});
    return OutAction::complete;
  }
  if (received.size() + data.size() > fault_after && fault != OutAction::complete) {
    const OutAction a = fault;
    if (a != OutAction::hang) fault = OutAction::complete;  // one-shot
    return a;
  }
  received.insert(received.end(), data.begin(), data.end());
  if (received.size() >= paper_runs_out_after) paper_end = true;
  return OutAction::complete;
}

std::optional<Bytes> EscPosModel::in(std::uint8_t, std::size_t) {
  if (replies_.empty()) return std::nullopt;
  Bytes b = std::move(replies_.front());
  replies_.pop_front();
  return b;
}

// ---------------------------------------------------------------- CCID

CcidModel::CcidModel() = default;

Bytes CcidModel::reply(std::uint8_t type, std::uint8_t seq, std::uint8_t status,
                       std::uint8_t error, const Bytes& payload) const {
  const auto n = static_cast<std::uint32_t>(payload.size());
  Bytes b = {type,
             static_cast<std::uint8_t>(n & 0xFF),
             static_cast<std::uint8_t>((n >> 8) & 0xFF),
             static_cast<std::uint8_t>((n >> 16) & 0xFF),
             static_cast<std::uint8_t>(n >> 24),
             0,
             static_cast<std::uint8_t>(wrong_sequence ? seq + 1 : seq),
             status,
             error,
             0};
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

OutAction CcidModel::out(std::uint8_t, std::span<const std::uint8_t> d) {
  commands.emplace_back(d.begin(), d.end());
  if (d.size() < 10 || silent) return OutAction::complete;
  const std::uint8_t type = d[0], seq = d[6];
  const std::uint32_t len = d[1] | d[2] << 8 | d[3] << 16 | static_cast<std::uint32_t>(d[4]) << 24;
  const Bytes payload(d.begin() + 10, d.begin() + 10 + std::min<std::size_t>(len, d.size() - 10));
  const std::uint8_t icc = card_present ? (powered ? 0 : 1) : 2;
  for (int i = 0; i < time_extensions; ++i) bulk_in_.push_back(reply(0x80, seq, 0x80 | icc, 1, {}));
  auto failed = [&](std::uint8_t rtype, std::uint8_t err) {
    bulk_in_.push_back(reply(rtype, seq, static_cast<std::uint8_t>(0x40 | icc), err, {}));
  };
  switch (type) {
    case 0x62:  // IccPowerOn
      if (!card_present) failed(0x80, 0xFE);
      else if (hardware_error) failed(0x80, 0xFB);
      else if (mute) failed(0x80, 0xFE);
      else {
        powered = true;
        bulk_in_.push_back(reply(0x80, seq, 0x00, 0, atr));
      }
      break;
    case 0x63:  // IccPowerOff
      powered = false;
      bulk_in_.push_back(reply(0x81, seq, card_present ? 1 : 2, 0, {}));
      break;
    case 0x65:  // GetSlotStatus
      bulk_in_.push_back(reply(0x81, seq, icc, 0, {}));
      break;
    case 0x6F:  // XfrBlock
      if (!card_present) failed(0x80, 0xFE);
      else if (!powered) failed(0x80, 0xFE);
      else bulk_in_.push_back(reply(0x80, seq, 0x00, 0, apdu(payload)));
      break;
    default:
      failed(0x81, 0x00);  // command not supported
  }
  return OutAction::complete;
}

std::optional<Bytes> CcidModel::in(std::uint8_t ep, std::size_t) {
  auto& q = (ep == 0x83) ? interrupt_in_ : bulk_in_;
  if (q.empty()) return std::nullopt;
  Bytes b = std::move(q.front());
  q.pop_front();
  return b;
}

void CcidModel::insert_card() {
  card_present = true;
  interrupt_in_.push_back({0x50, 0x03});
}

void CcidModel::remove_card() {
  card_present = false;
  powered = false;
  interrupt_in_.push_back({0x50, 0x02});
}

// ---------------------------------------------------------------- HID keyboard

std::optional<Bytes> HidKeyboardModel::control(const Setup& s, std::span<const std::uint8_t>) {
  if ((s.request_type & 0x60) == 0x20) return Bytes{};  // SET_IDLE / SET_PROTOCOL: accept
  return std::nullopt;
}

std::optional<Bytes> HidKeyboardModel::in(std::uint8_t, std::size_t) {
  if (reports.empty()) return std::nullopt;
  Bytes b = std::move(reports.front());
  reports.pop_front();
  return b;
}

void HidKeyboardModel::type(const std::string& text, bool german) {
  for (char c : text) {
    std::uint8_t mod = 0, key = 0;
    if (c >= 'A' && c <= 'Z') {
      mod = 0x02;
      key = static_cast<std::uint8_t>(0x04 + (c - 'A'));
      if (german && c == 'Y') key = 0x1D;
      else if (german && c == 'Z') key = 0x1C;
    } else if (c >= '1' && c <= '9') {
      key = static_cast<std::uint8_t>(0x1E + (c - '1'));
    } else if (c == '0') {
      key = 0x27;
    } else if (c == '<') {
      if (german) key = 0x64;        // ISO key left of Y
      else mod = 0x02, key = 0x36;   // shift + comma
    } else if (c == '\n') {
      key = 0x28;
    } else {
      continue;
    }
    reports.push_back({mod, 0, key, 0, 0, 0, 0, 0});
    reports.push_back({0, 0, 0, 0, 0, 0, 0, 0});
  }
}

}  // namespace wm::hw::test
