// Moving a clerk for the day from the dashboard (counter.profile): which counter's services are
// being edited, what is picked in which order, and the broker's answer. No drawing, no network.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/state.hpp"

namespace wm::counter {

class ProfileEditor {
 public:
  struct Request {
    std::string counter;
    std::vector<std::string> services;
  };

  // Starts editing `counter` with the services it works with today; false for an unknown one.
  bool open(const core::State& state, const std::string& counter);
  void close();
  bool editing() const { return !counter_.empty(); }
  const std::string& counter() const { return counter_; }
  // The services picked, in priority order (the first is called first).
  const std::vector<std::string>& picked() const { return picked_; }
  // On: appended (called after those picked before); off: removed.
  void toggle(const std::string& service);
  // Back to the counter's configured services.
  void pick_configured(const core::Region& region);
  // Asks for the request to be sent; false (and an error) when nothing is picked.
  bool submit();
  std::optional<Request> take_request();
  // The broker's answer: ok closes the editor, else it stays open with the message.
  void answered(bool ok, const std::string& message);
  bool sending() const { return sending_; }
  bool nothing_picked() const { return nothing_picked_; }
  const std::string& error() const { return error_; }

 private:
  std::string counter_;
  std::vector<std::string> picked_;
  std::optional<Request> pending_;
  bool sending_ = false;
  bool nothing_picked_ = false;
  std::string error_;
};

}  // namespace wm::counter
