//! The whole of Markdown in the EPUB, proven on the fixture manuscript `tests/fixtures/constructs`
//! (one chapter per family of constructs). Every assertion is on the XHTML parsed as XML: ids,
//! link targets, manifest entries, table cells; not on strings the writer produced.

#[path = "common/epubcheck.rs"]
mod epubcheck;

mod md_common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use md_common::{assert_links_resolve, parse, resolve, Epub, OPS, XHTML};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs")
}

fn doc_of(epub: &Epub, name: &str) -> roxmltree::Document<'static> {
    // Leaked: a test's documents live as long as the test.
    let text: &'static str = Box::leak(epub.text(name).to_string().into_boxed_str());
    parse(text)
}

fn elements<'a>(
    doc: &'a roxmltree::Document<'a>,
    tag: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'a>> + 'a {
    doc.descendants()
        .filter(move |n| n.has_tag_name((XHTML, tag)))
}

fn text_of(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

#[test]
fn constructs_epub_is_valid_and_structured() {
    let (epub, warnings) = Epub::build(&fixture());

    // Warnings: exactly the broken link and the image without alt text, with file and line.
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings
        .iter()
        .any(|w| w.contains("02-links.md:6:7") && w.contains("#nowhere")));
    assert!(warnings
        .iter()
        .any(|w| w.contains("03-images.md:22:28") && w.contains("no alt text")));

    // 1. Headings 2-6 with ids; inline markup.
    let text = doc_of(&epub, "OEBPS/text/text.xhtml");
    for (level, id) in [
        ("h2", "second"),
        ("h3", "third-level"),
        ("h6", "sixth-level"),
    ] {
        assert!(
            elements(&text, level).any(|h| h.attribute("id") == Some(id)),
            "{level}#{id}"
        );
    }
    for tag in ["em", "strong", "del", "code", "sup", "sub"] {
        assert!(elements(&text, tag).next().is_some(), "<{tag}>");
    }
    // 9. Characters: NBSP, word joiner and soft hyphen kept; the BOM is not text.
    let body = text_of(elements(&text, "body").next().unwrap());
    assert!(body.contains("10\u{a0}km"));
    assert!(body.contains("a\u{2060}b"));
    assert!(body.contains("hy\u{ad}phen"));
    assert!(!body.contains('\u{feff}'));
    // 4. Poetry keeps its lines; nested quotes; ordered list start; nested, loose and task lists.
    let poem = elements(&text, "p")
        .find(|p| text_of(*p).contains("woods are lovely"))
        .unwrap();
    assert_eq!(
        poem.children()
            .filter(|c| c.has_tag_name((XHTML, "br")))
            .count(),
        2
    );
    assert!(elements(&text, "blockquote").any(|q| q
        .ancestors()
        .skip(1)
        .any(|a| a.has_tag_name((XHTML, "blockquote")))));
    assert!(elements(&text, "ol").any(|o| o.attribute("start") == Some("3")));
    assert!(
        elements(&text, "ul").any(|u| u.ancestors().skip(1).any(|a| a.has_tag_name((XHTML, "ol"))))
    );
    let boxes: Vec<_> = elements(&text, "input").collect();
    assert_eq!(boxes.len(), 2);
    assert_eq!(boxes[0].attribute("checked"), Some("checked"));
    assert_eq!(boxes[1].attribute("checked"), None);

    // 2. Links: external clickable; #id, chapter.md#id, chapter.html#id and chapter.md resolve;
    // the broken one is plain text.
    let links = doc_of(&epub, "OEBPS/text/links.xhtml");
    let hrefs: Vec<&str> = elements(&links, "a")
        .filter_map(|a| a.attribute("href"))
        .collect();
    assert!(hrefs.contains(&"https://example.com/a?b=1&c=2"));
    assert!(hrefs.contains(&"#here"));
    assert!(hrefs.contains(&"text.xhtml#second"));
    assert!(hrefs.contains(&"text.xhtml#poetry"));
    assert!(hrefs.contains(&"text.xhtml#quotes-and-lists"));
    assert!(hrefs.contains(&"images.xhtml"));
    assert!(!elements(&links, "a").any(|a| text_of(a) == "broken link"));
    assert!(assert_links_resolve(&epub) >= 8);

    // 3. Images: each file once in the manifest with its type, every <img> points at one,
    // alt kept, figures with captions.
    let manifest = epub.manifest();
    let images: BTreeMap<&str, &str> = manifest
        .iter()
        // The manuscript's images; the placeholder cover is quire's own.
        .filter(|(h, _)| h.starts_with("images/") && *h != "images/cover.png")
        .map(|(h, t)| (h.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        images,
        BTreeMap::from([
            ("images/blue.jpg", "image/jpeg"),
            ("images/diagram.svg", "image/svg+xml"),
            ("images/red.png", "image/png"),
        ])
    );
    for name in epub.chapters() {
        let doc = doc_of(&epub, &name);
        for img in elements(&doc, "img") {
            let src = img.attribute("src").unwrap();
            let file = resolve(&name, src);
            assert!(epub.files.contains_key(&file), "{name}: {src}");
            assert!(manifest.contains_key(file.trim_start_matches("OEBPS/")));
            assert!(img.attribute("alt").is_some());
        }
    }
    assert_eq!(
        epub.files["OEBPS/images/red.png"],
        std::fs::read(fixture().join("img/red.png")).unwrap()
    );
    let images_doc = doc_of(&epub, "OEBPS/text/images.xhtml");
    let alts: Vec<&str> = elements(&images_doc, "img")
        .filter_map(|i| i.attribute("alt"))
        .collect();
    assert!(alts.contains(&"A blue rectangle"));
    let captions: Vec<String> = elements(&images_doc, "figure")
        .map(|f| {
            assert!(f.children().any(|c| c.has_tag_name((XHTML, "img"))));
            text_of(
                f.children()
                    .find(|c| c.has_tag_name((XHTML, "figcaption")))
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(
        captions,
        [
            "The red one",
            "Figure 2: a diagram in SVG.",
            "Figure 3: raw HTML figure"
        ]
    );
    let opf = epub.text("OEBPS/content.opf");
    assert!(opf.contains(">visual</meta>"));

    // 5. Code: highlighted, language class without the info string's extra words.
    let blocks = doc_of(&epub, "OEBPS/text/blocks.xhtml");
    let codes: Vec<_> = elements(&blocks, "code")
        .filter(|c| c.parent().is_some_and(|p| p.has_tag_name((XHTML, "pre"))))
        .collect();
    assert_eq!(codes[0].attribute("class"), Some("language-rust"));
    assert!(codes[0]
        .descendants()
        .any(|s| s.has_tag_name((XHTML, "span"))
            && s.attribute("class")
                .is_some_and(|c| c.contains("hl-keyword"))));
    assert!(text_of(codes[0]).contains("let x = 1 < 2;"));
    assert!(!epub.text("OEBPS/text/blocks.xhtml").contains("ignore"));
    assert_eq!(text_of(codes[1]), "plain <text> & more");
    let css = epub.text("OEBPS/stylesheet.css");
    assert!(css.contains(".hl-"));

    // 6. Tables: header cells and alignment.
    let ths: Vec<_> = elements(&blocks, "th").collect();
    assert_eq!(ths.len(), 3);
    assert_eq!(ths[2].attribute("class"), Some("align-right"));
    let tds: Vec<String> = elements(&blocks, "td").map(text_of).collect();
    assert_eq!(tds, ["a", "b", "c", "d", "e", "12"]);

    // 7. Footnotes: labels with spaces and symbols; noteref -> aside, back-link first.
    let refs: Vec<_> = elements(&blocks, "a")
        .filter(|a| a.attribute((OPS, "type")) == Some("noteref"))
        .collect();
    assert_eq!(refs.len(), 3);
    let asides: Vec<_> = elements(&blocks, "aside")
        .filter(|a| a.attribute((OPS, "type")) == Some("footnote"))
        .collect();
    assert_eq!(asides.len(), 2);
    for r in &refs {
        let target = r.attribute("href").unwrap().trim_start_matches('#');
        assert!(asides.iter().any(|a| a.attribute("id") == Some(target)));
    }
    let first_link = asides[0]
        .descendants()
        .find(|n| n.has_tag_name((XHTML, "a")))
        .unwrap();
    assert_eq!(
        first_link
            .attribute("href")
            .map(|h| h.trim_start_matches('#')),
        refs[0].attribute("id")
    );

    // 8. Raw HTML: parsed, no script, no handlers, no javascript: links; <br> and &nbsp; kept.
    for n in blocks.descendants().filter(|n| n.is_element()) {
        assert!(!n.has_tag_name((XHTML, "script")));
        assert!(n.attributes().all(|a| !a.name().starts_with("on")));
        assert!(n
            .attribute("href")
            .is_none_or(|h| !h.starts_with("javascript")));
    }
    assert!(text_of(elements(&blocks, "body").next().unwrap()).contains("A\u{a0}B"));
    assert!(elements(&blocks, "kbd").any(|k| text_of(k) == "Ctrl"));
    assert!(
        elements(&blocks, "div").any(|d| d.attribute("class") == Some("aside")
            && d.descendants().any(|i| i.has_tag_name((XHTML, "img"))))
    );

    // The whole book passes EPUBCheck.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("constructs.epub");
    std::fs::write(&path, &epub.bytes).unwrap();
    if let Some(report) = epubcheck::epubcheck(&path) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }
}

/// Copies the fixture into a temporary folder with one more chapter.
fn with_chapter(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m");
    std::fs::create_dir_all(m.join("img")).unwrap();
    std::fs::write(
        m.join("book.toml"),
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    std::fs::copy(fixture().join("img/red.png"), m.join("img/red.png")).unwrap();
    std::fs::write(m.join("ch1.md"), text).unwrap();
    dir
}

fn read_error(dir: &tempfile::TempDir) -> String {
    match quire::read_manuscript(&dir.path().join("m")) {
        Ok(_) => panic!("the manuscript was read"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_images_are_errors_naming_file_and_line() {
    let d = with_chapter("# One\n\nText.\n\n![A missing one](img/nope.png)\n");
    let e = read_error(&d);
    assert!(
        e.contains("ch1.md:5:1") && e.contains("img/nope.png"),
        "{e}"
    );

    let d = with_chapter("# One\n\n![Up and out](../../etc/passwd)\n");
    let e = read_error(&d);
    assert!(e.contains("ch1.md:3:1"), "{e}");

    let d = with_chapter("# One\n\n![Absolute](/etc/passwd)\n");
    let e = read_error(&d);
    assert!(e.contains("absolute path"), "{e}");

    let d = with_chapter("# One\n\n![Not an image](notes.png)\n");
    std::fs::write(d.path().join("m/notes.png"), "just text").unwrap();
    let e = read_error(&d);
    assert!(e.contains("not a PNG, JPEG, GIF or SVG"), "{e}");

    let d = with_chapter("# One\n\n<p>raw</p>\n\n<img src=\"img/gone.svg\" alt=\"x\">\n");
    let e = read_error(&d);
    assert!(e.contains("ch1.md:5") && e.contains("img/gone.svg"), "{e}");

    #[cfg(unix)]
    {
        let d = with_chapter("# One\n\n![Linked out](img/out.png)\n");
        let outside = d.path().join("outside.png");
        std::fs::copy(fixture().join("img/red.png"), &outside).unwrap();
        std::os::unix::fs::symlink(&outside, d.path().join("m/img/out.png")).unwrap();
        let e = read_error(&d);
        assert!(e.contains("outside the manuscript"), "{e}");
    }
}

#[test]
fn an_image_used_a_thousand_times_is_stored_once() {
    let text = format!("# One\n\n{}\n", "![Red](img/red.png) ".repeat(1000));
    let d = with_chapter(&text);
    let (epub, _) = Epub::build(&d.path().join("m"));
    let manifest = epub.manifest();
    assert_eq!(
        manifest
            .keys()
            .filter(|k| k.starts_with("images/") && *k != "images/cover.png")
            .count(),
        1
    );
    let doc = doc_of(&epub, "OEBPS/text/one.xhtml");
    assert_eq!(elements(&doc, "img").count(), 1000);
}
