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
