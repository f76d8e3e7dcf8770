// Kiosk screens before the summary: the start screen (languages, switches, service tiles), the
// language list, the second-concern tiles, the appointment code.
#include "core/i18n/languages.hpp"
#include "kiosk/kiosk_app/kiosk_screens.hpp"
#include "ui/keypad.hpp"
#include "ui/widgets.hpp"

#include <algorithm>
#include <cfloat>

namespace wm::kiosk {

using namespace wm::ui;

namespace {

// Columns for the language buttons: as many as the widest name (in its own script, at the
// button's font) allows in `width`, so "Українська" never shrinks.
int language_columns(Frame& f, float width) {
  const auto langs = wm::i18n::supported_languages();
  float widest = 0;
  for (const auto& l : langs)
    widest = std::max(widest, f.font(FontRole::body_bold)
                                  ->CalcTextSizeA(f.font_size(FontRole::body_bold), FLT_MAX, 0,
                                                  l.native_name.data(),
                                                  l.native_name.data() + l.native_name.size())
                                  .x);
  const float gap = f.theme().gap;
  const float need = widest + f.px(40) + f.px(16);  // the button's inner margins and some air
  const int n = int(langs.size());
  return std::clamp(int((width + gap) / (need + gap)), 1, n);
}

}  // namespace

void start_bar(Frame& f, Rect& body, Intents& in, std::string_view title,
               std::string_view title_id) {
  const Theme& th = f.theme();
  const bool portrait = is_portrait(f);
  const float row_h = std::max(th.touch_min, f.font_size(FontRole::body_bold) * 2.6f);
  const int n = int(wm::i18n::supported_languages().size());
  const int cols = language_columns(f, body.w);
  const int rows = (n + cols - 1) / cols;
  Rect langs = body.take_top(row_h * rows + th.gap * (rows - 1), th.gap);
  if (auto code = language_buttons(f, "kiosk.lang", langs, cols)) in.language = code;
  // The switches under the languages; in landscape the title shares their row if it fits.
  Rect switches = body.take_top(row_h, th.gap * 1.5f);
  Rect beside{};
  if (!portrait) beside = switches.take_left(switches.w * 0.55f, th.margin);
  accessibility_toggles(f, "kiosk.a11y", switches);
  if (title.empty()) return;
  if (!portrait && text_height(f, title, FontRole::title, beside.w) <= beside.h)
    text_wrapped(f, beside, title, FontRole::title, Align::left, std::nullopt, title_id, 1);
  else
    screen_title(f, body, title, title_id, 2);
}

void draw_language(Frame& f, const KioskView&, Rect body, Intents& in) {
  screen_title(f, body, f.t("common.choose_language"), "kiosk.language.title", 2);
  const int cols = is_portrait(f) ? 1 : 2;
  const float rows = cols == 1 ? 7 : 4;
  const float h = std::min(body.h, (f.theme().touch_min * 1.3f + f.theme().gap) * rows);
  if (auto code = language_buttons(f, "kiosk.lang", body.take_top(h), cols)) in.language = code;
}

void draw_services(Frame& f, const KioskView& v, Rect body, Intents& in, bool second,
                   int& page) {
  const Theme& th = f.theme();
  const bool portrait = is_portrait(f);
  if (second) {
    screen_title(f, body, f.t("kiosk.second.title"), "kiosk.second.title", 2);
    const std::string first = v.selected.empty() ? std::string() : v.selected.front().title;
    paragraph(f, body, f.t("kiosk.second.hint", {{"service", first}}), "kiosk.second.hint",
              FontRole::body, f.colors().text_muted, 3);
  } else {
    // The first screen: languages and switches on top, in their own names, then the tiles.
    start_bar(f, body, in, v.online ? f.t("kiosk.services.title") : std::string_view{},
              "kiosk.services.title");
    if (!v.online) {
      // Honest first: no tiles, no invitation, no estimates the kiosk does not have; only
      // what is wrong and what to do, in the visitor's language.
      screen_title(f, body, f.t("kiosk.offline.title"), "kiosk.offline.title", 3);
      paragraph(f, body, f.t("kiosk.offline.text"), "kiosk.offline.text", FontRole::heading,
                f.colors().text, 6);
      return;
    }
    // At the bottom, on every page of tiles: the booked visitor's way in (a tile of its own
    // ended up on a second page once the languages moved up here) and, beside it if it fits,
    // the hint for a visitor back with a parked ticket (the scanner reads it on this screen).
    const float row_h = std::max(th.touch_min, f.font_size(FontRole::body_bold) * 2.6f);
    const std::string hint(f.t("kiosk.services.scan_hint"));
    const float line = f.font_size(FontRole::body) * 1.25f;
    const float half = (body.w - th.margin) / 2;
    const bool beside = text_height(f, hint, FontRole::body, body.w - half - th.margin) <=
                        std::min(row_h, line * 2 + f.px(4));
    if (!beside) {  // too long beside the button: a line of its own under it
      const float h = std::min(text_height(f, hint, FontRole::body, body.w) + f.px(4), line * 2);
      text_wrapped(f, body.take_bottom(h, th.gap), hint, FontRole::body, Align::left,
                   f.colors().text_muted, "kiosk.services.scan_hint", 2);
    }
    Rect bottom = body.take_bottom(row_h, th.gap * 1.5f);
    Rect appointment = beside ? bottom.take_left(half, th.margin) : bottom;
    if (touch_button(f, "kiosk.services.appointment", f.t("kiosk.appointment_button"),
                     appointment, {.kind = ButtonKind::secondary}))
      in.appointment = true;
    if (beside) {
      const float h = text_height(f, hint, FontRole::body, bottom.w) + f.px(4);
      text_wrapped(f, bottom.inset(0, std::max(0.f, (bottom.h - h) / 2)), hint, FontRole::body,
                   Align::left, f.colors().text_muted, "kiosk.services.scan_hint", 2);
    }
  }
  // One cell per service (on the second screen: those combinable with the first).
  struct Cell {
    std::string id, title, description, badge;
    bool enabled = true;  // false: past the last-ticket time, the tile only informs
  };
  std::vector<Cell> cells;
  const std::string prefix = second ? "kiosk.second.service." : "kiosk.service.";
  for (const auto& s : second ? v.combinable : v.offered) {
    if (s.last_ticket_passed)
      cells.push_back({prefix + s.id, s.title,
                       f.t("kiosk.cutoff.hint", {{"when", opening_text(f, v.now, s.next_opening)}}),
                       std::string(f.t("kiosk.cutoff.badge")), false});
    else
      cells.push_back({prefix + s.id, s.title, s.description, minutes_text(f, s.minutes)});
  }
  const int n = int(cells.size());
  if (n == 0) return;

  // All on one page if every text fits its tile; otherwise fewer, taller or wider tiles per
  // page and a bar to turn pages. Long names (pl, uk, ru) and large text need that.
  auto options = [](const Cell& c) {
    return TileOptions{.enabled = c.enabled, .badge = c.badge, .shrink_to_fit = true};
  };
  // A few tiles (the second screen) stay tile-sized rather than filling the screen.
  const float max_tile_h = f.font_size(FontRole::body) * 9.5f;
  auto capped = [&](Rect area, int rows) {
    area.h = std::min(area.h, max_tile_h * rows + th.gap * (rows - 1));
    return area;
  };
  auto all_fit = [&](const Rect& area, int cols, int rows) {
    for (int i = 0; i < n; ++i)
      if (!tile_fits(f, cells[i].title, cells[i].description,
                     grid_cell(capped(area, rows), cols, rows, th.gap, i % (rows * cols)),
                     options(cells[i])))
        return false;
    return true;
  };
  const std::vector<int> col_choices = portrait ? std::vector<int>{2, 1}
                                                : std::vector<int>{4, 3, 2};
  // The widest column choice whose tiles fit at all (at least one row) decides: all on one
  // page if they fit, otherwise pages of as many rows as fit. A narrower choice only when the
  // wider cannot show a single row (large text): the start screen otherwise turns into a list
  // of one-column rows with shrunk text.
  int cols = col_choices.back();
  int rows = 0;
  Rect grid = body;
  for (int c : col_choices)
    if (all_fit(grid, c, 1)) {
      cols = c;
      break;
    }
  bool one_page = all_fit(grid, cols, (n + cols - 1) / cols);
  if (one_page) rows = (n + cols - 1) / cols;
  if (!one_page) {
    const float bar_h = std::max(th.touch_min, f.font_size(FontRole::body_bold) * 2.6f);
    Rect bar = grid.take_bottom(bar_h, th.gap);
    int best = 0;
    for (int r = (n + cols - 1) / cols; r >= 1; --r)
      if (all_fit(grid, cols, r)) {
        best = cols * r, rows = r;
        break;
      }
    if (best == 0) rows = 1;
    const int pages = (n + rows * cols - 1) / (rows * cols);
    page = std::clamp(page, 0, pages - 1);
    const float third = (bar.w - 2 * th.gap) / 3;
    if (page > 0 &&
        touch_button(f, "kiosk.services.previous", "‹ " + std::string(f.t("kiosk.services.previous")),
                     Rect{bar.x, bar.y, third, bar.h}, {.kind = ButtonKind::secondary}))
      --page;
    text_centered(f, Rect{bar.x + third + th.gap, bar.y, third, bar.h},
                  f.t("kiosk.services.page", {{"page", std::to_string(page + 1)},
                                              {"pages", std::to_string(pages)}}),
                  FontRole::body, f.colors().text_muted, "kiosk.services.page");
    if (page < pages - 1 &&
        touch_button(f, "kiosk.services.more", std::string(f.t("kiosk.services.more")) + " ›",
                     Rect{bar.x + bar.w - third, bar.y, third, bar.h}))
      ++page;
  } else {
    page = 0;
  }
  const int per_page = rows * cols;
  grid = capped(grid, rows);
  for (int i = page * per_page; i < std::min(n, (page + 1) * per_page); ++i) {
    const Cell& c = cells[i];
    if (tile(f, c.id, c.title, c.description, grid_cell(grid, cols, rows, th.gap, i % per_page),
             options(c)) && c.enabled)
      in.service = c.id.substr(prefix.size());
  }
}

void draw_appointment(Frame& f, const KioskView& v, Rect body, Intents& in, KioskInput& input) {
  const Theme& th = f.theme();
  // Landscape: texts on the left, the keypad on the right, so the keys keep their size.
  Rect pad = is_portrait(f) ? Rect{} : body.take_right(body.w * 0.5f, th.margin);
  screen_title(f, body, f.t("kiosk.appointment.title"), "kiosk.appointment.title", 2);
  paragraph(f, body, f.t("kiosk.appointment.hint"), "kiosk.appointment.hint", FontRole::body,
            f.colors().text_muted, 3);
  entry_field(f, "kiosk.appointment.field", body.take_top(f.px(110), th.gap), input.code, 10);
  if (v.code_failure != Failure::none) {
    std::string key = v.code_failure == Failure::unknown_code     ? "kiosk.appointment.unknown"
                      : v.code_failure == Failure::code_used      ? "kiosk.appointment.used"
                      : v.code_failure == Failure::code_not_today ? "kiosk.appointment.not_today"
                                                                  : "kiosk.appointment.refused";
    const float h = std::max(f.px(80), text_height(f, f.t(key), FontRole::body_bold,
                                                   body.w - f.px(100)) + f.px(24));
    banner(f, "kiosk.appointment.error", f.t(key), body.take_top(h, th.gap), Severity::danger);
  }
  if (is_portrait(f)) pad = body;
  const KeypadEvent ev = keypad(f, "kiosk.code", pad, KeypadLayout::alphanumeric, input.code, 10);
  if (ev == KeypadEvent::changed) in.code_edited = true;
  if (ev == KeypadEvent::submitted) in.code = input.code;
}

}  // namespace wm::kiosk
