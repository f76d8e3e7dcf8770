#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs the whole suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh
ctest --preset release --timeout 600 "$@"
