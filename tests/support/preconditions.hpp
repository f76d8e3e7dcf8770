// Preconditions for test cases that cannot run on every machine: reported as skipped, never passed.
#pragma once
// A failed precondition makes Boost.Test skip the case with the reason ("is skipped because
// precondition failed: …"); ctest then shows the suite as skipped (SKIP_REGULAR_EXPRESSION in
// cmake/WartemarkeTest.cmake). Use: BOOST_AUTO_TEST_CASE(x, *wm::test::when(running_as_root)).
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace wm::test {

using Precondition = boost::test_tools::assertion_result (*)();

inline boost::test_tools::assertion_result unmet(const std::string& why) {
  boost::test_tools::assertion_result r{false};
  r.message() << why;
  return r;
}

inline boost::test_tools::assertion_result running_as_root() {
  if (::geteuid() != 0) return unmet("needs root");
  return true;
}

// Mounts a small tmpfs in a temp dir and unmounts it: root alone is not enough in a container
// without CAP_SYS_ADMIN.
inline boost::test_tools::assertion_result can_mount_tmpfs() {
  if (::geteuid() != 0) return unmet("needs root to mount a tmpfs");
  TempDir d;
  std::string at = d.file("probe");
  std::filesystem::create_directories(at);
  if (std::system(("mount -t tmpfs -o size=1m tmpfs " + at + " 2>/dev/null").c_str()) != 0)
    return unmet("cannot mount a tmpfs here");
  std::system(("umount " + at).c_str());
  return true;
}

// Mounts a small ext4 loop image and checks that the kernel offers ext4's trigger_fs_error,
// which turns the file system read-only as after an I/O error.
inline boost::test_tools::assertion_result can_break_ext4() {
  if (::geteuid() != 0) return unmet("needs root to mount an ext4 loop image");
  TempDir d;
  std::string image = d.file("probe.img"), at = d.file("probe");
  std::filesystem::create_directories(at);
  std::string mount = "truncate -s 4M " + image + " && mkfs.ext4 -q -F " + image +
                      " >/dev/null 2>&1 && mount -o loop " + image + " " + at + " 2>/dev/null";
  if (std::system(mount.c_str()) != 0) return unmet("cannot mount an ext4 loop image here");
  std::string check = "dev=$(findmnt -n -o SOURCE " + at +
                      ") && test -e /sys/fs/ext4/$(basename $dev)/trigger_fs_error";
  bool has_trigger = std::system(check.c_str()) == 0;
  std::system(("umount " + at).c_str());
  if (!has_trigger) return unmet("this kernel has no ext4 trigger_fs_error");
  return true;
}

// The decorator: *when(can_mount_tmpfs) on a test case.
inline boost::unit_test::decorator::precondition when(Precondition p) {
  return boost::unit_test::precondition([p](boost::unit_test::test_unit_id) { return p(); });
}

}  // namespace wm::test
