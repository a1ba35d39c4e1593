//! Code highlighting and raw HTML in the PDF, read back from the written file.
//!
//! The fixture `tests/fixtures/code-html` has a Rust listing (`rust,ignore`, a comment, a
//! string, a tab and a line too long for the measure), a block in an unknown language, and a
//! chapter of raw HTML: `<sup>`, `<sub>`, `<br>`, `<a href>` (out of the book and to a
//! chapter), `<em>`, `<strong>`, `<span>`, a `<div>` with a `<p>`, and `<video>` (twice) and
//! `<table>`, which the PDF does not support.
//!
//! The PDF's content streams are decoded with lopdf: every text run (`Tf` size, `Tm`
//! position, `rg` fill in force, font) is paired with the typesetter's run in the same order,
//! whose glyphs carry their text; positions must agree, which proves the pairing.

#[path = "common/pdftools.rs"]
mod pdftools;

use std::collections::BTreeMap;
use std::path::Path;

use lopdf::content::Content;
use lopdf::{Object, ObjectId};
use quire::diagnostic::Diagnostic;
use quire::model::Book;
use quire::typeset::document::{Document, GlyphRun, Item, Rgb};

const FIXTURE: &str = "tests/fixtures/code-html";

/// A text run as the PDF draws it.
#[derive(Debug, Clone)]
struct PdfRun {
    font: String,
    size: f32,
    x: f32,
    y: f32,
    fill: (f32, f32, f32),
}

struct Built {
    book: Book,
    doc: Document,
    pdf: lopdf::Document,
    path: std::path::PathBuf,
    warnings: Vec<Diagnostic>,
    _dir: tempfile::TempDir,
}

fn build() -> Built {
    let (book, settings, warnings) = quire::read_manuscript(Path::new(FIXTURE)).expect("reads");
    let doc = quire::typeset::typeset(&book, &settings).expect("typesets");
    let bytes = quire::pdf::write_pdf(&doc, &book.metadata).expect("writes");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("code-html.pdf");
    std::fs::write(&path, &bytes).expect("written");
    let pdf = lopdf::Document::load_mem(&bytes).expect("lopdf parses the PDF");
    Built {
        book,
        doc,
        pdf,
        path,
        warnings,
        _dir: dir,
    }
}

fn num(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        other => panic!("not a number: {other:?}"),
    }
}

/// The text runs of a page, in drawing order, with the font's base name.
fn pdf_runs(pdf: &lopdf::Document, page: ObjectId) -> Vec<PdfRun> {
    let fonts: BTreeMap<Vec<u8>, String> = pdf
        .get_page_fonts(page)
        .expect("fonts")
        .into_iter()
        .map(|(name, dict)| {
            let base = dict
                .get(b"BaseFont")
                .and_then(|b| b.as_name())
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            (name, base)
        })
        .collect();
    let content = Content::decode(&pdf.get_page_content(page)).expect("content decodes");
    let mut out = Vec::new();
    let (mut font, mut size, mut x, mut y) = (String::new(), 0.0, 0.0, 0.0);
    let mut fill = (0.0, 0.0, 0.0);
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => {
                let name = op.operands[0].as_name().expect("font name");
                font = fonts.get(name).cloned().unwrap_or_default();
                size = num(&op.operands[1]);
            }
            "Tm" => {
                x = num(&op.operands[4]);
                y = num(&op.operands[5]);
            }
            "rg" => {
                fill = (
                    num(&op.operands[0]),
                    num(&op.operands[1]),
                    num(&op.operands[2]),
                )
            }
            "TJ" | "Tj" => out.push(PdfRun {
                font: font.clone(),
                size,
                x,
                y,
                fill,
            }),
            _ => {}
        }
    }
    out
}

fn text(run: &GlyphRun) -> String {
    run.glyphs.iter().map(|g| g.text.as_str()).collect()
}

/// Every page's runs from the typesetter paired with the PDF text object that draws them.
/// printpdf joins runs of one font and size on one baseline into one `TJ` (a fill change
/// breaks the join), so a run either starts a PDF run at the same place or continues the one
/// before on its baseline.
fn paired(b: &Built) -> Vec<Vec<(GlyphRun, PdfRun)>> {
    let pages = b.pdf.get_pages();
    assert_eq!(pages.len(), b.doc.pages.len());
    b.doc
        .pages
        .iter()
        .zip(pages.values())
        .map(|(page, id)| {
            let drawn = pdf_runs(&b.pdf, *id);
            let mut j = 0;
            let mut out = Vec::new();
            for item in &page.items {
                let Item::Text(m) = item else { continue };
                if m.glyphs.is_empty() {
                    continue;
                }
                let at = |d: &PdfRun| (m.x - d.x).abs() < 0.01 && (m.y - d.y).abs() < 0.01;
                let d = if j < drawn.len() && at(&drawn[j]) {
                    j += 1;
                    &drawn[j - 1]
                } else {
                    let d = &drawn[j.checked_sub(1).unwrap_or_else(|| {
                        panic!("{:?} at ({}, {}) is not drawn first", text(m), m.x, m.y)
                    })];
                    assert!(
                        (m.y - d.y).abs() < 0.01,
                        "{:?} is not drawn: {d:?}",
                        text(m)
                    );
                    d
                };
                assert!(
                    (m.size - d.size).abs() < 0.01,
                    "{:?}: {} vs {d:?}",
                    text(m),
                    m.size
                );
                out.push((m.clone(), d.clone()));
            }
            assert_eq!(j, drawn.len(), "every PDF run is a typeset run");
            out
        })
        .collect()
}

fn fill_of(c: Option<Rgb>) -> (f32, f32, f32) {
    let c = c.unwrap_or(Rgb::BLACK);
    let f = |v: u8| f32::from(v) / 255.0;
    (f(c.r), f(c.g), f(c.b))
}

fn same_fill(a: (f32, f32, f32), b: (f32, f32, f32)) -> bool {
    (a.0 - b.0).abs() < 0.002 && (a.1 - b.1).abs() < 0.002 && (a.2 - b.2).abs() < 0.002
}

/// The page (0-based) a chapter starts on.
fn chapter_page(doc: &Document, id: &str) -> usize {
    doc.layout
        .pages
        .iter()
        .position(|p| p.chapter_starts.iter().any(|c| c == id))
        .unwrap_or_else(|| panic!("chapter {id} starts somewhere"))
}

#[test]
fn code_is_coloured_by_its_language() {
    let b = build();
    let pages = paired(&b);
    let code_id = &b.book.chapters[0].id;
    let page = &pages[chapter_page(&b.doc, code_id)];
    let mono: Vec<&(GlyphRun, PdfRun)> = page
        .iter()
        .filter(|(_, d)| d.font.contains("DejaVuSansMono"))
        .collect();
    assert!(!mono.is_empty(), "the code is set in DejaVu Sans Mono");

    // More than one colour on the page, each set in the content stream.
    let mut fills: Vec<(f32, f32, f32)> = Vec::new();
    for (_, d) in &mono {
        if !fills.iter().any(|f| same_fill(*f, d.fill)) {
            fills.push(d.fill);
        }
    }
    eprintln!("code fills: {fills:?}");
    assert!(
        fills.len() >= 4,
        "keyword, string, comment, plain: {fills:?}"
    );
    // Every run is drawn in the colour the typesetter gave it.
    for (m, d) in page {
        assert!(
            same_fill(fill_of(m.colour), d.fill),
            "{:?}: {:?} vs {:?}",
            text(m),
            m.colour,
            d.fill
        );
    }

    // `fn` is in the theme's keyword colour (darkened for print only if too light).
    let keyword = quire::highlight::tokens("rust", "fn main() {}\n").unwrap()[0]
        .iter()
        .find(|t| t.text == "fn")
        .map(|t| quire::typeset::code::print_colour(t.colour))
        .expect("fn is a token");
    assert!(keyword.is_some(), "keywords are coloured");
    let fn_run = mono
        .iter()
        .find(|(m, _)| text(m) == "fn")
        .expect("`fn` is a run of its own");
    assert!(
        same_fill(fn_run.1.fill, fill_of(keyword)),
        "{:?}",
        fn_run.1.fill
    );
    // The comment and the string are in other colours than the keyword, none of them black.
    let colour_of = |t: &str| {
        mono.iter()
            .find(|(m, _)| text(m).contains(t))
            .map(|(_, d)| d.fill)
            .unwrap_or_else(|| panic!("{t} is drawn"))
    };
    let comment = colour_of("// Greets the reader.");
    let string = colour_of("\"Hello, reader\"");
    assert!(!same_fill(comment, fn_run.1.fill) && !same_fill(string, fn_run.1.fill));
    assert!(!same_fill(comment, (0.0, 0.0, 0.0)) && !same_fill(string, (0.0, 0.0, 0.0)));
    // Each colour reads on paper.
    for (m, _) in &mono {
        if let Some(c) = m.colour {
            let contrast = quire::typeset::code::contrast_with_white(c);
            assert!(contrast >= 4.5, "{:?} in {c:?}: {contrast}", text(m));
        }
    }
    // The unknown language is all black.
    for (m, d) in mono.iter().filter(|(m, _)| text(m).contains("plain text")) {
        assert_eq!(m.colour, None);
        assert!(same_fill(d.fill, (0.0, 0.0, 0.0)));
    }
}

#[test]
fn long_code_lines_wrap_with_the_mark_and_keep_their_colours() {
    let b = build();
    // No line passes the measure (the typesetter's layout report).
    let mut code_lines = 0;
    for page in &b.doc.layout.pages {
        for line in page.lines.iter().filter(|l| l.right > l.left) {
            assert!(line.end <= line.right + 0.1, "{line:?} passes the measure");
            code_lines += 1;
        }
    }
    assert!(code_lines > 10);

    let pages = paired(&b);
    let page = &pages[chapter_page(&b.doc, &b.book.chapters[0].id)];
    let marks: Vec<&(GlyphRun, PdfRun)> = page.iter().filter(|(m, _)| text(m) == "↪ ").collect();
    assert!(!marks.is_empty(), "the long line wraps");
    // The continued row's strings keep the string colour of the first row.
    let string_fill = page
        .iter()
        .find(|(m, _)| text(m).contains("\"alpha\""))
        .map(|(_, d)| d.fill)
        .expect("the first row");
    let continued: Vec<&(GlyphRun, PdfRun)> = page
        .iter()
        .filter(|(m, _)| {
            marks.iter().any(|(k, _)| (k.y - m.y).abs() < 0.01) && text(m).contains('"')
        })
        .collect();
    assert!(!continued.is_empty());
    for (m, d) in continued {
        assert!(same_fill(d.fill, string_fill), "{:?}", text(m));
    }
    // No extra words of the info string anywhere; the mark and the text in pdftotext.
    if let Some(out) = pdftools::pdftotext(&b.path, &[]) {
        assert!(out.success);
        assert!(out.stdout.contains('↪'), "{}", out.stdout);
        assert!(out.stdout.contains("\"kappa\""), "{}", out.stdout);
        assert!(!out.stdout.contains("ignore"), "{}", out.stdout);
        assert!(out.stdout.contains("fn plain text & <more>"));
    }
}

#[test]
fn raw_html_is_honoured_in_the_pdf() {
    let b = build();
    let pages = paired(&b);
    let at = chapter_page(&b.doc, &b.book.chapters[1].id);
    let page = &pages[at];
    let find = |t: &str| {
        page.iter()
            .find(|(m, _)| text(m).contains(t))
            .unwrap_or_else(|| {
                panic!(
                    "{t:?} is drawn: {:?}",
                    page.iter().map(|(m, _)| text(m)).collect::<Vec<_>>()
                )
            })
    };
    // x<sup>2</sup>: raised and smaller; H<sub>2</sub>O: lowered and smaller.
    let body = find("Einstein wrote");
    let sup = page
        .iter()
        .find(|(m, d)| text(m) == "2" && d.y > body.1.y)
        .expect("a raised 2");
    assert!(
        sup.1.size < body.1.size,
        "{} vs {}",
        sup.1.size,
        body.1.size
    );
    assert!(sup.1.y - body.1.y > 1.0);
    assert!(page
        .iter()
        .any(|(m, d)| text(m) == "2" && d.y < body.1.y && d.size < body.1.size));
    // <br>: the words after it start a new line.
    let before = find("before the break");
    let after = find("and a line after");
    assert!(before.1.y - after.1.y > 5.0, "{} {}", before.1.y, after.1.y);
    // <em> is in the italic (Linux Libertine O's italic is `LinLibertineOI`), <strong> in
    // the bold (`LinLibertineOB`), a span in the roman.
    let font = |t: &str| {
        find(t)
            .1
            .font
            .split('+')
            .nth(1)
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(font("emphasised words"), "LinLibertineOI");
    assert_eq!(font("strong words"), "LinLibertineOB");
    assert_eq!(font("a span"), "LinLibertineO");
    // The div's paragraph and the unsupported elements' text are printed.
    find("A raw paragraph in a div.");
    find("Your reader cannot play");
    find("cell text");

    // <a href>: a URI annotation, and a link into the book.
    let page_id = *b.pdf.get_pages().values().nth(at).unwrap();
    // printpdf writes the annotations inline, which lopdf's `get_page_annotations` skips.
    let deref = |o: &'_ Object| -> lopdf::Dictionary {
        match o {
            Object::Reference(r) => b.pdf.get_dictionary(*r).expect("dictionary").clone(),
            Object::Dictionary(d) => d.clone(),
            other => panic!("not a dictionary: {other:?}"),
        }
    };
    let page_dict = b.pdf.get_dictionary(page_id).expect("page");
    let annots: Vec<lopdf::Dictionary> = match page_dict.get(b"Annots") {
        Ok(Object::Array(a)) => a.iter().map(deref).collect(),
        Ok(Object::Reference(r)) => b
            .pdf
            .get_object(*r)
            .and_then(Object::as_array)
            .expect("annotation array")
            .iter()
            .map(deref)
            .collect(),
        _ => Vec::new(),
    };
    let mut uris = Vec::new();
    let mut internal = 0;
    for a in &annots {
        let Ok(action) = a.get(b"A").map(deref) else {
            continue;
        };
        match action.get(b"URI") {
            Ok(Object::String(s, _)) => uris.push(String::from_utf8_lossy(s).into_owned()),
            _ => internal += 1,
        }
    }
    assert_eq!(uris, ["https://example.com/raw"], "{uris:?}");
    assert_eq!(internal, 1, "the link back to the code chapter");

    // One warning per unsupported element, at its first use.
    let about = |tag: &str| -> Vec<String> {
        b.warnings
            .iter()
            .filter(|w| {
                w.message
                    .contains(&format!("<{tag}> is not supported in the PDF"))
            })
            .map(|w| w.to_string())
            .collect()
    };
    let video = about("video");
    assert_eq!(video.len(), 1, "{:#?}", b.warnings);
    assert!(video[0].contains("02-html.md:9:"), "{video:?}");
    assert!(video[0].contains("its text is printed instead"));
    let table = about("table");
    assert_eq!(table.len(), 1, "{:#?}", b.warnings);
    assert!(table[0].contains("02-html.md:17:"), "{table:?}");
    assert_eq!(b.warnings.len(), 2, "{:#?}", b.warnings);
    for supported in ["sup", "sub", "br", "a", "em", "strong", "span", "div", "p"] {
        assert!(about(supported).is_empty());
    }
}

/// A link to the id of a raw `<a id>` lands on the page (and at the height) of the paragraph
/// holding it, not at the top of its chapter.
#[test]
fn links_to_raw_html_ids_land_on_their_paragraph() {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = dir.path();
    std::fs::write(
        m.join("book.toml"),
        "[book]\ntitle = \"Anchors\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:anchors\"\n",
    )
    .expect("book.toml");
    std::fs::write(
        m.join("01-one.md"),
        "# One\n\nSee [the old place](02-two.md#old-name) for more.\n",
    )
    .expect("ch1");
    let filler = "Filler words that run on and on to fill the chapter's pages. ".repeat(12);
    let mut two = String::from("# Two\n\n");
    for _ in 0..25 {
        two.push_str(&filler);
        two.push_str("\n\n");
    }
    two.push_str("<a id=\"old-name\"></a>Here is the anchored paragraph.\n\n");
    two.push_str(&filler);
    std::fs::write(m.join("02-two.md"), two).expect("ch2");

    let (book, settings, warnings) = quire::read_manuscript(m).expect("reads");
    assert!(warnings.is_empty(), "{warnings:?}");
    let doc = quire::typeset::typeset(&book, &settings).expect("typesets");
    let start = chapter_page(&doc, &book.chapters[1].id);
    let (page, y) = doc
        .pages
        .iter()
        .enumerate()
        .find_map(|(i, p)| {
            p.items.iter().find_map(|it| match it {
                Item::Text(run) if text(run).starts_with("Here") => Some((i, run.y)),
                _ => None,
            })
        })
        .expect("the anchored paragraph is drawn");
    assert!(
        page > start,
        "the paragraph is past the chapter's first page"
    );
    let citing = doc
        .pages
        .iter()
        .position(|p| {
            p.items
                .iter()
                .any(|it| matches!(it, Item::Text(run) if text(run).starts_with("See")))
        })
        .expect("the citing line is drawn");
    let link = doc.pages[citing]
        .links
        .iter()
        .find_map(|l| match l.target {
            quire::typeset::document::LinkTarget::Position(p) => Some(p),
            _ => None,
        })
        .expect("the link is internal");
    assert_eq!(link.page, page);
    assert!(
        link.y > y && link.y - y < 20.0,
        "link at {} for a line at {y}",
        link.y
    );
}
