//! A small writer of interlaced (Adam7) PNGs for tests and benches: the `png` crate writes
//! only non-interlaced images. 8-bit samples, filter type 0, rows streamed into the deflater
//! so that a 100-megapixel image costs no more memory than its compressed bytes.

use std::io::Write;

/// Which pass each pixel of an 8 x 8 tile belongs to, as the PNG specification draws it
/// (a different reading of the standard from the decoder's table of steps and offsets).
const TILE: [&[u8; 8]; 8] = [
    b"16462646",
    b"77777777",
    b"56565656",
    b"77777777",
    b"36463646",
    b"77777777",
    b"56565656",
    b"77777777",
];

/// An interlaced PNG of `width` x `height` pixels of `channels` samples (1 grey, 2 grey and
/// alpha, 3 RGB, 4 RGBA), each pixel's samples given by `pixel(x, y)`.
pub fn interlaced_png(
    width: u32,
    height: u32,
    channels: usize,
    pixel: impl Fn(u32, u32) -> [u8; 4],
) -> Vec<u8> {
    let colour_type = match channels {
        1 => 0,
        2 => 4,
        3 => 2,
        _ => 6,
    };
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, colour_type, 0, 0, 1]);
    chunk(&mut png, b"IHDR", &header);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut row = Vec::new();
    // Each pass is the rows holding its pixels, each row its pixels left to right.
    for pass in b'1'..=b'7' {
        for y in 0..height {
            let tile = TILE[(y % 8) as usize];
            row.clear();
            row.push(0);
            for x in (0..width).filter(|x| tile[(x % 8) as usize] == pass) {
                row.extend_from_slice(&pixel(x, y)[..channels]);
            }
            if row.len() > 1 {
                z.write_all(&row).expect("deflate");
            }
        }
    }
    chunk(&mut png, b"IDAT", &z.finish().expect("deflate"));
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.sum().to_be_bytes());
}
