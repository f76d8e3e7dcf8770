// Shared drawing pieces of the counter screens (ImGui text fields themed like the toolkit).
#include "counter/view_parts.hpp"

#include <imgui_stdlib.h>

#include "core/clock.hpp"
#include "core/queries.hpp"
#include "ui/widget_parts.hpp"

namespace wm::counter::parts {

using ui::FontRole;
using ui::Rect;

namespace {

std::string minutes_or_hours(ui::Frame& f, long minutes) {
  if (minutes < 60) return f.t("counter.minutes", {{"n", std::to_string(minutes)}});
  char mm[8];
  std::snprintf(mm, sizeof mm, "%02ld", minutes % 60);
  return f.t("counter.hours_minutes", {{"h", std::to_string(minutes / 60)}, {"m", mm}});
}

}  // namespace

std::string wait_text(ui::Frame& f, Millis ms) {
  const long minutes = core::elapsed_minutes(ms);
  if (minutes < 1) return std::string(f.t("counter.under_a_minute"));
  return minutes_or_hours(f, minutes);
}

std::string estimate_text(ui::Frame& f, Millis ms) {
  return minutes_or_hours(f, core::wait_minutes_for_display(ms));
}

Rect header(ui::Frame& f, const CounterView& v, std::string_view title, Rect screen) {
  Rect r = screen.take_top(f.px(76));
  const auto& c = f.colors();
  f.draw_list()->AddRectFilled(r.min(), r.max(), c.header);
  Rect inner = r.inset(f.px(24), 0);
  Rect clock = inner.take_right(f.px(110));
  std::string hhmm = v.now ? core::local_hhmm(v.now) : std::string();
  ui::text_centered(f, clock, hhmm, FontRole::heading, c.on_header, "counter.clock");
  if (!v.staff_name.empty()) {
    Rect who = inner.take_right(f.px(520), f.px(16));
    ui::text_wrapped(f, who.inset(0, (who.h - f.font_size(FontRole::body)) / 2), v.staff_name,
                     FontRole::body, ui::Align::right, c.on_header, "counter.staff", 1);
  }
  ui::text_wrapped(f, inner.inset(0, (inner.h - f.font_size(FontRole::heading)) / 2), title,
                   FontRole::heading, ui::Align::left, c.on_header, "counter.title", 1);
  return screen;
}

Rect status_line(ui::Frame& f, const CounterView& v, Rect body) {
  if (!v.online) {
    ui::banner(f, "counter.offline", f.t("counter.offline"), body.take_top(f.px(56)),
               ui::Severity::danger, true);
  } else if (!v.message.empty()) {
    ui::banner(f, "counter.message", v.message, body.take_top(f.px(56)),
               v.message_error ? ui::Severity::warning : ui::Severity::success, v.busy);
  } else {
    body.take_top(f.px(56));  // keep the layout still when the line comes and goes
  }
  return body;
}

namespace {
void field_style_push(ui::Frame& f, const Rect& r, bool multiline) {
  const float fs = f.font_size(FontRole::body);
  ImGui::PushFont(f.font(FontRole::body));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding,
                      ImVec2(f.px(14), multiline ? f.px(10) : std::max(2.f, (r.h - fs) / 2)));
  ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, f.px(8));
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, f.theme().border);
  ImGui::PushStyleColor(ImGuiCol_FrameBg, ImGui::ColorConvertU32ToFloat4(f.colors().surface));
  ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(f.colors().border));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(f.colors().text));
  ImGui::SetCursorScreenPos(r.min());
}
void field_style_pop() {
  ImGui::PopStyleColor(3);
  ImGui::PopStyleVar(3);
  ImGui::PopFont();
}
}  // namespace

bool text_field(ui::Frame& f, std::string_view id, std::string_view hint, std::string& value,
                const Rect& r, bool password, bool focus) {
  field_style_push(f, r, false);
  ImGui::SetNextItemWidth(r.w);
  std::string label = "##" + std::string(id), h(hint);
  if (focus) ImGui::SetKeyboardFocusHere();
  ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue;
  if (password) flags |= ImGuiInputTextFlags_Password;
  bool enter = ImGui::InputTextWithHint(label.c_str(), h.c_str(), &value, flags);
  field_style_pop();
  ui::register_widget(f, id, value.empty() ? hint : std::string_view(), r, ui::WidgetKind::field,
                      true, false, true);
  return enter;
}

bool text_area(ui::Frame& f, std::string_view id, std::string_view hint, std::string& value,
               const Rect& r) {
  field_style_push(f, r, true);
  std::string label = "##" + std::string(id);
  bool changed = ImGui::InputTextMultiline(label.c_str(), &value, r.size(),
                                           ImGuiInputTextFlags_None);
  if (value.empty())  // 1.86 has no hint for multiline fields; wrapped, so it stays inside
    ui::text_wrapped(f, r.inset(f.px(14), f.px(10)), hint, FontRole::body, ui::Align::left,
                     f.colors().text_muted, std::string(id) + ".hint", 4);
  field_style_pop();
  ui::register_widget(f, id, {}, r, ui::WidgetKind::field, true, false, true);
  return changed;
}

Rect section(ui::Frame& f, Rect& r, std::string_view title) {
  Rect t = r.take_top(f.font_size(FontRole::heading) * 1.35f, f.px(6));
  ui::text_wrapped(f, t, title, FontRole::heading, ui::Align::left, std::nullopt, {}, 1);
  return r;
}

void card(ui::Frame& f, const Rect& r) {
  const auto& th = f.theme();
  f.draw_list()->AddRectFilled(r.min(), r.max(), th.c.surface, th.rounding);
  f.draw_list()->AddRect(r.min(), r.max(), th.c.border, th.rounding, 0, th.border);
}

void label_value(ui::Frame& f, Rect& r, std::string_view label, std::string_view value,
                 float label_w, std::string_view id) {
  Rect line = r.take_top(f.font_size(FontRole::body) * 1.35f, f.px(2));
  Rect l = line.take_left(label_w, f.px(10));
  ui::text_wrapped(f, l, label, FontRole::body, ui::Align::left, f.colors().text_muted, {}, 1);
  ui::text_wrapped(f, line, value, FontRole::body_bold, ui::Align::left, std::nullopt, id, 1);
}

void group_title(ui::Frame& f, Rect& r, std::string_view title, std::string_view id) {
  ui::text_wrapped(f, r.take_top(f.font_size(FontRole::body_bold) * 1.3f, f.px(6)), title,
                   FontRole::body_bold, ui::Align::left, std::nullopt, id, 1);
}

bool key(SDL_Scancode sc, bool ctrl) {
  const ImGuiIO& io = ImGui::GetIO();
  return ImGui::IsKeyPressed(static_cast<int>(sc), false) && io.KeyCtrl == ctrl;
}

std::string with_key(ui::Frame& f, std::string_view label_key, std::string_view k) {
  return std::string(f.t(label_key)) + "  (" + std::string(k) + ")";
}

void small(ui::Frame& f, const Rect& r, std::string_view text, bool muted, std::string_view id) {
  ui::text_wrapped(f, r, text, FontRole::small, ui::Align::left,
                   muted ? std::optional<ImU32>(f.colors().text_muted) : std::nullopt, id, 1);
}

}  // namespace wm::counter::parts
