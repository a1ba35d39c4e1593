//! PDF writer: typeset pages -> printpdf (+ lopdf for outlines, labels, /Lang).
