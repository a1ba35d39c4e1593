//! Covers: the placeholder front cover quire draws when the author gives none, and the print
//! wrap (`wrap`: back, spine and front on one sheet for KDP Print / IngramSpark).
//!
//! Every cover is composed as SVG, set in the book's own faces (usvg shapes the text and turns
//! it into outlines): resvg rasterises the placeholder for the EPUB, and the PDF writer draws
//! the same outlines as vector paths (`pdf::cover`), as cover designers send text "converted to
//! outlines" so that the printer has no font to substitute. Composing in SVG, which resvg and
//! usvg already read for the book's images, keeps one drawing for both writers; no crate lays
//! out a book cover, so the layout here is hand-made.

pub mod wrap;

use std::sync::Arc;

use resvg::tiny_skia;
use resvg::usvg;

use crate::fonts::{Face, FaceId, Fonts, Style};
use crate::model::Metadata;

/// The ebook cover size in pixels: KDP's recommended 1600 x 2560 (1:1.6).
pub const EBOOK_COVER: (u32, u32) = (1600, 2560);

/// Why a cover could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CoverError {
    #[error("the cover drawing is not valid SVG: {0}")]
    Svg(String),
    #[error("cannot draw the cover at {0} x {1} pixels")]
    Raster(u32, u32),
    #[error("cannot encode the cover as PNG: {0}")]
    Png(String),
}

/// The colours of a placeholder cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub background: &'static str,
    pub ink: &'static str,
    pub accent: &'static str,
}

/// Dark grounds with light type: legible as a thumbnail in a store's list.
const PALETTES: [Palette; 4] = [
    Palette {
        background: "#1d2b3a",
        ink: "#f4efe3",
        accent: "#c9a55a",
    },
    Palette {
        background: "#5a1e1e",
        ink: "#f6eedd",
        accent: "#d8b36a",
    },
    Palette {
        background: "#1f3d33",
        ink: "#f1ecdf",
        accent: "#c7a869",
    },
    Palette {
        background: "#2b2b2b",
        ink: "#f2f0ea",
        accent: "#b89b5e",
    },
];

/// The palette of a book: chosen by its title, so that each book keeps its colours from build
/// to build and two books of one author differ.
pub fn palette(meta: &Metadata) -> Palette {
    let hash = meta.title.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    PALETTES[hash as usize % PALETTES.len()]
}

/// A placeholder front cover, `width` x `height` user units, as an SVG document.
pub fn front_svg(meta: &Metadata, fonts: &Fonts, width: f32, height: f32) -> String {
    let mut svg = svg_open(width, height);
    let area = Area {
        x: 0.0,
        y: 0.0,
        width,
        height,
    };
    svg.push_str(&front_elements(meta, fonts, area, area, palette(meta)));
    svg.push_str("</svg>\n");
    svg
}

/// The placeholder ebook cover: [`front_svg`] drawn at [`EBOOK_COVER`] pixels, as a PNG.
pub fn placeholder_png(meta: &Metadata, fonts: &Fonts) -> Result<Vec<u8>, CoverError> {
    let (w, h) = EBOOK_COVER;
    let tree = parse(&front_svg(meta, fonts, w as f32, h as f32), fonts)?;
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or(CoverError::Raster(w, h))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    // The ground is opaque: RGB is a third smaller than RGBA.
    let rgb: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
        })
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder
        .write_header()
        .map_err(|e| CoverError::Png(e.to_string()))?;
    writer
        .write_image_data(&rgb)
        .map_err(|e| CoverError::Png(e.to_string()))?;
    writer
        .finish()
        .map_err(|e| CoverError::Png(e.to_string()))?;
    Ok(out)
}

/// Parses a cover drawing with the book's faces (text becomes outlines here).
pub fn parse(svg: &str, fonts: &Fonts) -> Result<usvg::Tree, CoverError> {
    let mut db = usvg::fontdb::Database::new();
    for face in fonts.files() {
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(face.data.to_vec())));
    }
    let options = usvg::Options {
        font_family: body(fonts).family.clone(),
        fontdb: Arc::new(db),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| CoverError::Svg(e.to_string()))
}

/// A rectangle of the drawing, user units, y down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

pub(crate) fn svg_open(width: f32, height: f32) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\">\n"
    )
}

fn body(fonts: &Fonts) -> &Face {
    fonts.face(FaceId::Serif(Style::Regular))
}

/// The placeholder front: the ground over `ground` (the trimmed front and its bleed), a frame,
/// the title, subtitle and authors set inside `trim`.
pub(crate) fn front_elements(
    meta: &Metadata,
    fonts: &Fonts,
    ground: Area,
    trim: Area,
    palette: Palette,
) -> String {
    let mut out = rect(ground, palette.background);
    let face = body(fonts);
    let family = escape(&face.family);
    let w = trim.width;
    let h = trim.height;
    // A frame: the ring between two rectangles (filled, so every mark is a fill).
    let inset = w * 0.05;
    let line = (w * 0.004).max(0.5);
    let (fx, fy) = (trim.x + inset, trim.y + inset);
    let (fw, fh) = (w - 2.0 * inset, h - 2.0 * inset);
    out.push_str(&format!(
        "<path fill=\"{}\" fill-rule=\"evenodd\" d=\"M{fx} {fy}h{fw}v{fh}h{}z M{} {}h{}v{}h{}z\"/>\n",
        palette.accent,
        -fw,
        fx + line,
        fy + line,
        fw - 2.0 * line,
        fh - 2.0 * line,
        -(fw - 2.0 * line),
    ));
    let measure = w * 0.76;
    let cx = trim.x + w / 2.0;

    // The title: as large as fits in four lines.
    let mut size = w * 0.12;
    let mut lines = wrap_text(face, &meta.title, size, measure, 0.0);
    while (lines.len() > 4 || widest(face, &lines, size, 0.0) > measure) && size > w * 0.03 {
        size *= 0.93;
        lines = wrap_text(face, &meta.title, size, measure, 0.0);
    }
    let leading = size * 1.12;
    let mut y = trim.y + h * 0.26 + size;
    for l in &lines {
        out.push_str(&text(cx, y, size, &family, "normal", palette.ink, 0.0, l));
        y += leading;
    }
    // A short rule under the title.
    y += size * 0.1 - leading + size * 0.45;
    out.push_str(&rect(
        Area {
            x: cx - w * 0.08,
            y,
            width: w * 0.16,
            height: line * 1.5,
        },
        palette.accent,
    ));
    y += size * 0.45;
    if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        let italic = fonts.face(FaceId::Serif(Style::Italic));
        let size = (size * 0.42).max(w * 0.035);
        y += size;
        for l in wrap_text(italic, subtitle, size, measure, 0.0)
            .iter()
            .take(3)
        {
            out.push_str(&text(cx, y, size, &family, "italic", palette.ink, 0.0, l));
            y += size * 1.2;
        }
    }
    if let Some(authors) = author_phrase(&meta.authors) {
        let authors = authors.to_uppercase();
        let mut size = w * 0.05;
        let spacing = |s: f32| s * 0.12;
        while measure_text(face, &authors, size, spacing(size)) > measure && size > w * 0.02 {
            size *= 0.93;
        }
        let y = trim.y + h * 0.86;
        out.push_str(&text(
            cx,
            y,
            size,
            &family,
            "normal",
            palette.ink,
            spacing(size),
            &authors,
        ));
    }
    out
}

/// Authors as one phrase: `A`, `A and B`, `A, B and C`.
pub fn author_phrase(authors: &[String]) -> Option<String> {
    let authors: Vec<&str> = authors
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    match authors.as_slice() {
        [] => None,
        [one] => Some(one.to_string()),
        [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
    }
}

pub(crate) fn rect(a: Area, fill: &str) -> String {
    format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>\n",
        a.x, a.y, a.width, a.height
    )
}

/// One line of text centred on `x`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn text(
    x: f32,
    y: f32,
    size: f32,
    family: &str,
    style: &str,
    fill: &str,
    spacing: f32,
    content: &str,
) -> String {
    format!(
        "<text x=\"{x}\" y=\"{y}\" font-family=\"{family}\" font-size=\"{size}\" \
         font-style=\"{style}\" letter-spacing=\"{spacing}\" text-anchor=\"middle\" \
         fill=\"{fill}\">{}</text>\n",
        escape(content)
    )
}

/// The advance of `text` set in `face` at `size`, with `spacing` after each character
/// (kerning left out: close enough to break lines by).
pub(crate) fn measure_text(face: &Face, text: &str, size: f32, spacing: f32) -> f32 {
    let Ok(parsed) = ttf_parser::Face::parse(&face.data, 0) else {
        return text.chars().count() as f32 * size * 0.5;
    };
    let em = f32::from(parsed.units_per_em().max(1));
    text.chars()
        .map(|c| {
            let advance = parsed
                .glyph_index(c)
                .and_then(|g| parsed.glyph_hor_advance(g))
                .map_or(size * 0.5, |a| f32::from(a) / em * size);
            advance + spacing
        })
        .sum()
}

fn widest(face: &Face, lines: &[String], size: f32, spacing: f32) -> f32 {
    lines
        .iter()
        .map(|l| measure_text(face, l, size, spacing))
        .fold(0.0, f32::max)
}

/// `text` broken into lines of at most `width` at the spaces (a longer word has a line of its
/// own).
pub(crate) fn wrap_text(
    face: &Face,
    text: &str,
    size: f32,
    width: f32,
    spacing: f32,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && measure_text(face, &candidate, size, spacing) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(title: &str) -> Metadata {
        Metadata {
            title: title.into(),
            subtitle: Some("A Novel".into()),
            authors: vec!["Jane Austen".into()],
            language: "en".into(),
            identifier: "x".into(),
            date: None,
            publisher: None,
            rights: None,
            description: None,
            modified: chrono::DateTime::default(),
            ..Default::default()
        }
    }

    #[test]
    fn the_placeholder_is_a_1600_by_2560_png_with_text_drawn() {
        let png = placeholder_png(&meta("Pride & Prejudice"), Fonts::bundled()).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), EBOOK_COVER);
        // The text became outlines: many curves beyond the ground, frame and rule.
        let svg = front_svg(&meta("Pride & Prejudice"), Fonts::bundled(), 1600.0, 2560.0);
        let tree = parse(&svg, Fonts::bundled()).unwrap();
        let mut paths = 0;
        count_paths(tree.root(), &mut paths);
        assert!(paths > 100, "{paths}");
    }

    fn count_paths(g: &usvg::Group, n: &mut usize) {
        for node in g.children() {
            match node {
                usvg::Node::Group(g) => count_paths(g, n),
                usvg::Node::Path(p) => *n += p.data().segments().count(),
                usvg::Node::Text(t) => count_paths(t.flattened(), n),
                usvg::Node::Image(_) => {}
            }
        }
    }

    #[test]
    fn long_titles_are_wrapped_and_shrunk() {
        let face = body(Fonts::bundled());
        let lines = wrap_text(
            face,
            "The Life and Strange Surprizing Adventures",
            100.0,
            800.0,
            0.0,
        );
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines
            .iter()
            .all(|l| measure_text(face, l, 100.0, 0.0) <= 800.0 || !l.contains(' ')));
    }
}
