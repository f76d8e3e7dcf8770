// USB ESC/POS printer through real libusb against an emulated printer (umockdev).
#define BOOST_TEST_MODULE hw_usb_printer
#include <boost/test/unit_test.hpp>

#include <optional>

#include "device_models.hpp"
#include "usb_testbed.hpp"
#include "wm/hw/usb_printer.hpp"

using namespace wm::hw;
using namespace wm::hw::test;
using namespace std::chrono_literals;

namespace {
struct PrinterFixture {
  UsbTestbed tb;
  std::shared_ptr<EscPosModel> model = std::make_shared<EscPosModel>();
  MockUsbDevice& dev = tb.add(escpos_printer_desc(), model);
  std::optional<UsbContext> usb{std::in_place};  // after the device exists

  ~PrinterFixture() { usb.reset(); }  // before the testbed goes

  std::unique_ptr<UsbPrinter> open() {
    UsbStatus why;
    auto d = usb->open(UsbMatch{std::nullopt, std::nullopt, kClassPrinter}, &why);
    BOOST_TEST_REQUIRE(d.get() != nullptr, "open failed: " << to_string(why));
    auto p = std::make_unique<UsbPrinter>(std::move(d), UsbPrinterTimeouts{300ms, 300ms, 300ms});
    BOOST_TEST_REQUIRE((p->claim_status() == UsbStatus::ok));
    return p;
  }
  template <class F>
  auto model_do(F&& f) {
    return dev.with_model<EscPosModel>(std::forward<F>(f));
  }
  Bytes received() {
    return model_do([](EscPosModel& m) { return m.received; });
  }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(usb_printer, PrinterFixture)

BOOST_AUTO_TEST_CASE(discovery_by_class_and_vid_pid) {
  const auto devs = usb->list(true);
  BOOST_TEST_REQUIRE(devs.size() == 1u);
  BOOST_TEST(devs[0].id() == "04b8:0e15");
  BOOST_TEST(devs[0].has_interface_class(kClassPrinter));
  BOOST_TEST(devs[0].product == "TM-T20II");
  BOOST_TEST(devs[0].manufacturer == "EPSON");
  BOOST_TEST(usb->open(UsbMatch{0x04b8, 0x0e15, std::nullopt}).get() != nullptr);
  UsbStatus why = UsbStatus::ok;
  BOOST_TEST(usb->open(UsbMatch{0x04b8, 0x0202, std::nullopt}, &why).get() == nullptr);
  BOOST_TEST((why == UsbStatus::not_found));
  BOOST_TEST(usb->open(UsbMatch{std::nullopt, std::nullopt, kClassSmartCard}).get() == nullptr);
}

BOOST_AUTO_TEST_CASE(identity_via_get_device_id) {
  auto p = open();
  PrinterIdentity id;
  BOOST_TEST_REQUIRE((p->identity(id) == PrintError::ok));
  BOOST_TEST(id.manufacturer == "EPSON");
  BOOST_TEST(id.model == "TM-T20II");
  BOOST_TEST(id.command_set == "ESCPOS");
}

BOOST_AUTO_TEST_CASE(printer_receives_exactly_the_ticket_bytes) {
  auto p = open();
  const TicketPrint t = sample_ticket("de");
  const Bytes expected = render_ticket(t);
  const PrintResult r = p->print(t);
  BOOST_TEST_REQUIRE(r.ok(), r.detail);
  BOOST_TEST(!r.paper_near_end);
  BOOST_TEST(r.bytes_sent == expected.size());
  BOOST_TEST(received() == expected, boost::test_tools::per_element());
  // Status before (3 queries) and confirmation after (3 queries).
  BOOST_TEST(model_do([](EscPosModel& m) { return m.status_queries; }) == 6);
}

BOOST_AUTO_TEST_CASE(large_job_is_chunked_and_complete) {
  auto p = open();
  Bytes job(20000);
  for (size_t i = 0; i < job.size(); ++i) job[i] = static_cast<std::uint8_t>('A' + i % 26);
  const PrintResult r = p->print_raw(job);
  BOOST_TEST_REQUIRE(r.ok(), r.detail);
  BOOST_TEST(received() == job, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(status_flags_are_decoded) {
  auto p = open();
  BOOST_TEST(p->status().ready());
  model_do([](EscPosModel& m) { m.paper_near_end = true; });
  PrinterStatus s = p->status();
  BOOST_TEST(s.ready());
  BOOST_TEST(s.paper_near_end);
  model_do([](EscPosModel& m) { m.cover_open = true; });
  s = p->status();
  BOOST_TEST(s.cover_open);
  BOOST_TEST(s.offline);
  BOOST_TEST((s.blocking() == PrintError::cover_open));
  model_do([](EscPosModel& m) { m.cover_open = false; m.offline = true; });
  BOOST_TEST((p->status().blocking() == PrintError::offline));
  model_do([](EscPosModel& m) { m.offline = false; m.paper_end = true; });
  s = p->status();
  BOOST_TEST(s.paper_end);
  BOOST_TEST((s.blocking() == PrintError::paper_end));
}

BOOST_AUTO_TEST_CASE(paper_near_end_still_confirms_with_warning) {
  auto p = open();
  model_do([](EscPosModel& m) { m.paper_near_end = true; });
  const PrintResult r = p->print(sample_ticket());
  BOOST_TEST(r.ok(), r.detail);
  BOOST_TEST(r.paper_near_end);
}

BOOST_AUTO_TEST_CASE(paper_end_cover_open_offline_refuse_to_print) {
  auto p = open();
  const std::pair<void (*)(EscPosModel&), PrintError> cases[] = {
      {[](EscPosModel& m) { m.paper_end = true; }, PrintError::paper_end},
      {[](EscPosModel& m) { m.cover_open = true; }, PrintError::cover_open},
      {[](EscPosModel& m) { m.offline = true; }, PrintError::offline},
  };
  for (const auto& [arm, expected] : cases) {
    model_do([&](EscPosModel& m) { m = EscPosModel{}; arm(m); });
    const PrintResult r = p->print(sample_ticket());
    BOOST_TEST(to_string(r.error) == to_string(expected));
    BOOST_TEST(received().empty());  // nothing sent to a printer that cannot print
  }
}

BOOST_AUTO_TEST_CASE(paper_running_out_during_the_print_is_not_confirmed) {
  auto p = open();
  model_do([](EscPosModel& m) { m.paper_runs_out_after = 100; });
  const PrintResult r = p->print(sample_ticket());
  BOOST_TEST(to_string(r.error) == "paper_end");
  BOOST_TEST(r.detail.find("after the job") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(write_timeout_is_reported) {
  auto p = open();
  model_do([](EscPosModel& m) { m.fault_after = 0; m.fault = OutAction::hang; });
  const PrintResult r = p->print(sample_ticket());
  BOOST_TEST(to_string(r.error) == "timeout");
  BOOST_TEST(r.bytes_sent == 0u);
}

BOOST_AUTO_TEST_CASE(stall_is_reported) {
  auto p = open();
  model_do([](EscPosModel& m) { m.fault_after = 0; m.fault = OutAction::stall; });
  const PrintResult r = p->print(sample_ticket());
  BOOST_TEST(to_string(r.error) == "stall");
  // After clearing the halt the printer works again.
  BOOST_TEST(p->print(sample_ticket()).ok());
}

BOOST_AUTO_TEST_CASE(unplug_during_print_is_reported) {
  auto p = open();
  Bytes job(10000, 'x');
  model_do([](EscPosModel& m) { m.fault_after = 5000; m.fault = OutAction::unplug; });
  const PrintResult r = p->print_raw(job);
  BOOST_TEST(to_string(r.error) == "unplugged");
  BOOST_TEST(r.bytes_sent == 4096u);  // first chunk went through
  BOOST_TEST(dev.unplugged());
  // Every later call fails fast and cleanly.
  BOOST_TEST(to_string(p->status().error) == "unplugged");
  BOOST_TEST(to_string(p->print_raw(job).error) == "unplugged");
}

BOOST_AUTO_TEST_CASE(silent_printer_status_times_out) {
  auto p = open();
  model_do([](EscPosModel& m) { m.silent = true; });
  const auto t0 = std::chrono::steady_clock::now();
  BOOST_TEST(to_string(p->status().error) == "timeout");
  BOOST_TEST(to_string(p->print(sample_ticket()).error) == "timeout");
  const bool fast = std::chrono::steady_clock::now() - t0 < 5s;
  BOOST_TEST(fast);
}

BOOST_AUTO_TEST_SUITE_END()
