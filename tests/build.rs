//! End to end: the real `quire` binary builds the sample book and pride-and-prejudice, and the
//! outputs are parsed with real parsers (zip + XML for the EPUB, lopdf for the PDF) and checked
//! with the reference tools (EPUBCheck, qpdf, poppler).

#[path = "common/epubcheck.rs"]
mod epubcheck;
#[path = "common/pdftools.rs"]
mod pdftools;

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use quire::model::{Block, Book};

struct Built {
    _dir: tempfile::TempDir,
    epub: PathBuf,
    pdf: PathBuf,
    stdout: String,
}

fn build(manuscript: &str, stem: &str) -> Built {
    build_with_threads(manuscript, stem, None)
}

/// A build with `RAYON_NUM_THREADS` set (`None`: rayon's default, one thread per core).
fn build_with_threads(manuscript: &str, stem: &str, threads: Option<usize>) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    command.args(["build", manuscript, "--out"]).arg(dir.path());
    match threads {
        Some(n) => command.env("RAYON_NUM_THREADS", n.to_string()),
        None => command.env_remove("RAYON_NUM_THREADS"),
    };
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "build failed: {}{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    Built {
        epub: dir.path().join(format!("{stem}.epub")),
        pdf: dir.path().join(format!("{stem}.pdf")),
        _dir: dir,
        stdout,
    }
}

fn book(manuscript: &str) -> Book {
    quire::read_manuscript(Path::new(manuscript)).unwrap().0
}

// ---------------------------------------------------------------- EPUB

struct Epub {
    zip: zip::ZipArchive<std::fs::File>,
}

impl Epub {
    fn open(path: &Path) -> Epub {
        Epub {
            zip: zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap(),
        }
    }
    fn text(&mut self, name: &str) -> String {
        let mut s = String::new();
        self.zip
            .by_name(name)
            .unwrap_or_else(|_| panic!("{name} missing"))
            .read_to_string(&mut s)
            .unwrap();
        s
    }
    fn opf_path(&mut self) -> String {
        let container = self.text("META-INF/container.xml");
        let doc = xml(&container).unwrap();
        doc.descendants()
            .find(|n| n.has_tag_name("rootfile"))
            .and_then(|n| n.attribute("full-path"))
            .unwrap()
            .to_string()
    }
}

/// Resolves `href` relative to the folder of `base` (a zip path).
fn join(base: &str, href: &str) -> String {
    let mut parts: Vec<&str> = base
        .rsplit_once('/')
        .map_or(vec![], |(d, _)| d.split('/').collect());
    for p in href.split('/') {
        match p {
            ".." => {
                parts.pop();
            }
            "." => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Parses XML, allowing the `<!DOCTYPE html>` of XHTML files.
fn xml(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options)
}

fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap_or(""))
        .collect()
}

/// Parses the EPUB's package, nav and every XHTML file and checks them against the book.
fn check_epub(path: &Path, book: &Book) {
    let mut epub = Epub::open(path);
    assert_eq!(epub.zip.by_index(0).unwrap().name(), "mimetype");
    let opf_path = epub.opf_path();
    let opf_text = epub.text(&opf_path);
    let opf = xml(&opf_text).unwrap();

    // Metadata.
    let meta = |name: &str| -> Vec<String> {
        opf.descendants()
            .filter(|n| {
                n.tag_name().name() == name
                    && n.tag_name().namespace() == Some("http://purl.org/dc/elements/1.1/")
            })
            .map(text_of)
            .collect()
    };
    let property = |p: &str| -> Vec<String> {
        opf.descendants()
            .filter(|n| n.has_tag_name("meta") && n.attribute("property") == Some(p))
            .map(text_of)
            .collect()
    };
    assert!(
        meta("title")
            .iter()
            .any(|t| t.contains(&book.metadata.title)),
        "{:?}",
        meta("title")
    );
    assert_eq!(
        meta("language"),
        std::slice::from_ref(&book.metadata.language)
    );
    let identifiers = meta("identifier");
    assert!(
        identifiers.contains(&book.metadata.identifier) || book.metadata.identifier.is_empty(),
        "{identifiers:?}"
    );
    assert_eq!(meta("creator"), book.metadata.authors);
    assert_eq!(property("dcterms:modified").len(), 1);
    for p in [
        "schema:accessMode",
        "schema:accessModeSufficient",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
    ] {
        assert!(!property(p).is_empty(), "{p} missing");
    }

    // Manifest and spine.
    let manifest: Vec<(String, String, String)> = opf
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|n| {
            (
                n.attribute("id").unwrap_or("").to_string(),
                n.attribute("href").unwrap_or("").to_string(),
                n.attribute("media-type").unwrap_or("").to_string(),
            )
        })
        .collect();
    let spine: Vec<String> = opf
        .descendants()
        .filter(|n| n.has_tag_name("itemref"))
        .map(|n| n.attribute("idref").unwrap_or("").to_string())
        .collect();
    let spine_files: Vec<String> = spine
        .iter()
        .filter_map(|id| manifest.iter().find(|(i, _, _)| i == id))
        .map(|(_, href, _)| join(&opf_path, href))
        .collect();
    let fonts = manifest
        .iter()
        .filter(|(_, _, t)| {
            t.starts_with("font/") || t.contains("opentype") || t.contains("truetype")
        })
        .count();
    // Only the faces the text uses are embedded (each subset): the body face at least.
    assert!(fonts >= 1, "fonts in the manifest: {manifest:?}");
    assert!(
        manifest
            .iter()
            .any(|(_, href, _)| href == "fonts/LinLibertine_R.otf"),
        "the body face is embedded: {manifest:?}"
    );

    // One XHTML per chapter, in order, each with its title as h1; every file parses as XML.
    let mut chapter_files = Vec::new();
    for file in &spine_files {
        let xhtml = epub.text(file);
        let doc = xml(&xhtml).unwrap_or_else(|e| panic!("{file}: {e}"));
        let section = doc.descendants().find(|n| {
            n.has_tag_name("section")
                && n.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("chapter")
        });
        if section.is_some() {
            let h1 = doc
                .descendants()
                .find(|n| n.has_tag_name("h1"))
                .map(text_of);
            chapter_files.push((file.clone(), h1, xhtml.clone()));
        }
    }
    assert_eq!(
        chapter_files.len(),
        book.chapters.len(),
        "one XHTML file per chapter"
    );
    for (chapter, (file, h1, xhtml)) in book.chapters.iter().zip(&chapter_files) {
        match &chapter.title {
            Some(_) => assert_eq!(h1.as_deref(), Some(chapter.label().as_str()), "{file}"),
            None => assert!(h1.is_none(), "{file}: an untitled chapter has no h1"),
        }
        assert!(
            file.contains(&chapter.id),
            "{file} named after {}",
            chapter.id
        );
        let doc = xml(xhtml).unwrap();
        let ids: HashSet<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("id"))
            .collect();
        for h in chapter.sections() {
            assert!(
                ids.contains(h.id.as_str()),
                "{file}: heading id {} missing",
                h.id
            );
        }
    }

    // The nav: one top-level entry per chapter, links to existing files and ids; landmarks.
    let nav_href = manifest
        .iter()
        .find(|(i, h, _)| i == "nav" || h.ends_with("nav.xhtml"))
        .map(|(_, h, _)| join(&opf_path, h))
        .unwrap();
    let nav_text = epub.text(&nav_href);
    let nav = xml(&nav_text).unwrap();
    let navs: Vec<_> = nav
        .descendants()
        .filter(|n| n.has_tag_name("nav"))
        .collect();
    let epub_type = |n: &roxmltree::Node| {
        n.attribute(("http://www.idpf.org/2007/ops", "type"))
            .unwrap_or("")
            .to_string()
    };
    let toc = navs
        .iter()
        .find(|n| epub_type(n) == "toc")
        .expect("toc nav");
    let top_ol = toc.children().find(|n| n.has_tag_name("ol")).unwrap();
    let entries: Vec<String> = top_ol
        .children()
        .filter(|n| n.has_tag_name("li"))
        .map(|li| {
            li.children()
                .find(|n| n.has_tag_name("a"))
                .map(text_of)
                .unwrap_or_default()
        })
        .collect();
    for chapter in &book.chapters {
        assert!(
            entries.contains(&chapter.label()),
            "nav lacks {}: {entries:?}",
            chapter.label()
        );
    }
    let landmarks = navs
        .iter()
        .find(|n| epub_type(n) == "landmarks")
        .expect("landmarks nav");
    assert!(
        landmarks
            .descendants()
            .filter(|n| n.has_tag_name("a"))
            .count()
            >= 2
    );
    for a in toc.descendants().filter(|n| n.has_tag_name("a")) {
        let href = a.attribute("href").unwrap();
        let (file, frag) = href
            .split_once('#')
            .map_or((href, None), |(f, x)| (f, Some(x)));
        let target = join(&nav_href, file);
        let xhtml = epub.text(&target);
        if let Some(frag) = frag {
            let doc = xml(&xhtml).unwrap();
            assert!(
                doc.descendants().any(|n| n.attribute("id") == Some(frag)),
                "{href}: no such id"
            );
        }
    }
}

fn assert_epubcheck_clean(path: &Path) {
    if let Some(report) = epubcheck::epubcheck(path) {
        assert!(
            report.errors == 0 && report.warnings == 0 && report.fatals == 0,
            "EPUBCheck: {} errors, {} warnings, {} fatal: {:#?}",
            report.errors,
            report.warnings,
            report.fatals,
            report.messages
        );
    }
}

// ---------------------------------------------------------------- PDF

fn words_of_book(book: &Book) -> Vec<String> {
    fn push_blocks(blocks: &[Block], out: &mut String) {
        for b in blocks {
            match b {
                Block::Paragraph(inl) => {
                    out.push_str(&quire::model::plain_text(inl));
                    out.push('\n');
                }
                Block::Heading(h) => {
                    out.push_str(&quire::model::plain_text(&h.content));
                    out.push('\n');
                }
                Block::BlockQuote(inner) => push_blocks(inner, out),
                _ => {}
            }
        }
    }
    let mut text = String::new();
    for c in &book.chapters {
        if c.title.is_some() {
            text.push_str(&c.label());
            text.push('\n');
        }
        push_blocks(&c.blocks, &mut text);
    }
    text.split_whitespace().map(str::to_string).collect()
}

/// Checks that every word of the book appears in the PDF text in order. Words broken at a line
/// end (after a hyphen the typesetter added, or after a dash or slash of the text) are joined
/// again; running heads, folios and the contents may come in between, and the contents' dot
/// leaders are dropped.
fn assert_words_in_order(expected: &[String], pdf_text: &str) {
    let got: Vec<&str> = pdf_text
        .split_whitespace()
        .filter(|t| !t.chars().all(|c| c == '.'))
        .collect();
    let mut at = 0;
    for (wi, w) in expected.iter().enumerate() {
        match find_word(&got, at, w) {
            Some(next) => at = next,
            None => panic!(
                "word {wi} `{w}` not found in the PDF text near: {:?}",
                &got[at.min(got.len())..(at + 30).min(got.len())]
            ),
        }
    }
}

/// The position after `w` in `got`, searching from `at`.
fn find_word(got: &[&str], at: usize, w: &str) -> Option<usize> {
    // Chapter titles also appear in the contents and running heads: the window lets the
    // matcher skip those and any other furniture.
    const WINDOW: usize = 400;
    let end = (at + WINDOW).min(got.len());
    for (i, piece) in got.iter().enumerate().take(end).skip(at) {
        if *piece == w {
            return Some(i + 1);
        }
        // `exam-` + `ple`, `Expectations—` + `and`: a word broken at a line end.
        let head = piece.strip_suffix('-').unwrap_or(piece);
        if piece.ends_with(['-', '\u{2010}', '—', '–', '/']) && w.starts_with(head) {
            let following = got.iter().enumerate().skip(i + 1).take(12);
            for (j, next) in following {
                if format!("{head}{next}") == w || format!("{piece}{next}") == w {
                    return Some(j + 1);
                }
            }
        }
    }
    None
}

fn check_pdf(path: &Path, book: &Book) {
    let doc = lopdf::Document::load(path).unwrap();
    let pages = doc.get_pages();
    assert!(
        pages.len() >= book.chapters.len() + 3,
        "{} pages",
        pages.len()
    );

    // Every font embedded.
    let mut fonts = 0;
    for (_, obj) in doc.objects.iter() {
        if let Ok(dict) = obj.as_dict() {
            if dict.get(b"Type").and_then(|t| t.as_name()).ok()
                == Some(b"FontDescriptor".as_slice())
            {
                fonts += 1;
                assert!(
                    dict.has(b"FontFile") || dict.has(b"FontFile2") || dict.has(b"FontFile3"),
                    "font not embedded: {dict:?}"
                );
            }
        }
    }
    assert!(fonts >= 1);

    // Outline: one top-level entry per chapter, in order, with the chapter labels.
    let catalog = doc.catalog().unwrap();
    let outlines = doc
        .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    let mut titles = Vec::new();
    let mut item = outlines.get(b"First").and_then(|o| o.as_reference()).ok();
    while let Some(id) = item {
        let d = doc.get_dictionary(id).unwrap();
        let title = d.get(b"Title").unwrap();
        titles.push(lopdf::decode_text_string(title).unwrap());
        item = d.get(b"Next").and_then(|o| o.as_reference()).ok();
    }
    let labels: Vec<String> = book.chapters.iter().map(|c| c.label()).collect();
    for l in &labels {
        assert!(titles.contains(l), "no bookmark for {l}: {titles:?}");
    }
    let lang = catalog.get(b"Lang").unwrap();
    assert_eq!(
        lopdf::decode_text_string(lang).unwrap(),
        book.metadata.language
    );

    if let Some(q) = pdftools::qpdf_check(path) {
        assert!(
            q.success && !q.stdout.contains("WARNING") && !q.stderr.contains("WARNING"),
            "qpdf: {}{}",
            q.stdout,
            q.stderr
        );
    }
    if let Some(f) = pdftools::pdffonts(path) {
        let rows = pdftools::font_rows(&f.stdout);
        assert!(!rows.is_empty());
        for (name, _, emb, sub, _) in rows {
            assert!(emb && sub, "{name} not embedded and subset: {}", f.stdout);
        }
    }
    if let Some(info) = pdftools::pdfinfo(path) {
        assert_eq!(
            pdftools::info_field(&info.stdout, "Title")
                .map(|t| t.starts_with(&book.metadata.title)),
            Some(true)
        );
        assert!(
            pdftools::info_field(&info.stdout, "PDF subtype").is_none(),
            "not PDF/X: {}",
            info.stdout
        );
    }
    // `-raw`: in its default mode poppler joins a line-end hyphen with whatever comes next
    // (the folio, or the second half of `twenty-seven`), which would hide real mistakes.
    if let Some(t) = pdftools::pdftotext(path, &["-raw"]) {
        assert_words_in_order(&words_of_book(book), &t.stdout);
    }
}

// ---------------------------------------------------------------- the books

#[test]
fn sample_book_builds_a_valid_epub_and_pdf() {
    let built = build("manuscript", "ballerina");
    let book = book("manuscript");
    assert!(
        built.stdout.lines().count() == 2
            && built.stdout.contains("ballerina.epub")
            && built.stdout.contains("ballerina.pdf")
    );
    check_epub(&built.epub, &book);
    assert_epubcheck_clean(&built.epub);
    check_pdf(&built.pdf, &book);
}

#[test]
fn pride_and_prejudice_builds_a_valid_epub_and_pdf() {
    let m = "tests/fixtures/pride-and-prejudice";
    let built = build(m, "pride-and-prejudice");
    let book = book(m);
    check_epub(&built.epub, &book);
    assert_epubcheck_clean(&built.epub);
    check_pdf(&built.pdf, &book);
}

#[test]
fn builds_are_byte_identical() {
    let a = build("manuscript", "ballerina");
    let b = build("manuscript", "ballerina");
    assert_eq!(
        std::fs::read(&a.epub).unwrap(),
        std::fs::read(&b.epub).unwrap()
    );
    assert_eq!(
        std::fs::read(&a.pdf).unwrap(),
        std::fs::read(&b.pdf).unwrap()
    );
}

/// Chapters are read, set and written in parallel, and PDF pages compressed in parallel: the
/// files must be the same whatever the number of threads.
#[test]
fn builds_do_not_depend_on_the_thread_count() {
    let m = "tests/fixtures/pride-and-prejudice";
    let stem = "pride-and-prejudice";
    let one = build_with_threads(m, stem, Some(1));
    let read = |built: &Built| {
        (
            std::fs::read(&built.epub).unwrap(),
            std::fs::read(&built.pdf).unwrap(),
        )
    };
    let (epub, pdf) = read(&one);
    // The default (one thread per core) and more threads than chapters split the work
    // differently again.
    for threads in [None, Some(3), Some(64)] {
        let (other_epub, other_pdf) = read(&build_with_threads(m, stem, threads));
        assert!(other_epub == epub, "EPUB differs with {threads:?} threads");
        assert!(other_pdf == pdf, "PDF differs with {threads:?} threads");
    }
}

/// Titles of an outline level, with each entry's children.
fn outline_tree(
    doc: &lopdf::Document,
    first: Option<lopdf::ObjectId>,
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut item = first;
    while let Some(id) = item {
        let d = doc.get_dictionary(id).unwrap();
        let title = lopdf::decode_text_string(d.get(b"Title").unwrap()).unwrap();
        let children = outline_tree(doc, d.get(b"First").and_then(|o| o.as_reference()).ok())
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        out.push((title, children));
        item = d.get(b"Next").and_then(|o| o.as_reference()).ok();
    }
    out
}

#[test]
fn sections_nest_in_the_nav_and_the_bookmarks() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m");
    std::fs::create_dir_all(&m).unwrap();
    std::fs::write(m.join("book.toml"), "[book]\ntitle = \"Nested\"\nauthors = [\"A. Writer\"]\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:nested\"\n").unwrap();
    let body = "Some words of text to set in a paragraph, long enough to fill a line or two of the page.\n";
    std::fs::write(
        m.join("ch1.md"),
        format!("# First\n\n{body}\n## Alpha\n\n{body}\n### Deep\n\n{body}\n## Beta\n\n{body}"),
    )
    .unwrap();
    std::fs::write(
        m.join("ch2.md"),
        format!("# Second\n\n{body}\n## Gamma\n\n{body}"),
    )
    .unwrap();
    let built = build(m.to_str().unwrap(), "nested");
    let book = book(m.to_str().unwrap());
    check_epub(&built.epub, &book);
    assert_epubcheck_clean(&built.epub);
    check_pdf(&built.pdf, &book);

    // EPUB nav: chapters, then their level-2 sections nested (toc depth 2 by default).
    let mut epub = Epub::open(&built.epub);
    let nav_text = epub.text("OEBPS/nav.xhtml");
    let nav = xml(&nav_text).unwrap();
    let toc = nav
        .descendants()
        .find(|n| {
            n.has_tag_name("nav")
                && n.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("toc")
        })
        .unwrap();
    let first = toc
        .descendants()
        .find(|n| {
            n.has_tag_name("li")
                && n.children()
                    .any(|a| a.has_tag_name("a") && text_of(a) == "First")
        })
        .unwrap();
    let nested: Vec<String> = first
        .children()
        .filter(|n| n.has_tag_name("ol"))
        .flat_map(|ol| ol.children().filter(|n| n.has_tag_name("li")))
        .map(|li| {
            li.children()
                .find(|a| a.has_tag_name("a"))
                .map(text_of)
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(nested, ["Alpha", "Beta"]);

    // PDF bookmarks: the same tree.
    let doc = lopdf::Document::load(&built.pdf).unwrap();
    let outlines = doc
        .get_dictionary(
            doc.catalog()
                .unwrap()
                .get(b"Outlines")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap();
    let tree = outline_tree(
        &doc,
        outlines.get(b"First").and_then(|o| o.as_reference()).ok(),
    );
    let chapters: Vec<&(String, Vec<String>)> = tree
        .iter()
        .filter(|(t, _)| t == "First" || t == "Second")
        .collect();
    assert_eq!(chapters[0].1, ["Alpha", "Beta"]);
    assert_eq!(chapters[1].1, ["Gamma"]);
}
