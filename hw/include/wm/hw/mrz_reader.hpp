// MRZ document readers: USB HID keyboard wedge, CDC-ACM serial, simulator; line assembly.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wm/hw/usb.hpp"

namespace wm::hw {

enum class ReaderError { ok, unplugged, not_found, io_error };
std::string_view to_string(ReaderError e);

// Collects characters into MRZ lines and decides when a document is complete: 3 x 30 (TD1) or
// 2 x 36/44 (TD2/TD3) at once, anything else after the reader has been quiet for `idle`.
class MrzAssembler {
 public:
  explicit MrzAssembler(std::chrono::milliseconds idle = std::chrono::milliseconds(300))
      : idle_(idle) {}
  void feed(char c, std::chrono::steady_clock::time_point now);
  std::optional<std::vector<std::string>> take(std::chrono::steady_clock::time_point now);

 private:
  std::chrono::milliseconds idle_;
  std::vector<std::string> lines_;
  std::string cur_;
  std::chrono::steady_clock::time_point last_{};
};

enum class KeyboardLayout { us, de };

// Decodes 8-byte HID boot keyboard reports into characters (key-down edges only).
class HidKeyboardDecoder {
 public:
  explicit HidKeyboardDecoder(KeyboardLayout l = KeyboardLayout::us) : layout_(l) {}
  std::string feed(std::span<const std::uint8_t> report);

 private:
  char translate(std::uint8_t key, bool shift) const;
  KeyboardLayout layout_;
  std::uint8_t prev_[6] = {0, 0, 0, 0, 0, 0};
};

// A document reader. read() blocks at most `timeout` and returns the raw MRZ lines of one
// document (parse them with parse_mrz), or nullopt: err == ok means "no document yet".
class MrzReader {
 public:
  virtual ~MrzReader() = default;
  virtual std::string describe() const = 0;
  virtual std::optional<std::vector<std::string>> read(std::chrono::milliseconds timeout,
                                                       ReaderError* err = nullptr) = 0;
};

class HidMrzReader : public MrzReader {
 public:
  HidMrzReader(std::unique_ptr<UsbDevice> dev, KeyboardLayout layout = KeyboardLayout::us);
  UsbStatus claim_status() const { return claim_; }
  std::string describe() const override;
  std::optional<std::vector<std::string>> read(std::chrono::milliseconds timeout,
                                               ReaderError* err = nullptr) override;

 private:
  std::unique_ptr<UsbDevice> dev_;
  UsbStatus claim_;
  HidKeyboardDecoder decoder_;
  MrzAssembler assembler_;
};

// CDC-ACM / serial reader (/dev/ttyACM0): raw 8N1 at `baud`, lines end with CR and/or LF.
class SerialMrzReader : public MrzReader {
 public:
  explicit SerialMrzReader(std::string path, int baud = 9600);
  ~SerialMrzReader() override;
  bool is_open() const { return fd_ >= 0; }
  const std::string& open_error() const { return open_error_; }
  std::string describe() const override { return "serial MRZ reader " + path_; }
  std::optional<std::vector<std::string>> read(std::chrono::milliseconds timeout,
                                               ReaderError* err = nullptr) override;

 private:
  std::string path_;
  int fd_ = -1;
  std::string open_error_;
  MrzAssembler assembler_;
};

// Simulator: delivers the German ID card specimen once after opening, then whatever is
// injected with present(); with a watch file ("sim:<file>") it also delivers the file's lines
// each time the file changes.
class SimMrzReader : public MrzReader {
 public:
  explicit SimMrzReader(std::string watch_file = {}, bool specimen_on_open = true);
  std::string describe() const override;
  std::optional<std::vector<std::string>> read(std::chrono::milliseconds timeout,
                                               ReaderError* err = nullptr) override;
  void present(std::vector<std::string> lines);  // thread-safe

  static std::vector<std::string> german_specimen();

 private:
  std::optional<std::vector<std::string>> check_file();
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::vector<std::string>> queue_;
  std::string watch_file_;
  long long last_mtime_ = 0;
};

}  // namespace wm::hw
