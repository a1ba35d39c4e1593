//! PNG: decoded with the `png` crate to 8-bit grey or RGB, alpha apart.

use std::io::Cursor;

use super::{check_size, split_alpha, ArtData, Decoded, Refusal};

pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, Refusal> {
    let damaged = |e: png::DecodingError| format!("is not a readable PNG ({e})");
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    // Check the size from the header before any pixel is allocated.
    let header = decoder.read_header_info().map_err(damaged)?;
    check_size(header.width, header.height)?;
    decoder.set_limits(png::Limits {
        bytes: super::MAX_PIXELS as usize * 8,
    });
    // Palettes, low bit depths and 16-bit samples all become 8-bit grey or RGB.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(damaged)?;
    let dpi = reader.info().pixel_dims.and_then(|d| {
        (d.unit == png::Unit::Meter).then_some((d.xppu as f32 * 0.0254, d.yppu as f32 * 0.0254))
    });
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "is too large to decode".to_string())?;
    let mut buf = vec![0; size];
    let frame = reader.next_frame(&mut buf).map_err(damaged)?;
    buf.truncate(frame.buffer_size());
    let (width, height) = (frame.width, frame.height);
    let (samples, gray, alpha) = match frame.color_type {
        png::ColorType::Grayscale => (buf, true, None),
        png::ColorType::Rgb => (buf, false, None),
        png::ColorType::GrayscaleAlpha => {
            let (s, a) = split_alpha(&buf, 1);
            (s, true, a)
        }
        png::ColorType::Rgba => {
            let (s, a) = split_alpha(&buf, 3);
            (s, false, a)
        }
        png::ColorType::Indexed => return Err("has a palette the decoder did not expand".into()),
    };
    let colours = if gray { 1 } else { 3 };
    if samples.len() != width as usize * height as usize * colours {
        return Err("ended before all its pixels (truncated?)".into());
    }
    Ok(Decoded {
        width,
        height,
        dpi,
        data: ArtData::Pixels {
            samples: samples.into(),
            gray,
            alpha: alpha.map(Into::into),
        },
    })
}
