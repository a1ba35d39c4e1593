//! Random Markdown and raw HTML, as bytes, through the reader and the EPUB writer: see
//! `quire_fuzz::check_chapter`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        quire_fuzz::check_chapter(text);
    }
});
