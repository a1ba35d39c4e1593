//! The print cover: one sheet with the back, the spine and the front, each panel the trim
//! size, with bleed all round, as KDP Print and IngramSpark take a paperback cover.
//!
//! Geometry as KDP's cover calculator and "Paperback Submission Guidelines"
//! (kdp.amazon.com/en_US/help/topic/G201857950) give it: width = bleed + back + spine + front +
//! bleed, height = bleed + trim + bleed, bleed 0.125 in; spine text only on books of more than
//! 79 pages, kept 0.0625 in from each fold; the barcode area is 2 x 1.2 in at the lower right of
//! the back, 0.25 in inside the trim. IngramSpark's template uses the same bleed and leaves a
//! barcode box of about the same size there.

use crate::fonts::{FaceId, Fonts, Style};
use crate::model::Metadata;
use crate::settings::{Paper, TrimSize, POINTS_PER_INCH};

use super::{escape, front_elements, rect, svg_open, wrap_text, Area, Palette};

/// Bleed on every outer edge, points.
pub const BLEED: f32 = 0.125 * POINTS_PER_INCH;
/// The fewest pages whose spine carries text (KDP: more than 79).
pub const SPINE_TEXT_PAGES: usize = 80;
/// The fewest pages KDP Print and IngramSpark bind as a paperback.
pub const MIN_PAGES: usize = 24;
/// Space kept between spine text and the spine's folds, points.
pub const SPINE_MARGIN: f32 = 0.0625 * POINTS_PER_INCH;
/// The barcode area left blank on the back, points (2 x 1.2 in).
pub const BARCODE: (f32, f32) = (2.0 * POINTS_PER_INCH, 1.2 * POINTS_PER_INCH);
/// Text and the barcode stay this far inside the trim, points.
/// The smallest size spine text is set at, in points.
const SPINE_SMALLEST: f32 = 4.0;
/// The authors' size on the spine, as a share of the title's.
const SPINE_AUTHORS: f32 = 0.85;
const SAFE: f32 = 0.375 * POINTS_PER_INCH;

/// The measurements of a wrap, points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wrap {
    pub trim: TrimSize,
    /// Pages of the interior.
    pub pages: usize,
    pub spine: f32,
    pub bleed: f32,
}

impl Wrap {
    /// The wrap of an interior of `pages` pages of `trim` on `paper`.
    pub fn new(trim: TrimSize, pages: usize, paper: Paper) -> Wrap {
        Wrap {
            trim,
            pages,
            spine: pages as f32 * paper.inches_per_page() * POINTS_PER_INCH,
            bleed: BLEED,
        }
    }

    /// The whole sheet: back, spine and front with bleed.
    pub fn width(&self) -> f32 {
        2.0 * self.trim.width + self.spine + 2.0 * self.bleed
    }

    pub fn height(&self) -> f32 {
        self.trim.height + 2.0 * self.bleed
    }

    /// Whether the spine is wide enough for its text.
    pub fn spine_has_text(&self) -> bool {
        self.pages >= SPINE_TEXT_PAGES
    }

    /// The front panel with its bleed (top, bottom and outer edge), y down.
    pub fn front_with_bleed(&self) -> Area {
        let x = self.bleed + self.trim.width + self.spine;
        Area {
            x,
            y: 0.0,
            width: self.width() - x,
            height: self.height(),
        }
    }

    fn front_trim(&self) -> Area {
        Area {
            x: self.bleed + self.trim.width + self.spine,
            y: self.bleed,
            width: self.trim.width,
            height: self.trim.height,
        }
    }

    /// The barcode area, y down.
    pub fn barcode(&self) -> Area {
        Area {
            x: self.bleed + self.trim.width - SAFE.min(0.25 * POINTS_PER_INCH) - BARCODE.0,
            y: self.bleed + self.trim.height - 0.25 * POINTS_PER_INCH - BARCODE.1,
            width: BARCODE.0,
            height: BARCODE.1,
        }
    }
}

/// The wrap drawn as SVG (points, y down): the back with the description as back copy and the
/// blank barcode area, the spine with its text when it is wide enough, and the front (the
/// placeholder when `placeholder_front`; else left for the cover image, which the writer draws
/// over it). Also returns what the author should know (back copy that did not fit).
pub fn svg(
    wrap: &Wrap,
    meta: &Metadata,
    fonts: &Fonts,
    palette: Palette,
    placeholder_front: bool,
) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let mut out = svg_open(wrap.width(), wrap.height());
    let back_and_spine = Area {
        x: 0.0,
        y: 0.0,
        width: wrap.bleed + wrap.trim.width + wrap.spine,
        height: wrap.height(),
    };
    out.push_str(&rect(back_and_spine, palette.background));
    if placeholder_front {
        out.push_str(&front_elements(
            meta,
            fonts,
            wrap.front_with_bleed(),
            wrap.front_trim(),
            palette,
        ));
    }
    out.push_str(&back_copy(wrap, meta, fonts, palette, &mut notes));
    out.push_str(&rect(wrap.barcode(), "#ffffff"));
    if wrap.spine_has_text() {
        out.push_str(&spine(wrap, meta, fonts, palette));
    }
    out.push_str("</svg>\n");
    (out, notes)
}

/// The description, set ragged right on the back in the body face; smaller when long, cut
/// (with a note) when even 8 pt does not fit above the barcode.
fn back_copy(
    wrap: &Wrap,
    meta: &Metadata,
    fonts: &Fonts,
    palette: Palette,
    notes: &mut Vec<String>,
) -> String {
    let Some(description) = meta.description.as_deref().filter(|d| !d.trim().is_empty()) else {
        return String::new();
    };
    let face = fonts.face(FaceId::Serif(Style::Regular));
    let family = escape(&face.family);
    let left = wrap.bleed + SAFE;
    let width = wrap.trim.width - 2.0 * SAFE;
    let top = wrap.bleed + SAFE + 0.25 * POINTS_PER_INCH;
    let bottom = wrap.barcode().y - 0.25 * POINTS_PER_INCH;
    let paragraphs: Vec<String> = description
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    let layout = |size: f32| -> Vec<Vec<String>> {
        paragraphs
            .iter()
            .map(|p| wrap_text(face, p, size, width, 0.0))
            .collect()
    };
    let height = |size: f32, paras: &[Vec<String>]| {
        let lines: usize = paras.iter().map(Vec::len).sum();
        let gaps = paras.len().saturating_sub(1);
        (lines as f32 + gaps as f32 * 0.75) * size * 1.4
    };
    let mut size = 12.0_f32;
    let mut paras = layout(size);
    while height(size, &paras) > bottom - top && size > 8.0 {
        size -= 0.5;
        paras = layout(size);
    }
    let leading = size * 1.4;
    let mut out = String::new();
    let mut y = top + size;
    let mut cut = 0;
    for (i, para) in paras.iter().enumerate() {
        if i > 0 {
            y += leading * 0.75;
        }
        for line in para {
            if y > bottom {
                cut += 1;
                continue;
            }
            out.push_str(&format!(
                "<text x=\"{left}\" y=\"{y}\" font-family=\"{family}\" font-size=\"{size}\" \
                 fill=\"{}\">{}</text>\n",
                palette.ink,
                escape(line)
            ));
            y += leading;
        }
    }
    if cut > 0 {
        notes.push(format!(
            "the description is too long for the back cover: its last {cut} line(s) at 8 pt are left out; shorten it to about {} words",
            paragraphs.iter().map(|p| p.split(' ').count()).sum::<usize>() * 3 / 4
        ));
    }
    out
}

/// Title and authors down the spine (read with the book face up, as in the US and UK), the
/// title from the top and the authors to the bottom, as large as the spine allows.
fn spine(wrap: &Wrap, meta: &Metadata, fonts: &Fonts, palette: Palette) -> String {
    let face = fonts.face(FaceId::Serif(Style::Regular));
    let italic = fonts.face(FaceId::Serif(Style::Italic));
    let family = escape(&face.family);
    let cx = wrap.bleed + wrap.trim.width + wrap.spine / 2.0;
    let cy = wrap.height() / 2.0;
    let length = wrap.trim.height - 2.0 * SAFE;
    let authors = super::author_phrase(&meta.authors).unwrap_or_default();
    // Authors cut (at the smallest size) to half the spine, so the title keeps the rest.
    let authors = super::fit_line(
        italic,
        &authors,
        SPINE_SMALLEST * SPINE_AUTHORS,
        0.0,
        length / 2.0,
        false,
    );
    // Cap height is about 0.65 em: the capitals fill at most the spine less its margins.
    let mut size = ((wrap.spine - 2.0 * SPINE_MARGIN) / 0.7).clamp(SPINE_SMALLEST, 16.0);
    let fits = |size: f32| {
        super::measure_text(face, &meta.title, size, 0.0)
            + super::measure_text(italic, &authors, size * SPINE_AUTHORS, 0.0)
            + size * 2.0
            <= length
    };
    while !fits(size) && size > 5.0 {
        size *= 0.93;
    }
    // A title still too long at the smallest size is cut to the room the authors leave.
    let room =
        length - super::measure_text(italic, &authors, size * SPINE_AUTHORS, 0.0) - size * 2.0;
    let title = super::fit_line(face, &meta.title, size, 0.0, room.max(0.0), false);
    let baseline = size * 0.33;
    let mut out = format!("<g transform=\"translate({cx} {cy}) rotate(90)\">\n");
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{baseline}\" font-family=\"{family}\" font-size=\"{size}\" \
         text-anchor=\"start\" fill=\"{}\">{}</text>\n",
        -length / 2.0,
        palette.ink,
        escape(&title)
    ));
    if !authors.is_empty() {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{baseline}\" font-family=\"{family}\" font-style=\"italic\" \
             font-size=\"{}\" text-anchor=\"end\" fill=\"{}\">{}</text>\n",
            length / 2.0,
            size * SPINE_AUTHORS,
            palette.ink,
            escape(&authors)
        ));
    }
    out.push_str("</g>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spine_is_the_page_count_times_the_paper() {
        let w = Wrap::new(TrimSize::inches(6.0, 9.0), 300, Paper::White);
        assert!((w.spine / 72.0 - 0.6756).abs() < 1e-3);
        assert!((w.width() / 72.0 - (12.0 + 0.6756 + 0.25)).abs() < 1e-3);
        assert!((w.height() / 72.0 - 9.25).abs() < 1e-4);
        let cream = Wrap::new(TrimSize::inches(6.0, 9.0), 300, Paper::Cream);
        assert!((cream.spine / 72.0 - 0.75).abs() < 1e-4);
        assert!(w.spine_has_text());
        assert!(!Wrap::new(TrimSize::inches(6.0, 9.0), 79, Paper::White).spine_has_text());
    }
}
