// Login: counter choice (counter mode), login and PIN; Enter logs in.
#include <imgui.h>

#include "counter/view_parts.hpp"
#include "counter/views.hpp"

namespace wm::counter {

using ui::FontRole;
using ui::Rect;

Intent draw_login(ui::Frame& f, const CounterView& v, CounterModel& m) {
  Intent out;
  Rect screen = f.viewport();
  screen = parts::header(f, v, f.t("counter.title"), screen);
  Rect body = parts::status_line(f, v, screen.inset(f.px(24), f.px(12)));
  const float w = std::min(body.w, f.px(760));
  Rect box{body.x + (body.w - w) / 2, body.y + f.px(30), w, f.px(600)};
  parts::card(f, box);
  Rect in = box.inset(f.px(36), f.px(30));
  const bool backoffice = m.backoffice();
  ui::text_wrapped(f, in.take_top(f.font_size(FontRole::title) * 1.3f, f.px(20)),
                   f.t(backoffice ? "counter.login.title_backoffice" : "counter.login.title"),
                   FontRole::title, ui::Align::left, std::nullopt, "counter.login.heading", 1);
  const float fh = f.px(64);
  if (!backoffice) {
    parts::small(f, in.take_top(f.px(30), f.px(4)), f.t("counter.login.counter"));
    Rect combo = in.take_top(fh, f.px(18));
    std::string current = v.counter_name.empty() ? m.counter_choice : v.counter_name + " · " + v.office_name;
    ImGui::SetCursorScreenPos(combo.min());
    ImGui::PushFont(f.font(FontRole::body));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding,
                        ImVec2(f.px(14), (fh - f.font_size(FontRole::body)) / 2));
    ImGui::SetNextItemWidth(combo.w);
    if (ImGui::BeginCombo("##counter.login.counter", current.c_str())) {
      for (const auto& [id, name] : v.counters)
        if (ImGui::Selectable(name.c_str(), id == m.counter_choice)) m.counter_choice = id;
      ImGui::EndCombo();
    }
    ImGui::PopStyleVar();
    ImGui::PopFont();
  }
  parts::small(f, in.take_top(f.px(30), f.px(4)), f.t("counter.login.user"));
  bool enter = parts::text_field(f, "counter.login.user", f.t("counter.login.user_hint"),
                                 m.login_name, in.take_top(fh, f.px(18)), false,
                                 ImGui::GetFrameCount() < 3);
  parts::small(f, in.take_top(f.px(30), f.px(4)), f.t("counter.login.secret"));
  enter |= parts::text_field(f, "counter.login.secret", f.t("counter.login.secret_hint"),
                             m.login_secret, in.take_top(fh, f.px(28)), true);
  Rect btn = in.take_top(f.px(80));
  if (ui::touch_button(f, "counter.login.submit", parts::with_key(f, "counter.login.submit", "Enter"),
                       btn, ui::ButtonOptions{.enabled = v.online && !v.busy}) ||
      enter)
    out.action = Action::login;
  return out;
}

Intent draw_screen(ui::Frame& f, const CounterView& v, CounterModel& m) {
  switch (v.mode) {
    case Mode::login: return draw_login(f, v, m);
    case Mode::counter: return draw_counter(f, v, m);
    case Mode::backoffice: return draw_backoffice(f, v, m);
  }
  return {};
}

}  // namespace wm::counter
