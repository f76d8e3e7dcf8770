// umockdev fixture: builds sysfs descriptions and answers usbdevfs ioctls via device models.
#include "usb_testbed.hpp"

#include <errno.h>
#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <stdlib.h>
#include <umockdev.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace wm::hw::test {

namespace {
void le16(Bytes& b, std::uint16_t v) {
  b.push_back(v & 0xFF);
  b.push_back(v >> 8);
}
std::string hex(const Bytes& b) {
  std::string s;
  char buf[3];
  for (auto x : b) {
    std::snprintf(buf, sizeof buf, "%02x", x);
    s += buf;
  }
  return s;
}
}  // namespace

Bytes build_descriptors(const DeviceDesc& d) {
  Bytes out = {18, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 64};
  le16(out, d.vid);
  le16(out, d.pid);
  out.insert(out.end(), {0x00, 0x01, 1, 2, 3, 1});
  Bytes body;
  std::uint8_t n = 0;
  for (const auto& itf : d.interfaces) {
    body.insert(body.end(), {9, 0x04, n++, 0, static_cast<std::uint8_t>(itf.endpoints.size()),
                             itf.cls, itf.subclass, itf.protocol, 0});
    body.insert(body.end(), itf.extra.begin(), itf.extra.end());
    for (const auto& ep : itf.endpoints) {
      body.insert(body.end(), {7, 0x05, ep.address, ep.type});
      le16(body, ep.max_packet);
      body.push_back(ep.interval);
    }
  }
  Bytes cfg = {9, 0x02};
  le16(cfg, static_cast<std::uint16_t>(9 + body.size()));
  cfg.insert(cfg.end(), {n, 1, 0, 0x80, 50});
  out.insert(out.end(), cfg.begin(), cfg.end());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// ---------------------------------------------------------------- MockUsbDevice

MockUsbDevice::MockUsbDevice(DeviceDesc desc, std::shared_ptr<DeviceModel> model)
    : desc_(std::move(desc)), model_(std::move(model)), handler_(umockdev_ioctl_base_new()) {
  g_signal_connect_after(handler_, "handle-ioctl", G_CALLBACK(handle_ioctl_cb), this);
}

MockUsbDevice::~MockUsbDevice() {
  for (auto& u : urbs_) umockdev_ioctl_data_unref(u.data);
  g_object_unref(handler_);
}

bool MockUsbDevice::unplugged() const {
  std::lock_guard lock(mu_);
  return gone_;
}

int MockUsbDevice::submitted_urbs() const {
  std::lock_guard lock(mu_);
  return submitted_;
}

int MockUsbDevice::handle_ioctl_cb(UMockdevIoctlBase*, UMockdevIoctlClient* client, void* self) {
  return static_cast<MockUsbDevice*>(self)->handle_ioctl(client);
}

bool MockUsbDevice::handle_ioctl(UMockdevIoctlClient* client) {
  const unsigned long request = umockdev_ioctl_client_get_request(client);
  UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
  switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
      UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), nullptr);
      *reinterpret_cast<guint32*>(d->data) =
          USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_BULK_CONTINUATION |
          USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT |
          USBDEVFS_CAP_ZERO_PACKET;
      umockdev_ioctl_data_unref(d);
      umockdev_ioctl_client_complete(client, 0, 0);
      return true;
    }
    case USBDEVFS_SUBMITURB: submit(client); return true;
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: reap(client); return true;
    case USBDEVFS_DISCARDURB: discard(client); return true;
    case USBDEVFS_GETDRIVER:
    case USBDEVFS_IOCTL:
      // No kernel driver bound: nothing to detach.
      umockdev_ioctl_client_complete(client, -1, ENODATA);
      return true;
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_DISCONNECT_CLAIM:
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_SETCONFIGURATION:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESETEP:
    case USBDEVFS_RESET: {
      std::lock_guard lock(mu_);
      if (gone_)
        umockdev_ioctl_client_complete(client, -1, ENODEV);
      else
        umockdev_ioctl_client_complete(client, 0, 0);
      return true;
    }
    default:
      umockdev_ioctl_client_complete(client, -1, ENOTTY);
      return true;
  }
}

void MockUsbDevice::submit(UMockdevIoctlClient* client) {
  UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
  UMockdevIoctlData* urb_data =
      umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
  auto* urb = reinterpret_cast<usbdevfs_urb*>(urb_data->data);
  UMockdevIoctlData* buf = umockdev_ioctl_data_resolve(
      urb_data, G_STRUCT_OFFSET(usbdevfs_urb, buffer), urb->buffer_length, nullptr);
  std::lock_guard lock(mu_);
  ++submitted_;
  if (gone_) {
    umockdev_ioctl_data_unref(buf);
    umockdev_ioctl_data_unref(urb_data);
    umockdev_ioctl_client_complete(client, -1, ENODEV);
    return;
  }
  Urb u{urb_data, urb_data->client_addr, urb->endpoint, urb->type};
  const bool is_in = urb->endpoint & 0x80;
  if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
    const std::uint8_t* s = buf->data;
    const Setup setup{s[0], s[1], static_cast<std::uint16_t>(s[2] | s[3] << 8),
                      static_cast<std::uint16_t>(s[4] | s[5] << 8),
                      static_cast<std::uint16_t>(s[6] | s[7] << 8)};
    std::optional<Bytes> reply;
    if (setup.request_type == 0x80 && setup.request == 6 && (setup.value >> 8) == 3) {
      // String descriptors come from the description, not the model.
      const int idx = setup.value & 0xFF;
      Bytes d;
      if (idx == 0) {
        d = {4, 3, 0x09, 0x04};
      } else {
        const std::string& str = idx == 1 ? desc_.manufacturer
                                 : idx == 2 ? desc_.product
                                            : desc_.serial;
        d = {static_cast<std::uint8_t>(2 + 2 * str.size()), 3};
        for (char c : str) d.insert(d.end(), {static_cast<std::uint8_t>(c), 0});
      }
      reply = d;
    } else {
      reply = model_->control(
          setup, std::span<const std::uint8_t>(buf->data + 8, urb->buffer_length - 8));
    }
    u.done = true;
    if (!reply) {
      u.status = -EPIPE;
      urb->actual_length = 0;
    } else {
      const std::size_t n = std::min<std::size_t>(reply->size(), setup.length);
      // Both into the local copy (flushed on completion) and, same address space, directly.
      std::memcpy(buf->data + 8, reply->data(), n);
      std::memcpy(static_cast<std::uint8_t*>(urb->buffer) + 8, reply->data(), n);
      urb->actual_length = static_cast<int>((setup.request_type & 0x80) ? n : setup.length);
    }
  } else if (!is_in) {
    const OutAction a =
        model_->out(urb->endpoint, std::span<const std::uint8_t>(buf->data, urb->buffer_length));
    switch (a) {
      case OutAction::complete:
        u.done = true;
        urb->actual_length = urb->buffer_length;
        break;
      case OutAction::stall:
        u.done = true;
        u.status = -EPIPE;
        urb->actual_length = 0;
        break;
      case OutAction::hang: break;  // completes only when libusb discards it (timeout)
      case OutAction::unplug:
        urbs_.push_back(u);
        go_away();
        umockdev_ioctl_data_unref(buf);
        umockdev_ioctl_client_complete(client, 0, 0);
        return;
    }
  }
  urbs_.push_back(u);
  umockdev_ioctl_data_unref(buf);
  umockdev_ioctl_client_complete(client, 0, 0);
}

void MockUsbDevice::poll_pending() {
  for (auto& u : urbs_) {
    if (u.done || !(u.ep & 0x80) || u.type == USBDEVFS_URB_TYPE_CONTROL) continue;
    auto* urb = reinterpret_cast<usbdevfs_urb*>(u.data->data);
    if (model_->stall_in(u.ep)) {
      u.done = true;
      u.status = -EPIPE;
      urb->actual_length = 0;
      continue;
    }
    if (auto d = model_->in(u.ep, static_cast<std::size_t>(urb->buffer_length))) {
      const std::size_t n = std::min<std::size_t>(d->size(), urb->buffer_length);
      std::memcpy(urb->buffer, d->data(), n);
      urb->actual_length = static_cast<int>(n);
      u.done = true;
    }
  }
}

void MockUsbDevice::go_away() {
  gone_ = true;
  for (auto& u : urbs_)
    if (!u.done) {
      u.done = true;
      u.status = -ENODEV;
      reinterpret_cast<usbdevfs_urb*>(u.data->data)->actual_length = 0;
    }
}

void MockUsbDevice::reap(UMockdevIoctlClient* client) {
  UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
  {
    std::lock_guard lock(mu_);
    if (!gone_) poll_pending();
    for (auto it = urbs_.begin(); it != urbs_.end(); ++it) {
      if (!it->done) continue;
      Urb u = *it;
      urbs_.erase(it);
      auto* urb = reinterpret_cast<usbdevfs_urb*>(u.data->data);
      urb->status = u.status;
      // Mark the kept URB copy dirty so its status/length are written back to libusb.
      usbdevfs_urb copy = *urb;
      umockdev_ioctl_data_update(u.data, 0, reinterpret_cast<guint8*>(&copy), sizeof copy);
      UMockdevIoctlData* ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), nullptr);
      umockdev_ioctl_data_set_ptr(ptr, 0, u.data);
      umockdev_ioctl_data_unref(ptr);
      umockdev_ioctl_data_unref(u.data);
      umockdev_ioctl_client_complete(client, 0, 0);
      return;
    }
    if (gone_) {
      umockdev_ioctl_client_complete(client, -1, ENODEV);
      return;
    }
  }
  // The fake node always polls ready: pace libusb's event loop instead of letting it spin.
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  umockdev_ioctl_client_complete(client, -1, EAGAIN);
}

void MockUsbDevice::discard(UMockdevIoctlClient* client) {
  UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
  const auto addr = reinterpret_cast<unsigned long>(*reinterpret_cast<void**>(arg->data));
  std::lock_guard lock(mu_);
  for (auto& u : urbs_) {
    if (u.client_addr != addr || u.done) continue;
    u.done = true;
    u.status = -ENOENT;
    reinterpret_cast<usbdevfs_urb*>(u.data->data)->actual_length = 0;
    umockdev_ioctl_client_complete(client, 0, 0);
    return;
  }
  umockdev_ioctl_client_complete(client, -1, EINVAL);
}

// ---------------------------------------------------------------- UsbTestbed

UsbTestbed::UsbTestbed() : tb_(umockdev_testbed_new()) {
  if (!umockdev_in_mock_environment())
    throw std::runtime_error("not running under umockdev-wrapper (LD_PRELOAD missing)");
  char tmpl[] = "/tmp/wm-hw-scripts-XXXXXX";
  if (mkdtemp(tmpl)) script_dir_ = tmpl;
}

UsbTestbed::~UsbTestbed() {
  g_object_unref(tb_);
  devices_.clear();
  if (!script_dir_.empty()) {
    const std::string cmd = "rm -rf '" + script_dir_ + "'";
    if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", script_dir_.c_str());
  }
}

void UsbTestbed::plug(MockUsbDevice& dev) {
  dev.devnum_ = next_devnum_++;
  char node[64], sys[64];
  std::snprintf(node, sizeof node, "/dev/bus/usb/001/%03d", dev.devnum_);
  std::snprintf(sys, sizeof sys, "/devices/usb1/1-%d", dev.devnum_);
  dev.devnode_ = node;
  {
    std::lock_guard lock(dev.mu_);
    dev.gone_ = false;
  }
  GError* err = nullptr;
  // Attach first so libusb can open the node as soon as the add uevent arrives.
  if (!umockdev_testbed_attach_ioctl(tb_, node, dev.handler_, &err)) {
    const std::string msg = err ? err->message : "?";
    g_clear_error(&err);
    throw std::runtime_error("attach_ioctl failed: " + msg);
  }
  char vidpid[64];
  std::snprintf(vidpid, sizeof vidpid, "A: idVendor=%04x\\n\nA: idProduct=%04x\\n\n",
                dev.desc_.vid, dev.desc_.pid);
  const std::string text =
      std::string("P: ") + sys + "\n" + "N: " + (node + 5) + "\n" +
      "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n" + "E: DEVNAME=" + node +
      "\n" + "E: BUSNUM=001\nE: DEVNUM=" + (node + std::strlen(node) - 3) + "\n" +
      "E: MAJOR=189\nE: MINOR=" + std::to_string(dev.devnum_ - 1) + "\n" +
      "A: busnum=1\\n\nA: devnum=" + std::to_string(dev.devnum_) + "\\n\n" +
      "A: speed=480\\n\nA: bConfigurationValue=1\\n\nA: bNumConfigurations=1\\n\n" + vidpid +
      "H: descriptors=" + hex(build_descriptors(dev.desc_)) + "\n";
  if (!umockdev_testbed_add_from_string(tb_, text.c_str(), &err)) {
    const std::string msg = err ? err->message : "?";
    g_clear_error(&err);
    throw std::runtime_error("add_from_string failed: " + msg);
  }
  dev.syspath_ = std::string("/sys") + sys;
}

MockUsbDevice& UsbTestbed::add(DeviceDesc desc, std::shared_ptr<DeviceModel> model) {
  devices_.push_back(std::make_unique<MockUsbDevice>(std::move(desc), std::move(model)));
  plug(*devices_.back());
  return *devices_.back();
}

void UsbTestbed::unplug(MockUsbDevice& dev) {
  {
    std::lock_guard lock(dev.mu_);
    dev.go_away();
  }
  umockdev_testbed_uevent(tb_, dev.syspath_.c_str(), "remove");
  umockdev_testbed_remove_device(tb_, dev.syspath_.c_str());
  umockdev_testbed_detach_ioctl(tb_, dev.devnode_.c_str(), nullptr);
}

void UsbTestbed::replug(MockUsbDevice& dev) { plug(dev); }

std::string UsbTestbed::add_tty(const std::string& name, const std::string& script_text) {
  const std::string node = "/dev/" + name;
  const std::string text = "P: /devices/pci0000:00/usb1/1-9/1-9:1.0/tty/" + name + "\n" + "N: " +
                           name + "\n" + "E: SUBSYSTEM=tty\nE: DEVNAME=" + node + "\n";
  GError* err = nullptr;
  if (!umockdev_testbed_add_from_string(tb_, text.c_str(), &err)) {
    const std::string msg = err ? err->message : "?";
    g_clear_error(&err);
    throw std::runtime_error("add tty failed: " + msg);
  }
  const std::string path = script_dir_ + "/" + name + ".script";
  std::ofstream(path) << script_text;
  if (!umockdev_testbed_load_script(tb_, node.c_str(), path.c_str(), &err)) {
    const std::string msg = err ? err->message : "?";
    g_clear_error(&err);
    throw std::runtime_error("load_script failed: " + msg);
  }
  return node;
}

// ---------------------------------------------------------------- descriptions

DeviceDesc escpos_printer_desc(std::uint16_t vid, std::uint16_t pid) {
  DeviceDesc d;
  d.vid = vid, d.pid = pid;
  d.manufacturer = "EPSON", d.product = "TM-T20II", d.serial = "X5E1234567";
  d.interfaces = {{0x07, 0x01, 0x02, {}, {{0x01, 2, 64}, {0x82, 2, 64}}}};
  return d;
}

DeviceDesc ccid_reader_desc(std::uint16_t vid, std::uint16_t pid) {
  DeviceDesc d;
  d.vid = vid, d.pid = pid;
  d.manufacturer = "ACS", d.product = "ACR39U ICC Reader", d.serial = "C0001";
  // 54-byte CCID class descriptor: bcdCCID 1.10, one slot, T=0/T=1, short APDU level exchange.
  Bytes ccid = {54, 0x21, 0x10, 0x01, 0x00, 0x07, 0x03, 0, 0, 0};
  ccid.resize(54, 0);
  ccid[40] = 0x02;  // dwFeatures byte 2 (0x00020000 short APDU) at offset 40..43
  ccid[44] = 0x0F, ccid[45] = 0x01;  // dwMaxCCIDMessageLength 271
  ccid[52] = 0x01;  // bMaxCCIDBusySlots
  d.interfaces = {{0x0B, 0, 0, ccid, {{0x02, 2, 64}, {0x82, 2, 64}, {0x83, 3, 8, 16}}}};
  return d;
}

DeviceDesc hid_keyboard_desc(std::uint16_t vid, std::uint16_t pid) {
  DeviceDesc d;
  d.vid = vid, d.pid = pid;
  d.manufacturer = "Desko", d.product = "MRZ Reader (keyboard)", d.serial = "M0001";
  const Bytes hid = {9, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 63, 0};
  d.interfaces = {{0x03, 0x01, 0x01, hid, {{0x81, 3, 8, 10}}}};
  return d;
}

}  // namespace wm::hw::test
