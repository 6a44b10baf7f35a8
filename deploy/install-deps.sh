#!/usr/bin/env bash
# Installs, from Debian 12 packages, whatever swhub needs to build, run and test that is not
# there yet. Does nothing (and needs no network) when everything is installed.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config make git curl openssl ca-certificates
  libpoco-dev libboost-dev libboost-filesystem-dev libxerces-c-dev libyaml-cpp-dev
  libssl-dev libsqlite3-dev sqlite3 libgtest-dev libgmock-dev
  rapidjson-dev  # the canonical JSON decoder of filings (hub/src/model/canonical_json_decode.cpp)
  libgoogle-perftools-dev  # tcmalloc, bin/swhub's allocator (CMakeLists.txt says why)
  libpq-dev  # the PostgreSQL journal's client library (libpq: pipeline mode and COPY)
  postgresql  # Debian 12's PostgreSQL 15 server: deploy/postgres.sh, and the tests' throwaway clusters
  python3 python3-jsonschema  # tests/schemas checks the published JSON Schemas with /usr/bin/python3
  clang-16 libclang-rt-16-dev  # tests/fuzz: libFuzzer, ASan and UBSan (clang 14 cannot build the hub)
  wrk  # tests/bench: the load generator of filing_bench --wrk and lookup_bench
  tzdata  # the time zones of account statement periods (hub.accounts.time_zone), read from /usr/share/zoneinfo
  systemd python3-yaml  # tests/deploy: systemd-analyze verify of deploy/systemd/swhub.service; deploy/compose.yaml read
  chromium  # tests/e2e: the operator console driven in headless Chromium over the DevTools protocol
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
