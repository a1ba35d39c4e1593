//! Artwork: the book's images, decoded once and made ready for print.
//!
//! Before the PDF is set, every image file of the book (`Book::resources`) is read and decoded
//! here: its size in pixels, its natural size in points, and the data the PDF writer embeds.
//! JPEG files are embedded as they are: a build reads their markers and checks their end,
//! without decoding them (`quire check` decodes them in full to prove them whole); PNG and
//! GIF (first frame) become 8-bit pixels with the alpha channel apart, shrunk as they are
//! decoded, a row at a time, to what the page can print ([`Need`]: the page at 300 pixels to
//! the inch), and kept Flate-compressed, as the PDF stores them; SVG is parsed here and
//! rasterised by the writer once its printed size is known.
//!
//! Decoding is bounded: an image larger than [`MAX_SIDE`] pixels a side or [`MAX_PIXELS`] in
//! all is refused before its pixels are allocated, the decoder's own allocations are capped,
//! a buffer that cannot be had is an error (never an abort), and a damaged or truncated file
//! is an error naming the chapter file and line of its first use, never a panic.

mod gif;
mod jpeg;
mod png;
mod shrink;
pub mod svg;
mod svg_cost;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::Location;
use crate::model::{Book, MediaType, Resource};

/// Longest side, in pixels, of an image quire prints.
pub const MAX_SIDE: u32 = 20_000;
/// Most pixels in one image (100 megapixels: 400 MB once decoded with alpha).
pub const MAX_PIXELS: u64 = 100_000_000;
/// The resolution of an image that states none (CSS's pixel: 96 to the inch).
pub const DEFAULT_DPI: f32 = 96.0;
/// Stated resolutions outside this range are taken for mistakes and ignored.
const DPI_RANGE: std::ops::RangeInclusive<f32> = 24.0..=2400.0;

/// How much of each image a build keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Need {
    /// The most pixels a side an image is kept at (proportions kept): more cannot show.
    pub max_side: (u32, u32),
    /// Whether a JPEG is decoded in full to prove it whole (else its markers and end only).
    pub verify_jpeg: bool,
}

impl Need {
    /// Every pixel, every JPEG proved whole: `quire check`, a cover.
    pub const ALL: Need = Need {
        max_side: (u32::MAX, u32::MAX),
        verify_jpeg: true,
    };

    /// `quire check`: every pixel read and every JPEG proved whole, but no more kept than
    /// the largest page (17 in a side) prints, as check keeps nothing.
    pub const CHECK: Need = Need {
        max_side: (17 * 300, 17 * 300),
        verify_jpeg: true,
    };

    /// What a page of `width` x `height` points can print: no image is drawn larger than the
    /// page, and [`svg::PRINT_DPI`] is as fine as print needs.
    pub fn for_page(width: f32, height: f32) -> Need {
        let px = |pt: f32| ((pt / 72.0 * svg::PRINT_DPI).ceil() as u32).max(1);
        Need {
            max_side: (px(width), px(height)),
            verify_jpeg: false,
        }
    }
}

/// An image that cannot be printed, reported at its first use.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{location}: image `{src}` ({}) {reason}", path.display())]
pub struct ArtError {
    pub location: Location,
    pub src: String,
    pub path: PathBuf,
    /// What is wrong and what to do.
    pub reason: String,
}

/// One decoded image.
#[derive(Debug, Clone, PartialEq)]
pub struct Artwork {
    /// The resource's unique name in the book (`trpl04-01.svg`).
    pub name: String,
    /// Size in pixels (SVG: in CSS pixels, rounded up).
    pub width: u32,
    pub height: u32,
    /// Size in points at the image's own resolution.
    pub natural: (f32, f32),
    pub data: ArtData,
}

/// What the PDF writer embeds.
#[derive(Clone)]
pub enum ArtData {
    /// The JPEG file, byte for byte (`/DCTDecode`).
    Jpeg {
        bytes: Arc<Vec<u8>>,
        /// 1 (grey), 3 (RGB/YCbCr) or 4 (CMYK).
        components: u8,
        /// Adobe's CMYK JPEGs store inverted values.
        inverted: bool,
    },
    /// 8-bit samples, row by row: grey (1 per pixel) or RGB (3), and the alpha channel apart
    /// when any pixel is not opaque; both zlib-compressed (the PDF's `/FlateDecode`).
    Pixels {
        samples: Arc<Vec<u8>>,
        gray: bool,
        alpha: Option<Arc<Vec<u8>>>,
    },
    /// A parsed SVG, drawn at print resolution by the writer.
    Svg(Arc<resvg::usvg::Tree>),
    /// An SVG over the drawing budget, and why: not drawn (the PDF sets its alt text).
    TooCostly(Refusal),
}

impl PartialEq for ArtData {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                ArtData::Jpeg {
                    bytes: a,
                    components: ca,
                    inverted: ia,
                },
                ArtData::Jpeg {
                    bytes: b,
                    components: cb,
                    inverted: ib,
                },
            ) => a == b && ca == cb && ia == ib,
            (
                ArtData::Pixels {
                    samples: a,
                    gray: ga,
                    alpha: aa,
                },
                ArtData::Pixels {
                    samples: b,
                    gray: gb,
                    alpha: ab,
                },
            ) => a == b && ga == gb && aa == ab,
            (ArtData::Svg(a), ArtData::Svg(b)) => Arc::ptr_eq(a, b),
            (ArtData::TooCostly(a), ArtData::TooCostly(b)) => a == b,
            _ => false,
        }
    }
}

// Never print megabytes of samples in a debug dump.
impl fmt::Debug for ArtData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArtData::Jpeg {
                bytes, components, ..
            } => write!(f, "Jpeg({} bytes, {components} components)", bytes.len()),
            ArtData::Pixels { gray, alpha, .. } => write!(
                f,
                "Pixels({}{})",
                if *gray { "grey" } else { "rgb" },
                if alpha.is_some() { " + alpha" } else { "" }
            ),
            ArtData::Svg(_) => write!(f, "Svg"),
            ArtData::TooCostly(why) => write!(f, "TooCostly({why})"),
        }
    }
}

/// Every image of a book, by resource index, and the way from an image `src` to it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gallery {
    art: Arc<Vec<Artwork>>,
    /// (chapter source file, `src` as written) -> index into `art`.
    uses: Arc<HashMap<(PathBuf, String), usize>>,
    /// The drawings too costly to draw, at their first use: the PDF sets their alt text.
    too_costly: Arc<Vec<ArtError>>,
}

impl Gallery {
    /// Reads and decodes every resource of `book` (in parallel) as much as `need` says. The
    /// first bad image, in resource order, is the error.
    pub fn load(book: &Book, need: Need) -> Result<Gallery, Box<ArtError>> {
        let art = book
            .resources
            .par_iter()
            .map(|r| decode_resource(r, need))
            .collect::<Vec<_>>()
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?;
        let mut uses = HashMap::new();
        for (i, r) in book.resources.iter().enumerate() {
            for (file, src) in &r.uses {
                uses.insert((file.clone(), src.clone()), i);
            }
        }
        let too_costly = (book.resources.iter().zip(art.iter()))
            .filter_map(|(r, a)| match &a.data {
                ArtData::TooCostly(why) => Some(resource_error(r, why.clone())),
                _ => None,
            })
            .collect();
        Ok(Gallery {
            art: Arc::new(art),
            uses: Arc::new(uses),
            too_costly: Arc::new(too_costly),
        })
    }

    /// The drawings the PDF sets as alt text, being too costly to draw.
    pub fn too_costly(&self) -> &[ArtError] {
        &self.too_costly
    }

    /// Every image of `book` that cannot be printed (what [`Gallery::load`] stops at), and
    /// every drawing too costly to draw, for `quire check`: it finds what a build would.
    pub fn problems(book: &Book) -> (Vec<ArtError>, Vec<ArtError>) {
        // (too costly, what is wrong) of each image with a problem.
        let mut found: Vec<(bool, ArtError)> = book
            .resources
            .par_iter()
            .filter_map(|r| match decode_resource(r, Need::CHECK) {
                Err(e) => Some((false, *e)),
                Ok(Artwork {
                    data: ArtData::TooCostly(why),
                    ..
                }) => Some((true, resource_error(r, why))),
                Ok(_) => None,
            })
            .collect();
        found.sort_by(|a, b| a.1.location.cmp(&b.1.location));
        let (costly, bad): (Vec<_>, Vec<_>) = found.into_iter().partition(|f| f.0);
        let errors = |list: Vec<(bool, ArtError)>| list.into_iter().map(|f| f.1).collect();
        (errors(bad), errors(costly))
    }

    /// The image an `src` written in `chapter_source` stands for (`None`: a remote image,
    /// or one the reader did not take).
    pub fn find(&self, chapter_source: &Path, src: &str) -> Option<usize> {
        self.uses
            .get(&(chapter_source.to_path_buf(), src.trim().to_string()))
            .copied()
    }

    pub fn get(&self, key: usize) -> Option<&Artwork> {
        self.art.get(key)
    }

    pub fn len(&self) -> usize {
        self.art.len()
    }

    pub fn is_empty(&self) -> bool {
        self.art.is_empty()
    }
}

/// What a decoder found, before it is given a name and a natural size.
pub(crate) struct Decoded {
    /// The pixels kept.
    pub width: u32,
    pub height: u32,
    /// The file's own size in pixels (its natural size is from this and `dpi`).
    pub full: (u32, u32),
    /// Stated resolution (pixels per inch, x and y), if the file gives one.
    pub dpi: Option<(f32, f32)>,
    pub data: ArtData,
}

/// Why a decoder refused a file: a message for the author, without the location.
pub(crate) type Refusal = String;

/// Decoded pixels, interleaved, `channels` to a pixel (grey, grey + alpha, RGB, RGBA).
pub(crate) struct Raster {
    pub full: (u32, u32),
    pub width: u32,
    pub height: u32,
    pub channels: usize,
    pub pixels: Vec<u8>,
    pub dpi: Option<(f32, f32)>,
}

impl Raster {
    /// Colour and alpha apart, each compressed as the PDF stores it.
    fn into_decoded(self) -> Decoded {
        let (colour, gray) = match self.channels {
            1 | 2 => (1, true),
            _ => (3, false),
        };
        let (samples, alpha) = if self.channels.is_multiple_of(2) {
            split_alpha(&self.pixels, colour)
        } else {
            (self.pixels, None)
        };
        Decoded {
            width: self.width,
            height: self.height,
            full: self.full,
            dpi: self.dpi,
            data: ArtData::Pixels {
                samples: Arc::new(deflate(&samples)),
                gray,
                alpha: alpha.map(|a| Arc::new(deflate(&a))),
            },
        }
    }
}

/// zlib at its default level: as small as the PDF writer made images before (the fast level
/// made a screenshot-heavy book 40% larger), and as fast in the whole build.
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail.
    let _ = z.write_all(data);
    z.finish().unwrap_or_default()
}

/// The warning for a drawing the PDF sets as alt text.
pub fn costly_warning(e: &ArtError) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::warning(
        crate::diagnostic::Code::CostlyDrawing,
        e.location.clone(),
        format!(
            "image `{}` ({}) {}; the PDF prints its alt text instead",
            e.src,
            e.path.display(),
            e.reason
        ),
    )
}

/// `reason` about `resource`, at its first use.
fn resource_error(resource: &Resource, reason: String) -> ArtError {
    ArtError {
        location: resource.first_use.clone(),
        src: resource
            .uses
            .first()
            .map(|(_, s)| s.clone())
            .unwrap_or_default(),
        path: resource.path.clone(),
        reason,
    }
}

fn decode_resource(resource: &Resource, need: Need) -> Result<Artwork, Box<ArtError>> {
    let fail = |reason: String| Box::new(resource_error(resource, reason));
    let bytes = std::fs::read(&resource.path).map_err(|e| fail(format!("cannot be read: {e}")))?;
    let decoded = decode(resource.media_type, bytes, need)
        .map_err(|reason| fail(format!("{reason}: {}", advice(resource.media_type))))?;
    Ok(artwork(resource.name.clone(), decoded))
}

/// The decoders are third-party code fed with untrusted bytes: a panic in one of them must
/// still come out as an error.
fn decode(media_type: MediaType, bytes: Vec<u8>, need: Need) -> Result<Decoded, Refusal> {
    std::panic::catch_unwind(|| match media_type {
        MediaType::Png => png::decode(&bytes, need).map(Raster::into_decoded),
        MediaType::Jpeg => jpeg::decode(bytes.clone(), need.verify_jpeg),
        MediaType::Gif => gif::decode(&bytes, need).map(Raster::into_decoded),
        MediaType::Svg => svg::decode(&bytes, need),
    })
    .unwrap_or_else(|_| Err("made the decoder fail".to_string()))
}

/// The size in pixels of an image, decoded in full to prove it is whole (a cover image,
/// checked when the configuration is read).
pub(crate) fn pixel_size(media_type: MediaType, bytes: Vec<u8>) -> Result<(u32, u32), Refusal> {
    decode(media_type, bytes, Need::ALL).map(|d| d.full)
}

/// An image file that is not one of the book's resources (the cover), decoded for print.
pub fn load_file(path: &Path, name: &str) -> Result<Artwork, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("{}: cannot be read: {e}", path.display()))?;
    let media_type = MediaType::sniff(&bytes)
        .ok_or_else(|| format!("{}: not a PNG, JPEG, GIF or SVG image", path.display()))?;
    let decoded = decode(media_type, bytes, Need::ALL)
        .map_err(|reason| format!("{}: {reason}: {}", path.display(), advice(media_type)))?;
    if let ArtData::TooCostly(reason) = &decoded.data {
        return Err(format!("{}: {reason}", path.display()));
    }
    Ok(artwork(name.to_string(), decoded))
}

fn artwork(name: String, decoded: Decoded) -> Artwork {
    let (dpi_x, dpi_y) = decoded
        .dpi
        .filter(|(x, y)| DPI_RANGE.contains(x) && DPI_RANGE.contains(y))
        .unwrap_or((DEFAULT_DPI, DEFAULT_DPI));
    let natural = match &decoded.data {
        // SVG sizes are CSS pixels, fractions kept (the pixel count is rounded up).
        ArtData::Svg(tree) => (
            tree.size().width() * 72.0 / DEFAULT_DPI,
            tree.size().height() * 72.0 / DEFAULT_DPI,
        ),
        _ => (
            decoded.full.0 as f32 * 72.0 / dpi_x,
            decoded.full.1 as f32 * 72.0 / dpi_y,
        ),
    };
    Artwork {
        name,
        width: decoded.width,
        height: decoded.height,
        natural,
        data: decoded.data,
    }
}

/// What to do about a file that does not decode.
fn advice(media_type: MediaType) -> &'static str {
    match media_type {
        MediaType::Svg => {
            "open it in a vector editor (or a browser) and save it again, or replace it"
        }
        _ => "open it in an image editor and export it again, or replace the file",
    }
}

/// Refuses dimensions quire will not allocate.
pub(crate) fn check_size(width: u32, height: u32) -> Result<(), Refusal> {
    if width == 0 || height == 0 {
        return Err(format!("has no pixels ({width} x {height})"));
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "is {width} x {height} pixels, more than quire prints ({MAX_SIDE} pixels a side, {} megapixels in all): scale it down (300 pixels to the inch of its printed size is plenty)",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

/// Splits interleaved 8-bit samples with alpha into colour and alpha; the alpha is dropped
/// when every pixel is opaque.
pub(crate) fn split_alpha(pixels: &[u8], colour: usize) -> (Vec<u8>, Option<Vec<u8>>) {
    let step = colour + 1;
    let count = pixels.len() / step;
    let mut samples = Vec::with_capacity(count * colour);
    let mut alpha = Vec::with_capacity(count);
    for px in pixels.chunks_exact(step) {
        samples.extend_from_slice(&px[..colour]);
        alpha.push(px[colour]);
    }
    let alpha = alpha.iter().any(|&a| a != 255).then_some(alpha);
    (samples, alpha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_sizes_are_refused_before_decoding() {
        assert!(check_size(20_000, 5_000).is_ok());
        assert!(check_size(20_001, 10).is_err());
        assert!(check_size(15_000, 15_000).is_err());
        assert!(check_size(0, 10).is_err());
    }

    #[test]
    fn opaque_alpha_is_dropped() {
        let (s, a) = split_alpha(&[1, 2, 3, 255, 4, 5, 6, 255], 3);
        assert_eq!(s, [1, 2, 3, 4, 5, 6]);
        assert!(a.is_none());
        let (_, a) = split_alpha(&[1, 2, 3, 0, 4, 5, 6, 255], 3);
        assert_eq!(a, Some(vec![0, 255]));
    }
}
