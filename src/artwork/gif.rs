//! GIF: the first frame, placed on the image's logical screen, as RGB with alpha apart.

use super::{check_size, split_alpha, ArtData, Decoded, Refusal};

pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, Refusal> {
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
    // The frame may cover part of the screen; the rest is transparent.
    let mut screen = vec![0u8; width as usize * height as usize * 4];
    let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
    if frame.buffer.len() < fw * fh * 4 {
        return Err("ended before all its pixels (truncated?)".into());
    }
    for row in 0..fh {
        let y = usize::from(frame.top) + row;
        if y >= height as usize {
            break;
        }
        let x0 = usize::from(frame.left);
        if x0 >= width as usize {
            break;
        }
        let n = fw.min(width as usize - x0);
        let src = &frame.buffer[row * fw * 4..(row * fw + n) * 4];
        let at = (y * width as usize + x0) * 4;
        screen[at..at + n * 4].copy_from_slice(src);
    }
    let (samples, alpha) = split_alpha(&screen, 3);
    Ok(Decoded {
        width,
        height,
        dpi: None,
        data: ArtData::Pixels {
            samples: samples.into(),
            gray: false,
            alpha: alpha.map(Into::into),
        },
    })
}
