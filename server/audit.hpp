// The access audit log: who read which personal data, when. Append-only and hash-chained.
#pragma once

#include <string>
#include <string_view>

namespace wm::server {

// Where audit lines go: `<data_dir>/audit.log` (JSON lines). Call once at broker start.
void audit_open(const std::string& data_dir);

// Appends one line and syncs it to disk before returning: an access that is not logged must
// not happen, so callers audit first and answer afterwards. Never pass personal data here —
// who (login or counter), what (e.g. "identity.read"), subject (ticket number, case id).
// Returns false if the line could not be written (the caller refuses the access).
bool audit(std::string_view actor, std::string_view action, std::string_view subject,
           std::string_view detail = {});

// Result of checking an audit file's hash chain.
struct AuditCheck {
  bool ok = true;
  int lines = 0;
  int bad_line = 0;     // first line that fails, 1-based; 0 if none
  std::string message;  // "12 records, chain intact" or "line 7: content changed ..."
};
AuditCheck audit_verify(const std::string& path);

}  // namespace wm::server
