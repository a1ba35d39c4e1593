//! Page content: typeset items -> PDF content streams.
//!
//! Text is nearly all of a book's content, so it is written here straight to content-stream
//! bytes, page by page in parallel, and compressed at a fast level: going through printpdf's
//! operations would allocate an object per glyph and compress at lopdf's slowest level.
//! Rules and images are handed to printpdf as operations; links are written here too, so that
//! a URI is stored once however many lines it spans. printpdf still writes
//! the fonts, and it takes their `/W` widths and `/ToUnicode` entries from the glyphs it sees
//! shown: a scratch page, removed afterwards, shows it every embedded glyph once.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    DictItem, Op, PaintMode, PdfFontHandle, PdfPage, Pt, TextItem, XObjectId, XObjectTransform,
};
use rayon::prelude::*;

use super::fonts::EmbeddedFace;
use super::PdfError;
use crate::fonts::FaceId;
use crate::typeset::document::{Document, GlyphRun, Item, LinkTarget, Page, Rect, Rgb};

/// TJ offsets are rounded to 1/100 of a text-space unit (1/100 000 em): the error is tracked
/// and corrected at the next glyph, so it never accumulates along a line.
const OFFSET_STEP: f64 = 100.0;
/// Deflate level of the content streams: level 3 costs a fraction of level 9 (lopdf's) for
/// streams about a fifth larger.
const CONTENT_COMPRESSION: u32 = 3;

/// printpdf's pages: the page boxes, rules and links of every page of `doc`, then the scratch
/// page that shows printpdf every embedded glyph (see [`install_text`]).
pub(crate) fn pages(
    doc: &Document,
    fonts: &BTreeMap<FaceId, EmbeddedFace>,
    images: &BTreeMap<usize, XObjectId>,
) -> Result<Vec<PdfPage>, PdfError> {
    let page_box = printpdf::Rect::from_wh(Pt(doc.width), Pt(doc.height));
    let page = |ops| PdfPage {
        media_box: page_box.clone(),
        trim_box: page_box.clone(),
        crop_box: page_box.clone(),
        ops,
    };
    let mut pages = doc
        .pages
        .iter()
        .map(|p| Ok(page(graphics_ops(p, images)?)))
        .collect::<Result<Vec<_>, PdfError>>()?;
    pages.push(page(glyph_usage_ops(fonts)));
    Ok(pages)
}

/// Everything on a page but its text, as printpdf operations.
fn graphics_ops(page: &Page, images: &BTreeMap<usize, XObjectId>) -> Result<Vec<Op>, PdfError> {
    let mut ops = Vec::new();
    for item in &page.items {
        match item {
            Item::Text(_) => {}
            Item::Rule {
                x,
                y,
                width,
                thickness,
            } => {
                // The rule is centred on `y`, as a line stroked at `y` would be.
                ops.push(Op::DrawRectangle {
                    rectangle: printpdf::Rect {
                        x: Pt(*x),
                        y: Pt(y - thickness / 2.0),
                        width: Pt(*width),
                        height: Pt(*thickness),
                        mode: Some(PaintMode::Fill),
                        winding_order: None,
                    },
                });
            }
            Item::Image { key, rect, alt } => {
                let id = images
                    .get(key)
                    .ok_or_else(|| PdfError::Internal(format!("image {key} has no XObject")))?;
                image_ops(&mut ops, id, rect, alt);
            }
        }
    }
    Ok(ops)
}

/// Every embedded glyph shown once with its text: printpdf writes `/W` and `/ToUnicode` for
/// exactly the glyphs it sees shown.
fn glyph_usage_ops(fonts: &BTreeMap<FaceId, EmbeddedFace>) -> Vec<Op> {
    let mut ops = vec![Op::StartTextSection];
    for face in fonts.values() {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(face.font_id.clone()),
            size: Pt(10.0),
        });
        let glyphs = face
            .glyphs()
            .map(|(gid, text)| printpdf::Codepoint {
                gid,
                offset: 0.0,
                cid: Some(text.to_owned()),
            })
            .collect();
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(glyphs)],
        });
    }
    ops.push(Op::EndTextSection);
    ops
}

/// Removes the scratch page from printpdf's document and gives every page its text: the
/// page's content stream becomes printpdf's operations (rules) followed by the text,
/// compressed. Pages are written in parallel; the bytes do not depend on the thread count.
pub(crate) fn install_text(
    lo: &mut lopdf::Document,
    doc: &Document,
    fonts: &BTreeMap<FaceId, EmbeddedFace>,
) -> Result<(), PdfError> {
    let mut pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let scratch = pages.pop();
    let (Some(scratch), true) = (scratch, pages.len() == doc.pages.len()) else {
        return Err(PdfError::Internal(format!(
            "printpdf wrote {} pages, expected {}",
            lo.get_pages().len(),
            doc.pages.len() + 1
        )));
    };
    remove_page(lo, scratch)?;
    install_links(lo, doc, &pages)?;

    // Take each page's stream out of the document, to be extended and compressed in parallel.
    let mut ids = Vec::with_capacity(pages.len());
    let mut streams = Vec::with_capacity(pages.len());
    for &page in &pages {
        let id = lo
            .get_page_contents(page)
            .first()
            .copied()
            .ok_or_else(|| PdfError::Internal("a page has no content stream".into()))?;
        match lo.get_object_mut(id)? {
            Object::Stream(s) => streams.push(std::mem::take(&mut s.content)),
            _ => return Err(PdfError::Internal("page contents are not a stream".into())),
        }
        ids.push(id);
    }
    crate::progress::writing_pdf(doc.pages.len());
    let written: Vec<Vec<u8>> = streams
        .into_par_iter()
        .zip(&doc.pages)
        .map(|(mut content, page)| {
            write_text(page, fonts, &mut content)?;
            crate::progress::page_written();
            compress(&content)
        })
        .collect::<Result<_, PdfError>>()?;
    for (id, bytes) in ids.into_iter().zip(written) {
        if let Object::Stream(s) = lo.get_object_mut(id)? {
            s.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            s.set_content(bytes);
        }
    }
    Ok(())
}

/// Unhooks a page from the page tree (lopdf's `delete_pages` leaves it in `/Kids`); the
/// objects only it used are pruned with the other orphans.
fn remove_page(lo: &mut lopdf::Document, page: ObjectId) -> Result<(), PdfError> {
    let parent = lo.get_dictionary(page)?.get(b"Parent")?.as_reference()?;
    let tree = lo.get_dictionary_mut(parent)?;
    let kids = tree.get_mut(b"Kids")?.as_array_mut()?;
    kids.retain(|k| k.as_reference().ok() != Some(page));
    let count = tree.get(b"Count")?.as_i64()?;
    tree.set("Count", Object::Integer(count - 1));
    lo.objects.remove(&page);
    Ok(())
}

fn compress(content: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut z = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(content.len() / 3),
        flate2::Compression::new(CONTENT_COMPRESSION),
    );
    z.write_all(content)
        .and_then(|_| z.finish())
        .map_err(|e| PdfError::Internal(format!("deflate: {e}")))
}

/// Appends the text of `page` to a content stream: one `Tm` and one `TJ` per glyph run, the
/// font set only when it changes.
fn write_text(
    page: &Page,
    fonts: &BTreeMap<FaceId, EmbeddedFace>,
    out: &mut Vec<u8>,
) -> Result<(), PdfError> {
    let mut in_text = false;
    let mut current: Option<(FaceId, f32)> = None;
    // The fill colour in force: the text comes after the page's graphics, which leave it black.
    let mut fill = Rgb::BLACK;
    for item in &page.items {
        let Item::Text(run) = item else { continue };
        if run.glyphs.is_empty() {
            continue;
        }
        if !(run.size.is_finite() && run.size > 0.0) {
            return Err(PdfError::InvalidRun(format!("font size {}", run.size)));
        }
        let face = fonts
            .get(&run.face)
            .ok_or_else(|| PdfError::InvalidRun(format!("face {:?} was not embedded", run.face)))?;
        if !in_text {
            if !out.is_empty() && !out.ends_with(b"\n") {
                out.push(b'\n');
            }
            out.extend_from_slice(b"BT\n");
            in_text = true;
        }
        if current != Some((run.face, run.size)) {
            writeln!(out, "/{} {} Tf", face.font_id.0, run.size)?;
            current = Some((run.face, run.size));
        }
        let colour = run.colour.unwrap_or(Rgb::BLACK);
        if colour != fill {
            let channel = |v: u8| f32::from(v) / 255.0;
            writeln!(
                out,
                "{} {} {} rg",
                channel(colour.r),
                channel(colour.g),
                channel(colour.b)
            )?;
            fill = colour;
        }
        writeln!(out, "1 0 0 1 {} {} Tm", run.x, run.y)?;
        show_glyphs(run, face, out)?;
    }
    if in_text {
        out.extend_from_slice(b"ET\n");
    }
    Ok(())
}

/// Draws an image XObject to fill `rect`, inside a marked-content span whose `/Alt` entry
/// (ISO 32000 14.9.3) carries the alt text for readers that look for it.
fn image_ops(ops: &mut Vec<Op>, id: &XObjectId, rect: &Rect, alt: &str) {
    ops.push(Op::BeginMarkedContentWithProperties {
        tag: "Span".into(),
        properties: DictItem::Dict {
            map: BTreeMap::from([("Alt".to_string(), super::images::text_string(alt))]),
        },
    });
    // The image space is the unit square: scale it to the rectangle, then move it there.
    ops.push(Op::UseXobject {
        id: id.clone(),
        transform: XObjectTransform {
            translate_x: Some(Pt(rect.x)),
            translate_y: Some(Pt(rect.y)),
            scale_x: Some(rect.width),
            scale_y: Some(rect.height),
            no_auto_scale: true,
            ..XObjectTransform::default()
        },
    });
    ops.push(Op::EndMarkedContent);
}

/// `[<gid gid> offset <gid> ...] TJ`: each glyph followed by the offset that moves the pen from
/// where the viewer puts it (after the `/W` width) to where the typesetter wants the next glyph;
/// glyphs with no offset between them share one string.
fn show_glyphs(run: &GlyphRun, face: &EmbeddedFace, out: &mut Vec<u8>) -> Result<(), PdfError> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";

    let scale = 1000.0 / f64::from(run.size);
    // Both in 1/1000 em from the run's origin: where the viewer's pen is, where it should be.
    let mut pen = 0.0f64;
    let mut target = 0.0f64;
    out.push(b'[');
    let mut open = false;
    for g in &run.glyphs {
        let gid = face.glyph(g.id).ok_or_else(|| {
            PdfError::InvalidRun(format!("glyph {} of {:?} was not embedded", g.id, run.face))
        })?;
        target += f64::from(g.advance) * scale;
        let width = face.width(gid);
        let wanted = pen + width - target;
        let offset = ((wanted * OFFSET_STEP).round() / OFFSET_STEP) as f32;
        pen += width - f64::from(offset);
        let [hi, lo] = gid.to_be_bytes();
        if !open {
            out.push(b'<');
            open = true;
        }
        out.extend_from_slice(&[
            HEX[usize::from(hi >> 4)],
            HEX[usize::from(hi & 15)],
            HEX[usize::from(lo >> 4)],
            HEX[usize::from(lo & 15)],
        ]);
        if offset != 0.0 {
            write!(out, ">{offset}")?;
            open = false;
        }
    }
    if open {
        out.push(b'>');
    }
    out.extend_from_slice(b"]TJ\n");
    Ok(())
}

/// Every page's links as annotations. A URI's action is one object that every annotation of
/// the link points to: a link broken over many lines is an annotation per line, and with the
/// URI in each, a 160 KB URL over 2,600 lines made a 420 MB PDF.
fn install_links(
    lo: &mut lopdf::Document,
    doc: &Document,
    pages: &[ObjectId],
) -> Result<(), PdfError> {
    let mut actions: HashMap<&str, ObjectId> = HashMap::new();
    for (page, &page_id) in doc.pages.iter().zip(pages) {
        if page.links.is_empty() {
            continue;
        }
        let mut annots = Vec::with_capacity(page.links.len());
        for link in &page.links {
            let action = match &link.target {
                LinkTarget::Uri(uri) => {
                    let id = *actions.entry(&**uri).or_insert_with(|| {
                        let mut action = Dictionary::new();
                        action.set("S", Object::Name(b"URI".to_vec()));
                        let uri = Object::String(uri.as_bytes().to_vec(), StringFormat::Literal);
                        action.set("URI", uri);
                        lo.add_object(action)
                    });
                    Object::Reference(id)
                }
                LinkTarget::Position(pos) => {
                    let &target = pages.get(pos.page).ok_or(PdfError::BadTarget {
                        what: "link".into(),
                        page: pos.page,
                        pages: pages.len(),
                    })?;
                    let mut action = Dictionary::new();
                    action.set("S", Object::Name(b"GoTo".to_vec()));
                    let dest = vec![
                        Object::Reference(target),
                        Object::Name(b"XYZ".to_vec()),
                        Object::Real(0.0),
                        Object::Real(pos.y),
                        Object::Null,
                    ];
                    action.set("D", Object::Array(dest));
                    Object::Dictionary(action)
                }
            };
            annots.push(Object::Dictionary(link_annotation(&link.rect, action)));
        }
        lo.get_object_mut(page_id)?
            .as_dict_mut()?
            .set("Annots", Object::Array(annots));
    }
    Ok(())
}

/// A link annotation over `r`, with no border and no colour (readers otherwise draw a cyan
/// box around links).
fn link_annotation(r: &Rect, action: Object) -> Dictionary {
    let real = |v: f32| Object::Real(v);
    let mut annot = Dictionary::new();
    annot.set("Type", Object::Name(b"Annot".to_vec()));
    annot.set("Subtype", Object::Name(b"Link".to_vec()));
    let rect = [r.x, r.y, r.x + r.width, r.y + r.height].map(real).to_vec();
    annot.set("Rect", Object::Array(rect));
    annot.set("A", action);
    annot.set("Border", Object::Array([0.0, 0.0, 0.0].map(real).to_vec()));
    annot.set("C", Object::Array(Vec::new()));
    annot
}
