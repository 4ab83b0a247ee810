#!/usr/bin/env bash
# Fuzzes a running service against openapi.yaml with schemathesis (pip install schemathesis), once with a key of each
# role: no server errors, and every status, content type, header and body as documented; nothing the spec allows
# refused (except the cross-field rules scripts/fuzz/schemathesis.toml names). Exits non-zero on any failure.
#
#   scripts/fuzz/schemathesis.sh URL SCREEN_KEY ADMIN_KEY AUDIT_KEY REVIEW_KEY [max-examples]
#
# SEED (1 by default, as the test suite runs it) picks the examples; scripts/fuzz/schemathesis-random.sh runs it
# with random seeds against a server it starts.
set -euo pipefail
cd "$(dirname "$0")/../.."
URL=${1:?base URL}
EXAMPLES=${6:-50}
status=0
for role in screen admin audit review; do
    case $role in screen) key=$2 ;; admin) key=$3 ;; audit) key=$4 ;; review) key=$5 ;; esac
    echo "== $role key"
    schemathesis --config-file scripts/fuzz/schemathesis.toml run openapi.yaml --url "$URL" -H "Authorization: Bearer $key" \
        --max-examples "$EXAMPLES" --checks all --exclude-method DELETE --seed "${SEED:-1}" --suppress-health-check all || status=1
done
exit $status
