// Staff login lockout against the real broker: five wrong PINs lock a login (even the right PIN
// is refused then), per login, unknown logins alike, and the lock ends after lockout_minutes.
#define BOOST_TEST_MODULE server_security_login
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "tests/support/broker_process.hpp"

using wm::core::ErrorCode;
using wm::core::json;

namespace {

// The demo config: login_attempts 5, lockout_minutes 15. At clock speed 300, 15 min = 3 s.
constexpr int kSpeed = 300;

wm::core::Reply login(wm::core::BrokerClient& c, const std::string& who, const std::string& pin,
                      const std::string& counter = {}) {
  json body{{"login", who}, {"secret", pin}};
  if (!counter.empty()) body["counter"] = counter;
  return c.call("staff.login", body);
}

}  // namespace

BOOST_AUTO_TEST_CASE(five_wrong_pins_lock_a_login_for_a_while) {
  wm::test::BrokerProcess b({"--clock-start", "2026-11-23T09:00", "--clock-speed",
                             std::to_string(kSpeed)});
  b.start();
  auto c = b.client();
  for (int i = 1; i <= 4; ++i) {
    auto r = login(c, "tweber", "0000", "goerlitz-2");
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.error == ErrorCode::forbidden);
    BOOST_TEST(r.message == "login or PIN wrong");
  }
  auto fifth = login(c, "tweber", "0000", "goerlitz-2");
  auto locked_at = std::chrono::steady_clock::now();
  BOOST_TEST(fifth.error == ErrorCode::locked);
  BOOST_TEST(fifth.message.find("locked for 15 min") != std::string::npos, fifth.message);
  // Locked: the right PIN is refused too, and not even checked.
  auto right = login(c, "tweber", "1234", "goerlitz-2");
  BOOST_TEST(!right.ok);
  BOOST_TEST(right.error == ErrorCode::locked);
  // Only this login: a colleague logs in as usual.
  BOOST_TEST(login(c, "kschulze", "1234", "goerlitz-3").ok);
  BOOST_TEST(b.log().find("staff login 'tweber' locked after repeated wrong PINs") != std::string::npos);

  // After 15 minutes on the broker's clock the login works again.
  std::this_thread::sleep_until(locked_at + std::chrono::milliseconds(15 * 60'000 / kSpeed + 300));
  auto later = login(c, "tweber", "1234", "goerlitz-2");
  BOOST_TEST(later.ok, later.message);
}

BOOST_AUTO_TEST_CASE(unknown_logins_lock_alike_and_a_success_resets_the_count) {
  wm::test::BrokerProcess b({"--clock-start", "2026-11-23T09:00"});
  b.start();
  auto c = b.client();
  // No probing for valid logins: an unknown one behaves exactly like a known one.
  for (int i = 1; i <= 4; ++i) BOOST_TEST(login(c, "nobody", "0000").error == ErrorCode::forbidden);
  BOOST_TEST(login(c, "nobody", "0000").error == ErrorCode::locked);
  // Four wrong, one right (back-office login, changes nothing), four wrong: not locked.
  for (int i = 1; i <= 4; ++i) BOOST_TEST(login(c, "hzimmermann", "9999").error == ErrorCode::forbidden);
  BOOST_TEST(login(c, "hzimmermann", "1234").ok);
  for (int i = 1; i <= 4; ++i) BOOST_TEST(login(c, "hzimmermann", "9999").error == ErrorCode::forbidden);
  BOOST_TEST(login(c, "hzimmermann", "9999").error == ErrorCode::locked);
  BOOST_TEST(login(c, "hzimmermann", "1234").error == ErrorCode::locked);
  // Bad input is refused before any lock bookkeeping.
  auto bad = c.call("staff.login", json{{"login", 42}, {"secret", "0000"}});
  BOOST_TEST(bad.error == ErrorCode::bad_field);
}

BOOST_AUTO_TEST_CASE(unknown_logins_cost_what_known_ones_cost_and_a_station_locks) {
  wm::test::BrokerProcess b({"--clock-start", "2026-11-23T09:00"});
  b.start();
  auto c = b.client();  // the admin's key: the station that locks is the key ("admin")
  // Timing: an unknown login is verified against a real hash, so it is not answered at once.
  // Medians of three, interleaved; a known login with a wrong PIN costs one Argon2id verify
  // (~0.1 s here), an instant answer would be ~100 times less. Half is a wide margin.
  auto timed = [&](const std::string& who) {
    auto t0 = std::chrono::steady_clock::now();
    BOOST_TEST(login(c, who, "0000").error == ErrorCode::forbidden);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  std::vector<double> known, unknown;
  for (std::string who : {"tweber", "anowak", "kschulze"}) {
    known.push_back(timed(who));
    unknown.push_back(timed("nobody-" + who));
  }
  std::sort(known.begin(), known.end());
  std::sort(unknown.begin(), unknown.end());
  BOOST_TEST_MESSAGE("login answer: known " << known[1] * 1000 << " ms, unknown " << unknown[1] * 1000 << " ms");
  BOOST_TEST(unknown[1] > 0.5 * known[1]);
  // One station trying many names: after 20 wrong in a row (6 above) it is locked, whatever
  // the name, even a real login with the right PIN.
  for (int i = 6; i < 19; ++i) BOOST_TEST(login(c, "guess-" + std::to_string(i), "0000").error == ErrorCode::forbidden);
  BOOST_TEST(login(c, "guess-19", "0000").error == ErrorCode::forbidden);  // the 20th starts the lock
  BOOST_TEST(login(c, "hzimmermann", "1234").error == ErrorCode::locked);
  BOOST_TEST(b.log().find("staff logins at station 'admin' locked") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_lock_survives_a_broker_crash_and_restart) {
  // The same fixed clock before and after: the 15 minutes have not passed when it is back.
  wm::test::BrokerProcess b({"--clock-start", "2026-11-23T09:00"});
  b.start();
  {
    auto c = b.client();
    for (int i = 1; i <= 4; ++i) BOOST_TEST(login(c, "tweber", "0000", "goerlitz-2").error == ErrorCode::forbidden);
    BOOST_TEST(login(c, "tweber", "0000", "goerlitz-2").error == ErrorCode::locked);
    // Three wrong for a colleague: the count survives too (two more lock, not five).
    for (int i = 1; i <= 3; ++i) BOOST_TEST(login(c, "anowak", "0000", "goerlitz-3").error == ErrorCode::forbidden);
  }
  BOOST_TEST(std::filesystem::exists(b.data_dir() + "/login-lockouts.json"));
  b.kill9();  // a crash, not a clean stop: nothing is written at exit
  b.start();
  auto c = b.client();
  auto right = login(c, "tweber", "1234", "goerlitz-2");
  BOOST_TEST(right.error == ErrorCode::locked, right.message);
  BOOST_TEST(login(c, "anowak", "0000", "goerlitz-3").error == ErrorCode::forbidden);
  BOOST_TEST(login(c, "anowak", "0000", "goerlitz-3").error == ErrorCode::locked);
  // Someone never locked logs in as usual after the restart.
  BOOST_TEST(login(c, "kschulze", "1234", "goerlitz-1").ok);
}

BOOST_AUTO_TEST_CASE(a_damaged_lockout_file_is_reported_and_the_broker_starts) {
  wm::test::BrokerProcess b({"--clock-start", "2026-11-23T09:00"});
  std::filesystem::create_directories(b.data_dir());
  std::ofstream(b.data_dir() + "/login-lockouts.json") << "{not json";
  b.start();
  auto c = b.client();
  BOOST_TEST(login(c, "kschulze", "1234", "goerlitz-1").ok);
  BOOST_TEST(b.log().find("login-lockouts.json is damaged") != std::string::npos, b.log());
}
