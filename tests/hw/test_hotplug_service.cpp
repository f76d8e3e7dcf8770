// Hotplug through real libusb (umockdev uevents) and the HwService: arrival, removal, unplug in
// the middle of a print, replug and recovery; the sim-backed service and device specs.
#define BOOST_TEST_MODULE hw_hotplug_service
#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "device_models.hpp"
#include "usb_testbed.hpp"
#include "wm/hw/device_spec.hpp"
#include "wm/hw/hw_service.hpp"
#include "wm/hw/mrz_reader.hpp"
#include "wm/hw/sim_printer.hpp"

using namespace wm::hw;
using namespace wm::hw::test;
using namespace std::chrono_literals;
using Kind = HwEvent::Kind;

namespace {
// Waits for the next event of a kind that also satisfies `pred` (skipping others), failing
// the test after `timeout`.
template <class Pred>
HwEvent expect_event_if(HwService& s, Kind kind, Pred pred,
                        std::chrono::milliseconds timeout = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  HwEvent ev;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (s.wait_event(ev, left) && ev.kind == kind && pred(ev)) return ev;
  }
  BOOST_FAIL("no " << to_string(kind) << " event within " << timeout.count() << " ms");
  return ev;
}
HwEvent expect_event(HwService& s, Kind kind, std::chrono::milliseconds timeout = 5000ms) {
  return expect_event_if(s, kind, [](const HwEvent&) { return true; }, timeout);
}
}  // namespace

BOOST_AUTO_TEST_CASE(hotplug_arrival_and_removal_reach_the_application) {
  UsbTestbed tb;
  std::optional<UsbContext> usb{std::in_place};
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<HotplugEvent, std::string>> seen;
  const int id = usb->add_hotplug([&](HotplugEvent e, const UsbDeviceInfo& d) {
    std::lock_guard lock(mu);
    seen.emplace_back(e, d.id());
    cv.notify_all();
  });
  BOOST_TEST_REQUIRE(id >= 0);
  BOOST_TEST(usb->list().empty());
  auto& dev = tb.add(escpos_printer_desc(), std::make_shared<EscPosModel>());
  {
    std::unique_lock lock(mu);
    BOOST_TEST_REQUIRE(cv.wait_for(lock, 5s, [&] { return !seen.empty(); }));
    BOOST_TEST((seen[0].first == HotplugEvent::arrived));
    BOOST_TEST(seen[0].second == "04b8:0e15");
  }
  BOOST_TEST(usb->list().size() == 1u);
  tb.unplug(dev);
  {
    std::unique_lock lock(mu);
    BOOST_TEST_REQUIRE(cv.wait_for(lock, 5s, [&] { return seen.size() >= 2; }));
    BOOST_TEST((seen[1].first == HotplugEvent::left));
  }
  BOOST_TEST(usb->list().empty());
  usb->remove_hotplug(id);
  usb.reset();
}

BOOST_AUTO_TEST_CASE(service_survives_unplug_during_print_and_recovers_after_replug) {
  UsbTestbed tb;
  auto model = std::make_shared<EscPosModel>();
  auto& dev = tb.add(escpos_printer_desc(), model);
  HwConfig cfg;
  cfg.printer = "usb:04b8:0e15";
  cfg.enable_mrz = cfg.enable_card = false;
  cfg.retry_interval = 10s;  // recovery must come from hotplug, not from polling
  cfg.status_interval = 10s;
  HwService svc(cfg);
  svc.start();
  BOOST_TEST(expect_event(svc, Kind::device_ready).message.find("04b8:0e15") != std::string::npos);

  std::future<PrintResult> f;
  svc.print(sample_ticket(), &f);
  HwEvent done = expect_event(svc, Kind::print_done);
  BOOST_TEST(done.print.ok(), done.print.detail);
  BOOST_TEST(f.get().ok());
  BOOST_TEST(dev.with_model<EscPosModel>([](EscPosModel& m) { return m.received; }) ==
                 render_ticket(sample_ticket()),
             boost::test_tools::per_element());

  // The cable is pulled while the ticket is being sent.
  dev.with_model<EscPosModel>([](EscPosModel& m) {
    m.received.clear();
    m.fault_after = 10;
    m.fault = OutAction::unplug;
  });
  const auto id = svc.print(sample_ticket());
  done = expect_event(svc, Kind::print_done);
  BOOST_TEST(done.job_id == id);
  BOOST_TEST(to_string(done.print.error) == "unplugged");
  expect_event(svc, Kind::device_lost);
  BOOST_TEST(!svc.ready(DeviceRole::printer));
  tb.unplug(dev);

  // While it is gone a print fails fast instead of hanging the kiosk.
  svc.print(sample_ticket(), &f);
  BOOST_TEST_REQUIRE((f.wait_for(3s) == std::future_status::ready));
  BOOST_TEST(to_string(f.get().error) == "not_found");

  // Plugged back in: hotplug wakes the worker, the printer is reopened and works again.
  dev.with_model<EscPosModel>([](EscPosModel& m) { m = EscPosModel{}; });
  tb.replug(dev);
  expect_event(svc, Kind::device_ready);
  svc.print(sample_ticket(), &f);
  BOOST_TEST_REQUIRE((f.wait_for(5s) == std::future_status::ready));
  const PrintResult r = f.get();
  BOOST_TEST(r.ok(), r.detail);
  svc.stop();
}

BOOST_AUTO_TEST_CASE(service_reads_documents_and_cards_over_usb) {
  UsbTestbed tb;
  auto kbd = std::make_shared<HidKeyboardModel>();
  auto& reader = tb.add(hid_keyboard_desc(), kbd);
  auto ccid = std::make_shared<CcidModel>();
  ccid->card_present = false;
  auto& cardrd = tb.add(ccid_reader_desc(), ccid);
  HwConfig cfg;
  cfg.enable_printer = false;
  cfg.mrz = "usb-hid:0c2e:0b61";
  cfg.card = "usb:072f:90cc";
  cfg.today = [] { return Date{2024, 10, 14}; };
  HwService svc(cfg);
  svc.start();
  expect_event(svc, Kind::device_ready);
  expect_event(svc, Kind::device_ready);
  reader.with_model<HidKeyboardModel>([](HidKeyboardModel& m) {
    m.type("IDD<<T220001293<<<<<<<<<<<<<<<\n6408125<2010315D<<<<<<<<<<<<<4\n"
           "MUSTERMANN<<ERIKA<<<<<<<<<<<<<\n");
  });
  const HwEvent doc = expect_event(svc, Kind::document);
  BOOST_TEST_REQUIRE(doc.document.ok(), doc.document.message);
  BOOST_TEST(doc.document.document->given_names == "ERIKA");
  BOOST_TEST(doc.document.document->expired);

  cardrd.with_model<CcidModel>([](CcidModel& m) { m.insert_card(); });
  const HwEvent card = expect_event(svc, Kind::card_inserted);
  BOOST_TEST(card.atr.size() == 15u);
  auto resp = svc.transmit(Bytes{0x00, 0xA4, 0x04, 0x0C});
  BOOST_TEST_REQUIRE((resp.wait_for(3s) == std::future_status::ready));
  BOOST_TEST(resp.get().data == (Bytes{0x90, 0x00}), boost::test_tools::per_element());
  cardrd.with_model<CcidModel>([](CcidModel& m) { m.remove_card(); });
  expect_event(svc, Kind::card_removed);

  tb.unplug(reader);
  BOOST_TEST(to_string(expect_event(svc, Kind::device_lost).role) == "mrz");
  svc.stop();
}

BOOST_AUTO_TEST_CASE(simulated_service_for_the_demo) {
  const auto dir = std::filesystem::temp_directory_path() / ("wm-hw-svc-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  HwConfig cfg;
  cfg.printer = "sim:" + dir.string();
  cfg.status_interval = 50ms;
  HwService svc(cfg);
  svc.start();
  std::future<PrintResult> f;
  svc.print(sample_ticket(), &f);
  BOOST_TEST_REQUIRE((f.wait_for(10s) == std::future_status::ready));
  BOOST_TEST(f.get().ok());
  BOOST_TEST(std::filesystem::exists(dir / "ticket-0001.png"));
  // The default simulated reader hands over the German specimen.
  const HwEvent doc = expect_event(svc, Kind::document);
  BOOST_TEST(doc.document.ok());
  BOOST_TEST(doc.document.document->surname == "MUSTERMANN");
  BOOST_TEST_REQUIRE(svc.sim_mrz_reader() != nullptr);
  svc.sim_mrz_reader()->present({"garbage"});
  BOOST_TEST(to_string(expect_event(svc, Kind::document).document.error) == "bad_line_count");
  // Paper runs out (control file): the kiosk sees a status event and prints fail precisely.
  std::ofstream(dir / "control") << "paper_end";
  // (The first status event after opening may still be queued; wait for the one that matters.)
  expect_event_if(svc, Kind::printer_status,
                  [](const HwEvent& e) { return e.printer_status.paper_end; });
  BOOST_TEST(svc.printer_status().paper_end);
  svc.print(sample_ticket(), &f);
  BOOST_TEST(to_string(f.get().error) == "paper_end");
  for (int i = 0; i < 500 && !svc.ready(DeviceRole::card_reader); ++i)
    std::this_thread::sleep_for(10ms);  // the card worker opens its simulator concurrently
  BOOST_TEST_REQUIRE(svc.sim_card_reader() != nullptr);
  svc.sim_card_reader()->set_card_present(false);
  expect_event(svc, Kind::card_removed);
  svc.stop();
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(device_spec_strings) {
  std::string err;
  auto s = parse_device_spec("usb:04b8:0e15", DeviceRole::printer, &err);
  BOOST_TEST_REQUIRE(s.has_value());
  BOOST_TEST(*s->vid == 0x04b8);
  BOOST_TEST(*s->pid == 0x0e15);
  s = parse_device_spec("usb", DeviceRole::printer, &err);
  BOOST_TEST((s->usb_match(DeviceRole::printer).interface_class.value() == kClassPrinter));
  s = parse_device_spec("sim:/tmp/t", DeviceRole::printer, &err);
  BOOST_TEST(s->path == "/tmp/t");
  s = parse_device_spec("serial:/dev/ttyACM0@115200", DeviceRole::mrz_reader, &err);
  BOOST_TEST(s->path == "/dev/ttyACM0");
  BOOST_TEST(s->baud == 115200);
  s = parse_device_spec("usb-hid:0c2e:0b61:de", DeviceRole::mrz_reader, &err);
  BOOST_TEST((s->layout == KeyboardLayout::de));
  BOOST_TEST(!parse_device_spec("usb-hid", DeviceRole::mrz_reader, &err));
  BOOST_TEST(!parse_device_spec("usb:zz:0e15", DeviceRole::printer, &err));
  BOOST_TEST(err.find("accepted: sim, sim:<dir>, usb, usb:VID:PID") != std::string::npos);
  BOOST_TEST(!parse_device_spec("serial:/dev/ttyACM0", DeviceRole::printer, &err));
  BOOST_CHECK_THROW(HwService(HwConfig{.printer = "lpt1"}), std::invalid_argument);
}
