#!/usr/bin/env bash
# Makes small valid seed files for every fuzz target (Fuzz/, scripts/fuzz.sh), one folder per
# target named as LEXIS_FUZZ_TARGET names it, with the `lexis` command on a few corpus lines.
# Seeds are kept small (a few KB): libFuzzer's speed and its default -max_len follow their size.
#
#   scripts/make-fuzz-seeds.sh OUT_DIR      (LEXIS=path/to/lexis to use a built binary)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: make-fuzz-seeds.sh OUT_DIR}
if [[ -z "${LEXIS:-}" ]]; then
  swift build --product lexis -q
  LEXIS="$(swift build --show-bin-path)/lexis"
fi
lexis() { "$LEXIS" "$@" -q; }
rm -rf "$out" && mkdir -p "$out" && tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
for t in w2v-bin w2v-text glove lexis-vec fasttext-bin vocab lm classifier w2v-checkpoint lm-state tsv tokenizer framed phrases dictionary; do
  mkdir -p "$out/$t"
done

# Corpora: a few lines of English (words repeat, so --min-count 1 keeps a small vocabulary).
sed -n '200,215p' corpora/en/gutenberg.txt > "$tmp/en.txt"
sed -n '100,104p' corpora/zh/sanguo_yanyi.txt > "$tmp/zh.txt"

# Word vectors in every format, and the word2vec trainer's checkpoint and -save-vocab file.
lexis train "$tmp/en.txt" -o "$tmp/v.bin" --dim 4 --min-count 2 --epochs 1 --threads 1 \
  --checkpoint "$out/w2v-checkpoint/en.ckpt" --save-vocab "$out/vocab/en.w2v-vocab"
cp "$tmp/v.bin" "$out/w2v-bin/en.bin"
lexis convert "$tmp/v.bin" "$out/w2v-text/en.txt" --to text
lexis convert "$tmp/v.bin" "$out/lexis-vec/en.lexis" --to lexis
tail -n +2 "$out/w2v-text/en.txt" > "$out/glove/en.txt"     # GloVe: the same rows, no header
printf '2 3\nthe 0.1 -2e-3 1\n\xc3\xa9t\xc3\xa9 1.5 0 -0.25\n' > "$out/w2v-text/tiny.vec"
printf 'a 1 2\nb -0.5 0.25\n' > "$out/glove/tiny.txt"

# Subword models: a fastText .bin made by fastText (the test fixture), and Lexis's own, as .lexis
# (version 2, with its n-gram section) and as a fastText .bin.
cp Tests/LexisVectorsTests/Fixtures/fasttext/tiny.bin "$out/fasttext-bin/fasttext.bin"
lexis train "$tmp/en.txt" -o "$out/lexis-vec/subword.lexis" --dim 4 --min-count 2 --epochs 1 --threads 1 --minn 3 --maxn 4 --buckets 50
lexis convert "$out/lexis-vec/subword.lexis" "$out/fasttext-bin/lexis.bin" --to fasttext

# Vocabularies: Lexis form (two tokenizers) beside word2vec.c's form above.
lexis vocab build "$tmp/en.txt" -o "$out/vocab/en.tsv" --min-count 2
lexis vocab build "$tmp/zh.txt" -o "$out/vocab/zh.tsv" --tokenizer whitespace --nfkc --min-count 1

# Language model (framed v2), its checkpoint's trainer state (Adam moments), one per cell.
for cell in lstm rnn; do
  lexis lm train --train "$tmp/en.txt" -o "$tmp/$cell.lm" --cell $cell --layers 1 --hidden 4 --embedding-size 4 \
    --bptt 4 --batch 2 --epochs 1 --min-count 2 --optimizer adam --tokenizer whitespace --threads 1
  cp "$tmp/$cell.lm" "$out/lm/$cell.lm"
  cp "$tmp/$cell.lm.checkpoint.trainer" "$out/lm-state/$cell.trainer"
done

# Labelled TSV and fastText-format lines (several labels, labels after the text) and classifiers
# (bag of words with bigrams, a 2-member recurrent ensemble, a cnn, a mixed ensemble, 8-bit and
# product-quantized copies).
awk 'NF { printf "%s\t%s\n", (NR % 2 ? "pos" : "neg"), $0 }' "$tmp/en.txt" > "$out/tsv/en.tsv"
printf 'a\tb\n\tx\nlabel only\n' > "$out/tsv/odd.tsv"
printf '__label__a __label__b two labels\ntext then __label__c\n__label__a\n__label__ empty\nno label\n' > "$out/tsv/fasttext.txt"
lexis classify train --train "$out/tsv/en.tsv" -o "$out/classifier/bow.cl" --model bow --embedding-size 4 \
  --buckets 8 --min-count 2 --epochs 1 --threads 1
lexis classify train --train "$out/tsv/en.tsv" -o "$out/classifier/lstm.cl" --model recurrent --hidden 2 \
  --embedding-size 2 --min-count 2 --epochs 1 --ensemble 2 --threads 1
lexis classify train --train "$out/tsv/en.tsv" -o "$out/classifier/cnn.cl" --model cnn --filter-widths 1,2 --filters 2 \
  --embedding-size 2 --min-count 2 --epochs 1 --threads 1
lexis classify train --train "$out/tsv/en.tsv" -o "$out/classifier/mixed.cl" --model cnn,bow --filter-widths 2 --filters 2 \
  --embedding-size 2 --buckets 8 --min-count 2 --epochs 1 --threads 1
lexis classify quantize --model "$out/classifier/bow.cl" -o "$out/classifier/bow-int8.cl" >/dev/null
lexis classify quantize --model "$out/classifier/cnn.cl" --method pq -o "$out/classifier/cnn-pq.cl" >/dev/null

# Tokenizer: the first byte picks the tokenizer (Harness.swift), the rest is text.
for i in 0 1 2 3 4 5 6 7; do
  { printf "\\x0$i"; cat "$tmp/en.txt" | head -c 300; } > "$out/tokenizer/en-$i"
  { printf "\\x0$i"; head -c 300 "$tmp/zh.txt"; } > "$out/tokenizer/zh-$i"
done
printf '\x03Stra\xc3\x9fe, 3 caf\xc3\xa9s! \xef\xbc\xa1\xef\xbc\xa2 \xf0\x9f\x98\x80 $5 \xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2' \
  > "$out/tokenizer/mixed"

# Phrase tables (one and two passes, CJK joiner) and user dictionaries.
lexis phrases build "$tmp/en.txt" -o "$out/phrases/en.tsv" --threshold 0.1 --min-count 1 --passes 2
lexis phrases build "$tmp/zh.txt" -o "$out/phrases/zh.tsv" --threshold 0.1 --min-count 1
printf '# names
玄德
诸葛亮
c++
C#
ภาษาไทย
' > "$out/dictionary/names.txt"

# The framing alone: the language model with the harness's test magic (the checksum starts after it).
for f in "$out"/lm/*.lm; do
  { printf 'LEXFUZZ1'; tail -c +9 "$f"; } > "$out/framed/$(basename "$f")"
done
du -sh "$out"
