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
    sums: Vec<u32>,
    /// Source pixels received, to tell a complete image from a truncated one.
    received: u64,
}

impl Scatter {
    pub fn new(src: (u32, u32), dst: (u32, u32), channels: usize) -> Result<Scatter, String> {
        let len = dst.0 as usize * dst.1 as usize * channels;
        let mut sums = Vec::new();
        sums.try_reserve_exact(len)
            .map_err(|_| format!("needs {} MB to print, more than is free", (len * 4) >> 20))?;
        sums.resize(len, 0);
        Ok(Scatter {
            src: (src.0 as usize, src.1 as usize),
            dst: (dst.0 as usize, dst.1 as usize),
            channels,
            sums,
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
        let line = &mut self.sums[(y * dh / sh) * dw * ch..][..dw * ch];
        for (i, px) in pixels.chunks_exact(ch).enumerate() {
            let x = x0 + i * step;
            if x >= sw {
                break;
            }
            let dx = x * dw / sw;
            for (sum, &v) in line[dx * ch..][..ch].iter_mut().zip(px) {
                *sum += u32::from(v);
            }
            self.received += 1;
        }
    }

    /// Whether every source pixel came.
    pub fn complete(&self) -> bool {
        self.received >= self.src.0 as u64 * self.src.1 as u64
    }

    /// The shrunk pixels, `dst` in size: each the mean of the source pixels it covers, whose
    /// count follows from the sizes alone.
    pub fn finish(self) -> Vec<u8> {
        let (sw, sh) = self.src;
        let (dw, dh) = self.dst;
        // How many source columns (rows) fall into each output column (row).
        let spans = |s: usize, d: usize| {
            let mut n = vec![0u32; d];
            for i in 0..s {
                n[i * d / s] += 1;
            }
            n
        };
        let (across, down) = (spans(sw, dw), spans(sh, dh));
        let ch = self.channels;
        let mut bytes = Vec::with_capacity(self.sums.len());
        for (dy, row) in self.sums.chunks_exact(dw * ch).enumerate() {
            for (dx, px) in row.chunks_exact(ch).enumerate() {
                let n = across[dx] * down[dy];
                bytes.extend(
                    px.iter()
                        .map(|&v| (v + n / 2).checked_div(n).unwrap_or(0) as u8),
                );
            }
        }
        bytes
    }
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
