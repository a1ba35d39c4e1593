//! Footnotes at the foot of the page and table headers repeated on continuation pages, proved
//! on the PDF the `quire` binary writes for `tests/fixtures/notes` (two chapters of notes,
//! labels with spaces and symbols, a note longer than a page, a table of 120 rows), read back
//! with lopdf (link annotations, rules) and `pdftotext -bbox-layout` (where each word is), and
//! on the typesetter's layout report for the same manuscript.
//!
//! Each note in the fixture starts with a tag such as `[c1myxnote]` (chapter 1, label
//! `my note`), so that its text can be found on the page.

#[path = "common/pdftools.rs"]
mod pdftools;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use lopdf::{Object, ObjectId};
use quire::typeset::document::{Document, LineKind};

const FIXTURE: &str = "tests/fixtures/notes";

/// A word from `pdftotext -bbox-layout`, y measured down from the page top.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x_min: f32,
    y_min: f32,
    y_max: f32,
}

/// A link annotation: its rect (PDF points, y up) and the page and height it goes to.
#[derive(Debug, Clone, Copy)]
struct Goto {
    x0: f32,
    y0: f32,
    y1: f32,
    page: usize,
    top: f32,
}

/// A filled rectangle drawn on a page (rules are drawn that way): x, y, width, height.
type Rect = (f32, f32, f32, f32);

struct Built {
    doc: Document,
    pdf: PathBuf,
    /// Page heights, and for each page its words, links and rectangles.
    height: f32,
    words: Vec<Vec<Word>>,
    links: Vec<Vec<Goto>>,
    rects: Vec<Vec<Rect>>,
}

/// Builds the fixture once with the real binary and reads the PDF back.
fn built() -> Option<&'static Built> {
    static BUILT: OnceLock<Option<Built>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdf-notes");
            let _ = std::fs::remove_dir_all(&out);
            let status = Command::new(env!("CARGO_BIN_EXE_quire"))
                .args(["build", FIXTURE, "--format", "pdf", "--quiet", "--out"])
                .arg(&out)
                .status()
                .expect("run quire");
            assert!(status.success(), "quire build failed");
            let pdf = out.join("notes-on-the-press.pdf");
            assert!(pdf.is_file(), "no PDF at {}", pdf.display());
            let (book, settings, _) =
                quire::read_manuscript(Path::new(FIXTURE)).expect("read the fixture");
            let doc = quire::typeset::typeset(&book, &settings).expect("typeset");
            let (links, rects) = read_pdf(&pdf);
            assert_eq!(
                links.len(),
                doc.pages.len(),
                "the binary and the library agree"
            );
            let (height, words) = read_words(&pdf)?;
            assert_eq!(words.len(), doc.pages.len());
            Some(Built {
                doc,
                pdf,
                height,
                words,
                links,
                rects,
            })
        })
        .as_ref()
}

fn read_words(pdf: &Path) -> Option<(f32, Vec<Vec<Word>>)> {
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
    let mut height = 0.0;
    let pages = xml
        .descendants()
        .filter(|n| n.has_tag_name("page"))
        .map(|page| {
            height = num(page, "height");
            page.descendants()
                .filter(|n| n.has_tag_name("word"))
                .map(|w| Word {
                    text: w.text().unwrap_or_default().to_string(),
                    x_min: num(w, "xMin"),
                    y_min: num(w, "yMin"),
                    y_max: num(w, "yMax"),
                })
                .collect()
        })
        .collect();
    Some((height, pages))
}

fn resolve<'a>(pdf: &'a lopdf::Document, obj: &'a Object) -> &'a Object {
    match obj {
        Object::Reference(id) => pdf.get_object(*id).expect("object"),
        o => o,
    }
}

fn numbers(pdf: &lopdf::Document, obj: &Object) -> Vec<f32> {
    resolve(pdf, obj)
        .as_array()
        .expect("array")
        .iter()
        .map(|o| o.as_float().unwrap_or(f32::NAN))
        .collect()
}

/// Each page's internal links and filled rectangles.
fn read_pdf(path: &Path) -> (Vec<Vec<Goto>>, Vec<Vec<Rect>>) {
    let pdf = lopdf::Document::load(path).expect("lopdf parses the PDF");
    let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    let index: BTreeMap<ObjectId, usize> =
        pages.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut links = Vec::new();
    let mut rects = Vec::new();
    for id in &pages {
        let page = pdf.get_dictionary(*id).expect("page");
        let mut gotos = Vec::new();
        if let Ok(annots) = page.get(b"Annots") {
            for annot in resolve(&pdf, annots).as_array().expect("Annots") {
                let annot = resolve(&pdf, annot).as_dict().expect("annotation");
                let Ok(action) = annot.get(b"A") else {
                    continue;
                };
                let action = resolve(&pdf, action).as_dict().expect("action");
                if action.get(b"S").and_then(Object::as_name).ok() != Some(b"GoTo") {
                    continue;
                }
                let dest = resolve(&pdf, action.get(b"D").expect("D"))
                    .as_array()
                    .expect("D");
                let target = dest[0].as_reference().expect("a page reference");
                let rect = numbers(&pdf, annot.get(b"Rect").expect("Rect"));
                gotos.push(Goto {
                    x0: rect[0],
                    y0: rect[1].min(rect[3]),
                    y1: rect[1].max(rect[3]),
                    page: index[&target],
                    top: dest[3].as_float().expect("top"),
                });
            }
        }
        links.push(gotos);
        let content = pdf.get_and_decode_page_content(*id).expect("content");
        let mut filled = Vec::new();
        for op in &content.operations {
            if op.operator == "re" {
                let v: Vec<f32> = op
                    .operands
                    .iter()
                    .map(|o| o.as_float().unwrap_or(0.0))
                    .collect();
                filled.push((v[0], v[1], v[2], v[3]));
            }
        }
        rects.push(filled);
    }
    (links, rects)
}

/// A note as printed: its chapter and tag, the number before it, where it starts.
#[derive(Debug)]
struct NoteStart {
    chapter: char,
    tag: String,
    number: String,
    page: usize,
    /// Top of the tag word, PDF points (y up).
    top: f32,
    bottom: f32,
}

fn note_starts(b: &Built) -> Vec<NoteStart> {
    let mut out = Vec::new();
    for (page, words) in b.words.iter().enumerate() {
        for (k, w) in words.iter().enumerate() {
            let t = &w.text;
            if t.starts_with("[c") && t.ends_with(']') && !t.ends_with("end]") && k > 0 {
                out.push(NoteStart {
                    chapter: t.chars().nth(2).unwrap_or('?'),
                    tag: t.clone(),
                    number: words[k - 1].text.clone(),
                    page,
                    top: b.height - w.y_min,
                    bottom: b.height - w.y_max,
                });
            }
        }
    }
    out
}

/// The page's footnote rule: the short filled rectangle between the text and the notes, in
/// PDF points (y up). `None` if the page has no note lines.
fn note_rule(b: &Built, page: usize) -> Option<Rect> {
    let lines = &b.doc.layout.pages[page].lines;
    let first_note = lines
        .iter()
        .filter(|l| matches!(l.kind, LineKind::Note { .. }))
        .map(|l| l.baseline)
        .fold(None, |m: Option<f32>, y| Some(m.map_or(y, |m| m.max(y))))?;
    let last_text = lines
        .iter()
        .filter(|l| !matches!(l.kind, LineKind::Note { .. }))
        .map(|l| l.baseline)
        .fold(f32::INFINITY, f32::min);
    let measure = lines.first().map_or(0.0, |l| l.right - l.left);
    b.rects[page]
        .iter()
        .copied()
        .find(|&(_, y, w, h)| y > first_note && y < last_text && w < measure * 0.5 && h < 1.0)
}

#[test]
fn every_note_is_on_the_page_that_cites_it_below_a_rule() {
    let Some(b) = built() else { return };
    let notes = note_starts(b);
    assert!(
        notes.len() >= 25,
        "only {} notes found: {notes:?}",
        notes.len()
    );
    for note in &notes {
        let rule = note_rule(b, note.page)
            .unwrap_or_else(|| panic!("no footnote rule on page {} for {note:?}", note.page + 1));
        assert!(
            note.top < rule.1,
            "{note:?} is not below the rule at {}",
            rule.1
        );
        // Below every line of the text (the report's non-note lines), and set smaller.
        let lines = &b.doc.layout.pages[note.page].lines;
        for l in lines
            .iter()
            .filter(|l| !matches!(l.kind, LineKind::Note { .. }))
        {
            assert!(
                note.top < l.baseline,
                "{note:?} above a text line at {}",
                l.baseline
            );
        }
        // The reference mark: a link on the same page, above the rule, to this note.
        let marks: Vec<(usize, &Goto)> = (b.links.iter().enumerate())
            .flat_map(|(p, gs)| gs.iter().map(move |g| (p, g)))
            .filter(|(_, g)| g.page == note.page && (g.top - note.top).abs() < 6.0)
            .collect();
        assert!(!marks.is_empty(), "no link to {note:?}");
        for (p, m) in &marks {
            assert_eq!(*p, note.page, "the mark of {note:?} is on another page");
            assert!(m.y0 > rule.1, "the mark of {note:?} is below the rule");
        }
        let on_page = &b.links[note.page];
        // The number links back to the citing line on the same page, above the rule.
        let back = on_page
            .iter()
            .filter(|g| g.y1 < rule.1 && g.y0 <= note.top && g.y1 >= note.bottom)
            .find(|g| {
                g.x0 < b.words[note.page]
                    .iter()
                    .find(|w| w.text == note.tag)
                    .map_or(0.0, |w| w.x_min)
            })
            .unwrap_or_else(|| panic!("no back link from the number of {note:?}"));
        assert_eq!(back.page, note.page, "{note:?} links back to another page");
        assert!(back.top > rule.1, "{note:?} links back below the rule");
    }
}

#[test]
fn notes_are_numbered_per_chapter_with_any_label() {
    let Some(b) = built() else { return };
    let notes = note_starts(b);
    for chapter in ['1', '2'] {
        let numbers: Vec<&str> = notes
            .iter()
            .filter(|n| n.chapter == chapter)
            .map(|n| n.number.as_str())
            .collect();
        let expected: Vec<String> = (1..=numbers.len()).map(|k| format!("{k}.")).collect();
        assert_eq!(numbers, expected, "chapter {chapter}");
        assert!(numbers.len() >= 10, "chapter {chapter}: {numbers:?}");
    }
    // Labels with spaces and symbols.
    for tag in [
        "[c1myxnote]",
        "[c1x]",
        "[c1axbx]",
        "[c1secondxthought]",
        "[c1long]",
    ] {
        assert!(notes.iter().any(|n| n.tag == tag), "{tag} not printed");
    }
    // Every page with note lines draws the rule; notes are set smaller than the text.
    let size = |page: usize, baseline: f32| -> Option<f32> {
        b.doc.pages[page].items.iter().find_map(|it| match it {
            quire::typeset::document::Item::Text(r) if (r.y - baseline).abs() < 0.01 => {
                Some(r.size)
            }
            _ => None,
        })
    };
    let mut pages_with_notes = 0;
    for (p, page) in b.doc.layout.pages.iter().enumerate() {
        let notes: Vec<f32> = page
            .lines
            .iter()
            .filter(|l| matches!(l.kind, LineKind::Note { .. }))
            .map(|l| l.baseline)
            .collect();
        if notes.is_empty() {
            continue;
        }
        pages_with_notes += 1;
        assert!(
            note_rule(b, p).is_some(),
            "page {} has notes but no rule",
            p + 1
        );
        for y in notes {
            assert!(
                size(p, y).is_some_and(|s| s < 10.0),
                "page {}: note at {y}",
                p + 1
            );
        }
    }
    assert!(pages_with_notes >= 8, "{pages_with_notes} pages with notes");
    eprintln!(
        "{} notes on {pages_with_notes} pages, each with its rule",
        notes.len()
    );
}

#[test]
fn a_note_cited_at_a_page_foot_stays_with_its_line() {
    let Some(b) = built() else { return };
    // Some note is cited in one of the last two lines of the text on its page.
    let near_foot = note_starts(b).iter().any(|note| {
        let text: Vec<f32> = b.doc.layout.pages[note.page]
            .lines
            .iter()
            .filter(|l| !matches!(l.kind, LineKind::Note { .. }))
            .map(|l| l.baseline)
            .collect();
        let rule = note_rule(b, note.page).map_or(0.0, |r| r.1);
        b.links[note.page].iter().any(|g| {
            (g.top - note.top).abs() < 6.0
                && g.y0 > rule
                && text.iter().filter(|&&y| y < g.y0).count() <= 1
        })
    });
    assert!(
        near_foot,
        "no note is cited near a page foot in the fixture"
    );
}

#[test]
fn a_long_note_continues_at_the_foot_of_the_next_page() {
    let Some(b) = built() else { return };
    let find = |tag: &str| {
        b.words
            .iter()
            .position(|ws| ws.iter().any(|w| w.text == tag))
            .unwrap_or_else(|| panic!("{tag} not found"))
    };
    let (start, end) = (find("[c1long]"), find("[c1end]."));
    assert!(end > start, "the long note fits one page ({})", start + 1);
    for p in start + 1..=end {
        // The continuation comes first at the foot: the first note line on the page does not
        // open a note (no number), and it is below the rule.
        let rule = note_rule(b, p).unwrap_or_else(|| panic!("no rule on page {}", p + 1));
        let below: Vec<&Word> = {
            let mut ws: Vec<&Word> = b.words[p]
                .iter()
                .filter(|w| b.height - w.y_min < rule.1)
                .collect();
            ws.sort_by(|a, c| {
                a.y_min
                    .total_cmp(&c.y_min)
                    .then(a.x_min.total_cmp(&c.x_min))
            });
            ws
        };
        let first = below
            .first()
            .unwrap_or_else(|| panic!("page {}: nothing below the rule", p + 1));
        assert!(
            !(first.text.ends_with('.')
                && first.text[..first.text.len() - 1].parse::<u32>().is_ok()),
            "page {}: the notes start with a new note ({}) instead of the continuation",
            p + 1,
            first.text
        );
    }
    // Split like a paragraph: at least two of its lines on the first page and on the last.
    let lines_between = |p: usize, from: f32, to: f32| {
        let mut ys: Vec<i32> = b.words[p]
            .iter()
            .filter(|w| w.y_min >= from - 1.0 && w.y_min <= to + 1.0)
            .map(|w| w.y_min.round() as i32)
            .collect();
        ys.sort_unstable();
        ys.dedup_by(|a, c| (*a - *c).abs() <= 1);
        ys.len()
    };
    let y_of = |p: usize, tag: &str| {
        b.words[p]
            .iter()
            .find(|w| w.text == tag)
            .map_or(0.0, |w| w.y_min)
    };
    // Down to the last baseline of the page (not the folio).
    let foot = b.height
        - b.doc.layout.pages[start]
            .lines
            .iter()
            .map(|l| l.baseline)
            .fold(f32::INFINITY, f32::min);
    let on_first = lines_between(start, y_of(start, "[c1long]"), foot);
    let rule_top = b.height - note_rule(b, end).map_or(0.0, |r| r.1);
    let on_last = lines_between(end, rule_top, y_of(end, "[c1end]."));
    assert!(
        on_first >= 2 && on_last >= 2,
        "{on_first} and {on_last} lines"
    );
    eprintln!(
        "the long note runs from page {} ({on_first} lines) to page {} ({on_last} lines)",
        start + 1,
        end + 1
    );
}

#[test]
fn a_long_table_repeats_its_header_on_each_page() {
    let Some(b) = built() else { return };
    let rows: Vec<(usize, u32)> = b
        .words
        .iter()
        .enumerate()
        .flat_map(|(p, ws)| {
            ws.iter().filter_map(move |w| {
                let n = w.text.strip_prefix('r')?.parse::<u32>().ok()?;
                (w.text.len() == 4).then_some((p, n))
            })
        })
        .collect();
    let mut numbers: Vec<u32> = rows.iter().map(|r| r.1).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=120).collect::<Vec<_>>(), "every row once");
    let pages: Vec<usize> = {
        let mut p: Vec<usize> = rows.iter().map(|r| r.0).collect();
        p.dedup();
        p
    };
    assert!(pages.len() >= 3, "the table spans {} pages", pages.len());
    eprintln!("the table's 120 rows span {} pages", pages.len());
    for &p in &pages {
        // The first line of the text block (below the running head): the header cells.
        let text_top = b.height
            - b.doc.layout.pages[p]
                .lines
                .first()
                .map_or(0.0, |l| l.baseline + 20.0);
        let mut words: Vec<&Word> = b.words[p].iter().filter(|w| w.y_max > text_top).collect();
        words.sort_by(|a, c| {
            a.y_min
                .total_cmp(&c.y_min)
                .then(a.x_min.total_cmp(&c.x_min))
        });
        let header: Vec<&Word> = words.iter().filter(|w| w.text == "Item").copied().collect();
        assert_eq!(header.len(), 1, "page {}: {} headers", p + 1, header.len());
        let first_row = rows
            .iter()
            .filter(|r| r.0 == p)
            .map(|r| r.1)
            .min()
            .unwrap_or(0);
        let row_y = b.words[p]
            .iter()
            .find(|w| w.text == format!("r{first_row:03}"))
            .map_or(0.0, |w| w.y_min);
        assert!(
            header[0].y_min < row_y,
            "page {}: header below the rows",
            p + 1
        );
        if p != pages[0] {
            let line: Vec<&str> = words
                .iter()
                .filter(|w| (w.y_min - words[0].y_min).abs() < 2.0)
                .map(|w| w.text.as_str())
                .collect();
            assert_eq!(line, ["Item", "Quantity", "Remark"], "page {}", p + 1);
        }
    }
    // The PDF file itself is whole.
    if let Some(check) = pdftools::qpdf_check(&b.pdf) {
        assert!(check.success, "{}", check.stdout);
    }
}
