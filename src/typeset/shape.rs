//! Text -> glyphs with harfrust (kerning and standard ligatures are the font's defaults).
//!
//! Shaping is done word by word and cached per (face, features, word): running text repeats
//! few distinct words, so each one is shaped once per chapter.

use std::ops::Range;
use std::sync::Arc;

use harfrust::{Buffer, Direction, Feature, Script, ShapeOptions, ShapePlan, ShaperFont, Tag};
use rustc_hash::FxHashMap;

use super::document::GlyphText;
use super::fonts::FontSet;
use crate::fonts::FaceId;

/// OpenType features beyond the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Features {
    /// `smcp`: lower case as small capitals (running heads).
    pub small_caps: bool,
}

/// A glyph in font units, before scaling to a size.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedGlyph {
    pub id: u16,
    /// Advance in font units, kerning included.
    pub advance: i32,
    /// Byte offset of the glyph's cluster in the shaped text.
    pub cluster: u32,
    /// The cluster's text on its first glyph, empty on the others.
    pub text: GlyphText,
}

/// Shaped words of one face and feature set. Fx hashing: a lookup per word of the book, keyed
/// by short strings that come from the book, not from an adversary.
type WordCache = FxHashMap<String, Arc<[ShapedGlyph]>>;

/// Shapes text; owns a cache, so use one per chapter (or per thread).
pub struct Shaper<'a> {
    fonts: &'a FontSet,
    shapers: Vec<ShaperFont<'a, 'a>>,
    cache: FxHashMap<(FaceId, Features), WordCache>,
    /// Compiled shape plans: building one costs more than shaping a word with it.
    plans: Vec<(PlanKey, ShapePlan)>,
}

type PlanKey = (FaceId, Features, Direction, Option<Script>);

impl<'a> Shaper<'a> {
    pub fn new(fonts: &'a FontSet) -> Shaper<'a> {
        let shapers = fonts
            .faces()
            .iter()
            .map(|f| ShaperFont::new(&f.font))
            .collect();
        Shaper {
            fonts,
            shapers,
            cache: FxHashMap::default(),
            plans: Vec::new(),
        }
    }

    pub fn fonts(&self) -> &'a FontSet {
        self.fonts
    }

    /// The glyphs of `text` (one word, or any short run), from the cache when possible.
    pub fn shape(&mut self, face: FaceId, features: Features, text: &str) -> Arc<[ShapedGlyph]> {
        let per_face = self.cache.entry((face, features)).or_default();
        if let Some(hit) = per_face.get(text) {
            return hit.clone();
        }
        let index = self.fonts.index(face);
        let glyphs: Arc<[ShapedGlyph]> = shape_uncached(
            &self.shapers[index],
            &self.fonts.faces()[index].font,
            &mut self.plans,
            face,
            features,
            text,
        )
        .into();
        per_face.insert(text.to_string(), glyphs.clone());
        glyphs
    }
}

/// A piece of text drawn by one face.
#[derive(Debug, Clone)]
pub struct Piece {
    pub face: FaceId,
    /// Byte range of the piece in the text given; glyph clusters are relative to its start.
    pub range: Range<usize>,
    pub glyphs: Arc<[ShapedGlyph]>,
    /// Right-to-left script: the glyphs are in visual order, the first drawn last in reading.
    pub rtl: bool,
}

impl Shaper<'_> {
    /// `text` shaped in `face`, and where `face` has no glyph for a character, in the first
    /// face of its fallback chain that has one (itemised by coverage: each piece is one face's
    /// run). Right-to-left letters are pieces of their own, shaped right to left, so that
    /// punctuation beside them keeps the direction of the line. A character no face has stays
    /// in `face`, as .notdef.
    pub fn shape_pieces(&mut self, face: FaceId, features: Features, text: &str) -> Vec<Piece> {
        let glyphs = self.shape(face, features, text);
        let joins = |c: char| is_mark(c) || crate::fonts::ignorable(c);
        let rtl = text.chars().any(is_rtl);
        let mixed = rtl && text.chars().any(|c| !is_rtl(c) && !joins(c));
        if !mixed && glyphs.iter().all(|g| g.id != 0) {
            return vec![Piece {
                face,
                range: 0..text.len(),
                rtl,
                glyphs,
            }];
        }
        let fonts = self.fonts;
        let mut runs: Vec<(FaceId, bool, Range<usize>)> = Vec::new();
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            // Marks and invisible characters stay with the letter before when its face has them.
            let previous = runs.last().map(|r| (r.0, r.1));
            let (chosen, rtl) = match previous {
                Some((p, rtl)) if joins(c) && (fonts.has(p, c) || !is_mark(c)) => (p, rtl),
                _ => (
                    fonts
                        .chain(face)
                        .iter()
                        .copied()
                        .find(|&f| fonts.has(f, c))
                        .unwrap_or(face),
                    is_rtl(c),
                ),
            };
            match runs.last_mut() {
                Some((f, r, range)) if *f == chosen && *r == rtl => range.end = end,
                _ => runs.push((chosen, rtl, i..end)),
            }
        }
        runs.into_iter()
            .map(|(f, rtl, range)| Piece {
                face: f,
                glyphs: self.shape(f, features, &text[range.clone()]),
                rtl,
                range,
            })
            .collect()
    }
}

/// Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and their
/// presentation forms).
pub fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}' | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
        && !matches!(c, '\u{0591}'..='\u{05BD}' | '\u{05BF}' | '\u{05C1}'..='\u{05C2}' | '\u{05C4}'..='\u{05C5}' | '\u{05C7}')
}

/// Combining marks that must stay in the face of the letter they sit on.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05BD}' | '\u{05BF}' | '\u{05C1}'..='\u{05C2}' | '\u{05C4}'..='\u{05C5}' | '\u{05C7}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn shape_uncached(
    font: &ShaperFont<'_, '_>,
    face_font: &harfrust::Font,
    plans: &mut Vec<(PlanKey, ShapePlan)>,
    face: FaceId,
    features: Features,
    text: &str,
) -> Vec<ShapedGlyph> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut buffer = Buffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let extra = [Feature::new(Tag::new(b"smcp"), 1, ..)];
    let feats: &[Feature] = if features.small_caps { &extra } else { &[] };
    let key: PlanKey = (face, features, buffer.direction(), buffer.script());
    let plan = match plans.iter().position(|(k, _)| *k == key) {
        Some(i) => i,
        None if buffer.direction() != Direction::Invalid => {
            let plan = ShapePlan::new(face_font, key.2, key.3, buffer.language(), feats);
            plans.push((key, plan));
            plans.len() - 1
        }
        None => return notdef_fallback(text),
    };
    let options = ShapeOptions::new()
        .features(feats)
        .plan(Some(&plans[plan].1));
    if harfrust::shape(font, &mut buffer, options).is_err() {
        return notdef_fallback(text);
    }
    let infos = buffer.glyph_infos();
    let positions = buffer.glyph_positions();
    // Cluster starts in ascending order, to find where each cluster's text ends.
    let mut starts: Vec<u32> = infos.iter().map(|i| i.cluster).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut out = Vec::with_capacity(infos.len());
    let mut previous: Option<u32> = None;
    for (info, pos) in infos.iter().zip(positions) {
        let start = info.cluster;
        let text_of_cluster: GlyphText = if previous == Some(start) {
            GlyphText::default()
        } else {
            // The next cluster start: a binary search, as a long word is one run of
            // thousands of clusters.
            let next = starts.partition_point(|&s| s <= start);
            let end = starts.get(next).copied().unwrap_or(text.len() as u32);
            text.get(start as usize..end as usize).unwrap_or("").into()
        };
        previous = Some(start);
        out.push(ShapedGlyph {
            id: u16::try_from(info.glyph_id).unwrap_or(0),
            advance: pos.x_advance,
            cluster: start,
            text: text_of_cluster,
        });
    }
    out
}

/// If shaping fails (it should not with the bundled fonts), keep the text on .notdef glyphs.
fn notdef_fallback(text: &str) -> Vec<ShapedGlyph> {
    text.char_indices()
        .map(|(i, c)| ShapedGlyph {
            id: 0,
            advance: 500,
            cluster: i as u32,
            text: c.to_string().into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::Style;

    fn shaper_test<R>(f: impl FnOnce(&mut Shaper) -> R) -> R {
        let fonts = FontSet::load().expect("fonts");
        let mut s = Shaper::new(&fonts);
        f(&mut s)
    }

    #[test]
    fn fi_is_one_ligature_glyph_carrying_both_letters() {
        shaper_test(|s| {
            let g = s.shape(FaceId::Serif(Style::Regular), Features::default(), "fit");
            assert_eq!(g.len(), 2, "{g:?}");
            assert_eq!(g[0].text, "fi");
            assert_eq!(g[1].text, "t");
        });
    }

    #[test]
    fn kerning_changes_an_advance() {
        shaper_test(|s| {
            let face = FaceId::Serif(Style::Regular);
            let a_alone = s.shape(face, Features::default(), "A")[0].advance;
            let av = s.shape(face, Features::default(), "AV");
            assert_ne!(av[0].advance, a_alone, "no kerning between A and V");
        });
    }

    #[test]
    fn missing_characters_become_notdef_and_keep_their_text() {
        shaper_test(|s| {
            let g = s.shape(
                FaceId::Serif(Style::Regular),
                Features::default(),
                "a\u{1F600}b",
            );
            assert_eq!(g.len(), 3);
            assert_eq!(g[1].id, 0);
            assert_eq!(g[1].text, "\u{1F600}");
        });
    }

    #[test]
    fn hebrew_in_bold_italic_falls_back_to_a_face_that_has_it_and_is_set_right_to_left() {
        shaper_test(|s| {
            let italic = FaceId::Serif(Style::BoldItalic);
            let pieces = s.shape_pieces(italic, Features::default(), "(שלום)");
            assert_eq!(pieces.len(), 3, "{pieces:?}");
            assert_eq!(pieces[0].face, italic);
            assert_ne!(pieces[1].face, italic);
            assert!(pieces[1].rtl && !pieces[0].rtl);
            assert!(pieces.iter().all(|p| p.glyphs.iter().all(|g| g.id != 0)));
            // Visual order: the last letter (final mem) is drawn first.
            assert_eq!(pieces[1].glyphs[0].text, "ם");
            let regular =
                s.shape_pieces(FaceId::Serif(Style::Regular), Features::default(), "שלום");
            assert_eq!(regular.len(), 1);
            assert_eq!(regular[0].face, FaceId::Serif(Style::Regular));
        });
    }

    #[test]
    fn a_character_no_face_has_stays_notdef_in_the_face_asked_for() {
        shaper_test(|s| {
            let face = FaceId::Serif(Style::Regular);
            let pieces = s.shape_pieces(face, Features::default(), "a中b");
            assert_eq!(pieces.len(), 1);
            assert_eq!(pieces[0].face, face);
            assert_eq!(pieces[0].glyphs[1].id, 0);
        });
    }

    #[test]
    fn cache_returns_the_same_glyphs() {
        shaper_test(|s| {
            let f = FaceId::Mono;
            let a = s.shape(f, Features::default(), "word");
            let b = s.shape(f, Features::default(), "word");
            assert!(Arc::ptr_eq(&a, &b));
        });
    }
}
