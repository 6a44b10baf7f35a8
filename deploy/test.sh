#!/usr/bin/env bash
# One command: install what is missing, build, and run every test, then a short bounded run of
# every fuzz target (tests/fuzz/run.sh, in build/fuzz; SWHUB_SKIP_FUZZ=1 skips it). Exits non-zero
# on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SWHUB_BUILD_DIR:-$root/build}"

bash "$root/deploy/install-deps.sh"
bash "$root/deploy/build.sh"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 600
if [ "${SWHUB_SKIP_FUZZ:-0}" != 1 ]; then
  SWHUB_FUZZ_BUILD_DIR="${SWHUB_FUZZ_BUILD_DIR:-$build/fuzz}" bash "$root/tests/fuzz/run.sh" -t "${SWHUB_FUZZ_SECONDS:-15}"
fi
