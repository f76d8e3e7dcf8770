// wartemarke keys: create device key pairs, register/revoke them, list them, rotate the server key.
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "core/client/curve.hpp"
#include "core/clock.hpp"
#include "server/cli/cli.hpp"
#include "server/keys.hpp"

namespace wm::cli {
namespace {

struct KeysOptions {
  std::string keys_dir;  // empty: config's security.keys_dir, else wartemarke-data/keys
  std::string name, role, public_key, key_file, out_dir = ".";
  std::vector<std::string> offices;
  bool all_offices = false;
};

std::string keys_dir(Context& ctx, const KeysOptions& o) {
  if (!o.keys_dir.empty()) return o.keys_dir;
  try {
    if (!ctx.region().security.keys_dir.empty()) return ctx.region().security.keys_dir;
  } catch (const std::exception&) {
  }
  return "wartemarke-data/keys";
}

}  // namespace

void add_keys_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto o = std::make_shared<KeysOptions>();
  auto* keys = app.add_subcommand("keys", "device keys for CurveZMQ (see docs/security.md)");
  keys->require_subcommand(1);
  keys->add_option("--keys", o->keys_dir, "key directory of the server (default <data>/keys)");

  auto* create = keys->add_subcommand("create", "create a device key pair: <name>.key (secret), <name>.pub");
  create->add_option("name", o->name, "device name, e.g. goerlitz-kiosk-1")->required();
  create->add_option("--out", o->out_dir, "directory for the key files");
  create->callback([o] {
    auto pair = core::generate_key_pair();
    auto base = std::filesystem::path(o->out_dir) / o->name;
    core::write_key_file(base.string() + ".key", pair,
                         "wartemarke device key " + o->name + ": secret, keep it on the device only", true);
    core::write_key_file(base.string() + ".pub", pair, "wartemarke device key " + o->name, false);
    std::cout << pair.public_key << "\n";
  });

  auto* reg = keys->add_subcommand("register", "allow a device key: role and offices");
  reg->add_option("name", o->name, "device name")->required();
  reg->add_option("--role", o->role, "kiosk, display, counter, dashboard, backoffice, admin, cli")->required();
  // Office roles need --office or an explicit --all-offices: a forgotten --office must not mean
  // "every office" (admin and cli keys act everywhere anyway).
  auto* office = reg->add_option("--office", o->offices, "office the device may act in (repeat)");
  reg->add_flag("--all-offices", o->all_offices,
                "the device acts in every office (e.g. the E-Akte gateway of the county)")
      ->excludes(office);
  auto* pk = reg->add_option("--public", o->public_key, "the device's Z85 public key");
  reg->add_option("--key-file", o->key_file, "or the device's .pub/.key file")->excludes(pk);
  reg->callback([&ctx, &exit_code, o] {
    std::string dir = keys_dir(ctx, *o);
    std::string key = o->public_key;
    if (key.empty() && !o->key_file.empty()) key = core::read_key_file(o->key_file).public_key;
    auto registry = server::KeyRegistry::load(server::KeyRegistry::file_in(dir), true);
    try {
      registry.put({o->name, key, o->role, o->offices, o->all_offices, false,
                    core::local_day(core::real_now()) + " " + core::local_hhmm(core::real_now())});
    } catch (const std::invalid_argument& e) {
      std::cerr << "wartemarke keys register: " << e.what() << "\n";
      exit_code = 2;
      return;
    }
    registry.save(server::KeyRegistry::file_in(dir));
    std::cout << "registered " << o->name << " as " << o->role << "\n";
  });

  auto* rev = keys->add_subcommand("revoke", "revoke a device key (effective at once, no restart)");
  rev->add_option("name", o->name, "device name")->required();
  rev->callback([&ctx, &exit_code, o] {
    std::string file = server::KeyRegistry::file_in(keys_dir(ctx, *o));
    auto registry = server::KeyRegistry::load(file, true);  // revoking repairs a bad entry too
    if (!registry.revoke(o->name)) {
      std::cerr << "wartemarke keys revoke: no device '" << o->name << "'\n";
      exit_code = 2;
      return;
    }
    registry.save(file);
    std::cout << "revoked " << o->name << "\n";
  });

  auto* list = keys->add_subcommand("list", "list registered device keys");
  list->callback([&ctx, o] {
    auto registry = server::KeyRegistry::load(server::KeyRegistry::file_in(keys_dir(ctx, *o)), true);
    if (ctx.json_output) {
      json out = json::array();
      for (const auto& d : registry.devices())
        out.push_back({{"name", d.name}, {"role", d.role}, {"offices", d.offices},
                       {"all_offices", d.all_offices}, {"public_key", d.public_key},
                       {"revoked", d.revoked}, {"problem", server::KeyRegistry::office_problem(d)}});
      std::cout << out.dump(2) << "\n";
      return;
    }
    for (const auto& d : registry.devices()) {
      std::string offices;
      for (const auto& of : d.offices) offices += (offices.empty() ? "" : ",") + of;
      if (offices.empty()) offices = server::is_office_role(d.role) && !d.all_offices ? "(none)" : "*";
      std::cout << std::left << std::setw(24) << d.name << std::setw(11) << d.role
                << std::setw(28) << offices << d.public_key.substr(0, 8)
                << "…" << (d.revoked ? "  REVOKED" : "") << "\n";
    }
    // Entries the broker refuses to load: it does not start until they are fixed.
    for (const auto& d : registry.devices())
      if (auto why = server::KeyRegistry::office_problem(d); !why.empty())
        std::cerr << "wartemarke keys list: " << why << "; the broker refuses this registry\n";
  });

  auto* rotate = keys->add_subcommand(
      "rotate-server", "new server key pair; restart the broker and hand out the new server.pub");
  rotate->callback([&ctx, o] {
    auto pair = server::rotate_server_keys(keys_dir(ctx, *o));
    std::cout << pair.public_key << "\n";
  });
}

}  // namespace wm::cli
