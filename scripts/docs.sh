#!/usr/bin/env bash
# API documentation of every library module, in one DocC archive (swift-docc-plugin 1.5.0, added to
# the package only when LEXIS_DOCS=1). Output: .build/plugins/Swift-DocC/outputs/Lexis.doccarchive
#   bash scripts/docs.sh                 # add --transform-for-static-hosting etc. as for the plugin
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(Lexis LexisText LexisVocab LexisTensor LexisVectors LexisWord2Vec LexisRecurrent)
LEXIS_DOCS=1 swift package generate-documentation --enable-experimental-combined-documentation \
    $(printf -- '--target %s ' "${targets[@]}") "$@"
