// wartemarke audit verify: checks the audit log against its key and sealed head, names the first bad line.
#include <filesystem>
#include <iostream>

#include "server/audit.hpp"
#include "server/cli/cli.hpp"

namespace wm::cli {
namespace {

struct VerifyOptions {
  std::string file;  // empty: <data>/audit.log
  std::string data = "wartemarke-data";
  std::string key;   // empty: <keys_dir>/audit.key as the server finds it
};

// The server's keys directory: the configuration's security.keys_dir, else <data>/keys, where
// <data> is the log's directory.
std::string default_key(Context& ctx, const std::string& log) {
  try {
    if (!ctx.region().security.keys_dir.empty())
      return (std::filesystem::path(ctx.region().security.keys_dir) / "audit.key").string();
  } catch (const std::exception&) {  // no configuration here: the data directory's default
  }
  return (std::filesystem::path(log).parent_path() / "keys" / "audit.key").string();
}

}  // namespace

void add_audit_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* audit = app.add_subcommand("audit", "the access audit log of ID data reads");
  audit->require_subcommand(1);
  auto o = std::make_shared<VerifyOptions>();
  auto* verify = audit->add_subcommand(
      "verify", "check MACs, chain and sealed end; exit 4 if tampered, 5 if unkeyed legacy");
  verify->add_option("file", o->file, "audit log (default <data>/audit.log)");
  verify->add_option("-d,--data", o->data, "data directory (default wartemarke-data)");
  verify->add_option("--key", o->key,
                     "audit key; audit.head beside it (default <keys_dir>/audit.key, keys_dir "
                     "from the configuration or <data>/keys)");
  verify->callback([&exit_code, &ctx, o] {
    std::string file = !o->file.empty() ? o->file : (std::filesystem::path(o->data) / "audit.log").string();
    std::string key = !o->key.empty() ? o->key : default_key(ctx, file);
    auto r = server::audit_verify(file, key);
    (r.ok ? std::cout : std::cerr) << file << ": " << r.message << "\n";
    if (!r.ok) exit_code = r.legacy ? 5 : 4;
  });
}

}  // namespace wm::cli
