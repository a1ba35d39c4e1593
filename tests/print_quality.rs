//! Proofs the print edition of the real books: the sample manuscript and the 61 chapters of
//! *Pride and Prejudice*. Everything is measured twice: from the typesetter's own layout
//! report (`Document::layout`), and, for the margins, from the written PDF as poppler reads
//! it back (`pdftotext -bbox-layout` word boxes).
//!
//! Run with `cargo test --release --test print_quality -- --nocapture` to see the figures.

#[path = "common/pdftools.rs"]
mod pdftools;

use std::collections::HashMap;
use std::path::Path;

use quire::settings::Opening;
use quire::typeset::document::{Document, LineInfo, LineKind, Numbering};

/// How far a line may pass the measure, and how close a justified line must come to it.
const TOLERANCE: f32 = 0.1;
/// Most hyphenated lines allowed in a row.
const MAX_HYPHEN_RUN: usize = 2;

fn typeset(manuscript: &str, opening: Option<Opening>) -> (Document, quire::model::Book, f32) {
    let (book, mut settings, _) = quire::read_manuscript(Path::new(manuscript)).expect("read");
    if let Some(o) = opening {
        settings.print.opening = o;
    }
    let doc = quire::typeset::typeset(&book, &settings).expect("typeset");
    (doc, book, settings.print.leading)
}

/// The page label printed on page `index`, from the document's label ranges.
fn label(doc: &Document, index: usize) -> String {
    let range = doc
        .page_labels
        .iter()
        .rev()
        .find(|r| r.first_page <= index)
        .expect("a label range covers every page");
    let n = range.start as usize + index - range.first_page;
    match range.numbering {
        Numbering::Arabic => n.to_string(),
        Numbering::LowerRoman => roman(n),
    }
}

fn roman(mut n: usize) -> String {
    let table = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[derive(Debug, Default)]
struct Figures {
    lines: usize,
    justified: usize,
    max_overshoot: f32,
    max_flush_error: f32,
    widows: Vec<String>,
    orphans: Vec<String>,
    heading_feet: Vec<String>,
    longest_hyphen_run: usize,
    hyphenated: usize,
    foot_hyphens: usize,
    overfull: Vec<String>,
    ragged: Vec<String>,
}

fn body(kind: LineKind) -> Option<(bool, bool, bool, bool)> {
    match kind {
        LineKind::Body {
            first,
            last,
            justified,
            hyphenated,
            ..
        } => Some((first, last, justified, hyphenated)),
        _ => None,
    }
}

fn is_note(kind: LineKind) -> bool {
    matches!(kind, LineKind::Note { .. })
}

/// Lines set to the measure: text, headings and footnotes.
fn measured(kind: LineKind) -> bool {
    matches!(
        kind,
        LineKind::Body { .. } | LineKind::Heading { .. } | LineKind::Note { .. }
    )
}

/// Lines stretched or shrunk to fill the measure exactly.
fn justified(kind: LineKind) -> bool {
    matches!(
        kind,
        LineKind::Body {
            justified: true,
            ..
        } | LineKind::Note {
            justified: true,
            ..
        }
    )
}

/// Everything the layout report says about the book.
fn measure_report(doc: &Document) -> Figures {
    let mut f = Figures::default();
    let mut run = 0;
    let pages = &doc.layout.pages;
    for (p, page) in pages.iter().enumerate() {
        for (i, line) in page.lines.iter().enumerate() {
            let at = format!("page {} line {}", label(doc, p), i + 1);
            if measured(line.kind) {
                f.lines += 1;
                let over = line.end - line.right;
                f.max_overshoot = f.max_overshoot.max(over);
                if over > TOLERANCE {
                    f.overfull.push(format!("{at}: {over:.3} pt over"));
                }
            }
            if justified(line.kind) {
                f.justified += 1;
                let err = (line.end - line.right).abs();
                f.max_flush_error = f.max_flush_error.max(err);
                if err > TOLERANCE {
                    f.ragged.push(format!("{at}: {err:.3} pt off"));
                }
            }
        }
        // Widows, orphans and page feet concern the text; the notes below it are apart.
        let lines: Vec<&LineInfo> = page.lines.iter().filter(|l| !is_note(l.kind)).collect();
        for (i, line) in lines.iter().enumerate() {
            let at = format!("page {} line {}", label(doc, p), i + 1);
            if let Some((first, last, _, hyphenated)) = body(line.kind) {
                if last && !first && i == 0 {
                    f.widows.push(at.clone());
                }
                if first && !last && i + 1 == lines.len() {
                    f.orphans.push(at.clone());
                }
                if hyphenated {
                    f.hyphenated += 1;
                    run += 1;
                    f.longest_hyphen_run = f.longest_hyphen_run.max(run);
                    if i + 1 == lines.len() {
                        f.foot_hyphens += 1;
                    }
                } else {
                    run = 0;
                }
            }
            if let LineKind::Heading { .. } = line.kind {
                // At least two lines of text follow a heading on its page, unless the chapter
                // ends there (the next page opens another chapter, or nothing follows).
                let following = lines[i + 1..]
                    .iter()
                    .filter(|l| !matches!(l.kind, LineKind::Heading { .. }))
                    .count();
                let chapter_ends = pages[p + 1..]
                    .iter()
                    .find(|pg| pg.lines.iter().any(|l| !is_note(l.kind)))
                    .is_none_or(|pg| !pg.chapter_starts.is_empty());
                if following < 2 && !chapter_ends {
                    f.heading_feet.push(at.clone());
                }
            }
        }
    }
    f
}

/// The contents' page numbers against the pages the chapters start on.
fn check_contents(doc: &Document) {
    let mut starts: HashMap<&str, usize> = HashMap::new();
    for (p, page) in doc.layout.pages.iter().enumerate() {
        for c in &page.chapter_starts {
            starts.insert(c, p);
        }
    }
    assert!(!doc.layout.toc.is_empty(), "the book has contents");
    for entry in &doc.layout.toc {
        let page = starts[entry.chapter.as_str()];
        assert_eq!(
            entry.number,
            label(doc, page),
            "contents entry {}",
            entry.chapter
        );
        assert_eq!(
            doc.layout.pages[page].folio.as_deref(),
            Some(entry.number.as_str()),
            "the folio of the opening page of {}",
            entry.chapter
        );
        assert_eq!(page % 2, 0, "{} opens on a recto", entry.chapter);
    }
}

/// A word box from `pdftotext -bbox-layout` (y grows downwards from the page top).
#[derive(Debug)]
struct Word {
    x_max: f32,
    y_min: f32,
    y_max: f32,
}

fn pdf_words(pdf: &Path) -> Option<Vec<(f32, Vec<Word>)>> {
    let out = pdftools::pdftotext(pdf, &["-bbox-layout"])?;
    assert!(out.success, "pdftotext failed: {}", out.stderr);
    let xml = roxmltree::Document::parse_with_options(
        &out.stdout,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("pdftotext's XHTML parses");
    let num = |n: roxmltree::Node, a: &str| -> f32 { n.attribute(a).unwrap().parse().unwrap() };
    let pages = xml
        .descendants()
        .filter(|n| n.has_tag_name("page"))
        .map(|page| {
            let words = page
                .descendants()
                .filter(|n| n.has_tag_name("word"))
                .map(|w| Word {
                    x_max: num(w, "xMax"),
                    y_min: num(w, "yMin"),
                    y_max: num(w, "yMax"),
                })
                .collect();
            (num(page, "height"), words)
        })
        .collect();
    Some(pages)
}

/// The right edge of every typeset line as the PDF gives it back: each word goes to the
/// report line with the nearest baseline (the word box spans the font's bbox, so its
/// baseline is estimated a quarter of the way up from its bottom).
fn measure_pdf(doc: &Document, pdf: &Path, leading: f32) -> Option<(usize, f32, f32)> {
    let pages = pdf_words(pdf)?;
    assert_eq!(pages.len(), doc.layout.pages.len(), "page count");
    let mut matched = 0;
    let mut max_over = f32::MIN;
    let mut max_flush = 0.0f32;
    for (p, ((height, words), layout)) in pages.iter().zip(&doc.layout.pages).enumerate() {
        let lines: Vec<&LineInfo> = layout.lines.iter().collect();
        let mut right: Vec<Option<f32>> = vec![None; lines.len()];
        for w in words {
            let baseline = w.y_max - (w.y_max - w.y_min) * 0.25;
            let nearest = lines
                .iter()
                .enumerate()
                .map(|(i, l)| (i, (height - l.baseline - baseline).abs()))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((i, d)) = nearest {
                if d < leading / 2.0 {
                    right[i] = Some(right[i].map_or(w.x_max, |r: f32| r.max(w.x_max)));
                }
            }
        }
        for (line, r) in lines.iter().zip(right) {
            let Some(r) = r else { continue };
            if !measured(line.kind) {
                continue;
            }
            matched += 1;
            let over = r - line.right;
            max_over = max_over.max(over);
            assert!(
                over <= TOLERANCE,
                "PDF page {}: a line ends {over:.3} pt past the measure",
                p + 1
            );
            if justified(line.kind) {
                let err = (r - line.right).abs();
                max_flush = max_flush.max(err);
                assert!(
                    err <= TOLERANCE,
                    "PDF page {}: a justified line ends {err:.3} pt from the measure (at {r}, measure ends at {})",
                    p + 1,
                    line.right
                );
            }
        }
    }
    Some((matched, max_over, max_flush))
}

fn proof(manuscript: &str, opening: Option<Opening>) {
    let (doc, book, leading) = typeset(manuscript, opening);
    let f = measure_report(&doc);
    let pages = doc.pages.len();
    let body_lines = doc
        .layout
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| body(l.kind).is_some())
        .count();
    eprintln!(
        "{manuscript}: {pages} pages, {} lines measured ({} justified), max overshoot {:.4} pt, \
         max flush error {:.4} pt, widows {}, orphans {}, headings at a foot {}, \
         hyphenated lines {} ({:.1}%), longest hyphen run {}, hyphens at a page foot {}",
        f.lines,
        f.justified,
        f.max_overshoot,
        f.max_flush_error,
        f.widows.len(),
        f.orphans.len(),
        f.heading_feet.len(),
        f.hyphenated,
        100.0 * f.hyphenated as f32 / body_lines.max(1) as f32,
        f.longest_hyphen_run,
        f.foot_hyphens,
    );
    assert!(f.lines > 50, "the report lists the lines");
    assert!(f.overfull.is_empty(), "overfull lines: {:?}", f.overfull);
    assert!(
        f.ragged.is_empty(),
        "justified lines off the measure: {:?}",
        f.ragged
    );
    assert!(f.widows.is_empty(), "widows: {:?}", f.widows);
    assert!(f.orphans.is_empty(), "orphans: {:?}", f.orphans);
    assert!(
        f.heading_feet.is_empty(),
        "headings at a page foot: {:?}",
        f.heading_feet
    );
    assert!(
        f.longest_hyphen_run <= MAX_HYPHEN_RUN,
        "{} hyphenated lines in a row",
        f.longest_hyphen_run
    );
    // A page may end in a hyphen only when no nearly-as-good break avoids it: rarely.
    assert!(
        f.foot_hyphens * 20 <= pages,
        "{} of {pages} pages end in a hyphen",
        f.foot_hyphens
    );
    // Page labels: roman front matter, arabic from the first chapter.
    assert_eq!(doc.page_labels.first().map(|r| r.first_page), Some(0));
    assert!(doc
        .page_labels
        .iter()
        .any(|r| r.numbering == Numbering::Arabic && r.start == 1));
    check_contents(&doc);

    // The written PDF, read back.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.pdf");
    let bytes = quire::pdf::write_pdf(&doc, &book.metadata).expect("PDF");
    std::fs::write(&path, &bytes).unwrap();
    if let Some((matched, over, flush)) = measure_pdf(&doc, &path, leading) {
        eprintln!(
            "{manuscript} (PDF): {matched} lines matched, max overshoot {over:.4} pt, \
             max flush error {flush:.4} pt"
        );
        assert!(
            matched * 100 >= f.lines * 95,
            "only {matched} of {} lines found in the PDF",
            f.lines
        );
    }
}

#[test]
fn sample_book_proofs_clean() {
    proof("manuscript", None);
}

#[test]
fn sample_book_with_drop_caps_proofs_clean() {
    proof("manuscript", Some(Opening::DropCap));
}

#[test]
fn footnotes_and_long_tables_proof_clean() {
    proof("tests/fixtures/notes", None);
}

#[test]
fn pride_and_prejudice_proofs_clean() {
    proof("tests/fixtures/pride-and-prejudice", None);
}
