//! PNG: decoded with the `png` crate to 8-bit grey or RGB (alpha apart), row by row, shrunk
//! on the way to the pixels print needs (see `shrink`).

use std::io::Cursor;

use super::shrink::{fitted, Shrinker};
use super::{check_size, Need, Raster, Refusal};

/// Most bytes the decoder may allocate for one image besides its rows: its chunks (text,
/// colour profile) are ignored, so this bounds a file that inflates to gigabytes.
const DECODER_BYTES: usize = 64 << 20;

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
    // An interlaced image comes in passes, not rows: it is decoded whole (the size check
    // above bounds it), the others a row at a time.
    let frame_bytes = if interlaced {
        width as usize * height as usize * 4
    } else {
        0
    };
    decoder.set_limits(png::Limits {
        bytes: DECODER_BYTES + frame_bytes,
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
    let mut shrinker = Shrinker::new((width, height), kept, channels)?;
    let row_len = width as usize * channels;
    if interlaced {
        let size = reader
            .output_buffer_size()
            .ok_or_else(|| "is too large to decode".to_string())?;
        let mut buf = Vec::new();
        buf.try_reserve_exact(size)
            .map_err(|_| format!("needs {} MB to decode, more than is free", size >> 20))?;
        buf.resize(size, 0);
        let frame = reader.next_frame(&mut buf).map_err(damaged)?;
        for row in buf[..frame.buffer_size()].chunks_exact(frame.line_size) {
            shrinker.push(&row[..row_len.min(row.len())]);
        }
    } else {
        while let Some(row) = reader.next_row().map_err(damaged)? {
            shrinker.push(row.data());
        }
    }
    if !shrinker.complete() {
        return Err("ended before all its pixels (truncated?)".into());
    }
    Ok(Raster {
        full: (width, height),
        width: kept.0,
        height: kept.1,
        channels,
        pixels: shrinker.finish(),
        dpi,
    })
}
