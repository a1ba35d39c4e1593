//! Lean EPUBs: real books carry only the faces their text uses, each subset, and every
//! character of the text is still drawn by a face the EPUB carries (read back from the file).

#[path = "common/epubcheck.rs"]
mod epubcheck;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::OnceLock;

/// Every entry of an EPUB.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        files.insert(entry.name().to_string(), data);
    }
    files
}

fn build(dir: &str) -> Vec<u8> {
    let (book, settings, _) =
        quire::read_manuscript(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir).as_path())
            .expect("the manuscript reads");
    quire::epub::write_epub(&book, &settings).expect("the EPUB is written")
}

fn pride() -> &'static [u8] {
    static EPUB: OnceLock<Vec<u8>> = OnceLock::new();
    EPUB.get_or_init(|| build("tests/fixtures/pride-and-prejudice"))
}

fn sample() -> &'static [u8] {
    static EPUB: OnceLock<Vec<u8>> = OnceLock::new();
    EPUB.get_or_init(|| build("manuscript"))
}

/// The characters of the text of every content document that is not code, and of code.
fn text_chars(files: &BTreeMap<String, Vec<u8>>) -> (BTreeSet<char>, BTreeSet<char>) {
    let (mut prose, mut code) = (BTreeSet::new(), BTreeSet::new());
    for (name, data) in files.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        let text = std::str::from_utf8(data).expect("UTF-8");
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(text, options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for node in doc.descendants().filter(|n| n.is_text()) {
            if node.ancestors().any(|a| a.tag_name().name() == "head") {
                continue;
            }
            let in_code = node
                .ancestors()
                .any(|a| matches!(a.tag_name().name(), "code" | "pre"));
            let set = if in_code { &mut code } else { &mut prose };
            set.extend(
                node.text()
                    .unwrap_or("")
                    .chars()
                    .filter(|c| !c.is_whitespace()),
            );
        }
    }
    (prose, code)
}

/// The embedded font files, parsed.
fn fonts(files: &BTreeMap<String, Vec<u8>>) -> Vec<(&str, ttf_parser::Face<'_>)> {
    files
        .iter()
        .filter(|(n, _)| n.contains("/fonts/"))
        .map(|(n, d)| {
            let face = ttf_parser::Face::parse(d, 0).unwrap_or_else(|e| panic!("{n}: {e}"));
            (n.as_str(), face)
        })
        .collect()
}

#[test]
fn pride_and_prejudice_is_lean_and_every_character_has_a_glyph() {
    let epub = pride();
    let files = unzip(epub);
    let fonts = fonts(&files);
    let names: Vec<&str> = fonts.iter().map(|(n, _)| *n).collect();
    println!(
        "pride-and-prejudice EPUB: {} bytes, fonts {names:?}",
        epub.len()
    );
    assert!(epub.len() < 600_000, "{} bytes", epub.len());
    // No code, no bold, no Hebrew: the regular and italic body faces only.
    assert_eq!(
        names,
        [
            "OEBPS/fonts/LinLibertine_R.otf",
            "OEBPS/fonts/LinLibertine_RI.otf"
        ]
    );
    let (prose, _) = text_chars(&files);
    let regular = &fonts[0].1;
    let missing: Vec<char> = prose
        .iter()
        .copied()
        .filter(|&c| regular.glyph_index(c).is_none())
        .collect();
    assert!(missing.is_empty(), "not in the regular face: {missing:?}");
    // Cut down: a few hundred glyphs of the face's 2,674 (small caps and ligatures included).
    assert!(
        regular.number_of_glyphs() < 600,
        "{}",
        regular.number_of_glyphs()
    );
}

#[test]
fn the_sample_book_is_under_150_kb() {
    let epub = sample();
    let files = unzip(epub);
    println!("sample EPUB: {} bytes", epub.len());
    assert!(epub.len() < 150_000, "{} bytes", epub.len());
    let (prose, code) = text_chars(&files);
    let fonts = fonts(&files);
    for c in prose.iter().chain(&code) {
        assert!(
            fonts.iter().any(|(_, f)| f.glyph_index(*c).is_some()),
            "no embedded face draws {c:?}"
        );
    }
}

#[test]
fn lean_epubs_pass_epubcheck() {
    for (name, epub) in [("pride", pride()), ("sample", sample())] {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join(format!("{name}.epub"));
        std::fs::write(&path, epub).expect("write");
        if let Some(report) = epubcheck::epubcheck(&path) {
            assert!(report.is_clean(), "{name}: {:?}", report.messages);
        }
    }
}
