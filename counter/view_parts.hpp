// Drawing pieces the counter screens share: header, status line, text fields, shortcuts.
#pragma once

#include <SDL.h>

#include <string>
#include <string_view>

#include "counter/counter_model.hpp"
#include "ui/frame.hpp"
#include "ui/widgets.hpp"

namespace wm::counter::parts {

// A time that has passed, "12 Min." / "1 Std. 05 Min." via the catalog, in whole minutes cut
// down (core::elapsed_minutes, as the dashboard shows it).
std::string wait_text(ui::Frame& f, Millis ms);
// An estimate: core::wait_minutes_for_display, the number on the visitor's ticket.
std::string estimate_text(ui::Frame& f, Millis ms);
// Top bar: title left, staff and clock right; returns the rest of the screen.
ui::Rect header(ui::Frame& f, const CounterView& v, std::string_view title, ui::Rect screen);
// Offline banner and the last message; returns the rest.
ui::Rect status_line(ui::Frame& f, const CounterView& v, ui::Rect body);
// A labelled single-line text field bound to `value`; registered as a field for tests.
// Returns true when Enter was pressed in it.
bool text_field(ui::Frame& f, std::string_view id, std::string_view hint, std::string& value,
                const ui::Rect& r, bool password = false, bool focus = false);
bool text_area(ui::Frame& f, std::string_view id, std::string_view hint, std::string& value,
               const ui::Rect& r);
// A section title in heading font; returns the rest of `r`.
ui::Rect section(ui::Frame& f, ui::Rect& r, std::string_view title);
void card(ui::Frame& f, const ui::Rect& r);
// "Anliegen   Fahrzeug umschreiben" on one line; `id` registers the value (a row pushed out
// of its card then reads as overflowing in tests).
void label_value(ui::Frame& f, ui::Rect& r, std::string_view label, std::string_view value,
                 float label_w, std::string_view id = {});
// A group's title above its controls, at body size ("Ergebnis", "Parken mit Grund").
void group_title(ui::Frame& f, ui::Rect& r, std::string_view title, std::string_view id);
// A key pressed this frame (with Ctrl if asked), not while a modifier-less key goes to a field.
bool key(SDL_Scancode sc, bool ctrl = false);
// "Nächster Kunde (F1)".
std::string with_key(ui::Frame& f, std::string_view label_key, std::string_view key);
// Small muted text, single line, left aligned.
void small(ui::Frame& f, const ui::Rect& r, std::string_view text, bool muted = true,
           std::string_view id = {});

}  // namespace wm::counter::parts
