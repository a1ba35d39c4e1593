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
    // What still does not fit at the smallest size is cut, with an ellipsis.
    let lines = fit_lines(face, &lines, size, 0.0, measure, 4);
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
        let lines = wrap_text(italic, subtitle, size, measure, 0.0);
        for l in &fit_lines(italic, &lines, size, 0.0, measure, 3) {
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
        let authors = fit_line(face, &authors, size, spacing(size), measure, false);
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
    let advance = Advances::new(face, size, spacing);
    text.chars().map(|c| advance.of(c)).sum()
}

/// Character advances of one face at one size (with `spacing` after each character).
struct Advances<'f> {
    face: Option<ttf_parser::Face<'f>>,
    scale: f32,
    size: f32,
    spacing: f32,
}

impl<'f> Advances<'f> {
    fn new(face: &'f Face, size: f32, spacing: f32) -> Self {
        let face = ttf_parser::Face::parse(&face.data, 0).ok();
        let em = face.as_ref().map_or(1000, |f| f.units_per_em().max(1));
        Advances {
            face,
            scale: size / f32::from(em),
            size,
            spacing,
        }
    }

    fn of(&self, c: char) -> f32 {
        let advance = self.face.as_ref().and_then(|f| {
            let glyph = f.glyph_index(c)?;
            f.glyph_hor_advance(glyph)
        });
        advance.map_or(self.size * 0.5, |a| f32::from(a) * self.scale) + self.spacing
    }
}

/// `line` as it fits in `width`: whole, or cut with an ellipsis where it would run over (a
/// word longer than the cover is wide, a title of thousands of characters). `cut` also ends
/// the line with an ellipsis: it stands for lines left out after it.
pub(crate) fn fit_line(
    face: &Face,
    line: &str,
    size: f32,
    spacing: f32,
    width: f32,
    cut: bool,
) -> String {
    let advance = Advances::new(face, size, spacing);
    let ellipsis = advance.of('…');
    let mut used = 0.0;
    let mut fits_with_ellipsis = 0;
    for (i, c) in line.char_indices() {
        used += advance.of(c);
        if used > width {
            return format!("{}…", line[..fits_with_ellipsis].trim_end());
        }
        if used + ellipsis <= width {
            fits_with_ellipsis = i + c.len_utf8();
        }
    }
    if cut {
        format!("{}…", line[..fits_with_ellipsis].trim_end())
    } else {
        line.to_string()
    }
}

/// At most `most` of `lines`, each cut to `width`; the last marked when lines were left out.
fn fit_lines(
    face: &Face,
    lines: &[String],
    size: f32,
    spacing: f32,
    width: f32,
    most: usize,
) -> Vec<String> {
    let kept = lines.len().min(most);
    (lines.iter().take(kept).enumerate())
        .map(|(i, l)| {
            fit_line(
                face,
                l,
                size,
                spacing,
                width,
                i + 1 == kept && kept < lines.len(),
            )
        })
        .collect()
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
    // Widths add up (kerning is left out), so a line is measured word by word, not again
    // from its start for each word: a title of 40,000 words was quadratic.
    let advance = Advances::new(face, size, spacing);
    let space = advance.of(' ');
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in text.split_whitespace() {
        let word_width: f32 = word.chars().map(|c| advance.of(c)).sum();
        if !line.is_empty() && line_width + space + word_width > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
            line_width = word_width;
        } else {
            if !line.is_empty() {
                line.push(' ');
                line_width += space;
            }
            line.push_str(word);
            line_width += word_width;
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
    fn lines_too_long_for_the_cover_are_cut_with_an_ellipsis() {
        let face = body(Fonts::bundled());
        assert_eq!(fit_line(face, "Emma", 20.0, 0.0, 500.0, false), "Emma");
        assert_eq!(fit_line(face, "Emma", 20.0, 0.0, 500.0, true), "Emma…");
        let long = "[".repeat(40_000);
        let cut = fit_line(face, &long, 20.0, 0.0, 300.0, false);
        assert!(cut.ends_with('…') && cut.len() < 200, "{cut}");
        assert!(measure_text(face, &cut, 20.0, 0.0) <= 300.0);
        let lines: Vec<String> = ["one", "two", "three"].map(String::from).to_vec();
        assert_eq!(
            fit_lines(face, &lines, 20.0, 0.0, 500.0, 2),
            ["one", "two…"]
        );
    }

    #[test]
    fn a_huge_title_is_set_in_four_lines_at_most_inside_the_frame() {
        let fonts = Fonts::bundled();
        for title in ["[".repeat(40_000), "word ".repeat(40_000)] {
            let svg = front_svg(&meta(&title), fonts, 1600.0, 2560.0);
            assert!(svg.len() < 20_000, "{} bytes", svg.len());
            let tree = parse(&svg, fonts).expect("parses");
            let mut texts = Vec::new();
            collect_text(tree.root(), &mut texts);
            // At most four lines of title, the last cut, then the subtitle and the author.
            let shown: Vec<String> = texts
                .iter()
                .flat_map(|t| t.chunks().iter().map(|c| c.text().to_string()))
                .collect();
            assert!((3..=6).contains(&shown.len()), "{shown:?}");
            assert!(shown[shown.len() - 3].ends_with('…'), "{shown:?}");
            for t in &texts {
                let b = t.bounding_box();
                assert!(b.left() >= 0.0 && b.right() <= 1600.0, "{:?}", b);
            }
        }
    }

    fn collect_text<'t>(g: &'t usvg::Group, out: &mut Vec<&'t usvg::Text>) {
        for node in g.children() {
            match node {
                usvg::Node::Group(g) => collect_text(g, out),
                usvg::Node::Text(t) => out.push(t),
                _ => {}
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
