// MRZ line assembly, HID keyboard report decoding, and the HID (libusb) document reader.
#include "wm/hw/mrz_reader.hpp"

#include <algorithm>

namespace wm::hw {

std::string_view to_string(ReaderError e) {
  switch (e) {
    case ReaderError::ok: return "ok";
    case ReaderError::unplugged: return "unplugged";
    case ReaderError::not_found: return "not_found";
    case ReaderError::io_error: return "io_error";
  }
  return "unknown";
}

void MrzAssembler::feed(char c, std::chrono::steady_clock::time_point now) {
  last_ = now;
  if (c == '\r' || c == '\n') {
    if (!cur_.empty()) lines_.push_back(std::move(cur_));
    cur_.clear();
    if (lines_.size() > 3) lines_.erase(lines_.begin());  // keep the newest document
    return;
  }
  if (c == ' ' || c == '\t') return;
  cur_ += c;
  if (cur_.size() > 64) cur_.erase(0, cur_.size() - 64);  // a line that never ends
}

std::optional<std::vector<std::string>> MrzAssembler::take(
    std::chrono::steady_clock::time_point now) {
  auto complete = [&]() -> std::optional<std::vector<std::string>> {
    const size_t n = lines_.size();
    if (n >= 3 && lines_[n - 1].size() == 30 && lines_[n - 2].size() == 30 &&
        lines_[n - 3].size() == 30)
      return std::vector<std::string>(lines_.end() - 3, lines_.end());
    if (n >= 2) {
      const size_t len = lines_[n - 1].size();
      if ((len == 36 || len == 44) && lines_[n - 2].size() == len)
        return std::vector<std::string>(lines_.end() - 2, lines_.end());
    }
    return std::nullopt;
  };
  if (auto doc = complete()) {
    lines_.clear();
    cur_.clear();
    return doc;
  }
  // Incomplete, but the reader went quiet: hand it over so the parser can say what is wrong.
  if ((!lines_.empty() || !cur_.empty()) && now - last_ >= idle_) {
    if (!cur_.empty()) lines_.push_back(std::move(cur_));
    cur_.clear();
    auto doc = std::move(lines_);
    lines_.clear();
    return doc;
  }
  return std::nullopt;
}

char HidKeyboardDecoder::translate(std::uint8_t key, bool shift) const {
  if (key >= 0x04 && key <= 0x1D) {
    char c = static_cast<char>('A' + (key - 0x04));
    if (layout_ == KeyboardLayout::de && c == 'Y') c = 'Z';  // QWERTZ swaps Y and Z
    else if (layout_ == KeyboardLayout::de && c == 'Z') c = 'Y';
    return c;
  }
  if (key >= 0x1E && key <= 0x26) return shift ? 0 : static_cast<char>('1' + (key - 0x1E));
  if (key == 0x27) return shift ? 0 : '0';
  if (key >= 0x59 && key <= 0x61) return static_cast<char>('1' + (key - 0x59));  // keypad
  if (key == 0x62) return '0';
  if (key == 0x28 || key == 0x58) return '\n';  // Enter, keypad Enter
  if (layout_ == KeyboardLayout::us && key == 0x36 && shift) return '<';  // shift + ','
  if (layout_ == KeyboardLayout::de && key == 0x64 && !shift) return '<';  // ISO key
  return 0;
}

std::string HidKeyboardDecoder::feed(std::span<const std::uint8_t> report) {
  std::string out;
  if (report.size() < 8) return out;
  const bool shift = report[0] & 0x22;  // left or right shift
  for (int i = 2; i < 8; ++i) {
    const std::uint8_t key = report[i];
    if (key <= 0x03) continue;  // none / rollover error
    if (std::find(prev_, prev_ + 6, key) != prev_ + 6) continue;  // still held
    if (char c = translate(key, shift)) out += c;
  }
  std::copy(report.begin() + 2, report.begin() + 8, prev_);
  return out;
}

HidMrzReader::HidMrzReader(std::unique_ptr<UsbDevice> dev, KeyboardLayout layout)
    : dev_(std::move(dev)), claim_(dev_->claim(kClassHid)), decoder_(layout) {}

std::string HidMrzReader::describe() const { return "hid MRZ reader " + dev_->info().describe(); }

std::optional<std::vector<std::string>> HidMrzReader::read(std::chrono::milliseconds timeout,
                                                           ReaderError* err) {
  if (err) *err = ReaderError::ok;
  if (claim_ != UsbStatus::ok || !dev_->endpoints().interrupt_in) {
    if (err) *err = claim_ == UsbStatus::no_device ? ReaderError::unplugged : ReaderError::not_found;
    return std::nullopt;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::uint8_t buf[64];
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    if (auto doc = assembler_.take(now)) return doc;
    if (now >= deadline) return std::nullopt;
    // Short reads so an idle-completed document is handed out promptly.
    const auto slice = std::min<std::chrono::milliseconds>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
            std::chrono::milliseconds(1),
        std::chrono::milliseconds(100));
    std::size_t got = 0;
    const UsbStatus s = dev_->interrupt_read(buf, slice, &got);
    if (s == UsbStatus::timeout) continue;
    if (s != UsbStatus::ok) {
      if (err) *err = s == UsbStatus::no_device ? ReaderError::unplugged : ReaderError::io_error;
      return std::nullopt;
    }
    const auto t = std::chrono::steady_clock::now();
    for (char c : decoder_.feed(std::span(buf, got))) assembler_.feed(c, t);
  }
}

}  // namespace wm::hw
