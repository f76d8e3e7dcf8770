// libusb wrapper: context with event thread and hotplug, discovery by VID:PID or class, I/O.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

struct libusb_context;
struct libusb_device;
struct libusb_device_handle;

namespace wm::hw {

enum class UsbStatus { ok, timeout, stall, no_device, not_found, access, busy, overflow, io };
std::string_view to_string(UsbStatus s);
UsbStatus usb_status_from_libusb(int rc);

inline constexpr std::uint8_t kClassHid = 0x03;
inline constexpr std::uint8_t kClassPrinter = 0x07;
inline constexpr std::uint8_t kClassSmartCard = 0x0B;
inline constexpr std::uint8_t kClassCdc = 0x02;

struct UsbDeviceInfo {
  std::uint16_t vid = 0, pid = 0;
  std::uint8_t bus = 0, address = 0;
  std::uint8_t device_class = 0;
  std::vector<std::uint8_t> interface_classes;  // of the active (first) configuration
  std::string manufacturer, product, serial;    // only when asked for (needs opening)
  bool has_interface_class(std::uint8_t c) const;
  std::string id() const;        // "04b8:0e15"
  std::string describe() const;  // "001/004 04b8:0e15 printer EPSON TM-T20II"
};

// Which device to use: VID:PID if set, else the first with an interface of that class.
struct UsbMatch {
  std::optional<std::uint16_t> vid, pid;
  std::optional<std::uint8_t> interface_class;
  bool matches(const UsbDeviceInfo& d) const;
  std::string describe() const;
};

struct UsbEndpoints {
  int interface_number = -1;
  int alt_setting = 0;
  std::uint8_t bulk_in = 0, bulk_out = 0, interrupt_in = 0;
  std::uint16_t bulk_in_max_packet = 64;
  std::vector<std::uint8_t> class_descriptor;  // "extra" bytes, e.g. the CCID descriptor
};

// An opened device with one claimed interface. Every transfer has a timeout; a vanished
// device answers no_device, never hangs. Safe to use from one thread at a time.
class UsbDevice {
 public:
  UsbDevice(libusb_device_handle* h, UsbDeviceInfo info);
  ~UsbDevice();
  UsbDevice(const UsbDevice&) = delete;
  UsbDevice& operator=(const UsbDevice&) = delete;

  // Claims the first interface of that class (detaching a kernel driver like usbhid/usblp).
  UsbStatus claim(std::uint8_t interface_class);
  const UsbEndpoints& endpoints() const { return ep_; }
  const UsbDeviceInfo& info() const { return info_; }

  UsbStatus bulk_write(std::span<const std::uint8_t> data, std::chrono::milliseconds timeout,
                       std::size_t* sent = nullptr);
  UsbStatus bulk_read(std::span<std::uint8_t> buf, std::chrono::milliseconds timeout,
                      std::size_t* got);
  UsbStatus interrupt_read(std::span<std::uint8_t> buf, std::chrono::milliseconds timeout,
                           std::size_t* got);
  UsbStatus control_in(std::uint8_t request_type, std::uint8_t request, std::uint16_t value,
                       std::uint16_t index, std::span<std::uint8_t> buf,
                       std::chrono::milliseconds timeout, std::size_t* got);
  UsbStatus clear_halt(std::uint8_t endpoint);

 private:
  libusb_device_handle* h_;
  UsbDeviceInfo info_;
  UsbEndpoints ep_;
  bool claimed_ = false;
};

enum class HotplugEvent { arrived, left };
using HotplugCallback = std::function<void(HotplugEvent, const UsbDeviceInfo&)>;

// Owns a libusb context and, once hotplug is used, a thread handling libusb events. Create it
// after devices can be seen (under umockdev: after the testbed exists); destroy it last.
class UsbContext {
 public:
  UsbContext();
  ~UsbContext();
  UsbContext(const UsbContext&) = delete;
  UsbContext& operator=(const UsbContext&) = delete;

  libusb_context* raw() const { return ctx_; }
  std::vector<UsbDeviceInfo> list(bool with_strings = false);
  // Opens the first device matching; nullptr with `why` = not_found/access/busy/... otherwise.
  std::unique_ptr<UsbDevice> open(const UsbMatch& m, UsbStatus* why = nullptr);

  // Callbacks run on the event thread: keep them short, never do USB I/O in them.
  // Returns an id for remove_hotplug; -1 if the platform has no hotplug.
  int add_hotplug(HotplugCallback cb);
  void remove_hotplug(int id);

 private:
  void ensure_event_thread();
  static int on_hotplug(libusb_context*, libusb_device*, int event, void* self);

  libusb_context* ctx_ = nullptr;
  std::thread events_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::map<int, HotplugCallback> callbacks_;
  int next_id_ = 1;
  int libusb_handle_ = -1;
  bool hotplug_registered_ = false;
};

UsbDeviceInfo describe_device(libusb_device* dev);

}  // namespace wm::hw
