// Office tiles, the per-service and per-counter tables and the day charts (ImGui draw lists).
#include <algorithm>
#include <cmath>

#include "counter/dashboard/dashboard_parts.hpp"
#include "counter/dashboard/dashboard_view.hpp"
#include "ui/traffic_light.hpp"
#include "ui/widget_parts.hpp"
#include "ui/widgets.hpp"

namespace wm::counter {

using ui::Align;
using ui::FontRole;
using ui::Rect;

std::string percent_text(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + " %";
}

namespace {

// One table cell, registered so tests catch text that does not fit in any language.
void cell(ui::Frame& f, const Rect& r, std::string_view text, std::string_view id,
          Align align = Align::left, FontRole role = FontRole::small,
          std::optional<ImU32> color = std::nullopt) {
  ui::text_wrapped(f, r.inset(f.px(6), f.px(3)), text, role, align, color, id, 1);
}

// Column widths as shares of the table width.
struct Table {
  Rect area;
  std::vector<float> share;
  float row_h;
  Rect col(const Rect& row, std::size_t i) const {
    float x = row.x;
    for (std::size_t k = 0; k < i; ++k) x += share[k] * row.w;
    return {x, row.y, share[i] * row.w, row.h};
  }
};

void header_row(ui::Frame& f, const Table& t, Rect row, const std::vector<std::string>& keys,
                std::string_view prefix) {
  f.draw_list()->AddRectFilled(row.min(), row.max(), f.colors().surface);
  for (std::size_t i = 0; i < keys.size(); ++i)
    cell(f, t.col(row, i), f.t(keys[i]), std::string(prefix) + ".h" + std::to_string(i),
         i == 0 ? Align::left : Align::right, FontRole::small, f.colors().text_muted);
}

void section_title(ui::Frame& f, Rect& area, std::string_view key, std::string_view id) {
  ui::text_wrapped(f, area.take_top(f.px(40), f.px(4)), f.t(key), FontRole::body_bold,
                   Align::left, std::nullopt, id, 1);
}

// How `rows` rows share `height`: at most the preferred row height, down to one line of
// small text; the rows that still do not fit are counted, never silently dropped.
struct RowFit {
  float row_h;
  int shown;  // rows drawn; the last place says "… and N more" when shown < rows
};
RowFit fit_rows(ui::Frame& f, float height, int rows) {
  const float preferred = f.px(34), least = f.font_size(FontRole::small) * 1.3f;
  if (rows <= 0) return {preferred, 0};
  const float h = std::clamp(height / static_cast<float>(rows), least, preferred);
  const int fit = std::max(0, static_cast<int>(height / h));
  return {h, fit >= rows ? rows : std::max(0, fit - 1)};
}

// The line in place of the rows that did not fit: how many, so nothing goes unnoticed.
void more_rows(ui::Frame& f, Rect& area, float row_h, int hidden, const std::string& id) {
  if (hidden <= 0 || area.h < row_h) return;
  cell(f, area.take_top(row_h), f.t("dashboard.more_rows", {{"n", std::to_string(hidden)}}), id,
       Align::left, FontRole::small, f.colors().warning);
}

void service_table(ui::Frame& f, const core::Region& region, const core::OfficeStats& o,
                   Rect area, bool live) {
  section_title(f, area, "dashboard.services", "dash.services.title");
  Table t{area, {0.27f, 0.09f, 0.12f, 0.12f, 0.14f, 0.13f, 0.13f}, f.px(34)};
  const int n = static_cast<int>(o.services.size());
  const RowFit fit = fit_rows(f, area.h - t.row_h, n);
  header_row(f, t, area.take_top(t.row_h),
             {"dashboard.col.service", "dashboard.col.waiting", "dashboard.col.longest",
              "dashboard.col.mean_wait", "dashboard.col.mean_service", "dashboard.col.within",
              "dashboard.col.estimate"},
             "dash.svc");
  t.row_h = fit.row_h;
  int i = 0;
  for (const auto& s : o.services) {
    if (i >= fit.shown) break;
    Rect row = area.take_top(t.row_h);
    if (i++ % 2) f.draw_list()->AddRectFilled(row.min(), row.max(), f.colors().surface);
    const core::Service* svc = region.find_service(s.service);
    const std::string id = "dash.svc." + s.service;
    Rect c0 = t.col(row, 0);
    ui::draw_light(f, s.light, {c0.x + f.px(14), c0.y + row.h / 2}, f.px(10), id + ".light");
    cell(f, {c0.x + f.px(26), c0.y, c0.w - f.px(26), c0.h}, svc ? core::localized(svc->name, f.lang()) : s.service, id + ".name");
    auto right = [&](std::size_t c, const std::string& text) {
      cell(f, t.col(row, c), text, id + "." + std::to_string(c), Align::right);
    };
    // A past day: waiting at its end, and the longest wait of the whole day.
    right(1, std::to_string(s.f.waiting));
    if (live) right(2, s.f.waiting ? wait_text(f, double(s.f.longest_waiting_ms)) : "–");
    else right(2, s.f.max_wait_ms ? minutes_text(f, double(s.f.max_wait_ms)) : "–");
    right(3, s.f.waits ? minutes_text(f, s.f.mean_wait_ms()) : "–");
    right(4, s.f.services ? minutes_text(f, s.f.mean_service_ms()) : "–");
    auto share = s.f.within_target_share();
    right(5, share ? percent_text(*share) : "–");
    right(6, s.estimate_ms ? estimate_text(f, double(*s.estimate_ms)) : "–");
  }
  more_rows(f, area, t.row_h, n - fit.shown, "dash.svc.more");
}

std::string counter_state_text(ui::Frame& f, const core::CounterStats& c) {
  if (!c.ticket_state.empty()) return std::string(f.t("dashboard.state." + c.ticket_state));
  return std::string(f.t("dashboard.state." + std::string(core::to_string(c.state))));
}

// The counters of the office; live, a button beside the title moves a clerk to other services
// for the day (returns the counter to start the editor with), and a moved counter's name is
// marked "*" (the legend beside the title says what it means).
std::optional<std::string> counter_table(ui::Frame& f, const core::OfficeStats& o, Rect area,
                                         core::Millis now, bool live, const MovedCounters& moved) {
  std::optional<std::string> edit;
  if (live && !o.counters.empty()) {
    Rect title = area.take_top(f.px(44), f.px(4));
    ui::ButtonOptions bo;
    bo.kind = ui::ButtonKind::secondary;
    bo.font = FontRole::small;
    bo.max_lines = 1;
    Rect button = title.take_right(std::min(title.w * 0.4f, f.px(260)));
    if (ui::touch_button(f, "dash.ctr.edit", f.t("dashboard.profile.button"), button, bo))
      edit = o.counters.front().counter;
    Rect legend = title.take_right(title.w * 0.55f, f.px(8));
    ui::text_wrapped(f, title.inset(0, f.px(6)), f.t("dashboard.counters"), FontRole::body_bold,
                     Align::left, std::nullopt, "dash.counters.title", 1);
    if (!moved.empty())
      ui::text_wrapped(f, legend.inset(f.px(12), f.px(8)), f.t("dashboard.profile.legend"), FontRole::small,
                       Align::right, f.colors().text_muted, "dash.ctr.legend", 1);
  } else {
    section_title(f, area, "dashboard.counters", "dash.counters.title");
  }
  Table t{area, {0.22f, 0.20f, 0.13f, 0.15f, 0.12f, 0.18f}, f.px(34)};
  header_row(f, t, area.take_top(t.row_h),
             {"dashboard.col.counter", "dashboard.col.state", "dashboard.col.ticket",
              "dashboard.col.serving_for", "dashboard.col.served", "dashboard.col.staff"},
             "dash.ctr");
  const int n = static_cast<int>(o.counters.size());
  const RowFit fit = fit_rows(f, area.h, n);
  t.row_h = fit.row_h;
  int i = 0;
  for (const auto& c : o.counters) {
    if (i >= fit.shown) break;
    Rect row = area.take_top(t.row_h);
    if (i++ % 2) f.draw_list()->AddRectFilled(row.min(), row.max(), f.colors().surface);
    const std::string id = "dash.ctr." + c.counter;
    const ImU32 state_col = c.state == core::CounterState::closed ? f.colors().text_muted
                            : c.state == core::CounterState::paused ? f.colors().warning
                                                                    : f.colors().success;
    cell(f, t.col(row, 0), live && moved.count(c.counter) ? c.name + " *" : c.name, id + ".name");
    cell(f, t.col(row, 4), std::to_string(c.f.served), id + ".served", Align::right);
    if (!live) {  // who sat where at a past day's end is not that day's story
      for (std::size_t k : {1u, 2u, 3u, 5u})
        cell(f, t.col(row, k), "–", id + "." + std::to_string(k), Align::right);
      continue;
    }
    cell(f, t.col(row, 1), counter_state_text(f, c), id + ".state", Align::left,
         FontRole::small, c.ticket_state.empty() ? state_col : f.colors().accent);
    cell(f, t.col(row, 2), c.ticket_number.empty() ? "–" : c.ticket_number, id + ".ticket",
         Align::right);
    cell(f, t.col(row, 3),
         c.ticket_state == "serving" ? minutes_text(f, double(now - c.since)) : "–",
         id + ".since", Align::right);
    // Staff logins are staff data, not visitors' personal data.
    cell(f, t.col(row, 5), c.staff.empty() ? "–" : c.staff, id + ".staff", Align::right);
  }
  more_rows(f, area, t.row_h, n - fit.shown, "dash.ctr.more");
  return edit;
}

// A bar chart of one or two series per 15-minute bucket over the office's opening window.
void chart(ui::Frame& f, Rect area, std::string_view title_key, std::string_view id,
           const core::OfficeStats& o, bool arrivals_vs_served) {
  ImDrawList* dl = f.draw_list();
  dl->AddRectFilled(area.min(), area.max(), f.colors().surface, f.theme().rounding);
  Rect inner = area.inset(f.px(14), f.px(8));
  Rect head = inner.take_top(f.px(34), f.px(4));
  Rect legend = head.take_right(head.w * 0.5f);
  ui::text_wrapped(f, head, f.t(title_key), FontRole::small, Align::left, std::nullopt,
                   std::string(id) + ".title", 1);
  const ImU32 a_col = f.colors().accent, s_col = f.colors().success;
  if (arrivals_vs_served) {
    Rect l1 = legend.take_left(legend.w * 0.5f);
    dl->AddRectFilled({l1.x, l1.y + f.px(10)}, {l1.x + f.px(16), l1.y + f.px(26)}, a_col);
    ui::text_wrapped(f, {l1.x + f.px(22), l1.y, l1.w - f.px(22), l1.h}, f.t("dashboard.arrivals"),
                     FontRole::small, Align::left, std::nullopt, std::string(id) + ".l1", 1);
    dl->AddRectFilled({legend.x, legend.y + f.px(10)},
                      {legend.x + f.px(16), legend.y + f.px(26)}, s_col);
    ui::text_wrapped(f, {legend.x + f.px(22), legend.y, legend.w - f.px(22), legend.h},
                     f.t("dashboard.served"), FontRole::small, Align::left, std::nullopt,
                     std::string(id) + ".l2", 1);
  }
  // Axis: from the first bucket with activity (or 7:00) to the last one up to now (or 18:00).
  int first = 7 * 4, last = 18 * 4;
  for (int b = 0; b < core::kBuckets; ++b)
    if (o.arrivals[b] || o.served[b]) { first = std::min(first, b); last = std::max(last, b + 1); }
  last = std::min(last, core::kBuckets);
  const int n = std::max(1, last - first);
  int top = std::max(1, o.f.waiting);
  for (int b = first; b < last; ++b)
    top = std::max({top, o.arrivals[b], o.served[b], o.waiting[b]});
  Rect axis = inner.take_bottom(f.px(26));
  Rect plot = inner;
  const float bw = plot.w / n;
  auto y_of = [&](int v) { return plot.y + plot.h - plot.h * float(v) / float(top); };
  dl->AddLine({plot.x, plot.y + plot.h}, {plot.x + plot.w, plot.y + plot.h}, f.colors().border,
              f.px(2));
  ImVec2 prev{};
  for (int b = first; b < last; ++b) {
    const float x = plot.x + (b - first) * bw;
    const bool future = b >= o.buckets_until;
    if (arrivals_vs_served && !future) {
      const float half = std::max(1.0f, bw * 0.5f - 1);
      dl->AddRectFilled({x + 1, y_of(o.arrivals[b])}, {x + half, plot.y + plot.h}, a_col);
      dl->AddRectFilled({x + half, y_of(o.served[b])}, {x + 2 * half, plot.y + plot.h}, s_col);
    } else if (!future) {
      ImVec2 p{x + bw * 0.5f, y_of(o.waiting[b])};
      if (b > first) dl->AddLine(prev, p, a_col, f.px(3));
      dl->AddCircleFilled(p, f.px(3), a_col);
      prev = p;
    }
    if (b % 8 == 0) {  // every two hours
      char label[16];
      std::snprintf(label, sizeof label, "%02d:00", b / 4);
      dl->AddText(f.font(FontRole::small), f.font_size(FontRole::small) * 0.8f,
                  {x, axis.y + f.px(2)}, f.colors().text_muted, label);
    }
  }
  char top_label[16];
  std::snprintf(top_label, sizeof top_label, "%d", top);
  dl->AddText(f.font(FontRole::small), f.font_size(FontRole::small) * 0.8f, {plot.x + f.px(4), plot.y},
              f.colors().text_muted, top_label);
}

}  // namespace

bool office_tile(ui::Frame& f, const core::OfficeStats& o, const Rect& r, bool live) {
  const ui::ItemState s = ui::interact("dash.office." + o.office, r, true);
  ImDrawList* dl = f.draw_list();
  ui::draw_shadow(f, r);
  dl->AddRectFilled(r.min(), r.max(), s.held ? f.colors().surface_pressed : f.colors().surface,
                    f.theme().rounding);
  dl->AddRectFilled(r.min(), {r.x + f.px(12), r.y + r.h}, ui::light_color(f, o.light),
                    f.theme().rounding);
  Rect in = r.inset(f.px(30), f.px(18));
  Rect head = in.take_top(f.px(56), f.px(10));
  const std::string id = "dash.office." + o.office;
  ui::text_wrapped(f, head, o.name, FontRole::heading, Align::left, std::nullopt, id + ".name", 1);
  // The light on a row of its own with its word: shape, word and colour say the same.
  Rect status = in.take_top(f.px(44), f.px(8));
  const float radius = f.px(17);
  ui::draw_light(f, o.light, {status.x + radius, status.y + status.h / 2}, radius, id + ".light");
  const float text_x = status.x + 2 * radius + f.px(12);
  ui::text_wrapped(f, Rect{text_x, status.y, status.x + status.w - text_x, status.h}.inset(0, f.px(4)),
                   ui::light_word(f, o.light), FontRole::body_bold, Align::left, f.colors().text,
                   id + ".light.word", 1);
  const float line = std::min(f.px(44), in.h / 5);
  auto kv = [&](std::string_view key, const std::string& value, std::string_view sub) {
    Rect row = in.take_top(line);
    Rect v = row.take_right(row.w * 0.35f);
    ui::text_wrapped(f, row.inset(0, f.px(4)), f.t(key), FontRole::body, Align::left,
                     f.colors().text_muted, id + "." + std::string(sub) + ".k", 1);
    ui::text_wrapped(f, v.inset(0, f.px(4)), value, FontRole::body_bold, Align::right,
                     std::nullopt, id + "." + std::string(sub), 1);
  };
  if (live) {
    kv("dashboard.waiting_now", std::to_string(o.f.waiting), "waiting");
    kv("dashboard.longest_wait",
       o.f.waiting ? wait_text(f, double(o.f.longest_waiting_ms)) : "–", "longest");
    kv("dashboard.mean_wait", o.f.waits ? minutes_text(f, o.f.mean_wait_ms()) : "–", "mean");
    kv("dashboard.served_today", std::to_string(o.f.served), "served");
    kv("dashboard.counters_open", std::to_string(o.counters_open), "open");
  } else {
    kv("dashboard.arrivals", std::to_string(o.f.arrivals), "arrivals");
    kv("dashboard.longest_wait", o.f.max_wait_ms ? minutes_text(f, double(o.f.max_wait_ms)) : "–",
       "longest");
    kv("dashboard.mean_wait_day", o.f.waits ? minutes_text(f, o.f.mean_wait_ms()) : "–", "mean");
    kv("dashboard.served", std::to_string(o.f.served), "served");
    kv("dashboard.no_shows", std::to_string(o.f.no_shows), "no_shows");
  }
  ui::register_widget(f, id, o.name, r, ui::WidgetKind::tile, true, false, true);
  return s.clicked;
}

std::optional<std::string> draw_office(ui::Frame& f, const core::Region& region,
                                       const core::OfficeStats& o, Rect area, core::Millis now,
                                       bool live, const MovedCounters& moved) {
  // Every service: the table takes what it needs, up to 55 % (its rows shrink to fit first).
  const float svc_h = f.px(44 + 34 * (1 + static_cast<float>(o.services.size())));
  service_table(f, region, o, area.take_top(std::min(svc_h, area.h * 0.55f), f.theme().gap),
                live);
  Rect charts = area.take_right(area.w * 0.45f, f.theme().gap);
  auto edit = counter_table(f, o, area, now, live, moved);
  Rect c1 = charts.take_top(charts.h * 0.5f - f.theme().gap / 2, f.theme().gap);
  chart(f, c1, "dashboard.chart.flow", "dash.chart.flow", o, true);
  chart(f, charts, "dashboard.chart.waiting", "dash.chart.waiting", o, false);
  return edit;
}

}  // namespace wm::counter
