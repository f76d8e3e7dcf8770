// Drawing and hit-testing of the touch widgets (ImGui items, our own look).
#include "ui/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "core/i18n/languages.hpp"
#include "ui/widget_parts.hpp"

namespace wm::ui {

namespace {

struct ButtonColors {
  ImU32 fill, text, border;
  float border_w;  // 0: the fill itself is the edge (accent and danger are ≥ 3:1 on background)
  bool shadow;
};

ButtonColors button_colors(const Theme& th, const ButtonOptions& o, bool held) {
  const Palette& c = th.c;
  const bool hc = th.high_contrast;
  constexpr ImU32 none = IM_COL32(0, 0, 0, 0);
  // Disabled: no fill, no shadow, a thin faint edge and grey text. A filled grey block looked
  // more like a button than the live outlined ones beside it.
  if (!o.enabled) return {none, c.on_disabled, c.disabled, std::max(1.f, th.border * 0.5f), false};
  // High contrast keeps text white-on-black or black-on-yellow; no tinted accents.
  if (o.selected || o.kind == ButtonKind::primary)
    return {held ? c.accent_pressed : c.accent, c.on_accent, c.border, 0, true};
  switch (o.kind) {
    case ButtonKind::danger:
      return {c.danger, c.on_status, c.border, 0, true};
    case ButtonKind::quiet:  // lighter than secondary (no fill, no shadow), still outlined
      return {held ? c.surface_pressed : none, hc ? c.text : c.accent, c.border, th.border, false};
    default:
      return {held ? c.surface_pressed : c.surface, hc ? c.text : c.accent, c.border, th.border,
              true};
  }
}

}  // namespace

std::string_view button_kind_name(ButtonKind kind) {
  switch (kind) {
    case ButtonKind::primary: return "primary";
    case ButtonKind::secondary: return "secondary";
    case ButtonKind::quiet: return "quiet";
    case ButtonKind::danger: return "danger";
  }
  return "primary";
}

bool touch_button(Frame& f, std::string_view id, std::string_view label, const Rect& r,
                  const ButtonOptions& o) {
  const ItemState s = interact(id, r, o.enabled);
  const Theme& th = f.theme();
  const ButtonColors col = button_colors(th, o, s.held);
  ImDrawList* dl = f.draw_list();
  if (col.shadow || (o.enabled && s.held)) draw_shadow(f, r);
  dl->AddRectFilled(r.min(), r.max(), col.fill, th.rounding);
  if (col.border_w > 0) dl->AddRect(r.min(), r.max(), col.border, th.rounding, 0, col.border_w);
  if (o.selected && th.high_contrast) {
    dl->AddRect(r.min(), r.max(), th.c.text, th.rounding, 0, th.border);
  }

  const Rect inner = r.inset(f.px(20), f.px(10));
  TextLayout lay = fit_text(f.font(o.font), f.font_size(o.font), label, inner.size(),
                            FitOptions{.max_lines = o.max_lines, .min_scale = o.min_scale});
  draw_text(dl, f.font(o.font), lay, inner, col.text);
  register_widget(f, id, label, r, WidgetKind::button, o.enabled, o.selected, lay.fits,
                  button_kind_name(o.kind), lay.size);
  return s.clicked;
}

namespace {

// Where a tile's parts go; shared by tile() and tile_fits() so both measure the same thing.
struct TileGeometry {
  Rect inner;        // text area (badge band already cut off below in tall tiles)
  float title_w = 0; // the title's width (narrower beside a badge in wide tiles)
  Rect badge;
  bool has_badge = false;
};

TileGeometry tile_geometry(Frame& f, const Rect& r, std::string_view badge) {
  TileGeometry g;
  const float stripe = f.px(10);
  // Short, wide tiles (landscape) get less padding and the badge beside the title.
  const bool wide = r.w > 2.4f * r.h;
  g.inner = Rect{r.x + stripe, r.y, r.w - stripe, r.h}.inset(f.px(26), f.px(wide ? 14 : 20));
  g.title_w = g.inner.w;
  if (!badge.empty()) {
    const float bs = f.font_size(FontRole::small);
    const ImVec2 ts = f.font(FontRole::small)->CalcTextSizeA(bs, FLT_MAX, 0, badge.data(),
                                                             badge.data() + badge.size());
    const float bw = std::min(g.inner.w, ts.x + f.px(28));
    const float bh = bs + f.px(14);
    if (wide) {
      g.badge = Rect{g.inner.x + g.inner.w - bw, g.inner.y, bw, bh};
      g.title_w -= bw + f.px(12);
    } else {
      const Rect band = g.inner.take_bottom(bh, f.px(10));
      g.badge = Rect{band.x, band.y, bw, bh};
    }
    g.has_badge = true;
  }
  return g;
}

struct TileText {
  TextLayout title, description;
  float gap = 0;
  bool fits = false;
};

// Title and description at full size; with shrink_to_fit both shrink together (down to the
// 70 % every text may shrink to) until they fit, so a long title leaves room for the sentence.
TileText tile_text(Frame& f, std::string_view title, std::string_view description,
                   const TileGeometry& g, bool shrink_to_fit) {
  ImFont* hf = f.font(FontRole::heading);
  ImFont* bf = f.font(FontRole::body);
  const float hs = f.font_size(FontRole::heading);
  const float bs = f.font_size(FontRole::body);
  const bool has_desc = !description.empty();
  TileText t;
  t.gap = f.px(10);
  const float min_scale = FitOptions{}.min_scale;
  for (float k = 1.0f;; k = std::max(min_scale, k - 0.05f)) {
    // Without shrink_to_fit each text shrinks on its own, the title first taking what it needs.
    const FitOptions title_fit{.max_lines = shrink_to_fit ? 3 : 2,
                               .min_scale = shrink_to_fit ? 1.0f : min_scale};
    t.title = fit_text(hf, std::round(hs * k), title, ImVec2(g.title_w, g.inner.h), title_fit);
    const float desc_room = std::max(0.f, g.inner.h - t.title.extent.y - t.gap);
    t.description = fit_text(bf, std::round(bs * k), description, ImVec2(g.inner.w, desc_room),
                             FitOptions{.max_lines = 4,
                                        .min_scale = shrink_to_fit ? 1.0f : min_scale});
    t.fits = t.title.fits && (!has_desc || t.description.fits);
    if (!shrink_to_fit || t.fits || k <= min_scale) break;
  }
  return t;
}

}  // namespace

bool tile_fits(Frame& f, std::string_view title, std::string_view description, const Rect& r,
               const TileOptions& o) {
  return tile_text(f, title, description, tile_geometry(f, r, o.badge), o.shrink_to_fit).fits;
}

bool tile(Frame& f, std::string_view id, std::string_view title, std::string_view description,
          const Rect& r, const TileOptions& o) {
  const ItemState s = interact(id, r, o.enabled);
  const Theme& th = f.theme();
  const Palette& c = th.c;
  ImDrawList* dl = f.draw_list();
  draw_shadow(f, r);
  dl->AddRectFilled(r.min(), r.max(), s.held ? c.surface_pressed : c.surface, th.rounding);
  const bool emphasised = o.selected || s.held;
  dl->AddRect(r.min(), r.max(), emphasised ? c.accent : c.border, th.rounding, 0,
              emphasised ? th.border * 2 : th.border);
  // The accent stripe says "this can be touched" without relying on colour alone.
  const float stripe = f.px(10);
  dl->AddRectFilled(r.min(), ImVec2(r.x + stripe, r.y + r.h), o.enabled ? c.accent : c.disabled,
                    th.rounding, ImDrawFlags_RoundCornersLeft);

  const TileGeometry g = tile_geometry(f, r, o.badge);
  if (g.has_badge) {
    // The waiting time, where the eye lands after the title.
    ImFont* bf = f.font(FontRole::small);
    const float bs = f.font_size(FontRole::small);
    const Rect& badge = g.badge;
    dl->AddRectFilled(badge.min(), badge.max(), th.high_contrast ? c.accent : c.surface_pressed,
                      badge.h * 0.5f);
    const ImVec4 clip(badge.x, badge.y, badge.x + badge.w, badge.y + badge.h);
    dl->AddText(bf, bs, ImVec2(std::round(badge.x + f.px(14)), std::round(badge.y + f.px(7))),
                th.high_contrast ? c.on_accent : c.text, o.badge.data(),
                o.badge.data() + o.badge.size(), 0, &clip);
  }
  const bool has_desc = !description.empty();
  const TileText t = tile_text(f, title, description, g, o.shrink_to_fit);
  // Title and description as one block, vertically centred in the card.
  const float block = t.title.extent.y + (has_desc ? t.gap + t.description.extent.y : 0);
  Rect content = g.inner.inset(0, std::max(0.f, (g.inner.h - block) * 0.5f));
  Rect title_box = content.take_top(t.title.extent.y, t.gap);
  title_box.w = g.title_w;
  draw_text(dl, f.font(FontRole::heading), t.title, title_box, o.enabled ? c.text : c.on_disabled,
            Align::left, VAlign::top);
  if (has_desc)
    draw_text(dl, f.font(FontRole::body), t.description, content, c.text_muted, Align::left,
              VAlign::top);
  register_widget(f, id, title, r, WidgetKind::tile, o.enabled, o.selected, t.fits);
  return s.clicked;
}

bool toggle(Frame& f, std::string_view id, std::string_view label, bool& value, const Rect& r) {
  const ItemState s = interact(id, r, true);
  const Theme& th = f.theme();
  const Palette& c = th.c;
  ImDrawList* dl = f.draw_list();
  dl->AddRectFilled(r.min(), r.max(), s.held ? c.surface_pressed : c.surface, th.rounding);
  dl->AddRect(r.min(), r.max(), value ? c.accent : c.border, th.rounding, 0,
              value ? th.border * 1.5f : th.border);

  // The switch: position and fill both say on/off, so it reads without colour vision.
  const float sw_h = std::min(f.px(46), r.h - f.px(16));
  const float sw_w = sw_h * 1.9f;
  const Rect sw{r.x + r.w - sw_w - f.px(20), r.y + (r.h - sw_h) * 0.5f, sw_w, sw_h};
  dl->AddRectFilled(sw.min(), sw.max(), value ? c.accent : c.border, sw_h * 0.5f);
  if (th.high_contrast) dl->AddRect(sw.min(), sw.max(), c.text, sw_h * 0.5f, 0, th.border * 0.5f);
  const float knob_r = sw_h * 0.5f - f.px(5);
  const ImVec2 knob(value ? sw.x + sw.w - sw_h * 0.5f : sw.x + sw_h * 0.5f, sw.y + sw_h * 0.5f);
  dl->AddCircleFilled(knob, knob_r, value ? c.on_accent : c.surface, 32);

  Rect text_box{r.x + f.px(20), r.y, sw.x - r.x - f.px(36), r.h};
  TextLayout lay = fit_text(f.font(FontRole::body_bold), f.font_size(FontRole::body_bold), label,
                            text_box.inset(0, f.px(6)).size(), FitOptions{.max_lines = 2});
  draw_text(dl, f.font(FontRole::body_bold), lay, text_box, c.text, Align::left, VAlign::middle);
  register_widget(f, id, label, r, WidgetKind::toggle, true, value, lay.fits);
  if (s.clicked) value = !value;
  return s.clicked;
}

bool accessibility_toggles(Frame& f, std::string_view id_prefix, const Rect& r) {
  const std::string prefix(id_prefix);
  DisplaySettings& st = f.settings();
  bool changed = toggle(f, prefix + ".large_text", f.t("common.large_text"), st.large_text,
                        column(r, 2, f.theme().gap, 0));
  changed |= toggle(f, prefix + ".high_contrast", f.t("common.high_contrast"), st.high_contrast,
                    column(r, 2, f.theme().gap, 1));
  return changed;
}

std::optional<std::string> language_buttons(Frame& f, std::string_view id_prefix, const Rect& r,
                                            int columns) {
  const auto langs = i18n::supported_languages();
  const int n = int(langs.size());
  const float gap = f.theme().gap;
  if (columns <= 0) columns = std::clamp(int((r.w + gap) / (f.px(230) + gap)), 1, n);
  const int rows = (n + columns - 1) / columns;
  std::optional<std::string> chosen;
  for (int i = 0; i < n; ++i) {
    const auto& l = langs[i];
    Rect cell = grid_cell(r, columns, rows, gap, i);
    const int in_last_row = n - (rows - 1) * columns;
    if (i / columns == rows - 1 && in_last_row < columns) {
      cell.x += (columns - in_last_row) * (cell.w + gap) * 0.5f;  // centre a short last row
    }
    const std::string id = std::string(id_prefix) + "." + std::string(l.code);
    ButtonOptions o{.kind = ButtonKind::secondary, .selected = l.code == f.lang(), .max_lines = 1};
    if (touch_button(f, id, l.native_name, cell, o)) chosen = std::string(l.code);
  }
  return chosen;
}

void banner(Frame& f, std::string_view id, std::string_view text, const Rect& r, Severity sev,
            bool busy) {
  const Palette& c = f.colors();
  ImU32 fill = sev == Severity::danger    ? c.danger
               : sev == Severity::warning ? c.warning
               : sev == Severity::success ? c.success
                                          : c.header;
  ImU32 ink = sev == Severity::info ? c.on_header : c.on_status;
  ImDrawList* dl = f.draw_list();
  dl->AddRectFilled(r.min(), r.max(), fill);
  Rect inner = r.inset(f.theme().margin, 0);
  if (busy) {
    // A slow blink (2 frames a second), not a 60 fps spinner: a kiosk may show this for hours.
    const float d = f.px(18);
    Rect dot = inner.take_left(d, f.px(20));
    if (std::fmod(f.now(), 1.0) < 0.5) {
      dl->AddCircleFilled(ImVec2(dot.x + d * 0.5f, dot.y + dot.h * 0.5f), d * 0.5f, ink, 24);
    }
    f.redraw_at(std::floor(f.now() * 2 + 1) / 2);
  }
  TextLayout lay = fit_text(f.font(FontRole::body_bold), f.font_size(FontRole::body_bold), text,
                            inner.size(), FitOptions{.max_lines = 2});
  draw_text(dl, f.font(FontRole::body_bold), lay, inner, ink, Align::left, VAlign::middle);
  if (!id.empty())
    register_widget(f, id, text, r, WidgetKind::text, true, false, lay.fits, {}, lay.size);
}

bool text_centered(Frame& f, const Rect& r, std::string_view text, FontRole role,
                   std::optional<ImU32> color, std::string_view id) {
  TextLayout lay = fit_text(f.font(role), f.font_size(role), text, r.size(),
                            FitOptions{.max_lines = 3});
  draw_text(f.draw_list(), f.font(role), lay, r, color.value_or(f.colors().text));
  if (!id.empty())
    register_widget(f, id, text, r, WidgetKind::text, true, false, lay.fits, {}, lay.size);
  return lay.fits;
}

bool text_wrapped(Frame& f, const Rect& r, std::string_view text, FontRole role, Align align,
                  std::optional<ImU32> color, std::string_view id, int max_lines) {
  TextLayout lay = fit_text(f.font(role), f.font_size(role), text, r.size(),
                            FitOptions{.max_lines = max_lines});
  draw_text(f.draw_list(), f.font(role), lay, r, color.value_or(f.colors().text), align,
            VAlign::top);
  if (!id.empty())
    register_widget(f, id, text, r, WidgetKind::text, true, false, lay.fits, {}, lay.size);
  return lay.fits;
}

float text_height(Frame& f, std::string_view text, FontRole role, float width) {
  const float size = f.font_size(role);
  auto lines = wrap_lines(f.font(role), size, text, width);
  if (lines.empty()) return 0;
  return std::round(size * FitOptions{}.line_spacing) * (lines.size() - 1) + size;
}

}  // namespace wm::ui
