// wartemarke audit verify: checks the audit log's hash chain and names the first bad line.
#include <iostream>

#include "server/audit.hpp"
#include "server/cli/cli.hpp"

namespace wm::cli {

void add_audit_commands(CLI::App& app, Context& ctx, int& exit_code) {
  (void)ctx;
  auto* audit = app.add_subcommand("audit", "the access audit log of ID data reads");
  audit->require_subcommand(1);
  auto file = std::make_shared<std::string>("wartemarke-data/audit.log");
  auto* verify = audit->add_subcommand("verify", "check the hash chain; exit 4 if tampered");
  verify->add_option("file", *file, "audit log (default wartemarke-data/audit.log)");
  verify->callback([&exit_code, file] {
    auto r = server::audit_verify(*file);
    (r.ok ? std::cout : std::cerr) << *file << ": " << r.message << "\n";
    if (!r.ok) exit_code = 4;
  });
}

}  // namespace wm::cli
