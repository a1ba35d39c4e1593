//! The check the fuzz target runs on each input, shared with the stable test that runs it over
//! the seed corpus and generated cases in CI (`tests/fuzz_raw_html.rs` includes this file).
//!
//! A chapter of any text, Markdown and raw HTML alike, must read without a panic, and every
//! XHTML file of its EPUB must be well-formed and keep HTML's content model (quire's own
//! rules, `epub::content_model`, find nothing left to rename). That the rules are the ones
//! EPUBCheck applies is what the test's EPUBCheck sample proves.

use std::io::Read;

/// Builds a one-chapter book of `text` in a temporary folder and checks its EPUB; panics
/// (with the file and the text) on what is wrong. Returns the EPUB, or `None` when the
/// manuscript was refused with an error (an empty chapter has no title to read).
pub fn check_chapter(text: &str) -> Option<Vec<u8>> {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"Fuzz\"\nauthors = [\"A\"]\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:fuzz\"\n",
    )
    .expect("write book.toml");
    std::fs::write(
        dir.path().join("chapter.md"),
        format!("# Chapter\n\n{text}"),
    )
    .expect("write chapter");
    // The image generated inputs show (`figure.svg`).
    std::fs::write(
        dir.path().join("figure.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>",
    )
    .expect("write figure");
    let (book, settings, _) = quire::read_manuscript(dir.path()).ok()?;
    let epub = quire::epub::write_epub(&book, &settings)
        .unwrap_or_else(|e| panic!("no EPUB ({e}) for:\n{text}"));
    check_epub(&epub, text);
    Some(epub)
}

/// Every XHTML file of `epub` parses and keeps the content model.
pub fn check_epub(epub: &[u8], text: &str) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).expect("EPUB is a zip");
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("zip entry");
        let name = entry.name().to_string();
        if !name.ends_with(".xhtml") {
            continue;
        }
        let mut xhtml = String::new();
        entry.read_to_string(&mut xhtml).expect("UTF-8 XHTML");
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        if let Err(e) = roxmltree::Document::parse_with_options(&xhtml, options) {
            panic!("{name} is not well-formed ({e}) for:\n{text}\n---\n{xhtml}");
        }
        if let Some(body) = body(&xhtml) {
            let renamed = quire::epub::enforce_content_model(body);
            assert!(
                renamed == body,
                "{name} breaks HTML's content model for:\n{text}\n---\n{body}\n---\nwould be:\n{renamed}"
            );
        }
    }
}

/// The inside of the `<body>` element.
fn body(xhtml: &str) -> Option<&str> {
    let open = xhtml.find("<body")?;
    let start = open + xhtml[open..].find('>')? + 1;
    let end = xhtml.rfind("</body>")?;
    (start <= end).then(|| &xhtml[start..end])
}
