// The screens join a CURVE broker with the key their unit's environment names; without it
// they are refused. Drives the real display and counter binaries (headless).
#define BOOST_TEST_MODULE server_security_apps
#include <boost/test/unit_test.hpp>

#include <cstdlib>
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

}  // namespace

BOOST_AUTO_TEST_CASE(display_and_counter_connect_with_their_keys_and_not_without) {
  wm::test::BrokerProcess broker;  // CURVE, with the fixture's key per role
  wm::test::TempDir dir;
  broker.start();
  auto c = broker.client();
  // The server key given directly (the other form of WARTEMARKE_SERVER_KEY than the file).
  const std::string server_env = " WARTEMARKE_SERVER_KEY='" + broker.server_public() + "'";  // Z85 has ( ) & …

  // Without a key: the handshake fails, the station never appears.
  run_app("", "wartemarke-display", "--display goerlitz-display-eg --mute", broker, dir.path().string());
  BOOST_TEST(!said_hello(c, "goerlitz-display-eg"));

  // With their keys both come online (and stay until the app ends).
  int st = run_app("WARTEMARKE_KEY=" + broker.key_file("goerlitz-display-eg") + server_env,
                   "wartemarke-display", "--display goerlitz-display-eg --mute", broker,
                   dir.path().string());
  BOOST_TEST(WEXITSTATUS(st) == 0);
  BOOST_TEST(said_hello(c, "goerlitz-display-eg"));
  run_app("WARTEMARKE_KEY=" + broker.key_file("goerlitz-3") + server_env, "wartemarke-counter",
          "--counter goerlitz-3", broker, dir.path().string());
  BOOST_TEST(said_hello(c, "goerlitz-3"));
}
