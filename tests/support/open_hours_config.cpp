// around_the_clock_copy: the demo county with every office open all day, every day.
#include "tests/support/open_hours_config.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace wm::test {

namespace fs = std::filesystem;

std::string around_the_clock_copy(const std::string& county_toml, const std::string& dir) {
  fs::create_directories(dir);
  const fs::path source = fs::path(county_toml).parent_path();
  for (const auto& entry : fs::directory_iterator(source)) {
    if (entry.path().extension() != ".toml") continue;
    std::ifstream in(entry.path());
    std::ostringstream out;
    bool in_hours = false;
    for (std::string line; std::getline(in, line);) {
      const auto first = line.find_first_not_of(" \t");
      const bool header = first != std::string::npos && line[first] == '[';
      if (header) in_hours = false;
      if (in_hours) continue;  // the office's own days are dropped
      out << line << '\n';
      if (header && line.substr(first).rfind("[offices.hours]", 0) == 0) {
        in_hours = true;
        for (const char* day : {"mo", "tu", "we", "th", "fr", "sa", "su"})
          out << day << " = \"00:00-24:00\"\n";
      }
    }
    std::ofstream(fs::path(dir) / entry.path().filename()) << out.str();
  }
  return (fs::path(dir) / fs::path(county_toml).filename()).string();
}

}  // namespace wm::test
