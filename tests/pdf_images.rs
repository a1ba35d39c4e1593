//! Images in the PDF, read back from the file the build wrote: one XObject per image with the
//! right size and filter, JPEG bytes unchanged, figures placed inside the text block with
//! their caption below, 1,000 uses stored once, damaged images refused with their place.

#[path = "common/adam7.rs"]
mod adam7;
#[path = "common/pdftools.rs"]
mod pdftools;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lopdf::{Document, Object, ObjectId};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/images");

fn fixture(name: &str) -> Vec<u8> {
    fs::read(Path::new(FIXTURES).join(name)).unwrap()
}

/// A manuscript with `chapter` as its one chapter file (`one.md`) and the given images under
/// `images/`.
fn manuscript(dir: &Path, chapter: &str, images: &[(&str, Vec<u8>)]) {
    fs::create_dir_all(dir.join("images")).unwrap();
    fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Pictures\"\nauthors = [\"A. Writer\"]\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:pictures\"\n",
    )
    .unwrap();
    fs::write(dir.join("one.md"), chapter).unwrap();
    for (name, bytes) in images {
        fs::write(dir.join("images").join(name), bytes).unwrap();
    }
}

fn quire(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn build(dir: &Path) -> PathBuf {
    let o = quire(&["build", "m", "--out", "out"], dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir.join("out/pictures.pdf")
}

/// Every image XObject (not soft masks) by object id.
fn images(doc: &Document) -> BTreeMap<ObjectId, &lopdf::Stream> {
    let masks: Vec<ObjectId> = doc
        .objects
        .values()
        .filter_map(|o| match o {
            Object::Stream(s) => s.dict.get(b"SMask").ok()?.as_reference().ok(),
            _ => None,
        })
        .collect();
    doc.objects
        .iter()
        .filter_map(|(id, o)| match o {
            Object::Stream(s)
                if s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image")
                    && !masks.contains(id) =>
            {
                Some((*id, s))
            }
            _ => None,
        })
        .collect()
}

fn int(s: &lopdf::Stream, key: &[u8]) -> i64 {
    s.dict.get(key).and_then(Object::as_i64).unwrap()
}

fn name<'a>(s: &'a lopdf::Stream, key: &[u8]) -> &'a [u8] {
    s.dict.get(key).and_then(Object::as_name).unwrap()
}

/// An image drawn on a page: its XObject, its `cm` matrix and the `/Alt` of its span.
#[derive(Debug)]
struct Drawn {
    page: u32,
    object: ObjectId,
    matrix: [f32; 6],
    alt: Option<Vec<u8>>,
}

fn drawn(doc: &Document) -> Vec<Drawn> {
    let mut out = Vec::new();
    for (number, page) in doc.get_pages() {
        let page_dict = doc.get_dictionary(page).unwrap();
        let resources = match page_dict.get(b"Resources").unwrap() {
            Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
            Object::Dictionary(d) => d,
            other => panic!("{other:?}"),
        };
        let xobjects = match resources.get(b"XObject") {
            Ok(Object::Reference(r)) => doc.get_dictionary(*r).unwrap().clone(),
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => continue,
        };
        let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
        let mut matrix = [0.0; 6];
        let mut alt = None;
        for op in &content.operations {
            match op.operator.as_str() {
                "cm" => {
                    for (m, o) in matrix.iter_mut().zip(&op.operands) {
                        *m = o.as_float().unwrap();
                    }
                }
                "BDC" => {
                    alt = op.operands.get(1).and_then(|p| {
                        Some(p.as_dict().ok()?.get(b"Alt").ok()?.as_str().ok()?.to_vec())
                    })
                }
                "Do" => {
                    let name = op.operands[0].as_name().unwrap();
                    let object = xobjects.get(name).unwrap().as_reference().unwrap();
                    out.push(Drawn {
                        page: number,
                        object,
                        matrix,
                        alt: alt.take(),
                    });
                }
                _ => {}
            }
        }
    }
    out
}

const CHAPTER: &str = "# Harbour

The boats came in at dusk, and the harbour filled with the sound of ropes and gulls.

![The harbour at dusk, boats along the quay](images/harbour.jpg \"Sunset over the quay\")

A signal ![a red signal flag](images/signal.gif) flew from the mast.

![A bar chart of three tides](images/chart.svg)

*Figure 2: Three tides, measured at noon.*

![A grey panorama of posts](images/panorama.png)

<img src=\"images/badge.png\" alt=\"A red badge\">
";

#[test]
fn figures_are_embedded_placed_and_captioned() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    let jpeg = fixture("harbour.jpg");
    manuscript(
        &m,
        CHAPTER,
        &[
            ("harbour.jpg", jpeg.clone()),
            ("signal.gif", fixture("signal.gif")),
            ("chart.svg", fixture("chart.svg")),
            ("panorama.png", fixture("panorama.png")),
            ("badge.png", fixture("badge.png")),
        ],
    );
    let pdf = build(root.path());
    let doc = Document::load(&pdf).unwrap();
    let images = images(&doc);
    assert_eq!(
        images.len(),
        5,
        "{:#?}",
        images.values().map(|s| &s.dict).collect::<Vec<_>>()
    );

    // The JPEG: its bytes as they are, /DCTDecode, its own size in pixels.
    let (&jpeg_id, jpeg_stream) = images
        .iter()
        .find(|(_, s)| s.dict.get(b"Filter").and_then(Object::as_name).ok() == Some(b"DCTDecode"))
        .expect("a DCTDecode image");
    assert_eq!(jpeg_stream.content, jpeg, "the JPEG must not be re-encoded");
    assert_eq!(
        (int(jpeg_stream, b"Width"), int(jpeg_stream, b"Height")),
        (320, 200)
    );
    assert_eq!(name(jpeg_stream, b"ColorSpace"), b"DeviceRGB");

    // PNG with alpha: RGB samples and a soft mask of the same size.
    let badge = images
        .values()
        .find(|s| int(s, b"Width") == 200 && int(s, b"Height") == 100)
        .expect("badge.png");
    let mask = doc
        .get_object(badge.dict.get(b"SMask").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap();
    assert_eq!(
        (int(mask, b"Width"), name(mask, b"ColorSpace")),
        (200, &b"DeviceGray"[..])
    );
    // A grey PNG stays grey; the GIF's first frame is RGB.
    // 3000 x 600 pixels, more than the page prints: kept at 1650 (5.5 in at 300 dpi).
    let panorama = images
        .values()
        .find(|s| int(s, b"Width") == 1650)
        .expect("panorama");
    assert_eq!(name(panorama, b"ColorSpace"), b"DeviceGray");
    assert_eq!(int(panorama, b"Height"), 330);
    assert!(images
        .values()
        .any(|s| int(s, b"Width") == 60 && int(s, b"Height") == 40));

    // Placement: the JPEG at its stated 150 dpi (320 px = 153.6 pt), centred in the text
    // block, whose edges the layout report gives.
    let (book, settings, _) = quire::read_manuscript(&m).unwrap();
    let typeset = quire::typeset::typeset(&book, &settings).unwrap();
    let all = drawn(&doc);
    let photo = all
        .iter()
        .find(|d| d.object == jpeg_id)
        .expect("the JPEG is drawn");
    let [w, b, c, h, x, y] = photo.matrix;
    assert!(
        (w - 153.6).abs() < 0.01 && (h - 96.0).abs() < 0.01,
        "{:?}",
        photo.matrix
    );
    assert_eq!((b, c), (0.0, 0.0));
    let page = &typeset.layout.pages[photo.page as usize - 1];
    let left = page.lines.iter().map(|l| l.left).fold(f32::MAX, f32::min);
    let right = page.lines.iter().map(|l| l.right).fold(f32::MIN, f32::max);
    assert!(
        x >= left - 0.01 && x + w <= right + 0.01,
        "{x} {w} {left} {right}"
    );
    assert!(((x + w / 2.0) - (left + right) / 2.0).abs() < 0.1);
    let top = typeset.height - settings.print.margins.top;
    let bottom = settings.print.margins.bottom;
    assert!(y >= bottom && y + h <= top, "{y} {h}");
    assert_eq!(
        photo.alt.as_deref(),
        Some(&b"The harbour at dusk, boats along the quay"[..])
    );

    // The panorama is scaled to the measure, never wider.
    let wide = all
        .iter()
        .find(|d| {
            images
                .get(&d.object)
                .is_some_and(|s| int(s, b"Width") == 1650)
        })
        .unwrap();
    assert!(
        (wide.matrix[0] - (right - left)).abs() < 0.1,
        "{:?}",
        wide.matrix
    );

    // Each image appears once in the file, though the badge is drawn once and the GIF in a
    // line of text (one line high).
    let gif = all
        .iter()
        .find(|d| {
            images
                .get(&d.object)
                .is_some_and(|s| int(s, b"Width") == 60)
        })
        .unwrap();
    assert!(
        gif.matrix[3] <= settings.print.font_size + 0.01,
        "{:?}",
        gif.matrix
    );

    // Captions: the title under the photograph; the emphasis paragraph under the chart, set
    // once (not again as a paragraph).
    if let Some(text) = pdftools::pdftotext(&pdf, &["-bbox"]) {
        let word = |w: &str| -> Vec<(u32, f32)> {
            let mut page = 0;
            let mut out = Vec::new();
            for line in text.stdout.lines() {
                if line.contains("<page ") {
                    page += 1;
                }
                if line.contains(&format!(">{w}</word>")) {
                    let ymin = line
                        .split("yMin=\"")
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap();
                    out.push((page, ymin.parse::<f32>().unwrap()));
                }
            }
            out
        };
        let sunset = word("Sunset");
        assert_eq!(sunset.len(), 1, "{sunset:?}");
        let (page, caption_top) = sunset[0];
        assert_eq!(page, photo.page);
        // pdftotext measures from the top of the page.
        let image_bottom = typeset.height - y;
        assert!(
            caption_top > image_bottom && caption_top < image_bottom + 3.0 * settings.print.leading,
            "caption at {caption_top}, image bottom at {image_bottom}"
        );
        assert_eq!(word("tides,").len(), 1, "the caption is set once");
    }
    if let Some(check) = pdftools::qpdf_check(&pdf) {
        assert!(
            check.success && !check.stdout.contains("WARNING"),
            "{}",
            check.stdout
        );
    }
}

#[test]
fn an_image_used_a_thousand_times_is_stored_once() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    let mut chapter = String::from("# Badges\n\n");
    for i in 0..1000 {
        chapter.push_str(&format!(
            "Badge {i}: ![a red badge](images/badge.png) worn.\n\n"
        ));
    }
    manuscript(&m, &chapter, &[("badge.png", fixture("badge.png"))]);
    let start = std::time::Instant::now();
    let pdf = build(root.path());
    let elapsed = start.elapsed();
    let doc = Document::load(&pdf).unwrap();
    assert_eq!(images(&doc).len(), 1);
    let all = drawn(&doc);
    assert_eq!(all.len(), 1000);
    assert!(all.iter().all(|d| d.object == all[0].object));
    assert!(elapsed.as_secs() < 60, "{elapsed:?}");
}

#[test]
fn damaged_images_fail_with_their_place_and_leave_old_outputs() {
    let png = fixture("badge.png");
    let jpeg = fixture("harbour.jpg");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "badge.png",
            [&b"\x89PNG\r\n\x1a\n"[..], &[7u8; 200][..]].concat(),
            "export it again",
        ),
        (
            "badge.png",
            png[..png.len() / 2].to_vec(),
            "export it again",
        ),
        (
            "harbour.jpg",
            [&[0xFFu8, 0xD8, 0xFF, 0xE0][..], &[3u8; 300][..]].concat(),
            "export it again",
        ),
        ("harbour.jpg", jpeg[..jpeg.len() / 2].to_vec(), "truncated"),
        ("badge.png", fixture("enormous.png"), "scale it down"),
    ];
    for (file, bytes, advice) in cases {
        let root = tempfile::tempdir().unwrap();
        let m = root.path().join("m");
        let good = if file.ends_with("png") { &png } else { &jpeg };
        let chapter = format!("# One\n\n![A picture](images/{file})\n");
        manuscript(&m, &chapter, &[(file, good.clone())]);
        let pdf = build(root.path());
        let epub = root.path().join("out/pictures.epub");
        let before = (fs::read(&pdf).unwrap(), fs::read(&epub).unwrap());

        fs::write(m.join("images").join(file), &bytes).unwrap();
        let o = quire(&["build", "m", "--out", "out"], root.path());
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{file}: {err}");
        assert!(err.contains("one.md:3:"), "{err}");
        assert!(err.contains(&format!("image `images/{file}`")), "{err}");
        assert!(err.contains(advice), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(
            fs::read(&pdf).unwrap(),
            before.0,
            "the old PDF is untouched"
        );
        assert_eq!(
            fs::read(&epub).unwrap(),
            before.1,
            "the old EPUB is untouched"
        );
    }
}

#[test]
fn an_image_without_alt_text_is_a_warning_with_its_place() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    manuscript(
        &m,
        "# One\n\nText.\n\n![](images/badge.png)\n",
        &[("badge.png", fixture("badge.png"))],
    );
    let o = quire(
        &["build", "m", "--out", "out", "--format", "pdf"],
        root.path(),
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("one.md:5:1") && err.contains("no alt text"),
        "{err}"
    );
    // Still drawn, with an empty alt text.
    let doc = Document::load(root.path().join("out/pictures.pdf")).unwrap();
    assert_eq!(drawn(&doc).len(), 1);
}

/// A GIF of a few dozen bytes whose logical screen is 10,000 x 10,000 pixels, one pixel
/// drawn: a tiny file that asks for 400 MB once decoded.
fn huge_screen_gif() -> Vec<u8> {
    let mut g = b"GIF89a".to_vec();
    g.extend_from_slice(&10_000u16.to_le_bytes());
    g.extend_from_slice(&10_000u16.to_le_bytes());
    // A global table of two colours, black and white.
    g.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
    // One 1 x 1 image at the top left: LZW clear, index 1, end, in 3-bit codes.
    g.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
    g.extend_from_slice(&[2, 2, 0x4C, 0x01, 0, 0x3B]);
    g
}

#[test]
fn images_are_kept_at_what_the_page_can_print() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    let gif = huge_screen_gif();
    assert!(gif.len() < 64);
    // Interlaced: its passes go straight into the kept pixels.
    let striped = adam7::interlaced_png(5000, 2500, 3, |x, _| [(x % 256) as u8, 90, 200, 0]);
    manuscript(
        &m,
        "# One\n\n![A wide grey panorama](images/panorama.png)\n\n![A huge screen](images/screen.gif)\n\n![Stripes](images/striped.png)\n",
        &[
            ("panorama.png", fixture("panorama.png")),
            ("screen.gif", gif),
            ("striped.png", striped),
        ],
    );
    let pdf = build(root.path());
    let doc = Document::load(&pdf).unwrap();
    let sizes: Vec<(i64, i64)> = images(&doc)
        .values()
        .map(|s| (int(s, b"Width"), int(s, b"Height")))
        .collect();
    // 5.5 x 8.5 in at 300 pixels to the inch: at most 1650 x 2550 pixels are kept, the
    // proportions the file's (3000 x 600; 10,000 x 10,000; 5000 x 2500).
    assert!(sizes.contains(&(1650, 330)), "{sizes:?}");
    assert!(sizes.contains(&(1650, 1650)), "{sizes:?}");
    assert!(sizes.contains(&(1650, 825)), "{sizes:?}");
    // Drawn at their natural size's fit, as before: the shrink is only of pixels.
    let widths: Vec<f32> = drawn(&doc).iter().map(|d| d.matrix[0]).collect();
    assert!(widths.iter().all(|w| *w > 250.0), "{widths:?}");
}

/// A PNG of `w` x `h` pixels of one RGB colour.
fn solid_png(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header().unwrap();
    let pixels: Vec<u8> = (0..w * h).flat_map(|_| rgb).collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn costly_drawings_are_set_as_alt_text_and_embedded_rasters_are_drawn() {
    use base64::Engine as _;
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    // 392 bytes that would keep resvg busy for minutes: five blurs over a region 21 times
    // the drawing's size each way.
    let blur = "<svg xmlns='http://www.w3.org/2000/svg' width='400' height='400'>\
        <filter id='b' x='-1000%' y='-1000%' width='2100%' height='2100%'>\
        <feGaussianBlur stdDeviation='500'/><feGaussianBlur stdDeviation='500'/>\
        <feGaussianBlur stdDeviation='500'/><feGaussianBlur stdDeviation='500'/>\
        <feGaussianBlur stdDeviation='500'/></filter>\
        <rect width='400' height='400' filter='url(#b)'/></svg>";
    // 20,000 translucent circles, each larger than the drawing.
    let circles: String = (0..20_000)
        .map(|i| {
            format!(
                "<circle cx='{}' cy='200' r='300' fill-opacity='0.1'/>",
                i % 400
            )
        })
        .collect();
    let circles =
        format!("<svg xmlns='http://www.w3.org/2000/svg' width='400' height='400'>{circles}</svg>");
    let red = base64::engine::general_purpose::STANDARD.encode(solid_png(40, 30, [255, 0, 0]));
    let embedded = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' \
         width='200' height='150'><image width='200' height='150' \
         xlink:href='data:image/png;base64,{red}'/></svg>"
    );
    manuscript(
        &m,
        "# One\n\n![A blurred square](images/blur.svg)\n\n![Twenty thousand circles](images/circles.svg)\n\n![A red field](images/red.svg)\n",
        &[
            ("blur.svg", blur.as_bytes().to_vec()),
            ("circles.svg", circles.into_bytes()),
            ("red.svg", embedded.into_bytes()),
        ],
    );
    let o = quire(&["build", "m", "--out", "out"], root.path());
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    for (name, line) in [("blur.svg", 3), ("circles.svg", 5)] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("warning[costly-drawing]") && l.contains(name)),
            "{err}"
        );
        assert!(err.contains(&format!("m/one.md:{line}:1")), "{err}");
    }
    let pdf = root.path().join("out/pictures.pdf");
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("A blurred square"), "{text}");
        assert!(text.contains("Twenty thousand circles"), "{text}");
    }
    // One image: the embedded raster, drawn red.
    let doc = Document::load(&pdf).unwrap();
    let found = images(&doc);
    assert_eq!(found.len(), 1, "{found:?}");
    let stream = found.values().next().unwrap();
    let samples = stream.decompressed_content().unwrap();
    let middle = samples.len() / 2 / 3 * 3;
    assert_eq!(&samples[middle..middle + 3], &[255, 0, 0]);

    // `quire check` says the same, at the same places.
    let o = quire(&["check", "m"], root.path());
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(err.matches("warning[costly-drawing]").count(), 2, "{err}");
}

/// The PDF's text, from poppler's `pdftotext` (`None`, with a notice, where it is not
/// installed; CI must have it).
fn pdf_text(pdf: &Path) -> Option<String> {
    match Command::new("pdftotext").arg(pdf).arg("-").output() {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "pdftotext is needed in CI"
            );
            eprintln!("pdftotext not installed: the alt text is not checked");
            None
        }
    }
}
