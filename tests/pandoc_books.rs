//! pandoc books as their authors keep them: Christoph Ott's *Die Zugspitz-Expedition* (1851,
//! public domain; tests/fixtures/zugspitz-de) and Carsten Gips' lecture notes *Programmieren
//! 2* (CC BY-SA 4.0; tests/fixtures/prog2-lecture-de); see each SOURCE.txt. Each is built
//! once (`quire::build::build`, EPUB and PDF) and both files are read back: no pandoc syntax
//! is printed outside code (`:::`, `{#`, `{.`, `^[`, `]{`), the notes and figures are those
//! of the source, the divs keep their classes, EPUBCheck 0/0, the chapter order is the one
//! SOURCE.txt gives, and at least 99% of the words of the author's own pandoc build come
//! back from each output.
//!
//! Both are built as their authors keep them, unchanged: zugspitz-de's chapter order, image
//! folder and cover come from its Makefile's pandoc command line, prog2-lecture-de's order
//! from the links of its root readme.md (as the author's crawler finds it) and its metadata
//! from pm.yaml, the one YAML file beside it.

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/epubcheck.rs"]
mod epubcheck;
mod md_common;
#[path = "common/pdftools.rs"]
mod pdftools;
#[path = "common/words.rs"]
mod words;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use corpus::{copy_dir, fixture};
use md_common::{parse, XHTML};
use quire::build::{build, BuildOptions, Format};

struct Built {
    _dir: tempfile::TempDir,
    root: PathBuf,
    epub: PathBuf,
    pdf: PathBuf,
    warnings: Vec<String>,
    /// The unpacked EPUB's XHTML, OPF and CSS: entry name -> text.
    files: BTreeMap<String, String>,
    /// pdftotext of the whole PDF (`None` without poppler).
    pdf_text: Option<String>,
    /// How many images the PDF draws (`None` without poppler).
    pdf_images: Option<usize>,
}

/// An untouched copy of fixture `name` (the build writes nothing into the manuscript, but the
/// tests never risk the fixture).
fn copied(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join(name);
    copy_dir(&fixture(name), &root);
    (dir, root)
}

fn build_book(dir: tempfile::TempDir, root: PathBuf) -> Built {
    let out = dir.path().join("out");
    let report = build(&BuildOptions {
        manuscript: root.clone(),
        out_dir: out,
        format: Format::All,
        deny_warnings: false,
        name: None,
    })
    .unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let written = |ext: &str| {
        report
            .written
            .iter()
            .map(|w| w.path.clone())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .expect("written")
    };
    let (epub, pdf) = (written("epub"), written("pdf"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().to_string();
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".css") {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
            files.insert(name, text);
        }
    }
    let pdf_text = pdftools::pdftotext(&pdf, &[]).map(|out| {
        assert!(out.success, "{}", out.stderr);
        out.stdout
    });
    let pdf_images = pdftools::run_tool(
        "pdfimages",
        &[std::ffi::OsStr::new("-list"), pdf.as_os_str()],
    )
    .map(|out| {
        out.stdout
            .lines()
            .skip(2)
            .filter(|l| l.contains(" image "))
            .count()
    });
    Built {
        _dir: dir,
        root,
        epub,
        pdf,
        warnings: report
            .warnings
            .iter()
            .map(|w| format!("{} {w}", w.code))
            .collect(),
        files,
        pdf_text,
        pdf_images,
    }
}

/// The author's Makefile runs `pandoc ... -o book.epub chapters/preface/preface_epub.md
/// chapters/*.md` (SOURCE.txt); the glob is the one chapter file in chapters/.
const ZUGSPITZ_ORDER: &[&str] = &[
    "chapters/preface/preface_epub.md",
    "chapters/01_Expedition.md",
];

fn zugspitz() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let (dir, root) = copied("zugspitz-de");
        build_book(dir, root)
    })
}

/// The reading order SOURCE.txt gives (the author's crawl, without the part not copied).
fn prog2_files() -> Vec<String> {
    let source = std::fs::read_to_string(fixture("prog2-lecture-de/SOURCE.txt")).unwrap();
    let start = source.find("Reading order (54 files").expect("the order");
    let list = &source[start..];
    let list = &list
        [list.find(":\n").expect("a list") + 2..list.find("\n(In the full book").expect("its end")];
    list.split_whitespace().map(str::to_string).collect()
}

fn prog2() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let (dir, root) = copied("prog2-lecture-de");
        build_book(dir, root)
    })
}

/// The chapter files in the order quire reads them, relative to the manuscript, with `/`.
fn reading_order(root: &Path) -> Vec<String> {
    let project = quire::project::Project::load(root).expect("the manuscript loads");
    project
        .sources
        .iter()
        .map(|s| {
            let rel = s.path.strip_prefix(root).expect("inside");
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

/// The EPUB's content documents in spine order (under OEBPS/text/, or all of them).
fn spine_docs(b: &Built, chapters_only: bool) -> Vec<&str> {
    words::spine_docs(&b.files, chapters_only)
}

/// The EPUB's chapter documents in spine order (cover, title page, contents left out): each
/// one's first heading, as text.
fn spine_headings(b: &Built) -> Vec<String> {
    let mut out = Vec::new();
    for doc in spine_docs(b, true) {
        let doc = parse(doc);
        if let Some(heading) = doc.descendants().find(|n| {
            ["h1", "h2", "h3"]
                .iter()
                .any(|t| n.has_tag_name((XHTML, *t)))
        }) {
            out.push(
                heading
                    .descendants()
                    .filter(|d| d.is_text())
                    .filter_map(|d| d.text())
                    .collect::<String>(),
            );
        }
    }
    out
}

/// The title a chapter file gives its chapter: the heading that opens it, else its front
/// matter's `title:`.
fn chapter_title(text: &str) -> String {
    let mut lines = text.lines().peekable();
    let mut front_title = None;
    if lines.peek() == Some(&"---") {
        lines.next();
        for l in lines.by_ref() {
            if l == "---" || l == "..." {
                break;
            }
            if let Some(t) = l.strip_prefix("title:") {
                front_title = Some(t.trim().trim_matches('"').to_string());
            }
        }
    }
    let first = lines.find(|l| !l.trim().is_empty()).unwrap_or("");
    match first.strip_prefix("# ") {
        Some(h) => h.trim().to_string(),
        None => front_title.unwrap_or_default(),
    }
}

/// Letters and digits only: headings keep their words, not their Markdown.
fn words_of(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Each chapter document's text outside code, and inside it, over the whole book.
fn epub_texts(b: &Built) -> (String, String) {
    let mut prose = String::new();
    let mut code = String::new();
    for (k, v) in &b.files {
        if !(k.starts_with("OEBPS/text/") && k.ends_with(".xhtml")) {
            continue;
        }
        let doc = parse(v);
        for n in doc.descendants().filter(|n| n.is_text()) {
            let t = n.text().unwrap_or("");
            let in_code = n
                .ancestors()
                .any(|a| a.has_tag_name((XHTML, "code")) || a.has_tag_name((XHTML, "pre")));
            if in_code {
                code.push_str(t);
                code.push('\n');
            } else {
                prose.push_str(t);
                prose.push('\n');
            }
        }
    }
    (prose, code)
}

const PANDOC_SYNTAX: &[&str] = &[":::", "{#", "{.", "^[", "]{"];

/// No pandoc syntax in the EPUB's text outside code, nor in the PDF's more often than the
/// code holds it.
fn assert_no_pandoc_syntax(b: &Built) {
    let (prose, code) = epub_texts(b);
    for token in PANDOC_SYNTAX {
        let found: Vec<&str> = prose.lines().filter(|l| l.contains(token)).collect();
        assert!(found.is_empty(), "EPUB prints `{token}`: {found:#?}");
        if let Some(pdf) = &b.pdf_text {
            // pdftotext does not say what is code: count what reads as pandoc syntax (`{.`
            // and `{#` before a letter: code's `{...}` is not) against what the code holds.
            let count = |text: &str| {
                text.match_indices(token)
                    .filter(|(i, _)| {
                        !token.starts_with('{')
                            || text[i + token.len()..]
                                .chars()
                                .next()
                                .is_some_and(|c| c.is_ascii_alphabetic())
                    })
                    .count()
            };
            let in_pdf = count(pdf);
            let in_code = count(&code);
            assert!(
                in_pdf <= in_code,
                "the PDF prints `{token}` {in_pdf} times, its code only {in_code} times: {:#?}",
                pdf.lines()
                    .filter(|l| l.contains(token))
                    .take(8)
                    .collect::<Vec<_>>()
            );
        }
    }
}

fn assert_epubcheck_clean(b: &Built) {
    if let Some(report) = epubcheck::epubcheck(&b.epub) {
        assert!(report.is_clean(), "{}: {report:#?}", b.root.display());
    }
    if let Some(out) = pdftools::qpdf_check(&b.pdf) {
        assert!(out.success, "qpdf --check: {}", out.stdout);
    }
}

/// The footnote labels a chapter file defines and references (`[^label]`).
fn note_labels(text: &str) -> (Vec<String>, Vec<String>) {
    let mut defined = Vec::new();
    let mut referenced = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("[^") {
            if let Some((label, _)) = rest.split_once("]:") {
                defined.push(label.to_string());
                continue;
            }
        }
        let mut rest = line;
        while let Some(i) = rest.find("[^") {
            rest = &rest[i + 2..];
            if let Some(end) = rest.find(']') {
                referenced.push(rest[..end].to_string());
            }
        }
    }
    (defined, referenced)
}

/// The notes of the EPUB (the footnotes' list items).
fn epub_notes(b: &Built) -> usize {
    b.files
        .iter()
        .filter(|(k, _)| k.starts_with("OEBPS/text/"))
        .map(|(_, v)| {
            let doc = parse(v);
            doc.descendants()
                .filter(|n| {
                    n.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("footnote")
                })
                .count()
        })
        .sum()
}

fn figures(b: &Built) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (k, v) in &b.files {
        if !k.starts_with("OEBPS/text/") {
            continue;
        }
        let doc = parse(v);
        for f in doc
            .descendants()
            .filter(|n| n.has_tag_name((XHTML, "figure")))
        {
            let img = f
                .descendants()
                .find(|n| n.has_tag_name((XHTML, "img")))
                .and_then(|i| i.attribute("src"))
                .unwrap_or("")
                .to_string();
            let caption = f
                .descendants()
                .find(|n| n.has_tag_name((XHTML, "figcaption")))
                .map(|c| c.descendants().filter_map(|d| d.text()).collect::<String>());
            out.push((img, caption));
        }
    }
    out
}

#[test]
fn zugspitz_prints_no_pandoc_syntax_and_is_valid() {
    let b = zugspitz();
    assert_no_pandoc_syntax(b);
    assert_epubcheck_clean(b);
    // Nothing the reader left unread.
    let unread: Vec<&String> = b
        .warnings
        .iter()
        .filter(|w| w.contains("pandoc-syntax") || w.contains("bad-image"))
        .collect();
    assert!(unread.is_empty(), "{unread:#?}");
}

#[test]
fn zugspitz_keeps_notes_figures_verse_and_classes() {
    let b = zugspitz();
    let text = std::fs::read_to_string(b.root.join("chapters/01_Expedition.md")).unwrap();
    let (defined, referenced) = note_labels(&text);
    // pandoc sets a note once per reference ([^0001] is referenced twice).
    let used: Vec<&String> = referenced.iter().filter(|r| defined.contains(r)).collect();
    assert!(used.len() > 20, "{}", used.len());
    assert_eq!(
        epub_notes(b),
        used.len(),
        "one EPUB note per reference of a note"
    );

    // Figures: each `![..](..)` alone in its div is a figure, its caption the alt text.
    // (The images with empty alt text are figures without a caption, as in pandoc.)
    let written = text.matches("![Skizze").count();
    let figs = figures(b);
    let in_chapter: Vec<_> = figs
        .iter()
        .filter(|(_, c)| c.as_deref().is_some_and(|c| c.starts_with("Skizze")))
        .collect();
    assert_eq!(in_chapter.len(), written, "{figs:#?}");
    if let Some(n) = b.pdf_images {
        // The chapter's figures and the title page's logo.
        assert!(n > written, "the PDF draws {n} images");
    }
    let pdf = b.pdf_text.as_deref().unwrap_or("Skizze Nro. 2.");
    assert!(pdf.contains("Skizze Nro. 2."), "the caption is printed");

    // Verse: the poem's lines stay lines, with the line-block class, in both outputs.
    let (prose, _) = epub_texts(b);
    assert!(prose.contains("Nur schüchtern wag ich Sänger euch,"));
    let chapter = b
        .files
        .iter()
        .find(|(k, v)| k.starts_with("OEBPS/text/") && v.contains("Nur schüchtern"))
        .map(|(_, v)| parse(v))
        .expect("the poem");
    let block = chapter
        .descendants()
        .find(|n| {
            n.has_tag_name((XHTML, "div"))
                && n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|c| c == "line-block"))
                && n.descendants()
                    .any(|d| d.text().is_some_and(|t| t.contains("Nur schüchtern")))
        })
        .expect("a line block");
    let breaks = block
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "br")))
        .count();
    assert!(breaks >= 40, "{breaks} line breaks in the poem");
    if let Some(pdf) = &b.pdf_text {
        assert!(
            pdf.lines()
                .any(|l| l.trim() == "Nur schüchtern wag ich Sänger euch,"),
            "the verse line is a line of its own in the PDF"
        );
    }
    // Divs keep their classes.
    assert!(b.files.values().any(|v| v.contains("class=\"justified\"")));
    assert!(b
        .files
        .values()
        .any(|v| v.contains("class=\"wrap-100 break-before caption align-center\"")));
}

#[test]
fn prog2_prints_no_pandoc_syntax_and_is_valid() {
    let b = prog2();
    assert_no_pandoc_syntax(b);
    // The notes link twice to `hhttps://www.eclipse.org/downloads/` (the author's typo, which
    // pandoc writes as it is too): EPUBCheck's HTM-025 warning about that scheme, and
    // nothing else, is allowed.
    if let Some(report) = epubcheck::epubcheck(&b.epub) {
        let other: Vec<&String> = report
            .messages
            .iter()
            .filter(|m| !m.contains("HTM-025"))
            .collect();
        assert!(
            report.errors == 0 && report.fatals == 0 && other.is_empty(),
            "{report:#?}"
        );
        assert!(report.warnings <= 2, "{report:#?}");
    }
    if let Some(out) = pdftools::qpdf_check(&b.pdf) {
        assert!(out.success, "qpdf --check: {}", out.stdout);
    }
    let unread: Vec<&String> = b
        .warnings
        .iter()
        .filter(|w| w.contains("pandoc-syntax"))
        .collect();
    assert!(unread.is_empty(), "{unread:#?}");
}

#[test]
fn prog2_keeps_divs_figures_and_notes() {
    let b = prog2();
    let mut local_images = 0;
    let mut notes = 0;
    for f in prog2_files() {
        let text = std::fs::read_to_string(b.root.join(&f)).unwrap();
        let (defined, referenced) = note_labels(&text);
        notes += referenced.iter().filter(|r| defined.contains(r)).count();
        for (i, _) in text.match_indices("![") {
            let rest = &text[i..];
            let src = rest.split_once("](").map(|(_, s)| s).unwrap_or("");
            if !src.starts_with("http") {
                local_images += 1;
            }
        }
    }
    let figs = figures(b);
    let epub_images: usize = b
        .files
        .iter()
        .filter(|(k, _)| k.starts_with("OEBPS/text/"))
        .map(|(_, v)| {
            parse(v)
                .descendants()
                .filter(|n| n.has_tag_name((XHTML, "img")))
                .count()
        })
        .sum();
    assert_eq!(
        epub_images,
        local_images,
        "every local image is shown ({} figures)",
        figs.len()
    );
    if let Some(n) = b.pdf_images {
        assert!(n >= local_images, "the PDF draws every local image: {n}");
    }
    assert_eq!(epub_notes(b), notes);
    // The lecture's boxes keep their classes.
    for class in ["tldr", "outcomes", "notes"] {
        let needle = format!("class=\"{class}\"");
        assert!(
            b.files.values().any(|v| v.contains(&needle)),
            "no div.{class}"
        );
    }
    // German quotes from straight ones, as pandoc's `smart` makes them.
    let (prose, _) = epub_texts(b);
    assert!(prose.contains('„') && !prose.contains('”'), "German quotes");
}

#[test]
fn zugspitz_reads_its_order_from_the_makefile() {
    let source = std::fs::read_to_string(fixture("zugspitz-de/SOURCE.txt")).unwrap();
    assert!(source.contains("-o book.epub chapters/preface/preface_epub.md chapters/*.md"));
    let b = zugspitz();
    assert_eq!(reading_order(&b.root), ZUGSPITZ_ORDER);
    // The EPUB opens with the preface, and the expedition follows it.
    let (prose, _) = epub_texts(b);
    let preface = std::fs::read_to_string(b.root.join(ZUGSPITZ_ORDER[0])).unwrap();
    let chapter = std::fs::read_to_string(b.root.join(ZUGSPITZ_ORDER[1])).unwrap();
    let (p, c) = (
        "Die Zugspitz-Expedition.",
        "Alpenkette der Tegernseer- und Isar-Berge",
    );
    assert!(preface.contains(p) && chapter.contains(c));
    let (at_p, at_c) = (prose.find(p), prose.find(c));
    assert!(at_p.is_some() && at_c.is_some(), "{p:?} {c:?}");
    assert!(at_p < at_c, "the preface comes first");
    // The Makefile's --resource-path=images found every image: none is missing.
    assert!(
        !b.warnings.iter().any(|w| w.starts_with("bad-image")),
        "{:#?}",
        b.warnings
    );
    // And its --epub-cover-image is the cover.
    assert!(b.files.values().any(|v| v.contains("images/cover.jpg")));
}

#[test]
fn prog2_reads_its_order_from_the_links_of_its_readme() {
    let b = prog2();
    let order = prog2_files();
    assert_eq!(order.len(), 54);
    assert_eq!(reading_order(&b.root), order);
    // The EPUB's chapters, in spine order, are those files.
    let expected: Vec<String> = order
        .iter()
        .map(|f| {
            words_of(&chapter_title(
                &std::fs::read_to_string(b.root.join(f)).unwrap(),
            ))
        })
        .collect();
    let got: Vec<String> = spine_headings(b).iter().map(|h| words_of(h)).collect();
    assert_eq!(got, expected);
    // Seven of the eight pages of lecture/tooling/ (not copied) are linked to (its readme
    // would come in as the folder's): a warning each, no chapters.
    let missing: Vec<&String> = b
        .warnings
        .iter()
        .filter(|w| w.starts_with("reading-order") && w.contains("lecture/tooling/"))
        .collect();
    assert_eq!(missing.len(), 7, "{missing:#?}");
    // Pages no link reaches (the licence, the credits) are left out with a warning.
    for page in ["LICENSE.md", "CREDITS.md"] {
        assert!(
            b.warnings
                .iter()
                .any(|w| w.starts_with("reading-order") && w.contains(page)),
            "{page}: {:#?}",
            b.warnings
        );
    }
    // pm.yaml is the metadata: the book is German.
    let opf = b.files.iter().find(|(k, _)| k.ends_with(".opf")).unwrap().1;
    assert!(opf.contains(">de-DE<"), "the language from pm.yaml");
}

/// The author's own build, as a reader of it sees the words: `pandoc -t plain` run once on
/// the author's command line and kept beside the fixture (see its SOURCE.txt), so that the
/// tests need no pandoc.
fn assert_words_back(name: &str, b: &Built) {
    let reference = words::reference_words(&fixture(&format!("{name}.reference.txt")));
    assert!(reference.len() > 5000, "{}", reference.len());
    let docs = spine_docs(b, false);
    words::assert_words_back(
        name,
        &reference,
        docs,
        b.pdf_text.as_deref(),
        &words::epub_title(&b.files),
        0.99,
    );
}

#[test]
fn zugspitz_words_of_the_authors_build_come_back() {
    assert_words_back("zugspitz-de", zugspitz());
}

#[test]
fn prog2_words_of_the_authors_build_come_back() {
    assert_words_back("prog2-lecture-de", prog2());
}

#[test]
fn a_makefile_quire_cannot_read_is_a_warning_and_the_order_falls_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("metadata.yaml"), "title: T\nlang: en\n").unwrap();
    for (f, t) in [
        ("b.md", "# B\n"),
        ("a10.md", "# A10\n"),
        ("a2.md", "# A2\n"),
    ] {
        std::fs::write(root.join(f), t).unwrap();
    }
    let order = |makefile: &str| {
        std::fs::write(root.join("Makefile"), makefile).unwrap();
        let p = quire::project::Project::load(root).expect("loads");
        let names: Vec<String> = p
            .sources
            .iter()
            .map(|s| s.path.file_name().unwrap().to_string_lossy().to_string())
            .collect();
        let warnings: Vec<String> = p
            .warnings
            .iter()
            .filter(|w| w.code.name() == "reading-order")
            .map(|w| w.to_string())
            .collect();
        (names, warnings)
    };
    // Read: the command line's order, the glob sorted as the shell sorts it.
    let (names, warnings) =
        order("FILES = a*.md\n\nbook.epub: $(FILES)\n\tpandoc -o $@ b.md $(FILES)\n");
    assert_eq!(names, ["b.md", "a10.md", "a2.md"]);
    assert!(warnings.is_empty(), "{warnings:?}");
    // Not read: a warning at the Makefile's line, and file names in natural order.
    let (names, warnings) = order("book.epub:\n\tpandoc -o $@ $(wildcard *.md)\n");
    assert_eq!(names, ["a2.md", "a10.md", "b.md"]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("Makefile:2"), "{}", warnings[0]);
}

#[test]
fn a_readme_that_links_to_few_pages_does_not_order_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("metadata.yaml"), "title: T\nlang: en\n").unwrap();
    std::fs::write(root.join("README.md"), "# About\n\nSee [one](ch1.md).\n").unwrap();
    for f in ["ch1.md", "ch2.md", "ch3.md", "ch4.md"] {
        std::fs::write(root.join(f), format!("# {f}\n")).unwrap();
    }
    let p = quire::project::Project::load(root).expect("loads");
    assert_eq!(
        p.sources.len(),
        5,
        "every file is a chapter, in natural order"
    );
    assert!(p.warnings.iter().all(|w| w.code.name() != "reading-order"));
    // Linking to most of them, it does; the page it misses is left out, with a warning.
    std::fs::write(
        root.join("README.md"),
        "# About\n\n[4](ch4.md) [1](ch1.md) [2](ch2.md)\n",
    )
    .unwrap();
    let p = quire::project::Project::load(root).expect("loads");
    let names: Vec<String> = p
        .sources
        .iter()
        .map(|s| s.path.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, ["README.md", "ch4.md", "ch1.md", "ch2.md"]);
    let left: Vec<String> = p
        .warnings
        .iter()
        .filter(|w| w.code.name() == "reading-order")
        .map(|w| w.to_string())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].contains("ch3.md"), "{}", left[0]);
}
