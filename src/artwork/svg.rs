//! SVG: parsed with usvg (text set in the book's own fonts: `serif` and unknown families are
//! Linux Libertine O, `monospace` DejaVu Sans Mono) and rasterised with resvg by the PDF
//! writer at [`PRINT_DPI`] of the size it is printed at.
//!
//! Nothing outside the file is read: `<image>` references to other files are not followed, so
//! an SVG cannot reach out of the manuscript. Images embedded in it (`data:` URLs) are drawn,
//! each within the same pixel limits as an image file. A drawing too costly to draw (see
//! [`super::svg_cost`]) is kept as [`ArtData::TooCostly`]: the PDF sets its alt text.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg;

use super::{check_size, split_alpha, svg_cost, ArtData, Decoded, Need, Refusal};

/// Resolution of the raster an SVG is printed from, in pixels per inch of its printed size.
pub const PRINT_DPI: f32 = 300.0;

/// The bundled fonts, loaded once for every SVG of every build.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for face in crate::fonts::all() {
            db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(face.data.to_vec())));
        }
        let serif = serif_family();
        db.set_serif_family(serif.as_str());
        db.set_sans_serif_family(serif.as_str());
        db.set_cursive_family(serif.as_str());
        db.set_fantasy_family(serif.as_str());
        db.set_monospace_family(crate::fonts::FaceId::Mono.face().family.clone());
        Arc::new(db)
    })
    .clone()
}

fn serif_family() -> String {
    let regular = crate::fonts::FaceId::Serif(crate::fonts::Style::Regular);
    regular.face().family.clone()
}

/// An embedded image as usvg's default resolver reads it, unless its pixels are more than
/// quire decodes (resvg would decode them whole).
fn embedded_image(
    mime: &str,
    data: Arc<Vec<u8>>,
    options: &usvg::Options,
) -> Option<usvg::ImageKind> {
    let kind = usvg::ImageHrefResolver::default_data_resolver()(mime, data, options)?;
    match &kind {
        usvg::ImageKind::JPEG(d)
        | usvg::ImageKind::PNG(d)
        | usvg::ImageKind::GIF(d)
        | usvg::ImageKind::WEBP(d) => {
            let size = imagesize::blob_size(d).ok()?;
            let side = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
            check_size(side(size.width), side(size.height)).ok()?;
        }
        usvg::ImageKind::SVG(_) => {}
    }
    Some(kind)
}

pub(crate) fn decode(bytes: &[u8], need: Need) -> Result<Decoded, Refusal> {
    let options = usvg::Options {
        font_family: serif_family(),
        fontdb: fonts(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(embedded_image),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options)
        .map_err(|e| format!("is not a readable SVG ({e})"))?;
    let size = tree.size();
    let (w, h) = (size.width().ceil(), size.height().ceil());
    if !(w.is_finite() && h.is_finite()) || w > u32::MAX as f32 || h > u32::MAX as f32 {
        return Err(format!("has an impossible size ({w} x {h})"));
    }
    check_size(w as u32, h as u32)?;
    // Printed pixels per user unit at the largest size it can print at: its natural size
    // (CSS pixels, 96 to the inch), or less to fit the page.
    let scale = (f64::from(PRINT_DPI) / 96.0)
        .min(f64::from(need.max_side.0) / f64::from(w))
        .min(f64::from(need.max_side.1) / f64::from(h));
    let data = match svg_cost::too_costly(&tree, scale) {
        Some(reason) => ArtData::TooCostly(reason),
        None => ArtData::Svg(Arc::new(tree)),
    };
    Ok(Decoded {
        width: w as u32,
        height: h as u32,
        full: (w as u32, h as u32),
        dpi: None,
        data,
    })
}

/// Pixels of `tree` drawn `width` x `height` pixels, as 8-bit RGB and alpha (`None` when
/// opaque); `None` when the size cannot be allocated.
pub fn rasterise(tree: &usvg::Tree, width: u32, height: u32) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    check_size(width, height).ok()?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)?;
    let size = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        width as f32 / size.width(),
        height as f32 / size.height(),
    );
    resvg::render(tree, transform, &mut pixmap.as_mut());
    let mut rgba = Vec::with_capacity(width as usize * height as usize * 4);
    for p in pixmap.pixels() {
        let c = p.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    Some(split_alpha(&rgba, 3))
}
