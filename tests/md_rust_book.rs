//! A real technical book: *The Rust Programming Language* (tests/fixtures/rust-book, MIT OR
//! Apache-2.0, see its SOURCE.txt and FIXTURE.md), read in SUMMARY.md order. Its EPUB must
//! pass EPUBCheck with no error and no warning, hold all 28 images, and resolve every link
//! between chapters; reading it gives no warning at all.

#[path = "common/epubcheck.rs"]
mod epubcheck;
mod md_common;

use std::path::Path;

use md_common::{assert_links_resolve, parse, resolve, Epub, XHTML};

#[test]
fn the_rust_book_builds_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rust-book");
    let (epub, warnings) = Epub::build(&root);
    // The only warnings: characters no bundled font has, each once. The book says hello in
    // Devanagari, Japanese, Korean, Chinese, Thai and Bengali (ch08-02) and uses three emoji.
    let (glyphs, other): (Vec<_>, Vec<_>) = warnings
        .iter()
        .partition(|w| w.contains("is in none of the book's fonts"));
    assert!(other.is_empty(), "{other:#?}");
    assert_eq!(glyphs.len(), 45, "{glyphs:#?}");
    for c in [
        "U+1F6A8", "U+0928", "U+3053", "U+C548", "U+4F60", "U+0E44", "U+09AC",
    ] {
        assert!(glyphs.iter().any(|w| w.contains(c)), "{c}");
    }

    // Chapters in SUMMARY.md order: the spine starts with the title page, then the book's.
    let chapters = epub.chapters();
    assert_eq!(chapters.len(), 111, "{chapters:#?}");

    // All 28 images (5 PNG, 23 SVG), each once, and every <img> shows one of them.
    let manifest = epub.manifest();
    let images: Vec<_> = manifest
        .iter()
        // The book's images; the placeholder cover is quire's own.
        .filter(|(h, _)| h.starts_with("images/") && *h != "images/cover.png")
        .collect();
    assert_eq!(images.len(), 28, "{images:#?}");
    assert_eq!(images.iter().filter(|(_, t)| *t == "image/png").count(), 5);
    assert_eq!(
        images.iter().filter(|(_, t)| *t == "image/svg+xml").count(),
        23
    );
    let mut shown = 0;
    for name in &chapters {
        let doc = parse(epub.text(name));
        for img in doc.descendants().filter(|n| n.has_tag_name((XHTML, "img"))) {
            let file = resolve(name, img.attribute("src").unwrap());
            assert!(epub.files.contains_key(&file), "{name}: {file}");
            assert!(
                !img.attribute("alt").unwrap_or("").is_empty(),
                "{name}: {file}"
            );
            shown += 1;
        }
    }
    assert!(shown >= 28, "{shown}");

    // Every internal link lands on an existing file and id (184 of them).
    let links = assert_links_resolve(&epub);
    assert!(links > 150, "{links}");

    // Code is highlighted.
    let ownership = epub.text("OEBPS/text/what-is-ownership.xhtml");
    assert!(ownership.contains("<code class=\"language-rust\"><span class=\"hl-"));

    // Listings are figures: the caption and file name in a `<figcaption>` above the code,
    // and no `Filename:` paragraph or caption span left as text.
    let mut listings = 0;
    for name in &chapters {
        let doc = parse(epub.text(name));
        for fig in doc.descendants().filter(|n| {
            n.has_tag_name((XHTML, "figure")) && n.attribute("class") == Some("listing")
        }) {
            let kids: Vec<_> = fig.children().filter(|n| n.is_element()).collect();
            assert!(kids.len() == 2, "{name}: {kids:?}");
            assert!(kids[0].has_tag_name((XHTML, "figcaption")), "{name}");
            assert!(kids[1].has_tag_name((XHTML, "pre")), "{name}");
            listings += 1;
        }
        for p in doc.descendants().filter(|n| n.has_tag_name((XHTML, "p"))) {
            let text: String = p.descendants().filter_map(|n| n.text()).collect();
            assert!(
                !text.trim_start().starts_with("Filename:"),
                "{name}: {text}"
            );
        }
    }
    assert!(listings > 350, "{listings}");
    let game = epub.text("OEBPS/text/programming-a-guessing-game.xhtml");
    assert!(game.contains("<figure class=\"listing\">\n<figcaption><span class=\"listing-caption\">Listing 2-1: Code that gets a guess from the user and prints it</span><br/><code class=\"listing-file\">src/main.rs</code></figcaption>\n<pre><code class=\"language-rust\">"), "{game}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rust-book.epub");
    std::fs::write(&path, &epub.bytes).unwrap();
    if let Some(report) = epubcheck::epubcheck(&path) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }
}

#[test]
fn an_mdbook_folder_without_configuration_takes_its_title_from_summary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rust-book");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("SUMMARY.md"),
        "# The Rust Programming Language\n\n- [Guessing Game](ch02-00-guessing-game-tutorial.md)\n",
    )
    .unwrap();
    std::fs::copy(
        root.join("ch02-00-guessing-game-tutorial.md"),
        dir.path().join("ch02-00-guessing-game-tutorial.md"),
    )
    .unwrap();
    let (book, _, warnings) = quire::read_manuscript(dir.path()).expect("reads");
    assert_eq!(book.metadata.title, "The Rust Programming Language");
    // The links out of the book say how to keep them.
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("set `link-base`")),
        "{warnings:#?}"
    );
}

#[path = "common/pdftools.rs"]
mod pdftools;

/// The PDF draws all 28 images (in figures, in a table's cells), each stored once as an
/// image XObject, and passes `qpdf --check`.
#[test]
fn the_rust_book_pdf_shows_all_its_images() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rust-book");
    let (book, settings, _) = quire::read_manuscript(&root).unwrap();
    assert_eq!(book.resources.len(), 28);
    let doc = quire::typeset::typeset(&book, &settings).unwrap();
    let bytes = quire::pdf::write_pdf(&doc, &book.metadata).unwrap();
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();
    let masks: Vec<lopdf::ObjectId> = pdf
        .objects
        .values()
        .filter_map(|o| {
            o.as_stream()
                .ok()?
                .dict
                .get(b"SMask")
                .ok()?
                .as_reference()
                .ok()
        })
        .collect();
    let images = pdf
        .objects
        .iter()
        .filter(|(id, o)| {
            o.as_stream().is_ok_and(|s| {
                s.dict.get(b"Subtype").and_then(lopdf::Object::as_name).ok() == Some(b"Image")
            }) && !masks.contains(id)
        })
        .count();
    assert_eq!(images, 28);
    // Every image is drawn: as many `Do` as uses of images in the book's pages.
    let drawn: usize = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter(|i| matches!(i, quire::typeset::document::Item::Image { .. }))
        .count();
    assert!(drawn >= 28, "{drawn}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rust-book.pdf");
    std::fs::write(&path, &bytes).unwrap();
    if let Some(check) = pdftools::qpdf_check(&path) {
        assert!(
            check.success && !check.stdout.contains("WARNING"),
            "{}",
            check.stdout
        );
    }
}
