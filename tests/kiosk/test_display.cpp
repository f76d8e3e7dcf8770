// wartemarke-display: model rules, speech to buffers, and a display fed by a real broker
// (call shown within a frame, announced once, survives a broker restart without replays).
#define BOOST_TEST_MODULE kiosk_display
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/clock.hpp"
#include "core/codec.hpp"
#include "kiosk/display_app.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/broker_process.hpp"
#include "tests/support/screenshots.hpp"
#include "ui/harness.hpp"

using namespace wm;
using core::json;
using namespace std::chrono_literals;

namespace {

using wm::test::eventually;

// Records every clip instead of playing it; sleeps a little like a real device would, so a
// second announcement would overlap if the queue did not serialise them.
struct CaptureSink : kiosk::AudioSink {
  std::mutex mu;
  std::vector<kiosk::AudioClip> clips;
  std::atomic<int> playing{0};
  std::atomic<bool> overlapped{false};
  void play(const kiosk::AudioClip& c) override {
    if (++playing > 1) overlapped = true;
    std::this_thread::sleep_for(5ms);
    {
      std::lock_guard l(mu);
      clips.push_back(c);
    }
    --playing;
  }
  std::vector<std::string> labels() {
    std::lock_guard l(mu);
    std::vector<std::string> out;
    for (auto& c : clips) out.push_back(c.label);
    return out;
  }
};

core::Event called(std::uint64_t seq, const std::string& ticket, const std::string& counter,
                   int recalls = 0) {
  return core::Event{seq, seq, core::real_now(), "goerlitz", "ticket.called",
                     json{{"ticket", ticket}, {"counter", counter}, {"recalls", recalls}}};
}

core::Event issued(std::uint64_t seq, const std::string& id, const std::string& number,
                   const std::string& service) {
  core::Ticket t;
  t.id = id;
  t.office = "goerlitz";
  t.number = number;
  t.day = core::local_day(core::real_now());
  t.services = {service};
  t.issued_at = t.queued_since = core::real_now();
  return core::Event{seq, seq, core::real_now(), "goerlitz", "ticket.issued", json{{"ticket", t}}};
}

std::shared_ptr<const core::Region> demo_region() {
  return std::make_shared<const core::Region>(core::load_config(core::default_config_path()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(spoken_numbers) {
  BOOST_TEST(kiosk::spoken_number("K017") == "K 17");
  BOOST_TEST(kiosk::spoken_number("FS003") == "F S 3");
  BOOST_TEST(kiosk::spoken_number("W100") == "W 100");
  BOOST_TEST(kiosk::spoken_number("B000") == "B 0");
  BOOST_TEST(kiosk::spoken_number("") == "");
}

BOOST_AUTO_TEST_CASE(model_filters_groups_and_announces_each_call_once) {
  auto region = demo_region();
  const core::Display* eg = region->find_display("goerlitz-display-eg");
  BOOST_REQUIRE(eg);
  kiosk::DisplayModel model(region, "goerlitz", eg);
  BOOST_TEST(model.shows_counter("goerlitz-3"));
  BOOST_TEST(!model.shows_counter("goerlitz-6"));  // 1. OG
  BOOST_TEST(!model.shows_counter("zittau-1"));
  BOOST_CHECK_THROW(kiosk::DisplayModel(region, "atlantis", nullptr), std::invalid_argument);

  core::State s(region);
  std::vector<core::Event> evs{issued(1, "t1", "K001", "kfz-neu"), issued(2, "t2", "W001", "wohngeld"),
                               called(3, "t1", "goerlitz-3"), called(4, "t2", "goerlitz-6")};
  for (auto& e : evs) s.apply(e);
  auto a = model.update(s, evs, 0.0);
  BOOST_REQUIRE_EQUAL(a.size(), 1u);  // the 1. OG call is not this display's
  BOOST_TEST(a[0].number == "K001");
  BOOST_TEST(a[0].spoken_number == "K 1");
  BOOST_TEST(a[0].counter_name == "Schalter 3");
  // The same events again (a bug upstream) are not announced twice.
  BOOST_TEST(model.update(s, evs, 0.5).empty());
  auto v = model.view(s, core::real_now(), 1.0, true);
  BOOST_REQUIRE_EQUAL(v.calls.size(), 1u);
  BOOST_TEST(v.calls[0].blinking);
  BOOST_TEST(!model.view(s, core::real_now(), 1.0 + kiosk::kBlinkSeconds, true).calls[0].blinking);
  // A recall is news again.
  core::Event rc = called(5, "t1", "goerlitz-3", 1);
  s.apply(rc);
  auto again = model.update(s, {rc}, 10.0);
  BOOST_REQUIRE_EQUAL(again.size(), 1u);
  BOOST_TEST(again[0].recalls == 1);
  // One line per ticket: the recall replaces the first call.
  BOOST_TEST(model.view(s, core::real_now(), 10.0, true).calls.size() == 1u);
  // No personal data on the view: only numbers, counter names and counts.
  BOOST_TEST(v.waiting.size() >= 3u);
}

BOOST_AUTO_TEST_CASE(speech_goes_to_buffers_in_order_without_overlap) {
  kiosk::EspeakSynth synth;
  BOOST_REQUIRE(synth.ok());
  auto de = synth.speak("Wartenummer K 17, bitte zu Schalter 3.", "de");
  BOOST_TEST(de.samples.size() > static_cast<std::size_t>(de.rate));  // more than a second
  auto pl = synth.speak("Numer K 17, proszę podejść do Schalter 3.", "pl");
  BOOST_TEST(!pl.samples.empty());
  BOOST_TEST(synth.speak("Hallo", "xx-nonexistent").samples.empty());
  BOOST_TEST(!kiosk::make_gong().samples.empty());

  auto sink = std::make_unique<CaptureSink>();
  CaptureSink* cap = sink.get();
  {
    kiosk::Announcer announcer(std::make_unique<kiosk::EspeakSynth>(), std::move(sink));
    announcer.enqueue({{{"de", "Wartenummer K 1, bitte zu Schalter 1."}}});
    announcer.enqueue({{{"de", "Wartenummer K 2, bitte zu Schalter 2."},
                        {"pl", "Numer K 2, proszę podejść do Schalter 2."}}});
    announcer.drain();
    BOOST_TEST(announcer.announced() == 2u);
  auto labels = cap->labels();
  std::vector<std::string> expected{"gong", "Wartenummer K 1, bitte zu Schalter 1.", "gong",
                                    "Wartenummer K 2, bitte zu Schalter 2.",
                                    "Numer K 2, proszę podejść do Schalter 2."};
  BOOST_TEST(labels == expected, boost::test_tools::per_element());
  BOOST_TEST(!cap->overlapped.load());
  for (auto& c : cap->clips) BOOST_TEST(!c.samples.empty());
  }  // the announcer owns the sink
}

BOOST_AUTO_TEST_CASE(sdl_sink_plays_on_the_dummy_driver) {
  kiosk::SdlAudioSink sink;
  auto start = std::chrono::steady_clock::now();
  sink.play(kiosk::make_gong());
  sink.play(kiosk::AudioClip{});  // empty: nothing, no crash
  BOOST_TEST((std::chrono::steady_clock::now() - start < 5s));
}

// The end-to-end test: a real broker, a real Station, real frames and the real queue.
BOOST_AUTO_TEST_CASE(real_broker_call_reaches_the_screen_and_is_announced_once) {
  test::BrokerProcess broker;
  broker.start();
  auto region = broker.region();
  const core::Display* eg = region->find_display("goerlitz-display-eg");
  ui::Harness h({.width = 1920, .height = 1080});
  core::Station station(region, {broker.command_endpoint(), broker.event_endpoint(), "goerlitz",
                                 "display", "goerlitz-display-eg", [&] { h.app().request_redraw(); },
                                 10s, broker.station_keys("goerlitz-display-eg")});
  auto sink = std::make_unique<CaptureSink>();
  CaptureSink* cap = sink.get();
  kiosk::Announcer announcer(std::make_unique<kiosk::EspeakSynth>(), std::move(sink));
  kiosk::DisplayRunner runner(region, station, &announcer, {"goerlitz", eg, true});
  h.set_screen([&](ui::Frame& f) { runner.frame(f); });
  BOOST_REQUIRE(eventually([&] { return station.online(); }));
  h.step();

  auto c = broker.client();
  c.request("counter.open", json{{"counter", "goerlitz-3"}, {"staff", "tweber"}});
  // Earlier history that is already over when the display (re)connects must never be spoken.
  for (int i = 0; i < 3; ++i)
    c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-um"}}});
  h.step();
  BOOST_TEST(runner.last_view().calls.empty());

  // Latency: counter.next sent → the frame that shows the call, stepping frames as a 60 Hz
  // display would when woken.
  std::vector<double> latencies, replies, frames;
  std::string last_number;
  for (int round = 0; round < 3; ++round) {
    auto sent = std::chrono::steady_clock::now();
    json r = c.request("counter.next", json{{"counter", "goerlitz-3"}});
    const auto replied = std::chrono::steady_clock::now();  // journaled (FULL sync) and answered
    replies.push_back(std::chrono::duration<double, std::milli>(replied - sent).count());
    last_number = r["ticket"]["number"];
    bool shown = false;
    while (std::chrono::steady_clock::now() - sent < 5s && !shown) {
      h.step();
      shown = !runner.last_view().calls.empty() && runner.last_view().calls[0].number == last_number;
    }
    BOOST_REQUIRE(shown);
    latencies.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent).count());
    frames.push_back(latencies.back() - replies.back());
    c.request("counter.start", json{{"counter", "goerlitz-3"}});
    c.request("counter.finish", json{{"counter", "goerlitz-3"}});
  }
  std::sort(latencies.begin(), latencies.end());
  BOOST_TEST_MESSAGE("call-to-screen latency (counter.next sent -> frame shows it), ms: min "
                     << latencies.front() << " median " << latencies[1] << " max "
                     << latencies.back() << "; of it the reply (journal commit) ms: "
                     << replies[0] << " " << replies[1] << " " << replies[2]
                     << "; reply -> shown ms: " << frames[0] << " " << frames[1] << " "
                     << frames[2]);
  BOOST_TEST(latencies[1] < 500.0);

  // Within one frame of the event being applied: once the replica has the call, the very next
  // frame shows it.
  c.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-um"}}});
  json r = c.request("counter.next", json{{"counter", "goerlitz-3"}});
  const std::string number = r["ticket"]["number"];
  BOOST_REQUIRE(eventually([&] {
    for (const auto& call : station.state()->recent_calls("goerlitz"))
      if (call.number == number) return true;
    return false;
  }));
  h.step();
  BOOST_TEST(runner.last_view().calls[0].number == number);
  BOOST_TEST(runner.last_view().calls[0].blinking);
  const ui::WidgetInfo* w = h.widget("display.call.0");
  BOOST_REQUIRE(w);
  BOOST_TEST(w->label == number + " Schalter 3");
  // A frame in the "on" phase of the blink, for the docs.
  for (int i = 0; i < 40 && std::fmod(h.app().now(), 0.8) >= 0.5; ++i) h.step();
  h.step(0);
  BOOST_TEST(h.save_png(test::screenshot_path("display-landscape.png")));

  for (int i = 0; i < 10; ++i) h.step();
  announcer.drain();
  BOOST_TEST(runner.announcements() == 4u);  // 4 calls, each exactly once
  auto labels = cap->labels();
  BOOST_TEST(std::count(labels.begin(), labels.end(), "gong") == 4);
  // German then Polish (the display's second language), per call, in call order.
  BOOST_TEST(std::count_if(labels.begin(), labels.end(), [](auto& l) {
               return l.rfind("Wartenummer", 0) == 0;
             }) == 4);
  BOOST_TEST(labels.back().rfind("Numer ", 0) == 0);
  BOOST_TEST(labels[labels.size() - 3] == "gong");
  BOOST_TEST(labels[labels.size() - 2] == "Wartenummer " + kiosk::spoken_number(number) +
                                              ", bitte zu Schalter 3.");

  // A recall is announced again.
  c.request("counter.recall", json{{"counter", "goerlitz-3"}});
  BOOST_REQUIRE(eventually([&] {
    h.step();
    return runner.announcements() == 5u;
  }));

  // Broker restart: the screen says it is reconnecting, then shows the current state, and
  // nothing that happened meanwhile or before is announced.
  broker.kill9();
  BOOST_REQUIRE(eventually([&] { return !station.online(); }));
  h.step();
  BOOST_TEST(!runner.last_view().online);
  BOOST_REQUIRE(h.widget("display.offline") != nullptr);
  // Said in words, never as a raw translation key.
  BOOST_TEST(h.widget("display.offline")->label == "Verbindung wird wiederhergestellt …");
  // No waiting counts it does not have: a dash per service, no stale or zero number.
  int dashes = 0;
  for (const auto& w : h.app().widgets().all())
    if (w.id.rfind("display.waiting.", 0) == 0 && w.id != "display.waiting.title") {
      BOOST_TEST(w.label.find("–") != std::string::npos, w.id << ": " << w.label);
      BOOST_TEST(w.label.find_first_of("0123456789") == std::string::npos, w.id << ": " << w.label);
      ++dashes;
    }
  BOOST_TEST(dashes > 0);
  broker.start();
  auto c2 = broker.client();
  c2.request("counter.finish", json{{"counter", "goerlitz-3"}});
  c2.request("ticket.issue", json{{"office", "goerlitz"}, {"services", {"kfz-um"}}});
  json r2 = c2.request("counter.next", json{{"counter", "goerlitz-3"}});
  BOOST_REQUIRE(eventually([&] {
    h.step();
    return station.online() && !runner.last_view().calls.empty() &&
           runner.last_view().calls[0].number == r2["ticket"]["number"].get<std::string>();
  }, 15s));
  BOOST_TEST(h.widget("display.offline") == nullptr);
  BOOST_REQUIRE(h.widget("display.waiting.U") != nullptr);  // kfz-um: counted again
  BOOST_TEST(h.widget("display.waiting.U")->label.find_first_of("0123456789") != std::string::npos);
  for (int i = 0; i < 5; ++i) h.step();
  // The call made while the display was away is state, not news: still 5 announcements.
  BOOST_TEST(runner.announcements() == 5u);
  // Portrait draws too, and nothing overflows in either orientation.
  BOOST_TEST(h.overflowing().empty());
  BOOST_TEST(h.app().ui_errors() == 0);
}

BOOST_AUTO_TEST_CASE(portrait_and_every_language_draw) {
  auto region = demo_region();
  for (const char* lang : {"de", "en", "pl", "cs", "uk", "ru", "tr"}) {
    ui::Harness h({.width = 1080, .height = 1920, .lang = lang});
    kiosk::DisplayModel model(region, "goerlitz", region->find_display("goerlitz-display-eg"));
    core::State s(region);
    std::vector<core::Event> evs;
    std::uint64_t seq = 0;
    for (int i = 1; i <= 9; ++i) {
      char num[8];
      std::snprintf(num, sizeof num, "K%03d", i);
      evs.push_back(issued(++seq, "t" + std::to_string(i), num, "kfz-neu"));
      evs.push_back(called(++seq, "t" + std::to_string(i), "goerlitz-" + std::to_string(1 + i % 4)));
    }
    evs.push_back(issued(++seq, "w", "W001", "wohngeld"));
    for (auto& e : evs) s.apply(e);
    model.update(s, evs, 0);
    h.set_screen([&](ui::Frame& f) {
      kiosk::DisplayView v = model.view(s, core::real_now(), f.now(), std::string(lang) != "de");
      kiosk::draw_display(f, v, {});
    });
    h.step(2);
    BOOST_TEST(h.widget("display.call.0") != nullptr);
    BOOST_TEST(h.widget("display.call.7") != nullptr);
    BOOST_TEST(h.overflowing().empty(), lang);
    BOOST_TEST(h.app().ui_errors() == 0);
    if (std::string(lang) == "de") h.save_png(test::screenshot_path("display-portrait.png"));
  }
}
