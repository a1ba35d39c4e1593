#!/bin/sh
# Regenerates the page images shown in README.md ("What the pages look like") from the sample
# book, with the settings in manuscript/book.toml. Needs poppler-utils (pdftoppm).
set -eu
cd "$(dirname "$0")/../.."
cargo run --release --quiet -- build manuscript --format pdf --out build
rm -f docs/pages/*.png
# PDF pages 5 (contents, after the half-title, its blank verso, the title and copyright
# pages), 9 and 10 (a chapter opening, then the verso after it).
pdftoppm -r 60 -png -f 5 -l 5 build/ballerina.pdf docs/pages/contents
pdftoppm -r 60 -png -f 9 -l 10 build/ballerina.pdf docs/pages/page
ls docs/pages/*.png
