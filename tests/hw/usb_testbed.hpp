// Test fixture: umockdev testbed with emulated USB devices answering usbdevfs ioctls.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

typedef struct _UMockdevTestbed UMockdevTestbed;
typedef struct _UMockdevIoctlBase UMockdevIoctlBase;
typedef struct _UMockdevIoctlClient UMockdevIoctlClient;
typedef struct _UMockdevIoctlData UMockdevIoctlData;

namespace wm::hw::test {

using Bytes = std::vector<std::uint8_t>;

struct EndpointDesc {
  std::uint8_t address;  // 0x81 = IN 1, 0x02 = OUT 2
  std::uint8_t type;     // 2 bulk, 3 interrupt
  std::uint16_t max_packet = 64;
  std::uint8_t interval = 0;
};

struct InterfaceDesc {
  std::uint8_t cls, subclass = 0, protocol = 0;
  Bytes extra;  // class specific descriptor (HID 0x21, CCID 0x21)
  std::vector<EndpointDesc> endpoints;
};

struct DeviceDesc {
  std::uint16_t vid = 0x1234, pid = 0x5678;
  std::string manufacturer = "Wartemarke", product = "Mock", serial = "0001";
  std::vector<InterfaceDesc> interfaces;
};

// Device + configuration + interface + endpoint descriptors, as sysfs "descriptors" has them.
Bytes build_descriptors(const DeviceDesc& d);

struct Setup {
  std::uint8_t request_type, request;
  std::uint16_t value, index, length;
};

// What happens to one OUT transfer.
enum class OutAction { complete, stall, hang, unplug };

// Behaviour of one emulated device. Called on umockdev's handler thread with the device lock
// held; tests change a model only through MockUsbDevice::with_model (same lock).
class DeviceModel {
 public:
  virtual ~DeviceModel() = default;
  // nullopt = STALL the control request.
  virtual std::optional<Bytes> control(const Setup&, std::span<const std::uint8_t>) {
    return std::nullopt;
  }
  virtual OutAction out(std::uint8_t ep, std::span<const std::uint8_t> data) = 0;
  // Data for a pending IN transfer if there is some now; nullopt keeps it pending.
  virtual std::optional<Bytes> in(std::uint8_t ep, std::size_t max) = 0;
  // A pending IN transfer should fail with a stall (checked before in()).
  virtual bool stall_in(std::uint8_t) { return false; }
};

class UsbTestbed;

// One emulated device node: keeps URBs in flight until they are reaped, discards them on
// libusb timeouts, and fails everything with ENODEV once unplugged.
class MockUsbDevice {
 public:
  MockUsbDevice(DeviceDesc desc, std::shared_ptr<DeviceModel> model);
  ~MockUsbDevice();

  template <class M, class F>
  auto with_model(F&& f) {
    std::lock_guard lock(mu_);
    return f(static_cast<M&>(*model_));
  }
  const DeviceDesc& desc() const { return desc_; }
  std::string syspath() const { return syspath_; }
  std::string devnode() const { return devnode_; }
  int devnum() const { return devnum_; }
  bool unplugged() const;
  // Number of ioctls seen, for "did libusb actually talk to us" checks.
  int submitted_urbs() const;

 private:
  friend class UsbTestbed;
  struct Urb {
    UMockdevIoctlData* data;  // referenced until reaped
    unsigned long client_addr;
    std::uint8_t ep, type;
    bool done = false;
    int status = 0;
  };
  static int handle_ioctl_cb(UMockdevIoctlBase*, UMockdevIoctlClient*, void* self);
  bool handle_ioctl(UMockdevIoctlClient* client);
  void submit(UMockdevIoctlClient* client);
  void reap(UMockdevIoctlClient* client);
  void discard(UMockdevIoctlClient* client);
  void poll_pending();  // mu_ held
  void go_away();       // mu_ held

  DeviceDesc desc_;
  std::shared_ptr<DeviceModel> model_;
  UMockdevIoctlBase* handler_;
  mutable std::mutex mu_;
  std::deque<Urb> urbs_;
  bool gone_ = false;
  int submitted_ = 0;
  std::string syspath_, devnode_;
  int devnum_ = 0;
};

// Owns the umockdev testbed. Create it before any libusb context; destroy it after them.
class UsbTestbed {
 public:
  UsbTestbed();
  ~UsbTestbed();
  UMockdevTestbed* raw() const { return tb_; }

  // Adds (plugs in) a device; a hotplug "add" reaches running libusb contexts.
  MockUsbDevice& add(DeviceDesc desc, std::shared_ptr<DeviceModel> model);
  // Electrical unplug: in-flight and later transfers fail with ENODEV, "remove" uevent sent.
  void unplug(MockUsbDevice& dev);
  // Plug the same device back in (new device number, like a real re-enumeration).
  void replug(MockUsbDevice& dev);
  // A serial tty node (e.g. /dev/ttyACM0) whose reads replay a umockdev script.
  std::string add_tty(const std::string& name, const std::string& script_text);

 private:
  void plug(MockUsbDevice& dev);
  UMockdevTestbed* tb_;
  std::vector<std::unique_ptr<MockUsbDevice>> devices_;
  int next_devnum_ = 2;
  std::string script_dir_;
};

// Descriptor sets of the devices we emulate.
DeviceDesc escpos_printer_desc(std::uint16_t vid = 0x04b8, std::uint16_t pid = 0x0e15);
DeviceDesc ccid_reader_desc(std::uint16_t vid = 0x072f, std::uint16_t pid = 0x90cc);
DeviceDesc hid_keyboard_desc(std::uint16_t vid = 0x0c2e, std::uint16_t pid = 0x0b61);

}  // namespace wm::hw::test
