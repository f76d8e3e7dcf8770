// The screens join a CURVE broker with the key their unit's environment names; without it
// they are refused. Drives the real display and counter binaries (headless).
#define BOOST_TEST_MODULE server_security_apps
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/support/broker_process.hpp"

using wm::core::json;

namespace {

// Runs an app headless for a few seconds (periodic screenshots keep it running and connected).
int run_app(const std::string& env, const std::string& app, const std::string& args,
            const wm::test::BrokerProcess& b, const std::string& dir) {
  std::string cmd = env + " SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy timeout --preserve-status -s INT 6 " +
                    wm::test::binary_path(app) + " --config " + b.config_path() + " --server " +
                    b.command_endpoint() + " --events " + b.event_endpoint() + " " + args +
                    " --screenshot " + dir + "/shot.png --screenshot-every 5 > " + dir + "/app.log 2>&1";
  return std::system(cmd.c_str());
}

// Whether the station ever said hello (its presence entry exists, online or gone again).
bool said_hello(wm::core::BrokerClient& c, const std::string& name) {
  json snap = c.request("snapshot", json::object());
  for (const auto& p : snap.value("presence", json::array()))
    if (p.value("name", "") == name) return true;
  return false;
}

// The periodic screenshots (<dir>/shot-HHMMSS.png) an app run left: proof that it drew frames.
int frames_saved(const std::filesystem::path& dir) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().rfind("shot-", 0) == 0 && e.path().extension() == ".png") ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(display_and_counter_connect_with_their_keys_and_not_without) {
  wm::test::BrokerProcess broker;  // CURVE, with the fixture's key per role
  wm::test::TempDir dir;
  broker.start();
  auto c = broker.client();
  // The server key given directly (the other form of WARTEMARKE_SERVER_KEY than the file).
  const std::string server_env = " WARTEMARKE_SERVER_KEY='" + broker.server_public() + "'";  // Z85 has ( ) & …

  // Without a key: the handshake fails, the station never appears. The app itself ran the
  // whole time (stopped by the timeout's SIGINT, status 0, a frame drawn): a display that did not
  // start at all would pass the "never appeared" check without proving anything.
  int keyless = run_app("", "wartemarke-display", "--display goerlitz-display-eg --mute", broker,
                        dir.path().string());
  BOOST_TEST(WIFEXITED(keyless));
  BOOST_TEST(WEXITSTATUS(keyless) == 0);
  BOOST_TEST(frames_saved(dir.path()) > 0, "the keyless display saved no frame");
  BOOST_TEST(!said_hello(c, "goerlitz-display-eg"));

  // With their keys both come online (and stay until the app ends).
  int st = run_app("WARTEMARKE_KEY=" + broker.key_file("goerlitz-display-eg") + server_env,
                   "wartemarke-display", "--display goerlitz-display-eg --mute", broker,
                   dir.path().string());
  BOOST_TEST(WEXITSTATUS(st) == 0);
  BOOST_TEST(said_hello(c, "goerlitz-display-eg"));
  int counter = run_app("WARTEMARKE_KEY=" + broker.key_file("goerlitz-3") + server_env, "wartemarke-counter",
          "--counter goerlitz-3", broker, dir.path().string());
  BOOST_TEST(WEXITSTATUS(counter) == 0);
  BOOST_TEST(said_hello(c, "goerlitz-3"));
}
