//! Covers, read back from what the build wrote: the EPUB's cover image, cover page and
//! landmark (zip + XML, EPUBCheck), the placeholder quire draws when there is none, the warnings
//! about a cover a store would refuse, the cover page of the reading PDF and the print wrap
//! (lopdf, qpdf, pdfinfo).

#[path = "common/epubcheck.rs"]
mod epubcheck;
#[path = "common/pdftools.rs"]
mod pdftools;

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use quire::build::{build, BuildOptions, BuildReport, Format};
use quire::diagnostic::Code;

const OPF_NS: &str = "http://www.idpf.org/2007/opf";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const OPS_NS: &str = "http://www.idpf.org/2007/ops";

/// A PNG of `w` x `h` pixels: a gradient, so that it is a real picture.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let mut data = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            data.extend_from_slice(&[(x * 255 / w) as u8, (y * 255 / h) as u8, 128]);
        }
    }
    writer.write_image_data(&data).unwrap();
    writer.finish().unwrap();
    out
}

/// A manuscript with `book_toml` and two chapters, in a temporary folder.
fn manuscript(book_toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.toml"), book_toml).unwrap();
    std::fs::write(
        dir.path().join("01-one.md"),
        "# One\n\nIt is a truth universally acknowledged.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("02-two.md"), "# Two\n\nThe end.\n").unwrap();
    dir
}

const BOOK: &str = "[book]\ntitle = \"The Lighthouse\"\nauthors = [\"Ann Author\"]\nlanguage = \"en\"\ndescription = \"A keeper, a storm, a ship.\"\n\n[metadata]\nidentifier = \"urn:isbn:9780306406157\"\nsubtitle = \"A Novel\"\n";

fn build_to(m: &Path, format: Format) -> (tempfile::TempDir, BuildReport) {
    let out = tempfile::tempdir().unwrap();
    let report = build(&BuildOptions {
        manuscript: m.to_path_buf(),
        out_dir: out.path().to_path_buf(),
        format,
        deny_warnings: false,
        name: None,
    })
    .unwrap_or_else(|e| panic!("build failed: {e}"));
    (out, report)
}

struct Epub {
    files: BTreeMap<String, Vec<u8>>,
}

impl Epub {
    fn open(path: &Path) -> Epub {
        let bytes = std::fs::read(path).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut files = BTreeMap::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            files.insert(entry.name().to_string(), data);
        }
        Epub { files }
    }

    fn text(&self, name: &str) -> String {
        String::from_utf8(
            self.files
                .get(name)
                .unwrap_or_else(|| panic!("no {name}"))
                .clone(),
        )
        .unwrap()
    }
}

/// What the package says about the cover.
#[derive(Debug)]
struct CoverFacts {
    /// The manifest item with `properties="cover-image"`: (id, href, media type).
    item: (String, String, String),
    /// The content of `<meta name="cover">`.
    meta_cover: Option<String>,
    /// The href of the first spine item.
    first_in_spine: String,
    /// `<guide><reference type="cover">` href.
    guide: Option<String>,
    /// The landmark with `epub:type="cover"` in the navigation document.
    landmark: Option<String>,
    /// The cover page's `<img>`: (src, alt).
    img: (String, String),
}

fn cover_facts(epub: &Epub) -> Option<CoverFacts> {
    let opf = epub.text("OEBPS/content.opf");
    let doc = xml(&opf);
    let items: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "item")))
        .collect();
    let item = items
        .iter()
        .find(|n| n.attribute("properties") == Some("cover-image"))?;
    let attr = |n: &roxmltree::Node, a| n.attribute(a).unwrap_or("").to_string();
    let meta_cover = doc
        .descendants()
        .find(|n| n.has_tag_name((OPF_NS, "meta")) && n.attribute("name") == Some("cover"))
        .map(|n| attr(&n, "content"));
    let first_ref = doc
        .descendants()
        .find(|n| n.has_tag_name((OPF_NS, "itemref")))
        .map(|n| attr(&n, "idref"))
        .unwrap();
    let first_in_spine = items
        .iter()
        .find(|n| n.attribute("id") == Some(first_ref.as_str()))
        .map(|n| attr(n, "href"))
        .unwrap();
    let guide = doc
        .descendants()
        .find(|n| n.has_tag_name((OPF_NS, "reference")) && n.attribute("type") == Some("cover"))
        .map(|n| attr(&n, "href"));
    let nav = epub.text("OEBPS/nav.xhtml");
    let nav = xml(&nav);
    let landmark = nav
        .descendants()
        .filter(|n| n.has_tag_name((XHTML_NS, "a")))
        .find(|n| n.attribute((OPS_NS, "type")) == Some("cover"))
        .map(|n| attr(&n, "href"));
    let page = epub.text(&format!("OEBPS/{first_in_spine}"));
    let page = xml(&page);
    let img = page
        .descendants()
        .find(|n| n.has_tag_name((XHTML_NS, "img")))
        .map(|n| (attr(&n, "src"), attr(&n, "alt")))
        .unwrap();
    Some(CoverFacts {
        item: (
            attr(item, "id"),
            attr(item, "href"),
            attr(item, "media-type"),
        ),
        meta_cover,
        first_in_spine,
        guide,
        landmark,
        img,
    })
}

fn xml(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options).unwrap()
}

fn epubcheck_clean(path: &Path) {
    if let Some(report) = epubcheck::epubcheck(path) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }
}

fn only(dir: &Path, ext: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

#[test]
fn a_given_cover_is_the_epubs_cover_image_first_page_and_landmark() {
    let m = manuscript(&BOOK.replace(
        "language = \"en\"\n",
        "language = \"en\"\ncover = \"art/front.png\"\n",
    ));
    std::fs::create_dir(m.path().join("art")).unwrap();
    let image = png(1600, 2560);
    std::fs::write(m.path().join("art/front.png"), &image).unwrap();
    let (out, report) = build_to(m.path(), Format::Epub);
    assert!(
        !report
            .warnings
            .iter()
            .any(|w| matches!(w.code, Code::NoCover | Code::CoverSize)),
        "{:#?}",
        report.warnings
    );
    let path = only(out.path(), ".epub");
    let epub = Epub::open(&path);
    let facts = cover_facts(&epub).expect("a cover-image item");
    let (id, href, media_type) = &facts.item;
    assert_eq!(media_type, "image/png");
    assert_eq!(
        epub.files[&format!("OEBPS/{href}")],
        image,
        "the file as it is"
    );
    assert_eq!(
        facts.meta_cover.as_ref(),
        Some(id),
        "EPUB 2 <meta name=\"cover\">"
    );
    assert_eq!(facts.first_in_spine, "cover.xhtml");
    assert_eq!(facts.guide.as_deref(), Some("cover.xhtml"));
    assert_eq!(facts.landmark.as_deref(), Some("cover.xhtml"));
    assert_eq!(facts.img.0, *href);
    assert_eq!(facts.img.1, "The Lighthouse: A Novel");
    epubcheck_clean(&path);
}

#[test]
fn without_a_cover_a_placeholder_is_drawn_and_warned_about() {
    let m = manuscript(BOOK);
    let (out, report) = build_to(m.path(), Format::Epub);
    let warning = report
        .warnings
        .iter()
        .find(|w| w.code == Code::NoCover)
        .expect("a placeholder warning");
    assert!(warning.message.contains("placeholder"), "{warning}");
    assert_eq!(warning.location.file, m.path().join("book.toml"));
    let path = only(out.path(), ".epub");
    let epub = Epub::open(&path);
    let facts = cover_facts(&epub).expect("a cover-image item");
    assert_eq!(facts.item.2, "image/png");
    assert_eq!(facts.first_in_spine, "cover.xhtml");
    let bytes = &epub.files[&format!("OEBPS/{}", facts.item.1)];
    let mut reader = png::Decoder::new(Cursor::new(bytes)).read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), (1600, 2560));
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut pixels).unwrap();
    // Type was drawn: the light ink covers part of the dark ground, most of it stays ground.
    let light = pixels
        .chunks(3)
        .filter(|p| p.iter().map(|&c| u32::from(c)).sum::<u32>() > 600)
        .count();
    let share = light as f32 / (1600.0 * 2560.0);
    assert!((0.005..0.2).contains(&share), "light share {share}");
    epubcheck_clean(&path);
}

#[test]
fn cover_false_leaves_the_cover_out() {
    let m = manuscript(&BOOK.replace("language = \"en\"\n", "language = \"en\"\ncover = false\n"));
    let (out, report) = build_to(m.path(), Format::Epub);
    assert!(!report.warnings.iter().any(|w| w.code == Code::NoCover));
    let epub = Epub::open(&only(out.path(), ".epub"));
    assert!(cover_facts(&epub).is_none());
    assert!(!epub.files.contains_key("OEBPS/cover.xhtml"));
}

#[test]
fn a_small_or_oddly_shaped_cover_is_warned_about_at_its_line() {
    for (w, h, what) in [
        (600, 960, "under the 1600"),
        (2000, 1600, "far from the 1.6"),
    ] {
        let m = manuscript(&BOOK.replace(
            "language = \"en\"\n",
            "language = \"en\"\ncover = \"small.png\"\n",
        ));
        std::fs::write(m.path().join("small.png"), png(w, h)).unwrap();
        let (_, warnings) = quire::read_manuscript(m.path()).map(|r| ((), r.2)).unwrap();
        let found: Vec<_> = warnings
            .iter()
            .filter(|d| d.code == Code::CoverSize)
            .collect();
        assert_eq!(found.len(), 1, "{warnings:#?}");
        assert_eq!(found[0].location.line, Some(5), "{}", found[0]);
        assert!(found[0].message.contains(what), "{}", found[0]);
    }
}

#[test]
fn a_cover_that_cannot_be_used_is_an_error_at_its_key() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.png"), png(16, 16)).unwrap();
    for (value, file, what) in [
        ("\"missing.jpg\"", None, "there is no file"),
        (
            "\"picture.gif\"",
            Some(&b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"[..]),
            "JPEG or PNG",
        ),
        (
            "\"notes.png\"",
            Some(&b"not an image"[..]),
            "not a JPEG or PNG",
        ),
        ("\"/etc/passwd\"", None, "absolute path"),
        ("true", None, "must be the cover image"),
    ] {
        let m = manuscript(&BOOK.replace(
            "language = \"en\"\n",
            &format!("language = \"en\"\ncover = {value}\n"),
        ));
        if let Some(bytes) = file {
            let name = value.trim_matches('"');
            std::fs::write(m.path().join(name), bytes).unwrap();
        }
        let err = quire::read_manuscript(m.path()).unwrap_err().to_string();
        assert!(err.contains("book.toml:5:"), "{value}: {err}");
        assert!(err.contains(what), "{value}: {err}");
    }
    // Out of the manuscript through `..`.
    let m = manuscript("");
    let rel = pathdiff(outside.path(), m.path()).join("x.png");
    std::fs::write(
        m.path().join("book.toml"),
        BOOK.replace(
            "language = \"en\"\n",
            &format!("language = \"en\"\ncover = \"{}\"\n", rel.display()),
        ),
    )
    .unwrap();
    let err = quire::read_manuscript(m.path()).unwrap_err().to_string();
    assert!(err.contains("outside the manuscript"), "{err}");
}

/// `to` seen from `from`, through `..`.
fn pathdiff(to: &Path, from: &Path) -> PathBuf {
    let depth = from.components().count();
    let mut p = PathBuf::new();
    for _ in 0..depth {
        p.push("..");
    }
    p.join(to.strip_prefix("/").unwrap())
}

/// A page box of the first page, in points.
fn page_box(pdf: &lopdf::Document, name: &[u8]) -> [f32; 4] {
    let page = *pdf.get_pages().values().next().unwrap();
    let dict = pdf.get_dictionary(page).unwrap();
    let arr = dict.get(name).unwrap().as_array().unwrap();
    let v: Vec<f32> = arr.iter().map(|o| o.as_float().unwrap()).collect();
    [v[0], v[1], v[2], v[3]]
}

fn first_page_images(pdf: &lopdf::Document) -> usize {
    let page = *pdf.get_pages().values().next().unwrap();
    let (resources, _) = pdf.get_page_resources(page).unwrap();
    let Some(resources) = resources else { return 0 };
    let Ok(xobjects) = resources.get(b"XObject").and_then(|x| x.as_dict()) else {
        return 0;
    };
    xobjects
        .iter()
        .filter(|(_, v)| {
            let id = v.as_reference().unwrap();
            let stream = pdf.get_object(id).unwrap().as_stream().unwrap();
            stream.dict.get(b"Subtype").unwrap().as_name().unwrap() == b"Image"
        })
        .count()
}

#[test]
fn the_print_cover_of_pride_and_prejudice_wraps_two_trims_a_spine_and_the_bleed() {
    let m = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pride-and-prejudice");
    for entry in std::fs::read_dir(&src).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, m.path().join(p.file_name().unwrap())).unwrap();
    }
    let yaml = std::fs::read_to_string(m.path().join("metadata.yaml")).unwrap();
    let yaml = yaml.trim_end().trim_end_matches("...");
    std::fs::write(
        m.path().join("metadata.yaml"),
        format!("{yaml}print:\n  paper: cream\n...\n"),
    )
    .unwrap();
    let (out, report) = build_to(m.path(), Format::Pdf);
    let interior = lopdf::Document::load(only(out.path(), ".pdf")).unwrap();
    let pages = interior.get_pages().len();
    let trim = page_box(&interior, b"MediaBox");
    let (trim_w, trim_h) = (trim[2] - trim[0], trim[3] - trim[1]);
    assert!(!report.warnings.iter().any(|w| w.code == Code::NoCover));

    let (out, report) = build_to(m.path(), Format::Cover);
    assert!(report.warnings.iter().any(|w| w.code == Code::NoCover));
    let path = only(out.path(), "-cover.pdf");
    assert!(path.ends_with("pride-and-prejudice-cover.pdf"), "{path:?}");
    let wrap = lopdf::Document::load(&path).unwrap();
    assert_eq!(wrap.get_pages().len(), 1);
    let spine = pages as f32 * 0.0025 * 72.0;
    let bleed = 0.125 * 72.0;
    let media = page_box(&wrap, b"MediaBox");
    let width = media[2] - media[0];
    let height = media[3] - media[1];
    assert!(
        (width - (2.0 * trim_w + spine + 2.0 * bleed)).abs() < 0.01,
        "width {width}, trim {trim_w}, {pages} pages"
    );
    assert!((height - (trim_h + 2.0 * bleed)).abs() < 0.01);
    let trim_box = page_box(&wrap, b"TrimBox");
    assert!((trim_box[0] - bleed).abs() < 0.01 && (trim_box[1] - bleed).abs() < 0.01);
    assert!((trim_box[2] - (width - bleed)).abs() < 0.01);
    assert_eq!(page_box(&wrap, b"BleedBox"), media);
    // The cover is drawn, not typed: no font to embed or substitute.
    let fonts = wrap
        .objects
        .values()
        .filter(|o| {
            o.as_dict()
                .is_ok_and(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Font"))
        })
        .count();
    assert_eq!(fonts, 0);
    if let Some(check) = pdftools::qpdf_check(&path) {
        assert!(check.success, "{}", check.stdout);
    }
    if let Some(info) = pdftools::run_tool("pdfinfo", &[path.as_os_str(), "-box".as_ref()]) {
        let media = pdftools::info_field(&info.stdout, "MediaBox").unwrap();
        let bleed = pdftools::info_field(&info.stdout, "BleedBox").unwrap();
        assert_eq!(media, bleed);
    }
}

#[test]
fn the_print_cover_puts_the_given_image_on_the_front() {
    let m = manuscript(&BOOK.replace(
        "language = \"en\"\n",
        "language = \"en\"\ncover = \"front.png\"\n",
    ));
    std::fs::write(m.path().join("front.png"), png(1600, 2560)).unwrap();
    let (out, report) = build_to(m.path(), Format::Cover);
    // Two short chapters: too thin to bind, and said so.
    assert!(report.warnings.iter().any(|w| w.code == Code::PrintCover));
    let wrap = lopdf::Document::load(only(out.path(), "-cover.pdf")).unwrap();
    assert_eq!(first_page_images(&wrap), 1);
}

#[test]
fn the_reading_pdf_opens_with_the_cover_when_asked() {
    let plain = manuscript(BOOK);
    let (out, _) = build_to(plain.path(), Format::Pdf);
    let without = lopdf::Document::load(only(out.path(), ".pdf")).unwrap();

    let with_image = manuscript(&format!(
        "{}\n[pdf]\ncover = true\n",
        BOOK.replace(
            "language = \"en\"\n",
            "language = \"en\"\ncover = \"front.png\"\n"
        )
    ));
    std::fs::write(with_image.path().join("front.png"), png(1600, 2560)).unwrap();
    let (out, _) = build_to(with_image.path(), Format::Pdf);
    let path = only(out.path(), ".pdf");
    let pdf = lopdf::Document::load(&path).unwrap();
    assert_eq!(pdf.get_pages().len(), without.get_pages().len() + 1);
    assert_eq!(
        first_page_images(&pdf),
        1,
        "the first page is the cover image"
    );
    assert_eq!(page_box(&pdf, b"MediaBox"), page_box(&without, b"MediaBox"));
    if let Some(check) = pdftools::qpdf_check(&path) {
        assert!(check.success, "{}", check.stdout);
    }
    // The cover is labelled "Cover"; the book's own numbers are as before.
    let labels = pdf
        .catalog()
        .unwrap()
        .get(b"PageLabels")
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"Nums")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(labels[0].as_i64().unwrap(), 0);
    assert_eq!(labels[2].as_i64().unwrap(), 1);
    if let Some(text) = pdftools::pdftotext(&path, &["-f", "2", "-l", "2"]) {
        let first = pdftools::pdftotext(&only(out.path(), ".pdf"), &["-f", "1", "-l", "1"]);
        assert!(first.is_some_and(|f| f.stdout.trim().is_empty()));
        assert!(!text.stdout.trim().is_empty());
    }

    // Without a cover image: the placeholder, drawn.
    let placeholder = manuscript(&format!("{BOOK}\n[pdf]\ncover = true\n"));
    let (out, report) = build_to(placeholder.path(), Format::Pdf);
    assert!(report.warnings.iter().any(|w| w.code == Code::NoCover));
    let pdf = lopdf::Document::load(only(out.path(), ".pdf")).unwrap();
    assert_eq!(pdf.get_pages().len(), without.get_pages().len() + 1);
    let page = *pdf.get_pages().values().next().unwrap();
    let content = pdf.get_page_content(page);
    let ops = lopdf::content::Content::decode(&content)
        .unwrap()
        .operations;
    // The type is drawn as outlines: curves, filled.
    let fills = ops
        .iter()
        .filter(|o| o.operator == "f" || o.operator == "f*")
        .count();
    let curves = ops.iter().filter(|o| o.operator == "c").count();
    assert!(fills >= 4 && curves > 100, "{fills} fills, {curves} curves");
}
