//! Image XObjects: each image the pages show, stored once however often it is drawn.
//!
//! - JPEG: the file's bytes unchanged, `/DCTDecode` (no re-encoding, no loss);
//! - PNG and GIF: 8-bit grey or RGB samples, Flate-compressed as `artwork` keeps them, with
//!   the alpha channel as an `/SMask` when any pixel is not opaque;
//! - SVG: rasterised at [`PRINT_DPI`] of the largest size it is printed at, alpha as an
//!   `/SMask`.
//!
//! printpdf's own image path decodes and re-encodes; an "external" XObject carries our
//! dictionary and bytes as they are.

use std::collections::BTreeMap;

use printpdf::{DictItem, ExternalStream, ExternalXObject, PdfDocument, XObject, XObjectId};

use super::PdfError;
use crate::artwork::svg::{rasterise, PRINT_DPI};
use crate::artwork::{deflate, ArtData, Artwork};
use crate::typeset::document::{Document, Item};

/// Adds an XObject for every image drawn in `doc`; returns its name by image key.
pub(crate) fn embed_images(
    doc: &Document,
    pdf: &mut PdfDocument,
) -> Result<BTreeMap<usize, XObjectId>, PdfError> {
    // The largest size each image is drawn at (an SVG is rasterised for it).
    let mut used: BTreeMap<usize, (f32, f32)> = BTreeMap::new();
    for item in doc.pages.iter().flat_map(|p| &p.items) {
        if let Item::Image { key, rect, .. } = item {
            let size = used.entry(*key).or_insert((0.0, 0.0));
            size.0 = size.0.max(rect.width);
            size.1 = size.1.max(rect.height);
        }
    }
    let mut names = BTreeMap::new();
    for (n, (&key, &(width, height))) in used.iter().enumerate() {
        let art = doc
            .art
            .get(key)
            .ok_or_else(|| PdfError::Internal(format!("image {key} was not loaded")))?;
        let stream = image_stream(art, width, height)?;
        // Names follow the order of the images in the book: the same book, the same file.
        let id = XObjectId(format!("Im{}", n + 1));
        pdf.resources.xobjects.map.insert(
            id.clone(),
            XObject::External(ExternalXObject {
                stream,
                width: None,
                height: None,
                dpi: None,
            }),
        );
        names.insert(key, id);
    }
    Ok(names)
}

fn image_stream(art: &Artwork, width_pt: f32, height_pt: f32) -> Result<ExternalStream, PdfError> {
    match &art.data {
        ArtData::Jpeg {
            bytes,
            components,
            inverted,
        } => {
            let space = match components {
                1 => "DeviceGray",
                4 => "DeviceCMYK",
                _ => "DeviceRGB",
            };
            let mut dict = image_dict(art.width, art.height, space);
            dict.insert("Filter".into(), name("DCTDecode"));
            if *inverted {
                dict.insert(
                    "Decode".into(),
                    DictItem::Array((0..8).map(|i| DictItem::Int(1 - i % 2)).collect()),
                );
            }
            Ok(ExternalStream {
                dict,
                content: bytes.as_ref().clone(),
                // Already compressed; the bytes must reach the file as they are.
                compress: false,
            })
        }
        ArtData::Pixels {
            samples,
            gray,
            alpha,
        } => Ok(pixels_stream(
            art.width,
            art.height,
            samples.as_ref().clone(),
            *gray,
            alpha.as_deref().cloned(),
        )),
        // Never placed on a page: the typesetter set its alt text.
        ArtData::TooCostly(why) => Err(PdfError::Internal(format!("{}: {why}", art.name))),
        // Rasterised, compressed at once and the pixels let go: one image's pixels at a time.
        ArtData::Svg(tree) => {
            let px = |pt: f32| ((pt / 72.0 * PRINT_DPI).ceil() as u32).max(1);
            let (w, h) = (px(width_pt), px(height_pt));
            let (samples, alpha) = rasterise(tree, w, h).ok_or_else(|| {
                PdfError::Internal(format!("{}: cannot rasterise at {w} x {h}", art.name))
            })?;
            Ok(pixels_stream(
                w,
                h,
                deflate(&samples),
                false,
                alpha.map(|a| deflate(&a)),
            ))
        }
    }
}

/// An image of zlib-compressed samples (and alpha), stored as they are.
fn pixels_stream(
    width: u32,
    height: u32,
    samples: Vec<u8>,
    gray: bool,
    alpha: Option<Vec<u8>>,
) -> ExternalStream {
    let flate = |mut dict: BTreeMap<String, DictItem>| {
        dict.insert("Filter".into(), name("FlateDecode"));
        dict
    };
    let mut dict = flate(image_dict(
        width,
        height,
        if gray { "DeviceGray" } else { "DeviceRGB" },
    ));
    if let Some(alpha) = alpha {
        dict.insert(
            "SMask".into(),
            DictItem::Stream {
                stream: ExternalStream {
                    dict: flate(image_dict(width, height, "DeviceGray")),
                    content: alpha,
                    compress: false,
                },
            },
        );
    }
    ExternalStream {
        dict,
        content: samples,
        compress: false,
    }
}

fn image_dict(width: u32, height: u32, space: &str) -> BTreeMap<String, DictItem> {
    BTreeMap::from([
        ("Type".into(), name("XObject")),
        ("Subtype".into(), name("Image")),
        ("Width".into(), DictItem::Int(i64::from(width))),
        ("Height".into(), DictItem::Int(i64::from(height))),
        ("ColorSpace".into(), name(space)),
        ("BitsPerComponent".into(), DictItem::Int(8)),
    ])
}

fn name(n: &str) -> DictItem {
    DictItem::Name(n.as_bytes().to_vec())
}

/// A PDF text string: PDFDocEncoding (as ASCII) when it can be, else UTF-16BE with a BOM.
pub(crate) fn text_string(text: &str) -> DictItem {
    if text.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        return DictItem::String {
            data: text.as_bytes().to_vec(),
            literal: true,
        };
    }
    let mut data = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        data.extend_from_slice(&unit.to_be_bytes());
    }
    DictItem::String {
        data,
        literal: false,
    }
}
