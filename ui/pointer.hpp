// One pointer for ImGui, fed from SDL mouse and finger events (ImGui 1.86's backend ignores both).
#pragma once

#include <SDL.h>
#include <imgui.h>

#include <deque>

namespace wm::ui {

struct PointerState {
  ImVec2 pos{-FLT_MAX, -FLT_MAX};  // ImGui's "no pointer"
  bool down = false;
};

// The SDL backend samples SDL_GetMouseState() once per frame: a tap shorter than a frame, an
// injected event or a finger never reaches ImGui. We queue every press and release and hand
// ImGui one transition per frame, so press-and-release in one frame still clicks.
class PointerTracker {
 public:
  // Returns true if the event was pointer input. Window size converts normalized finger
  // coordinates to pixels.
  bool handle_event(const SDL_Event& event, int window_w, int window_h);

  // The state to give ImGui for the frame about to start; consumes one queued transition.
  PointerState next_frame();

  // More frames are needed to deliver queued input or to lift the pointer after a touch.
  bool busy() const { return !pending_.empty() || lift_next_; }

  const PointerState& current() const { return current_; }

 private:
  struct Sample {
    PointerState state;
    bool transition = false;  // press or release: never merged with motion
    bool touch_release = false;
  };
  void push(ImVec2 pos, bool down, bool transition, bool touch_release = false);
  bool down_now() const;

  std::deque<Sample> pending_;
  PointerState current_;
  bool lift_next_ = false;     // after a finger lifts, hide the pointer (no sticky hover)
  SDL_FingerID finger_ = 0;    // the one finger we follow; others are ignored
  bool finger_active_ = false;
};

}  // namespace wm::ui
