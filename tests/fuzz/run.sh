#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in a build directory of their own and runs
# each one for a bounded time on seeds copied from the repository's fixtures (README.md here).
#
#   tests/fuzz/run.sh                 every target, 20 s each (CI: deploy/test.sh runs this)
#   tests/fuzz/run.sh -t 300          every target, 5 minutes each
#   tests/fuzz/run.sh -t 600 upu_post config_yaml      some targets
#   tests/fuzz/run.sh --build-only
#
# Needs clang 16 (Debian 12: clang-16 and libclang-rt-16-dev, which deploy/install-deps.sh
# installs): clang 14 cannot compile the hub (C++20 lambdas capturing structured bindings).
# Environment: SWHUB_FUZZ_CC / SWHUB_FUZZ_CXX (default clang-16 / clang++-16), SWHUB_FUZZ_CMAKE_ARGS
# (extra cmake arguments, e.g. ccache launchers), SWHUB_FUZZ_BUILD_DIR (default build/fuzz), SWHUB_FUZZ_JOBS (targets run at once,
# default: the number of cores), SWHUB_CORPUS_DIR (optional: the shared customs corpus; when it
# holds wco-dms/, its DMS XSDs turn the wco_dec target's DMS filings on and its declarations are
# extra seeds). Exits non-zero when a target finds a crash; its reproducer is in the work folder
# (printed), run it again with: build/fuzz/bin/fuzz/fuzz_<target> <file>.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${SWHUB_FUZZ_BUILD_DIR:-$root/build/fuzz}"
jobs="${SWHUB_FUZZ_JOBS:-$(nproc)}"
seconds=20
build_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    -t) seconds="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
all=(canonical_json canonical_xml config_yaml http_request estimate_query upu_post express_csv express_json marketplace wco_dec payment)
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

start=$(date +%s)
# -O1 and line tables only, as libFuzzer builds usually are: a third less compile time than -O2 -g.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DCMAKE_C_COMPILER="${SWHUB_FUZZ_CC:-clang-16}" -DCMAKE_CXX_COMPILER="${SWHUB_FUZZ_CXX:-clang++-16}" \
  -DSWHUB_FUZZ=ON -DSWHUB_BUILD_TESTS=OFF ${SWHUB_FUZZ_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" --target swhub_fuzzers -j "$(nproc)"
echo "fuzz: built in $(( $(date +%s) - start )) s"
[ "$build_only" -eq 1 ] && exit 0

work="$build/work"
corpus_dir="${SWHUB_CORPUS_DIR:-$root/../shared/corpus}"
dms_schemas="$corpus_dir/wco-dms/schemas"

# seed TARGET: the target's seed folder, filled afresh from the repository (never committed).
seed() {
  local target="$1" dir="$work/$1/seeds"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$root"/tests/fuzz/seeds/"$target"/* "$dir"/ 2>/dev/null || true
  case "$target" in
    canonical_json) cp "$root"/config/examples/*.json "$dir"/ ;;
    config_yaml) cp "$root"/config/hub.yaml "$root"/config/jurisdictions/*.yaml "$root"/plugins/agencies/customs/example-risk.yaml "$dir"/ ;;
    express_json) cp "$root"/tests/samples/express_manifest/*.json "$dir"/ ;;
    marketplace) cp "$root"/tests/samples/marketplace/*.json "$dir"/ ;;
    payment) cp "$root"/tests/samples/payment/*.json "$dir"/ ;;
    wco_dec) [ -d "$corpus_dir/wco-dms/declarations" ] && cp "$corpus_dir"/wco-dms/declarations/* "$dir"/ || true ;;
  esac
}

# run TARGET: -max_total_time seconds on a corpus that grows in the work folder; prints its figures.
run() {
  local target="$1" dir="$work/$1"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  seed "$target"
  if [ "$target" = wco_dec ] && [ -d "$dms_schemas" ]; then export SWHUB_WCO_DEC_SCHEMA_DIR="$dms_schemas"; fi
  local rc=0
  "$build/bin/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "$dir/corpus" "$dir/seeds" >"$dir/log" 2>&1 || rc=$?
  local runs cov
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/log" | tail -1 | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | grep -o '[0-9]*' || echo "?")
  if [ "$rc" -ne 0 ]; then
    echo "fuzz: $target FAILED (exit $rc) after $runs runs; log $dir/log; artifacts:" $(ls "$dir/artifacts")
    grep -m5 -E 'ERROR:|runtime error|swhub fuzz:|deadly signal|timeout|terminate called|what\(\)' "$dir/log" || tail -20 "$dir/log"
    # The stack and the reproducer itself: a CI log is all one gets of a run elsewhere.
    grep -m20 -E '^ *#[0-9]+ ' "$dir/log" || true
    local artifact
    for artifact in "$dir"/artifacts/*; do
      [ -f "$artifact" ] && [ "$(stat -c %s "$artifact")" -le 16384 ] || continue
      echo "fuzz: reproducer $(basename "$artifact") (base64; decode with base64 -d):"
      base64 -w 100 "$artifact"
    done
    return 1
  fi
  echo "fuzz: $target ok: $runs runs in ${seconds} s, cov $cov, corpus $(ls "$dir/corpus" | wc -l) files"
}

failed=0
pids=()
names=()
for target in "${targets[@]}"; do
  run "$target" &
  pids+=($!); names+=("$target")
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}"); names=("${names[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
echo "fuzz: ${#targets[@]} targets in $(( $(date +%s) - start )) s"
exit "$failed"
