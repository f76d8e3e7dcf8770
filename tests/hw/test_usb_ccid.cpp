// CCID card reader through real libusb against an emulated reader (umockdev).
#define BOOST_TEST_MODULE hw_usb_ccid
#include <boost/test/unit_test.hpp>

#include <optional>

#include "device_models.hpp"
#include "usb_testbed.hpp"
#include "wm/hw/card_reader.hpp"

using namespace wm::hw;
using namespace wm::hw::test;
using namespace std::chrono_literals;

namespace {
struct CcidFixture {
  UsbTestbed tb;
  std::shared_ptr<CcidModel> model = std::make_shared<CcidModel>();
  MockUsbDevice& dev = tb.add(ccid_reader_desc(), model);
  std::optional<UsbContext> usb{std::in_place};
  ~CcidFixture() { usb.reset(); }

  std::unique_ptr<CcidReader> open() {
    auto d = usb->open(UsbMatch{std::nullopt, std::nullopt, kClassSmartCard});
    BOOST_TEST_REQUIRE(d.get() != nullptr);
    auto r = std::make_unique<CcidReader>(std::move(d), CcidTimeouts{1500ms, 300ms});
    BOOST_TEST_REQUIRE((r->claim_status() == UsbStatus::ok));
    return r;
  }
  template <class F>
  auto model_do(F&& f) {
    return dev.with_model<CcidModel>(std::forward<F>(f));
  }
};
}  // namespace

BOOST_AUTO_TEST_CASE(message_encoding_round_trip) {
  const Bytes apdu = {0x00, 0xA4, 0x04, 0x0C, 0x02, 0x3F, 0x00};
  const Bytes m = ccid::message(ccid::kXfrBlock, 0, 7, apdu);
  BOOST_TEST(m.size() == 17u);
  BOOST_TEST(m[1] == 7);
  BOOST_TEST(m[6] == 7);
  const auto r = ccid::parse(m);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->payload == apdu, boost::test_tools::per_element());
  BOOST_TEST(!ccid::parse(std::span(m.data(), 12)).has_value());  // truncated
}

BOOST_FIXTURE_TEST_SUITE(ccid_reader, CcidFixture)

BOOST_AUTO_TEST_CASE(power_on_returns_atr_and_apdus_echo_sequence) {
  auto r = open();
  BOOST_TEST((r->slot_state() == SlotState::present_inactive));
  const CardResult atr = r->power_on();
  BOOST_TEST_REQUIRE(atr.ok(), atr.detail);
  BOOST_TEST(atr.data == model_do([](CcidModel& m) { return m.atr; }),
             boost::test_tools::per_element());
  BOOST_TEST((r->slot_state() == SlotState::active));
  model_do([](CcidModel& m) {
    m.apdu = [](const Bytes& c) {
      Bytes resp(c.begin(), c.begin() + 2);  // echo CLA INS, then 90 00
      resp.insert(resp.end(), {0x90, 0x00});
      return resp;
    };
  });
  const Bytes select = {0x00, 0xA4, 0x04, 0x0C, 0x02, 0x3F, 0x00};
  for (int i = 0; i < 5; ++i) {
    const CardResult resp = r->transmit(select);
    BOOST_TEST_REQUIRE(resp.ok(), resp.detail);
    BOOST_TEST(resp.data == (Bytes{0x00, 0xA4, 0x90, 0x00}), boost::test_tools::per_element());
  }
  // Every command carried its own, increasing sequence number.
  const auto cmds = model_do([](CcidModel& m) { return m.commands; });
  BOOST_TEST_REQUIRE(cmds.size() == 8u);
  for (size_t i = 0; i < cmds.size(); ++i) BOOST_TEST(cmds[i][6] == i);
  BOOST_TEST(cmds[1][0] == ccid::kPowerOn);
  BOOST_TEST(cmds[3][0] == ccid::kXfrBlock);
  BOOST_TEST(r->power_off().ok());
}

BOOST_AUTO_TEST_CASE(no_card_is_reported) {
  model_do([](CcidModel& m) { m.card_present = false; });
  auto r = open();
  BOOST_TEST((r->slot_state() == SlotState::absent));
  const CardResult res = r->power_on();
  BOOST_TEST(to_string(res.error) == "no_card");
  BOOST_TEST(to_string(r->transmit(Bytes{0, 0xA4, 0, 0}).error) == "no_card");
}

BOOST_AUTO_TEST_CASE(mute_card_and_hardware_error_are_reported) {
  model_do([](CcidModel& m) { m.mute = true; });
  auto r = open();
  CardResult res = r->power_on();
  BOOST_TEST(to_string(res.error) == "mute_card");
  BOOST_TEST(res.detail.find("bError 0xFE") != std::string::npos);
  model_do([](CcidModel& m) { m.mute = false; m.hardware_error = true; });
  BOOST_TEST(to_string(r->power_on().error) == "hardware_error");
}

BOOST_AUTO_TEST_CASE(time_extensions_are_waited_for) {
  model_do([](CcidModel& m) { m.time_extensions = 3; });
  auto r = open();
  const CardResult res = r->power_on();
  BOOST_TEST(res.ok(), res.detail);
  BOOST_TEST(res.data.size() == 15u);
}

BOOST_AUTO_TEST_CASE(wrong_sequence_number_is_rejected) {
  model_do([](CcidModel& m) { m.wrong_sequence = true; });
  auto r = open();
  const CardResult res = r->power_on();
  BOOST_TEST(to_string(res.error) == "protocol_error");
  BOOST_TEST(res.detail.find("sequence mismatch") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(silent_reader_times_out) {
  model_do([](CcidModel& m) { m.silent = true; });
  auto r = open();
  BOOST_TEST(to_string(r->power_on().error) == "timeout");
}

BOOST_AUTO_TEST_CASE(card_insertion_and_removal_are_notified) {
  model_do([](CcidModel& m) { m.card_present = false; });
  auto r = open();
  BOOST_TEST(!r->wait_slot_change(50ms).has_value());  // nothing yet: plain timeout
  model_do([](CcidModel& m) { m.insert_card(); });
  auto change = r->wait_slot_change(1000ms);
  BOOST_TEST_REQUIRE(change.has_value());
  BOOST_TEST(*change);
  BOOST_TEST(r->power_on().ok());
  model_do([](CcidModel& m) { m.remove_card(); });
  change = r->wait_slot_change(1000ms);
  BOOST_TEST_REQUIRE(change.has_value());
  BOOST_TEST(!*change);
  BOOST_TEST(to_string(r->transmit(Bytes{0, 0xA4, 0, 0}).error) == "no_card");
}

BOOST_AUTO_TEST_CASE(unplugged_reader_is_reported) {
  auto r = open();
  tb.unplug(dev);
  BOOST_TEST(to_string(r->power_on().error) == "unplugged");
  CardError err;
  r->wait_slot_change(100ms, &err);
  BOOST_TEST(to_string(err) == "unplugged");
}

BOOST_AUTO_TEST_SUITE_END()
