//! The PDF writer on a hand-built document: structure (read back with lopdf), then the
//! external tools (qpdf, pdffonts, pdftotext, pdfinfo).

#[path = "common/pdftools.rs"]
mod pdftools;

use std::path::PathBuf;

use lopdf::{Object, ObjectId};
use quire::fonts::{FaceId, Style};
use quire::model::Metadata;
use quire::pdf::write_pdf;
use quire::typeset::document::{
    Document, Glyph, GlyphRun, Item, Link, LinkTarget, Numbering, OutlineEntry, Page,
    PageLabelRange, Position, Rect,
};

const W: f32 = 360.0;
const H: f32 = 540.0;
const LEFT: f32 = 48.0;
const SIZE: f32 = 11.0;

/// Shapes `text` with harfrust (kerning, ligatures) into glyphs with their cluster text.
fn shape(face: FaceId, text: &str, size: f32) -> Vec<Glyph> {
    let data = face.bundled_data();
    let font = harfrust::Font::new(data, 0).expect("font");
    let upem = f32::from(
        ttf_parser::Face::parse(data, 0)
            .expect("face")
            .units_per_em(),
    );
    let shaper = harfrust::ShaperFont::new(&font);
    let mut buf = harfrust::Buffer::new();
    buf.push_str(text);
    buf.guess_segment_properties();
    harfrust::shape(&shaper, &mut buf, harfrust::ShapeOptions::new()).expect("shape");
    let infos = buf.glyph_infos();
    let positions = buf.glyph_positions();
    let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
    starts.push(text.len());
    starts.sort_unstable();
    starts.dedup();
    let mut seen = std::collections::BTreeSet::new();
    infos
        .iter()
        .zip(positions)
        .map(|(info, pos)| {
            let start = info.cluster as usize;
            let text = if seen.insert(start) {
                let end = starts
                    .iter()
                    .copied()
                    .find(|&s| s > start)
                    .unwrap_or(text.len());
                text[start..end].to_string()
            } else {
                String::new()
            };
            Glyph {
                id: u16::try_from(info.glyph_id).expect("gid"),
                advance: pos.x_advance as f32 * size / upem,
                text: text.into(),
            }
        })
        .collect()
}

fn run(face: FaceId, x: f32, y: f32, size: f32, text: &str) -> GlyphRun {
    GlyphRun {
        face,
        size,
        x,
        y,
        glyphs: shape(face, text, size),
        colour: None,
    }
}

fn width(run: &GlyphRun) -> f32 {
    run.glyphs.iter().map(|g| g.advance).sum()
}

/// A line made of several runs (styles) placed one after another.
fn line(y: f32, parts: &[(FaceId, &str)]) -> Vec<Item> {
    let mut x = LEFT;
    parts
        .iter()
        .map(|(face, text)| {
            let r = run(*face, x, y, SIZE, text);
            x += width(&r);
            Item::Text(r)
        })
        .collect()
}

/// Stretches the spaces of a run so that it is `target` wide (justification).
fn justify(mut r: GlyphRun, target: f32) -> GlyphRun {
    let spaces = r.glyphs.iter().filter(|g| g.text == " ").count() as f32;
    let extra = (target - width(&r)) / spaces;
    for g in r.glyphs.iter_mut().filter(|g| g.text == " ") {
        g.advance += extra;
    }
    r
}

/// "café" with a decomposed é: `e` carries the cluster's text, the combining acute is a
/// continuation glyph with no text of its own.
fn decomposed_cafe(x: f32, y: f32) -> GlyphRun {
    let face = ttf_parser::Face::parse(MONO.bundled_data(), 0).expect("face");
    let gid = |c: char| face.glyph_index(c).expect("glyph").0;
    let mut glyphs = shape(MONO, "caf", SIZE);
    let em = SIZE * 1233.0 / 2048.0; // DejaVu Sans Mono's advance
    glyphs.push(Glyph {
        id: gid('e'),
        advance: 0.0,
        text: "é".into(),
    });
    glyphs.push(Glyph {
        id: gid('\u{301}'),
        advance: em,
        text: "".into(),
    });
    GlyphRun {
        face: MONO,
        size: SIZE,
        x,
        y,
        glyphs,
        colour: None,
    }
}

const REG: FaceId = FaceId::Serif(Style::Regular);
const IT: FaceId = FaceId::Serif(Style::Italic);
const BOLD: FaceId = FaceId::Serif(Style::Bold);
const MONO: FaceId = FaceId::Mono;

const JUSTIFIED: &str = "A justified line whose spaces are stretched wide.";

fn document() -> Document {
    let heading = |text: &str| Item::Text(run(BOLD, LEFT, 470.0, 18.0, text));
    let mut pages = Vec::new();

    // i, ii: front matter.
    pages.push(Page {
        items: vec![
            heading("Preface"),
            Item::Text(run(
                REG,
                LEFT,
                440.0,
                SIZE,
                "Written in the office, for my friends.",
            )),
        ],
        links: vec![],
    });
    pages.push(Page {
        items: vec![
            Item::Text(run(IT, LEFT, 440.0, SIZE, "To the fine reader.")),
            Item::Text(decomposed_cafe(LEFT, 420.0)),
        ],
        links: vec![],
    });

    // 1: the first chapter.
    let mut items = vec![heading("Chapter One")];
    items.extend(line(
        440.0,
        &[
            (REG, "She said “first” and "),
            (IT, "flew"),
            (REG, " away — quickly."),
        ],
    ));
    items.extend(line(
        426.0,
        &[(REG, "Run "), (MONO, "cargo build"), (REG, " to compile.")],
    ));
    items.push(Item::Text(justify(
        run(REG, LEFT, 412.0, SIZE, JUSTIFIED),
        W - 2.0 * LEFT,
    )));
    items.extend(line(
        398.0,
        &[(REG, "Visit the website, or see the next page.")],
    ));
    items.push(Item::Rule {
        x: LEFT,
        y: 380.0,
        width: 100.0,
        thickness: 0.5,
    });
    items.push(Item::Text(run(
        REG,
        LEFT,
        366.0,
        9.0,
        "1 A footnote below a rule.",
    )));
    pages.push(Page {
        items,
        links: vec![
            Link {
                rect: Rect {
                    x: LEFT,
                    y: 396.0,
                    width: 60.0,
                    height: 12.0,
                },
                target: LinkTarget::Uri("https://example.org/quire".into()),
            },
            Link {
                rect: Rect {
                    x: 150.0,
                    y: 396.0,
                    width: 80.0,
                    height: 12.0,
                },
                target: LinkTarget::Position(Position { page: 3, y: 480.0 }),
            },
        ],
    });

    // 2: a section.
    pages.push(Page {
        items: vec![
            Item::Text(run(BOLD, LEFT, 480.0, 14.0, "A Section")),
            Item::Text(run(
                REG,
                LEFT,
                460.0,
                SIZE,
                "Efficient “affine” offices — fin.",
            )),
        ],
        links: vec![],
    });

    Document {
        width: W,
        height: H,
        pages,
        outline: vec![
            OutlineEntry {
                title: "Preface".into(),
                position: Position { page: 0, y: 490.0 },
                children: vec![],
            },
            OutlineEntry {
                title: "Chapter One — “Beginnings”".into(),
                position: Position { page: 2, y: 490.0 },
                children: vec![OutlineEntry {
                    title: "A Section".into(),
                    position: Position { page: 3, y: 480.0 },
                    children: vec![],
                }],
            },
        ],
        page_labels: vec![
            PageLabelRange {
                first_page: 0,
                numbering: Numbering::LowerRoman,
                start: 1,
            },
            PageLabelRange {
                first_page: 2,
                numbering: Numbering::Arabic,
                start: 1,
            },
        ],
        ..Default::default()
    }
}

fn metadata() -> Metadata {
    Metadata {
        title: "The Quire Test".into(),
        subtitle: Some("A Book of Pages".into()),
        authors: vec!["Ada Lovelace".into(), "Émile Zola".into()],
        language: "en-GB".into(),
        identifier: "urn:uuid:6f1e6a7c-0000-4000-8000-000000000001".into(),
        date: Some("2025".into()),
        publisher: None,
        rights: None,
        description: Some("A test book".into()),
        modified: chrono::DateTime::from_timestamp(1_747_044_000, 0).expect("date"),
        ..Default::default()
    }
}

/// The text pdftotext should give for each page: its lines, in order.
fn expected_text(doc: &Document) -> Vec<String> {
    doc.pages
        .iter()
        .map(|page| {
            let mut lines: Vec<(f32, String)> = Vec::new();
            for item in &page.items {
                if let Item::Text(r) = item {
                    let text: String = r.glyphs.iter().map(|g| g.text.as_str()).collect();
                    match lines.last_mut() {
                        Some((y, l)) if *y == r.y => l.push_str(&text),
                        _ => lines.push((r.y, text)),
                    }
                }
            }
            lines.into_iter().map(|(_, l)| l + "\n").collect()
        })
        .collect()
}

fn write_tmp(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("book.pdf");
    std::fs::write(&path, bytes).expect("write");
    if let Ok(keep) = std::env::var("QUIRE_KEEP_PDF") {
        std::fs::write(keep, bytes).expect("keep");
    }
    (dir, path)
}

fn dict<'a>(pdf: &'a lopdf::Document, obj: &'a Object) -> &'a lopdf::Dictionary {
    match obj {
        Object::Reference(id) => pdf.get_dictionary(*id).expect("dict"),
        Object::Dictionary(d) => d,
        other => panic!("not a dictionary: {other:?}"),
    }
}

fn get<'a>(pdf: &'a lopdf::Document, d: &'a lopdf::Dictionary, key: &str) -> &'a Object {
    let obj = d
        .get(key.as_bytes())
        .unwrap_or_else(|_| panic!("no /{key}"));
    match obj {
        Object::Reference(id) => pdf.get_object(*id).expect("object"),
        o => o,
    }
}

fn text_of(obj: &Object) -> String {
    let Object::String(bytes, _) = obj else {
        panic!("not a string: {obj:?}")
    };
    if bytes.starts_with(&[0xfe, 0xff]) {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).expect("utf16")
    } else {
        String::from_utf8(bytes.clone()).expect("utf8")
    }
}

fn name_of(obj: &Object) -> String {
    String::from_utf8(obj.as_name().expect("name").to_vec()).expect("utf8")
}

fn dest_page(dest: &Object) -> (ObjectId, f32) {
    let arr = dest.as_array().expect("dest array");
    assert_eq!(name_of(&arr[1]), "XYZ");
    let top = match arr[3] {
        Object::Real(r) => r,
        Object::Integer(i) => i as f32,
        ref o => panic!("top {o:?}"),
    };
    (arr[0].as_reference().expect("page ref"), top)
}

#[test]
fn structure_read_back_with_lopdf() {
    let doc = document();
    let bytes = write_pdf(&doc, &metadata()).expect("write");
    let pdf = lopdf::Document::load_mem(&bytes).expect("lopdf parses the output");
    let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    assert_eq!(pages.len(), 4);

    for &p in &pages {
        let page = pdf.get_dictionary(p).expect("page");
        let mb: Vec<f32> = get(&pdf, page, "MediaBox")
            .as_array()
            .expect("mediabox")
            .iter()
            .map(|o| o.as_float().expect("number"))
            .collect();
        assert_eq!(mb, vec![0.0, 0.0, W, H]);
    }

    // Fonts: every one subset and embedded.
    let mut seen = std::collections::BTreeSet::new();
    for &p in &pages {
        for (_, font) in pdf.get_page_fonts(p).expect("fonts") {
            let base = name_of(font.get(b"BaseFont").expect("BaseFont"));
            if !seen.insert(base.clone()) {
                continue;
            }
            let (tag, _) = base.split_once('+').expect("subset tag");
            assert_eq!(tag.len(), 6, "{base}");
            assert!(tag.chars().all(|c| c.is_ascii_uppercase()), "{base}");
            assert!(font.has(b"ToUnicode"), "{base} has no ToUnicode");
            let descendants = get(&pdf, font, "DescendantFonts")
                .as_array()
                .expect("array");
            let cid = dict(&pdf, &descendants[0]);
            let desc = dict(&pdf, cid.get(b"FontDescriptor").expect("descriptor"));
            assert_eq!(name_of(desc.get(b"FontName").expect("FontName")), base);
            assert!(
                desc.has(b"FontFile2") || desc.has(b"FontFile3"),
                "{base} is not embedded"
            );
        }
    }
    assert_eq!(seen.len(), 4, "regular, italic, bold, mono: {seen:?}");
    let ligatures = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(r) => Some(
                r.glyphs
                    .iter()
                    .filter(|g| g.text.chars().count() > 1)
                    .count(),
            ),
            _ => None,
        });
    assert!(
        ligatures.sum::<usize>() >= 3,
        "the test text should shape to ligatures"
    );
    assert!(
        bytes.len() < 120_000,
        "fonts not subset: {} bytes",
        bytes.len()
    );

    let catalog = pdf.catalog().expect("catalog");
    assert_eq!(text_of(get(&pdf, catalog, "Lang")), "en-GB");
    assert_eq!(name_of(get(&pdf, catalog, "PageMode")), "UseOutlines");
    let prefs = dict(&pdf, catalog.get(b"ViewerPreferences").expect("prefs"));
    assert_eq!(
        prefs.get(b"DisplayDocTitle").ok(),
        Some(&Object::Boolean(true))
    );

    // Outline: two chapters, the second with one child.
    let outlines = dict(&pdf, catalog.get(b"Outlines").expect("outlines"));
    let first = dict(&pdf, outlines.get(b"First").expect("First"));
    assert_eq!(text_of(get(&pdf, first, "Title")), "Preface");
    assert_eq!(dest_page(get(&pdf, first, "Dest")), (pages[0], 490.0));
    let second = dict(&pdf, first.get(b"Next").expect("Next"));
    assert_eq!(
        text_of(get(&pdf, second, "Title")),
        "Chapter One — “Beginnings”"
    );
    assert_eq!(dest_page(get(&pdf, second, "Dest")), (pages[2], 490.0));
    assert!(second.get(b"Next").is_err());
    let child = dict(&pdf, second.get(b"First").expect("child"));
    assert_eq!(text_of(get(&pdf, child, "Title")), "A Section");
    assert_eq!(dest_page(get(&pdf, child, "Dest")), (pages[3], 480.0));
    assert_eq!(
        child.get(b"Parent").and_then(Object::as_reference).ok(),
        first.get(b"Next").and_then(Object::as_reference).ok()
    );

    // Page labels: i, ii, then 1, 2.
    let labels = dict(&pdf, catalog.get(b"PageLabels").expect("PageLabels"));
    let nums = get(&pdf, labels, "Nums").as_array().expect("Nums");
    assert_eq!(nums.len(), 4);
    assert_eq!(nums[0].as_i64().ok(), Some(0));
    assert_eq!(name_of(dict(&pdf, &nums[1]).get(b"S").expect("S")), "r");
    assert_eq!(nums[2].as_i64().ok(), Some(2));
    let arabic = dict(&pdf, &nums[3]);
    assert_eq!(name_of(arabic.get(b"S").expect("S")), "D");
    assert_eq!(arabic.get(b"St").and_then(Object::as_i64).ok(), Some(1));

    // Links on page 1 (index 2): a URI and a GoTo to page index 3, borderless.
    let page = pdf.get_dictionary(pages[2]).expect("page");
    let annots = get(&pdf, page, "Annots").as_array().expect("Annots");
    assert_eq!(annots.len(), 2);
    let uri = dict(&pdf, &annots[0]);
    let action = dict(&pdf, uri.get(b"A").expect("A"));
    assert_eq!(name_of(action.get(b"S").expect("S")), "URI");
    assert_eq!(
        text_of(action.get(b"URI").expect("URI")),
        "https://example.org/quire"
    );
    let border: Vec<f32> = get(&pdf, uri, "Border")
        .as_array()
        .expect("Border")
        .iter()
        .map(|o| o.as_float().expect("number"))
        .collect();
    assert_eq!(border, vec![0.0, 0.0, 0.0]);
    let goto = dict(&pdf, dict(&pdf, &annots[1]).get(b"A").expect("A"));
    assert_eq!(name_of(goto.get(b"S").expect("S")), "GoTo");
    assert_eq!(dest_page(goto.get(b"D").expect("D")), (pages[3], 480.0));

    // Info.
    let info = dict(&pdf, pdf.trailer.get(b"Info").expect("Info"));
    assert_eq!(
        text_of(get(&pdf, info, "Title")),
        "The Quire Test: A Book of Pages"
    );
    assert_eq!(
        text_of(get(&pdf, info, "Author")),
        "Ada Lovelace, Émile Zola"
    );
    assert_eq!(text_of(get(&pdf, info, "Subject")), "A test book");
    assert_eq!(text_of(get(&pdf, info, "Creator")), "quire");
    assert_eq!(text_of(get(&pdf, info, "ModDate")), "D:20250512100000Z");
    assert_eq!(
        text_of(get(&pdf, info, "CreationDate")),
        "D:20250512100000Z"
    );
    assert!(info.get(b"GTS_PDFXVersion").is_err());
    assert!(
        !bytes.windows(8).any(|w| w == b"GTS_PDFX"),
        "an orphan PDF/X marker is left in the file"
    );

    for (id, obj) in &pdf.objects {
        if let Object::Stream(s) = obj {
            assert!(s.dict.has(b"Filter"), "stream {id:?} is not compressed");
        }
    }
}

#[test]
fn no_author_means_no_author_entry() {
    let mut m = metadata();
    m.authors.clear();
    m.subtitle = None;
    let bytes = write_pdf(&document(), &m).expect("write");
    let pdf = lopdf::Document::load_mem(&bytes).expect("parse");
    let info = dict(&pdf, pdf.trailer.get(b"Info").expect("Info"));
    assert!(info.get(b"Author").is_err());
    assert_eq!(text_of(get(&pdf, info, "Title")), "The Quire Test");
}

#[test]
fn output_is_deterministic() {
    let a = write_pdf(&document(), &metadata()).expect("write");
    let b = write_pdf(&document(), &metadata()).expect("write");
    assert!(a == b, "two writes of the same book differ");
}

#[test]
fn bad_link_target_is_an_error() {
    let mut doc = document();
    doc.pages[0].links.push(Link {
        rect: Rect {
            x: 0.0,
            y: 0.0,
            width: 1.0,
            height: 1.0,
        },
        target: LinkTarget::Position(Position { page: 9, y: 0.0 }),
    });
    assert!(write_pdf(&doc, &metadata()).is_err());
}

#[test]
fn external_tools_accept_the_file() {
    let doc = document();
    let bytes = write_pdf(&doc, &metadata()).expect("write");
    let (_dir, path) = write_tmp(&bytes);

    if let Some(out) = pdftools::qpdf_check(&path) {
        assert!(
            out.success,
            "qpdf --check failed:\n{}{}",
            out.stdout, out.stderr
        );
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(
            !all.to_lowercase().contains("warning"),
            "qpdf warnings:\n{all}"
        );
        assert!(
            out.stdout
                .contains("No syntax or stream encoding errors found"),
            "qpdf:\n{all}"
        );
    }

    if let Some(out) = pdftools::pdffonts(&path) {
        assert!(out.success, "{}", out.stderr);
        let rows = pdftools::font_rows(&out.stdout);
        assert_eq!(rows.len(), 4, "{}", out.stdout);
        for (name, kind, emb, sub, uni) in &rows {
            assert!(
                *emb && *sub && *uni,
                "{name} ({kind}): emb/sub/uni not all yes\n{}",
                out.stdout
            );
            assert_eq!(name.find('+'), Some(6), "{name}");
        }
        assert!(
            out.stderr.trim().is_empty(),
            "pdffonts stderr: {}",
            out.stderr
        );
    }

    if let Some(out) = pdftools::pdfinfo(&path) {
        assert!(out.success, "{}", out.stderr);
        let s = &out.stdout;
        assert_eq!(
            pdftools::info_field(s, "Title"),
            Some("The Quire Test: A Book of Pages")
        );
        assert_eq!(
            pdftools::info_field(s, "Author"),
            Some("Ada Lovelace, Émile Zola")
        );
        assert_eq!(pdftools::info_field(s, "Pages"), Some("4"));
        assert_eq!(pdftools::info_field(s, "Creator"), Some("quire"));
        assert!(
            pdftools::info_field(s, "Page size").is_some_and(|v| v.starts_with("360 x 540 pts")),
            "{s}"
        );
        assert!(!s.contains("PDF/X"), "{s}");
        assert!(
            out.stderr.trim().is_empty(),
            "pdfinfo stderr: {}",
            out.stderr
        );
    }

    if let Some(out) = pdftools::pdftotext(&path, &[]) {
        assert!(out.success, "{}", out.stderr);
        let pages: Vec<&str> = out.stdout.split('\u{c}').collect();
        let expected = expected_text(&doc);
        for (i, want) in expected.iter().enumerate() {
            let got = pages
                .get(i)
                .map(|p| p.replace("\n\n", "\n"))
                .unwrap_or_default();
            assert_eq!(&got, want, "page {i}");
        }
    }
}

/// The viewer's pen must end up exactly where the typesetter put each word: pdftotext -bbox
/// reports word boxes computed from the font's /W widths and our TJ offsets.
#[test]
fn justified_words_land_where_typeset() {
    let doc = document();
    let bytes = write_pdf(&doc, &metadata()).expect("write");
    let (_dir, path) = write_tmp(&bytes);
    let Some(out) = pdftools::pdftotext(&path, &["-bbox", "-f", "3", "-l", "3"]) else {
        return;
    };
    // Expected x of each word of the justified line: the pen position of its first glyph.
    let run = doc.pages[2]
        .items
        .iter()
        .find_map(|item| match item {
            Item::Text(r)
                if r.glyphs.iter().map(|g| g.text.as_str()).collect::<String>() == JUSTIFIED =>
            {
                Some(r)
            }
            _ => None,
        })
        .expect("the justified line");
    let mut pen = run.x;
    let mut starts = Vec::new();
    let mut at_word_start = true;
    for g in &run.glyphs {
        if g.text == " " {
            at_word_start = true;
        } else if at_word_start {
            starts.push(pen);
            at_word_start = false;
        }
        pen += g.advance;
    }
    let words: Vec<&str> = JUSTIFIED.split(' ').collect();
    // The words on that baseline (y = 540 - 412 from the top) in pdftotext's output.
    let mut found = Vec::new();
    for line in out.stdout.lines().filter(|l| l.contains("<word ")) {
        let attr = |name: &str| -> f32 {
            let key = format!("{name}=\"");
            let start = line.find(&key).expect("attribute") + key.len();
            let end = start + line[start..].find('"').expect("quote");
            line[start..end].parse().expect("number")
        };
        let word = line
            .split('>')
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap_or("");
        let (y_min, y_max) = (attr("yMin"), attr("yMax"));
        if y_min < H - 412.0 && y_max > H - 412.0 {
            found.push((word.to_string(), attr("xMin"), attr("xMax")));
        }
    }
    assert_eq!(found.len(), words.len(), "{found:?}");
    for ((word, x_min, _), (want_word, want_x)) in found.iter().zip(words.iter().zip(&starts)) {
        assert_eq!(word, want_word);
        assert!(
            (x_min - want_x).abs() < 0.05,
            "{word}: at {x_min}, typeset at {want_x}"
        );
    }
    // The line ends at the right margin.
    let (_, _, x_max) = found.last().expect("words");
    let end = LEFT + width(run);
    assert!(
        (x_max - end).abs() < 0.05,
        "line ends at {x_max}, typeset to {end}"
    );
}
