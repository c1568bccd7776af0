#!/usr/bin/env bash
# Installs what Lexis needs, builds it in release mode and runs the demo pipeline on corpora/:
# tokenize, build the vocabulary, train word vectors, show nearest neighbours.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! pkg-config --exists icu-i18n openblas 2>/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq libicu-dev libopenblas-dev pkg-config
fi

swift build -c release --product lexis
LEXIS=.build/release/lexis
mkdir -p vocab demo-output

echo "== tokenize (first lines of the English demo corpus)"
head -n 12 corpora/en/gutenberg.txt | $LEXIS tokenize | head -n 8

echo "== vocabulary"
$LEXIS vocab build corpora/en/gutenberg.txt -o vocab/gutenberg.tsv --min-count 5
$LEXIS vocab show vocab/gutenberg.tsv --top 10
$LEXIS vocab build corpora/zh/sanguo_yanyi.txt -o vocab/sanguo_yanyi.tsv --min-count 5
$LEXIS vocab show vocab/sanguo_yanyi.tsv --top 10

echo "== phrases: names the ICU dictionary splits (玄 德) joined back from the Chinese demo text"
$LEXIS phrases build corpora/zh/sanguo_yanyi.txt -o demo-output/sanguo-phrases.tsv --threshold 10
echo "玄德曰：关公、张飞随我来。" | $LEXIS tokenize
echo "玄德曰：关公、张飞随我来。" | $LEXIS tokenize --phrases demo-output/sanguo-phrases.tsv

if $LEXIS train --help >/dev/null 2>&1; then
    echo "== train skip-gram vectors"
    $LEXIS train corpora/en/gutenberg.txt --vocab vocab/gutenberg.tsv -o demo-output/gutenberg.bin --epochs 5
    echo "== nearest neighbours"
    $LEXIS neighbors demo-output/gutenberg.bin king ship love god -k 8
fi
