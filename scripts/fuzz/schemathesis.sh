#!/usr/bin/env bash
# Fuzzes a running service against openapi.yaml with schemathesis (pip install schemathesis): no server errors,
# status codes, content types and response bodies as documented. Long-running; not part of the test suite.
#
#   scripts/fuzz/schemathesis.sh http://127.0.0.1:8080 KEY_WITH_ALL_ROLES [max-examples]
set -euo pipefail
cd "$(dirname "$0")/../.."
URL=${1:?base URL}
KEY=${2:?an API key with the screen, admin and audit roles}
schemathesis run openapi.yaml --url "$URL" -H "Authorization: Bearer $KEY" --max-examples "${3:-50}" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-method DELETE
