// Simulated printer: real ESC/POS in, PNG + text out; status from API flags or a control file.
#include "wm/hw/sim_printer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "wm/hw/escpos_raster.hpp"

namespace wm::hw {

namespace fs = std::filesystem;

SimPrinter::SimPrinter(std::string dir) : dir_(std::move(dir)) {}

PrintError SimPrinter::identity(PrinterIdentity& out) {
  if (conditions().unplugged) return PrintError::unplugged;
  const std::string id = "MFG:Wartemarke;CMD:ESCPOS;MDL:Simulated TM-T20;";
  std::vector<std::uint8_t> reply = {0, static_cast<std::uint8_t>(id.size() + 2)};
  reply.insert(reply.end(), id.begin(), id.end());
  parse_device_id(reply, out);
  return PrintError::ok;
}

void SimPrinter::set_conditions(const SimPrinterConditions& c) {
  std::lock_guard lock(mu_);
  api_ = c;
}

SimPrinterConditions SimPrinter::conditions() const {
  SimPrinterConditions c;
  {
    std::lock_guard lock(mu_);
    c = api_;
  }
  std::ifstream in(dir_ + "/control");
  for (std::string w; in >> w;) {
    if (w == "paper_end") c.paper_end = true;
    else if (w == "cover_open") c.cover_open = true;
    else if (w == "offline") c.offline = true;
    else if (w == "near_end") c.near_end = true;
    else if (w == "unplugged") c.unplugged = true;
  }
  return c;
}

PrinterStatus SimPrinter::status() {
  const SimPrinterConditions c = conditions();
  PrinterStatus st;
  if (c.unplugged) {
    st.error = PrintError::unplugged;
    return st;
  }
  // Same bytes as a real printer would send, through the same decoder.
  const std::uint8_t b1 = 0x12 | ((c.offline || c.cover_open || c.paper_end) ? 0x08 : 0);
  const std::uint8_t b2 = 0x12 | (c.cover_open ? 0x04 : 0) | (c.paper_end ? 0x20 : 0);
  const std::uint8_t b4 = 0x12 | ((c.near_end || c.paper_end) ? 0x0C : 0) | (c.paper_end ? 0x60 : 0);
  decode_status(b1, b2, b4, st);
  return st;
}

std::string SimPrinter::last_png() const {
  std::lock_guard lock(mu_);
  return last_png_;
}

PrintResult SimPrinter::print_raw(std::span<const std::uint8_t> job) {
  PrintResult r;
  const PrinterStatus before = status();
  if (before.blocking() != PrintError::ok) {
    r.error = before.blocking();
    r.detail = "not printed: " + before.describe();
    return r;
  }
  std::error_code ec;
  fs::create_directories(dir_, ec);
  int next = 1;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    int n = 0;
    if (std::sscanf(e.path().filename().c_str(), "ticket-%d.png", &n) == 1) next = std::max(next, n + 1);
  }
  char name[32];
  std::snprintf(name, sizeof name, "ticket-%04d", next);
  const std::string base = dir_ + "/" + name;
  const EscPosDocument doc = interpret_escpos(job);
  std::ofstream(base + ".txt") << doc.text();
  try {
    if (!write_png(rasterize(doc), base + ".png")) throw std::runtime_error("cannot write " + base + ".png");
  } catch (const std::exception& e) {
    r.error = PrintError::io_error;
    r.detail = e.what();
    return r;
  }
  {
    std::lock_guard lock(mu_);
    last_png_ = base + ".png";
  }
  r.bytes_sent = job.size();
  r.paper_near_end = before.paper_near_end;
  r.detail = "printed to " + base + ".png";
  return r;
}

}  // namespace wm::hw
