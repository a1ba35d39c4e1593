//! `cover` in book.toml: the author's cover image, found inside the manuscript folder and
//! checked before anything is built: a JPEG or PNG (by its bytes) that decodes, with advice
//! when a store would find it too small or the wrong shape.

use std::path::{Path, PathBuf};

use crate::model::MediaType;

/// The long side stores ask for (KDP: 2560 x 1600 px recommended, 1000 px at least; Apple:
/// 1400 px on the short side); below it a cover looks soft on a tablet.
pub const MIN_LONG_SIDE: u32 = 1600;
/// Height over width of an ebook cover (KDP's 1.6:1).
pub const IDEAL_RATIO: f32 = 1.6;
/// Shapes from a 6 x 9 in print cover (1.5) to a tall 1.75 are fine; outside this range the
/// store letterboxes or crops the cover.
pub const RATIO_RANGE: std::ops::RangeInclusive<f32> = 1.4..=1.8;

/// A cover image that can be used.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverImage {
    /// The file (the manuscript folder joined with what was written).
    pub path: PathBuf,
    pub media_type: MediaType,
    pub width: u32,
    pub height: u32,
}

impl CoverImage {
    /// What a store would say about the image's size and shape, if anything.
    pub fn advice(&self) -> Option<String> {
        let (w, h) = (self.width, self.height);
        let long = w.max(h);
        let ratio = h as f32 / w as f32;
        let mut problems = Vec::new();
        if long < MIN_LONG_SIDE {
            problems.push(format!(
                "the image is {w} x {h} pixels, under the {MIN_LONG_SIDE} pixels stores ask for on its long side (KDP recommends 1600 x 2560)"
            ));
        }
        if !RATIO_RANGE.contains(&ratio) {
            problems.push(format!(
                "its height is {ratio:.2} times its width, far from the 1.6 of an ebook cover (1600 x 2560): stores crop or letterbox it"
            ));
        }
        (!problems.is_empty()).then(|| problems.join("; "))
    }
}

/// The cover image `written` names, relative to `root` (the manuscript folder); an error says
/// what is wrong and what to do (the caller adds the key).
pub fn check(root: &Path, written: &str) -> Result<CoverImage, String> {
    let relative = Path::new(written);
    if relative.has_root() || relative.is_absolute() || written.starts_with('\\') {
        return Err(
            "an absolute path: write it relative to the manuscript folder, and copy the image there"
                .into(),
        );
    }
    let base = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let file = root.join(relative);
    let canonical = base.join(relative).canonicalize().map_err(|_| {
        format!(
            "there is no file {} (the cover is relative to the manuscript folder)",
            file.display()
        )
    })?;
    if !base.canonicalize().is_ok_and(|r| canonical.starts_with(r)) {
        return Err(format!(
            "the file is outside the manuscript folder ({}): copy the image into the manuscript",
            canonical.display()
        ));
    }
    if !canonical.is_file() {
        return Err(format!("{} is not a file", file.display()));
    }
    let bytes = std::fs::read(&canonical).map_err(|e| format!("cannot be read: {e}"))?;
    let media_type = match MediaType::sniff(&bytes) {
        Some(t @ (MediaType::Jpeg | MediaType::Png)) => t,
        Some(other) => {
            return Err(format!(
                "a cover must be a JPEG or PNG image (stores take no other), and this is {}: export it as JPEG",
                other.extension().to_ascii_uppercase()
            ))
        }
        None => return Err("not a JPEG or PNG image".into()),
    };
    let (width, height) = crate::artwork::pixel_size(media_type, bytes)
        .map_err(|why| format!("the image {why}: export it again as JPEG or PNG"))?;
    Ok(CoverImage {
        path: file,
        media_type,
        width,
        height,
    })
}
