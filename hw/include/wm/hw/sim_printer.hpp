// Simulated ESC/POS printer: renders each job to ticket-NNNN.png + .txt, faults on demand.
#pragma once

#include <mutex>
#include <string>

#include "wm/hw/printer.hpp"

namespace wm::hw {

// Conditions the simulator reports. Set them by API, or by writing words into the file
// `<dir>/control` (any of: paper_end cover_open offline near_end unplugged), so a demo or an
// end-to-end test can break the printer from outside the process.
struct SimPrinterConditions {
  bool paper_end = false, cover_open = false, offline = false, near_end = false;
  bool unplugged = false;
};

class SimPrinter : public Printer {
 public:
  explicit SimPrinter(std::string dir);
  std::string describe() const override { return "simulated printer (" + dir_ + ")"; }
  PrintError identity(PrinterIdentity& out) override;
  PrinterStatus status() override;
  PrintResult print_raw(std::span<const std::uint8_t> job) override;

  void set_conditions(const SimPrinterConditions& c);  // thread-safe
  SimPrinterConditions conditions() const;             // API and control file combined
  const std::string& dir() const { return dir_; }
  std::string last_png() const;  // path of the last ticket image, empty before the first

 private:
  std::string dir_;
  mutable std::mutex mu_;
  SimPrinterConditions api_;
  std::string last_png_;
};

}  // namespace wm::hw
