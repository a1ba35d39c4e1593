//! Font subsetting and embedding.
//!
//! printpdf 0.12.8 without `text_layout` embeds whole font files, and the bundled faces are
//! hundreds of kilobytes each. So we subset them ourselves with `subsetter` and hand printpdf the
//! subset: it then writes the Type0/Identity-H font, its `/W` widths and `/ToUnicode` from the
//! subset's own tables, and the content stream addresses glyphs by their subset ids.
//!
//! `subsetter` turns every CFF font into a CID-keyed one with an identity charset (CID == new
//! glyph id), so printpdf's CID-keyed-CFF path (bare `CFF ` table as `/FontFile3`
//! `/CIDFontType0C`) and its glyph-id codes agree. TrueType subsets go in as `/FontFile2`.

use std::collections::BTreeMap;

use printpdf::{FontId, ParsedFont, PdfDocument};
use subsetter::GlyphRemapper;

use super::hash::Fnv;
use super::PdfError;
use crate::fonts::{Face, FaceId};
use crate::typeset::document::{Document, Item};

/// One face as embedded: its printpdf id and how original glyph ids map into the subset.
#[derive(Clone)]
pub(crate) struct EmbeddedFace {
    pub font_id: FontId,
    /// Original glyph id -> subset glyph id (looked up for every glyph drawn: a vector).
    remap: Vec<Option<u16>>,
    /// Subset glyph id -> the text it stands for (one per glyph: ToUnicode is per code).
    texts: BTreeMap<u16, String>,
    /// Subset glyph id -> advance as printpdf writes it in `/W` (1/1000 em, truncated).
    widths: Vec<f64>,
}

impl EmbeddedFace {
    /// The subset glyph id of an original glyph id.
    pub fn glyph(&self, original: u16) -> Option<u16> {
        self.remap.get(usize::from(original)).copied().flatten()
    }

    /// The width the viewer advances by after this glyph, in 1/1000 em.
    pub fn width(&self, gid: u16) -> f64 {
        self.widths.get(usize::from(gid)).copied().unwrap_or(0.0)
    }

    /// Every subset glyph with the text recorded in ToUnicode for it (empty for pure
    /// continuation glyphs), in glyph id order.
    pub fn glyphs(&self) -> impl Iterator<Item = (u16, &str)> {
        self.texts.iter().map(|(&gid, text)| (gid, text.as_str()))
    }
}

/// Subsets every face the document uses and registers it with `pdf`, in `FaceId` order so
/// that resource names and object order are the same on every run.
pub(crate) fn embed_fonts(
    doc: &Document,
    pdf: &mut PdfDocument,
) -> Result<BTreeMap<FaceId, EmbeddedFace>, PdfError> {
    // Faces that draw with one file (a style the author's family lacks is set in the face
    // they gave) are embedded once, under the first id of that file.
    let canonical: BTreeMap<FaceId, FaceId> = doc
        .fonts
        .ids()
        .map(|id| {
            let file = &doc.fonts.face(id).file_name;
            let first = doc
                .fonts
                .ids()
                .find(|other| doc.fonts.face(*other).file_name == *file)
                .unwrap_or(id);
            (id, first)
        })
        .collect();
    let canonical = |id: FaceId| canonical.get(&id).copied().unwrap_or(id);
    // Face -> original glyph id -> text. The first non-empty text wins: a glyph seen first as
    // the tail of a cluster may still stand for text elsewhere. Indexed by glyph id, as this
    // visits every glyph of the book.
    let mut used: BTreeMap<FaceId, Vec<Option<&str>>> = BTreeMap::new();
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                let glyphs = used.entry(canonical(run.face)).or_default();
                for g in &run.glyphs {
                    let id = usize::from(g.id);
                    if glyphs.len() <= id {
                        glyphs.resize(id + 1, None);
                    }
                    let text = &mut glyphs[id];
                    if text.is_none_or(str::is_empty) {
                        *text = Some(g.text.as_str());
                    }
                }
            }
        }
    }
    let used = used.into_iter().map(|(face, glyphs)| {
        let glyphs: BTreeMap<u16, String> = glyphs
            .into_iter()
            .enumerate()
            .filter_map(|(id, text)| Some((u16::try_from(id).ok()?, text?.to_string())))
            .collect();
        (face, glyphs)
    });

    let mut embedded = BTreeMap::new();
    for (index, (face_id, glyphs)) in used.into_iter().enumerate() {
        let face = embed_face(doc.fonts.face(face_id), index, &glyphs, pdf)?;
        embedded.insert(face_id, face);
    }
    // Every face id, pointing at its file's embedding.
    let mut out = BTreeMap::new();
    for id in doc.fonts.ids() {
        if let Some(face) = embedded.get(&canonical(id)) {
            out.insert(id, face.clone());
        }
    }
    Ok(out)
}

fn embed_face(
    face: &Face,
    index: usize,
    glyphs: &BTreeMap<u16, String>,
    pdf: &mut PdfDocument,
) -> Result<EmbeddedFace, PdfError> {
    let font_err = |reason: String| PdfError::Font {
        file: face.file_name.clone(),
        reason,
    };
    let original =
        ttf_parser::Face::parse(&face.data, 0).map_err(|e| font_err(format!("parse: {e}")))?;
    if let Some(&bad) = glyphs.keys().find(|&&g| g >= original.number_of_glyphs()) {
        return Err(font_err(format!("glyph id {bad} is not in the font")));
    }

    // Sorted ids keep the subset (and so the output) independent of page order.
    let ids: Vec<u16> = glyphs.keys().copied().collect();
    let remapper = GlyphRemapper::new_from_glyphs_sorted(&ids);
    let subset = subsetter::subset(&face.data, 0, &remapper)
        .map_err(|e| font_err(format!("subset: {e}")))?;

    let mut warnings = Vec::new();
    let mut parsed = ParsedFont::from_bytes(&subset, 0, &mut warnings)
        .ok_or_else(|| font_err("printpdf cannot parse the subset".into()))?;
    // The subset has no OS/2 table and no name printpdf reads: restore the weight (for
    // /StemV) and give the font its `ABCDEF+PostScriptName`, which printpdf writes as
    // /BaseFont and /FontName.
    parsed.pdf_font_metrics.us_weight_class = original.weight().to_number();
    parsed.font_name = Some(format!(
        "{}+{}",
        subset_tag(&face.file_name, &ids),
        postscript_name(&original).unwrap_or_else(|| fallback_name(&face.file_name))
    ));

    let mut remap = vec![None; usize::from(original.number_of_glyphs())];
    let mut texts = BTreeMap::new();
    let mut widths = vec![0.0; glyphs.len()];
    let upm = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
    for (&old, text) in glyphs {
        let new = remapper
            .get(old)
            .ok_or_else(|| font_err(format!("glyph {old} missing from subset")))?;
        remap[usize::from(old)] = Some(new);
        texts.insert(new, text.clone());
        // Exactly printpdf's `get_scaled_glyph_width` (f32, truncated), so our offsets are
        // computed against the very numbers written to /W.
        let raw = parsed.get_glyph_width(new).unwrap_or(0);
        if widths.len() <= usize::from(new) {
            widths.resize(usize::from(new) + 1, 0.0);
        }
        widths[usize::from(new)] = (f32::from(raw) * 1000.0 / upm) as i64 as f64;
    }

    // Fixed resource names: printpdf's `add_font` uses random ids, which would reorder the
    // font objects from run to run.
    let font_id = FontId(format!("F{index}"));
    pdf.resources
        .fonts
        .map
        .insert(font_id.clone(), printpdf::PdfFont::new(parsed));

    Ok(EmbeddedFace {
        font_id,
        remap,
        texts,
        widths,
    })
}

/// Six capital letters derived from the face and its glyph set (ISO 32000-1, 9.6.4), the same
/// for the same subset on every run.
fn subset_tag(file_name: &str, ids: &[u16]) -> String {
    let mut h = Fnv::new();
    h.write(file_name.as_bytes());
    for id in ids {
        h.write(&id.to_be_bytes());
    }
    let mut n = h.finish();
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (n % 26) as u8);
            n /= 26;
            c
        })
        .collect()
}

fn postscript_name(face: &ttf_parser::Face) -> Option<String> {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .map(|s| sanitize_name(&s))
        .filter(|s| !s.is_empty())
}

fn fallback_name(file_name: &str) -> String {
    sanitize_name(
        file_name
            .rsplit_once('.')
            .map_or(file_name, |(stem, _)| stem),
    )
}

/// PostScript names are printable ASCII without delimiters; keep them so as a PDF name.
fn sanitize_name(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_graphic() && !"[](){}<>/%#".contains(*c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_is_six_capitals_and_stable() {
        let a = subset_tag("x.otf", &[1, 2, 3]);
        assert_eq!(a.len(), 6);
        assert!(a.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(a, subset_tag("x.otf", &[1, 2, 3]));
        assert_ne!(a, subset_tag("x.otf", &[1, 2, 4]));
    }
}
