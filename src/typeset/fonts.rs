//! The faces the typesetter uses, loaded once and shared read-only by every chapter.

use crate::fonts::{FaceId, Fonts};

use super::TypesetError;

/// One face: the shaping data and the metrics the layout needs.
pub struct LoadedFace {
    pub id: FaceId,
    /// harfrust's view of the font (shaping).
    pub font: harfrust::Font,
    /// Font units per em: shaped advances are in these units.
    pub units_per_em: f32,
    /// Ascender above the baseline, in ems.
    pub ascender: f32,
    /// Descender below the baseline, in ems (positive).
    pub descender: f32,
}

impl LoadedFace {
    /// Font units -> points at `size`.
    pub fn scale(&self, units: i32, size: f32) -> f32 {
        units as f32 * size / self.units_per_em
    }
}

/// Every face of the book's set, indexed like `Fonts::ids`, with the fallback chains.
pub struct FontSet {
    fonts: Fonts,
    faces: Vec<LoadedFace>,
    /// For each face, the faces to try for a character it lacks (see `Fonts::chain`).
    chains: Vec<Vec<FaceId>>,
}

impl FontSet {
    /// The bundled faces.
    pub fn load() -> Result<FontSet, TypesetError> {
        FontSet::load_set(Fonts::bundled())
    }

    pub fn load_set(fonts: &Fonts) -> Result<FontSet, TypesetError> {
        let mut faces = Vec::new();
        for id in fonts.ids() {
            let face = fonts.face(id);
            let bad = || TypesetError::Font(face.file_name.clone());
            let metrics = ttf_parser::Face::parse(&face.data, 0).map_err(|_| bad())?;
            let font = match &face.data {
                crate::fonts::FontBytes::Bundled(b) => harfrust::Font::new(*b, 0),
                crate::fonts::FontBytes::Shared(b) => harfrust::Font::new(b.to_vec(), 0),
            }
            .ok_or_else(bad)?;
            let upem = f32::from(metrics.units_per_em().max(1));
            faces.push(LoadedFace {
                id,
                font,
                units_per_em: upem,
                ascender: f32::from(metrics.ascender()) / upem,
                descender: -f32::from(metrics.descender()) / upem,
            });
        }
        let chains = fonts.ids().map(|id| fonts.chain(id)).collect();
        Ok(FontSet {
            fonts: fonts.clone(),
            faces,
            chains,
        })
    }

    pub fn get(&self, id: FaceId) -> &LoadedFace {
        &self.faces[self.index(id)]
    }

    pub fn faces(&self) -> &[LoadedFace] {
        &self.faces
    }

    /// The files behind the faces (for the PDF writer, which embeds them).
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// The faces to try, in order, for text set in `id`.
    pub fn chain(&self, id: FaceId) -> &[FaceId] {
        &self.chains[self.index(id)]
    }

    /// Whether face `id` has a glyph for `c`.
    pub fn has(&self, id: FaceId, c: char) -> bool {
        self.fonts.face(id).has(c)
    }

    pub fn index(&self, id: FaceId) -> usize {
        self.faces.iter().position(|f| f.id == id).unwrap_or(0)
    }
}
