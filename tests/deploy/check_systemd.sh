#!/usr/bin/env bash
# check_systemd.sh UNIT_DIR SWHUB_BINARY: deploy/systemd/swhub.service passes `systemd-analyze
# verify` with no word printed (its ExecStart pointed at the build's binary, since verify checks
# that the command exists), stays at an exposure level of 2.0 or better in `systemd-analyze
# security`, and its sysusers file creates the user (systemd-sysusers --dry-run). Exit 77
# (skipped) naming why when systemd-analyze is not installed.
set -euo pipefail
units="$1"
binary="$2"
if ! command -v systemd-analyze >/dev/null; then
  echo "skipped: systemd-analyze not found (Debian package systemd)"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s#/usr/bin/swhub#$binary#g" "$units/swhub.service" > "$work/swhub.service"
out="$(systemd-analyze verify "$work/swhub.service" 2>&1)" || { echo "systemd-analyze verify failed:"; echo "$out"; exit 1; }
if [ -n "$out" ]; then
  echo "systemd-analyze verify is not clean:"
  echo "$out"
  exit 1
fi
echo "systemd-analyze verify: clean"
if ! systemd-analyze security --offline=yes --threshold=20 "$work/swhub.service" > "$work/security.txt" 2>&1; then
  cat "$work/security.txt"
  echo "systemd-analyze security: exposure above 2.0"
  exit 1
fi
grep "Overall exposure level" "$work/security.txt"
if command -v systemd-sysusers >/dev/null && ! getent passwd swhub >/dev/null; then
  cp "$units/swhub.sysusers" "$work/swhub.conf"
  users="$(systemd-sysusers --dry-run "$work/swhub.conf" 2>&1 || true)"
  case "$users" in
    *"Creating user 'swhub'"*) ;;
    *) echo "swhub.sysusers does not create the user swhub:"; echo "$users"; exit 1 ;;
  esac
  echo "swhub.sysusers: creates the user swhub"
fi
