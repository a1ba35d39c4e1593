//! The faces the typesetter uses, loaded once and shared read-only by every chapter.

use crate::fonts::FaceId;

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

/// Every bundled face, indexed like `FaceId::ALL`.
pub struct FontSet {
    faces: Vec<LoadedFace>,
}

impl FontSet {
    pub fn load() -> Result<FontSet, TypesetError> {
        let mut faces = Vec::with_capacity(FaceId::ALL.len());
        for id in FaceId::ALL {
            let face = id.face();
            let bad = || TypesetError::Font(face.file_name);
            let metrics = ttf_parser::Face::parse(face.data, 0).map_err(|_| bad())?;
            let font = harfrust::Font::new(face.data, 0).ok_or_else(bad)?;
            let upem = f32::from(metrics.units_per_em().max(1));
            faces.push(LoadedFace {
                id,
                font,
                units_per_em: upem,
                ascender: f32::from(metrics.ascender()) / upem,
                descender: -f32::from(metrics.descender()) / upem,
            });
        }
        Ok(FontSet { faces })
    }

    pub fn get(&self, id: FaceId) -> &LoadedFace {
        &self.faces[Self::index(id)]
    }

    pub fn faces(&self) -> &[LoadedFace] {
        &self.faces
    }

    pub fn index(id: FaceId) -> usize {
        FaceId::ALL.iter().position(|f| *f == id).unwrap_or(0)
    }
}
