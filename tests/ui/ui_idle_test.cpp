// The frame loop sleeps when idle and wakes for input, posts, animations and signals.
#define BOOST_TEST_MODULE ui_idle
#include <boost/test/unit_test.hpp>

#include <sys/resource.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

#include "ui/app.hpp"

using namespace wm::ui;
using namespace std::chrono_literals;

namespace {

AppConfig config() {
  setenv("SDL_VIDEODRIVER", "dummy", 0);
  AppConfig c;
  c.width = 400;
  c.height = 600;
  return c;
}

// Runs app.run(draw) for `seconds`, then quits from another thread. Returns frames drawn.
std::uint64_t run_for(App& app, double seconds, const App::DrawFn& draw) {
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    app.request_quit();
  });
  app.run(draw);
  stopper.join();
  return app.frames_rendered();
}

}  // namespace

BOOST_AUTO_TEST_CASE(idle_app_draws_only_its_first_frames) {
  App app(config());
  auto frames = run_for(app, 1.5, [](Frame&) {});
  BOOST_TEST_MESSAGE("idle frames in 1.5 s: " << frames);
  BOOST_TEST(frames >= 1u);
  BOOST_TEST(frames <= 6u);
}

// Idle means asleep: on the dummy driver (like KMSDRM, no native event wait) SDL's own
// SDL_WaitEventTimeout wakes every millisecond; the loop must not. Counted on the UI thread
// after its last frame: voluntary context switches (one per wake-up) and CPU time.
BOOST_AUTO_TEST_CASE(idle_loop_sleeps_between_frames) {
  App app(config());
  rusage at_last_frame{};
  auto wall_at_last_frame = std::chrono::steady_clock::now();
  run_for(app, 2.0, [&](Frame&) {
    getrusage(RUSAGE_THREAD, &at_last_frame);
    wall_at_last_frame = std::chrono::steady_clock::now();
  });
  rusage end{};
  getrusage(RUSAGE_THREAD, &end);
  const double idle_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_at_last_frame).count();
  auto cpu_s = [](const rusage& r) {
    return double(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           double(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
  };
  const long wakeups = end.ru_nvcsw - at_last_frame.ru_nvcsw;
  const double cpu = cpu_s(end) - cpu_s(at_last_frame);
  BOOST_TEST_MESSAGE("idle " << idle_s << " s: " << wakeups << " voluntary switches, "
                             << cpu * 1000 << " ms CPU");
  BOOST_REQUIRE(idle_s >= 1.0);
  BOOST_TEST(wakeups <= 20 * idle_s);   // a 1 ms poll would be ~1,000 a second
  // The window starts inside the last draw call, so it includes the rest of that frame's
  // rendering (a few ms, more in sanitizer builds); the wake-up count is the strict check.
  BOOST_TEST(cpu <= 0.015 * idle_s);
}

BOOST_AUTO_TEST_CASE(animation_draws_continuously_until_its_end) {
  App app(config());
  int after_end = 0;
  auto frames = run_for(app, 2.0, [&](Frame& f) {
    f.animate_until(1.0);
    if (f.now() > 1.05) ++after_end;
  });
  BOOST_TEST_MESSAGE("frames with 1 s of animation: " << frames << ", after its end: "
                                                       << after_end);
  BOOST_TEST(frames >= 15u);   // ~60 at 60 fps; sanitizer builds on a loaded CI get slack
  BOOST_TEST(frames <= 75u);   // paced at 60 fps, not as fast as possible
  BOOST_TEST(after_end <= 1);  // and it stopped when the animation ended
}

BOOST_AUTO_TEST_CASE(wake_ups_from_other_threads_draw_a_frame_each) {
  App app(config());
  std::atomic<int> posted_ran{0};
  std::thread::id ui_thread = std::this_thread::get_id();
  bool on_ui_thread = true;
  std::thread client([&] {
    std::this_thread::sleep_for(400ms);  // let the start-up frames pass
    for (int i = 0; i < 3; ++i) {
      app.post([&] {
        ++posted_ran;
        on_ui_thread = on_ui_thread && std::this_thread::get_id() == ui_thread;
      });
      std::this_thread::sleep_for(150ms);
    }
    app.request_redraw();
    std::this_thread::sleep_for(300ms);
    app.request_quit();
  });
  std::uint64_t at_start = 0;
  app.run([&](Frame& f) {
    if (f.now() < 0.3) at_start = app.frames_rendered() + 1;
  });
  client.join();
  BOOST_TEST(posted_ran == 3);
  BOOST_TEST(on_ui_thread);
  const auto woken = app.frames_rendered() - at_start;
  BOOST_TEST_MESSAGE("frames for 4 wake-ups: " << woken);
  BOOST_TEST(woken >= 4u);
  BOOST_TEST(woken <= 8u);
}

BOOST_AUTO_TEST_CASE(scheduled_redraw_draws_once_per_period) {
  App app(config());
  auto frames = run_for(app, 1.5, [](Frame& f) { f.redraw_after(0.25); });
  BOOST_TEST_MESSAGE("frames with a 0.25 s timer over 1.5 s: " << frames);
  BOOST_TEST(frames >= 4u);
  BOOST_TEST(frames <= 12u);
}

BOOST_AUTO_TEST_CASE(sigterm_ends_the_loop_cleanly) {
  App app(config());
  bool raised = false;
  std::thread killer([&] {
    std::this_thread::sleep_for(300ms);
    raised = true;
    std::raise(SIGTERM);
  });
  const int rc = app.run([](Frame&) {});
  killer.join();
  BOOST_TEST(raised);
  BOOST_TEST(rc == 0);
}
