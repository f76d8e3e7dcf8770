#!/usr/bin/env bash
# Installs every Debian 12 package Wartemarke needs to build, test and run; idempotent and quiet.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # core, server, CLI
  libboost-test-dev libzmq3-dev cppzmq-dev libsqlite3-dev sqlite3 libsodium-dev
  nlohmann-json3-dev libtomlplusplus-dev libspdlog-dev libcli11-dev
  # the broker's allocator (many small JSON nodes per request; docs/benchmarks.md)
  libjemalloc-dev
  # hardware
  libusb-1.0-0-dev libqrencode-dev umockdev libumockdev-dev libglib2.0-dev
  # screens
  libsdl2-dev libimgui-dev libstb-dev fonts-noto-core
  # speech
  espeak-ng libespeak-ng-dev
  # HTTP status page and its browser test; systemd unit checks
  libcpp-httplib-dev chromium systemd
  # Debian packages (CPack DEB + dpkg-shlibdeps inspect binaries with file); the kiosk
  # package's session compositor (its install test installs all packages for real)
  file dpkg-dev cage
  # bounded libFuzzer runs in the suite (fuzz_bounded); the fuzzer runtime is only a Recommends
  clang libclang-rt-14-dev
  # store-fault tests make and check an ext4 loop image (mkfs.ext4, e2fsck)
  e2fsprogs
  # staff login against the county's LDAP/AD (libldap); its test starts a slapd of its own in a
  # temp dir (never the system service) and loads it with slapadd; ldap-utils for checking a
  # directory by hand (ldapwhoami). slapd's postinst runs fine with DEBIAN_FRONTEND=noninteractive.
  libldap-dev slapd ldap-utils
  # the LDAP test makes its own CA and server certificates (openssl req/x509); not in a minimal image
  openssl
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or install them yourself)" >&2
  exit 1
fi

echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# slapd's postinst starts the system directory on port 389: only its binaries are wanted here
# (the LDAP test runs its own). Stopped only when this run installed it.
if [[ " ${missing[*]} " == *" slapd "* ]] && command -v systemctl >/dev/null; then
  systemctl disable --now slapd >/dev/null 2>&1 || true
fi
echo "install-deps: done"
