// Request handler for day.close: an administrator closes an office's day by hand (issue 17).
#include "core/clock.hpp"
#include "core/day_close.hpp"
#include "core/handlers.hpp"

namespace wm::core::handlers {

Decision day_close(const Request& r, const State& s, Millis now) {
  const std::string& office = r.body.at("office").get_ref<const std::string&>();
  const Office* o = s.region().find_office(office);
  if (!o) return fail(ErrorCode::not_found, "unknown office '" + office + "'", "office");
  // Today's and every earlier day's open tickets, and every open counter of the office.
  json body = day_closed_body(s, office, local_day(now), "manual");
  Decision d;
  d.events.push_back(make_event(office, "day.closed", body));
  d.reply = json{{"office", office},
                 {"office_name", o->name},
                 {"day", body["day"]},
                 {"tickets", body["tickets"]},
                 {"counters", body["counters"]}};
  return d;
}

}  // namespace wm::core::handlers
