//! Every corpus book's EPUB as the stores and readers take it (issue "Store-ready"): DAISY Ace
//! finds nothing critical, serious or moderate, and calibre's `ebook-convert` turns it into
//! AZW3 (Kindle's format) whose metadata `ebook-meta` reads back with the book's title, and
//! EPUBCheck finds no error or warning.
//! Each book is built once, EPUB only, into its own folder; both checks read that file.
//! Without Ace or calibre a check is skipped with a notice, except under `CI=true`.

#[path = "common/ace.rs"]
mod ace;
#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/epubcheck.rs"]
mod epubcheck;
#[path = "common/pdftools.rs"]
mod pdftools;

use std::path::{Path, PathBuf};

use quire::build::{build, BuildOptions, Format};

/// The book's EPUB, built from `root` into `dir`.
fn epub_of(root: &Path, dir: &Path) -> PathBuf {
    let report = build(&BuildOptions {
        manuscript: root.to_path_buf(),
        out_dir: dir.join("out"),
        format: Format::Epub,
        deny_warnings: false,
        name: None,
    })
    .unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    report
        .written
        .iter()
        .map(|w| w.path.clone())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("an EPUB written")
}

/// Ace's findings that a store or an accessibility review would hold against the book.
fn check_accessibility(epub: &Path) {
    let Some(findings) = ace::ace(epub) else {
        return;
    };
    let bad: Vec<_> = findings
        .iter()
        .filter(|f| matches!(f.impact.as_str(), "critical" | "serious" | "moderate"))
        .collect();
    assert!(
        bad.is_empty(),
        "{}: {} Ace findings, the first: {:#?}",
        epub.display(),
        bad.len(),
        &bad[..bad.len().min(5)]
    );
}

/// The title calibre reads from a file's metadata (`ebook-meta`), `None` without calibre.
fn calibre_title(book: &Path) -> Option<String> {
    let meta = pdftools::run_tool("ebook-meta", &[book.to_str().expect("UTF-8 path")])?;
    assert!(meta.success, "{}", meta.stderr);
    let title = meta
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Title"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, t)| t.trim().to_string());
    Some(title.unwrap_or_else(|| panic!("no title in:\n{}", meta.stdout)))
}

/// calibre converts the EPUB to AZW3 with exit 0, and the AZW3 has the EPUB's title.
fn check_azw3(epub: &Path, dir: &Path) {
    let azw3 = dir.join("book.azw3");
    let args = [
        epub.to_str().expect("UTF-8 path"),
        azw3.to_str().expect("UTF-8 path"),
    ];
    let Some(out) = pdftools::run_tool("ebook-convert", &args) else {
        return;
    };
    assert!(
        out.success,
        "ebook-convert failed on {}:\n{}\n{}",
        epub.display(),
        out.stdout,
        out.stderr
    );
    let size = std::fs::metadata(&azw3).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10_000, "AZW3 of {size} bytes");
    let title = calibre_title(epub).expect("ebook-meta");
    assert!(!title.is_empty() && title != "Unknown", "{title}");
    assert_eq!(calibre_title(&azw3), Some(title));
}

fn store_ready(root: &Path) {
    let dir = tempfile::tempdir().expect("tempdir");
    let epub = epub_of(root, dir.path());
    if let Some(report) = epubcheck::epubcheck(&epub) {
        assert!(
            report.is_clean(),
            "{}: {:#?}",
            root.display(),
            report.messages
        );
    }
    check_accessibility(&epub);
    check_azw3(&epub, dir.path());
}

#[test]
fn the_sample_book() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript");
    store_ready(&root);
}

#[test]
fn pride_and_prejudice() {
    store_ready(&corpus::fixture("pride-and-prejudice"));
}

#[test]
fn the_rust_book() {
    store_ready(&corpus::fixture("rust-book"));
}

#[test]
fn the_async_book() {
    store_ready(&corpus::fixture("async-book"));
}

#[test]
fn the_mdbook_guide() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("guide");
    corpus::mdbook_guide_copy(&root);
    store_ready(&root);
}

#[test]
fn the_zugspitz_expedition() {
    store_ready(&corpus::fixture("zugspitz-de"));
}

#[test]
fn programmieren_2() {
    store_ready(&corpus::fixture("prog2-lecture-de"));
}
