//! Page content: typeset items -> printpdf operations.

use std::collections::BTreeMap;

use printpdf::{
    Actions, BorderArray, ColorArray, Destination, DictItem, LinkAnnotation, Op, PaintMode,
    PdfFontHandle, PdfPage, Pt, TextItem, TextMatrix, XObjectId, XObjectTransform,
};

use super::fonts::EmbeddedFace;
use super::PdfError;
use crate::fonts::FaceId;
use crate::typeset::document::{Document, GlyphRun, Item, Link, LinkTarget, Page, Rect};

/// TJ offsets are rounded to 1/100 of a text-space unit (1/100 000 em): the error is tracked
/// and corrected at the next glyph, so it never accumulates along a line.
const OFFSET_STEP: f64 = 100.0;

/// Builds every page of `doc`.
pub(crate) fn pages(
    doc: &Document,
    fonts: &BTreeMap<FaceId, EmbeddedFace>,
    images: &BTreeMap<usize, XObjectId>,
) -> Result<Vec<PdfPage>, PdfError> {
    let page_box = printpdf::Rect::from_wh(Pt(doc.width), Pt(doc.height));
    doc.pages
        .iter()
        .map(|page| {
            Ok(PdfPage {
                media_box: page_box.clone(),
                trim_box: page_box.clone(),
                crop_box: page_box.clone(),
                ops: page_ops(page, doc.pages.len(), fonts, images)?,
            })
        })
        .collect()
}

fn page_ops(
    page: &Page,
    page_count: usize,
    fonts: &BTreeMap<FaceId, EmbeddedFace>,
    images: &BTreeMap<usize, XObjectId>,
) -> Result<Vec<Op>, PdfError> {
    let mut ops = Vec::new();
    let mut in_text = false;
    // The font printpdf last selected in this text object, to skip redundant `Tf`.
    let mut current: Option<(FaceId, f32)> = None;
    for item in &page.items {
        match item {
            Item::Text(run) => {
                if run.glyphs.is_empty() {
                    continue;
                }
                if !(run.size.is_finite() && run.size > 0.0) {
                    return Err(PdfError::InvalidRun(format!("font size {}", run.size)));
                }
                let face = fonts.get(&run.face).ok_or_else(|| {
                    PdfError::InvalidRun(format!("face {:?} was not embedded", run.face))
                })?;
                if !in_text {
                    ops.push(Op::StartTextSection);
                    in_text = true;
                    current = None;
                }
                if current != Some((run.face, run.size)) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(face.font_id.clone()),
                        size: Pt(run.size),
                    });
                    current = Some((run.face, run.size));
                }
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(run.x), Pt(run.y)),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::GlyphIds(glyphs(run, face)?)],
                });
            }
            Item::Rule {
                x,
                y,
                width,
                thickness,
            } => {
                if in_text {
                    ops.push(Op::EndTextSection);
                    in_text = false;
                }
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
                if in_text {
                    ops.push(Op::EndTextSection);
                    in_text = false;
                }
                let id = images
                    .get(key)
                    .ok_or_else(|| PdfError::Internal(format!("image {key} has no XObject")))?;
                image_ops(&mut ops, id, rect, alt);
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    for link in &page.links {
        ops.push(link_op(link, page_count)?);
    }
    Ok(ops)
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

/// The glyphs of a run, each followed by the TJ offset that moves the pen from where the
/// viewer puts it (after the `/W` width) to where the typesetter wants the next glyph.
fn glyphs(run: &GlyphRun, face: &EmbeddedFace) -> Result<Vec<printpdf::Codepoint>, PdfError> {
    let scale = 1000.0 / f64::from(run.size);
    // Both in 1/1000 em from the run's origin: where the viewer's pen is, where it should be.
    let mut pen = 0.0f64;
    let mut target = 0.0f64;
    run.glyphs
        .iter()
        .map(|g| {
            let gid = face.glyph(g.id).ok_or_else(|| {
                PdfError::InvalidRun(format!("glyph {} of {:?} was not embedded", g.id, run.face))
            })?;
            target += f64::from(g.advance) * scale;
            let wanted = pen + face.width(gid) - target;
            let offset = ((wanted * OFFSET_STEP).round() / OFFSET_STEP) as f32;
            pen += face.width(gid) - f64::from(offset);
            Ok(printpdf::Codepoint {
                gid,
                offset,
                cid: Some(face.text(gid).to_owned()),
            })
        })
        .collect()
}

fn link_op(link: &Link, page_count: usize) -> Result<Op, PdfError> {
    let actions = match &link.target {
        LinkTarget::Uri(uri) => Actions::uri(uri.clone()),
        LinkTarget::Position(pos) => {
            if pos.page >= page_count {
                return Err(PdfError::BadTarget {
                    what: "link".into(),
                    page: pos.page,
                    pages: page_count,
                });
            }
            // printpdf counts destination pages from 1.
            Actions::go_to(Destination::Xyz {
                page: pos.page + 1,
                left: Some(0.0),
                top: Some(pos.y),
                zoom: None,
            })
        }
    };
    let r = &link.rect;
    Ok(Op::LinkAnnotation {
        link: LinkAnnotation::new(
            printpdf::Rect::from_xywh(Pt(r.x), Pt(r.y), Pt(r.width), Pt(r.height)),
            actions,
            // No border and no colour: readers otherwise draw a cyan box around links.
            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
            Some(ColorArray::Transparent),
            None,
        ),
    })
}
