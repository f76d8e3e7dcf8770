// What every kiosk screen shares: header, offline banner, footer, scanner input, dispatch.
#include <imgui.h>

#include "kiosk/kiosk_app/kiosk_screens.hpp"
#include "ui/widgets.hpp"

namespace wm::kiosk {

using namespace wm::ui;

bool is_portrait(const Frame& f) { return f.viewport().h >= f.viewport().w; }

float title_height(Frame& f) { return f.font_size(FontRole::title) * 1.3f; }

void screen_title(Frame& f, Rect& body, std::string_view text, std::string_view id, int lines) {
  const float w = body.w;
  float h = std::min(text_height(f, text, FontRole::title, w), title_height(f) * lines);
  h = std::max(h, title_height(f));
  text_wrapped(f, body.take_top(h, f.theme().gap), text, FontRole::title, Align::left,
               std::nullopt, id, lines);
}

void paragraph(Frame& f, Rect& body, std::string_view text, std::string_view id, FontRole role,
               std::optional<ImU32> color, int max_lines) {
  const float line = f.font_size(role) * 1.25f;
  float h = std::min(text_height(f, text, role, body.w) + f.px(4), line * max_lines);
  text_wrapped(f, body.take_top(h, f.theme().gap), text, role, Align::left, color, id,
               max_lines);
}

std::string minutes_text(Frame& f, const std::optional<int>& minutes) {
  if (!minutes) return std::string(f.t("kiosk.no_counter_open"));
  return f.t("kiosk.about_minutes", {{"n", std::to_string(*minutes)}});
}

namespace {

void header(Frame& f, const KioskView& v, Rect r) {
  const Palette& c = f.colors();
  f.draw_list()->AddRectFilled(r.min(), r.max(), c.header);
  if (f.theme().high_contrast)
    f.draw_list()->AddLine(ImVec2(r.x, r.y + r.h), ImVec2(r.x + r.w, r.y + r.h), c.border,
                           f.theme().border);
  Rect inner = r.inset(f.theme().margin, 0);
  text_wrapped(f, inner.inset(0, (inner.h - f.font_size(FontRole::heading) * 1.2f) / 2),
               v.office_name, FontRole::heading, Align::left, c.on_header, "kiosk.office", 1);
}

struct FooterButtons {
  bool back = true;
  bool start_over = true;
};

FooterButtons footer_buttons(Screen s) {
  switch (s) {
    case Screen::services:
    case Screen::closed: return {false, false};  // these screens have their own layout
    case Screen::busy:
    case Screen::printing: return {false, false};
    case Screen::done:
    case Screen::print_failed:
    case Screen::unavailable:
    case Screen::returned:
    case Screen::id_confirm: return {false, true};
    case Screen::language: return {true, false};
    default: return {true, true};
  }
}

// Back, start over, language on one row; large text and high contrast on another (portrait)
// or the same row (landscape).
Rect footer(Frame& f, const KioskView& v, Rect body, Intents& in) {
  const Theme& th = f.theme();
  const bool portrait = is_portrait(f);
  const float row_h = std::max(th.touch_min, f.font_size(FontRole::body_bold) * 2.6f);
  FooterButtons b = footer_buttons(v.screen);
  // The tile screen needs every pixel: one row there (in portrait with normal text), without
  // "start over" ("back" returns to the summary, nothing is lost), two rows elsewhere.
  const bool tiles = v.screen == Screen::second_service;
  // With large text the switches' labels need a row of their own.
  const bool one_row = !portrait || (tiles && !th.large_text);
  if (tiles) b.start_over = false;
  Rect area = body.take_bottom(one_row ? row_h : row_h * 2 + th.gap, th.gap * 1.5f);
  Rect a11y = one_row ? area.take_right(area.w * (tiles && portrait ? 0.5f : 0.4f), th.gap)
                      : area.take_bottom(row_h, th.gap);
  accessibility_toggles(f, "kiosk.a11y", a11y);
  const int n = b.start_over ? 3 : 2;
  int slot = 0;
  if (b.back && touch_button(f, "kiosk.back", f.t("common.back"), column(area, n, th.gap, slot),
                             {.kind = ButtonKind::secondary}))
    in.back = true;
  ++slot;
  if (b.start_over &&
      touch_button(f, "kiosk.start_over", f.t("common.start_over"), column(area, n, th.gap, slot++),
                   {.kind = ButtonKind::secondary}))
    in.start_over = true;
  if (v.screen != Screen::language && v.screen != Screen::busy &&
      touch_button(f, "kiosk.language", f.t("kiosk.language_button"),
                   column(area, n, th.gap, slot), {.kind = ButtonKind::secondary}))
    in.open_language = true;
  return body;
}

// A barcode scanner is a USB keyboard: it types the QR content and presses Enter.
void scanner(Frame& f, KioskInput& input, Intents& in) {
  (void)f;
  ImGuiIO& io = ImGui::GetIO();
  for (ImWchar ch : io.InputQueueCharacters) {
    if (ch == '\r' || ch == '\n') {
      if (!input.scan.empty()) in.scanned = input.scan;
      input.scan.clear();
    } else if (ch >= 0x20 && ch < 0x7f && input.scan.size() < 256) {
      input.scan.push_back(char(ch));
    }
  }
  if ((ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
       ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false)) &&
      !input.scan.empty()) {
    in.scanned = input.scan;
    input.scan.clear();
  }
}

}  // namespace

Intents draw_kiosk(Frame& f, const KioskView& v, KioskInput& input) {
  Intents in;
  Rect screen = f.viewport();
  header(f, v, screen.take_top(f.px(120)));
  if (!v.online)
    banner(f, "kiosk.offline", f.t("kiosk.offline_banner"), screen.take_top(f.px(80)),
           Severity::warning, true);
  Rect body = screen.inset(f.theme().margin, f.theme().margin * 0.75f);
  if (v.screen != Screen::services && v.screen != Screen::closed) body = footer(f, v, body, in);
  switch (v.screen) {
    case Screen::language: draw_language(f, v, body, in); break;
    case Screen::services: draw_services(f, v, body, in, false, input.page); break;
    case Screen::second_service: draw_services(f, v, body, in, true, input.page); break;
    case Screen::appointment: draw_appointment(f, v, body, in, input); break;
    case Screen::consent: draw_consent(f, v, body, in); break;
    case Screen::id_scan: draw_id_scan(f, v, body, in); break;
    case Screen::id_confirm: draw_id_confirm(f, v, body, in); break;
    case Screen::summary: draw_summary(f, v, body, in); break;
    case Screen::busy:
    case Screen::printing: draw_progress(f, v, body, in); break;
    case Screen::done: draw_done(f, v, body, in); break;
    case Screen::print_failed: draw_print_failed(f, v, body, in); break;
    case Screen::unavailable: draw_unavailable(f, v, body, in); break;
    case Screen::returned: draw_returned(f, v, body, in); break;
    case Screen::closed: draw_closed(f, v, body, in); break;
  }
  draw_idle_warning(f, v, in);
  scanner(f, input, in);
  if (ImGui::IsMouseClicked(0)) in.activity = true;
  return in;
}

}  // namespace wm::kiosk
