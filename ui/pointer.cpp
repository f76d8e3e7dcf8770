// Mouse and touch events → a queue of pointer states, one transition per frame.
#include "ui/pointer.hpp"

namespace wm::ui {

bool PointerTracker::down_now() const {
  return pending_.empty() ? current_.down : pending_.back().state.down;
}

void PointerTracker::push(ImVec2 pos, bool down, bool transition, bool touch_release) {
  if (!transition && !pending_.empty() && !pending_.back().transition) {
    pending_.back().state.pos = pos;  // coalesce motion: only the latest position matters
    return;
  }
  pending_.push_back(Sample{PointerState{pos, down}, transition, touch_release});
}

bool PointerTracker::handle_event(const SDL_Event& e, int window_w, int window_h) {
  switch (e.type) {
    case SDL_MOUSEMOTION:
      // SDL mirrors real touches as mouse events; we already follow the finger itself.
      if (e.motion.which == SDL_TOUCH_MOUSEID) return true;
      push(ImVec2(float(e.motion.x), float(e.motion.y)), down_now(), false);
      return true;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
      if (e.button.which == SDL_TOUCH_MOUSEID) return true;
      if (e.button.button != SDL_BUTTON_LEFT) return true;
      push(ImVec2(float(e.button.x), float(e.button.y)), e.type == SDL_MOUSEBUTTONDOWN, true);
      return true;
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION: {
      const auto& f = e.tfinger;
      if (e.type == SDL_FINGERDOWN) {
        if (finger_active_) return true;  // a second finger: ignore, one pointer only
        finger_active_ = true;
        finger_ = f.fingerId;
      } else if (!finger_active_ || f.fingerId != finger_) {
        return true;
      }
      ImVec2 pos(f.x * float(window_w), f.y * float(window_h));
      if (e.type == SDL_FINGERMOTION) {
        push(pos, true, false);
      } else if (e.type == SDL_FINGERDOWN) {
        // Move there first without pressing, so ImGui sees the item hovered when pressed.
        push(pos, false, true);
        push(pos, true, true);
      } else {
        finger_active_ = false;
        push(pos, false, true, true);
      }
      return true;
    }
    case SDL_WINDOWEVENT:
      if (e.window.event == SDL_WINDOWEVENT_LEAVE && !finger_active_) {
        push(ImVec2(-FLT_MAX, -FLT_MAX), false, true);
        return true;
      }
      return false;
    default:
      return false;
  }
}

PointerState PointerTracker::next_frame() {
  if (!pending_.empty()) {
    Sample s = pending_.front();
    pending_.pop_front();
    current_ = s.state;
    if (s.touch_release) lift_next_ = true;
    return current_;
  }
  if (lift_next_) {
    lift_next_ = false;
    current_ = PointerState{};
  }
  return current_;
}

}  // namespace wm::ui

