// The kiosk's screens: each draws from the view-model and reports the visitor's intents.
#pragma once

#include <string>

#include "kiosk/kiosk_app/kiosk_model.hpp"
#include "kiosk/kiosk_app/kiosk_view.hpp"
#include "ui/frame.hpp"

namespace wm::kiosk {

// Entry state of on-screen inputs (the keypad's code, the barcode scanner's line). Like the
// text of an input field it belongs to the widget, not to a decision; the app clears it when
// the model resets.
struct KioskInput {
  std::string code;
  std::string scan;
  int page = 0;  // of the service tiles when they need more than one page
};

// Draws the current screen (header, body, footer with back / start over / language /
// large text / high contrast) and returns what the visitor asked for.
Intents draw_kiosk(ui::Frame& f, const KioskView& v, KioskInput& input);

// Per screen; `body` is what the chrome left.
void draw_language(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in);
void draw_services(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in, bool second,
                   int& page);
void draw_appointment(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in,
                      KioskInput& input);
void draw_consent(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in);
void draw_id_scan(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in);
void draw_id_confirm(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in);
void draw_summary(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in);
void draw_progress(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in);
void draw_done(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in);
void draw_print_failed(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in);
void draw_unavailable(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in);
void draw_returned(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in);
void draw_closed(ui::Frame& f, const KioskView& v, ui::Rect body, Intents& in);
// Over any screen while the idle reset is near (v.idle_warning): replaces its intents.
void draw_idle_warning(ui::Frame& f, const KioskView& v, Intents& in);

// Shared bits of the screens.
// The top of the first screen (and of the closed screen that takes its place): the languages
// in their own names, the large-text and high-contrast switches, then `title` (beside the
// switches in landscape when it fits; none if empty). Cut from the top of `body`.
void start_bar(ui::Frame& f, ui::Rect& body, Intents& in, std::string_view title,
               std::string_view title_id);
bool is_portrait(const ui::Frame& f);
float title_height(ui::Frame& f);
// A screen title (title font, one or two lines) cut from the top of `body`.
void screen_title(ui::Frame& f, ui::Rect& body, std::string_view text, std::string_view id,
                  int lines = 2);
// A paragraph cut from the top of `body`, as high as the wrapped text needs.
void paragraph(ui::Frame& f, ui::Rect& body, std::string_view text, std::string_view id,
               ui::FontRole role = ui::FontRole::body,
               std::optional<ImU32> color = std::nullopt, int max_lines = 6);
std::string minutes_text(ui::Frame& f, const std::optional<int>& minutes);
// "heute um 13:00 Uhr", "morgen um 08:00 Uhr", "am Montag, 14.12., um 08:00 Uhr" in the
// visitor's language; empty without a time.
std::string opening_text(ui::Frame& f, core::Millis now, const std::optional<core::Millis>& at);

}  // namespace wm::kiosk
