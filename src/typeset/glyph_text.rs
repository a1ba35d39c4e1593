//! The text a glyph stands for, as a 4-byte handle into one table of every cluster text the
//! process has shaped.
//!
//! A book holds every glyph it sets until the PDF is written (about 24 million for a 20 MB
//! chapter), so a glyph's size is most of a build's memory. A shared string (`Arc<str>`) made
//! a glyph 24 bytes; the handle makes it 12. Cluster texts are few (a book's characters and
//! ligatures: a few hundred), so the table is small and is never emptied: its strings live as
//! long as the process, which is what lets [`GlyphText::as_str`] hand out `&'static str`
//! without a lock held. Written by hand: string-interner crates bring a concurrent map for
//! what is a read-mostly table behind one lock, and single ASCII characters (most glyphs)
//! need no lookup at all here.

use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

/// Handles `1..=128` are the single ASCII characters; `0` is the empty text; the table's
/// entries follow.
const ASCII_END: u32 = 129;

/// Every ASCII character once, for the handles of single ASCII characters.
static ASCII: LazyLock<String> = LazyLock::new(|| (0u8..128).map(char::from).collect());

#[derive(Default)]
struct Table {
    handles: HashMap<&'static str, u32>,
    texts: Vec<&'static str>,
}

static TABLE: LazyLock<RwLock<Table>> = LazyLock::new(RwLock::default);

/// A glyph's text: `"fi"` for a ligature, `" "` for a space, empty for the second glyph of a
/// cluster that maps to several. Equal handles are equal texts. Reads as a `&str`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GlyphText(u32);

impl GlyphText {
    pub fn new(text: &str) -> GlyphText {
        match text.as_bytes() {
            [] => GlyphText(0),
            &[b] if b.is_ascii() => GlyphText(u32::from(b) + 1),
            _ => GlyphText(intern(text)),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self.0 {
            0 => "",
            h if h < ASCII_END => {
                let b = (h - 1) as usize;
                ASCII.get(b..b + 1).unwrap_or("")
            }
            h => {
                let table = TABLE.read().unwrap_or_else(PoisonError::into_inner);
                table
                    .texts
                    .get((h - ASCII_END) as usize)
                    .copied()
                    .unwrap_or("")
            }
        }
    }

    /// Whether the text is empty (without a look at the table).
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
}

fn intern(text: &str) -> u32 {
    if let Some(&h) = TABLE
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .handles
        .get(text)
    {
        return h;
    }
    let mut table = TABLE.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(&h) = table.handles.get(text) {
        return h;
    }
    // Handles past u32 would need four billion distinct cluster texts: far past any memory.
    let h = ASCII_END.saturating_add(u32::try_from(table.texts.len()).unwrap_or(u32::MAX));
    let text: &'static str = Box::leak(text.into());
    table.texts.push(text);
    table.handles.insert(text, h);
    h
}

impl std::ops::Deref for GlyphText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for GlyphText {
    fn from(s: &str) -> Self {
        GlyphText::new(s)
    }
}

impl From<String> for GlyphText {
    fn from(s: String) -> Self {
        GlyphText::new(&s)
    }
}

impl PartialEq<str> for GlyphText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for GlyphText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for GlyphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for GlyphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_back_as_they_were_given() {
        for text in [
            "",
            "a",
            " ",
            "\u{7f}",
            "\0",
            "fi",
            "é",
            "ffi",
            "\u{1F600}",
            "ם",
        ] {
            let t = GlyphText::new(text);
            assert_eq!(t.as_str(), text);
            assert_eq!(t, GlyphText::new(text), "one handle per text");
            assert_eq!(t.is_empty(), text.is_empty());
        }
        assert_ne!(GlyphText::new("a"), GlyphText::new("b"));
        assert_ne!(GlyphText::new("fi"), GlyphText::new("fl"));
        assert_eq!(std::mem::size_of::<super::super::document::Glyph>(), 12);
    }

    #[test]
    fn threads_agree_on_handles() {
        let handles: Vec<Vec<GlyphText>> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        (0..500)
                            .map(|i| GlyphText::new(&format!("t{i}")))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        assert!(handles.windows(2).all(|w| w[0] == w[1]));
        assert_eq!(handles[0][7].as_str(), "t7");
    }
}
