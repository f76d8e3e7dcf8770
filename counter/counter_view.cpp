// The counter station: my queue (left), the current visitor and every action (right).
#include <SDL.h>
#include <imgui.h>

#include "core/i18n/languages.hpp"
#include "counter/view_parts.hpp"
#include "counter/views.hpp"

namespace wm::counter {

using ui::ButtonKind;
using ui::ButtonOptions;
using ui::FontRole;
using ui::Rect;

namespace {

void draw_queue(ui::Frame& f, const CounterView& v, Rect r, CounterModel& m, Intent& out) {
  const float gap = f.px(8);
  parts::section(f, r, f.t("counter.queue.title"));
  // Per service of my profile: waiting, longest wait, estimate for a newcomer.
  const float row_h = f.font_size(FontRole::small) * 1.6f;
  Rect head = r.take_top(row_h);
  auto cols = [&](Rect line, std::string_view a, std::string_view b, std::string_view c,
                  std::string_view d, bool muted) {
    Rect c1 = line.take_left(line.w * 0.46f), c2 = line.take_left(line.w * 0.22f),
         c3 = line.take_left(line.w * 0.5f);
    parts::small(f, c1, a, muted);
    parts::small(f, c2, b, muted);
    parts::small(f, c3, c, muted);
    parts::small(f, line, d, muted);
  };
  cols(head, f.t("counter.queue.service"), f.t("counter.queue.waiting"),
       f.t("counter.queue.longest"), f.t("counter.queue.estimate"), true);
  for (const auto& q : v.queue) {
    Rect line = r.take_top(row_h);
    cols(line, q.name, std::to_string(q.waiting), q.waiting ? parts::wait_text(f, q.longest_ms) : "–",
         q.estimate_ms ? parts::estimate_text(f, *q.estimate_ms) : f.t("counter.queue.no_estimate"), false);
  }
  r.take_top(f.px(14));

  // Bottom: call a number directly.
  Rect call = r.take_bottom(f.px(60), f.px(14));
  Rect call_btn = call.take_right(call.w * 0.5f, gap);
  bool focus = parts::key(SDL_SCANCODE_F11);
  bool enter = parts::text_field(f, "counter.call.number", f.t("counter.call.hint"), m.call_number,
                                 call, false, focus);
  if (ui::touch_button(f, "counter.call", parts::with_key(f, "counter.call.button", "F11"), call_btn,
                       ButtonOptions{.kind = ButtonKind::secondary, .enabled = v.online,
                                     .font = FontRole::small}) ||
      (enter && !m.call_number.empty()))
    out = Intent{Action::call, m.call_number};

  // Parked visitors at the bottom, the waiting list above them.
  const float item_h = f.px(56);
  if (!v.parked.empty()) {
    int n = std::min<int>(static_cast<int>(v.parked.size()), 3);
    Rect parked = r.take_bottom(f.font_size(FontRole::heading) * 1.35f + n * (item_h + gap), gap);
    parts::section(f, parked, f.t("counter.parked.title"));
    for (int i = 0; i < n; ++i) {
      const auto& w = v.parked[i];
      Rect line = parked.take_top(item_h, gap);
      Rect btn = line.take_right(f.px(170), gap);
      parts::card(f, line);
      Rect in = line.inset(f.px(14), f.px(6));
      ui::text_wrapped(f, in.take_left(f.px(110)), w.number, FontRole::body_bold, ui::Align::left,
                       std::nullopt, {}, 1);
      parts::small(f, in, w.park_reason + " · " + w.service_name);
      if (ui::touch_button(f, "counter.parked." + w.number, f.t("counter.call.row"), btn,
                           ButtonOptions{.kind = ButtonKind::secondary, .enabled = v.online,
                                         .font = FontRole::small}))
        out = Intent{Action::call, w.number};
    }
  }
  parts::section(f, r, f.t("counter.waiting.title"));
  if (v.waiting.empty()) {
    parts::small(f, r.take_top(f.px(40)), f.t("counter.waiting.empty"), true, "counter.waiting.empty");
    return;
  }
  int fit = std::max(1, static_cast<int>((r.h + gap) / (item_h + gap)));
  for (int i = 0; i < static_cast<int>(v.waiting.size()) && i < fit; ++i) {
    const auto& w = v.waiting[i];
    Rect line = r.take_top(item_h, gap);
    Rect btn = line.take_right(f.px(170), gap);
    parts::card(f, line);
    Rect in = line.inset(f.px(14), f.px(6));
    ui::text_wrapped(f, in.take_left(f.px(110)), w.number, FontRole::body_bold, ui::Align::left,
                     std::nullopt, "counter.waiting." + w.number, 1);
    Rect wait = in.take_right(f.px(150));
    parts::small(f, wait, parts::wait_text(f, w.waited_ms), false);
    std::string tag = w.to_me ? std::string(f.t("counter.tag.to_me"))
                      : w.appointment ? std::string(f.t("counter.tag.appointment"))
                      : w.priority ? std::string(f.t("counter.tag.priority"))
                                   : std::string();
    parts::small(f, in, tag.empty() ? w.service_name : w.service_name + " · " + tag, tag.empty());
    if (ui::touch_button(f, "counter.call." + w.number, f.t("counter.call.row"), btn,
                         ButtonOptions{.kind = ButtonKind::secondary, .enabled = v.online,
                                       .font = FontRole::small}))
      out = Intent{Action::call, w.number};
  }
}

void copy_row(ui::Frame& f, Rect& r, std::string_view id, std::string_view label,
              const std::string& value) {
  Rect line = r.take_top(f.px(44), f.px(4));
  Rect btn = line.take_right(f.px(120), f.px(8));
  Rect l = line.take_left(f.px(190), f.px(8));
  parts::small(f, l.inset(0, (l.h - f.font_size(FontRole::small)) / 2), label);
  ui::text_wrapped(f, line.inset(0, (line.h - f.font_size(FontRole::body)) / 2), value,
                   FontRole::body_bold, ui::Align::left, std::nullopt, {}, 1);
  if (ui::touch_button(f, id, f.t("counter.id.copy"), btn,
                       ButtonOptions{.kind = ButtonKind::quiet, .font = FontRole::small}))
    SDL_SetClipboardText(value.c_str());
}

void draw_visitor(ui::Frame& f, const CounterView& v, Rect r) {
  parts::card(f, r);
  Rect in = r.inset(f.px(24), f.px(18));
  if (!v.visitor) {
    ui::text_wrapped(f, in.take_top(f.font_size(FontRole::title) * 1.3f), f.t("counter.visitor.none"),
                     FontRole::title, ui::Align::left, f.colors().text_muted, "counter.visitor.none", 1);
    parts::small(f, in.take_top(f.px(40)),
                 v.counter_state == "paused" ? f.t("counter.visitor.paused_hint")
                                             : f.t("counter.visitor.none_hint"));
    if (!v.last_case_number.empty())
      ui::text_wrapped(f, in.take_top(f.px(50)),
                       f.t("counter.visitor.last_case", {{"number", v.last_case_number},
                                                          {"unit", v.last_case_unit}}),
                       FontRole::body_bold, ui::Align::left, f.colors().success, "counter.last_case", 1);
    return;
  }
  const Visitor& vis = *v.visitor;
  Rect left = in.take_left(in.w * 0.48f, f.px(24));
  Rect num = left.take_top(f.font_size(FontRole::huge) * 1.05f, f.px(4));
  ui::text_wrapped(f, num, vis.number, FontRole::huge, ui::Align::left, f.colors().accent,
                   "counter.visitor.number", 1);
  std::string state = vis.state == "serving" ? std::string(f.t("counter.visitor.serving"))
                      : vis.recalls > 0
                          ? f.t("counter.visitor.recalled", {{"n", std::to_string(vis.recalls)},
                                                              {"max", std::to_string(vis.recall_limit)}})
                          : std::string(f.t("counter.visitor.called"));
  ui::text_wrapped(f, left.take_top(f.font_size(FontRole::heading) * 1.4f, f.px(8)), state,
                   FontRole::heading, ui::Align::left, std::nullopt, "counter.visitor.state", 1);
  const float lw = f.px(180);
  std::string services;
  for (std::size_t i = 0; i < vis.services.size(); ++i) services += (i ? " → " : "") + vis.services[i];
  parts::label_value(f, left, f.t("counter.visitor.services"), services, lw);
  parts::label_value(f, left, f.t("counter.visitor.waited"), parts::wait_text(f, vis.waited_ms), lw);
  if (!vis.next_recall.empty())
    parts::label_value(f, left, f.t("counter.visitor.next_recall"), vis.next_recall, lw);
  if (vis.state == "serving")
    parts::label_value(f, left, f.t("counter.visitor.served"), parts::wait_text(f, vis.served_ms), lw);
  const i18n::Language* lang = i18n::find_language(vis.language);
  parts::label_value(f, left, f.t("counter.visitor.language"),
                     lang ? std::string(lang->native_name) : vis.language, lw);
  parts::label_value(f, left, f.t("counter.visitor.appointment"),
                     vis.appointment.empty() ? std::string(f.t("counter.visitor.no_appointment"))
                                             : vis.appointment, lw);

  // ID data, only with consent, with copy buttons for the specialist software.
  ui::text_wrapped(f, in.take_top(f.font_size(FontRole::heading) * 1.35f, f.px(6)),
                   f.t("counter.id.title"), FontRole::heading, ui::Align::left, std::nullopt, {}, 1);
  if (!vis.has_identity) {
    parts::small(f, in.take_top(f.px(40)), f.t("counter.id.none"), true, "counter.id.none");
    return;
  }
  if (!vis.identity) {
    parts::small(f, in.take_top(f.px(40)), f.t("counter.id.loading"));
    return;
  }
  const json& id = *vis.identity;
  auto get = [&](const char* k) { return id.contains(k) && id[k].is_string() ? id[k].get<std::string>() : std::string(); };
  std::string name = get("surname");
  if (!get("given_names").empty()) name += ", " + get("given_names");
  copy_row(f, in, "counter.id.copy.name", f.t("counter.id.name"), name);
  copy_row(f, in, "counter.id.copy.birth", f.t("counter.id.birth_date"), get("birth_date"));
  copy_row(f, in, "counter.id.copy.nationality", f.t("counter.id.nationality"), get("nationality"));
  copy_row(f, in, "counter.id.copy.document", f.t("counter.id.document"), get("document_number"));
  copy_row(f, in, "counter.id.copy.expiry", f.t("counter.id.expiry"), get("expiry"));
}

}  // namespace

Intent draw_counter(ui::Frame& f, const CounterView& v, CounterModel& m) {
  Intent out;
  Rect screen = f.viewport();
  std::string title = v.counter_name + " · " + v.office_name;
  if (v.counter_state == "paused") title += " · " + std::string(f.t("counter.state.paused"));
  screen = parts::header(f, v, title, screen);
  Rect body = parts::status_line(f, v, screen.inset(f.px(24), f.px(12)));
  body.take_top(f.px(8));
  const float gap = f.px(16);
  Rect left = body.take_left(body.w * 0.36f, f.px(28));
  draw_queue(f, v, left, m, out);

  // Actions at the bottom: two rows of five, each with its shortcut.
  Rect actions = body.take_bottom(f.px(168), gap);
  const bool on = v.online && !v.busy;
  const bool has = v.visitor.has_value();
  const bool called = has && v.visitor->state == "called";
  const bool paused = v.counter_state == "paused";
  struct Btn { const char* id; const char* label; const char* key; SDL_Scancode sc; bool ctrl; Action a; bool enabled; ButtonKind kind; };
  const Btn btns[] = {
      {"counter.next", "counter.action.next", "F1", SDL_SCANCODE_F1, false, Action::next, on && !has && !paused, ButtonKind::primary},
      {"counter.recall", "counter.action.recall", "F2", SDL_SCANCODE_F2, false, Action::recall, on && called, ButtonKind::secondary},
      {"counter.no_show", "counter.action.no_show", "F3", SDL_SCANCODE_F3, false, Action::no_show, on && called, ButtonKind::secondary},
      {"counter.start", "counter.action.start", "F4", SDL_SCANCODE_F4, false, Action::start, on && called, ButtonKind::secondary},
      {"counter.finish", "counter.action.finish", "F7", SDL_SCANCODE_F7, false, Action::finish, on && has, ButtonKind::primary},
      {"counter.transfer", "counter.action.transfer", "F5", SDL_SCANCODE_F5, false, Action::transfer, on && has && !m.transfer_target.empty(), ButtonKind::secondary},
      {"counter.park", "counter.action.park", "F6", SDL_SCANCODE_F6, false, Action::park, on && has && !m.park_reason.empty(), ButtonKind::secondary},
      {"counter.forward", "counter.action.forward", "F8", SDL_SCANCODE_F8, false, Action::forward, on && has && v.visitor->forwardable, ButtonKind::secondary},
      {"counter.pause", paused ? "counter.action.resume" : "counter.action.pause", "F9", SDL_SCANCODE_F9, false, paused ? Action::resume : Action::pause, on && !has, ButtonKind::quiet},
      {"counter.logout", "counter.action.logout", "F10", SDL_SCANCODE_F10, false, Action::logout, on && !has, ButtonKind::quiet},
  };
  for (int i = 0; i < 10; ++i) {
    const Btn& b = btns[i];
    Rect cell = ui::grid_cell(actions, 5, 2, f.px(12), i);
    bool clicked = ui::touch_button(f, b.id, parts::with_key(f, b.label, b.key), cell,
                                    ButtonOptions{.kind = b.kind, .enabled = b.enabled,
                                                  .font = FontRole::small});
    if ((clicked || (b.enabled && parts::key(b.sc, b.ctrl))) && out.action == Action::none)
      out = Intent{b.a};
  }

  // Top of the work area: the panic button (never disabled while logged in) and what became
  // of the cases this counter handed to the back office.
  Rect top = body.take_top(f.px(56), gap);
  Rect panic = top.take_right(f.px(330), gap);
  if (ui::touch_button(f, "counter.panic", parts::with_key(f, "counter.action.panic", "Strg+F12"),
                       panic, ButtonOptions{.kind = ButtonKind::danger, .enabled = v.online,
                                            .font = FontRole::small}) ||
      parts::key(SDL_SCANCODE_F12, true))
    out = Intent{Action::panic};
  std::string cases;
  for (const auto& c : v.my_cases) {
    if (!cases.empty()) cases += " · ";
    cases += c.number + " " + std::string(f.t("counter.case_state." + c.state));
    if (c.state == "returned" && !c.question.empty()) cases += ": " + c.question;
  }
  if (!cases.empty())
    parts::small(f, top.inset(0, (top.h - f.font_size(FontRole::small)) / 2),
                 std::string(f.t("counter.my_cases")) + " " + cases, false, "counter.my_cases");

  // Work area above the actions: visitor card, then notes / outcome / transfer / park.
  Rect tools = body.take_bottom(f.px(250), gap);
  draw_visitor(f, v, body);

  Rect notes = tools.take_left(tools.w * 0.5f, gap);
  parts::small(f, notes.take_top(f.px(30), f.px(4)), f.t("counter.notes.title"));
  Rect outcome_row = notes.take_bottom(f.px(56), f.px(8));
  parts::text_area(f, "counter.notes", f.t("counter.notes.hint"), m.notes, notes);
  const char* outcomes[] = {"erledigt", "Unterlagen fehlen", "abgelehnt"};
  const char* outcome_keys[] = {"counter.outcome.done", "counter.outcome.missing", "counter.outcome.rejected"};
  for (int i = 0; i < 3; ++i)
    if (ui::touch_button(f, std::string("counter.outcome.") + std::to_string(i), f.t(outcome_keys[i]),
                         ui::column(outcome_row, 3, f.px(8), i),
                         ButtonOptions{.kind = ButtonKind::quiet, .selected = m.outcome == outcomes[i],
                                       .font = FontRole::small}))
      m.outcome = outcomes[i];

  // Transfer target (service or named counter) and park reason.
  parts::small(f, tools.take_top(f.px(30), f.px(4)), f.t("counter.transfer.title"));
  Rect combo = tools.take_top(f.px(56), f.px(12));
  std::string current = f.t("counter.transfer.choose").data();
  for (const auto& [id, name] : v.transfer_services)
    if (m.transfer_kind == "service" && id == m.transfer_target) current = name;
  for (const auto& [id, name] : v.transfer_counters)
    if (m.transfer_kind == "counter" && id == m.transfer_target) current = "→ " + name;
  ImGui::SetCursorScreenPos(combo.min());
  ImGui::PushFont(f.font(FontRole::body));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(f.px(14), (combo.h - f.font_size(FontRole::body)) / 2));
  ImGui::SetNextItemWidth(combo.w);
  if (ImGui::BeginCombo("##counter.transfer.target", current.c_str())) {
    for (const auto& [id, name] : v.transfer_services)
      if (ImGui::Selectable(name.c_str(), m.transfer_kind == "service" && id == m.transfer_target)) {
        m.transfer_kind = "service";
        m.transfer_target = id;
      }
    ImGui::Separator();
    for (const auto& [id, name] : v.transfer_counters)
      if (ImGui::Selectable(("→ " + name).c_str(), m.transfer_kind == "counter" && id == m.transfer_target)) {
        m.transfer_kind = "counter";
        m.transfer_target = id;
      }
    ImGui::EndCombo();
  }
  ImGui::PopStyleVar();
  ImGui::PopFont();
  parts::small(f, tools.take_top(f.px(30), f.px(4)), f.t("counter.park.title"));
  Rect reason = tools.take_top(f.px(56), f.px(8));
  parts::text_field(f, "counter.park.reason", f.t("counter.park.hint"), m.park_reason, reason);
  const char* presets[] = {"counter.park.plates", "counter.park.documents", "counter.park.payment"};
  for (int i = 0; i < 3; ++i)
    if (ui::touch_button(f, std::string("counter.park.preset.") + std::to_string(i), f.t(presets[i]),
                         ui::column(tools, 3, f.px(8), i),
                         ButtonOptions{.kind = ButtonKind::quiet, .font = FontRole::small}))
      m.park_reason = f.t(presets[i]);
  return out;
}

}  // namespace wm::counter
