//! Bidirectional text: the order in which a line's words are drawn.

use super::super::linebreak::Item;
use super::items::{Content, Prepared};

/// The direction of a box of glyphs, for ordering a line's words (see `visual_order`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    Ltr,
    /// A right-to-left word (Hebrew): its glyphs are already in visual order.
    Rtl,
    /// No letters (numbers, punctuation): takes the direction of the words around it.
    Neutral,
}

impl Dir {
    pub(super) fn of(text: &str, rtl: bool) -> Dir {
        if rtl {
            Dir::Rtl
        } else if text.chars().any(char::is_alphabetic) {
            Dir::Ltr
        } else {
            Dir::Neutral
        }
    }
}

/// The order in which a line's items are drawn, left to right: logical order, except that a
/// run of right-to-left words (with the spaces, numbers and punctuation between them) is
/// reversed, as the Unicode bidirectional algorithm orders them in a left-to-right paragraph.
pub(super) fn visual_order(p: &Prepared, range: std::ops::Range<usize>) -> Vec<usize> {
    let mut order: Vec<usize> = range.collect();
    let dir_of = |j: usize| match (&p.items[j], &p.contents[j]) {
        (Item::Box { .. }, Content::Glyphs { dir, .. }) => Some(*dir),
        (Item::Box { .. }, _) => Some(Dir::Ltr),
        _ => None,
    };
    let mut k = 0;
    while k < order.len() {
        if dir_of(order[k]) != Some(Dir::Rtl) {
            k += 1;
            continue;
        }
        let mut last = k;
        let mut m = k + 1;
        while m < order.len() {
            match dir_of(order[m]) {
                Some(Dir::Rtl) => last = m,
                Some(Dir::Ltr) => break,
                _ => {}
            }
            m += 1;
        }
        order[k..=last].reverse();
        k = last + 1;
    }
    order
}
