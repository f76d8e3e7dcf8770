// Waiting in tests for what happens on another thread or process: polls `pred` until it holds
// or `limit` passes (then asks once more, so a last-moment success counts).
#pragma once

#include <chrono>
#include <thread>

namespace wm::test {

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(10),
                std::chrono::milliseconds every = std::chrono::milliseconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(every);
  }
  return pred();
}

}  // namespace wm::test
