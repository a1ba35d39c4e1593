//! Proofs the print edition of the real books: the sample manuscript and the 61 chapters of
//! *Pride and Prejudice*. Everything is measured twice: from the typesetter's own layout
//! report (`Document::layout`), and, for the margins, from the written PDF as poppler reads
//! it back (`pdftotext -bbox-layout` word boxes).
//!
//! Run with `cargo test --release --test print_quality -- --nocapture` to see the figures.

#[path = "common/pdftools.rs"]
mod pdftools;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use quire::settings::Opening;
use quire::typeset::document::{Document, LineInfo, LineKind, Numbering};

/// How far a line may pass the measure, and how close a justified line must come to it.
const TOLERANCE: f32 = 0.1;
/// Most hyphenated lines allowed in a row.
const MAX_HYPHEN_RUN: usize = 2;

fn typeset(
    manuscript: &str,
    opening: Option<Opening>,
) -> (Document, quire::model::Book, quire::settings::PrintSettings) {
    let (book, mut settings, _) = quire::read_manuscript(Path::new(manuscript)).expect("read");
    if let Some(o) = opening {
        settings.print.opening = o;
    }
    let doc = quire::typeset::typeset(&book, &settings).expect("typeset");
    (doc, book, settings.print)
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
        // A display page: the opening has its number but prints no folio.
        assert_eq!(
            doc.layout.pages[page].number, entry.number,
            "the number of the opening page of {}",
            entry.chapter
        );
        assert_eq!(
            doc.layout.pages[page].folio, None,
            "a folio on the opening page of {}",
            entry.chapter
        );
        assert_eq!(page % 2, 0, "{} opens on a recto", entry.chapter);
    }
}

/// A word box from `pdftotext -bbox-layout` (y grows downwards from the page top).
#[derive(Debug)]
struct Word {
    text: String,
    x_min: f32,
    x_max: f32,
    y_min: f32,
    y_max: f32,
}

impl Word {
    /// The word box spans the font's bbox: its baseline is about a quarter of the way up.
    fn baseline(&self) -> f32 {
        self.y_max - (self.y_max - self.y_min) * 0.25
    }
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
                    text: w.text().unwrap_or("").to_string(),
                    x_min: num(w, "xMin"),
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

/// A line of the report with the PDF's words on it, left to right.
struct PdfLine<'a> {
    info: &'a LineInfo,
    /// Baseline measured down from the page top, from the PDF.
    depth: f32,
    words: Vec<&'a Word>,
}

impl PdfLine<'_> {
    fn last(&self) -> &Word {
        self.words[self.words.len() - 1]
    }
    fn ends_in_hyphen(&self) -> bool {
        self.last().text.ends_with('-')
    }
    fn is_text(&self) -> bool {
        matches!(
            self.info.kind,
            LineKind::Body { .. } | LineKind::Note { .. }
        )
    }
}

/// Each word goes to the report line with the nearest baseline; lines with no word are left
/// out (a line of spaces, an image).
fn pdf_lines<'a>(
    doc: &'a Document,
    pages: &'a [(f32, Vec<Word>)],
    leading: f32,
) -> Vec<Vec<PdfLine<'a>>> {
    assert_eq!(pages.len(), doc.layout.pages.len(), "page count");
    pages
        .iter()
        .zip(&doc.layout.pages)
        .map(|((height, words), layout)| {
            let mut lines: Vec<PdfLine> = layout
                .lines
                .iter()
                .map(|info| PdfLine {
                    info,
                    depth: 0.0,
                    words: Vec::new(),
                })
                .collect();
            // A drop cap is no word of a line: it stands beside three.
            for w in words.iter().filter(|w| w.y_max - w.y_min < 2.0 * leading) {
                let nearest = lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (i, (height - l.info.baseline - w.baseline()).abs()))
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                if let Some((i, d)) = nearest {
                    if d < leading / 2.0 {
                        lines[i].words.push(w);
                    }
                }
            }
            for l in &mut lines {
                l.words.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
                // The baseline of the line's words as the PDF places them.
                let n = l.words.len().max(1) as f32;
                l.depth = l.words.iter().map(|w| w.baseline()).sum::<f32>() / n;
            }
            lines.retain(|l| !l.words.is_empty());
            lines
        })
        .collect()
}

/// Hyphenated compounds of the manuscript ("to-morrow", and each pair of parts of
/// "brother-in-law"), lower case: a line ending in one of these ends at a hyphen the author
/// wrote, any other line-end hyphen was inserted by the typesetter.
fn compounds(manuscript: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut dirs = vec![std::path::PathBuf::from(manuscript)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("manuscript dir") {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                for token in text.split_whitespace() {
                    let parts: Vec<String> = token
                        .split('-')
                        .map(|p| letters(p, true).to_lowercase())
                        .collect();
                    for pair in parts.windows(2) {
                        if !pair[0].is_empty() && !pair[1].is_empty() {
                            out.insert(format!("{}-{}", pair[0], pair[1]));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The letters of a word part: the run at its end (`at_end`, the part before a hyphen) or
/// at its start (the part after one), without quotes and punctuation.
fn letters(part: &str, at_end: bool) -> String {
    let chars: Vec<char> = part.chars().collect();
    let mut run: Vec<char> = if at_end {
        chars
            .iter()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .copied()
            .collect()
    } else {
        chars
            .iter()
            .skip_while(|c| !c.is_alphabetic())
            .take_while(|c| c.is_alphabetic())
            .copied()
            .collect()
    };
    if at_end {
        run.reverse();
    }
    run.into_iter().collect()
}

/// A running mean.
#[derive(Debug, Default, Clone, Copy)]
struct Mean {
    sum: f32,
    n: usize,
}

impl Mean {
    fn add(&mut self, x: f32) {
        self.sum += x;
        self.n += 1;
    }
    fn get(&self) -> f32 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f32
        }
    }
}

/// The rows of issue 14's table, measured on the written PDF.
#[derive(Debug, Default)]
struct Press {
    /// Lines of text (body and notes) found in the PDF.
    text_lines: usize,
    /// Of which end in a hyphen (inserted or the author's).
    hyphen_ends: usize,
    /// Two lines in a row of the same text ending in a hyphen.
    hyphen_pairs: Vec<String>,
    /// Inserted hyphens leaving two letters or fewer on either side.
    short_fragments: Vec<String>,
    /// Inserted hyphens in a word that starts with a capital.
    capitals_broken: Vec<String>,
    /// Rectos whose last line of text ends in a hyphen (the word goes on overleaf).
    recto_foot_hyphens: Vec<String>,
    /// Overhang into the right margin of justified lines ending in a hyphen, and in a comma
    /// or period; into the left margin of lines (not a paragraph's first) starting with a
    /// quotation mark.
    hyphen_overhang: Mean,
    stop_overhang: Mean,
    quote_overhang: Mean,
    /// Justified lines ending in a letter that are off the measure.
    ragged: Vec<String>,
    /// Lines that pass the measure by more than any glyph may hang.
    overfull: Vec<String>,
    /// Justified lines with a word space wider than half an em.
    loose: usize,
    justified: usize,
    /// Facing pages inside a chapter whose last lines are at different depths.
    spreads: usize,
    uneven_spreads: Vec<String>,
    /// Chapters longer than a page whose last page has fewer than five lines.
    short_last_pages: Vec<String>,
    /// Chapter-opening pages (of chapters longer than a page) whose last line is off the
    /// baseline grid of the full pages, or not on the standard foot line.
    openings: usize,
    openings_off_grid: Vec<String>,
    openings_short: Vec<String>,
}

/// Most lines of text (per cent) ending in a hyphen.
const MAX_HYPHEN_PERCENT: usize = 4;
/// Most pairs of hyphenated lines in a row in a book.
const MAX_HYPHEN_PAIRS: usize = 5;
/// Most justified lines (per cent) with a word space over half an em.
const MAX_LOOSE_PERCENT: usize = 2;
/// Fewest lines on a chapter's last page.
const MIN_LAST_PAGE_LINES: usize = 5;
/// Depths closer than this (points) are the same.
const SAME_DEPTH: f32 = 0.75;

fn measure_press(
    doc: &Document,
    manuscript: &str,
    pdf: &Path,
    size: f32,
    leading: f32,
) -> Option<Press> {
    let pages = pdf_words(pdf)?;
    let lines = pdf_lines(doc, &pages, leading);
    let compounds = compounds(manuscript);
    let layout = &doc.layout.pages;
    let mut f = Press::default();
    let hang = |c: char| quire::typeset::paragraph::protrusion(c);
    let widest_hang = "-–—,.;:“”‘’\"'ATVWY"
        .chars()
        .map(|c| hang(c).1)
        .fold(0.0f32, f32::max);
    for (p, page) in lines.iter().enumerate() {
        let at = |i: usize| format!("page {} line {}", label(doc, p), i + 1);
        let text: Vec<&PdfLine> = page.iter().filter(|l| l.is_text()).collect();
        for (i, l) in text.iter().enumerate() {
            f.text_lines += 1;
            if !l.ends_in_hyphen() {
                continue;
            }
            f.hyphen_ends += 1;
            if let Some(prev) = i.checked_sub(1).map(|k| text[k]) {
                let same_kind = is_note(prev.info.kind) == is_note(l.info.kind);
                if same_kind && prev.ends_in_hyphen() {
                    f.hyphen_pairs.push(at(i));
                }
            }
            // The word's other part opens the next line of the same text (maybe overleaf).
            let next = text.get(i + 1).copied().or_else(|| {
                let overleaf = lines.get(p + 1)?;
                overleaf
                    .iter()
                    .find(|n| n.is_text() && is_note(n.info.kind) == is_note(l.info.kind))
            });
            let Some(next) = next else { continue };
            let word = &l.last().text;
            let before = letters(&word[..word.len() - 1], true);
            let after = letters(&next.words[0].text, false);
            let inserted = !compounds.contains(&format!(
                "{}-{}",
                before.to_lowercase(),
                after.to_lowercase()
            ));
            if inserted && !before.is_empty() {
                let piece = format!("{}: {before}-{after}", at(i));
                if before.chars().count() <= 2 || after.chars().count() <= 2 {
                    f.short_fragments.push(piece.clone());
                }
                // The word's first letter: the fragment may be its end ("Eliza-" is whole).
                let start = word.chars().find(|c| c.is_alphabetic());
                if start.is_some_and(char::is_uppercase) {
                    f.capitals_broken.push(piece);
                }
            }
        }
        // The last line of the text on a recto: body text, else the notes.
        let recto = p % 2 == 0;
        let body_last = page
            .iter()
            .rev()
            .find(|l| matches!(l.info.kind, LineKind::Body { .. }));
        if let (true, Some(l)) = (recto, body_last) {
            if l.ends_in_hyphen() && !is_last_page_of_chapter(doc, p) {
                f.recto_foot_hyphens.push(format!("page {}", label(doc, p)));
            }
        }
        for (i, l) in page.iter().enumerate() {
            if !measured(l.info.kind) {
                continue;
            }
            let last = l.last();
            let over = last.x_max - l.info.right;
            let end = last.text.chars().last().unwrap_or(' ');
            if over > widest_hang * size + TOLERANCE {
                f.overfull.push(format!("{}: {over:.2} pt over", at(i)));
            }
            if justified(l.info.kind) {
                f.justified += 1;
                match end {
                    '-' => f.hyphen_overhang.add(over),
                    ',' | '.' => f.stop_overhang.add(over),
                    c if hang(c).1 == 0.0 && over.abs() > TOLERANCE => {
                        f.ragged.push(format!("{}: {over:.2} pt off", at(i)))
                    }
                    _ => {}
                }
                let loose = l
                    .words
                    .windows(2)
                    .any(|w| w[1].x_min - w[0].x_max > 0.5 * size);
                f.loose += usize::from(loose);
            }
            let first = l.words[0];
            let paragraph_start = matches!(l.info.kind, LineKind::Body { first: true, .. });
            if !paragraph_start && first.text.starts_with(['“', '‘']) {
                f.quote_overhang.add(l.info.left - first.x_min);
            }
        }
    }
    // Pages: what each chapter's pages are.
    let opens: Vec<usize> = (0..layout.len())
        .filter(|&p| !layout[p].chapter_starts.is_empty())
        .collect();
    let depth = |p: usize| lines[p].iter().map(|l| l.depth).fold(f32::NAN, f32::max);
    // The foot line: the depth most full pages end at.
    let mut feet: HashMap<i32, usize> = HashMap::new();
    for (p, page) in lines.iter().enumerate() {
        if !page.is_empty() {
            *feet.entry((depth(p) * 4.0).round() as i32).or_default() += 1;
        }
    }
    let foot = feet
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(d, _)| *d as f32 / 4.0)?;
    // The grid: where the first line of a page of text stands (the chapters' pages that
    // open none).
    let mut tops: HashMap<i32, usize> = HashMap::new();
    for p in opens.first().copied().unwrap_or(0)..layout.len() {
        if let (true, Some(first)) = (layout[p].chapter_starts.is_empty(), lines[p].first()) {
            *tops.entry((first.depth * 4.0).round() as i32).or_default() += 1;
        }
    }
    let top = tops
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(d, _)| *d as f32 / 4.0)?;
    for (k, &first) in opens.iter().enumerate() {
        let end = opens.get(k + 1).copied().unwrap_or(layout.len());
        // The chapter's pages, without the blank verso that may precede the next opening.
        let pages: Vec<usize> = (first..end).filter(|&p| !lines[p].is_empty()).collect();
        let Some(&last) = pages.last() else { continue };
        if pages.len() < 2 {
            continue;
        }
        let name = &layout[first].chapter_starts[0];
        let n = lines[last].len();
        if n < MIN_LAST_PAGE_LINES {
            f.short_last_pages.push(format!("{name}: {n} lines"));
        }
        f.openings += 1;
        let d = depth(first);
        let steps = (foot - d) / leading;
        let grid = (d - top) / leading;
        // Only a page of running text is on the grid: headings, displays and notes below
        // the title have their own spacing.
        let plain = lines[first].iter().all(|l| {
            matches!(
                l.info.kind,
                LineKind::Body { .. } | LineKind::Heading { level: 1 }
            )
        });
        if plain && (grid - grid.round()).abs() * leading > SAME_DEPTH {
            f.openings_off_grid.push(format!(
                "{name}: {:.2} pt off the grid",
                (grid - grid.round()) * leading
            ));
        } else if (foot - d).abs() > SAME_DEPTH {
            f.openings_short
                .push(format!("{name}: {steps:.0} lines short ({d} vs {foot})"));
        }
        for &verso in pages.iter().filter(|&&p| p % 2 == 1) {
            let recto = verso + 1;
            if recto >= last || !pages.contains(&recto) {
                continue;
            }
            f.spreads += 1;
            let (a, b) = (depth(verso), depth(recto));
            if (a - b).abs() > SAME_DEPTH {
                f.uneven_spreads.push(format!(
                    "pages {}-{}: {:.1} pt apart",
                    label(doc, verso),
                    label(doc, recto),
                    (a - b).abs()
                ));
            }
        }
    }
    Some(f)
}

/// Whether page `p` is the last page of its chapter (the next page with text opens another,
/// or there is none).
fn is_last_page_of_chapter(doc: &Document, p: usize) -> bool {
    let pages = &doc.layout.pages;
    pages[p + 1..]
        .iter()
        .find(|pg| !pg.lines.is_empty())
        .is_none_or(|pg| !pg.chapter_starts.is_empty())
}

fn proof(manuscript: &str, opening: Option<Opening>) {
    let (doc, book, print) = typeset(manuscript, opening);
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
    let Some(m) = measure_press(&doc, manuscript, &path, print.font_size, print.leading) else {
        return;
    };
    let pct = 100.0 * m.hyphen_ends as f32 / m.text_lines.max(1) as f32;
    eprintln!(
        "{manuscript} (PDF): {} text lines; overhang at the right edge: hyphen {:+.2} pt ({} \
         lines), comma/period {:+.2} pt ({}); quotes at the left edge {:+.2} pt ({}); \
         lines ending in a hyphen {} ({pct:.1}%); two in a row {}; two-letter fragments {}; \
         capitalised words broken {}; hyphens at a recto's foot {}; loose lines {} of {} \
         ({:.2}%); uneven spreads {} of {}; chapters with a last page under {MIN_LAST_PAGE_LINES} \
         lines {}; openings off the grid {} (not on the most common foot line {}) of {}",
        m.text_lines,
        m.hyphen_overhang.get(),
        m.hyphen_overhang.n,
        m.stop_overhang.get(),
        m.stop_overhang.n,
        m.quote_overhang.get(),
        m.quote_overhang.n,
        m.hyphen_ends,
        m.hyphen_pairs.len(),
        m.short_fragments.len(),
        m.capitals_broken.len(),
        m.recto_foot_hyphens.len(),
        m.loose,
        m.justified,
        100.0 * m.loose as f32 / m.justified.max(1) as f32,
        m.uneven_spreads.len(),
        m.spreads,
        m.short_last_pages.len(),
        m.openings_off_grid.len(),
        m.openings_short.len(),
        m.openings,
    );
    eprintln!("  pairs {:?}", m.hyphen_pairs);
    eprintln!("  fragments {:?}", m.short_fragments);
    eprintln!("  capitals {:?}", m.capitals_broken);
    eprintln!("  recto feet {:?}", m.recto_foot_hyphens);
    eprintln!("  spreads {:?}", m.uneven_spreads);
    eprintln!("  last pages {:?}", m.short_last_pages);
    eprintln!(
        "  openings {:?} {:?}",
        m.openings_off_grid, m.openings_short
    );
    let report_text = (doc.layout.pages.iter().flat_map(|p| &p.lines))
        .filter(|l| matches!(l.kind, LineKind::Body { .. } | LineKind::Note { .. }))
        .count();
    assert!(
        m.text_lines * 100 >= report_text * 95,
        "only {} of {} lines found in the PDF",
        m.text_lines,
        report_text
    );
    assert!(
        m.overfull.is_empty(),
        "PDF lines past the measure: {:?}",
        m.overfull
    );
    assert!(
        m.ragged.is_empty(),
        "PDF justified lines off the measure: {:?}",
        m.ragged
    );
    // Issue 14's targets. Not reached yet, so only printed above: uneven spreads (0), short
    // last pages (0), openings on the most common foot line.
    assert!(
        // (A short book has too few lines for a share to mean anything.)
        m.text_lines < 1_000 || m.hyphen_ends * 100 <= m.text_lines * MAX_HYPHEN_PERCENT,
        "{} of {} lines end in a hyphen",
        m.hyphen_ends,
        m.text_lines
    );
    assert!(
        m.hyphen_pairs.len() <= MAX_HYPHEN_PAIRS,
        "two hyphenated lines in a row: {:?}",
        m.hyphen_pairs
    );
    assert!(
        m.recto_foot_hyphens.is_empty(),
        "a hyphen across the page turn: {:?}",
        m.recto_foot_hyphens
    );
    assert!(
        m.short_fragments.is_empty(),
        "two-letter fragments: {:?}",
        m.short_fragments
    );
    assert!(
        m.capitals_broken.is_empty(),
        "capitalised words broken: {:?}",
        m.capitals_broken
    );
    assert!(
        m.openings_off_grid.is_empty(),
        "openings off the baseline grid: {:?}",
        m.openings_off_grid
    );
    // Optical margins: hyphens and stops hang about as far as microtype hangs them.
    if m.hyphen_overhang.n > 0 {
        let h = m.hyphen_overhang.get();
        assert!((1.2..=2.0).contains(&h), "hyphens hang {h:.2} pt");
    }
    if m.stop_overhang.n > 0 {
        let h = m.stop_overhang.get();
        assert!(
            (1.0..=2.0).contains(&h),
            "commas and periods hang {h:.2} pt"
        );
    }
    if m.quote_overhang.n > 0 {
        let h = m.quote_overhang.get();
        assert!(
            h > 1.0,
            "opening quotes hang {h:.2} pt into the left margin"
        );
    }
    // Fewer hyphens must not be paid for with many loose lines.
    assert!(
        // (A short book has too few lines for a share to mean anything.)
        m.justified < 1_000 || m.loose * 100 <= m.justified * MAX_LOOSE_PERCENT,
        "{} of {} justified lines have a space over half an em",
        m.loose,
        m.justified
    );
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

/// A poem in pandoc's line blocks, two stanzas of four lines, the second's third line too
/// long for the measure, and prose around it.
const POEM: &str = "# A poem

Before the poem, a paragraph of prose.

| The first stanza's first line,
|     its second, indented,
| its third,
| and its fourth.
|
| The second stanza opens here,
| goes on,
| with a third line long enough to need turning over at the end of the measure, and more words still,
| and ends.

After the poem, prose again.
";

/// Lines of the page holding `needle`, as (baseline depth, left edge, text) from the PDF.
fn pdf_page_lines(pdf: &Path, needle: &str, leading: f32) -> Option<Vec<(f32, f32, String)>> {
    let pages = pdf_words(pdf)?;
    let (_, words) = pages
        .iter()
        .find(|(_, words)| words.iter().any(|w| w.text == needle))
        .expect("the page with the poem");
    let mut lines: Vec<(f32, f32, String)> = Vec::new();
    let mut sorted: Vec<&Word> = words.iter().collect();
    sorted.sort_by(|a, b| {
        (a.baseline(), a.x_min)
            .partial_cmp(&(b.baseline(), b.x_min))
            .unwrap()
    });
    for w in sorted {
        match lines.last_mut() {
            Some(l) if (w.baseline() - l.0).abs() < leading / 3.0 => {
                l.2.push(' ');
                l.2.push_str(&w.text);
            }
            _ => lines.push((w.baseline(), w.x_min, w.text.clone())),
        }
    }
    Some(lines)
}

#[test]
fn verse_keeps_lines_indents_and_stanzas() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"Verse\"\nlanguage = \"en\"\n[manuscript]\ndialect = \"pandoc\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("01-poem.md"), POEM).unwrap();
    let (book, settings, _) = quire::read_manuscript(dir.path()).expect("read");
    let doc = quire::typeset::typeset(&book, &settings).expect("typeset");
    let path = dir.path().join("verse.pdf");
    std::fs::write(&path, quire::pdf::write_pdf(&doc, &book.metadata).unwrap()).unwrap();
    let leading = settings.print.leading;
    let em = settings.print.font_size;
    let Some(lines) = pdf_page_lines(&path, "goes", leading) else {
        return;
    };
    let find = |start: &str| {
        lines
            .iter()
            .position(|l| l.2.starts_with(start))
            .unwrap_or_else(|| panic!("no line starts {start:?}: {lines:#?}"))
    };
    let (first, second, third) = (find("The first"), find("its second"), find("its third"));
    let (fourth, opens, goes) = (find("and its fourth"), find("The second"), find("goes on"));
    let (long, ends) = (find("with a third"), find("and ends."));
    // Each verse line on a line of its own, a leading's step apart inside a stanza.
    for (a, b) in [
        (first, second),
        (second, third),
        (third, fourth),
        (opens, goes),
    ] {
        assert_eq!(b, a + 1, "{lines:#?}");
        let step = lines[b].0 - lines[a].0;
        assert!((step - leading).abs() < 0.5, "step {step} in a stanza");
    }
    // A blank line's space between the stanzas.
    let gap = lines[opens].0 - lines[fourth].0;
    assert!(
        (gap - 2.0 * leading).abs() < 0.5,
        "stanza gap {gap} (leading {leading})"
    );
    // The indentation is kept; the lines of a stanza otherwise start together.
    let x = lines[first].1;
    assert!(lines[second].1 - x > 0.6 * em, "{lines:#?}");
    for i in [third, fourth, opens, goes, long, ends] {
        assert!(
            (lines[i].1 - x).abs() < 0.5,
            "{:?} at {} vs {x}",
            lines[i].2,
            lines[i].1
        );
    }
    // The long line turned over once, with a hanging indent, and the stanza goes on below.
    assert_eq!(ends, long + 2, "{lines:#?}");
    let turnover = &lines[long + 1];
    assert!(turnover.2.ends_with("still,"), "{turnover:?}");
    assert!(
        turnover.1 - x > 1.5 * em,
        "the turnover hangs: {} vs {x}",
        turnover.1
    );
}

/// The front matter as a press prints it, read from the PDF: the half-title (the title
/// alone) on the first recto, its verso blank, the title page, the copyright page; no folio
/// on those nor on a chapter's opening page, a folio on the other pages of text.
#[test]
fn front_matter_and_openings_are_display_pages() {
    let manuscript = "tests/fixtures/pride-and-prejudice";
    let (doc, book, print) = typeset(manuscript, None);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.pdf");
    std::fs::write(&path, quire::pdf::write_pdf(&doc, &book.metadata).unwrap()).unwrap();
    let Some(pages) = pdf_words(&path) else {
        return;
    };
    let text = |p: usize| -> String {
        let words: Vec<&str> = pages[p].1.iter().map(|w| w.text.as_str()).collect();
        words.join(" ")
    };
    let title = &book.metadata.title;
    assert_eq!(text(0), *title, "the half-title is the title alone");
    assert_eq!(text(1), "", "the half-title's verso is blank");
    assert!(
        text(2).starts_with(title.as_str()),
        "title page: {}",
        text(2)
    );
    assert!(
        book.metadata
            .authors
            .iter()
            .all(|a| text(2).contains(a.as_str())),
        "the title page names the author: {}",
        text(2)
    );
    assert!(!text(3).is_empty(), "the copyright page follows");
    // A folio is a word of its own below the text block.
    let foot = |p: usize| -> Vec<&str> {
        let (height, words) = &pages[p];
        let below = height - print.margins.bottom + print.leading * 0.5;
        words
            .iter()
            .filter(|w| w.y_min > below)
            .map(|w| w.text.as_str())
            .collect()
    };
    for p in 0..4 {
        assert!(
            foot(p).is_empty(),
            "a folio on page {}: {:?}",
            p + 1,
            foot(p)
        );
    }
    let mut openings = 0;
    let mut folios = 0;
    for (p, layout) in doc.layout.pages.iter().enumerate() {
        if !layout.chapter_starts.is_empty() {
            openings += 1;
            assert!(
                foot(p).is_empty(),
                "a folio on the opening {:?}",
                layout.chapter_starts
            );
        } else if !pages[p].1.is_empty() && p > 4 {
            folios += usize::from(foot(p) == [layout.number.as_str()]);
        }
    }
    assert_eq!(openings, 61);
    assert!(folios > 300, "{folios} pages of text with their folio");
}
