// Where every touch widget was drawn in the last frame, for tests and overflow checks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ui/layout.hpp"

namespace wm::ui {

enum class WidgetKind { button, tile, toggle, key, text, field };

struct WidgetInfo {
  std::string id;       // stable across languages: "kiosk.lang.en"
  std::string label;    // what was shown (UTF-8), for test messages
  Rect rect;
  WidgetKind kind = WidgetKind::button;
  bool enabled = true;
  bool selected = false;
  bool label_fits = true;  // false: even shrunk, the text did not fit its box
  // How it was drawn, for tests that compare widgets: a button's kind ("primary",
  // "secondary", "quiet", "danger"; empty for other widgets) and the font size its text was
  // set in after any shrinking (0 where not recorded).
  std::string style{};
  float text_size = 0;
};

// Double-buffered: widgets register into the current frame; queries answer from the last
// completed frame, so a test always sees one whole, consistent screen.
class WidgetRegistry {
 public:
  void begin_frame();
  void end_frame();
  void add(WidgetInfo info);

  const WidgetInfo* find(std::string_view id) const;
  const std::vector<WidgetInfo>& all() const { return last_; }
  std::vector<const WidgetInfo*> overflowing() const;
  // Ids registered twice in one frame: a tap on them would be ambiguous.
  const std::vector<std::string>& duplicates() const { return last_duplicates_; }

 private:
  std::vector<WidgetInfo> current_, last_;
  std::vector<std::string> current_duplicates_, last_duplicates_;
};

}  // namespace wm::ui
