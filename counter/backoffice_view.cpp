// Back-office work list: cases by unit (left), the selected case with its data (right).
#include <SDL.h>
#include <imgui.h>

#include "core/i18n/dates.hpp"
#include "counter/view_parts.hpp"
#include "counter/views.hpp"

namespace wm::counter {

using ui::ButtonKind;
using ui::ButtonOptions;
using ui::FontRole;
using ui::Rect;

namespace {

void case_list(ui::Frame& f, const CounterView& v, Rect r, Intent& out) {
  parts::section(f, r, f.t("counter.bo.list_title"));
  // Unit filter: "Alle" plus one button per unit that has cases.
  Rect filters = r.take_top(f.px(52), f.px(14));
  const int n = static_cast<int>(v.units.size()) + 1;
  for (int i = 0; i < n && i < 5; ++i) {
    std::string unit = i == 0 ? std::string() : v.units[i - 1];
    std::string label = i == 0 ? std::string(f.t("counter.bo.all_units")) : unit;
    if (ui::touch_button(f, "counter.bo.unit." + std::to_string(i), label,
                         ui::column(filters, std::min(n, 5), f.px(8), i),
                         ButtonOptions{.kind = ButtonKind::quiet, .selected = v.unit_filter == unit,
                                       .font = FontRole::small, .max_lines = 1}))
      out = Intent{Action::filter_unit, unit};
  }
  if (v.cases.empty()) {
    parts::small(f, r.take_top(f.px(40)), f.t("counter.bo.empty"), true, "counter.bo.empty");
    return;
  }
  const float item_h = f.px(132), gap = f.px(10);
  int fit = std::max(1, static_cast<int>((r.h + gap) / (item_h + gap)));
  for (int i = 0; i < static_cast<int>(v.cases.size()) && i < fit; ++i) {
    const CaseRow& c = v.cases[i];
    Rect line = r.take_top(item_h, gap);
    bool selected = v.selected_case && v.selected_case->id == c.id;
    std::string badge = std::string(f.t("counter.case_state." + c.state)) + " · " + parts::wait_text(f, c.age_ms);
    if (ui::tile(f, "counter.bo.case." + c.number, c.number + "  " + c.service_name,
                 c.office_name + " · " + c.unit, line,
                 ui::TileOptions{.selected = selected, .badge = badge}))
      out = Intent{Action::select_case, c.id};
  }
}

void case_detail(ui::Frame& f, const CounterView& v, CounterModel& m, Rect r, Intent& out) {
  parts::card(f, r);
  Rect in = r.inset(f.px(28), f.px(22));
  if (!v.selected_case) {
    ui::text_wrapped(f, in.take_top(f.px(60)), f.t("counter.bo.choose"), FontRole::heading,
                     ui::Align::left, f.colors().text_muted, "counter.bo.choose", 1);
    return;
  }
  const CaseRow& c = *v.selected_case;
  const bool mine = c.state == "claimed" && c.claimed_by == v.staff_login;
  const bool on = v.online && !v.busy;
  Rect actions = in.take_bottom(f.px(76), f.px(16));
  Rect ask = in.take_bottom(f.px(60), f.px(12));
  ui::text_wrapped(f, in.take_top(f.font_size(FontRole::title) * 1.25f), f.t("counter.bo.case_title", {{"number", c.number}}),
                   FontRole::title, ui::Align::left, std::nullopt, "counter.bo.case_title", 1);
  const float lw = f.px(230);
  parts::label_value(f, in, f.t("counter.bo.state"), std::string(f.t("counter.case_state." + c.state)) +
                     (c.claimed_by.empty() ? std::string() : " (" + c.claimed_by_name + ")"), lw,
                     "counter.bo.state");
  parts::label_value(f, in, f.t("counter.bo.service"), c.service_name, lw);
  parts::label_value(f, in, f.t("counter.bo.unit"), c.unit, lw);
  parts::label_value(f, in, f.t("counter.bo.from"), c.counter_name + " · " + c.office_name, lw);
  parts::label_value(f, in, f.t("counter.bo.outcome"), c.outcome, lw);
  parts::label_value(f, in, f.t("counter.bo.notes"), c.notes.empty() ? "–" : c.notes, lw);
  if (!c.question.empty()) parts::label_value(f, in, f.t("counter.bo.question"), c.question, lw);
  in.take_top(f.px(10));
  ui::text_wrapped(f, in.take_top(f.font_size(FontRole::heading) * 1.35f), f.t("counter.id.title"),
                   FontRole::heading, ui::Align::left, std::nullopt, {}, 1);
  if (!mine) {
    parts::small(f, in.take_top(f.px(36)), f.t("counter.bo.claim_to_see"));
  } else if (v.case_identity) {
    const json& id = *v.case_identity;
    auto get = [&](const char* k) { return id.contains(k) && id[k].is_string() ? id[k].get<std::string>() : std::string(); };
    parts::label_value(f, in, f.t("counter.id.name"), get("surname") + ", " + get("given_names"), lw);
    parts::label_value(f, in, f.t("counter.id.birth_date"),
                       i18n::format_date(get("birth_date"), f.lang()), lw, "counter.bo.birth_date");
    parts::label_value(f, in, f.t("counter.id.nationality"), get("nationality"), lw);
    parts::label_value(f, in, f.t("counter.id.document"), get("document_number"), lw);
    parts::label_value(f, in, f.t("counter.id.expiry"), i18n::format_date(get("expiry"), f.lang()),
                       lw, "counter.bo.expiry");
  } else {
    parts::small(f, in.take_top(f.px(36)),
                 v.case_delivered ? f.t("counter.bo.in_eakte") : f.t("counter.id.none"));
  }
  parts::text_field(f, "counter.bo.question", f.t("counter.bo.question_hint"), m.question, ask);
  bool can_claim = on && (c.state == "received" || c.state == "returned");
  if ((ui::touch_button(f, "counter.bo.claim", parts::with_key(f, "counter.bo.claim", "F1"),
                        ui::column(actions, 3, f.px(12), 0), ButtonOptions{.enabled = can_claim}) ||
       (can_claim && parts::key(SDL_SCANCODE_F1))))
    out = Intent{Action::claim_case, c.id};
  if ((ui::touch_button(f, "counter.bo.done", parts::with_key(f, "counter.bo.done", "F7"),
                        ui::column(actions, 3, f.px(12), 1),
                        ButtonOptions{.kind = ButtonKind::secondary, .enabled = on && mine}) ||
       (on && mine && parts::key(SDL_SCANCODE_F7))))
    out = Intent{Action::finish_case, c.id};
  bool can_ask = on && c.state != "done" && !m.question.empty();
  if ((ui::touch_button(f, "counter.bo.return", parts::with_key(f, "counter.bo.return", "F6"),
                        ui::column(actions, 3, f.px(12), 2),
                        ButtonOptions{.kind = ButtonKind::secondary, .enabled = can_ask}) ||
       (can_ask && parts::key(SDL_SCANCODE_F6))))
    out = Intent{Action::return_case, c.id};
}

}  // namespace

Intent draw_backoffice(ui::Frame& f, const CounterView& v, CounterModel& m) {
  Intent out;
  Rect screen = parts::header(f, v, f.t("counter.bo.title"), f.viewport());
  Rect body = parts::status_line(f, v, screen.inset(f.px(24), f.px(12)));
  body.take_top(f.px(8));
  Rect bar = body.take_bottom(f.px(60), f.px(12));
  if (ui::touch_button(f, "counter.logout", parts::with_key(f, "counter.action.logout", "F10"),
                       bar.take_right(f.px(300)), ButtonOptions{.kind = ButtonKind::quiet, .font = FontRole::small}) ||
      parts::key(SDL_SCANCODE_F10))
    out = Intent{Action::logout};
  Rect left = body.take_left(body.w * 0.45f, f.px(28));
  case_list(f, v, left, out);
  case_detail(f, v, m, body, out);
  return out;
}

}  // namespace wm::counter
