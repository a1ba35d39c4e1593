//! One reading of the manuscript (issue 11): raw HTML parsed once by the reader, figures
//! decided once for both outputs, every heading with an id unique in the book. Each test
//! builds a manuscript with the real binary and reads back the files it wrote.

#[path = "common/epubcheck.rs"]
mod epubcheck;
#[path = "common/pdftools.rs"]
mod pdftools;

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes a folder manuscript (`book.toml` and `chapters`) and builds it into `out/`.
fn build(root: &Path, chapters: &[(&str, &str)], images: &[(&str, Vec<u8>)]) -> (PathBuf, PathBuf) {
    let m = root.join("m");
    fs::create_dir_all(m.join("images")).unwrap();
    fs::write(
        m.join("book.toml"),
        "[book]\ntitle = \"Reading\"\nauthors = [\"A. Writer\"]\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:reading\"\n",
    )
    .unwrap();
    for (name, text) in chapters {
        fs::write(m.join(name), text).unwrap();
    }
    for (name, bytes) in images {
        fs::write(m.join("images").join(name), bytes).unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["build", "m", "--out", "out"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (root.join("out/reading.epub"), root.join("out/reading.pdf"))
}

/// The chapter documents of an EPUB, by file name.
fn chapter_documents(epub: &Path) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(fs::File::open(epub).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().to_string();
        if name.starts_with("OEBPS/text/") && name.ends_with(".xhtml") {
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            out.insert(name, text);
        }
    }
    out
}

fn parse(xhtml: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(xhtml, options).expect("well-formed XHTML")
}

fn text_of(node: roxmltree::Node) -> String {
    let text: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_epubcheck_clean(epub: &Path) {
    if let Some(report) = epubcheck::epubcheck(epub) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }
}

/// The writers read only the model: nothing in `src/epub`, `src/typeset` or `src/pdf` names
/// the reader, not even in a comment.
#[test]
fn writers_do_not_import_the_reader() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for folder in ["epub", "typeset", "pdf"] {
        let mut stack = vec![src.join(folder)];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    if line.contains("crate::markdown") || line.contains("markdown::") {
                        found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the writers name the reader:\n{}",
        found.join("\n")
    );
}

/// Headings inside list items (and quotes and notes) each get a non-empty id unique in the
/// book; the manuscript of issue 11 used to fail EPUBCheck with RSC-005 (`id="id-"` twice).
#[test]
fn headings_anywhere_get_unique_ids() {
    let root = tempfile::tempdir().unwrap();
    let (epub, _) = build(
        root.path(),
        &[
            ("01.md", "# One\n- item\n\n  ## Inside\n- two\n\n  ## Inside\n"),
            (
                "02.md",
                "# Two\n\n> ## Inside\n\nText.[^n]\n\n[^n]: A note.\n\n    ## In a note\n\n1. ## Inside\n",
            ),
        ],
        &[],
    );
    let mut ids = HashSet::new();
    for (name, xhtml) in chapter_documents(&epub) {
        let doc = parse(&xhtml);
        for h in doc
            .descendants()
            .filter(|n| matches!(n.tag_name().name(), "h2" | "h3" | "h4" | "h5" | "h6"))
        {
            let id = h.attribute("id").unwrap_or_default();
            assert!(
                !id.is_empty() && id != "id-",
                "{name}: heading without an id: {xhtml}"
            );
        }
        for id in doc.descendants().filter_map(|n| n.attribute("id")) {
            assert!(
                ids.insert(id.to_string()),
                "{name}: id `{id}` twice in the book"
            );
        }
    }
    // Five headings named "Inside" or "In a note", each with its own id.
    assert!(ids.contains("inside") && ids.contains("inside-2") && ids.contains("in-a-note"));
    assert_epubcheck_clean(&epub);
}

/// A PNG of `width` x 10 pixels, grey.
fn png(width: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, 10);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&vec![128u8; (width * 10) as usize])
        .unwrap();
    writer.finish().unwrap();
    out
}

const FIGURES: &str = r#"# Figures

Some text before the figures.

![Alt A](images/a.png "Caption A from the title")

![Alt B](images/b.png)

*Caption B in emphasis*

<img src="images/c.png" alt="Alt C">

*Caption C after a raw image*

<figure>

<img src="images/d.png" alt="Alt D">

<figcaption>Caption D in a figcaption</figcaption>

</figure>

<img alt="Alt E" src="images/e.png"
class="center" style="width: 50%;" />

<span class="caption">Caption E in an mdBook span</span>

![Alt F](images/f.png)

![Alt G](images/g.png)

*Caption G with [a link](https://example.com/g) and a note[^g]*

An image in running text ![alt H](images/h.png) stays in the line.

[^g]: The note of figure G.
"#;

/// Every figure form the reader knows is a figure in both outputs, with the same caption:
/// the EPUB's `<figure>`s and `<figcaption>`s (parsed as XML), the PDF's captions (its
/// text, each once) and images (one XObject drawn per figure, and the inline one).
#[test]
fn every_figure_form_is_a_figure_in_both_outputs() {
    let root = tempfile::tempdir().unwrap();
    let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
    let images: Vec<(String, Vec<u8>)> = (names.iter().enumerate())
        .map(|(k, n)| (format!("{n}.png"), png(20 + k as u32)))
        .collect();
    let images: Vec<(&str, Vec<u8>)> = images
        .iter()
        .map(|(n, b)| (n.as_str(), b.clone()))
        .collect();
    let (epub, pdf) = build(root.path(), &[("01.md", FIGURES)], &images);

    let captions = [
        "Caption A from the title",
        "Caption B in emphasis",
        "Caption C after a raw image",
        "Caption D in a figcaption",
        "Caption E in an mdBook span",
        "Caption G with a link and a note1",
    ];
    let docs = chapter_documents(&epub);
    let xhtml = docs.values().next().expect("a chapter");
    let doc = parse(xhtml);
    let figures: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "figure")
        .collect();
    assert_eq!(figures.len(), 7, "{xhtml}");
    let found: Vec<String> = figures
        .iter()
        .filter_map(|f| f.children().find(|c| c.tag_name().name() == "figcaption"))
        .map(text_of)
        .collect();
    assert_eq!(found, captions, "{xhtml}");
    for f in &figures {
        let imgs = f
            .descendants()
            .filter(|n| n.tag_name().name() == "img")
            .count();
        assert_eq!(imgs, 1, "{xhtml}");
    }
    // The caption keeps its link and its note reference.
    let g = figures[6];
    assert!(g.descendants().any(
        |n| n.tag_name().name() == "a" && n.attribute("href") == Some("https://example.com/g")
    ));
    assert!(g
        .descendants()
        .any(|n| n.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("noteref")));
    // No caption is set again as a paragraph; the inline image stays in its paragraph.
    let paragraphs: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "p")
        .map(text_of)
        .collect();
    assert!(
        paragraphs.iter().all(|p| !p.contains("Caption")),
        "{paragraphs:?}"
    );
    let inline = doc
        .descendants()
        .find(|n| n.tag_name().name() == "img" && n.attribute("alt") == Some("alt H"))
        .expect("the inline image");
    assert_eq!(inline.parent().unwrap().tag_name().name(), "p");
    assert_epubcheck_clean(&epub);

    let Some(text) = pdftools::pdftotext(&pdf, &[]) else {
        return;
    };
    let text = text.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for caption in captions {
        // The PDF sets a note reference as a superscript number after the word.
        let caption = caption.trim_end_matches('1');
        assert_eq!(text.matches(caption).count(), 1, "`{caption}` in: {text}");
    }
    let doc = lopdf::Document::load(&pdf).unwrap();
    let mut drawn = 0;
    for (_, page) in doc.get_pages() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
        drawn += content
            .operations
            .iter()
            .filter(|op| op.operator == "Do")
            .count();
    }
    let images = doc
        .objects
        .values()
        .filter(|o| match o {
            lopdf::Object::Stream(s) => {
                s.dict.get(b"Subtype").and_then(lopdf::Object::as_name).ok() == Some(b"Image")
            }
            _ => false,
        })
        .count();
    assert_eq!(drawn, 8, "seven figures and one inline image");
    assert_eq!(images, 8);
}
