// libusb context, discovery, hotplug event thread and synchronous transfers with timeouts.
#include "wm/hw/usb.hpp"

#include <libusb.h>

#include <cstdio>
#include <stdexcept>

namespace wm::hw {

std::string_view to_string(UsbStatus s) {
  switch (s) {
    case UsbStatus::ok: return "ok";
    case UsbStatus::timeout: return "timeout";
    case UsbStatus::stall: return "stall";
    case UsbStatus::no_device: return "no_device";
    case UsbStatus::not_found: return "not_found";
    case UsbStatus::access: return "access_denied";
    case UsbStatus::busy: return "busy";
    case UsbStatus::overflow: return "overflow";
    case UsbStatus::io: return "io_error";
  }
  return "unknown";
}

UsbStatus usb_status_from_libusb(int rc) {
  if (rc >= 0) return UsbStatus::ok;
  switch (rc) {
    case LIBUSB_ERROR_TIMEOUT: return UsbStatus::timeout;
    case LIBUSB_ERROR_PIPE: return UsbStatus::stall;
    case LIBUSB_ERROR_NO_DEVICE: return UsbStatus::no_device;
    case LIBUSB_ERROR_NOT_FOUND: return UsbStatus::not_found;
    case LIBUSB_ERROR_ACCESS: return UsbStatus::access;
    case LIBUSB_ERROR_BUSY: return UsbStatus::busy;
    case LIBUSB_ERROR_OVERFLOW: return UsbStatus::overflow;
    default: return UsbStatus::io;
  }
}

bool UsbDeviceInfo::has_interface_class(std::uint8_t c) const {
  if (device_class == c) return true;
  for (auto ic : interface_classes)
    if (ic == c) return true;
  return false;
}

std::string UsbDeviceInfo::id() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04x:%04x", vid, pid);
  return buf;
}

std::string UsbDeviceInfo::describe() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%03u/%03u ", bus, address);
  std::string s = buf + id();
  std::string kinds;
  auto kind = [&](std::uint8_t c, const char* n) {
    if (has_interface_class(c)) kinds += std::string(kinds.empty() ? "" : ",") + n;
  };
  kind(kClassPrinter, "printer");
  kind(kClassSmartCard, "smartcard");
  kind(kClassHid, "hid");
  kind(kClassCdc, "cdc-acm");
  if (!kinds.empty()) s += " [" + kinds + "]";
  if (!manufacturer.empty() || !product.empty()) s += " " + manufacturer + " " + product;
  return s;
}

bool UsbMatch::matches(const UsbDeviceInfo& d) const {
  if (vid && d.vid != *vid) return false;
  if (pid && d.pid != *pid) return false;
  if (interface_class && !d.has_interface_class(*interface_class)) return false;
  return true;
}

std::string UsbMatch::describe() const {
  char buf[64];
  std::string s;
  if (vid) {
    std::snprintf(buf, sizeof buf, "%04x:%04x", *vid, pid.value_or(0));
    s = buf;
  }
  if (interface_class) {
    std::snprintf(buf, sizeof buf, "%sclass 0x%02x", s.empty() ? "" : " ", *interface_class);
    s += buf;
  }
  return s.empty() ? "any device" : s;
}

UsbDeviceInfo describe_device(libusb_device* dev) {
  UsbDeviceInfo info;
  libusb_device_descriptor dd{};
  if (libusb_get_device_descriptor(dev, &dd) == 0) {
    info.vid = dd.idVendor;
    info.pid = dd.idProduct;
    info.device_class = dd.bDeviceClass;
  }
  info.bus = libusb_get_bus_number(dev);
  info.address = libusb_get_device_address(dev);
  libusb_config_descriptor* cfg = nullptr;
  if (libusb_get_config_descriptor(dev, 0, &cfg) == 0 && cfg) {
    for (int i = 0; i < cfg->bNumInterfaces; ++i)
      for (int a = 0; a < cfg->interface[i].num_altsetting; ++a)
        info.interface_classes.push_back(cfg->interface[i].altsetting[a].bInterfaceClass);
    libusb_free_config_descriptor(cfg);
  }
  return info;
}

// ---------------------------------------------------------------- UsbDevice

UsbDevice::UsbDevice(libusb_device_handle* h, UsbDeviceInfo info) : h_(h), info_(std::move(info)) {}

UsbDevice::~UsbDevice() {
  if (claimed_) libusb_release_interface(h_, ep_.interface_number);
  libusb_close(h_);
}

UsbStatus UsbDevice::claim(std::uint8_t interface_class) {
  libusb_config_descriptor* cfg = nullptr;
  int rc = libusb_get_active_config_descriptor(libusb_get_device(h_), &cfg);
  if (rc != 0) rc = libusb_get_config_descriptor(libusb_get_device(h_), 0, &cfg);
  if (rc != 0 || !cfg) return usb_status_from_libusb(rc);
  UsbEndpoints found;
  for (int i = 0; i < cfg->bNumInterfaces && found.interface_number < 0; ++i) {
    for (int a = 0; a < cfg->interface[i].num_altsetting; ++a) {
      const libusb_interface_descriptor& id = cfg->interface[i].altsetting[a];
      if (id.bInterfaceClass != interface_class) continue;
      found.interface_number = id.bInterfaceNumber;
      found.alt_setting = id.bAlternateSetting;
      found.class_descriptor.assign(id.extra, id.extra + id.extra_length);
      for (int e = 0; e < id.bNumEndpoints; ++e) {
        const libusb_endpoint_descriptor& ed = id.endpoint[e];
        const int type = ed.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK;
        const bool in = ed.bEndpointAddress & LIBUSB_ENDPOINT_IN;
        if (type == LIBUSB_TRANSFER_TYPE_BULK && in && !found.bulk_in) {
          found.bulk_in = ed.bEndpointAddress;
          found.bulk_in_max_packet = ed.wMaxPacketSize;
        } else if (type == LIBUSB_TRANSFER_TYPE_BULK && !in && !found.bulk_out) {
          found.bulk_out = ed.bEndpointAddress;
        } else if (type == LIBUSB_TRANSFER_TYPE_INTERRUPT && in && !found.interrupt_in) {
          found.interrupt_in = ed.bEndpointAddress;
        }
      }
      break;
    }
  }
  libusb_free_config_descriptor(cfg);
  if (found.interface_number < 0) return UsbStatus::not_found;
  // Kernel drivers (usblp, usbhid) hold these interfaces on a real kiosk.
  libusb_set_auto_detach_kernel_driver(h_, 1);
  rc = libusb_claim_interface(h_, found.interface_number);
  if (rc != 0) return usb_status_from_libusb(rc);
  claimed_ = true;
  ep_ = found;
  return UsbStatus::ok;
}

namespace {
unsigned int to_ms(std::chrono::milliseconds t) {
  // 0 means "forever" to libusb: never hand it out.
  return static_cast<unsigned int>(std::max<long long>(t.count(), 1));
}
}  // namespace

UsbStatus UsbDevice::bulk_write(std::span<const std::uint8_t> data,
                                std::chrono::milliseconds timeout, std::size_t* sent) {
  int done = 0;
  const int rc = libusb_bulk_transfer(h_, ep_.bulk_out, const_cast<std::uint8_t*>(data.data()),
                                      static_cast<int>(data.size()), &done, to_ms(timeout));
  if (sent) *sent = static_cast<std::size_t>(done);
  if (rc == 0 && static_cast<std::size_t>(done) != data.size()) return UsbStatus::io;
  return usb_status_from_libusb(rc);
}

UsbStatus UsbDevice::bulk_read(std::span<std::uint8_t> buf, std::chrono::milliseconds timeout,
                               std::size_t* got) {
  int done = 0;
  const int rc = libusb_bulk_transfer(h_, ep_.bulk_in, buf.data(), static_cast<int>(buf.size()),
                                      &done, to_ms(timeout));
  *got = static_cast<std::size_t>(done);
  return usb_status_from_libusb(rc);
}

UsbStatus UsbDevice::interrupt_read(std::span<std::uint8_t> buf, std::chrono::milliseconds timeout,
                                    std::size_t* got) {
  int done = 0;
  const int rc = libusb_interrupt_transfer(h_, ep_.interrupt_in, buf.data(),
                                           static_cast<int>(buf.size()), &done, to_ms(timeout));
  *got = static_cast<std::size_t>(done);
  return usb_status_from_libusb(rc);
}

UsbStatus UsbDevice::control_in(std::uint8_t request_type, std::uint8_t request,
                                std::uint16_t value, std::uint16_t index,
                                std::span<std::uint8_t> buf, std::chrono::milliseconds timeout,
                                std::size_t* got) {
  const int rc = libusb_control_transfer(h_, request_type, request, value, index, buf.data(),
                                         static_cast<std::uint16_t>(buf.size()), to_ms(timeout));
  *got = rc > 0 ? static_cast<std::size_t>(rc) : 0;
  return usb_status_from_libusb(rc);
}

UsbStatus UsbDevice::clear_halt(std::uint8_t endpoint) {
  return usb_status_from_libusb(libusb_clear_halt(h_, endpoint));
}

// ---------------------------------------------------------------- UsbContext

UsbContext::UsbContext() {
  const int rc = libusb_init(&ctx_);
  if (rc != 0) throw std::runtime_error(std::string("libusb_init failed: ") + libusb_error_name(rc));
}

UsbContext::~UsbContext() {
  if (hotplug_registered_) libusb_hotplug_deregister_callback(ctx_, libusb_handle_);
  if (events_.joinable()) {
    stop_ = true;
    libusb_interrupt_event_handler(ctx_);
    events_.join();
  }
  libusb_exit(ctx_);
}

std::vector<UsbDeviceInfo> UsbContext::list(bool with_strings) {
  std::vector<UsbDeviceInfo> out;
  libusb_device** devs = nullptr;
  const ssize_t n = libusb_get_device_list(ctx_, &devs);
  for (ssize_t i = 0; i < n; ++i) {
    UsbDeviceInfo info = describe_device(devs[i]);
    if (info.device_class == LIBUSB_CLASS_HUB) continue;
    if (with_strings) {
      libusb_device_descriptor dd{};
      libusb_device_handle* h = nullptr;
      if (libusb_get_device_descriptor(devs[i], &dd) == 0 && libusb_open(devs[i], &h) == 0) {
        unsigned char buf[128];
        auto str = [&](std::uint8_t idx) -> std::string {
          if (!idx) return {};
          const int r = libusb_get_string_descriptor_ascii(h, idx, buf, sizeof buf);
          return r > 0 ? std::string(reinterpret_cast<char*>(buf), static_cast<size_t>(r))
                       : std::string();
        };
        info.manufacturer = str(dd.iManufacturer);
        info.product = str(dd.iProduct);
        info.serial = str(dd.iSerialNumber);
        libusb_close(h);
      }
    }
    out.push_back(std::move(info));
  }
  if (devs) libusb_free_device_list(devs, 1);
  return out;
}

std::unique_ptr<UsbDevice> UsbContext::open(const UsbMatch& m, UsbStatus* why) {
  libusb_device** devs = nullptr;
  const ssize_t n = libusb_get_device_list(ctx_, &devs);
  UsbStatus status = UsbStatus::not_found;
  std::unique_ptr<UsbDevice> result;
  for (ssize_t i = 0; i < n && !result; ++i) {
    UsbDeviceInfo info = describe_device(devs[i]);
    if (!m.matches(info)) continue;
    libusb_device_handle* h = nullptr;
    const int rc = libusb_open(devs[i], &h);
    if (rc != 0) {
      status = usb_status_from_libusb(rc);
      continue;
    }
    result = std::make_unique<UsbDevice>(h, std::move(info));
    status = UsbStatus::ok;
  }
  if (devs) libusb_free_device_list(devs, 1);
  if (why) *why = status;
  return result;
}

int UsbContext::on_hotplug(libusb_context*, libusb_device* dev, int event, void* self_ptr) {
  auto* self = static_cast<UsbContext*>(self_ptr);
  const UsbDeviceInfo info = describe_device(dev);
  const HotplugEvent ev = event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? HotplugEvent::arrived
                                                                       : HotplugEvent::left;
  std::vector<HotplugCallback> cbs;
  {
    std::lock_guard lock(self->mu_);
    for (auto& [id, cb] : self->callbacks_) cbs.push_back(cb);
  }
  for (auto& cb : cbs) cb(ev, info);
  return 0;
}

void UsbContext::ensure_event_thread() {
  if (events_.joinable()) return;
  events_ = std::thread([this] {
    while (!stop_) {
      timeval tv{0, 200 * 1000};
      libusb_handle_events_timeout_completed(ctx_, &tv, nullptr);
    }
  });
}

int UsbContext::add_hotplug(HotplugCallback cb) {
  if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) return -1;
  int id;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    callbacks_[id] = std::move(cb);
  }
  if (!hotplug_registered_) {
    // No ENUMERATE flag: callers list() themselves; the callback reports changes only.
    const int rc = libusb_hotplug_register_callback(
        ctx_,
        static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                          LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
        static_cast<libusb_hotplug_flag>(0), LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
        LIBUSB_HOTPLUG_MATCH_ANY,
        [](libusb_context* c, libusb_device* d, libusb_hotplug_event e, void* u) {
          return on_hotplug(c, d, static_cast<int>(e), u);
        },
        this, &libusb_handle_);
    if (rc != 0) {
      std::lock_guard lock(mu_);
      callbacks_.erase(id);
      return -1;
    }
    hotplug_registered_ = true;
  }
  ensure_event_thread();
  return id;
}

void UsbContext::remove_hotplug(int id) {
  std::lock_guard lock(mu_);
  callbacks_.erase(id);
}

}  // namespace wm::hw
