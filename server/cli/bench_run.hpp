// The parts of `wartemarke bench` and their order; each returns its figures as JSON.
#pragma once

#include <memory>
#include <string>

#include "core/config.hpp"
#include "core/protocol.hpp"

namespace wm::cli::bench {

struct RunOptions {
  bool quick = false;
  int clients = 200;
  int offices = 20;
  std::string keep_dir;  // empty: a temporary directory, removed afterwards
  std::string only;      // empty: every part
  std::string bin_dir;   // where wartemarke-server (and the screens) live
  std::shared_ptr<const core::Region> prediction_region;  // the demo county, if loadable
};

core::json run_all(const RunOptions& options);

}  // namespace wm::cli::bench
