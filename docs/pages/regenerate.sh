#!/bin/sh
# Regenerates the page images shown in README.md ("What the pages look like") from the sample
# book, with the settings in manuscript/book.toml. Needs poppler-utils (pdftoppm).
set -eu
cd "$(dirname "$0")/../.."
cargo run --release --quiet -- build manuscript --format pdf --out build
rm -f docs/pages/*.png
# PDF pages 3 (contents), 7 and 8 (a chapter opening, then the verso after it).
pdftoppm -r 60 -png -f 3 -l 3 build/ballerina.pdf docs/pages/contents
pdftoppm -r 60 -png -f 7 -l 8 build/ballerina.pdf docs/pages/page
ls docs/pages/*.png
