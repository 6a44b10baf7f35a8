#!/usr/bin/env bash
# One command for a newcomer: install what is missing, build, and run the hub on the example
# configuration (config/hub.yaml) with the embedded SQLite journal. Ctrl-C stops it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SWHUB_BUILD_DIR:-$root/build}"
listen="${SWHUB_LISTEN:-127.0.0.1:8080}"

bash "$root/deploy/install-deps.sh"
bash "$root/deploy/build.sh"

"$build/bin/swhub" check-config "$root/config/hub.yaml"
"$build/bin/swhub" plugins --config "$root/config/hub.yaml"

cat <<MSG

swhub is starting on http://$listen with config/hub.yaml
  journal:  $root/config/var/swhub-journal.db (SQLite, WAL)
  health:   curl -s http://$listen/readyz
  metrics:  curl -s http://$listen/metrics
  receipts: signed with $root/config/var/receipts.key (made at the first start; the hub's
            "receipts:" line below says so), certificate: curl -s http://$listen/v1/receipts/certificate
  try a first filing (the demo-post partner files the canonical JSON form):

curl -s -X POST http://$listen/v1/messages \\
  -H 'Authorization: Bearer demo-post-token' \\
  -H 'Content-Type: application/vnd.swhub.consignment+json' \\
  -H 'Idempotency-Key: first-try-1' \\
  --data-binary @$root/config/examples/first-filing.json

  then look the case up:  curl -s -H 'Authorization: Bearer demo-post-token' 'http://$listen/v1/cases?reference=LRN-2026-000123'

  Every partner format works out of the box except DMS declarations (demo-broker): their official
  XSDs are HMRC's and not part of the repository. Until they are in $root/config/dms-schemas (or
  SWHUB_WCO_DEC_SCHEMA_DIR names their folder), DMS filings are answered 503 and the "notice:"
  lines above say why; see plugins/partners/wco_dec/README.md.

MSG
exec "$build/bin/swhub" serve --config "$root/config/hub.yaml" --listen "$listen"
