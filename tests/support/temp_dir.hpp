// A temporary directory that removes itself, for tests that write real files.
#pragma once

#include <filesystem>
#include <string>

namespace wm::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

// Path of a file in the source tree ("deploy/config/county.toml").
std::string source_path(const std::string& relative);

}  // namespace wm::test
