// Dashboard frame: header, panic banner, alert list and the county's office tiles.
#include "counter/dashboard/dashboard_view.hpp"

#include <cmath>

#include "core/clock.hpp"
#include "counter/dashboard/dashboard_parts.hpp"
#include "ui/widget_parts.hpp"
#include "ui/widgets.hpp"

namespace wm::counter {

using ui::Align;
using ui::FontRole;
using ui::Rect;

std::string minutes_text(ui::Frame& f, double ms) {
  const long n = std::lround(ms / 60000.0);
  return f.t("common.minutes", {{"n", std::to_string(n)}});
}

void apply(DashboardModel& m, const DashboardIntents& in) {
  if (in.acknowledge) m.acknowledge(*in.acknowledge);
  if (in.back) m.show_county();
  if (in.open_office) m.open_office(*in.open_office);
}

namespace {

std::string alert_text(ui::Frame& f, const core::Region& region, const Alert& a) {
  const core::Office* o = region.find_office(a.office);
  const std::string office = o ? o->name : a.office;
  switch (a.kind) {
    case AlertKind::panic:
      return f.t("dashboard.alert.panic", {{"counter", a.label}, {"office", office}});
    case AlertKind::wait_over_target: {
      const core::Service* s = region.find_service(a.subject);
      return f.t("dashboard.alert.wait",
                 {{"service", s ? core::localized(s->name, f.lang()) : a.subject},
                  {"office", office},
                  {"wait", minutes_text(f, double(a.value_ms))},
                  {"target", minutes_text(f, a.target_minutes * 60000.0)}});
    }
    case AlertKind::paper_out:
      return f.t("dashboard.alert.paper_out", {{"device", a.label}, {"office", office}});
    case AlertKind::paper_low:
      return f.t("dashboard.alert.paper_low", {{"device", a.label}, {"office", office}});
    case AlertKind::offline:
      return f.t("dashboard.alert.offline", {{"station", a.label}, {"office", office}});
  }
  return a.id;
}

ImU32 alert_color(ui::Frame& f, AlertKind k) {
  switch (k) {
    case AlertKind::panic:
    case AlertKind::paper_out: return f.colors().danger;
    default: return f.colors().warning;
  }
}

void draw_alerts(ui::Frame& f, const DashboardModel& m, Rect area, DashboardIntents& in) {
  const core::Region& region = m.region();
  ImDrawList* dl = f.draw_list();
  dl->AddRectFilled(area.min(), area.max(), f.colors().surface, f.theme().rounding);
  Rect inner = area.inset(f.px(16));
  Rect head = inner.take_top(f.px(50), f.px(10));
  ui::text_wrapped(f, head,
                   f.t("dashboard.alerts", {{"n", std::to_string(m.alerts().size())}}),
                   FontRole::heading, Align::left, std::nullopt, "dash.alerts.title", 1);
  if (m.alerts().empty()) {
    ui::text_wrapped(f, inner.take_top(f.px(80)), f.t("dashboard.no_alerts"), FontRole::body,
                     Align::left, f.colors().text_muted, "dash.alerts.none", 2);
    return;
  }
  const float card_h = f.px(128);
  for (const auto& a : m.alerts()) {
    if (inner.h < card_h) break;
    Rect card = inner.take_top(card_h, f.px(10));
    const ImU32 col = alert_color(f, a.kind);
    dl->AddRectFilled(card.min(), card.max(), f.colors().background, f.theme().rounding);
    dl->AddRectFilled(card.min(), {card.x + f.px(10), card.y + card.h}, col, f.theme().rounding);
    Rect c = card.inset(f.px(22), f.px(8));
    Rect btn = c.take_bottom(f.px(48), f.px(4));
    Rect time = btn.take_left(btn.w * 0.4f);
    ui::text_wrapped(f, c, alert_text(f, region, a), FontRole::small, Align::left, std::nullopt,
                     "dash.alert." + a.id, 2);
    ui::text_wrapped(f, time.inset(0, f.px(10)), core::local_hhmm(a.since), FontRole::small,
                     Align::left, f.colors().text_muted, {}, 1);
    if (ui::touch_button(f, "dash.ack." + a.id, f.t("dashboard.acknowledge"), btn,
                         {.kind = ui::ButtonKind::secondary, .font = FontRole::small,
                          .max_lines = 1}))
      in.acknowledge = a.id;
  }
}

void draw_panic_banner(ui::Frame& f, const DashboardModel& m, Rect r, DashboardIntents& in) {
  const Alert* p = nullptr;
  for (const auto& a : m.alerts())
    if (a.kind == AlertKind::panic) { p = &a; break; }
  if (!p) return;
  // Blinks between two reds so it is seen from across the room; never fades out.
  const bool bright = std::fmod(f.now(), 1.0) < 0.5;
  f.animate_for(1.0);
  f.draw_list()->AddRectFilled(r.min(), r.max(),
                               bright ? f.colors().danger : IM_COL32(150, 0, 0, 255));
  Rect inner = r.inset(f.px(24), f.px(14));
  Rect btn = inner.take_right(f.px(280), f.px(20));
  ui::text_wrapped(f, inner, alert_text(f, m.region(), *p), FontRole::title, Align::left,
                   f.colors().on_status, "dash.panic", 1);
  if (ui::touch_button(f, "dash.panic.ack", f.t("dashboard.acknowledge"), btn,
                       {.kind = ui::ButtonKind::secondary, .max_lines = 1}))
    in.acknowledge = p->id;
}

void draw_county(ui::Frame& f, const DashboardModel& m, Rect area, DashboardIntents& in) {
  const auto& offices = m.stats().offices;
  const int n = static_cast<int>(offices.size());
  const int cols = n <= 4 ? 2 : 3;
  const int rows = (n + cols - 1) / cols;
  for (int i = 0; i < n; ++i) {
    const auto& o = offices[i];
    Rect r = ui::grid_cell(area, cols, std::max(rows, 2), f.theme().gap, i);
    if (office_tile(f, o, r)) in.open_office = o.office;
  }
}

}  // namespace

DashboardIntents draw_dashboard(ui::Frame& f, const DashboardModel& m, core::Millis now,
                                bool online) {
  DashboardIntents in;
  Rect screen = f.viewport();
  ImDrawList* dl = f.draw_list();
  dl->AddRectFilled(screen.min(), screen.max(), f.colors().background);

  // Header: where we are, back, clock.
  Rect header = screen.take_top(f.px(84));
  dl->AddRectFilled(header.min(), header.max(), f.colors().header);
  Rect h = header.inset(f.px(24), f.px(12));
  Rect clock = h.take_right(f.px(140), f.px(16));
  const core::Office* office = m.office().empty() ? nullptr
                                                  : m.region().find_office(m.office());
  if (office) {
    Rect back = h.take_left(f.px(220), f.px(20));
    if (ui::touch_button(f, "dash.back", f.t("dashboard.county"), back,
                         {.kind = ui::ButtonKind::secondary, .font = FontRole::small,
                          .max_lines = 1}))
      in.back = true;
  }
  ui::text_wrapped(f, h.inset(0, f.px(4)),
                   office ? f.t("dashboard.office_title", {{"office", office->name}})
                          : std::string(f.t("dashboard.county_title")),
                   FontRole::heading, Align::left, f.colors().on_header, "dash.title", 1);
  ui::text_wrapped(f, clock.inset(0, f.px(4)), core::local_hhmm(now), FontRole::heading,
                   Align::right, f.colors().on_header, "dash.clock", 1);

  screen = screen.inset(f.px(24), f.px(16));
  if (!online) {
    ui::banner(f, "dash.offline", f.t("common.connection_lost"),
               screen.take_top(f.px(60), f.px(12)), ui::Severity::warning, true);
  }
  if (m.panic()) draw_panic_banner(f, m, screen.take_top(f.px(110), f.px(16)), in);

  Rect alerts = screen.take_right(f.px(470), f.px(24));
  draw_alerts(f, m, alerts, in);
  if (office) {
    if (const core::OfficeStats* o = m.stats().office(office->id)) draw_office(f, m.region(), *o, screen, now);
  } else {
    draw_county(f, m, screen, in);
  }
  return in;
}

}  // namespace wm::counter
