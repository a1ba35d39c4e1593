//! The EPUB writer end to end: a hand-built book in, a zip out, checked by parsing it.

#[path = "common/epubcheck.rs"]
mod epubcheck;

use std::collections::{BTreeMap, HashSet};
use std::io::{Cursor, Read};
use std::path::PathBuf;

use chrono::TimeZone;
use quire::epub::write_epub;
use quire::model::*;
use quire::settings::Settings;

const OPF_NS: &str = "http://www.idpf.org/2007/opf";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const OPS_NS: &str = "http://www.idpf.org/2007/ops";
const XML_LANG: (&str, &str) = ("http://www.w3.org/XML/1998/namespace", "lang");

fn t(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(inlines)
}

fn heading(level: u8, id: &str, text: &str) -> Block {
    Block::Heading(Heading {
        level,
        id: id.to_string(),
        content: vec![t(text)],
    })
}

fn chapter(id: &str, title: Option<&str>, matter: Matter, blocks: Vec<Block>) -> Chapter {
    Chapter {
        id: id.to_string(),
        title: title.map(|s| vec![t(s)]),
        matter,
        source: PathBuf::from(format!("{id}.md")),
        blocks,
        notes: vec![],
        level: 1,
    }
}

fn metadata(authors: &[&str]) -> Metadata {
    Metadata {
        title: "The <Quiet> & \"Loud\" Book".to_string(),
        subtitle: Some("Tales of 'Escaping'".to_string()),
        authors: authors.iter().map(|a| a.to_string()).collect(),
        language: "en-GB".to_string(),
        identifier: "urn:isbn:9780000000002".to_string(),
        date: Some("2025-05-12".to_string()),
        publisher: Some("Small & Press".to_string()),
        rights: Some("© 2025 The Author. Some rights reserved.".to_string()),
        description: Some("A book that tests <everything>.".to_string()),
        modified: chrono::Utc.with_ymd_and_hms(2025, 6, 1, 12, 30, 0).unwrap(),
        ..Default::default()
    }
}

/// A book with every construct the model has.
fn full_book(authors: &[&str]) -> Book {
    let preface = chapter(
        "preface",
        None,
        Matter::Front,
        vec![para(vec![t("Before the story begins, a word.")])],
    );
    let mut one = chapter(
        "one",
        Some("The First Chapter"),
        Matter::Body,
        vec![
            para(vec![
                t("It began "),
                Inline::Emphasis(vec![t("quietly")]),
                t(", with "),
                Inline::Strong(vec![t("strong")]),
                t(" and "),
                Inline::Strikethrough(vec![t("struck")]),
                t(" words, H"),
                Inline::Subscript(vec![t("2")]),
                t("O, x"),
                Inline::Superscript(vec![t("2")]),
                t(" and "),
                Inline::Code("a < b && c".to_string()),
                t(".".to_string().as_str()),
                Inline::NoteRef { number: 1 },
            ]),
            para(vec![
                t("A second paragraph"),
                Inline::SoftBreak,
                t("over two lines, and a poem:"),
                Inline::LineBreak,
                t("line two"),
                Inline::Html("<br>".to_string()),
                t("line three "),
                Inline::Html("<span class=\"x\">".to_string()),
                t("spanned"),
                Inline::Html("</span>".to_string()),
                Inline::NoteRef { number: 2 },
                t(" and again"),
                Inline::NoteRef { number: 1 },
            ]),
            heading(2, "first-section", "A Section"),
            para(vec![
                t("See "),
                Inline::Link {
                    target: LinkTarget::Internal {
                        chapter: "two".to_string(),
                        anchor: Some("1-numbered".to_string()),
                    },
                    title: None,
                    content: vec![t("the numbered section")],
                },
                t(", "),
                Inline::Link {
                    target: LinkTarget::Internal {
                        chapter: "one".to_string(),
                        anchor: Some("deep".to_string()),
                    },
                    title: Some("Down \"here\"".to_string()),
                    content: vec![t("below")],
                },
                t(", "),
                Inline::Link {
                    target: LinkTarget::Internal {
                        chapter: "two".to_string(),
                        anchor: None,
                    },
                    title: None,
                    content: vec![t("chapter two")],
                },
                t(", "),
                Inline::Link {
                    target: LinkTarget::External("https://example.com/a b?x=1&y=2".to_string()),
                    title: None,
                    content: vec![t("the web")],
                },
                t(", "),
                Inline::Link {
                    target: LinkTarget::External("javascript:alert('x')".to_string()),
                    title: None,
                    content: vec![t("a trap")],
                },
                t(" and "),
                Inline::Link {
                    target: LinkTarget::Unresolved("missing.md".to_string()),
                    title: None,
                    content: vec![t("a broken link")],
                },
                t(". An image: "),
                Inline::Image {
                    src: "images/map.png".to_string(),
                    alt: "A map of the <valley>".to_string(),
                    title: None,
                    size: Default::default(),
                },
            ]),
            heading(3, "deep", "Deeper"),
            para(vec![t("Deep text.")]),
            Block::SceneBreak,
            para(vec![t("After the break, the text resumes flush left.")]),
            quire::markdown::runs::block("<!-- a comment that must vanish -->"),
            quire::markdown::runs::block(
                "<div class=\"aside\">Raw &amp; <b>bold</b>&nbsp;text</div>",
            ),
            para(vec![t("And it ends.")]),
        ],
    );
    one.notes = vec![
        Footnote {
            label: "my note".to_string(),
            number: 1,
            blocks: vec![para(vec![
                t("The first note, with "),
                Inline::Emphasis(vec![t("style")]),
            ])],
        },
        Footnote {
            label: "weird:<label>&".to_string(),
            number: 2,
            blocks: vec![
                Block::CodeBlock {
                    language: None,
                    text: "code first\n".to_string(),
                    listing: Default::default(),
                },
                para(vec![t("Then text.")]),
            ],
        },
    ];
    let two = chapter(
        "two",
        Some("Lists & Tables"),
        Matter::Body,
        vec![
            para(vec![t("Opening text.")]),
            heading(2, "1-numbered", "Numbered Things"),
            Block::List(List {
                numbering: Default::default(),
                start: Some(3),
                tight: true,
                items: vec![
                    ListItem {
                        task: None,
                        blocks: vec![para(vec![t("three")])],
                    },
                    ListItem {
                        task: None,
                        blocks: vec![
                            para(vec![t("four")]),
                            Block::List(List {
                                numbering: Default::default(),
                                start: None,
                                tight: true,
                                items: vec![ListItem {
                                    task: None,
                                    blocks: vec![para(vec![t("nested")])],
                                }],
                            }),
                        ],
                    },
                ],
            }),
            Block::List(List {
                numbering: Default::default(),
                start: None,
                tight: false,
                items: vec![
                    ListItem {
                        task: Some(true),
                        blocks: vec![para(vec![t("done task")])],
                    },
                    ListItem {
                        task: Some(false),
                        blocks: vec![para(vec![t("open task")])],
                    },
                ],
            }),
            heading(2, "tables", "Tables"),
            Block::Table(Table {
                line: 0,
                caption: None,
                align: vec![Align::Left, Align::Center, Align::Right, Align::None],
                header: vec![
                    vec![t("Name")],
                    vec![t("Kind")],
                    vec![t("Count")],
                    vec![t("Note")],
                ],
                rows: vec![
                    vec![
                        vec![t("apple")],
                        vec![t("fruit")],
                        vec![t("3")],
                        vec![t("<fresh>")],
                    ],
                    vec![vec![t("kale")], vec![t("leaf")], vec![t("12")], vec![]],
                ],
            }),
            Block::CodeBlock {
                language: Some("rust".to_string()),
                text: "fn main() {\n    println!(\"<&>\");\n}\n".to_string(),
                listing: Default::default(),
            },
            Block::BlockQuote(vec![
                para(vec![t("A quotation, quoted.")]),
                para(vec![t("Its second paragraph.")]),
            ]),
            para(vec![t("After the quote.")]),
        ],
    );
    let untitled = chapter(
        "interlude",
        None,
        Matter::Body,
        vec![para(vec![t(
            "An untitled interlude of a few quiet words and more.",
        )])],
    );
    let appendix = chapter(
        "appendix",
        Some("Appendix"),
        Matter::Back,
        vec![para(vec![t("Extra matter.")])],
    );
    Book {
        metadata: metadata(authors),
        chapters: vec![preface, one, two, untitled, appendix],
        resources: vec![],
        parts: vec![],
    }
}

/// The unpacked EPUB: entry names in order, and their contents.
struct Epub {
    names: Vec<String>,
    files: BTreeMap<String, Vec<u8>>,
    first_stored: bool,
}

impl Epub {
    fn open(bytes: &[u8]) -> Epub {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
        let mut names = Vec::new();
        let mut files = BTreeMap::new();
        let mut first_stored = false;
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).expect("entry");
            if i == 0 {
                first_stored = entry.compression() == zip::CompressionMethod::Stored;
            }
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("read entry");
            names.push(entry.name().to_string());
            files.insert(entry.name().to_string(), data);
        }
        Epub {
            names,
            files,
            first_stored,
        }
    }

    fn text(&self, name: &str) -> &str {
        let data = self
            .files
            .get(name)
            .unwrap_or_else(|| panic!("no entry {name}"));
        std::str::from_utf8(data).expect("UTF-8")
    }

    fn opf_path(&self) -> String {
        let container = self.text("META-INF/container.xml");
        let doc = parse(container);
        doc.descendants()
            .find(|n| n.has_tag_name("rootfile"))
            .and_then(|n| n.attribute("full-path"))
            .expect("rootfile")
            .to_string()
    }
}

fn parse(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"))
}

fn epub_type<'a>(node: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    node.attribute((OPS_NS, "type"))
}

/// The parsed package: manifest (id -> href, media type, properties) and spine.
struct Package {
    base: String,
    manifest: BTreeMap<String, (String, String, String)>,
    spine: Vec<String>,
}

fn read_package(epub: &Epub) -> Package {
    let opf_path = epub.opf_path();
    let base = opf_path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let doc = parse(epub.text(&opf_path));
    let manifest = doc
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "item")))
        .map(|n| {
            let attr = |a| n.attribute(a).unwrap_or("").to_string();
            (
                attr("id"),
                (attr("href"), attr("media-type"), attr("properties")),
            )
        })
        .collect();
    let spine = doc
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "itemref")))
        .map(|n| n.attribute("idref").expect("idref").to_string())
        .collect();
    Package {
        base,
        manifest,
        spine,
    }
}

impl Package {
    fn path(&self, href: &str) -> String {
        if self.base.is_empty() {
            href.to_string()
        } else {
            format!("{}/{href}", self.base)
        }
    }
    fn spine_hrefs(&self) -> Vec<String> {
        self.spine
            .iter()
            .map(|id| self.manifest[id].0.clone())
            .collect()
    }
    fn nav_href(&self) -> String {
        self.manifest
            .values()
            .find(|(_, _, props)| props.split_whitespace().any(|p| p == "nav"))
            .expect("a nav item")
            .0
            .clone()
    }
}

/// Resolves `href` relative to the file `from` (both inside the package folder).
fn resolve(from: &str, href: &str) -> (String, Option<String>) {
    let (file, fragment) = match href.split_once('#') {
        Some((f, frag)) => (f, Some(frag.to_string())),
        None => (href, None),
    };
    if file.is_empty() {
        return (from.to_string(), fragment);
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in file.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." => {}
            p => parts.push(p),
        }
    }
    (parts.join("/"), fragment)
}

fn ids_in(text: &str) -> HashSet<String> {
    parse(text)
        .descendants()
        .filter_map(|n| n.attribute("id").map(str::to_string))
        .collect()
}

/// Checks that `href` (found in `from`) names an existing file and, if any, an existing id.
fn assert_resolves(epub: &Epub, from: &str, href: &str) {
    let (file, fragment) = resolve(from, href);
    assert!(
        epub.files.contains_key(&file),
        "{from}: {href} -> missing {file}"
    );
    if let Some(fragment) = fragment {
        assert!(
            ids_in(epub.text(&file)).contains(&fragment),
            "{from}: {href} -> no id {fragment} in {file}"
        );
    }
}

fn write(book: &Book) -> Vec<u8> {
    write_epub(book, &Settings::default()).expect("write_epub")
}

#[test]
fn mimetype_comes_first_and_stored() {
    let epub = Epub::open(&write(&full_book(&["Ann Author"])));
    assert_eq!(epub.names[0], "mimetype");
    assert!(epub.first_stored);
    assert_eq!(epub.text("mimetype"), "application/epub+zip");
}

#[test]
fn output_is_deterministic() {
    let book = full_book(&["Ann Author"]);
    assert_eq!(write(&book), write(&book));
}

#[test]
fn package_has_metadata_spine_and_fonts() {
    let book = full_book(&["Ann Author", "Bo Writer"]);
    let epub = Epub::open(&write(&book));
    let opf_path = epub.opf_path();
    let opf = parse(epub.text(&opf_path));
    let dc = |name: &str| -> Vec<String> {
        opf.descendants()
            .filter(|n| n.has_tag_name((DC_NS, name)))
            .map(|n| n.text().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(dc("title")[0], book.metadata.title);
    assert_eq!(dc("language"), ["en-GB"]);
    assert_eq!(dc("creator"), ["Ann Author", "Bo Writer"]);
    assert_eq!(dc("rights"), [book.metadata.rights.clone().unwrap()]);
    assert_eq!(
        dc("description"),
        [book.metadata.description.clone().unwrap()]
    );
    let metas: Vec<(String, String)> = opf
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "meta")))
        .filter_map(|n| Some((n.attribute("property")?.to_string(), n.text()?.to_string())))
        .collect();
    let meta = |p: &str| -> Vec<&str> {
        metas
            .iter()
            .filter(|(k, _)| k == p)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(meta("dcterms:modified"), ["2025-06-01T12:30:00Z"]);
    assert_eq!(opf.root_element().attribute(XML_LANG), Some("en-GB"));
    assert_eq!(
        dc("title"),
        [
            book.metadata.title.clone(),
            "Tales of 'Escaping'".to_string()
        ]
    );
    assert_eq!(meta("title-type"), ["main", "subtitle"]);
    assert_eq!(dc("publisher"), ["Small & Press"]);
    assert_eq!(dc("date"), ["2025-05-12"]);
    let identifiers = dc("identifier");
    assert!(identifiers[0].starts_with("urn:uuid:"));
    assert_eq!(identifiers[1], "urn:isbn:9780000000002");
    // The cover (a placeholder here) is the one picture: read visually, and sufficient as
    // text because its alt text is the title.
    assert_eq!(meta("schema:accessMode"), ["textual", "visual"]);
    assert_eq!(
        meta("schema:accessModeSufficient"),
        ["textual,visual", "textual"]
    );
    assert_eq!(meta("schema:accessibilityHazard"), ["none"]);
    assert_eq!(meta("schema:accessibilitySummary").len(), 1);
    for feature in ["structuralNavigation", "tableOfContents", "readingOrder"] {
        assert!(
            meta("schema:accessibilityFeature").contains(&feature),
            "{feature}"
        );
    }

    let package = read_package(&epub);
    let spine = package.spine_hrefs();
    let mut expected = vec![
        "cover.xhtml",
        "titlepage.xhtml",
        "copyright.xhtml",
        "toc.xhtml",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    expected.extend(book.chapters.iter().map(|c| format!("text/{}.xhtml", c.id)));
    assert_eq!(spine, expected);
    for href in &spine {
        assert!(epub.files.contains_key(&package.path(href)), "{href}");
    }

    // Only the faces the text is set in, each a real font cut down to what it draws.
    let fonts: Vec<&str> = package
        .manifest
        .values()
        .map(|v| v.0.as_str())
        .filter(|h| h.starts_with("fonts/"))
        .collect();
    let css = epub.text(&package.path("stylesheet.css"));
    assert_eq!(css.matches("@font-face").count(), fonts.len(), "{css}");
    assert!(fonts.contains(&"fonts/LinLibertine_R.otf"), "{fonts:?}");
    for href in &fonts {
        assert!(css.contains(&format!("url(\"{href}\")")), "{href}");
        let original = quire::fonts::all()
            .find(|f| format!("fonts/{}", f.file_name) == *href)
            .expect("a bundled face");
        let data = &epub.files[&package.path(href)];
        assert!(data.len() < original.data.len() / 2, "{href} is not subset");
        let face = ttf_parser::Face::parse(data, 0).expect("the subset is a font");
        assert!(face.glyph_index('e').is_some(), "{href}");
    }
    assert_eq!(meta("ibooks:specified-fonts"), ["true"]);
}

#[test]
fn fonts_can_be_left_out() {
    let book = full_book(&["Ann Author"]);
    let settings = Settings {
        embed_fonts: false,
        ..Settings::default()
    };
    let epub = Epub::open(&write_epub(&book, &settings).expect("EPUB"));
    assert!(
        !epub.names.iter().any(|n| n.contains("fonts/")),
        "{:?}",
        epub.names
    );
    let package = read_package(&epub);
    let css = epub.text(&package.path("stylesheet.css"));
    assert!(!css.contains("@font-face"));
    assert!(!epub.text(&epub.opf_path()).contains("ibooks:"));
}

#[test]
fn nav_lists_chapters_sections_and_landmarks() {
    let book = full_book(&["Ann Author"]);
    let epub = Epub::open(&write(&book));
    let package = read_package(&epub);
    let nav_path = package.path(&package.nav_href());
    let nav_text = epub.text(&nav_path);
    let nav = parse(nav_text);
    let toc = nav
        .descendants()
        .find(|n| n.has_tag_name((XHTML_NS, "nav")) && epub_type(*n) == Some("toc"))
        .expect("toc nav");
    let top_list = toc
        .children()
        .find(|n| n.has_tag_name((XHTML_NS, "ol")))
        .expect("ol");
    let entries: Vec<_> = top_list
        .children()
        .filter(|n| n.has_tag_name((XHTML_NS, "li")))
        .collect();
    let link_of = |li: roxmltree::Node| {
        let a = li
            .children()
            .find(|n| n.has_tag_name((XHTML_NS, "a")))
            .expect("a");
        (
            a.attribute("href").expect("href").to_string(),
            a.text().unwrap_or("").to_string(),
        )
    };
    let chapter_entries: Vec<_> = entries
        .iter()
        .filter(|li| link_of(**li).0.starts_with("text/"))
        .collect();
    assert_eq!(chapter_entries.len(), book.chapters.len());
    for (li, chapter) in chapter_entries.iter().zip(&book.chapters) {
        let (href, label) = link_of(**li);
        assert_eq!(href, format!("text/{}.xhtml", chapter.id));
        assert_eq!(label, chapter.label());
    }
    // Chapter one: "A Section" (h2) is listed; "Deeper" (h3) is below the default depth 2.
    let one_children: Vec<_> = chapter_entries[1]
        .descendants()
        .filter(|n| n.has_tag_name((XHTML_NS, "a")))
        .map(|a| a.attribute("href").unwrap_or("").to_string())
        .collect();
    assert_eq!(
        one_children,
        ["text/one.xhtml", "text/one.xhtml#first-section"]
    );
    let two_children: Vec<_> = chapter_entries[2]
        .descendants()
        .filter(|n| n.has_tag_name((XHTML_NS, "a")))
        .skip(1)
        .map(|a| a.attribute("href").unwrap_or("").to_string())
        .collect();
    assert_eq!(
        two_children,
        ["text/two.xhtml#id-1-numbered", "text/two.xhtml#tables"]
    );

    assert_eq!(toc.attribute("role"), Some("doc-toc"));
    assert_eq!(nav.root_element().attribute("lang"), Some("en-GB"));
    for a in nav
        .descendants()
        .filter(|n| n.has_tag_name((XHTML_NS, "a")))
    {
        assert_resolves(&epub, &nav_path, a.attribute("href").expect("href"));
    }

    let landmarks = nav
        .descendants()
        .find(|n| n.has_tag_name((XHTML_NS, "nav")) && epub_type(*n) == Some("landmarks"))
        .expect("landmarks nav");
    let kinds: Vec<(&str, &str)> = landmarks
        .descendants()
        .filter(|n| n.has_tag_name((XHTML_NS, "a")))
        .map(|a| {
            (
                epub_type(a).unwrap_or(""),
                a.attribute("href").unwrap_or(""),
            )
        })
        .collect();
    assert!(kinds.contains(&("toc", "toc.xhtml")), "{kinds:?}");
    assert!(
        kinds.contains(&("titlepage", "titlepage.xhtml")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("copyright-page", "copyright.xhtml")),
        "{kinds:?}"
    );
    // The preface is front matter: reading starts at the first body chapter.
    assert!(
        kinds.contains(&("bodymatter", "text/one.xhtml")),
        "{kinds:?}"
    );
}

#[test]
fn deeper_toc_depth_lists_subsections() {
    let book = full_book(&["Ann Author"]);
    let settings = Settings {
        toc_depth: 3,
        ..Settings::default()
    };
    let epub = Epub::open(&write_epub(&book, &settings).expect("write"));
    let nav = epub.text("OEBPS/nav.xhtml");
    assert!(nav.contains("href=\"text/one.xhtml#deep\""));
    let shallow = Settings {
        toc_depth: 1,
        ..Settings::default()
    };
    let epub = Epub::open(&write_epub(&book, &shallow).expect("write"));
    assert!(!epub.text("OEBPS/nav.xhtml").contains('#'));
}

#[test]
fn every_content_document_is_xml_and_links_resolve() {
    let epub = Epub::open(&write(&full_book(&["Ann Author"])));
    let package = read_package(&epub);
    let mut all_ids = HashSet::new();
    for (href, media_type, _) in package.manifest.values() {
        if media_type != "application/xhtml+xml" {
            continue;
        }
        let path = package.path(href);
        let text = epub.text(&path);
        let doc = parse(text);
        let html = doc.root_element();
        // Every document, navigation included, declares its language both ways.
        assert_eq!(html.attribute(XML_LANG), Some("en-GB"), "{path}");
        assert_eq!(html.attribute("lang"), Some("en-GB"), "{path}");
        assert!(!text.contains("javascript:"), "{path}");
        // Ids are unique in the whole book, so chapters could be merged or split safely.
        for id in ids_in(text) {
            if !matches!(id.as_str(), "toc" | "toc-title") {
                assert!(all_ids.insert(id.clone()), "id {id} repeated ({path})");
            }
        }
        for a in doc
            .descendants()
            .filter(|n| n.has_tag_name((XHTML_NS, "a")))
        {
            let Some(href) = a.attribute("href") else {
                continue;
            };
            if !href.contains("://") && !href.starts_with("mailto:") {
                assert_resolves(&epub, &path, href);
            }
        }
    }
}

#[test]
fn chapters_have_semantics_footnotes_and_every_construct() {
    let epub = Epub::open(&write(&full_book(&["Ann Author"])));
    let one_text = epub.text("OEBPS/text/one.xhtml");
    let one = parse(one_text);
    let html = one.root_element();
    assert_eq!(html.attribute("lang"), Some("en-GB"));
    assert_eq!(html.attribute(XML_LANG), Some("en-GB"));
    assert!(one
        .descendants()
        .any(|n| n.has_tag_name((XHTML_NS, "title"))));
    let section = one
        .descendants()
        .find(|n| n.has_tag_name((XHTML_NS, "section")))
        .expect("section");
    assert_eq!(epub_type(section), Some("chapter"));
    assert_eq!(section.attribute("role"), Some("doc-chapter"));
    let h1 = one
        .descendants()
        .find(|n| n.has_tag_name((XHTML_NS, "h1")))
        .expect("h1");
    assert_eq!(h1.text(), Some("The First Chapter"));

    // Footnotes: every noteref points at an aside in this file, and each aside links back.
    let ids = ids_in(one_text);
    let noterefs: Vec<_> = one
        .descendants()
        .filter(|n| epub_type(*n) == Some("noteref"))
        .collect();
    assert_eq!(noterefs.len(), 3);
    for r in &noterefs {
        assert_eq!(r.attribute("role"), Some("doc-noteref"));
        let target = r.attribute("href").expect("href").trim_start_matches('#');
        let aside = one
            .descendants()
            .find(|n| n.attribute("id") == Some(target))
            .expect("note target");
        assert!(aside.has_tag_name((XHTML_NS, "aside")));
        assert_eq!(epub_type(aside), Some("footnote"));
        assert_eq!(aside.attribute("role"), Some("doc-footnote"));
    }
    for aside in one
        .descendants()
        .filter(|n| epub_type(*n) == Some("footnote"))
    {
        let back = aside
            .descendants()
            .find(|n| n.attribute("role") == Some("doc-backlink"))
            .expect("back-link");
        let target = back
            .attribute("href")
            .expect("href")
            .trim_start_matches('#');
        assert!(ids.contains(target), "{target}");
    }

    for needle in [
        "<em>quietly</em>",
        "<strong>strong</strong>",
        "<del>struck</del>",
        "<sub>2</sub>",
        "<sup>2</sup>",
        "<code>a &lt; b &amp;&amp; c</code>",
        "<br/>",
        "<hr class=\"scene-break\"/>",
        "<h2 id=\"first-section\">A Section</h2>",
        "<h3 id=\"deep\">Deeper</h3>",
        "href=\"two.xhtml#id-1-numbered\"",
        "href=\"#deep\" title=\"Down &quot;here&quot;\"",
        "href=\"two.xhtml\"",
        "href=\"https://example.com/a%20b?x=1&amp;y=2\"",
        "a trap",
        "a broken link",
        "<span class=\"image-alt\">A map of the &lt;valley&gt;</span>",
        "<div class=\"aside\">Raw &amp; <b>bold</b>\u{a0}text</div>",
        "spanned",
    ] {
        assert!(
            one_text.contains(needle),
            "missing {needle:?} in\n{one_text}"
        );
    }
    assert!(!one_text.contains("comment that must vanish"));
    assert!(
        !one_text.contains("my note"),
        "labels are never ids or text"
    );

    let two = epub.text("OEBPS/text/two.xhtml");
    for needle in [
        "<ol start=\"3\">",
        "<ul class=\"tasks\">",
        "<input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\"",
        "<th scope=\"col\" class=\"align-center\">Kind</th>",
        "<td class=\"align-right\">12</td>",
        "&lt;fresh&gt;",
        // Highlighted (src/epub/highlight.rs): spans with classes, the text still escaped.
        "<pre><code class=\"language-rust\"><span class=\"hl-",
        "&lt;&amp;&gt;",
        "<blockquote>",
    ] {
        assert!(two.contains(needle), "missing {needle:?} in\n{two}");
    }

    let interlude = parse(epub.text("OEBPS/text/interlude.xhtml"));
    assert!(!interlude
        .descendants()
        .any(|n| n.has_tag_name((XHTML_NS, "h1"))));
    let section = interlude
        .descendants()
        .find(|n| n.has_tag_name((XHTML_NS, "section")))
        .expect("section");
    assert_eq!(
        section.attribute("aria-label"),
        Some("An untitled interlude of a few…")
    );
    let preface = parse(epub.text("OEBPS/text/preface.xhtml"));
    let body = preface
        .descendants()
        .find(|n| n.has_tag_name((XHTML_NS, "body")))
        .expect("body");
    assert_eq!(epub_type(body), Some("frontmatter"));
}

#[test]
fn title_and_copyright_pages() {
    let with = Epub::open(&write(&full_book(&["Ann Author", "Bo Writer"])));
    let title = with.text("OEBPS/titlepage.xhtml");
    parse(title);
    assert!(title.contains("The &lt;Quiet&gt; &amp; &quot;Loud&quot; Book"));
    assert!(title.contains("Tales of &#39;Escaping&#39;"));
    assert!(title.contains("Ann Author and Bo Writer"));
    let copyright = with.text("OEBPS/copyright.xhtml");
    for needle in [
        "Published by Small &amp; Press",
        "First published 2025",
        "© 2025 The Author. Some rights reserved.",
        "Made with quire",
    ] {
        assert!(copyright.contains(needle), "{needle}");
    }
    // The copyright page is words: never a machine identifier.
    assert!(!copyright.contains("urn:"), "{copyright}");

    let without = Epub::open(&write(&full_book(&[])));
    let title = without.text("OEBPS/titlepage.xhtml");
    assert!(!title.contains("class=\"author\""));
    // An unknown author is left out, never a placeholder.
    let copyright = without.text("OEBPS/copyright.xhtml");
    assert!(!copyright.contains("Author unknown"), "{copyright}");
    assert!(!copyright.contains("class=\"book-author\""), "{copyright}");
    let opf = without.text(&without.opf_path());
    assert!(!parse(opf)
        .descendants()
        .any(|n| n.has_tag_name((DC_NS, "creator"))));
}

#[test]
fn control_characters_never_break_the_xml() {
    let mut book = full_book(&["Ann\u{1} Author"]);
    book.metadata.title = "Title\u{0}\u{B} with controls".to_string();
    book.chapters[1].title = Some(vec![t("Chapter\u{2} one")]);
    book.chapters[1]
        .blocks
        .push(heading(2, "ctl", "Sec\u{1F}tion"));
    let epub = Epub::open(&write(&book));
    for (name, data) in &epub.files {
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx") {
            parse(std::str::from_utf8(data).expect("UTF-8"));
        }
    }
}

#[test]
fn invalid_books_are_errors_not_panics() {
    let mut book = full_book(&[]);
    book.metadata.language = "en GB".to_string();
    assert!(write_epub(&book, &Settings::default()).is_err());
    let mut book = full_book(&[]);
    book.chapters[1].id = "two".to_string();
    assert!(write_epub(&book, &Settings::default()).is_err());
    let mut book = full_book(&[]);
    book.metadata.title = " ".to_string();
    assert!(write_epub(&book, &Settings::default()).is_err());
}

#[test]
fn epubcheck_finds_nothing() {
    for (name, authors) in [
        ("with-authors", &["Ann Author", "Bo Writer"][..]),
        ("no-author", &[][..]),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(format!("{name}.epub"));
        let bytes = write(&full_book(authors));
        std::fs::write(&path, &bytes).expect("write file");
        // To look at the books by hand: QUIRE_KEEP_EPUB=/some/folder cargo test ...
        if let Some(keep) = std::env::var_os("QUIRE_KEEP_EPUB") {
            std::fs::write(PathBuf::from(keep).join(format!("{name}.epub")), &bytes).expect("keep");
        }
        let Some(report) = epubcheck::epubcheck(&path) else {
            return;
        };
        assert!(report.is_clean(), "{name}: {report:#?}");
    }
}
