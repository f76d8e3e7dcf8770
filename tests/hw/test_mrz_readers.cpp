// MRZ readers: HID keyboard reports through real libusb (umockdev), serial tty script, decoder.
#define BOOST_TEST_MODULE hw_mrz_readers
#include <boost/test/unit_test.hpp>

#include <optional>

#include "device_models.hpp"
#include "usb_testbed.hpp"
#include "wm/hw/mrz.hpp"
#include "wm/hw/mrz_reader.hpp"

using namespace wm::hw;
using namespace wm::hw::test;
using namespace std::chrono_literals;

namespace {
const std::vector<std::string> kGermanId = {"IDD<<T220001293<<<<<<<<<<<<<<<",
                                            "6408125<2010315D<<<<<<<<<<<<<4",
                                            "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"};
const std::vector<std::string> kTd3 = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};

struct HidFixture {
  UsbTestbed tb;
  std::shared_ptr<HidKeyboardModel> model = std::make_shared<HidKeyboardModel>();
  MockUsbDevice& dev = tb.add(hid_keyboard_desc(), model);
  std::optional<UsbContext> usb{std::in_place};
  ~HidFixture() { usb.reset(); }

  std::unique_ptr<HidMrzReader> open(KeyboardLayout layout = KeyboardLayout::us) {
    auto d = usb->open(UsbMatch{0x0c2e, 0x0b61, std::nullopt});
    BOOST_TEST_REQUIRE(d.get() != nullptr);
    auto r = std::make_unique<HidMrzReader>(std::move(d), layout);
    BOOST_TEST_REQUIRE((r->claim_status() == UsbStatus::ok));
    return r;
  }
  void type(const std::string& s, bool german = false) {
    dev.with_model<HidKeyboardModel>([&](HidKeyboardModel& m) { m.type(s, german); });
  }
};

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}
}  // namespace

BOOST_AUTO_TEST_CASE(decoder_handles_held_keys_and_layouts) {
  HidKeyboardDecoder us(KeyboardLayout::us);
  BOOST_TEST(us.feed(Bytes{0x02, 0, 0x36, 0, 0, 0, 0, 0}) == "<");
  BOOST_TEST(us.feed(Bytes{0x02, 0, 0x36, 0, 0, 0, 0, 0}) == "");  // held, no repeat
  BOOST_TEST(us.feed(Bytes{0, 0, 0, 0, 0, 0, 0, 0}) == "");
  BOOST_TEST(us.feed(Bytes{0x02, 0, 0x1C, 0x1D, 0, 0, 0, 0}) == "YZ");
  HidKeyboardDecoder de(KeyboardLayout::de);
  BOOST_TEST(de.feed(Bytes{0x02, 0, 0x1C, 0x1D, 0x64, 0, 0, 0}) == "ZY");
  BOOST_TEST(de.feed(Bytes{0, 0, 0x64, 0, 0, 0, 0, 0}) == "");  // still held
  BOOST_TEST(de.feed(Bytes{0, 0, 0, 0, 0, 0, 0, 0}) == "");
  BOOST_TEST(de.feed(Bytes{0, 0, 0x64, 0, 0, 0, 0, 0}) == "<");  // pressed again
}

BOOST_AUTO_TEST_CASE(assembler_completes_td1_at_once_and_partial_after_idle) {
  MrzAssembler a(200ms);
  const auto t0 = std::chrono::steady_clock::now();
  for (char c : joined(kGermanId)) a.feed(c, t0);
  auto doc = a.take(t0);
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(*doc == kGermanId, boost::test_tools::per_element());
  for (char c : std::string("IDD<<T22\n")) a.feed(c, t0);
  BOOST_TEST(!a.take(t0 + 100ms).has_value());
  doc = a.take(t0 + 250ms);
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(to_string(parse_mrz(*doc, Date{2024, 1, 1}).error) == "bad_line_count");
}

BOOST_FIXTURE_TEST_SUITE(hid_reader, HidFixture)

BOOST_AUTO_TEST_CASE(hid_reports_decode_to_the_mrz_lines) {
  auto r = open();
  BOOST_TEST(!r->read(50ms).has_value());  // nothing typed yet
  type(joined(kGermanId));
  ReaderError err;
  const auto doc = r->read(3000ms, &err);
  BOOST_TEST((err == ReaderError::ok));
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(*doc == kGermanId, boost::test_tools::per_element());
  const MrzResult parsed = parse_mrz(*doc, Date{2024, 10, 14});
  BOOST_TEST(parsed.ok(), parsed.message);
  BOOST_TEST(parsed.document->surname == "MUSTERMANN");
}

BOOST_AUTO_TEST_CASE(german_layout_reader_and_passport) {
  auto r = open(KeyboardLayout::de);
  type(joined(kTd3), true);
  const auto doc = r->read(3000ms);
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(*doc == kTd3, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unplugged_hid_reader_is_reported) {
  auto r = open();
  tb.unplug(dev);
  ReaderError err = ReaderError::ok;
  BOOST_TEST(!r->read(500ms, &err).has_value());
  BOOST_TEST(to_string(err) == "unplugged");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(serial_cdc_acm_reader_through_tty_script) {
  UsbTestbed tb;
  std::string script = "r 0 ";
  for (const auto& l : kGermanId) script += l + "^M^J";
  script += "\n";
  const std::string node = tb.add_tty("ttyACM0", script);
  SerialMrzReader r(node, 9600);
  BOOST_TEST_REQUIRE(r.is_open(), r.open_error());
  ReaderError err;
  const auto doc = r.read(3000ms, &err);
  BOOST_TEST((err == ReaderError::ok));
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(*doc == kGermanId, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(missing_serial_device_is_not_found) {
  SerialMrzReader r("/dev/ttyACM7");
  BOOST_TEST(!r.is_open());
  ReaderError err;
  BOOST_TEST(!r.read(10ms, &err).has_value());
  BOOST_TEST(to_string(err) == "not_found");
}

BOOST_AUTO_TEST_CASE(simulated_reader_delivers_the_german_specimen) {
  SimMrzReader r;
  auto doc = r.read(100ms);
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(parse_mrz(*doc, Date{2024, 1, 1}).document->document_number == "T22000129");
  BOOST_TEST(!r.read(10ms).has_value());
  r.present(kTd3);
  doc = r.read(100ms);
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(*doc == kTd3, boost::test_tools::per_element());
}
