// Palettes chosen for a public office: calm, legible from a distance, WCAG AA or better.
#include "ui/theme.hpp"

#include <algorithm>
#include <cmath>

namespace wm::ui {

namespace {

constexpr ImU32 rgb(unsigned v) {
  // 0xRRGGBB → ImGui's ABGR packing with full alpha.
  return IM_COL32((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff, 0xff);
}

// Light, low-glare background, dark slate text, one blue accent (contrast with white 7.1:1).
constexpr Palette kCalm{
    .background = rgb(0xF3F5F8),
    .surface = rgb(0xFFFFFF),
    .surface_pressed = rgb(0xDCE6F2),
    .header = rgb(0x0B4F8A),
    .on_header = rgb(0xFFFFFF),
    .text = rgb(0x17212B),
    .text_muted = rgb(0x4A5663),
    .accent = rgb(0x0B5CAD),
    .accent_pressed = rgb(0x083F78),
    .on_accent = rgb(0xFFFFFF),
    // 3.5:1 on the background, 3.9:1 on white; the former 0xC5CFDA (1.4–1.6:1) left
    // outlined buttons, switches and tiles looking like plain text or blank paper.
    .border = rgb(0x768391),
    .focus = rgb(0xE8A400),
    .success = rgb(0x1F7A3A),
    .warning = rgb(0x9A5500),
    .danger = rgb(0xB3261E),
    .on_status = rgb(0xFFFFFF),
    .disabled = rgb(0xC5CFDA),
    .on_disabled = rgb(0x6B7580),
};

// Black, white and yellow only: the combination low-vision visitors read best.
constexpr Palette kHighContrast{
    .background = rgb(0x000000),
    .surface = rgb(0x000000),
    .surface_pressed = rgb(0x333333),
    .header = rgb(0x000000),
    .on_header = rgb(0xFFFF00),
    .text = rgb(0xFFFFFF),
    .text_muted = rgb(0xFFFFFF),
    .accent = rgb(0xFFFF00),
    .accent_pressed = rgb(0xFFFFFF),
    .on_accent = rgb(0x000000),
    .border = rgb(0xFFFFFF),
    .focus = rgb(0x00FFFF),
    .success = rgb(0x00FF00),
    .warning = rgb(0xFFFF00),
    .danger = rgb(0xFF4040),
    .on_status = rgb(0x000000),
    .disabled = rgb(0x808080),  // a thin grey edge, unlike the thick white of live controls
    .on_disabled = rgb(0xBFBFBF),
};

}  // namespace

namespace {

double channel(unsigned v) {
  const double c = v / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(ImU32 c) {
  return 0.2126 * channel((c >> IM_COL32_R_SHIFT) & 0xff) +
         0.7152 * channel((c >> IM_COL32_G_SHIFT) & 0xff) +
         0.0722 * channel((c >> IM_COL32_B_SHIFT) & 0xff);
}

}  // namespace

float contrast_ratio(ImU32 a, ImU32 b) {
  const double la = luminance(a), lb = luminance(b);
  return static_cast<float>((std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05));
}

Theme make_theme(const DisplaySettings& s, float scale) {
  Theme t;
  t.c = s.high_contrast ? kHighContrast : kCalm;
  t.high_contrast = s.high_contrast;
  t.large_text = s.large_text;
  t.scale = scale;
  t.rounding = t.px(14);
  t.border = t.px(s.high_contrast ? 4 : 2);
  t.gap = t.px(s.large_text ? 24 : 20);
  t.margin = t.px(40);
  t.touch_min = t.px(96);
  return t;
}

void apply_to_imgui_style(const Theme& t, ImGuiStyle& style) {
  style = ImGuiStyle();
  style.WindowRounding = 0;
  style.WindowBorderSize = 0;
  style.WindowPadding = ImVec2(0, 0);
  style.FrameRounding = t.rounding * 0.5f;
  style.FramePadding = ImVec2(t.px(16), t.px(12));
  style.ItemSpacing = ImVec2(t.gap * 0.6f, t.gap * 0.6f);
  style.FrameBorderSize = t.high_contrast ? t.border * 0.5f : 1;
  style.ScrollbarSize = t.px(28);
  style.GrabMinSize = t.px(28);
  style.TouchExtraPadding = ImVec2(t.px(4), t.px(4));
  style.AntiAliasedFill = true;
  style.AntiAliasedLines = true;

  auto v = [](ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); };
  ImVec4* col = style.Colors;
  col[ImGuiCol_Text] = v(t.c.text);
  col[ImGuiCol_TextDisabled] = v(t.c.on_disabled);
  col[ImGuiCol_WindowBg] = v(t.c.background);
  col[ImGuiCol_ChildBg] = v(t.c.background);
  col[ImGuiCol_PopupBg] = v(t.c.surface);
  col[ImGuiCol_Border] = v(t.c.border);
  col[ImGuiCol_FrameBg] = v(t.c.surface);
  col[ImGuiCol_FrameBgHovered] = v(t.c.surface_pressed);
  col[ImGuiCol_FrameBgActive] = v(t.c.surface_pressed);
  col[ImGuiCol_TitleBg] = v(t.c.header);
  col[ImGuiCol_TitleBgActive] = v(t.c.header);
  col[ImGuiCol_Button] = v(t.c.accent);
  col[ImGuiCol_ButtonHovered] = v(t.c.accent);
  col[ImGuiCol_ButtonActive] = v(t.c.accent_pressed);
  col[ImGuiCol_Header] = v(t.c.surface_pressed);
  col[ImGuiCol_HeaderHovered] = v(t.c.surface_pressed);
  col[ImGuiCol_HeaderActive] = v(t.c.accent);
  col[ImGuiCol_CheckMark] = v(t.c.accent);
  col[ImGuiCol_SliderGrab] = v(t.c.accent);
  col[ImGuiCol_SliderGrabActive] = v(t.c.accent_pressed);
  col[ImGuiCol_ScrollbarBg] = v(t.c.background);
  col[ImGuiCol_ScrollbarGrab] = v(t.c.border);
  col[ImGuiCol_Separator] = v(t.c.border);
  col[ImGuiCol_TableHeaderBg] = v(t.c.surface_pressed);
  col[ImGuiCol_TableBorderStrong] = v(t.c.border);
  col[ImGuiCol_TableBorderLight] = v(t.c.border);
  col[ImGuiCol_TableRowBg] = v(t.c.surface);
  col[ImGuiCol_TableRowBgAlt] = v(t.c.background);
  col[ImGuiCol_NavHighlight] = v(t.c.focus);
  col[ImGuiCol_TextSelectedBg] = v(t.c.surface_pressed);
}

}  // namespace wm::ui
