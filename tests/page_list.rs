//! The EPUB's page list is the print edition's: built once with the real binary, the PDF read
//! back page by page with poppler (`pdftotext -f N -l N`, cropped to the text block so that
//! running heads and folios are left out) and the EPUB's page list followed to its markers:
//! every page of the PDF has an entry, numbered as the PDF labels it, and the text after
//! each marker begins with the word that begins the page in print.

#[path = "common/epubcheck.rs"]
mod epubcheck;
#[path = "common/pdftools.rs"]
mod pdftools;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

const PRIDE: &str = "tests/fixtures/pride-and-prejudice";
const SAMPLE: &str = "manuscript";

fn build(manuscript: &Path, out: &Path, format: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["build"])
        .arg(manuscript)
        .arg("--out")
        .arg(out)
        .args(["--format", format])
        .output()
        .expect("run quire");
    assert!(
        status.status.success(),
        "build failed: {}{}",
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
}

/// Parses XML, allowing the `<!DOCTYPE html>` of XHTML files.
fn xml(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options).expect("well-formed XML")
}

struct Epub {
    zip: zip::ZipArchive<std::fs::File>,
}

impl Epub {
    fn open(path: &Path) -> Epub {
        Epub {
            zip: zip::ZipArchive::new(std::fs::File::open(path).expect("EPUB")).expect("zip"),
        }
    }

    fn text(&mut self, name: &str) -> String {
        let mut s = String::new();
        self.zip
            .by_name(name)
            .unwrap_or_else(|_| panic!("{name} in the EPUB"))
            .read_to_string(&mut s)
            .expect("UTF-8");
        s
    }

    fn names(&self) -> Vec<String> {
        self.zip.file_names().map(String::from).collect()
    }
}

/// The page list: (href from OEBPS/, label), in order; `None` when the nav has none.
fn page_list(epub: &mut Epub) -> Option<Vec<(String, String)>> {
    let nav = epub.text("OEBPS/nav.xhtml");
    let doc = xml(&nav);
    let list = doc.descendants().find(|n| {
        n.has_tag_name("nav")
            && n.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("page-list")
    })?;
    assert_eq!(
        list.attribute("hidden"),
        Some("hidden"),
        "the list is for navigation only"
    );
    assert_eq!(list.attribute("role"), Some("doc-pagelist"));
    Some(
        list.descendants()
            .filter(|n| n.has_tag_name("a"))
            .map(|a| {
                let label: String = (a.descendants())
                    .filter(|t| t.is_text())
                    .filter_map(|t| t.text())
                    .collect();
                (a.attribute("href").expect("href").to_string(), label)
            })
            .collect(),
    )
}

/// The words of the text that follows the element `id` in the document `xhtml`, leaving out
/// footnotes (`n` words at most).
fn words_after(xhtml: &str, id: &str, n: usize) -> Vec<String> {
    let doc = xml(xhtml);
    let marker = doc
        .descendants()
        .find(|e| e.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no element #{id}"));
    let ops = "http://www.idpf.org/2007/ops";
    assert_eq!(marker.attribute((ops, "type")), Some("pagebreak"));
    assert_eq!(marker.attribute("role"), Some("doc-pagebreak"));
    assert!(marker.attribute("aria-label").is_some());
    assert!(!marker.has_children(), "a marker holds no text");
    // Text of one block does not run into the next; inline elements (`<strong>D</strong>er`)
    // are part of their word.
    const BLOCKS: &[&str] = &[
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "dt",
        "dd",
        "div",
        "pre",
        "blockquote",
        "figcaption",
        "section",
    ];
    let block_of = |n: roxmltree::Node| {
        n.ancestors()
            .find(|a| BLOCKS.contains(&a.tag_name().name()))
            .map(|a| a.id())
    };
    let mut text = String::new();
    let mut after = false;
    let mut last_block = None;
    for node in doc.descendants() {
        if node == marker {
            after = true;
            last_block = block_of(node);
            continue;
        }
        let in_note = node.ancestors().any(|a| {
            a.attribute((ops, "type")) == Some("footnote") || a.attribute("hidden").is_some()
        });
        if after && node.is_text() && !in_note {
            let block = block_of(node);
            if block != last_block {
                text.push(' ');
                last_block = block;
            }
            text.push_str(node.text().unwrap_or(""));
            if text.split_whitespace().count() > n {
                break;
            }
        }
    }
    text.split_whitespace().take(n).map(String::from).collect()
}

/// The text of PDF page `n` (1-based) inside the text block: the running head above it and
/// the folio below are left out.
fn pdf_block_text(pdf: &Path, n: usize, top: f32, height: f32, width: f32) -> Option<String> {
    let out = pdftools::run_tool(
        "pdftotext",
        &[
            "-f".to_string(),
            n.to_string(),
            "-l".to_string(),
            n.to_string(),
            "-x".into(),
            "0".into(),
            "-y".into(),
            format!("{}", top.floor()),
            "-W".into(),
            format!("{}", width.ceil()),
            "-H".into(),
            format!("{}", height.ceil()),
            pdf.display().to_string(),
            "-".into(),
        ],
    )?;
    assert!(out.success, "pdftotext: {}", out.stderr);
    Some(out.stdout)
}

/// The labels of the PDF's pages, as its /PageLabels number tree gives them.
fn pdf_labels(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).expect("PDF");
    let count = doc.get_pages().len();
    let catalog = doc.catalog().expect("catalog");
    let labels = catalog
        .get(b"PageLabels")
        .and_then(|o| doc.dereference(o))
        .and_then(|(_, o)| o.as_dict())
        .expect("/PageLabels");
    let nums = labels
        .get(b"Nums")
        .and_then(|o| doc.dereference(o))
        .and_then(|(_, o)| o.as_array())
        .expect("/Nums");
    let mut ranges: Vec<(usize, String, usize)> = Vec::new();
    for pair in nums.chunks(2) {
        let first = pair[0].as_i64().expect("page index") as usize;
        let dict = doc
            .dereference(&pair[1])
            .and_then(|(_, o)| o.as_dict())
            .expect("label dict");
        let style = dict
            .get(b"S")
            .and_then(|s| s.as_name())
            .map(|s| String::from_utf8_lossy(s).to_string())
            .unwrap_or_default();
        let start = dict.get(b"St").and_then(|s| s.as_i64()).unwrap_or(1) as usize;
        ranges.push((first, style, start));
    }
    (0..count)
        .map(|i| {
            let (first, style, start) = ranges
                .iter()
                .rev()
                .find(|r| r.0 <= i)
                .expect("a range for every page");
            let n = start + i - first;
            match style.as_str() {
                "r" => roman(n),
                _ => n.to_string(),
            }
        })
        .collect()
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

/// What the marker-to-word check found.
#[derive(Debug, Default)]
struct Found {
    pages: usize,
    with_text: usize,
    matched: usize,
    /// Pages that began inside a word hyphenated at the foot of the page before.
    inside_words: usize,
    mismatches: Vec<String>,
}

/// Checks every page of the list against the PDF; returns what it found.
fn check_pages(dir: &Path, stem: &str, manuscript: &str) -> Found {
    let pdf = dir.join(format!("{stem}.pdf"));
    let mut epub = Epub::open(&dir.join(format!("{stem}.epub")));
    let list = page_list(&mut epub).expect("a page list");
    let labels = pdf_labels(&pdf);
    assert_eq!(
        list.len(),
        labels.len(),
        "one entry per page of the PDF, blank ones included"
    );
    for (k, ((_, label), pdf_label)) in list.iter().zip(&labels).enumerate() {
        assert_eq!(label, pdf_label, "page {} is numbered as printed", k + 1);
    }

    let (_, settings, _) = quire::read_manuscript(Path::new(manuscript)).expect("read");
    let p = &settings.print;
    // The text block, and the line a page may run long by (a facing pair evened out); the
    // folio stands two lines below the block.
    let (top, block) = (
        p.margins.top,
        p.trim.height - p.margins.top - p.margins.bottom + p.leading * 1.25,
    );
    let mut documents: HashMap<String, String> = HashMap::new();
    let mut found = Found::default();
    let mut previous = String::new();
    for (k, (href, label)) in list.iter().enumerate() {
        let n = k + 1;
        found.pages += 1;
        let (file, id) = href.split_once('#').expect("href with a fragment");
        assert_eq!(id.strip_prefix("page-").map(|_| ()), Some(()), "{href}");
        let name = format!("OEBPS/{file}");
        let xhtml = documents
            .entry(name.clone())
            .or_insert_with(|| epub.text(&name))
            .clone();
        let Some(page) = pdf_block_text(&pdf, n, top, block, p.trim.width) else {
            return found;
        };
        // The marker is labelled with the page's number.
        let doc = xml(&xhtml);
        let marker = doc
            .descendants()
            .find(|e| e.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("{href} exists"));
        assert_eq!(marker.attribute("aria-label"), Some(label.as_str()));

        let Some(first) = page.split_whitespace().next() else {
            previous = page;
            continue;
        };
        found.with_text += 1;
        let epub_words = words_after(&xhtml, id, 3);
        // Words compared without the punctuation around them (the copyright page's title is
        // followed by a colon in the EPUB, a line break in print).
        let bare = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        let got = bare(&epub_words.first().cloned().unwrap_or_default());
        let first = bare(first);
        let first = first.as_str();
        // A page that begins inside a word: the page before ends with its first part.
        let inside = got != first
            && got.ends_with(first)
            && previous.lines().any(|l| {
                l.trim_end()
                    .ends_with(&format!("{}-", &got[..got.len() - first.len()]))
            });
        // A page that begins with a list item: print sets its number or bullet first.
        let raw_first = page.split_whitespace().next().unwrap_or_default();
        let marker_first = raw_first == "•"
            || raw_first
                .trim_end_matches(['.', ')'])
                .chars()
                .all(|c| c.is_ascii_digit());
        let after_list_mark = marker_first
            && page
                .split_whitespace()
                .nth(1)
                .is_some_and(|second| bare(second) == got);
        if got == first || inside || after_list_mark {
            found.matched += 1;
            found.inside_words += usize::from(inside);
        } else {
            found.mismatches.push(format!(
                "page {n} ({label}, {href}): PDF begins {:?}, EPUB marker is before {:?}",
                page.split_whitespace().take(3).collect::<Vec<_>>(),
                epub_words
            ));
        }
        previous = page;
    }
    found
}

#[test]
fn pride_and_prejudice_pages_land_on_the_words_that_begin_them_in_print() {
    let dir = tempfile::tempdir().expect("temp dir");
    build(Path::new(PRIDE), dir.path(), "all");
    let found = check_pages(dir.path(), "pride-and-prejudice", PRIDE);
    eprintln!(
        "P&P: {} pages, {} with text, {} markers on the page's first word ({} inside a hyphenated word)",
        found.pages, found.with_text, found.matched, found.inside_words
    );
    assert!(found.pages > 300, "{found:?}");
    assert!(
        found.mismatches.is_empty(),
        "{} of {} pages:\n{}",
        found.mismatches.len(),
        found.with_text,
        found.mismatches.join("\n")
    );
    let epub = dir.path().join("pride-and-prejudice.epub");
    if let Some(report) = epubcheck::epubcheck(&epub) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }
    // The package says where the numbers come from, and what they give.
    let mut e = Epub::open(&epub);
    let opf = e.text("OEBPS/content.opf");
    let doc = xml(&opf);
    let meta = |property: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.attribute("property") == Some(property))
            .filter_map(|n| n.text().map(String::from))
            .collect()
    };
    let source = meta("pageBreakSource");
    assert_eq!(source.len(), 1, "{opf}");
    assert!(
        source[0].starts_with("Pride and Prejudice, print edition (5.5 \u{d7} 8.5 in, ")
            && source[0].ends_with(&format!("{} pages)", found.pages)),
        "{source:?}"
    );
    let dc_source: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "source")
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(dc_source, vec![source[0].as_str()]);
    let features = meta("schema:accessibilityFeature");
    for f in ["printPageNumbers", "pageBreakMarkers", "pageNavigation"] {
        assert!(features.iter().any(|x| x == f), "{f} in {features:?}");
    }
}

/// The sample book with `[epub] page-list` set as given (`None`: not written).
fn sample_with(page_list: Option<bool>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("manuscript");
    std::fs::create_dir(&copy).expect("copy folder");
    for entry in std::fs::read_dir(SAMPLE).expect("sample") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, copy.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    if let Some(on) = page_list {
        let toml = copy.join("book.toml");
        let mut text = std::fs::read_to_string(&toml).expect("book.toml");
        text.push_str(&format!("\n[epub]\npage-list = {on}\n"));
        std::fs::write(&toml, text).expect("write book.toml");
    }
    (dir, copy)
}

#[test]
fn the_sample_book_is_typeset_for_its_page_list_even_without_a_pdf() {
    let (dir, manuscript) = sample_with(None);
    let both = dir.path().join("both");
    build(&manuscript, &both, "all");
    let found = check_pages(&both, "ballerina", manuscript.to_str().expect("path"));
    eprintln!(
        "sample: {} pages, {} with text, {} matched",
        found.pages, found.with_text, found.matched
    );
    assert!(
        found.mismatches.is_empty(),
        "{}",
        found.mismatches.join("\n")
    );
    if let Some(report) = epubcheck::epubcheck(&both.join("ballerina.epub")) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }

    // `--format epub`: no PDF, the same page list and markers.
    let alone = dir.path().join("alone");
    build(&manuscript, &alone, "epub");
    assert!(!alone.join("ballerina.pdf").exists(), "no PDF is written");
    let mut a = Epub::open(&alone.join("ballerina.epub"));
    let mut b = Epub::open(&both.join("ballerina.epub"));
    assert_eq!(page_list(&mut a), page_list(&mut b));
    for name in b.names() {
        if name.ends_with(".xhtml") {
            assert_eq!(a.text(&name), b.text(&name), "{name}");
        }
    }
}

#[test]
fn page_list_false_leaves_the_page_numbers_out() {
    let (dir, manuscript) = sample_with(Some(false));
    build(&manuscript, dir.path(), "epub");
    let mut epub = Epub::open(&dir.path().join("ballerina.epub"));
    assert_eq!(page_list(&mut epub), None);
    for name in epub.names() {
        if name.ends_with(".xhtml") {
            assert!(!epub.text(&name).contains("pagebreak"), "{name}");
        }
    }
    let opf = epub.text("OEBPS/content.opf");
    assert!(!opf.contains("pageBreakSource") && !opf.contains("dc:source"));
}

/// A pandoc book whose text is mostly inside fenced divs (and verse in line blocks): the
/// page positions are paths through those nested blocks, and must land as well.
#[test]
fn zugspitz_pages_inside_fenced_divs_land_on_their_words() {
    const ZUGSPITZ: &str = "tests/fixtures/zugspitz-de";
    let dir = tempfile::tempdir().expect("temp dir");
    build(Path::new(ZUGSPITZ), dir.path(), "all");
    let stem = std::fs::read_dir(dir.path())
        .expect("out dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".epub").map(String::from)
        })
        .next()
        .expect("an EPUB");
    let found = check_pages(dir.path(), &stem, ZUGSPITZ);
    eprintln!(
        "Zugspitz: {} pages, {} with text, {} markers on the page's first word",
        found.pages, found.with_text, found.matched
    );
    assert!(found.with_text > 15, "{found:?}");
    assert!(
        found.mismatches.is_empty(),
        "{} of {} pages:\n{}",
        found.mismatches.len(),
        found.with_text,
        found.mismatches.join("\n")
    );
    if let Some(report) = epubcheck::epubcheck(&dir.path().join(format!("{stem}.epub"))) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }
}
