//! A tiny stable hash (64-bit FNV-1a) for subset tags and the file /ID.
//!
//! `std`'s hashers are not promised to be stable across Rust releases; these values end up in
//! the output, which must be reproducible.

pub(crate) struct Fnv(u64);

impl Fnv {
    pub fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// A second, independent stream (for 128-bit values).
    pub fn with_seed(seed: u64) -> Self {
        let mut h = Fnv::new();
        h.write(&seed.to_be_bytes());
        h
    }

    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}
