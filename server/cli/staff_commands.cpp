// wartemarke staff add|list|remove: staff accounts in the county's staff file, with the PIN
// read from a prompt or stdin (never the command line, where `ps` and shell history see it).
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "server/cli/cli.hpp"
#include "server/staff_file.hpp"

namespace wm::cli {
namespace {
namespace fs = std::filesystem;

struct StaffOptions {
  std::string file;  // empty: the staff.toml the configuration includes
  std::string login, name;
  std::vector<std::string> roles, offices;
  bool force = false;
  bool ldap = false;  // staff add --ldap: auth = "ldap", no PIN
};

// The file the accounts live in: --file, else the included file named staff.toml.
std::string staff_file(Context& ctx, const StaffOptions& o) {
  if (!o.file.empty()) return o.file;
  for (const auto& f : ctx.region().files)
    if (fs::path(f).filename() == "staff.toml") return f;
  throw std::runtime_error("the configuration includes no staff.toml; name the file with --file");
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string read_line_quietly(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  termios old{};
  bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    std::cerr << "\n";
  }
  if (!got) throw std::runtime_error("no PIN given on stdin");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// From a terminal: asked twice, without echo. From a pipe: the first line.
std::string read_pin(const std::string& login) {
  if (!::isatty(STDIN_FILENO)) return read_line_quietly("");
  std::string pin = read_line_quietly("PIN/Passwort für " + login + ": ");
  if (read_line_quietly("Noch einmal: ") != pin) throw std::runtime_error("the two entries differ");
  return pin;
}

// Writes `text` to the staff file only if the whole configuration still loads with it;
// otherwise the file stays as it was and the loader's complaint is the error.
void write_checked(Context& ctx, const std::string& path, const std::string& before,
                   const std::string& after) {
  server::replace_file(path, after);
  try {
    (void)core::load_config(ctx.config_path);
  } catch (...) {
    server::replace_file(path, before);
    throw;
  }
}

}  // namespace

void add_staff_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto o = std::make_shared<StaffOptions>();
  auto* staff = app.add_subcommand("staff", "staff accounts (logins, roles, PIN hashes)");
  staff->require_subcommand(1);
  staff->add_option("--file", o->file, "staff file (default: the staff.toml the config includes)");

  auto* add = staff->add_subcommand(
      "add", "add an account; the PIN/password comes from a prompt or the first line of stdin");
  add->add_option("login", o->login, "login, e.g. mmustermann")->required();
  add->add_option("--role", o->roles, "counter, head, backoffice, admin (repeat for several)")->required();
  add->add_option("--office", o->offices, "office the person may act in (repeat; none = all)");
  add->add_option("--name", o->name, "full name (default: the login)");
  add->add_flag("--ldap", o->ldap,
                "the password is checked by the county's directory ([security.ldap]): no PIN asked");
  add->callback([&ctx, &exit_code, o] {
    const core::Region& region = ctx.region();
    auto fail = [&](const std::string& msg) {
      std::cerr << "wartemarke staff add: " << msg << "\n";
      exit_code = 2;
    };
    for (const auto& r : o->roles)
      if (!core::parse_role(r)) return fail("unknown role '" + r + "' (counter, head, backoffice, admin)");
    for (const auto& of : o->offices)
      if (!region.find_office(of)) return fail("unknown office '" + of + "'");
    for (const auto& s : region.staff)
      if (s.login == o->login) return fail("login '" + o->login + "' exists already");
    std::string path = staff_file(ctx, *o);
    if (o->ldap && !region.security.ldap.enabled())
      return fail("--ldap needs a [security.ldap] section in the configuration (docs/configuration.md)");
    server::NewStaff s{o->login, o->name.empty() ? o->login : o->name, o->roles, o->offices, "", o->ldap};
    if (!o->ldap) {
      std::string pin;
      try {
        pin = read_pin(o->login);
      } catch (const std::runtime_error& e) {
        return fail(e.what());
      }
      if (auto why = server::pin_problem(pin, region.security.pin_min_length); !why.empty())
        return fail("PIN/password refused: " + why);
      s.password_hash = server::hash_pin(pin);
    }
    std::string before = read_text(path);
    try {
      write_checked(ctx, path, before, server::with_staff_entry(before, s));
    } catch (const core::ConfigError& e) {
      return fail("not added, the configuration would not load:\n" + std::string(e.what()));
    }
    std::cout << "added " << o->login << " to " << path
              << " (restart wartemarke-server to use it)\n";
  });

  auto* list = staff->add_subcommand("list", "list accounts (never their hashes)");
  list->callback([&ctx, o] {
    const auto& region = ctx.region();
    auto names = [](const auto& items, auto&& text) {
      std::string out;
      for (const auto& i : items) out += (out.empty() ? "" : ",") + std::string(text(i));
      return out;
    };
    auto role_text = [](core::Role r) { return core::role_name(r); };
    auto same = [](const std::string& s) { return s; };
    if (ctx.json_output) {
      json out = json::array();
      for (const auto& s : region.staff) {
        json roles = json::array();
        for (auto r : s.roles) roles.push_back(std::string(core::role_name(r)));
        out.push_back({{"login", s.login}, {"name", s.name}, {"roles", roles}, {"offices", s.offices},
                       {"auth", s.auth == core::StaffAuth::ldap ? "ldap" : "local"}});
      }
      std::cout << out.dump(2) << "\n";
      return;
    }
    for (const auto& s : region.staff) {
      std::string offices = names(s.offices, same);
      std::cout << std::left << std::setw(16) << s.login << std::setw(22) << names(s.roles, role_text)
                << std::setw(24) << (offices.empty() ? "*" : offices) << std::setw(7)
                << (s.auth == core::StaffAuth::ldap ? "ldap" : "local") << s.name << "\n";
    }
  });

  auto* remove = staff->add_subcommand("remove", "remove an account");
  remove->add_option("login", o->login, "login")->required();
  remove->add_flag("--force", o->force, "also the last admin");
  remove->callback([&ctx, &exit_code, o] {
    const auto& region = ctx.region();
    auto fail = [&](const std::string& msg) {
      std::cerr << "wartemarke staff remove: " << msg << "\n";
      exit_code = 2;
    };
    auto it = std::find_if(region.staff.begin(), region.staff.end(),
                           [&](const core::Staff& s) { return s.login == o->login; });
    if (it == region.staff.end()) return fail("no account '" + o->login + "'");
    int admins = static_cast<int>(std::count_if(region.staff.begin(), region.staff.end(), [](const auto& s) {
      return s.has_role(core::Role::admin);
    }));
    if (it->has_role(core::Role::admin) && admins == 1 && !o->force)
      return fail("'" + o->login + "' is the last admin (--force removes it anyway)");
    std::string path = staff_file(ctx, *o);
    std::string before = read_text(path);
    bool found = false;
    std::string after = server::without_staff_entry(before, o->login, found);
    if (!found) return fail("'" + o->login + "' is not in " + path);
    try {
      write_checked(ctx, path, before, after);
    } catch (const core::ConfigError& e) {
      return fail("not removed, the configuration would not load:\n" + std::string(e.what()));
    }
    std::cout << "removed " << o->login << " from " << path
              << " (restart wartemarke-server to apply)\n";
  });
}

}  // namespace wm::cli
