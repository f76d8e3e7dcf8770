// Dashboard frame: header, panic banner, alert list and the county's office tiles.
#include "counter/dashboard/dashboard_view.hpp"

#include <algorithm>
#include <cmath>

#include "core/clock.hpp"
#include "core/i18n/dates.hpp"
#include "core/queries.hpp"
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

std::string wait_text(ui::Frame& f, double ms) {
  const int n = core::elapsed_minutes(static_cast<core::Millis>(ms));
  return f.t("common.minutes", {{"n", std::to_string(n)}});
}

std::string estimate_text(ui::Frame& f, double ms) {
  const int n = core::wait_minutes_for_display(static_cast<core::Millis>(ms));
  return f.t("common.minutes", {{"n", std::to_string(n)}});
}

void apply(DashboardModel& m, const DashboardIntents& in, core::Millis now) {
  if (in.acknowledge) m.acknowledge(*in.acknowledge);
  if (in.back) m.show_county();
  if (in.open_office) m.open_office(*in.open_office);
  if (in.today) m.show_today();
  if (in.day_step) m.step_day(in.day_step, now);
  if (in.edit_counter) m.edit_counter(*in.edit_counter);
  ProfileEditor& e = m.editor();
  if (in.toggle_service) e.toggle(*in.toggle_service);
  if (in.profile_configured) e.pick_configured(m.region());
  if (in.profile_apply) e.submit();
  if (in.profile_cancel) e.close();
}

std::string day_text(std::string_view day, std::string_view lang) {
  return i18n::format_date(day, lang);
}

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
                  {"wait", wait_text(f, double(a.value_ms))},
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

namespace {

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

// Previous / next day and back to today, in the header; the day shown between them.
void draw_day_picker(ui::Frame& f, const DashboardModel& m, Rect r, core::Millis now,
                     DashboardIntents& in) {
  const ui::ButtonOptions style{.kind = ui::ButtonKind::secondary, .font = FontRole::small,
                              .max_lines = 1};
  Rect today = r.take_right(f.px(150), f.px(12));
  Rect next = r.take_right(f.px(200), f.px(12));
  Rect prev = r.take_left(f.px(200), f.px(12));
  if (ui::touch_button(f, "dash.day.prev", f.t("dashboard.day.previous"), prev, style))
    in.day_step = -1;
  const std::string day = m.live() ? core::local_day(now) : m.picked_day();
  // Text is drawn from the top of its rect: centre the line in the header's height.
  const float pad = std::max(0.0f, (r.h - f.font_size(FontRole::body_bold) * 1.25f) / 2);
  ui::text_wrapped(f, r.inset(0, pad), day_text(day, f.lang()), FontRole::body_bold,
                   Align::center, f.colors().on_header, "dash.day", 1);
  if (!m.live()) {
    if (ui::touch_button(f, "dash.day.next", f.t("dashboard.day.next"), next, style))
      in.day_step = 1;
    if (ui::touch_button(f, "dash.day.today", f.t("dashboard.day.today"), today, style))
      in.today = true;
  }
}

void draw_county(ui::Frame& f, const DashboardModel& m, Rect area, DashboardIntents& in) {
  const auto& offices = m.shown_stats().offices;
  const int n = static_cast<int>(offices.size());
  const int cols = n <= 4 ? 2 : 3;
  const int rows = (n + cols - 1) / cols;
  for (int i = 0; i < n; ++i) {
    const auto& o = offices[i];
    Rect r = ui::grid_cell(area, cols, std::max(rows, 2), f.theme().gap, i);
    if (office_tile(f, o, r, m.live())) in.open_office = o.office;
  }
}

std::string service_names(ui::Frame& f, const core::Region& region,
                          const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    const core::Service* s = region.find_service(id);
    out += (out.empty() ? "" : ", ") + (s ? core::localized(s->name, f.lang()) : id);
  }
  return out;
}

// "Services for today" of one counter, in place of the office view while it is open: the
// office's services as choices (numbered in the order picked: the first is called first),
// apply, back to the configured ones, cancel.
void draw_profile_editor(ui::Frame& f, const DashboardModel& m, Rect area, DashboardIntents& in) {
  const ProfileEditor& e = m.editor();
  const core::Region& region = m.region();
  const core::Counter* c = region.find_counter(e.counter());
  const core::Office* office = region.office_of_counter(e.counter());
  if (!c || !office) return;
  ImDrawList* dl = f.draw_list();
  dl->AddRectFilled(area.min(), area.max(), f.colors().surface, f.theme().rounding);
  dl->AddRect(area.min(), area.max(), f.colors().border, f.theme().rounding, 0, f.px(2));
  Rect in_area = area.inset(f.px(32), f.px(24));
  ui::text_wrapped(f, in_area.take_top(f.px(56), f.px(8)),
                   f.t("dashboard.profile.title", {{"counter", c->name}}), FontRole::heading,
                   Align::left, std::nullopt, "dash.profile.title", 1);
  const std::string hint(f.t("dashboard.profile.hint"));
  ui::text_wrapped(f, in_area.take_top(ui::text_height(f, hint, FontRole::body, in_area.w), f.px(8)),
                   hint, FontRole::body, Align::left, std::nullopt, "dash.profile.hint", 3);
  const std::string configured =
      f.t("dashboard.profile.configured", {{"services", service_names(f, region, c->profile)}});
  ui::text_wrapped(f, in_area.take_top(ui::text_height(f, configured, FontRole::body, in_area.w), f.px(16)),
                   configured, FontRole::body, Align::left, f.colors().text_muted,
                   "dash.profile.configured_list", 2);
  // Which counter: one choice per counter of the office (picks not applied are dropped).
  {
    Rect row = in_area.take_top(f.px(56), f.px(20));
    const int n = static_cast<int>(office->counters.size());
    const float w = (row.w - f.px(8) * (n - 1)) / std::max(1, n);
    for (const auto& oc : office->counters) {
      ui::ButtonOptions bo;
      bo.kind = ui::ButtonKind::secondary;
      bo.selected = oc.id == e.counter();
      bo.enabled = !e.sending();
      bo.font = FontRole::small;
      bo.max_lines = 1;
      const std::string label = m.moved().count(oc.id) ? oc.name + " *" : oc.name;
      if (ui::touch_button(f, "dash.profile.counter." + oc.id, label, row.take_left(w, f.px(8)), bo) &&
          oc.id != e.counter())
        in.edit_counter = oc.id;
    }
  }
  Rect buttons = in_area.take_bottom(f.px(72), f.px(16));
  if (e.nothing_picked() || !e.error().empty()) {
    const std::string msg = e.nothing_picked()
                                ? std::string(f.t("dashboard.profile.nothing"))
                                : f.t("dashboard.profile.failed", {{"reason", e.error()}});
    ui::banner(f, "dash.profile.error", msg, in_area.take_bottom(f.px(60), f.px(12)),
               ui::Severity::warning, false);
  }
  // The office's services, two per row, each a choice that shows whether (and as which) it
  // is picked.
  std::vector<const core::Service*> offered;
  for (const auto& s : region.services)
    if (region.office_offers(office->id, s.id)) offered.push_back(&s);
  const int rows = (static_cast<int>(offered.size()) + 1) / 2;
  const float row_h = std::min(f.px(72), (in_area.h - f.px(12) * rows) / std::max(1, rows));
  for (int r = 0; r < rows; ++r) {
    Rect row = in_area.take_top(row_h, f.px(12));
    Rect left = row.take_left(row.w / 2 - f.px(8), f.px(16));
    for (int k = 0; k < 2; ++k) {
      const std::size_t i = static_cast<std::size_t>(r * 2 + k);
      if (i >= offered.size()) break;
      const core::Service& s = *offered[i];
      const auto& picked = e.picked();
      auto at = std::find(picked.begin(), picked.end(), s.id);
      std::string label = core::localized(s.name, f.lang());
      if (at != picked.end()) label = std::to_string(at - picked.begin() + 1) + ". " + label;
      ui::ButtonOptions bo;
      bo.kind = ui::ButtonKind::secondary;
      bo.selected = at != picked.end();
      bo.enabled = !e.sending();
      bo.max_lines = 1;
      if (ui::touch_button(f, "dash.profile.svc." + s.id, label, k == 0 ? left : row, bo))
        in.toggle_service = s.id;
    }
  }
  Rect apply = buttons.take_left(buttons.w * 0.4f, f.px(16));
  Rect reset = buttons.take_left(buttons.w * 0.5f, f.px(16));
  if (ui::touch_button(f, "dash.profile.apply", f.t("dashboard.profile.apply"), apply,
                       {.kind = ui::ButtonKind::primary, .enabled = !e.sending(), .max_lines = 1}))
    in.profile_apply = true;
  if (ui::touch_button(f, "dash.profile.configured", f.t("dashboard.profile.reset"), reset,
                       {.kind = ui::ButtonKind::secondary, .enabled = !e.sending(), .max_lines = 1}))
    in.profile_configured = true;
  if (ui::touch_button(f, "dash.profile.cancel", f.t("dashboard.profile.cancel"), buttons,
                       {.kind = ui::ButtonKind::secondary, .max_lines = 1}))
    in.profile_cancel = true;
}

}  // namespace

DashboardIntents draw_dashboard(ui::Frame& f, const DashboardModel& m, core::Millis now,
                                bool online, bool has_data) {
  DashboardIntents in;
  Rect screen = f.viewport();
  ImDrawList* dl = f.draw_list();
  dl->AddRectFilled(screen.min(), screen.max(), f.colors().background);

  // Header: where we are, back, clock.
  Rect header = screen.take_top(f.px(84));
  dl->AddRectFilled(header.min(), header.max(), f.colors().header);
  Rect h = header.inset(f.px(24), f.px(12));
  Rect clock = h.take_right(f.px(140), f.px(16));
  // No picking past days before the server is known: nothing could answer.
  if (has_data) draw_day_picker(f, m, h.take_right(f.px(820), f.px(24)), now, in);
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
  if (!has_data) {
    // Never connected yet: the replica is empty, and its zeros with green lights would look
    // like a quiet county. Say so instead of drawing figures.
    ui::text_wrapped(f, screen.inset(f.px(40), f.px(120)), f.t("dashboard.no_data"),
                     FontRole::heading, Align::center, f.colors().text_muted, "dash.no_data", 3);
    return in;
  }
  if (m.panic()) draw_panic_banner(f, m, screen.take_top(f.px(110), f.px(16)), in);

  Rect alerts = screen.take_right(f.px(470), f.px(24));
  draw_alerts(f, m, alerts, in);
  if (!m.live()) {
    // A past day: say which and how fresh; alerts on the right stay live.
    const std::string date = day_text(m.picked_day(), f.lang());
    const auto st = m.past_state();
    const char* key = st == DashboardModel::PastState::ready    ? "dashboard.day.past"
                      : st == DashboardModel::PastState::failed ? "dashboard.day.failed"
                                                                : "dashboard.day.loading";
    ui::banner(f, "dash.day.state", f.t(key, {{"date", date}}), screen.take_top(f.px(60), f.px(12)),
               st == DashboardModel::PastState::failed ? ui::Severity::warning : ui::Severity::info,
               st == DashboardModel::PastState::loading);
    if (st != DashboardModel::PastState::ready) return in;
  }
  if (office) {
    if (m.editor().editing())
      draw_profile_editor(f, m, screen, in);
    else if (const core::OfficeStats* o = m.shown_stats().office(office->id))
      in.edit_counter = draw_office(f, m.region(), *o, screen, now, m.live(), m.moved());
  } else {
    draw_county(f, m, screen, in);
  }
  return in;
}

}  // namespace wm::counter
