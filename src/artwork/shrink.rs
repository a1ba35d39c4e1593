//! Shrinking a raster to the pixels print needs, row by row as the decoder hands them over, so
//! that a 100-megapixel scan printed 4 inches wide never has its full pixels in memory.
//!
//! A box filter (each output pixel the mean of the source pixels it covers): for reduction,
//! which is all this does, it is as good as any and costs one pass. Written here because it
//! must take rows one at a time (the image crates resize whole decoded buffers) and is short.

/// The size an image of `width` x `height` pixels is kept at when it need be at most
/// `max_width` x `max_height`: proportions kept, never enlarged.
pub fn fitted(width: u32, height: u32, max_width: u32, max_height: u32) -> (u32, u32) {
    let scale = (f64::from(max_width) / f64::from(width))
        .min(f64::from(max_height) / f64::from(height))
        .min(1.0);
    if scale >= 1.0 {
        return (width, height);
    }
    let side = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
    (side(width), side(height))
}

/// Takes source rows in order and gives the shrunk image.
pub struct Shrinker {
    src: (usize, usize),
    dst: (usize, usize),
    channels: usize,
    /// Sums and counts of the output row being gathered.
    sums: Vec<u32>,
    counts: Vec<u32>,
    /// The output row `sums` belongs to.
    row: usize,
    next_src_row: usize,
    out: Vec<u8>,
}

impl Shrinker {
    pub fn new(src: (u32, u32), dst: (u32, u32), channels: usize) -> Result<Shrinker, String> {
        let (dw, dh) = (dst.0 as usize, dst.1 as usize);
        let mut out = Vec::new();
        out.try_reserve_exact(dw * dh * channels).map_err(|_| {
            format!(
                "needs {} MB to print, more than is free",
                (dw * dh * channels) >> 20
            )
        })?;
        Ok(Shrinker {
            src: (src.0 as usize, src.1 as usize),
            dst: (dw, dh),
            channels,
            sums: vec![0; dw * channels],
            counts: vec![0; dw],
            row: 0,
            next_src_row: 0,
            out,
        })
    }

    /// One source row (`channels` bytes a pixel); rows past the image's height are ignored.
    pub fn push(&mut self, row: &[u8]) {
        let (sw, sh) = self.src;
        let (dw, dh) = self.dst;
        if self.next_src_row >= sh {
            return;
        }
        let dy = self.next_src_row * dh / sh;
        self.next_src_row += 1;
        if dy != self.row {
            self.flush();
            self.row = dy;
        }
        let ch = self.channels;
        for (x, px) in row.chunks_exact(ch).take(sw).enumerate() {
            let dx = x * dw / sw;
            for (c, &v) in px.iter().enumerate() {
                self.sums[dx * ch + c] += u32::from(v);
            }
            self.counts[dx] += 1;
        }
    }

    fn flush(&mut self) {
        let ch = self.channels;
        for (dx, &n) in self.counts.iter().enumerate() {
            for c in 0..ch {
                let v = self.sums[dx * ch + c];
                self.out.push((v + n / 2).checked_div(n).unwrap_or(0) as u8);
            }
        }
        self.sums.iter_mut().for_each(|s| *s = 0);
        self.counts.iter_mut().for_each(|c| *c = 0);
    }

    /// The shrunk pixels, `dst` in size (rows never given are black: the caller checks that
    /// the decoder gave them all).
    pub fn finish(mut self) -> Vec<u8> {
        if self.next_src_row > 0 {
            self.flush();
        }
        let len = self.dst.0 * self.dst.1 * self.channels;
        self.out.resize(len, 0);
        self.out
    }

    /// Whether every source row came.
    pub fn complete(&self) -> bool {
        self.next_src_row >= self.src.1
    }
}

/// Takes an interlaced image's pixels in any order (Adam7's passes each spread over the whole
/// image) and gives the same shrunk image as [`Shrinker`] would from its rows: the sums of
/// every output pixel are kept, not the source, so memory is that of the output.
pub struct Scatter {
    src: (usize, usize),
    dst: (usize, usize),
    channels: usize,
    store: Store,
    /// Source pixels received, to tell a complete image from a truncated one.
    received: u64,
}

/// What a [`Scatter`] gathers into.
enum Store {
    /// Each output sample's sum over the source pixels it covers, in 16 bits when no output
    /// pixel covers more than 257 source pixels (255 x 257 fits), as a shrink of a few times
    /// each way does.
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
    /// The pixels themselves, when the image is kept at its full size (one source pixel per
    /// output pixel: sums would take four times the room).
    Pixels(Vec<u8>),
}

impl Scatter {
    pub fn new(src: (u32, u32), dst: (u32, u32), channels: usize) -> Result<Scatter, String> {
        let len = dst.0 as usize * dst.1 as usize * channels;
        let no_room =
            |bytes: usize| format!("needs {} MB to print, more than is free", bytes >> 20);
        // The most source pixels one output pixel covers.
        let most =
            u64::from(src.0.div_ceil(dst.0.max(1))) * u64::from(src.1.div_ceil(dst.1.max(1)));
        let store = if src == dst {
            Store::Pixels(zeroed(len).map_err(|_| no_room(len))?)
        } else if most <= 257 {
            Store::Narrow(zeroed(len).map_err(|_| no_room(len * 2))?)
        } else {
            Store::Wide(zeroed(len).map_err(|_| no_room(len * 4))?)
        };
        Ok(Scatter {
            src: (src.0 as usize, src.1 as usize),
            dst: (dst.0 as usize, dst.1 as usize),
            channels,
            store,
            received: 0,
        })
    }

    /// Source pixels of row `y`, the first at column `x0` and each next `step` columns on
    /// (`channels` bytes a pixel); pixels outside the image are ignored.
    pub fn put(&mut self, y: u32, x0: u32, step: u32, pixels: &[u8]) {
        let (sw, sh) = self.src;
        let (dw, dh) = self.dst;
        let (y, x0, step) = (y as usize, x0 as usize, step.max(1) as usize);
        if y >= sh {
            return;
        }
        let ch = self.channels;
        let start = (y * dh / sh) * dw * ch;
        let columns = pixels
            .chunks_exact(ch)
            .enumerate()
            .map(|(i, px)| (x0 + i * step, px))
            .take_while(|&(x, _)| x < sw);
        let received = match &mut self.store {
            Store::Narrow(sums) => gather(&mut sums[start..][..dw * ch], ch, (sw, dw), columns),
            Store::Wide(sums) => gather(&mut sums[start..][..dw * ch], ch, (sw, dw), columns),
            Store::Pixels(out) => {
                let line = &mut out[start..][..dw * ch];
                let mut n = 0;
                for (x, px) in columns {
                    line[x * ch..][..ch].copy_from_slice(px);
                    n += 1;
                }
                n
            }
        };
        self.received += received;
    }

    /// Whether every source pixel came.
    pub fn complete(&self) -> bool {
        self.received >= self.src.0 as u64 * self.src.1 as u64
    }

    /// The shrunk pixels, `dst` in size: each the mean of the source pixels it covers.
    pub fn finish(self) -> Vec<u8> {
        let (src, dst, ch) = (self.src, self.dst, self.channels);
        match self.store {
            Store::Pixels(pixels) => pixels,
            Store::Narrow(sums) => means(&sums, src, dst, ch),
            Store::Wide(sums) => means(&sums, src, dst, ch),
        }
    }
}

/// Each output sample's mean: its sum over the count of source pixels it covers, which
/// follows from the sizes alone.
fn means<T: Copy + Into<u32>>(
    sums: &[T],
    (sw, sh): (usize, usize),
    (dw, dh): (usize, usize),
    ch: usize,
) -> Vec<u8> {
    // How many source columns (rows) fall into each output column (row).
    let spans = |s: usize, d: usize| {
        let mut n = vec![0u32; d];
        for i in 0..s {
            n[i * d / s] += 1;
        }
        n
    };
    let (across, down) = (spans(sw, dw), spans(sh, dh));
    let mut bytes = Vec::with_capacity(sums.len());
    for (dy, row) in sums.chunks_exact(dw * ch).enumerate() {
        for (dx, px) in row.chunks_exact(ch).enumerate() {
            let n = across[dx] * down[dy];
            bytes.extend(
                px.iter()
                    .map(|&v| (v.into() + n / 2).checked_div(n).unwrap_or(0) as u8),
            );
        }
    }
    bytes
}

/// A zeroed vector of `len`, or an error when there is no room for it.
fn zeroed<T: Clone + Default>(len: usize) -> Result<Vec<T>, std::collections::TryReserveError> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)?;
    v.resize(len, T::default());
    Ok(v)
}

/// Adds a row's pixels (`(x, samples)`, `channels` samples each) into the sums of the output
/// row `line`, source width `sw` over output width `dw`; gives how many pixels it added.
fn gather<'a, T: Copy + From<u8> + std::ops::AddAssign>(
    line: &mut [T],
    channels: usize,
    (sw, dw): (usize, usize),
    columns: impl Iterator<Item = (usize, &'a [u8])>,
) -> u64 {
    let mut n = 0;
    for (x, px) in columns {
        let dx = x * dw / sw;
        for (sum, &v) in line[dx * channels..][..channels].iter_mut().zip(px) {
            *sum += T::from(v);
        }
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_fit_and_keep_proportions() {
        assert_eq!(fitted(10_000, 10_000, 1200, 2000), (1200, 1200));
        assert_eq!(fitted(800, 600, 1200, 2000), (800, 600));
        assert_eq!(fitted(4000, 1000, 1000, 1000), (1000, 250));
    }

    #[test]
    fn each_pixel_is_the_mean_of_what_it_covers() {
        // 4 x 2 grey to 2 x 1: means of 2 x 2 blocks.
        let mut s = Shrinker::new((4, 2), (2, 1), 1).unwrap();
        s.push(&[0, 10, 100, 200]);
        s.push(&[20, 30, 100, 0]);
        assert!(s.complete());
        assert_eq!(s.finish(), [15, 100]);
    }
}
