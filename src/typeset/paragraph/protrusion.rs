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
    let mut texts = glyphs
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

/// Lets the glyphs at the edges of the lines hang (see the module's documentation).
pub(super) fn protrude(p: &mut Prepared) {
    let mut items = Vec::with_capacity(p.items.len() + p.items.len() / 4);
    let mut contents = Vec::with_capacity(items.capacity());
    let n = p.items.len();
    // Measured before the contents move out.
    let lefts: Vec<f32> = (0..n).map(|i| hang(p, i, true)).collect();
    let rights: Vec<f32> = (0..n).map(|i| hang(p, i, false)).collect();
    // The first line: nothing breaks before it, so a plain negative glue.
    if n > 0 {
        let l = lefts[0];
        if l > 0.0 {
            items.push(Item::Glue {
                width: -l,
                stretch: 0.0,
                shrink: 0.0,
            });
            contents.push(Content::Empty);
        }
    }
    for i in 0..n {
        let item = p.items[i];
        let after_box = i > 0 && matches!(p.items[i - 1], Item::Box { .. });
        match item {
            Item::Glue {
                width,
                stretch,
                shrink,
            } if stretch < super::super::linebreak::FIL => {
                let r = if after_box { rights[i - 1] } else { 0.0 };
                if r > 0.0 {
                    items.push(Item::Penalty {
                        width: -r,
                        cost: 0.0,
                        flagged: false,
                    });
                    contents.push(Content::Empty);
                }
                let l = lefts.get(i + 1).copied().unwrap_or(0.0);
                if l > 0.0 {
                    items.push(Item::Glue {
                        width: width + l,
                        stretch,
                        shrink,
                    });
                    contents.push(std::mem::replace(&mut p.contents[i], Content::Empty));
                    items.push(Item::Box { width: 0.0 });
                    contents.push(Content::Empty);
                    items.push(Item::Penalty {
                        width: 0.0,
                        cost: NO_BREAK,
                        flagged: false,
                    });
                    contents.push(Content::Empty);
                    items.push(Item::Glue {
                        width: -l,
                        stretch: 0.0,
                        shrink: 0.0,
                    });
                    contents.push(Content::Empty);
                    continue;
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
                items.push(Item::Penalty {
                    width: width - r,
                    cost,
                    flagged: true,
                });
                contents.push(std::mem::replace(&mut p.contents[i], Content::Empty));
                continue;
            }
            _ => {}
        }
        items.push(item);
        contents.push(std::mem::replace(&mut p.contents[i], Content::Empty));
    }
    p.items = items;
    p.contents = contents;
}
