#!/usr/bin/env bash
# Builds the Swift client generated from openapi.yaml (scripts/contract/swift-client, swift-openapi-generator pinned)
# and drives a running server with it: a typed screen, then a reviewer's typed disposition. The first build fetches
# and compiles the generator (a few minutes); later ones reuse scripts/contract/swift-client/.build.
#
#   scripts/contract/swift-client.sh URL SCREEN_KEY REVIEW_KEY
set -euo pipefail
cd "$(dirname "$0")/swift-client"
swift build --product ClientCheck >&2
exec "$(swift build --show-bin-path)/ClientCheck" "$@"
