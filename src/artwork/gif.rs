//! GIF: the first frame, placed on the image's logical screen, as RGB with alpha apart; the
//! screen is made a row at a time and shrunk on the way (a tiny file may name a huge screen).

use super::shrink::{fitted, Shrinker};
use super::{check_size, Need, Raster, Refusal};

pub(crate) fn decode(bytes: &[u8], need: Need) -> Result<Raster, Refusal> {
    let damaged = |e: gif::DecodingError| format!("is not a readable GIF ({e})");
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    options.set_memory_limit(gif::MemoryLimit::Bytes(
        std::num::NonZeroU64::new(super::MAX_PIXELS * 4).unwrap_or(std::num::NonZeroU64::MIN),
    ));
    let mut decoder = options.read_info(bytes).map_err(damaged)?;
    let (width, height) = (u32::from(decoder.width()), u32::from(decoder.height()));
    check_size(width, height)?;
    let frame = decoder
        .read_next_frame()
        .map_err(damaged)?
        .ok_or_else(|| "has no picture in it".to_string())?;
    let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
    if frame.buffer.len() < fw * fh * 4 {
        return Err("ended before all its pixels (truncated?)".into());
    }
    let kept = fitted(width, height, need.max_side.0, need.max_side.1);
    let mut shrinker = Shrinker::new((width, height), kept, 4)?;
    // The frame may cover part of the screen; the rest is transparent.
    let (top, left) = (usize::from(frame.top), usize::from(frame.left));
    let mut row = vec![0u8; width as usize * 4];
    for y in 0..height as usize {
        row.iter_mut().for_each(|b| *b = 0);
        if (top..top + fh).contains(&y) && left < width as usize {
            let n = fw.min(width as usize - left);
            let at = (y - top) * fw * 4;
            row[left * 4..(left + n) * 4].copy_from_slice(&frame.buffer[at..at + n * 4]);
        }
        shrinker.push(&row);
    }
    Ok(Raster {
        full: (width, height),
        width: kept.0,
        height: kept.1,
        channels: 4,
        pixels: shrinker.finish(),
        dpi: None,
    })
}
