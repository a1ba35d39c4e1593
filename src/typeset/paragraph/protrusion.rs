//! Optical margin alignment (character protrusion, as pdfTeX and microtype do it): a hyphen,
//! a comma, a quotation mark at the edge of a justified line looks like a dent, since the
//! eye aligns the edge on the letters' ink. Those glyphs hang partly into the margin.
//!
//! The hang is given to the line breaker as part of the items, so a line may hold what
//! hangs (the measure it fills is the measure plus the hang), rather than being moved
//! after the lines are chosen:
//! - at a line end, a break after a word ending in a hanging glyph is a penalty of width
//!   minus the hang (before the space, which no longer is a break) and an inserted hyphen's
//!   penalty is its width minus its hang;
//! - at a line start, the space before a word starting with a hanging glyph becomes
//!   `glue(space + hang)`, an empty box, no break, `glue(-hang)`: a line that starts there
//!   (the space and what follows it up to the box are discarded) begins `hang` to the left;
//!   inside a line the two glues cancel out.

use super::super::linebreak::{Item, NO_BREAK};
use super::items::{Content, Prepared};

/// How far a glyph may hang into the left and the right margin, in ems of its size.
/// Close to microtype's defaults for text faces (its table is in parts of the glyph's width:
/// for Libertine's hyphen, comma and period about half their width; quotation marks a little
/// more; a little for the round or slanted capitals).
pub fn protrusion(c: char) -> (f32, f32) {
    match c {
        '-' | '\u{2010}' | '\u{2011}' => (0.12, 0.15),
        '–' => (0.12, 0.15),
        '—' => (0.1, 0.1),
        ',' | '.' => (0.0, 0.12),
        '…' => (0.0, 0.06),
        ':' | ';' => (0.0, 0.06),
        '“' | '”' | '„' => (0.2, 0.2),
        '‘' | '’' | '‚' => (0.12, 0.12),
        '"' => (0.15, 0.15),
        '\'' => (0.1, 0.1),
        'A' | 'T' | 'V' | 'W' | 'Y' => (0.04, 0.04),
        _ => (0.0, 0.0),
    }
}

/// The hang (points) of item `i`'s glyphs: its first glyph's on the left, its last one's on
/// the right.
fn hang(p: &Prepared, i: usize, left: bool) -> f32 {
    let (Item::Box { .. }, Content::Glyphs { style, glyphs, .. }) = (&p.items[i], &p.contents[i])
    else {
        return 0.0;
    };
    let mut texts = p
        .glyphs(*glyphs)
        .iter()
        .map(|g| g.text.as_str())
        .filter(|t| !t.is_empty());
    let c = if left {
        texts.next().and_then(|t| t.chars().next())
    } else {
        texts.next_back().and_then(|t| t.chars().next_back())
    };
    let (l, r) = c.map_or((0.0, 0.0), protrusion);
    p.styles[*style].size * if left { l } else { r }
}

/// Most items one item becomes (a space before a hanging glyph: five).
const MAX_EXPANSION: usize = 6;

/// What item `i` becomes: items, each with its own content (`true`) or none.
struct Expansion {
    items: [(Item, bool); MAX_EXPANSION],
    len: usize,
}

impl Expansion {
    fn push(&mut self, item: Item, own: bool) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = (item, own);
            self.len += 1;
        }
    }
}

fn expansion(items: &[Item], lefts: &[f32], rights: &[f32], p: &Prepared, i: usize) -> Expansion {
    let empty = Item::Box { width: 0.0 };
    let mut out = Expansion {
        items: [(empty, false); MAX_EXPANSION],
        len: 0,
    };
    // The first line: nothing breaks before it, so a plain negative glue.
    if i == 0 && lefts[0] > 0.0 {
        out.push(
            Item::Glue {
                width: -lefts[0],
                stretch: 0.0,
                shrink: 0.0,
            },
            false,
        );
    }
    let item = items[i];
    let after_box = i > 0 && matches!(items[i - 1], Item::Box { .. });
    match item {
        Item::Glue {
            width,
            stretch,
            shrink,
        } if stretch < super::super::linebreak::FIL => {
            let r = if after_box { rights[i - 1] } else { 0.0 };
            if r > 0.0 {
                let penalty = Item::Penalty {
                    width: -r,
                    cost: 0.0,
                    flagged: false,
                };
                out.push(penalty, false);
            }
            let l = lefts.get(i + 1).copied().unwrap_or(0.0);
            if l > 0.0 {
                let glue = Item::Glue {
                    width: width + l,
                    stretch,
                    shrink,
                };
                out.push(glue, true);
                out.push(Item::Box { width: 0.0 }, false);
                let no_break = Item::Penalty {
                    width: 0.0,
                    cost: NO_BREAK,
                    flagged: false,
                };
                out.push(no_break, false);
                let back = Item::Glue {
                    width: -l,
                    stretch: 0.0,
                    shrink: 0.0,
                };
                out.push(back, false);
                return out;
            }
        }
        // A break at a hyphen: the hyphen drawn, or the dash that ends the box before.
        Item::Penalty {
            width,
            cost,
            flagged: true,
        } => {
            let r = match &p.contents[i] {
                Content::Hyphen { style, .. } => p.styles[*style].size * protrusion('-').1,
                _ if after_box => rights[i - 1],
                _ => 0.0,
            };
            let penalty = Item::Penalty {
                width: width - r,
                cost,
                flagged: true,
            };
            out.push(penalty, true);
            return out;
        }
        _ => {}
    }
    out.push(item, true);
    out
}

/// Lets the glyphs at the edges of the lines hang (see the module's documentation).
///
/// In place, from the back: each item only ever moves towards the end, so a paragraph of
/// millions of items (a word broken at each letter) is not held twice.
pub(super) fn protrude(p: &mut Prepared) {
    let n = p.items.len();
    if n == 0 {
        return;
    }
    let lefts: Vec<f32> = (0..n).map(|i| hang(p, i, true)).collect();
    let rights: Vec<f32> = (0..n).map(|i| hang(p, i, false)).collect();
    let total: usize = (0..n)
        .map(|i| expansion(&p.items, &lefts, &rights, p, i).len)
        .sum();
    p.items.resize(total, Item::Box { width: 0.0 });
    p.contents.resize(total, Content::Empty);
    let mut w = total;
    for i in (0..n).rev() {
        // Read before anything lands on `i` (item `i` goes to `i` or after it).
        let e = expansion(&p.items, &lefts, &rights, p, i);
        let mut own = std::mem::replace(&mut p.contents[i], Content::Empty);
        for &(item, is_own) in e.items[..e.len].iter().rev() {
            w -= 1;
            p.items[w] = item;
            p.contents[w] = if is_own {
                std::mem::replace(&mut own, Content::Empty)
            } else {
                Content::Empty
            };
        }
    }
}
