// wartemarke appointments import FILE.csv: a booking portal's export (code;office;service;slot;name).
#include <fstream>
#include <iostream>
#include <sstream>

#include "server/cli/cli.hpp"

namespace wm::cli {
namespace {

// Splits one CSV line on ',' or ';' with "quoted" fields.
std::vector<std::string> split_csv(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace

void add_appointment_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* appts = app.add_subcommand("appointments", "booked appointments");
  appts->require_subcommand(1);
  auto* import = appts->add_subcommand(
      "import", "import a CSV export: header code,office,service,slot,name (',' or ';')");
  auto file = std::make_shared<std::string>();
  import->add_option("file", *file, "CSV file")->required()->check(CLI::ExistingFile);
  import->callback([&ctx, &exit_code, file] {
    std::ifstream in(*file);
    std::string header;
    std::getline(in, header);
    char sep = header.find(';') != std::string::npos ? ';' : ',';
    auto cols = split_csv(header, sep);
    auto col = [&](const std::string& name) -> int {
      for (std::size_t i = 0; i < cols.size(); ++i)
        if (cols[i] == name) return static_cast<int>(i);
      return -1;
    };
    int c_code = col("code"), c_office = col("office"), c_service = col("service"),
        c_slot = col("slot"), c_name = col("name");
    if (c_code < 0 || c_office < 0 || c_service < 0 || c_slot < 0) {
      std::cerr << *file << ":1: header must name the columns code, office, service, slot (name optional)\n";
      exit_code = 2;
      return;
    }
    json batch = json::array();
    std::size_t imported = 0;
    int line_no = 1;
    auto flush = [&] {
      if (batch.empty()) return;
      auto client = ctx.client();
      json r = client.request("appointment.import", json{{"appointments", batch}});
      imported += r.value("imported", std::size_t{0});
      batch = json::array();
    };
    std::string line;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto f = split_csv(line, sep);
      int need = std::max({c_code, c_office, c_service, c_slot});
      if (static_cast<int>(f.size()) <= need) {
        std::cerr << *file << ":" << line_no << ": expected " << cols.size() << " columns, got "
                  << f.size() << "\n";
        exit_code = 2;
        return;
      }
      json a{{"code", f[c_code]}, {"office", f[c_office]}, {"service", f[c_service]},
             {"slot", f[c_slot]}};
      if (c_name >= 0 && c_name < static_cast<int>(f.size()) && !f[c_name].empty())
        a["name"] = f[c_name];
      batch.push_back(a);
      if (batch.size() >= 200) flush();
    }
    flush();
    std::cout << "imported " << imported << " appointment(s) from " << *file << "\n";
  });
}

}  // namespace wm::cli
