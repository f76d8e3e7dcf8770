// Runs a shell command for a test and captures what it printed and its exit status.
#pragma once

#include <string>

namespace wm::test {

struct ShellResult {
  int status = -1;  // exit status; 128 + signal when the command was killed
  std::string out;  // its standard output (add 2>&1 to the command for both streams)
};

// `command` goes to /bin/sh as it is: quoting is the caller's.
ShellResult run_shell(const std::string& command);

}  // namespace wm::test
