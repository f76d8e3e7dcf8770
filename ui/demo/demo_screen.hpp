// A kiosk-like demo screen: shows the toolkit in docs and exercises it in tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ui/frame.hpp"

namespace wm::ui::demo {

enum class DemoPage { services, code };

struct DemoService {
  std::string id;
  std::string title;
  std::string description;
  int wait_minutes = 0;
};

// The view-model: everything already in the visitor's language, nothing to decide.
struct DemoView {
  DemoPage page = DemoPage::services;
  std::string office;
  std::string clock;
  std::string heading;
  std::string subheading;
  std::vector<DemoService> services;
  std::string code;  // entered booking code
  bool connection_lost = false;
};

// What the visitor asked for this frame.
struct DemoIntents {
  std::optional<std::string> service;
  std::optional<std::string> language;
  bool back = false;
  bool enter_code = false;
  bool code_changed = false;
  bool code_submitted = false;
  std::string code;
};

// Sample data (a Bürgerbüro's services) in one of the shipped languages.
DemoView make_demo_view(const std::string& lang, DemoPage page = DemoPage::services);

DemoIntents draw_demo_screen(Frame& f, const DemoView& view);

}  // namespace wm::ui::demo
