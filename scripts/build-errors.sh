#!/usr/bin/env bash
# Prints each compiler error or warning of the project once (swift build repeats them per job).
cd "$(dirname "$0")/.." && swift build "$@" 2>&1 | grep -E "^/.*(error|warning):" | grep -v "/.build/checkouts/" | sort -u
