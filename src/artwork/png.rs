//! PNG: decoded with the `png` crate to 8-bit grey or RGB (alpha apart), row by row, shrunk
//! on the way to the pixels print needs (see `shrink`); an interlaced one pass by pass, each
//! row's pixels gathered straight into the shrunk image.

use std::io::Cursor;

use super::shrink::{fitted, Scatter, Shrinker};
use super::{check_size, Need, Raster, Refusal};

/// Most bytes the decoder may allocate for one image besides its rows: its chunks (text,
/// colour profile) are ignored, so this bounds a file that inflates to gigabytes.
const DECODER_BYTES: usize = 64 << 20;

const TRUNCATED: &str = "ended before all its pixels (truncated?)";

/// An interlaced image's rows, pass by pass (each pass a sparse grid over the whole image),
/// gathered straight into the shrunk image: the full frame is never held.
fn deinterlace<R: std::io::BufRead + std::io::Seek>(
    reader: &mut png::Reader<R>,
    full: (u32, u32),
    kept: (u32, u32),
    channels: usize,
) -> Result<Vec<u8>, Refusal> {
    let mut scatter = Scatter::new(full, kept, channels)?;
    let (width, height) = full;
    for (pass, (x0, dx, y0, dy)) in (1u8..).zip(PASSES) {
        if x0 >= width {
            continue;
        }
        for (line, y) in (0u32..).zip((y0..height).step_by(dy as usize)) {
            let row = reader
                .next_interlaced_row()
                .map_err(|e| format!("is not a readable PNG ({e})"))?
                .ok_or(TRUNCATED)?;
            // The decoder's order is the standard's; a row elsewhere would be misplaced.
            match row.interlace() {
                png::InterlaceInfo::Adam7(info)
                    if *info == png::Adam7Info::new(pass, line, width) => {}
                _ => return Err("has its interlaced rows out of order".into()),
            }
            scatter.put(y, x0, dx, row.data());
        }
    }
    if !scatter.complete() {
        return Err(TRUNCATED.into());
    }
    Ok(scatter.finish())
}

/// Adam7's passes: first column, column step, first row, row step (PNG specification, 8.2).
const PASSES: [(u32, u32, u32, u32); 7] = [
    (0, 8, 0, 8),
    (4, 8, 0, 8),
    (0, 4, 4, 8),
    (2, 4, 0, 4),
    (0, 2, 2, 4),
    (1, 2, 0, 2),
    (0, 1, 1, 2),
];

pub(crate) fn decode(bytes: &[u8], need: Need) -> Result<Raster, Refusal> {
    let damaged = |e: png::DecodingError| format!("is not a readable PNG ({e})");
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    // Check the size from the header before any pixel is allocated.
    let header = decoder.read_header_info().map_err(damaged)?;
    let (width, height, interlaced) = (header.width, header.height, header.interlaced);
    check_size(width, height)?;
    // Text and ICC chunks say nothing print uses; a compressed one can inflate without end.
    decoder.set_ignore_text_chunk(true);
    decoder.set_ignore_iccp_chunk(true);
    decoder.set_limits(png::Limits {
        bytes: DECODER_BYTES,
    });
    // Palettes, low bit depths and 16-bit samples all become 8-bit grey or RGB.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(damaged)?;
    let dpi = reader.info().pixel_dims.and_then(|d| {
        (d.unit == png::Unit::Meter).then_some((d.xppu as f32 * 0.0254, d.yppu as f32 * 0.0254))
    });
    let channels = match reader.output_color_type().0 {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err("has a palette the decoder did not expand".into()),
    };
    let kept = fitted(width, height, need.max_side.0, need.max_side.1);
    let pixels = if interlaced {
        deinterlace(&mut reader, (width, height), kept, channels)?
    } else {
        let mut shrinker = Shrinker::new((width, height), kept, channels)?;
        while let Some(row) = reader.next_row().map_err(damaged)? {
            shrinker.push(row.data());
        }
        if !shrinker.complete() {
            return Err(TRUNCATED.into());
        }
        shrinker.finish()
    };
    Ok(Raster {
        full: (width, height),
        width: kept.0,
        height: kept.1,
        channels,
        pixels,
        dpi,
    })
}

#[cfg(test)]
#[path = "../../tests/common/adam7.rs"]
mod adam7;

#[cfg(test)]
mod tests {
    use super::*;

    fn need(side: u32) -> Need {
        Need {
            max_side: (side, side),
            verify_jpeg: false,
        }
    }

    /// The same picture, written by the `png` crate without interlacing.
    fn plain_png(w: u32, h: u32, channels: usize, pixel: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(match channels {
            1 => png::ColorType::Grayscale,
            2 => png::ColorType::GrayscaleAlpha,
            3 => png::ColorType::Rgb,
            _ => png::ColorType::Rgba,
        });
        let mut writer = encoder.write_header().unwrap();
        let data: Vec<u8> = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .flat_map(|(x, y)| pixel(x, y)[..channels].to_vec())
            .collect();
        writer.write_image_data(&data).unwrap();
        writer.finish().unwrap();
        out
    }

    fn pattern(x: u32, y: u32) -> [u8; 4] {
        [
            (x * 37 + y * 11) as u8,
            (x ^ y) as u8,
            (x * y) as u8,
            (200 + x % 50) as u8,
        ]
    }

    #[test]
    fn an_interlaced_png_gives_the_pixels_of_the_same_image_not_interlaced() {
        // Sizes below 8 leave some passes empty; odd sizes leave ragged last columns and rows.
        for (w, h) in [(1, 1), (3, 9), (37, 23), (64, 64), (200, 131)] {
            for channels in [1, 2, 3, 4] {
                let interlaced = adam7::interlaced_png(w, h, channels, pattern);
                let plain = plain_png(w, h, channels, pattern);
                for side in [5, 16, 1000] {
                    let a = decode(&interlaced, need(side)).unwrap();
                    let b = decode(&plain, need(side)).unwrap();
                    assert_eq!((a.width, a.height), (b.width, b.height));
                    assert_eq!(a.channels, b.channels);
                    assert!(
                        a.pixels == b.pixels,
                        "{w} x {h}, {channels} channels, at most {side} a side"
                    );
                }
            }
        }
    }

    #[test]
    fn a_huge_interlaced_png_is_shrunk_without_its_full_frame() {
        // 100 megapixels of grey, whose full frame (100 MB) is more than the decoder's own
        // allocations are allowed: the rows go straight into the 1000 x 1000 pixels kept.
        // (The peak memory of a build with such an image is in `benches/memory.rs`.)
        let (w, h) = (10_000, 10_000);
        let file = adam7::interlaced_png(w, h, 1, |x, y| {
            [
                if (x / 10 + y / 10).is_multiple_of(2) {
                    0
                } else {
                    250
                },
                0,
                0,
                0,
            ]
        });
        assert!(w as usize * h as usize > DECODER_BYTES);
        let r = decode(&file, need(1000)).unwrap();
        assert_eq!((r.width, r.height, r.full), (1000, 1000, (w, h)));
        // Each kept pixel covers one 10 x 10 square of the chequer.
        assert_eq!(&r.pixels[..4], &[0, 250, 0, 250]);
        assert_eq!(r.pixels[1000], 250);
    }

    #[test]
    fn a_truncated_interlaced_png_is_refused() {
        let file = adam7::interlaced_png(64, 64, 3, pattern);
        // Cut inside the image data, then closed with an IEND.
        let mut cut = file[..file.len() / 2].to_vec();
        cut.extend_from_slice(&file[file.len() - 12..]);
        let err = decode(&cut, need(1000)).err().unwrap();
        assert!(err.contains("PNG") || err.contains("truncated"), "{err}");
    }
}
