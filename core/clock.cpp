// Clock, local-time formatting and random identifiers.
#include "core/clock.hpp"

#include <sodium.h>

#include <mutex>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace wm::core {

Millis real_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Clock::Clock(Millis sim_start, double speed)
    : simulated_(true), sim_start_(sim_start), real_start_(real_now()), speed_(speed) {}

Millis Clock::now() const {
  if (!simulated_) return real_now();
  return sim_start_ + static_cast<Millis>((real_now() - real_start_) * speed_);
}

Millis Clock::real_duration(Millis sim_ms) const {
  return simulated_ ? static_cast<Millis>(sim_ms / speed_) : sim_ms;
}

namespace {
std::tm local_tm(Millis t) {
  std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  return tm;
}
}  // namespace

std::string local_day(Millis t) {
  std::tm tm = local_tm(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

int local_minute_of_day(Millis t) {
  std::tm tm = local_tm(t);
  return tm.tm_hour * 60 + tm.tm_min;
}

int local_weekday(Millis t) {
  std::tm tm = local_tm(t);
  return tm.tm_wday == 0 ? 7 : tm.tm_wday;
}

std::string local_hhmm(Millis t) {
  std::tm tm = local_tm(t);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02d:%02d", tm.tm_hour, tm.tm_min);
  return buf;
}

std::optional<Millis> local_time_of(const std::string& day, const std::string& hhmm) {
  int y, mo, d, h, mi;
  char tail;
  if (std::sscanf(day.c_str(), "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3) return std::nullopt;
  if (std::sscanf(hhmm.c_str(), "%2d:%2d%c", &h, &mi, &tail) != 2) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_isdst = -1;
  std::time_t secs = std::mktime(&tm);
  if (secs == static_cast<std::time_t>(-1)) return std::nullopt;
  return static_cast<Millis>(secs) * 1000;
}

std::optional<Millis> parse_local_datetime(const std::string& text) {
  if (text.size() < 16 || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  return local_time_of(text.substr(0, 10), text.substr(11, 5));
}

void use_time_zone(const std::string& tz) {
  // The county's zone wins over the machine's (and over a TZ in the environment): a kiosk PC
  // set to UTC printed 07:43 on tickets while the office clock read 08:43.
  if (!tz.empty()) setenv("TZ", tz.c_str(), 1);
  tzset();
}

namespace {
void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no safe randomness: refuse to run
  });
}
}  // namespace

std::string new_uuid() {
  ensure_sodium();
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                b[14], b[15]);
  return out;
}

std::string new_token() {
  ensure_sodium();
  unsigned char b[18];
  randombytes_buf(b, sizeof b);
  char out[32];
  sodium_bin2base64(out, sizeof out, b, sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

}  // namespace wm::core
