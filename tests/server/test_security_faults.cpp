// Store faults against the real broker on real small filesystems: a full tmpfs, an ext4 image
// that the kernel turns read-only mid-run, and a data directory that is read-only at start.
#define BOOST_TEST_MODULE server_security_faults
#include <boost/test/unit_test.hpp>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/support/broker_process.hpp"
#include "tests/support/preconditions.hpp"

using wm::core::ErrorCode;
using wm::core::json;

namespace {

// A filesystem mounted for one test; detached on destruction even if the broker still runs.
class Mount {
 public:
  explicit Mount(std::string path) : path_(std::move(path)) {}
  ~Mount() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool tmpfs(const std::string& size) {
    std::filesystem::create_directories(path_);
    mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
    if (!mounted_) BOOST_TEST_MESSAGE("tmpfs mount failed: " << std::strerror(errno));
    return mounted_;
  }
  // An ext4 image on a loop device that remounts itself read-only on the first error.
  bool ext4(const std::string& image) {
    std::filesystem::create_directories(path_);
    std::string cmd = "truncate -s 16M " + image + " && mkfs.ext4 -q -F " + image +
                      " >/dev/null 2>&1 && mount -o loop,errors=remount-ro " + image + " " + path_;
    mounted_ = std::system(cmd.c_str()) == 0;
    return mounted_;
  }
  bool remount_ext4(const std::string& image) {
    std::string cmd = "mount -o loop,errors=remount-ro " + image + " " + path_;
    mounted_ = std::system(cmd.c_str()) == 0;
    return mounted_;
  }
  bool remount_read_only() {
    return ::mount(nullptr, path_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }
  bool unmount() {
    if (!mounted_) return true;
    mounted_ = ::umount(path_.c_str()) != 0;
    return !mounted_;
  }
  // The kernel's "errors=remount-ro" path, as after an I/O error: writes fail with EROFS.
  bool trigger_ext4_error() {
    std::ifstream mounts("/proc/mounts");
    std::string dev, where, rest;
    while (mounts >> dev >> where && std::getline(mounts, rest)) {
      if (where != path_) continue;
      std::string name = std::filesystem::path(dev).filename().string();
      std::ofstream trigger("/sys/fs/ext4/" + name + "/trigger_fs_error");
      trigger << "wartemarke test\n";
      trigger.flush();
      return static_cast<bool>(trigger);
    }
    return false;
  }

 private:
  std::string path_;
  bool mounted_ = false;
};

// Writes zeros until the filesystem is full; returns the bytes written.
std::size_t fill(const std::string& file) {
  std::ofstream out(file, std::ios::binary);
  std::string block(4096, '\0');
  std::size_t n = 0;
  while (out.write(block.data(), static_cast<std::streamsize>(block.size())) && out.flush())
    n += block.size();
  return n;
}

json issue(wm::core::BrokerClient& c) {
  return c.request("ticket.issue", {{"office", "goerlitz"}, {"services", {"kfz-neu"}}})["ticket"];
}

std::set<std::string> ticket_ids(const json& snapshot) {
  std::set<std::string> ids;
  for (const auto& t : snapshot["tickets"]) ids.insert(t["id"].get<std::string>());
  return ids;
}

// A changing request during the fault: refused with `unavailable` and a message saying why.
void expect_refused(wm::core::BrokerClient& c) {
  try {
    issue(c);
    BOOST_ERROR("ticket.issue was acknowledged although the journal cannot be written");
  } catch (const wm::core::RequestError& e) {
    BOOST_TEST(e.code() == ErrorCode::unavailable);
    BOOST_TEST(std::string(e.what()).find("cannot write its journal") != std::string::npos,
               e.what());
  }
}

// The fixture's CURVE keys live in <data>/keys, written before any test mounts a file system
// over the data directory: copied aside before the mount and back onto the new one.
struct KeysAside {
  explicit KeysAside(const wm::test::BrokerProcess& b) : b_(b) {
    std::filesystem::copy(b.keys_dir(), aside_.file("keys"), std::filesystem::copy_options::recursive);
  }
  void restore() const {
    std::filesystem::copy(aside_.file("keys"), b_.keys_dir(), std::filesystem::copy_options::recursive);
    ::sync();  // on disk before a test breaks the file system: else fsck may empty them
  }
  const wm::test::BrokerProcess& b_;
  wm::test::TempDir aside_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(disk_full_refuses_writes_then_resumes_consistently,
                     *wm::test::when(wm::test::can_mount_tmpfs)) {
  wm::test::BrokerProcess b({"--clock-start", "2026-11-23T09:00"});
  KeysAside keys(b);
  Mount disk(b.data_dir());
  BOOST_REQUIRE(disk.tmpfs("6m"));  // the precondition mounted one
  keys.restore();
  b.start();
  auto c = b.client();
  std::set<std::string> acknowledged;
  for (int i = 0; i < 3; ++i) acknowledged.insert(issue(c)["id"].get<std::string>());

  std::size_t filled = fill(b.data_dir() + "/filler");
  BOOST_TEST_MESSAGE("filled " << filled / 1024 << " KiB");
  for (int i = 0; i < 5; ++i) expect_refused(c);
  // Reads need no write: the snapshot still answers, and shows none of the refused tickets.
  BOOST_TEST(ticket_ids(c.request("snapshot")) == acknowledged);
  BOOST_TEST(b.log().find("journal commit failed") != std::string::npos);

  // The fault clears: service resumes without a restart, numbering continues without gaps.
  std::filesystem::remove(b.data_dir() + "/filler");
  json t = issue(c);
  acknowledged.insert(t["id"].get<std::string>());
  BOOST_TEST(t["number"] == "K004");
  json before = c.request("snapshot");
  BOOST_TEST(ticket_ids(before) == acknowledged);

  // Everything acknowledged is in the journal, nothing else: a restart rebuilds the same state.
  b.kill9();
  b.start();
  auto c2 = b.client();
  json after = c2.request("snapshot");
  BOOST_TEST(after == before, "snapshot differs after restart:\n" << before.dump() << "\n" << after.dump());
}

BOOST_AUTO_TEST_CASE(filesystem_turning_read_only_mid_run, *wm::test::when(wm::test::can_break_ext4)) {
  wm::test::BrokerProcess b({"--clock-start", "2026-11-23T09:00"});
  wm::test::TempDir images;
  std::string image = images.file("data.img");
  KeysAside keys(b);
  Mount disk(b.data_dir());
  BOOST_REQUIRE(disk.ext4(image));  // the precondition mounted one
  keys.restore();
  b.start();
  auto c = b.client();
  std::set<std::string> acknowledged;
  for (int i = 0; i < 2; ++i) acknowledged.insert(issue(c)["id"].get<std::string>());
  BOOST_REQUIRE(disk.trigger_ext4_error());  // the precondition found the trigger
  for (int i = 0; i < 3; ++i) expect_refused(c);
  BOOST_TEST(ticket_ids(c.request("snapshot")) == acknowledged);
  BOOST_TEST(b.log().find("journal commit failed") != std::string::npos);

  // The operator's repair: stop, fsck, mount again, start. Nothing acknowledged is lost.
  b.terminate();
  BOOST_REQUIRE(disk.unmount());
  std::system(("e2fsck -fy " + image + " >/dev/null 2>&1").c_str());  // 1 = errors corrected
  BOOST_REQUIRE(disk.remount_ext4(image));
  b.start();
  auto c2 = b.client();
  BOOST_TEST(ticket_ids(c2.request("snapshot")) == acknowledged);
  BOOST_TEST(issue(c2)["number"] == "K003");
}

BOOST_AUTO_TEST_CASE(read_only_data_dir_at_start_is_a_clear_error,
                     *wm::test::when(wm::test::can_mount_tmpfs)) {
  wm::test::BrokerProcess b({"--clock-start", "2026-11-23T09:00"});
  KeysAside keys(b);
  Mount disk(b.data_dir());
  BOOST_REQUIRE(disk.tmpfs("6m"));  // the precondition mounted one
  keys.restore();
  b.start();
  auto c = b.client();
  issue(c);
  BOOST_TEST(b.terminate() == 0);
  BOOST_REQUIRE(disk.remount_read_only());
  BOOST_CHECK_EXCEPTION(b.start(), std::runtime_error, [](const std::runtime_error& e) {
    std::string what = e.what();
    BOOST_TEST_MESSAGE(what);
    return what.find("Read-only file system") != std::string::npos &&
           what.find("in use by another") == std::string::npos;
  });
}
