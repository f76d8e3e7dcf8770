// One log line per message: peer-supplied strings cannot forge lines or colour the terminal.
#pragma once

#include <string>
#include <string_view>

namespace wm::server {

// `text` with control characters (below 0x20, and DEL) written as \n, \r, \t, \e or \xHH.
std::string escape_controls(std::string_view text);

// Installs the process-wide spdlog format: time, level, then the message through
// escape_controls. Every log line of the process goes through it, so a newline in a message
// type, a hello name or a device name shows as "\n" instead of starting a forged line.
void use_escaping_log_format();

}  // namespace wm::server
