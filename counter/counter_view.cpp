// The counter station: my queue (left), the current visitor and every action (right).
#include <SDL.h>
#include <imgui.h>

#include "core/calling.hpp"
#include "core/i18n/dates.hpp"
#include "core/i18n/languages.hpp"
#include "counter/view_parts.hpp"
#include "counter/views.hpp"
#include "ui/traffic_light.hpp"

namespace wm::counter {

using ui::ButtonKind;
using ui::ButtonOptions;
using ui::FontRole;
using ui::Rect;

namespace {

// Width of the widest of `labels` in `role`: the columns of the outcome and park groups are as
// wide as their longest label in this language (plus a button's padding), so no label ever
// has to shrink.
float widest(ui::Frame& f, FontRole role, std::initializer_list<std::string_view> labels) {
  float w = 0;
  for (auto l : labels)
    w = std::max(w, f.font(role)->CalcTextSizeA(f.font_size(role), FLT_MAX, 0, l.data(),
                                                l.data() + l.size()).x);
  return w;
}

void draw_queue(ui::Frame& f, const CounterView& v, Rect r, CounterModel& m, Intent& out) {
  const float gap = f.px(8);
  // The title with the queue's traffic light (the worst of its services) in shape and word,
  // drawn as the dashboard draws it.
  Rect title = r.take_top(f.font_size(FontRole::heading) * 1.35f, f.px(6));
  const std::string word = ui::light_word(f, v.queue_light);
  const float word_w = f.font(FontRole::body_bold)->CalcTextSizeA(
      f.font_size(FontRole::body_bold), FLT_MAX, 0, word.c_str()).x + f.px(8);
  const float radius = f.px(14);
  Rect light = title.take_right(word_w + 2 * radius + f.px(12), f.px(12));
  ui::draw_light(f, v.queue_light, {light.x + radius, light.y + light.h / 2}, radius,
                 "counter.queue.light");
  Rect word_box{light.x + 2 * radius + f.px(12), light.y, word_w, light.h};
  ui::text_wrapped(f, word_box.inset(0, (light.h - f.font_size(FontRole::body_bold)) / 2), word,
                   FontRole::body_bold, ui::Align::left, std::nullopt, "counter.queue.light.word", 1);
  ui::text_wrapped(f, title, f.t("counter.queue.title"), FontRole::heading, ui::Align::left,
                   std::nullopt, "counter.queue.title", 1);
  // Per service of my profile: its light, waiting, longest wait, estimate for a newcomer.
  const float row_h = f.font_size(FontRole::small) * 1.6f;
  const float mark = f.px(30);  // room for the light's shape before the service name
  Rect head = r.take_top(row_h);
  auto cols = [&](Rect line, std::string_view a, std::string_view b, std::string_view c,
                  std::string_view d, bool muted, const std::string& id) {
    Rect c1 = line.take_left(line.w * 0.46f), c2 = line.take_left(line.w * 0.22f),
         c3 = line.take_left(line.w * 0.5f);
    c1.take_left(mark);
    parts::small(f, c1, a, muted, id.empty() ? id : id + ".name");
    parts::small(f, c2, b, muted, id.empty() ? id : id + ".waiting");
    parts::small(f, c3, c, muted, id.empty() ? id : id + ".longest");
    parts::small(f, line, d, muted, id.empty() ? id : id + ".estimate");
  };
  cols(head, f.t("counter.queue.service"), f.t("counter.queue.waiting"),
       f.t("counter.queue.longest"), f.t("counter.queue.estimate"), true, {});
  for (const auto& q : v.queue) {
    Rect line = r.take_top(row_h);
    const std::string id = "counter.queue." + q.service;
    ui::draw_light(f, q.light, {line.x + f.px(11), line.y + line.h * 0.45f}, f.px(9), id + ".light");
    cols(line, q.name, std::to_string(q.waiting), q.waiting ? parts::wait_text(f, q.longest_ms) : "–",
         q.estimate_ms ? parts::estimate_text(f, *q.estimate_ms) : f.t("counter.queue.no_estimate"),
         false, id);
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
  if (v.reason_needed) {
    // Fair calling: this office calls in order; say who is next and ask why this one.
    const auto& [number, next] = *v.reason_needed;
    const std::string ask = f.t("counter.reason.ask", {{"number", number}, {"next", next}});
    const float text_h = ui::text_height(f, ask, FontRole::body, r.w - f.px(32));
    const int choices = static_cast<int>(core::kCallReasons.size()) + 1;  // and "do not call"
    Rect card = r.take_top(std::min(r.h, text_h + f.px(10) + choices * f.px(56) + f.px(24)));
    parts::card(f, card);
    Rect in = card.inset(f.px(16), f.px(12));
    ui::text_wrapped(f, in.take_top(ui::text_height(f, ask, FontRole::body, in.w), f.px(10)), ask,
                     FontRole::body, ui::Align::left, std::nullopt, "counter.reason.ask", 3);
    for (auto reason : core::kCallReasons) {
      const std::string key = "counter.reason." + std::string(reason);
      if (ui::touch_button(f, key, f.t(key), in.take_top(f.px(48), f.px(8)),
                           ButtonOptions{.kind = ButtonKind::secondary, .enabled = v.online,
                                         .font = FontRole::small, .max_lines = 1}))
        out = Intent{Action::call_with_reason, number, std::string(reason)};
    }
    if (ui::touch_button(f, "counter.reason.cancel", f.t("counter.reason.cancel"),
                         in.take_top(f.px(48)),
                         ButtonOptions{.kind = ButtonKind::quiet, .font = FontRole::small, .max_lines = 1}))
      out = Intent{Action::cancel_call};
    return;
  }
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

// One ID field: small label, the value at body size, a copy button; label and button columns
// as wide as this language needs, so the value (a long name) keeps the rest.
struct CopyColumns {
  float label_w, button_w;
};

void copy_row(ui::Frame& f, Rect& r, const CopyColumns& cols, std::string_view id,
              std::string_view label, const std::string& value) {
  Rect line = r.take_top(f.px(44), f.px(4));
  Rect btn = line.take_right(cols.button_w, f.px(8));
  Rect l = line.take_left(cols.label_w, f.px(8));
  parts::small(f, l.inset(0, (l.h - f.font_size(FontRole::small)) / 2), label);
  ui::text_wrapped(f, line.inset(0, (line.h - f.font_size(FontRole::body)) / 2), value,
                   FontRole::body_bold, ui::Align::left, std::nullopt, std::string(id) + ".value", 1);
  if (ui::touch_button(f, id, f.t("counter.id.copy"), btn,
                       ButtonOptions{.kind = ButtonKind::quiet, .font = FontRole::small,
                                     .max_lines = 1}))
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
  Rect left = in.take_left(in.w * 0.46f, f.px(24));
  // Number and state on one line: the card must leave room for every row below at body size
  // (the 200 px number used to push "Sprache" and "Termin" out of the card).
  Rect top = left.take_top(f.font_size(FontRole::title) * 1.25f, f.px(10));
  const float num_w = f.font(FontRole::title)->CalcTextSizeA(
      f.font_size(FontRole::title), FLT_MAX, 0, vis.number.c_str()).x + f.px(8);
  Rect num = top.take_left(std::min(num_w, top.w * 0.45f), f.px(20));
  ui::text_wrapped(f, num, vis.number, FontRole::title, ui::Align::left, f.colors().accent,
                   "counter.visitor.number", 1);
  std::string state = vis.state == "serving" ? std::string(f.t("counter.visitor.serving"))
                      : vis.recalls > 0
                          ? f.t("counter.visitor.recalled", {{"n", std::to_string(vis.recalls)},
                                                              {"max", std::to_string(vis.recall_limit)}})
                          : std::string(f.t("counter.visitor.called"));
  // Bold body text on up to two lines beside the number: "Aufgerufen – kommt zum Schalter"
  // in a heading font had to shrink there.
  const ui::TextLayout lay = ui::fit_text(f.font(FontRole::body_bold), f.font_size(FontRole::body_bold),
                                          state, top.size(), {.max_lines = 2, .min_scale = 1.0f});
  ui::text_wrapped(f, top.inset(0, std::max(0.f, (top.h - lay.extent.y) / 2)), state,
                   FontRole::body_bold, ui::Align::left, std::nullopt, "counter.visitor.state", 2);
  // The label column as wide as the longest label shown, in this language.
  const float lw = std::min(left.w * 0.45f,
                            widest(f, FontRole::body, {f.t("counter.visitor.services"),
                                                       f.t("counter.visitor.waited"),
                                                       vis.next_recall.empty() ? "" : f.t("counter.visitor.next_recall"),
                                                       vis.state == "serving" ? f.t("counter.visitor.served") : "",
                                                       f.t("counter.visitor.language"),
                                                       f.t("counter.visitor.appointment")}) + f.px(16));
  std::string services;
  for (std::size_t i = 0; i < vis.services.size(); ++i) services += (i ? " → " : "") + vis.services[i];
  parts::label_value(f, left, f.t("counter.visitor.services"), services, lw, "counter.visitor.services");
  parts::label_value(f, left, f.t("counter.visitor.waited"), parts::wait_text(f, vis.waited_ms), lw,
                     "counter.visitor.waited");
  if (!vis.next_recall.empty())
    parts::label_value(f, left, f.t("counter.visitor.next_recall"), vis.next_recall, lw,
                       "counter.visitor.next_recall");
  if (vis.state == "serving")
    parts::label_value(f, left, f.t("counter.visitor.served"), parts::wait_text(f, vis.served_ms), lw,
                       "counter.visitor.served");
  const i18n::Language* lang = i18n::find_language(vis.language);
  parts::label_value(f, left, f.t("counter.visitor.language"),
                     lang ? std::string(lang->native_name) : vis.language, lw,
                     "counter.visitor.language");
  parts::label_value(f, left, f.t("counter.visitor.appointment"),
                     vis.appointment.empty() ? std::string(f.t("counter.visitor.no_appointment"))
                                             : vis.appointment, lw, "counter.visitor.appointment");

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
  // Dates as the staff member's language writes them; the copy button copies that form too,
  // which is what German specialist software expects in a German session.
  const CopyColumns cols{
      widest(f, FontRole::small, {f.t("counter.id.name"), f.t("counter.id.birth_date"),
                                  f.t("counter.id.nationality"), f.t("counter.id.document"),
                                  f.t("counter.id.expiry")}) + f.px(8),
      widest(f, FontRole::small, {f.t("counter.id.copy")}) + f.px(2 * 20 + 4)};
  copy_row(f, in, cols, "counter.id.copy.name", f.t("counter.id.name"), name);
  copy_row(f, in, cols, "counter.id.copy.birth", f.t("counter.id.birth_date"),
           i18n::format_date(get("birth_date"), f.lang()));
  copy_row(f, in, cols, "counter.id.copy.nationality", f.t("counter.id.nationality"), get("nationality"));
  copy_row(f, in, cols, "counter.id.copy.document", f.t("counter.id.document"), get("document_number"));
  copy_row(f, in, cols, "counter.id.copy.expiry", f.t("counter.id.expiry"),
           i18n::format_date(get("expiry"), f.lang()));
}

}  // namespace

namespace {

// Bottom of the work area: notes and transfer target (left), the outcome group (middle), the
// park group (right). Outcome and park reason are separate, labelled groups at body size: one
// row of look-alike small buttons made "Unterlagen fehlen" and "Unterlagen holen" neighbours.
void draw_tools(ui::Frame& f, const CounterView& v, CounterModel& m, Rect tools) {
  const bool has = v.visitor.has_value();
  const float gap = f.px(24), bh = f.font_size(FontRole::body) + f.px(22), bgap = f.px(8);
  const ButtonOptions choice{.kind = ButtonKind::quiet, .enabled = has, .font = FontRole::body,
                             .max_lines = 1, .min_scale = 1.0f};
  const char* outcomes[] = {"erledigt", "Unterlagen fehlen", "abgelehnt"};
  const char* outcome_keys[] = {"counter.outcome.done", "counter.outcome.missing", "counter.outcome.rejected"};
  const char* presets[] = {"counter.park.plates", "counter.park.documents", "counter.park.payment"};
  const float pad = f.px(2 * 20 + 8);  // touch_button's inner margins, and a little air
  const float outcome_w = std::max(
      widest(f, FontRole::body, {f.t(outcome_keys[0]), f.t(outcome_keys[1]), f.t(outcome_keys[2])}) + pad,
      widest(f, FontRole::body_bold, {f.t("counter.outcome.title")}) + f.px(8));
  const float park_w = std::max(
      widest(f, FontRole::body, {f.t(presets[0]), f.t(presets[1]), f.t(presets[2])}) + pad,
      widest(f, FontRole::body_bold, {f.t("counter.park.title")}) + f.px(8));
  Rect park = tools.take_right(park_w, gap);
  Rect outcome = tools.take_right(outcome_w, gap);

  // Outcome: one of three, the chosen one filled; it is sent with "Abschließen".
  parts::group_title(f, outcome, f.t("counter.outcome.title"), "counter.outcome.title");
  for (int i = 0; i < 3; ++i) {
    ButtonOptions o = choice;
    o.selected = has && m.outcome == outcomes[i];
    if (ui::touch_button(f, std::string("counter.outcome.") + std::to_string(i), f.t(outcome_keys[i]),
                         outcome.take_top(bh, bgap), o))
      m.outcome = outcomes[i];
  }

  // Park: a reason, typed or one of three presets; "Parken" (F6) sends it.
  parts::group_title(f, park, f.t("counter.park.title"), "counter.park.title");
  parts::text_field(f, "counter.park.reason", f.t("counter.park.hint"), m.park_reason,
                    park.take_top(bh, f.px(12)));
  for (int i = 0; i < 3; ++i)
    if (ui::touch_button(f, std::string("counter.park.preset.") + std::to_string(i), f.t(presets[i]),
                         park.take_top(bh, bgap), choice))
      m.park_reason = f.t(presets[i]);

  // Transfer target (service or named counter) at the bottom left, notes above it.
  Rect combo = tools.take_bottom(bh);
  Rect transfer_title = tools.take_bottom(f.font_size(FontRole::body_bold) * 1.3f + f.px(6), f.px(12));
  parts::group_title(f, transfer_title, f.t("counter.transfer.title"), "counter.transfer.title");
  std::string current = f.t("counter.transfer.choose").data();
  for (const auto& [id, name] : v.transfer_services)
    if (m.transfer_kind == "service" && id == m.transfer_target) current = name;
  for (const auto& [id, name] : v.transfer_counters)
    if (m.transfer_kind == "counter" && id == m.transfer_target) current = "→ " + name;
  ImGui::SetCursorScreenPos(combo.min());
  ImGui::PushFont(f.font(FontRole::body));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(f.px(14), (combo.h - f.font_size(FontRole::body)) / 2));
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, f.theme().border);
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
  ImGui::PopStyleVar(2);
  ImGui::PopFont();
  parts::group_title(f, tools, f.t("counter.notes.title"), "counter.notes.title");
  parts::text_area(f, "counter.notes", f.t("counter.notes.hint"), m.notes, tools);
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

  // Actions at the bottom: two rows of five, each with its shortcut. One primary at a time,
  // the step the visitor's state asks for: call (F1), then "Kunde da" (F4), then finish and
  // call the next one (F1 again), so a whole day runs on F1 and F4.
  Rect actions = body.take_bottom(f.px(168), gap);
  const bool on = v.online && !v.busy;
  const bool has = v.visitor.has_value();
  const bool called = has && v.visitor->state == "called";
  const bool serving = has && v.visitor->state == "serving";
  const bool paused = v.counter_state == "paused";
  const Action step = primary_action(v);
  auto kind = [&](Action a) { return a == step ? ButtonKind::primary : ButtonKind::secondary; };
  const ButtonKind secondary = ButtonKind::secondary;
  struct Btn { const char* id; const char* label; const char* key; SDL_Scancode sc; bool ctrl; Action a; bool enabled; ButtonKind kind; };
  const Btn btns[] = {
      has ? Btn{"counter.finish_next", "counter.action.finish_next", "F1", SDL_SCANCODE_F1, false, Action::finish_next, on && serving && !paused, kind(Action::finish_next)}
          : Btn{"counter.next", "counter.action.next", "F1", SDL_SCANCODE_F1, false, Action::next, on && !paused, kind(Action::next)},
      {"counter.start", "counter.action.start", "F4", SDL_SCANCODE_F4, false, Action::start, on && called, kind(Action::start)},
      {"counter.recall", "counter.action.recall", "F2", SDL_SCANCODE_F2, false, Action::recall, on && called, secondary},
      {"counter.no_show", "counter.action.no_show", "F3", SDL_SCANCODE_F3, false, Action::no_show, on && called, secondary},
      {"counter.finish", "counter.action.finish", "F7", SDL_SCANCODE_F7, false, Action::finish, on && has, secondary},
      {"counter.transfer", "counter.action.transfer", "F5", SDL_SCANCODE_F5, false, Action::transfer, on && has && !m.transfer_target.empty(), secondary},
      {"counter.park", "counter.action.park", "F6", SDL_SCANCODE_F6, false, Action::park, on && has && !m.park_reason.empty(), secondary},
      {"counter.forward", "counter.action.forward", "F8", SDL_SCANCODE_F8, false, Action::forward, on && has && v.visitor->forwardable, secondary},
      {"counter.pause", paused ? "counter.action.resume" : "counter.action.pause", "F9", SDL_SCANCODE_F9, false, paused ? Action::resume : Action::pause, on && !has, kind(paused ? Action::resume : Action::pause)},
      {"counter.logout", "counter.action.logout", "F10", SDL_SCANCODE_F10, false, Action::logout, on && !has, secondary},
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
  Rect tools = body.take_bottom(f.px(292), f.px(20));
  draw_visitor(f, v, body);
  draw_tools(f, v, m, tools);
  return out;
}

}  // namespace wm::counter
