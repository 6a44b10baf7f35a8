#!/usr/bin/env bash
# One command: install what is missing, build, and run every test. Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SWHUB_BUILD_DIR:-$root/build}"

bash "$root/deploy/install-deps.sh"
bash "$root/deploy/build.sh"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 600
