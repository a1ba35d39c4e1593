//! JPEG: embedded as it is (`/DCTDecode`), after its markers are read and its data fully
//! decoded once, so that a damaged or truncated file is refused here rather than printed
//! as a grey box.

use std::sync::Arc;

use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use super::{check_size, ArtData, Decoded, Refusal};

/// What the markers before the image data say.
#[derive(Debug, Default, PartialEq)]
struct Header {
    width: u32,
    height: u32,
    precision: u8,
    components: u8,
    /// JFIF density in dots per inch.
    dpi: Option<(f32, f32)>,
    /// An Adobe APP14 marker: CMYK values are stored inverted.
    adobe: bool,
}

/// `verify`: decode the image data in full to prove it whole (else the markers and the end
/// only: a build embeds the file unchanged and never needs its pixels).
pub(crate) fn decode(bytes: Vec<u8>, verify: bool) -> Result<Decoded, Refusal> {
    let header = read_header(&bytes)?;
    check_size(header.width, header.height)?;
    if header.precision != 8 {
        return Err(format!(
            "has {}-bit samples, which PDF cannot show (only 8-bit JPEG): export it as an 8-bit JPEG or a PNG",
            header.precision
        ));
    }
    if !matches!(header.components, 1 | 3 | 4) {
        return Err(format!(
            "has {} colour components (PDF shows grey, RGB or CMYK JPEGs)",
            header.components
        ));
    }
    if !ends_with_eoi(&bytes) {
        return Err("is truncated (it has no end-of-image marker)".into());
    }
    if verify {
        let options = DecoderOptions::default()
            .set_strict_mode(true)
            .set_max_width(super::MAX_SIDE as usize)
            .set_max_height(super::MAX_SIDE as usize);
        let mut decoder = JpegDecoder::new_with_options(ZCursor::new(&bytes[..]), options);
        decoder
            .decode()
            .map_err(|e| format!("is not a readable JPEG ({e:?})"))?;
    }
    Ok(Decoded {
        width: header.width,
        height: header.height,
        full: (header.width, header.height),
        dpi: header.dpi,
        data: ArtData::Jpeg {
            components: header.components,
            inverted: header.adobe && header.components == 4,
            bytes: Arc::new(bytes),
        },
    })
}

/// Walks the marker segments up to the start of the image data.
fn read_header(bytes: &[u8]) -> Result<Header, Refusal> {
    let short = || "is truncated (it ends inside its header)".to_string();
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err("is not a JPEG file".into());
    }
    let mut h = Header::default();
    let mut seen_frame = false;
    let mut at = 2;
    loop {
        // Markers may be padded with any number of 0xFF bytes.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (&ff, &marker) = (
            bytes.get(at).ok_or_else(short)?,
            bytes.get(at + 1).ok_or_else(short)?,
        );
        if ff != 0xFF {
            return Err(format!("is damaged (no marker at byte {at})"));
        }
        at += 2;
        if matches!(marker, 0xD0..=0xD7 | 0x01) {
            continue;
        }
        let len_bytes = bytes.get(at..at + 2).ok_or_else(short)?;
        let len = usize::from(u16::from_be_bytes([len_bytes[0], len_bytes[1]]));
        if len < 2 {
            return Err(format!("is damaged (a marker segment of length {len})"));
        }
        let seg = bytes.get(at + 2..at + len).ok_or_else(short)?;
        match marker {
            // Start of frame (any coding but the arithmetic-only 0xC8 reserved marker).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if seg.len() < 6 {
                    return Err(short());
                }
                h.precision = seg[0];
                h.height = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
                h.width = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
                h.components = seg[5];
                seen_frame = true;
            }
            0xE0 if seg.starts_with(b"JFIF\0") && seg.len() >= 12 => {
                let x = f32::from(u16::from_be_bytes([seg[8], seg[9]]));
                let y = f32::from(u16::from_be_bytes([seg[10], seg[11]]));
                h.dpi = match seg[7] {
                    1 => Some((x, y)),
                    2 => Some((x * 2.54, y * 2.54)),
                    _ => None,
                };
            }
            0xEE if seg.starts_with(b"Adobe") => h.adobe = true,
            // Start of scan: the image data follows.
            0xDA => break,
            0xD9 => return Err("has no image data".into()),
            _ => {}
        }
        at += len;
    }
    if !seen_frame || h.height == 0 {
        return Err("has no frame header (or a height of 0, which PDF cannot show)".into());
    }
    Ok(h)
}

/// Whether the file ends with an end-of-image marker (after trailing padding some cameras
/// and editors leave).
fn ends_with_eoi(bytes: &[u8]) -> bool {
    let end = bytes
        .iter()
        .rposition(|&b| b != 0x00 && b != 0x0A && b != 0x0D && b != 0x20)
        .map_or(0, |i| i + 1);
    end >= 2 && bytes[end - 2..end] == [0xFF, 0xD9]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_its_end_is_truncated() {
        assert!(ends_with_eoi(&[0xFF, 0xD8, 1, 2, 0xFF, 0xD9]));
        assert!(ends_with_eoi(&[0xFF, 0xD8, 1, 2, 0xFF, 0xD9, 0, 0]));
        assert!(!ends_with_eoi(&[0xFF, 0xD8, 1, 2, 3]));
    }

    #[test]
    fn headers_that_end_early_are_refused() {
        assert!(read_header(&[0xFF, 0xD8, 0xFF]).is_err());
        assert!(read_header(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J']).is_err());
        assert!(read_header(&[0xFF, 0xD8, 0x00, 0x00]).is_err());
    }
}
