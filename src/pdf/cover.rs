//! Covers in PDF: the cover as the first page of the reading PDF, and the print wrap.
//!
//! A cover is an image (the author's JPEG or PNG, embedded as it is or as 8-bit samples) and a
//! drawing (an SVG tree whose text usvg has already turned into outlines), written as filled
//! vector paths: no font is embedded and nothing can be substituted by a printer's RIP.
//! printpdf makes the page and the document; the drawing and the image go in through lopdf,
//! since printpdf cannot clip an image or take a path with quadratic segments.

use std::io::Write as _;

use lopdf::{Dictionary, Object, ObjectId, Stream};
use resvg::usvg;

use super::PdfError;
use crate::artwork::{ArtData, Artwork};
use crate::model::Metadata;

/// A rectangle in PDF points, y up from the bottom-left corner of the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// One sheet of a cover: its size, the trim inside it, and what is drawn on it.
#[derive(Debug, Clone)]
pub struct Sheet<'a> {
    pub width: f32,
    pub height: f32,
    /// The finished size inside the bleed (`/TrimBox`); the sheet itself is the `/BleedBox`.
    pub trim: Area,
    /// Drawn first, scaled to the sheet (its own size is the sheet's in user units).
    pub drawing: Option<&'a usvg::Tree>,
    /// An image drawn over the drawing to fill `.1` (centred, its overflow cut off).
    pub image: Option<(&'a Artwork, Area)>,
}

/// The print wrap as a one-page PDF.
pub fn write_sheet(sheet: &Sheet<'_>, metadata: &Metadata) -> Result<Vec<u8>, PdfError> {
    let mut pdf = printpdf::PdfDocument::new(&metadata.title);
    let page_box = printpdf::Rect::from_wh(printpdf::Pt(sheet.width), printpdf::Pt(sheet.height));
    pdf.pages = vec![printpdf::PdfPage {
        media_box: page_box.clone(),
        trim_box: page_box.clone(),
        crop_box: page_box,
        ops: Vec::new(),
    }];
    let opts = printpdf::PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: false,
        image_optimization: None,
    };
    let mut lo = pdf.to_lopdf_document(&opts, &mut Vec::new());
    let page = lo
        .get_pages()
        .into_values()
        .next()
        .ok_or_else(|| PdfError::Internal("printpdf wrote no page".into()))?;
    let (content, resources) = sheet_content(&mut lo, sheet)?;
    let content_id = lo.add_object(Stream::new(Dictionary::new(), content));
    let dict = lo.get_object_mut(page)?.as_dict_mut()?;
    dict.set("Contents", Object::Reference(content_id));
    dict.set("Resources", resources);
    let t = sheet.trim;
    dict.set("TrimBox", rect(t.x, t.y, t.width, t.height));
    dict.set("BleedBox", rect(0.0, 0.0, sheet.width, sheet.height));
    super::structure::finish_sheet(&mut lo, metadata)?;
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| PdfError::Internal(format!("save: {e}")))?;
    Ok(out)
}

/// Puts `cover` before the first page of `lo` (a finished book of `width` x `height` pages),
/// labelled "Cover" so that the book's own page numbers stay as printed.
pub(crate) fn prepend_page(
    lo: &mut lopdf::Document,
    width: f32,
    height: f32,
    cover: &Artwork,
) -> Result<(), PdfError> {
    let whole = Area {
        x: 0.0,
        y: 0.0,
        width,
        height,
    };
    let (drawing, image) = match &cover.data {
        ArtData::Svg(tree) => (Some(tree.as_ref()), None),
        _ => (None, Some((cover, whole))),
    };
    let sheet = Sheet {
        width,
        height,
        trim: whole,
        drawing,
        image,
    };
    let (content, resources) = sheet_content(lo, &sheet)?;
    let content_id = lo.add_object(Stream::new(Dictionary::new(), content));
    let pages_id = lo.catalog()?.get(b"Pages")?.as_reference()?;
    let page_id = lo.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Page".to_vec())),
        ("Parent", Object::Reference(pages_id)),
        ("MediaBox", rect(0.0, 0.0, width, height)),
        ("TrimBox", rect(0.0, 0.0, width, height)),
        ("Contents", Object::Reference(content_id)),
        ("Resources", resources),
    ]));
    let pages = lo.get_object_mut(pages_id)?.as_dict_mut()?;
    let mut kids = pages.get(b"Kids")?.as_array()?.clone();
    kids.insert(0, Object::Reference(page_id));
    let count = kids.len() as i64;
    pages.set("Kids", Object::Array(kids));
    pages.set("Count", Object::Integer(count));

    // The book's labels move one page on; the cover is "Cover".
    let catalog = lo.catalog_mut()?;
    let mut nums = vec![
        Object::Integer(0),
        Object::Dictionary(Dictionary::from_iter(vec![(
            "P",
            super::structure::text_string("Cover"),
        )])),
    ];
    let old = catalog
        .get(b"PageLabels")
        .and_then(Object::as_dict)
        .and_then(|d| d.get(b"Nums"))
        .and_then(Object::as_array)
        .cloned()
        .unwrap_or_else(|_| {
            vec![
                Object::Integer(0),
                Object::Dictionary(Dictionary::from_iter(vec![(
                    "S",
                    Object::Name(b"D".to_vec()),
                )])),
            ]
        });
    for pair in old.chunks(2) {
        if let [Object::Integer(i), label] = pair {
            nums.push(Object::Integer(i + 1));
            nums.push(label.clone());
        }
    }
    catalog.set(
        "PageLabels",
        Dictionary::from_iter(vec![("Nums", Object::Array(nums))]),
    );
    Ok(())
}

/// The content stream and the resources of a sheet.
fn sheet_content(
    lo: &mut lopdf::Document,
    sheet: &Sheet<'_>,
) -> Result<(Vec<u8>, Object), PdfError> {
    let mut out = Vec::new();
    let mut xobjects = Dictionary::new();
    if let Some(tree) = sheet.drawing {
        let size = tree.size();
        let (sx, sy) = (
            sheet.width / size.width().max(1e-3),
            sheet.height / size.height().max(1e-3),
        );
        // SVG's y runs down: flip once, then every path is written in the drawing's units.
        writeln!(
            out,
            "q {} 0 0 {} 0 {} cm",
            num(sx),
            num(-sy),
            num(sheet.height)
        )?;
        draw_group(tree.root(), &mut out)?;
        writeln!(out, "Q")?;
    }
    if let Some((art, area)) = sheet.image {
        let id = image_xobject(lo, art)?;
        xobjects.set("Cover", Object::Reference(id));
        // Fill the area, keeping the image's shape: scale to cover it, centre, clip.
        let scale = (area.width / art.width as f32).max(area.height / art.height as f32);
        let (w, h) = (art.width as f32 * scale, art.height as f32 * scale);
        let x = area.x + (area.width - w) / 2.0;
        let y = area.y + (area.height - h) / 2.0;
        writeln!(
            out,
            "q {} {} {} {} re W n {} 0 0 {} {} {} cm /Cover Do Q",
            num(area.x),
            num(area.y),
            num(area.width),
            num(area.height),
            num(w),
            num(h),
            num(x),
            num(y)
        )?;
    }
    let resources = Dictionary::from_iter(vec![("XObject", Object::Dictionary(xobjects))]);
    Ok((out, Object::Dictionary(resources)))
}

/// Every filled path of `group`, in the drawing's order, each with its own transform.
fn draw_group(group: &usvg::Group, out: &mut Vec<u8>) -> Result<(), PdfError> {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => draw_group(g, out)?,
            usvg::Node::Text(t) => draw_group(t.flattened(), out)?,
            usvg::Node::Path(p) => draw_path(p, out)?,
            // Cover drawings hold no images (the cover image is drawn apart).
            usvg::Node::Image(_) => {}
        }
    }
    Ok(())
}

fn draw_path(path: &usvg::Path, out: &mut Vec<u8>) -> Result<(), PdfError> {
    let Some(fill) = path.fill() else {
        return Ok(());
    };
    if !path.is_visible() {
        return Ok(());
    }
    let usvg::Paint::Color(c) = fill.paint() else {
        return Ok(());
    };
    let t = path.abs_transform();
    writeln!(
        out,
        "q {} {} {} {} {} {} cm {} {} {} rg",
        num(t.sx),
        num(t.ky),
        num(t.kx),
        num(t.sy),
        num(t.tx),
        num(t.ty),
        num(f32::from(c.red) / 255.0),
        num(f32::from(c.green) / 255.0),
        num(f32::from(c.blue) / 255.0)
    )?;
    let mut current = (0.0_f32, 0.0_f32);
    for segment in path.data().segments() {
        use resvg::tiny_skia::PathSegment as S;
        match segment {
            S::MoveTo(p) => {
                writeln!(out, "{} {} m", num(p.x), num(p.y))?;
                current = (p.x, p.y);
            }
            S::LineTo(p) => {
                writeln!(out, "{} {} l", num(p.x), num(p.y))?;
                current = (p.x, p.y);
            }
            S::QuadTo(c, p) => {
                // A quadratic is the cubic with control points 2/3 of the way to its own.
                let c1 = (
                    current.0 + (c.x - current.0) * 2.0 / 3.0,
                    current.1 + (c.y - current.1) * 2.0 / 3.0,
                );
                let c2 = (p.x + (c.x - p.x) * 2.0 / 3.0, p.y + (c.y - p.y) * 2.0 / 3.0);
                writeln!(
                    out,
                    "{} {} {} {} {} {} c",
                    num(c1.0),
                    num(c1.1),
                    num(c2.0),
                    num(c2.1),
                    num(p.x),
                    num(p.y)
                )?;
                current = (p.x, p.y);
            }
            S::CubicTo(c1, c2, p) => {
                writeln!(
                    out,
                    "{} {} {} {} {} {} c",
                    num(c1.x),
                    num(c1.y),
                    num(c2.x),
                    num(c2.y),
                    num(p.x),
                    num(p.y)
                )?;
                current = (p.x, p.y);
            }
            S::Close => writeln!(out, "h")?,
        }
    }
    let paint = match fill.rule() {
        usvg::FillRule::EvenOdd => "f*",
        usvg::FillRule::NonZero => "f",
    };
    writeln!(out, "{paint} Q")?;
    Ok(())
}

/// The image as an XObject: a JPEG as it is, other images as 8-bit samples with their alpha as
/// a soft mask.
fn image_xobject(lo: &mut lopdf::Document, art: &Artwork) -> Result<ObjectId, PdfError> {
    let dict = |space: &str| {
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Image".to_vec())),
            ("Width", Object::Integer(i64::from(art.width))),
            ("Height", Object::Integer(i64::from(art.height))),
            ("ColorSpace", Object::Name(space.as_bytes().to_vec())),
            ("BitsPerComponent", Object::Integer(8)),
        ])
    };
    let stream = match &art.data {
        ArtData::Jpeg {
            bytes,
            components,
            inverted,
        } => {
            let mut d = dict(match components {
                1 => "DeviceGray",
                4 => "DeviceCMYK",
                _ => "DeviceRGB",
            });
            d.set("Filter", Object::Name(b"DCTDecode".to_vec()));
            if *inverted {
                d.set(
                    "Decode",
                    Object::Array((0..8).map(|i| Object::Integer(1 - i % 2)).collect()),
                );
            }
            // Already compressed: kept as it is.
            Stream::new(d, bytes.as_ref().clone()).with_compression(false)
        }
        ArtData::Pixels {
            samples,
            gray,
            alpha,
        } => {
            // Kept zlib-compressed by `artwork`: stored as they are.
            let flate = |mut d: Dictionary| {
                d.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                d
            };
            let mut d = flate(dict(if *gray { "DeviceGray" } else { "DeviceRGB" }));
            if let Some(alpha) = alpha {
                let mask = Stream::new(flate(dict("DeviceGray")), alpha.as_ref().clone())
                    .with_compression(false);
                d.set("SMask", Object::Reference(lo.add_object(mask)));
            }
            Stream::new(d, samples.as_ref().clone()).with_compression(false)
        }
        ArtData::Svg(_) | ArtData::TooCostly(_) => {
            return Err(PdfError::Internal("a cover drawing is not an image".into()))
        }
    };
    Ok(lo.add_object(stream))
}

fn rect(x: f32, y: f32, w: f32, h: f32) -> Object {
    Object::Array([x, y, x + w, y + h].into_iter().map(Object::Real).collect())
}

/// A number for a content stream: at most 4 decimals, no trailing zeros.
fn num(v: f32) -> String {
    let s = format!("{:.4}", if v.abs() < 1e-5 { 0.0 } else { v });
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}
