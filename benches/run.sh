#!/usr/bin/env bash
# The end-to-end benchmark of issue 6: a manuscript of over a million words, built with quire
# (EPUB and PDF in one `quire build`) and, when pandoc is installed, with `pandoc -t epub3` on
# the same files in the same run; then pride-and-prejudice (both outputs). Prints the median
# wall time and peak RSS (from /usr/bin/time -v) of several runs and the quire/pandoc ratio.
#
#   benches/run.sh                  # 3 runs of each
#   RUNS=5 benches/run.sh           # more runs
#   benches/run.sh --update-readme  # also rewrite the table in README.md ("Performance")
#
# Needs /usr/bin/time (Debian: `apt-get install -y time`); pandoc is optional
# (`apt-get install -y pandoc`). The quire binary is built in release mode first.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
COPIES=${COPIES:-9}
UPDATE_README=0
[[ "${1:-}" == "--update-readme" ]] && UPDATE_README=1

FIXTURE=tests/fixtures/pride-and-prejudice
WORK=$(mktemp -d "${TMPDIR:-/tmp}/quire-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

[[ -x /usr/bin/time ]] || { echo "benches/run.sh needs /usr/bin/time (apt-get install -y time)" >&2; exit 1; }

cargo build --release --locked --quiet
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
QUIRE="$TARGET_DIR/release/quire"

# The big manuscript: COPIES copies of the novel, one file per chapter, headings renumbered
# so that every chapter title (and so every id and file name) stays unique.
BIG="$WORK/million"
mkdir -p "$BIG"
cp "$FIXTURE/metadata.yaml" "$BIG/"
n=0
for copy in $(seq 1 "$COPIES"); do
    for file in "$FIXTURE"/ch*.md; do
        n=$((n + 1))
        sed "1s/^# Chapter .*/# Chapter $n/" "$file" >"$BIG/$(printf 'ch%04d.md' "$n")"
    done
done
# The book's total (the last "words" of the JSON; the others are per chapter).
words() { "$QUIRE" stats "$1" --format json | sed -n 's/.*"words":\([0-9]*\).*/\1/p'; }
WORDS=$(words "$BIG")
PP_WORDS=$(words "$FIXTURE")
FILES=$n

# time_it LABEL OUTDIR COMMAND...: runs COMMAND RUNS times, appends "wall rss" lines to
# $WORK/LABEL (seconds, KiB).
time_it() {
    local label=$1 out=$2
    shift 2
    for _ in $(seq 1 "$RUNS"); do
        rm -rf "$out" && mkdir -p "$out"
        /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" ||
            { cat "$WORK/stderr.txt" >&2; exit 1; }
        local wall rss
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt" |
            awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
        echo "$wall $rss" >>"$WORK/$label"
    done
}

median() { # COLUMN FILE
    awk -v c="$1" '{ print $c }' "$2" | sort -g | awk '{ a[NR] = $1 } END {
        if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

time_it quire_big "$WORK/out" "$QUIRE" build "$BIG" --out "$WORK/out" --quiet
time_it quire_pp "$WORK/out" "$QUIRE" build "$FIXTURE" --out "$WORK/out" --quiet
HAVE_PANDOC=0
if command -v pandoc >/dev/null; then
    HAVE_PANDOC=1
    PANDOC_VERSION=$(pandoc --version | head -1)
    # The same files in the same order, with the same metadata.
    time_it pandoc_big "$WORK/out" pandoc -t epub3 --metadata-file="$BIG/metadata.yaml" \
        -o "$WORK/out/million.epub" "$BIG"/ch*.md
fi

secs() { printf '%.2f s' "$1"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }

QB_WALL=$(median 1 "$WORK/quire_big")
QB_RSS=$(median 2 "$WORK/quire_big")
QP_WALL=$(median 1 "$WORK/quire_pp")
QP_RSS=$(median 2 "$WORK/quire_pp")
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
MACHINE="${CPU:-unknown CPU}, $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, $(uname -sr)"

TABLE="$WORK/table.md"
{
    echo "| build | wall (median of $RUNS) | peak RSS (median) |"
    echo "|---|---|---|"
    echo "| quire, $WORDS words ($FILES files), EPUB + PDF | $(secs "$QB_WALL") | $(mib "$QB_RSS") |"
    if [[ $HAVE_PANDOC == 1 ]]; then
        PB_WALL=$(median 1 "$WORK/pandoc_big")
        PB_RSS=$(median 2 "$WORK/pandoc_big")
        echo "| $PANDOC_VERSION, the same files, EPUB only | $(secs "$PB_WALL") | $(mib "$PB_RSS") |"
    fi
    echo "| quire, pride-and-prejudice ($PP_WORDS words), EPUB + PDF | $(secs "$QP_WALL") | $(mib "$QP_RSS") |"
    echo
    if [[ $HAVE_PANDOC == 1 ]]; then
        RATIO=$(awk -v p="$PB_WALL" -v q="$QB_WALL" 'BEGIN { printf "%.1f", p / q }')
        echo "quire (EPUB and PDF) is **${RATIO} times** as fast as pandoc (EPUB alone)."
        echo
    fi
    echo "Machine: $MACHINE; measured $(date -u +%Y-%m-%d) by \`benches/run.sh\`."
} >"$TABLE"

echo
echo "Runs (wall seconds, peak RSS KiB):"
for f in quire_big pandoc_big quire_pp; do
    [[ -f "$WORK/$f" ]] && echo "  $f: $(tr '\n' ';' <"$WORK/$f")"
done
echo
cat "$TABLE"

if [[ $UPDATE_README == 1 ]]; then
    # Replace what lies between the markers in README.md.
    awk -v table="$TABLE" '
        /<!-- bench:start -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
        /<!-- bench:end -->/ { skip = 0 }
        !skip { print }
    ' README.md >"$WORK/README.md"
    cp "$WORK/README.md" README.md
    echo "README.md updated."
fi
