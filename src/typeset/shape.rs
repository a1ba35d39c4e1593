//! Text -> glyphs with harfrust (kerning and standard ligatures are the font's defaults).
//!
//! Shaping is done word by word and cached per (face, features, word): running text repeats
//! few distinct words, so each one is shaped once per chapter.

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
        let index = FontSet::index(face);
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
            let end = starts
                .iter()
                .copied()
                .find(|&s| s > start)
                .unwrap_or(text.len() as u32);
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
    fn cache_returns_the_same_glyphs() {
        shaper_test(|s| {
            let f = FaceId::Mono;
            let a = s.shape(f, Features::default(), "word");
            let b = s.shape(f, Features::default(), "word");
            assert!(Arc::ptr_eq(&a, &b));
        });
    }
}
