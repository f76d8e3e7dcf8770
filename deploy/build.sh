#!/usr/bin/env bash
# Installs missing Debian packages, then configures and builds Wartemarke (Release) in build/release.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -- -j"$(nproc)"
