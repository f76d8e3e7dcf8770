// Test harness: SDL events pushed into the real queue, so tests exercise the app's input path.
#include "ui/harness.hpp"

#include <algorithm>
#include <cstdlib>

namespace wm::ui {

namespace {
constexpr SDL_FingerID kTestFinger = 1;
constexpr SDL_TouchID kTestTouchDevice = 1;
}  // namespace

Harness::Harness(const HarnessConfig& c) {
  // Headless unless the developer explicitly wants to watch (SDL_VIDEODRIVER=x11).
  setenv("SDL_VIDEODRIVER", "dummy", 0);
  AppConfig ac;
  ac.title = "Wartemarke test";
  ac.width = c.width;
  ac.height = c.height;
  ac.display.lang = c.lang;
  ac.display.high_contrast = c.high_contrast;
  ac.display.large_text = c.large_text;
  ac.fixed_dt = c.fixed_dt;
  ac.assets_dir = c.assets_dir;
  app_ = std::make_unique<App>(std::move(ac));
  draw_ = [](Frame&) {};
}

void Harness::step(int frames) {
  for (int i = 0; i < frames; ++i) app_->step(draw_);
}

void Harness::push(SDL_Event e) {
  e.common.timestamp = SDL_GetTicks();
  SDL_PushEvent(&e);
}

void Harness::push_pointer_down(float x, float y, PointerKind kind) {
  SDL_Event e{};
  if (kind == PointerKind::touch) {
    e.type = SDL_FINGERDOWN;
    e.tfinger.touchId = kTestTouchDevice;
    e.tfinger.fingerId = kTestFinger;
    e.tfinger.x = x / float(app_->width());
    e.tfinger.y = y / float(app_->height());
    e.tfinger.pressure = 1;
  } else {
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = SDL_PRESSED;
    e.button.clicks = 1;
    e.button.x = int(x);
    e.button.y = int(y);
  }
  push(e);
}

void Harness::push_pointer_up(float x, float y, PointerKind kind) {
  SDL_Event e{};
  if (kind == PointerKind::touch) {
    e.type = SDL_FINGERUP;
    e.tfinger.touchId = kTestTouchDevice;
    e.tfinger.fingerId = kTestFinger;
    e.tfinger.x = x / float(app_->width());
    e.tfinger.y = y / float(app_->height());
  } else {
    e.type = SDL_MOUSEBUTTONUP;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = SDL_RELEASED;
    e.button.clicks = 1;
    e.button.x = int(x);
    e.button.y = int(y);
  }
  push(e);
}

void Harness::push_pointer_move(float x, float y, PointerKind kind) {
  SDL_Event e{};
  if (kind == PointerKind::touch) {
    e.type = SDL_FINGERMOTION;
    e.tfinger.touchId = kTestTouchDevice;
    e.tfinger.fingerId = kTestFinger;
    e.tfinger.x = x / float(app_->width());
    e.tfinger.y = y / float(app_->height());
  } else {
    e.type = SDL_MOUSEMOTION;
    e.motion.x = int(x);
    e.motion.y = int(y);
  }
  push(e);
}

void Harness::tap_at(float x, float y, PointerKind kind) {
  push_pointer_down(x, y, kind);
  push_pointer_up(x, y, kind);
  // Deliver every queued transition, then one frame to show the result.
  app_->step(draw_);
  for (int guard = 0; guard < 16 && app_->input_pending(); ++guard) app_->step(draw_);
  app_->step(draw_);
}

bool Harness::tap(std::string_view widget_id, PointerKind kind) {
  const WidgetInfo* w = widget(widget_id);
  if (!w || !w->enabled) return false;
  const ImVec2 c = w->rect.center();
  tap_at(c.x, c.y, kind);
  return true;
}

void Harness::type_text(std::string_view utf8) {
  // SDL_TEXTINPUT carries at most 31 bytes; split on UTF-8 character boundaries.
  while (!utf8.empty()) {
    std::size_t n = std::min<std::size_t>(utf8.size(), SDL_TEXTINPUTEVENT_TEXT_SIZE - 1);
    while (n < utf8.size() && n > 0 && (static_cast<unsigned char>(utf8[n]) & 0xC0) == 0x80) --n;
    SDL_Event e{};
    e.type = SDL_TEXTINPUT;
    utf8.copy(e.text.text, n);
    push(e);
    utf8.remove_prefix(n);
  }
  app_->step(draw_);
}

void Harness::press_key(SDL_Scancode key, SDL_Keymod mods) {
  SDL_Event e{};
  e.type = SDL_KEYDOWN;
  e.key.state = SDL_PRESSED;
  e.key.keysym.scancode = key;
  e.key.keysym.sym = SDL_GetKeyFromScancode(key);
  e.key.keysym.mod = Uint16(mods);
  SDL_SetModState(mods);
  push(e);
  app_->step(draw_);
  e.type = SDL_KEYUP;
  e.key.state = SDL_RELEASED;
  push(e);
  app_->step(draw_);
  SDL_SetModState(KMOD_NONE);
}

}  // namespace wm::ui
