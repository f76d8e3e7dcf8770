// Kiosk screens before the ticket: attract, language, service tiles, appointment code.
#include "kiosk/kiosk_app/kiosk_screens.hpp"
#include "ui/keypad.hpp"
#include "ui/widgets.hpp"

#include <algorithm>

namespace wm::kiosk {

using namespace wm::ui;

namespace {

// One line per service: name, people waiting, estimated wait.
void waiting_table(Frame& f, const KioskView& v, Rect area) {
  const Theme& th = f.theme();
  text_wrapped(f, area.take_top(f.font_size(FontRole::heading) * 1.3f, th.gap * 0.5f),
               f.t("kiosk.attract.situation"), FontRole::heading, Align::left, std::nullopt,
               "kiosk.attract.situation", 1);
  const int n = int(v.offered.size());
  if (n == 0) return;
  const float row_h = std::min(area.h / n, f.font_size(FontRole::body) * 2.0f);
  const Palette& c = f.colors();
  for (int i = 0; i < n; ++i) {
    const ServiceView& s = v.offered[i];
    Rect row{area.x, area.y + i * row_h, area.w, row_h};
    if (i % 2 == 0) f.draw_list()->AddRectFilled(row.min(), row.max(), c.surface, th.rounding * 0.5f);
    Rect inner = row.inset(th.gap * 0.5f, 0);
    Rect est = inner.take_right(inner.w * 0.25f, th.gap * 0.5f);
    Rect wait = inner.take_right(inner.w * 0.24f, th.gap * 0.5f);
    const std::string id = "kiosk.attract.row." + s.id;
    text_wrapped(f, inner, s.title, FontRole::body, Align::left, std::nullopt, id, 1);
    text_wrapped(f, wait, f.t("kiosk.waiting_n", {{"n", std::to_string(s.waiting)}}),
                 FontRole::body, Align::right, c.text_muted, id + ".waiting", 1);
    // No counter open: one short word; the full sentence does not fit a table cell.
    text_wrapped(f, est, s.minutes ? minutes_text(f, s.minutes) : std::string(f.t("kiosk.no_counter_short")),
                 s.minutes ? FontRole::body_bold : FontRole::body, Align::right,
                 s.minutes ? std::nullopt : std::optional<ImU32>(c.text_muted), id + ".estimate", 1);
  }
}

}  // namespace

void draw_attract(Frame& f, const KioskView& v, Rect body, Intents& in) {
  const Theme& th = f.theme();
  const bool portrait = is_portrait(f);
  Rect left = portrait ? body : body.take_left(body.w * 0.48f, th.margin);
  Rect right = portrait ? Rect{} : body;

  screen_title(f, left, f.t("kiosk.attract.welcome"), "kiosk.attract.welcome", 1);
  const float row_h = std::max(th.touch_min, f.font_size(FontRole::body_bold) * 2.6f);
  // Bottom up: accessibility, appointment, languages.
  accessibility_toggles(f, "kiosk.a11y", left.take_bottom(row_h, th.gap));
  if (v.online && touch_button(f, "kiosk.attract.appointment", f.t("kiosk.appointment_button"),
                               left.take_bottom(row_h, th.gap), {.kind = ButtonKind::secondary}))
    in.appointment = true;
  // Landscape: the languages under the waiting table, so the touch area keeps its size.
  const int lang_rows = portrait ? 2 : 3;
  const float langs_h = th.touch_min * lang_rows + th.gap * (lang_rows - 1);
  Rect langs = portrait ? left.take_bottom(langs_h, th.gap) : right.take_bottom(langs_h, th.gap);
  if (auto code = language_buttons(f, "kiosk.lang", langs, portrait ? 4 : 3)) in.language = code;
  if (!v.online) {
    // Honest first: no invitation to touch and no waiting counts the kiosk does not have,
    // only what is wrong and what to do, in the visitor's language.
    screen_title(f, left, f.t("kiosk.offline.title"), "kiosk.offline.title", 3);
    paragraph(f, left, f.t("kiosk.offline.text"), "kiosk.offline.text", FontRole::heading,
              f.colors().text, 6);
    return;
  }
  paragraph(f, left, f.t("kiosk.attract.scan_hint"), "kiosk.attract.scan_hint", FontRole::small,
            f.colors().text_muted, 2);
  if (portrait) {
    Rect table = left.take_bottom(std::min(left.h * 0.62f,
                                           f.font_size(FontRole::body) * 2.0f * v.offered.size() +
                                               f.font_size(FontRole::heading) * 1.5f),
                                  th.gap);
    waiting_table(f, v, table);
  } else {
    waiting_table(f, v, right);
  }
  // The rest is one big invitation to touch.
  if (touch_button(f, "kiosk.attract.start", f.t("kiosk.attract.touch"), left,
                   {.font = FontRole::title, .max_lines = 3}))
    in.start = true;
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
              FontRole::body, f.colors().text_muted, 2);
    const float row_h = std::max(th.touch_min * 1.2f, f.font_size(FontRole::body_bold) * 3.0f);
    if (touch_button(f, "kiosk.second.only_one", f.t("kiosk.second.only_one"),
                     body.take_bottom(row_h, th.gap)))
      in.only_one = true;
  } else {
    screen_title(f, body, f.t("kiosk.services.title"), "kiosk.services.title", 1);
  }
  // One cell per service (minus the first concern on the second screen) and the appointment.
  struct Cell {
    std::string id, title, description, badge;
    bool appointment = false;
    bool enabled = true;  // false: past the last-ticket time, the tile only informs
  };
  std::vector<Cell> cells;
  const std::string prefix = second ? "kiosk.second.service." : "kiosk.service.";
  for (const auto& s : v.offered)
    if (!second || v.selected.empty() || s.id != v.selected.front().id) {
      if (s.last_ticket_passed)
        cells.push_back({prefix + s.id, s.title,
                         f.t("kiosk.cutoff.hint", {{"when", opening_text(f, v.now, s.next_opening)}}),
                         std::string(f.t("kiosk.cutoff.badge")), false, false});
      else
        cells.push_back({prefix + s.id, s.title, s.description, minutes_text(f, s.minutes)});
    }
  if (!second)
    cells.push_back({"kiosk.services.appointment", std::string(f.t("kiosk.appointment_button")),
                     std::string(f.t("kiosk.services.appointment_hint")), {}, true});
  const int n = int(cells.size());
  if (n == 0) return;

  // All on one page if every text fits its tile; otherwise fewer, taller or wider tiles per
  // page and a bar to turn pages. Long names (pl, uk, ru) and large text need that.
  auto options = [](const Cell& c) {
    return TileOptions{.enabled = c.enabled, .badge = c.badge, .shrink_to_fit = true};
  };
  auto all_fit = [&](const Rect& area, int cols, int rows) {
    for (int i = 0; i < n; ++i)
      if (!tile_fits(f, cells[i].title, cells[i].description,
                     grid_cell(area, cols, rows, th.gap, i % (rows * cols)), options(cells[i])))
        return false;
    return true;
  };
  const std::vector<int> col_choices = portrait ? std::vector<int>{2, 1}
                                                : std::vector<int>{4, 3, 2};
  int cols = col_choices.front();
  int rows = (n + cols - 1) / cols;
  Rect grid = body;
  bool one_page = false;
  for (int c : col_choices)
    if (all_fit(grid, c, (n + c - 1) / c)) {
      cols = c;
      rows = (n + c - 1) / c;
      one_page = true;
      break;
    }
  if (!one_page) {
    const float bar_h = std::max(th.touch_min, f.font_size(FontRole::body_bold) * 2.6f);
    Rect bar = grid.take_bottom(bar_h, th.gap);
    // The most tiles per page that still fit.
    int best = 0;
    for (int c : col_choices)
      for (int r = (n + c - 1) / c; r >= 1; --r)
        if (all_fit(grid, c, r)) {
          if (c * r > best) best = c * r, cols = c, rows = r;
          break;
        }
    if (best == 0) cols = col_choices.back(), rows = 1;
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
  for (int i = page * per_page; i < std::min(n, (page + 1) * per_page); ++i) {
    const Cell& c = cells[i];
    if (tile(f, c.id, c.title, c.description, grid_cell(grid, cols, rows, th.gap, i % per_page),
             options(c)) && c.enabled) {
      if (c.appointment)
        in.appointment = true;
      else
        in.service = c.id.substr(prefix.size());
    }
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
