//! pandoc's Markdown, construct by construct, in both outputs: one small pandoc manuscript
//! (YAML front matter, so read as pandoc) is built once, its EPUB parsed as XML and its PDF
//! read back with pdftotext; and the dialect setting and guess.

#[path = "common/epubcheck.rs"]
mod epubcheck;
mod md_common;
#[path = "common/pdftools.rs"]
mod pdftools;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use md_common::{parse, XHTML};
use quire::build::{build, BuildOptions, Format};

const BOOK: &str = r#"---
title: Konstrukte
author: Test
lang: de-DE
---

# Eins

::: {#box .aside custom-style="Wide Box" data=x}
Im Kasten steht "Text" und 'Zitat' und typed „so“.

:::: inner
Innen.
::::
:::

Ein [Kapitälchen]{.smallcaps} und [unterstrichen]{.underline #u1} und
eine Notiz^[Eine *Inline*-Notiz.] und ^2^ und ~2~ Wasser.

![Der *Hafen* bei Nacht](harbour.jpg "Tooltip"){#fig-hafen width=50%}

| Wenn der Wind
|     weht, dann
| geht er.

| Zweite Strophe.

Begriff
:   Die Erklärung.

(@) Erstes Beispiel.
(@zwei) Zweites Beispiel.

Wie (@zwei) zeigt.

c. drei
d. vier

| a | b |
|---|---|
| 1 | 2 |

Table: Die *Tabelle*.

```{=html}
<p class="raw">Rohes HTML</p>
```

```{=latex}
\newpage
```

Ein `\pause`{=latex}Satz und `<b>fett</b>`{=html} Code `x`{.rust}.

Lose {.attribute} hier.

# Zwei {-}

Ende.
"#;

struct Built {
    _dir: tempfile::TempDir,
    epub: PathBuf,
    warnings: Vec<String>,
    chapter: String,
    pdf_text: Option<String>,
    /// Each image as drawn in the PDF, in order: its size in points (from `pdfimages
    /// -list`'s pixels and pixels per inch).
    pdf_images: Option<Vec<(f32, f32)>>,
}

/// The drawn size in points of each image `pdfimages -list` lists.
fn drawn_images(list: &str) -> Vec<(f32, f32)> {
    list.lines()
        .skip(2)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
            let num = |i: usize| f.get(i)?.parse::<f32>().ok();
            // A soft mask (an image's transparency) is listed as one more row.
            (f.get(2) == Some(&"image"))
                .then(|| Some((num(3)? / num(12)? * 72.0, num(4)? / num(13)? * 72.0)))
                .flatten()
        })
        .collect()
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| build_book(BOOK, "Kasten"))
}

/// Builds the one-file manuscript `md`; `chapter` is the XHTML of the chapter that holds
/// `marker`.
fn build_book(md: &str, marker: &str) -> Built {
    {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("book");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("book.md"), md).unwrap();
        let images = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images");
        for image in ["harbour.jpg", "badge.png"] {
            std::fs::copy(images.join(image), root.join(image)).unwrap();
        }
        let report = build(&BuildOptions {
            manuscript: root.join("book.md"),
            out_dir: dir.path().join("out"),
            format: Format::All,
            deny_warnings: false,
            name: None,
        })
        .expect("builds");
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
        let mut chapter = String::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().to_string();
            if name.starts_with("OEBPS/text/") && name.ends_with(".xhtml") {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
                if text.contains(marker) {
                    chapter = text;
                }
            }
        }
        let pdf_text = pdftools::pdftotext(&pdf, &[]).map(|o| o.stdout);
        let pdf_images = pdftools::run_tool("pdfimages", &[OsStr::new("-list"), pdf.as_os_str()])
            .map(|o| drawn_images(&o.stdout));
        Built {
            pdf_images,
            warnings: report
                .warnings
                .iter()
                .map(|w| format!("{} {w}", w.code))
                .collect(),
            _dir: dir,
            epub,
            chapter,
            pdf_text,
        }
    }
}

fn doc() -> roxmltree::Document<'static> {
    parse(&built().chapter)
}

fn by_tag<'a>(d: &'a roxmltree::Document<'a>, tag: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    d.descendants()
        .filter(|n| n.has_tag_name((XHTML, tag)))
        .collect()
}

fn text(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

#[test]
fn divs_keep_ids_classes_and_attributes() {
    let d = doc();
    let divs = by_tag(&d, "div");
    let outer = divs
        .iter()
        .find(|n| n.attribute("id") == Some("box"))
        .expect("div#box");
    assert_eq!(outer.attribute("class"), Some("aside Wide-Box"));
    assert_eq!(outer.attribute("data-data"), Some("x"));
    let inner = outer
        .children()
        .find(|n| n.has_tag_name((XHTML, "div")))
        .expect("nested div");
    assert_eq!(inner.attribute("class"), Some("inner"));
    assert_eq!(text(inner).trim(), "Innen.");
}

#[test]
fn quotes_follow_the_language_and_typed_ones_stay() {
    let t = text(doc().root_element());
    assert!(t.contains("„Text“ und ‚Zitat‘ und typed „so“."), "{t}");
    if let Some(pdf) = &built().pdf_text {
        assert!(pdf.contains("„Text“"), "{pdf}");
    }
}

#[test]
fn spans_small_caps_and_underline_in_both_outputs() {
    let d = doc();
    let spans = by_tag(&d, "span");
    let sc = spans
        .iter()
        .find(|s| text(**s) == "Kapitälchen")
        .expect("span");
    assert_eq!(sc.attribute("class"), Some("smallcaps"));
    let u = spans
        .iter()
        .find(|s| s.attribute("id") == Some("u1"))
        .expect("span#u1");
    assert_eq!(u.attribute("class"), Some("underline"));
    let css = std::fs::read(&built().epub).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(css)).unwrap();
    let mut style = String::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        if e.name().ends_with(".css") {
            std::io::Read::read_to_string(&mut e, &mut style).unwrap();
        }
    }
    assert!(style.contains(".smallcaps") && style.contains("text-decoration: underline"));
    if let Some(pdf) = &built().pdf_text {
        // Small capitals are the font's own glyphs: the text stays the letters.
        assert!(
            pdf.contains("Kapitälchen") || pdf.contains("KAPITÄLCHEN"),
            "{pdf}"
        );
        assert!(!pdf.contains("]{"), "{pdf}");
    }
}

#[test]
fn inline_notes_sup_and_sub() {
    let d = doc();
    let asides: Vec<String> = d
        .descendants()
        .filter(|n| n.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("footnote"))
        .map(text)
        .collect();
    assert_eq!(asides.len(), 1, "{asides:?}");
    assert!(asides[0].contains("Eine Inline-Notiz."));
    assert!(by_tag(&d, "sup").iter().any(|s| text(*s) == "2"));
    assert!(by_tag(&d, "sub").iter().any(|s| text(*s) == "2"));
    if let Some(pdf) = &built().pdf_text {
        assert!(pdf.contains("Eine Inline-Notiz."));
        assert!(!pdf.contains("^["));
    }
}

#[test]
fn implicit_figure_caption_is_the_alt_text_and_width_is_kept() {
    let d = doc();
    let figure = by_tag(&d, "figure").into_iter().next().expect("a figure");
    assert_eq!(figure.attribute("id"), Some("fig-hafen"));
    let caption = figure
        .descendants()
        .find(|n| n.has_tag_name((XHTML, "figcaption")))
        .expect("caption");
    assert_eq!(text(caption), "Der Hafen bei Nacht");
    assert!(caption.descendants().any(|n| n.has_tag_name((XHTML, "em"))));
    let img = figure
        .descendants()
        .find(|n| n.has_tag_name((XHTML, "img")))
        .unwrap();
    assert_eq!(img.attribute("title"), Some("Tooltip"));
    assert!(img.attribute("style").is_some_and(|s| s.contains("50%")));
    if let Some(pdf) = &built().pdf_text {
        assert!(pdf.contains("Der Hafen bei Nacht"));
        assert!(!pdf.contains("Tooltip"));
        assert!(!pdf.contains("{#fig-hafen"));
    }
}

#[test]
fn line_blocks_keep_lines_and_leading_spaces() {
    let d = doc();
    let blocks: Vec<_> = by_tag(&d, "div")
        .into_iter()
        .filter(|n| n.attribute("class") == Some("line-block"))
        .collect();
    assert_eq!(blocks.len(), 2, "two stanzas, two line blocks");
    assert_eq!(
        blocks[0]
            .descendants()
            .filter(|n| n.has_tag_name((XHTML, "br")))
            .count(),
        2
    );
    assert!(text(blocks[0]).contains("\u{a0}\u{a0}\u{a0}\u{a0}weht, dann"));
    if let Some(pdf) = &built().pdf_text {
        assert!(pdf.lines().any(|l| l.trim() == "Wenn der Wind"), "{pdf}");
        assert!(pdf.lines().any(|l| l.trim() == "geht er."), "{pdf}");
    }
}

#[test]
fn definition_and_example_lists() {
    let d = doc();
    let dt = by_tag(&d, "dt");
    assert_eq!(dt.len(), 1);
    assert_eq!(text(dt[0]), "Begriff");
    assert_eq!(text(by_tag(&d, "dd")[0]).trim(), "Die Erklärung.");
    let items: Vec<String> = by_tag(&d, "ol")
        .iter()
        .flat_map(|ol| ol.children().filter(|c| c.is_element()).map(text))
        .collect();
    assert!(
        items.iter().any(|i| i.contains("Zweites Beispiel")),
        "{items:?}"
    );
    let all = text(d.root_element());
    assert!(all.contains("Wie (2) zeigt."), "{all}");
    let alpha = by_tag(&d, "ol")
        .into_iter()
        .find(|ol| ol.attribute("type") == Some("a"))
        .expect("ol type=a");
    assert_eq!(alpha.attribute("start"), Some("3"));
    if let Some(pdf) = &built().pdf_text {
        assert!(pdf.contains("Begriff") && pdf.contains("Die Erklärung."));
        assert!(!pdf.contains("(@"));
        assert!(pdf.contains("c. drei") && pdf.contains("d. vier"), "{pdf}");
    }
}

#[test]
fn table_captions_and_raw_blocks() {
    let d = doc();
    let caption = by_tag(&d, "caption");
    assert_eq!(caption.len(), 1);
    assert_eq!(text(caption[0]), "Die Tabelle.");
    assert!(by_tag(&d, "p")
        .iter()
        .any(|p| p.attribute("class") == Some("raw") && text(*p) == "Rohes HTML"));
    assert!(by_tag(&d, "b").iter().any(|b| text(*b) == "fett"));
    let all = text(d.root_element());
    assert!(!all.contains("newpage") && !all.contains("pause"), "{all}");
    let w = &built().warnings;
    let raw: Vec<&String> = w
        .iter()
        .filter(|w| w.contains("raw-format-skipped"))
        .collect();
    assert_eq!(raw.len(), 2, "{w:#?}");
    assert!(raw.iter().any(|w| w.contains("book.md:49")), "{raw:#?}");
    if let Some(pdf) = &built().pdf_text {
        assert!(pdf.contains("Die Tabelle."));
        assert!(pdf.contains("Rohes HTML"));
    }
}

#[test]
fn loose_attributes_are_reported_and_headings_take_theirs() {
    let w = &built().warnings;
    let loose: Vec<&String> = w.iter().filter(|w| w.contains("pandoc-syntax")).collect();
    assert_eq!(loose.len(), 1, "{w:#?}");
    assert!(
        loose[0].contains("book.md:55") && loose[0].contains("{.attribute}"),
        "{loose:#?}"
    );
    assert!(!built().chapter.contains("{-}"));
}

#[test]
fn the_book_passes_epubcheck() {
    if let Some(report) = epubcheck::epubcheck(&built().epub) {
        assert!(report.is_clean(), "{report:#?}");
    }
}

#[test]
fn dialect_is_set_or_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.md"), "# A\n\n::: note\nx\n:::\n").unwrap();
    std::fs::write(root.join("b.md"), "# B\n\ny\n").unwrap();
    let dialect = |root: &Path| quire::project::Project::load(root).unwrap().dialect;
    use quire::project::dialect::Dialect;
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    assert_eq!(dialect(root), Dialect::CommonMark);
    std::fs::write(root.join("metadata.yml"), "title: T\n").unwrap();
    assert_eq!(dialect(root), Dialect::Pandoc);
    std::fs::remove_file(root.join("metadata.yml")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"T\"\n[manuscript]\ndialect = \"pandoc\"\n",
    )
    .unwrap();
    assert_eq!(dialect(root), Dialect::Pandoc);
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"T\"\n[manuscript]\ndialect = \"latex\"\n",
    )
    .unwrap();
    let err = quire::project::Project::load(root).unwrap_err().to_string();
    assert!(
        err.contains("book.toml:4") && err.contains("\"pandoc\""),
        "{err}"
    );
    // CommonMark reads `:::` as text.
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"T\"\n[manuscript]\ndialect = \"commonmark\"\n",
    )
    .unwrap();
    let (book, _, _) = quire::read_manuscript(root).unwrap();
    assert!(format!("{:?}", book.chapters[0].blocks).contains(":::"));
}

/// pandoc's other tables (manual, "Tables"), each with its caption.
const TABLES: &str = r#"---
title: Tabellen
lang: de-DE
---

# Tabellen

 Rechts     Links    Mitte      Normale
-------     ------ ----------   -------
     12     zwölf       12            12
    123     hundert     123          123

Table:  Eine einfache Tabelle.

-------------------------------------------------------------
 Centered   Default           Right Left
  Header    Aligned         Aligned Aligned
----------- ------- --------------- -------------------------
   First    row                12.0 Example of a row that
                                    spans multiple lines.

  Second    row                 5.0 Here's another one. Note
                                    the blank line between
                                    rows.
-------------------------------------------------------------

: Eine *mehrzeilige* Tabelle.

+---------------+---------------+
| Frucht        | Preis         |
+:==============+==============:+
| Bananen       | 1,34 €        |
| (reif)        |               |
+---------------+---------------+
| Orangen       | 2,10 €        |
+---------------+---------------+

Table: Eine Gittertabelle.

-------     ------
     ohne   Kopf
-------     ------

Wasser ist H~2~O, 2^10^ ist 1024, a~i\\ j~ und 2^n bleibt.

Ende der Tabellen.
"#;

fn tables() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| build_book(TABLES, "Ende der Tabellen"))
}

/// Each table's caption, header cells, body rows, and the alignment class of each header
/// cell (of the first row when there is no header).
type TableRead = (String, Vec<String>, Vec<Vec<String>>, Vec<String>);

fn read_tables(d: &roxmltree::Document) -> Vec<TableRead> {
    by_tag(d, "table")
        .into_iter()
        .map(|t| {
            let caption = t
                .descendants()
                .find(|n| n.has_tag_name((XHTML, "caption")))
                .map(text)
                .unwrap_or_default();
            let cells = |tag: &str| -> Vec<roxmltree::Node> {
                t.descendants()
                    .filter(|n| n.has_tag_name((XHTML, tag)))
                    .collect()
            };
            let header: Vec<String> = cells("th").into_iter().map(text).collect();
            let rows: Vec<Vec<String>> = t
                .descendants()
                .filter(|n| n.has_tag_name((XHTML, "tr")))
                .map(|r| {
                    r.children()
                        .filter(|c| c.has_tag_name((XHTML, "td")))
                        .map(text)
                        .collect::<Vec<_>>()
                })
                .filter(|r| !r.is_empty())
                .collect();
            let first_row = if header.is_empty() {
                cells("td")
            } else {
                cells("th")
            };
            let align = first_row
                .iter()
                .take(if header.is_empty() {
                    rows.first().map_or(0, Vec::len)
                } else {
                    header.len()
                })
                .map(|c| c.attribute("class").unwrap_or("").to_string())
                .collect();
            (caption, header, rows, align)
        })
        .collect()
}

#[test]
fn simple_multiline_and_grid_tables_with_captions() {
    let b = tables();
    let d = parse(&b.chapter);
    let t = read_tables(&d);
    assert_eq!(t.len(), 4, "{t:#?}");
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    // Simple: header, two rows, alignment from where the header sits over its dashes.
    assert_eq!(t[0].0, "Eine einfache Tabelle.");
    assert_eq!(t[0].1, s(&["Rechts", "Links", "Mitte", "Normale"]));
    assert_eq!(t[0].2[1], s(&["123", "hundert", "123", "123"]));
    assert_eq!(
        t[0].3,
        s(&["align-right", "align-left", "align-center", ""])
    );
    // Multiline: a cell's lines joined; `: caption` with emphasis.
    assert_eq!(t[1].0, "Eine mehrzeilige Tabelle.");
    assert_eq!(t[1].1[0], "Centered Header");
    assert_eq!(
        t[1].2[0],
        s(&[
            "First",
            "row",
            "12.0",
            "Example of a row that spans multiple lines."
        ])
    );
    assert_eq!(
        t[1].3,
        s(&["align-center", "", "align-right", "align-left"])
    );
    assert_eq!(t[1].2.len(), 2);
    // Grid: colons in the header's `=` line align.
    assert_eq!(t[2].0, "Eine Gittertabelle.");
    assert_eq!(t[2].1, s(&["Frucht", "Preis"]));
    assert_eq!(
        t[2].2,
        vec![s(&["Bananen (reif)", "1,34 €"]), s(&["Orangen", "2,10 €"])]
    );
    assert_eq!(t[2].3, s(&["align-left", "align-right"]));
    // Headerless: no header cells at all.
    assert!(t[3].1.is_empty(), "{:?}", t[3]);
    assert_eq!(t[3].2, vec![s(&["ohne", "Kopf"])]);
    // Nothing of the source syntax is printed.
    let all = text(d.root_element());
    assert!(
        !all.contains("----") && !all.contains("+==") && !all.contains("Table:"),
        "{all}"
    );
    if let Some(pdf) = &b.pdf_text {
        // Words as they read, whatever lines the cells were broken into.
        let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
        for word in [
            "Eine Gittertabelle.",
            "Bananen (reif)",
            "hundert",
            "spans multiple lines.",
        ] {
            assert!(flat.contains(word), "{word} in the PDF:\n{pdf}");
        }
        assert!(!pdf.contains("+---") && !pdf.contains("-------"));
    }
    if let Some(report) = epubcheck::epubcheck(&b.epub) {
        assert!(report.is_clean(), "{report:#?}");
    }
}

#[test]
fn superscript_and_subscript_inside_words() {
    let b = tables();
    let d = parse(&b.chapter);
    let p = by_tag(&d, "p")
        .into_iter()
        .find(|p| text(*p).starts_with("Wasser"))
        .expect("the paragraph");
    let tags: Vec<(String, String)> = p
        .children()
        .map(|c| (c.tag_name().name().to_string(), text(c)))
        .collect();
    let want = |tag: &str, t: &str| tags.contains(&(tag.to_string(), t.to_string()));
    assert!(
        want("sub", "2") && want("sup", "10") && want("sub", "i j"),
        "{tags:?}"
    );
    assert_eq!(
        text(p),
        "Wasser ist H2O, 210 ist 1024, ai j und 2^n bleibt."
    );
    if let Some(pdf) = &b.pdf_text {
        assert!(
            pdf.contains("H2O") && !pdf.contains("~2~") && !pdf.contains("^10^"),
            "{pdf}"
        );
    }
}

const SIZES: &str = r#"---
title: Sizes
author: Test
lang: en
---

# Sizes

![Full](harbour.jpg){width=100%}

![Half](harbour.jpg){width=50% #half .photo}

![Two inches](harbour.jpg){width=2in}

![Three centimetres high](harbour.jpg){height=3cm}

![Both](harbour.jpg){width=10cm height=1in}

![Pixels](harbour.jpg){width=240px}

![Unreadable](harbour.jpg){width=huge}

An icon ![i](badge.png){height=1em} in the text, a note[^n] and the same note again[^n].

[^n]: The shared note.
"#;

#[test]
fn image_sizes_in_every_unit_and_a_note_referenced_twice() {
    static BUILT: OnceLock<Built> = OnceLock::new();
    let b = BUILT.get_or_init(|| build_book(SIZES, "Unreadable"));
    // The EPUB says what the author said, in the author's units.
    let d = parse(&b.chapter);
    let styles: Vec<(String, Option<String>)> = by_tag(&d, "img")
        .iter()
        .map(|i| {
            (
                i.attribute("alt").unwrap_or_default().to_string(),
                i.attribute("style").map(str::to_string),
            )
        })
        .collect();
    let style = |alt: &str| {
        styles
            .iter()
            .find(|(a, _)| a == alt)
            .and_then(|(_, s)| s.clone())
    };
    assert_eq!(style("Half").as_deref(), Some("width: 50%"), "{styles:?}");
    assert_eq!(style("Two inches").as_deref(), Some("width: 2in"));
    assert_eq!(
        style("Three centimetres high").as_deref(),
        Some("height: 3cm")
    );
    assert_eq!(
        style("Both").as_deref(),
        Some("width: 10cm; height: 1in; object-fit: contain")
    );
    assert_eq!(style("Pixels").as_deref(), Some("width: 240px"));
    assert_eq!(style("Unreadable"), None);
    let half = by_tag(&d, "img")
        .into_iter()
        .find(|i| i.attribute("alt") == Some("Half"))
        .unwrap();
    assert_eq!(half.attribute("class"), Some("photo"));
    assert_eq!(
        half.ancestors()
            .find(|n| n.has_tag_name((XHTML, "figure")))
            .and_then(|f| f.attribute("id")),
        Some("half")
    );
    // The unreadable width is named, at its line.
    assert!(
        b.warnings
            .iter()
            .any(|w| w.starts_with("image-size") && w.contains("`huge`") && w.contains(":21:")),
        "{:#?}",
        b.warnings
    );
    // pandoc sets a note referenced twice twice, under a number each.
    let asides: Vec<String> = by_tag(&d, "aside").into_iter().map(text).collect();
    assert_eq!(asides.len(), 2, "{asides:?}");
    assert!(asides.iter().all(|a| a.contains("The shared note.")));
    if let Some(epubcheck) = epubcheck::epubcheck(&b.epub) {
        assert!(epubcheck.is_clean(), "{epubcheck:#?}");
    }

    // The PDF draws each at that size (read back from the file: pixels over pixels per inch).
    let Some(images) = &b.pdf_images else {
        return;
    };
    // The icon is the small one; the figures are drawn in their order (a page's text lines
    // may come before its figures in the content stream).
    type Sizes = Vec<(f32, f32)>;
    let (icons, figures): (Sizes, Sizes) = images.iter().partition(|(_, h)| *h < 20.0);
    let ([icon], [full, half, two_in, three_cm, both, pixels, unreadable]) =
        (&icons[..], &figures[..])
    else {
        panic!("seven figures and an icon drawn: {images:?}");
    };
    let (icon, full, half, two_in, three_cm, both, pixels, unreadable) = (
        *icon,
        *full,
        *half,
        *two_in,
        *three_cm,
        *both,
        *pixels,
        *unreadable,
    );
    let near = |a: f32, b: f32| (a - b).abs() < 1.0;
    assert!(near(half.0, full.0 / 2.0), "{half:?} is half of {full:?}");
    assert!(near(two_in.0, 144.0), "{two_in:?}");
    assert!(near(three_cm.1, 72.0 * 3.0 / 2.54), "{three_cm:?}");
    // Both sides: the picture (320 x 200) fits inside 10 cm x 1 in, proportions kept.
    assert!(
        near(both.1, 72.0) && near(both.0, 72.0 * 320.0 / 200.0),
        "{both:?}"
    );
    assert!(near(pixels.0, 180.0), "{pixels:?}");
    // An unreadable width leaves the natural size: 320 pixels at the file's 150 dpi (JFIF).
    assert!(near(unreadable.0, 320.0 / 150.0 * 72.0), "{unreadable:?}");
    assert!(
        icon.1 > 6.0 && icon.1 < 14.0,
        "an icon one em high: {icon:?}"
    );
    let pdf = b.pdf_text.as_deref().unwrap_or_default();
    assert_eq!(pdf.matches("The shared note.").count(), 2, "{pdf}");
}
