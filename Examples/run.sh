#!/usr/bin/env bash
# Builds and runs Examples/Neighbors against THIS checkout as a versioned dependency: clones the
# current commit into a temporary folder, tags it 0.1.0 there, and points the example's
# LEXIS_PACKAGE_URL at that clone. Uncommitted changes are not included (commit first).
#   bash Examples/run.sh [WORD ...]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
git clone --quiet "$ROOT" "$TMP/lexis"
git -C "$TMP/lexis" -c user.name=ci -c user.email=ci@localhost tag -a 0.1.0 -m "example build"
cp -R "$ROOT/Examples/Neighbors" "$TMP/Neighbors"
cd "$TMP/Neighbors"
export LEXIS_PACKAGE_URL="file://$TMP/lexis"
swift build -c release
.build/release/Neighbors "$ROOT/corpora/en/gutenberg.txt" "$@"
