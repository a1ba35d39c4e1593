//! The size an author asks an image to be drawn at: pandoc's `{width=50% height=3cm}`,
//! HTML's `<img width="300">` and `style="width: 8em"`.
//!
//! Lengths keep the unit they were written in, so that the EPUB can say what the author
//! said; each writer resolves them against its own page (a print measure, a screen).

/// A unit of a [`Length`], as pandoc reads them (`Text.Pandoc.ImageSize.lengthToDim`), plus
/// CSS's `pt`/`pc` spellings which pandoc also takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A share of the text width (for a width) or of the text block's height (for a
    /// height), as pandoc's LaTeX writer reads `%` (`\linewidth`, `\textheight`).
    Percent,
    /// CSS pixels: 96 to the inch (pandoc's default `--dpi`). A bare number is pixels.
    Px,
    Pt,
    /// Picas: 12 points.
    Pc,
    In,
    Cm,
    Mm,
    /// Ems of the type around the image.
    Em,
}

impl Unit {
    /// The unit as CSS writes it.
    pub fn css(self) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::Px => "px",
            Unit::Pt => "pt",
            Unit::Pc => "pc",
            Unit::In => "in",
            Unit::Cm => "cm",
            Unit::Mm => "mm",
            Unit::Em => "em",
        }
    }
}

/// A positive, finite length (the reader refuses anything else, with a warning).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Length {
    pub value: f32,
    pub unit: Unit,
}

impl Length {
    /// This length in points: a percentage of `whole`, ems of `em`, or absolute.
    pub fn points(self, whole: f32, em: f32) -> f32 {
        let per_unit = match self.unit {
            Unit::Percent => whole / 100.0,
            Unit::Em => em,
            Unit::Px => 0.75,
            Unit::Pt => 1.0,
            Unit::Pc => 12.0,
            Unit::In => 72.0,
            Unit::Cm => 72.0 / 2.54,
            Unit::Mm => 72.0 / 25.4,
        };
        self.value * per_unit
    }

    /// The length as CSS writes it (`50%`, `3cm`).
    pub fn css(self) -> String {
        format!("{}{}", self.number(), self.unit.css())
    }

    /// The number, with at most three decimals and no trailing zeros (`2.5`, not
    /// `2.500000`).
    pub fn number(self) -> String {
        let mut v = format!("{:.3}", self.value);
        while v.contains('.') && (v.ends_with('0') || v.ends_with('.')) {
            v.pop();
        }
        v
    }
}

/// The width and height an author asked for; either, both or neither.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ImageSize {
    pub width: Option<Length>,
    pub height: Option<Length>,
}

impl ImageSize {
    pub fn is_natural(&self) -> bool {
        self.width.is_none() && self.height.is_none()
    }

    /// The size in points at which an image of `natural` size (points) is drawn, for a
    /// page whose text is `measure` wide and `block` high in type of `em` points:
    ///
    /// - neither given: the natural size;
    /// - one given: that one, the other from the image's proportions;
    /// - both given: as large as fits in both, proportions kept (pandoc's LaTeX template
    ///   sets `keepaspectratio`; an image is never distorted).
    ///
    /// The caller still fits the result to the room the page has.
    pub fn resolve(&self, natural: (f32, f32), measure: f32, block: f32, em: f32) -> (f32, f32) {
        let (w, h) = natural;
        let asked_w = self.width.map(|l| l.points(measure, em));
        let asked_h = self.height.map(|l| l.points(block, em));
        let scale = match (asked_w, asked_h) {
            (None, None) => 1.0,
            (Some(aw), None) => aw / w,
            (None, Some(ah)) => ah / h,
            (Some(aw), Some(ah)) => (aw / w).min(ah / h),
        };
        if scale.is_finite() && scale > 0.0 {
            (w * scale, h * scale)
        } else {
            natural
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len(value: f32, unit: Unit) -> Option<Length> {
        Some(Length { value, unit })
    }

    #[test]
    fn lengths_resolve_in_points() {
        assert_eq!(len(50.0, Unit::Percent).unwrap().points(300.0, 10.0), 150.0);
        assert_eq!(len(96.0, Unit::Px).unwrap().points(300.0, 10.0), 72.0);
        assert_eq!(len(2.0, Unit::Em).unwrap().points(300.0, 10.0), 20.0);
        assert_eq!(len(1.0, Unit::In).unwrap().points(300.0, 10.0), 72.0);
        assert!((len(2.54, Unit::Cm).unwrap().points(0.0, 0.0) - 72.0).abs() < 1e-3);
        assert!((len(25.4, Unit::Mm).unwrap().points(0.0, 0.0) - 72.0).abs() < 1e-3);
        assert_eq!(len(2.0, Unit::Pc).unwrap().points(0.0, 0.0), 24.0);
        assert_eq!(len(2.5, Unit::Cm).unwrap().css(), "2.5cm");
        assert_eq!(len(50.0, Unit::Percent).unwrap().css(), "50%");
    }

    #[test]
    fn sizes_keep_the_proportions() {
        let natural = (200.0, 100.0);
        let size = |width, height| ImageSize { width, height };
        assert_eq!(
            size(None, None).resolve(natural, 300.0, 500.0, 10.0),
            natural
        );
        assert_eq!(
            size(len(50.0, Unit::Percent), None).resolve(natural, 300.0, 500.0, 10.0),
            (150.0, 75.0)
        );
        assert_eq!(
            size(None, len(10.0, Unit::Percent)).resolve(natural, 300.0, 500.0, 10.0),
            (100.0, 50.0)
        );
        // Both: the smaller scale wins, nothing is stretched.
        assert_eq!(
            size(len(400.0, Unit::Pt), len(50.0, Unit::Pt)).resolve(natural, 300.0, 500.0, 10.0),
            (100.0, 50.0)
        );
    }
}
