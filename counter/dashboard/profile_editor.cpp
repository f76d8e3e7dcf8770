// ProfileEditor: the state of one "services for today" edit (see profile_editor.hpp).
#include "counter/dashboard/profile_editor.hpp"

#include <algorithm>

namespace wm::counter {

bool ProfileEditor::open(const core::State& state, const std::string& counter) {
  const core::Counter* c = state.region().find_counter(counter);
  if (!c) return false;
  close();
  counter_ = counter;
  picked_ = state.working(*c).profile;
  return true;
}

void ProfileEditor::close() {
  counter_.clear();
  picked_.clear();
  pending_.reset();
  sending_ = nothing_picked_ = false;
  error_.clear();
}

void ProfileEditor::toggle(const std::string& service) {
  if (sending_) return;
  auto it = std::find(picked_.begin(), picked_.end(), service);
  if (it == picked_.end())
    picked_.push_back(service);
  else
    picked_.erase(it);
  nothing_picked_ = false;
}

void ProfileEditor::pick_configured(const core::Region& region) {
  if (sending_) return;
  if (const core::Counter* c = region.find_counter(counter_)) picked_ = c->profile;
  nothing_picked_ = false;
}

bool ProfileEditor::submit() {
  if (!editing() || sending_) return false;
  if (picked_.empty()) {
    nothing_picked_ = true;
    return false;
  }
  pending_ = Request{counter_, picked_};
  sending_ = true;
  error_.clear();
  return true;
}

std::optional<ProfileEditor::Request> ProfileEditor::take_request() {
  std::optional<Request> out;
  out.swap(pending_);
  return out;
}

void ProfileEditor::answered(bool ok, const std::string& message) {
  sending_ = false;
  if (ok)
    close();
  else
    error_ = message;
}

}  // namespace wm::counter
