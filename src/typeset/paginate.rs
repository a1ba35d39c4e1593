//! Vertical lists -> pages: where each page ends, with widows, orphans and headings kept in
//! place by the `break_after` flags the block builder sets.

use super::paragraph::Line;

/// One element of a chapter's vertical list. Positions are relative to the text block.
#[derive(Debug, Clone, PartialEq)]
pub enum VItem {
    Line {
        /// Left edge of the line relative to the text block.
        x: f32,
        line: Line,
        /// Distance from the previous baseline.
        advance: f32,
        /// May the page end after this line?
        break_after: bool,
    },
    /// Vertical space; dropped at the top of a page when `discardable`.
    Space {
        height: f32,
        discardable: bool,
        break_after: bool,
    },
    /// A horizontal rule in the middle of `height`.
    Rule {
        x: f32,
        width: f32,
        thickness: f32,
        height: f32,
        break_after: bool,
    },
    /// Marks the top of the next line, for links and bookmarks.
    Anchor(String),
}

impl VItem {
    fn break_after(&self) -> bool {
        match self {
            VItem::Line { break_after, .. }
            | VItem::Space { break_after, .. }
            | VItem::Rule { break_after, .. } => *break_after,
            VItem::Anchor(_) => false,
        }
    }

    /// Height this item takes when it is (`first`) or is not the first thing on its page.
    fn height(&self, first: bool) -> f32 {
        match self {
            VItem::Line { line, advance, .. } => {
                if first {
                    line.ascent
                } else {
                    *advance
                }
            }
            VItem::Space { height, .. } | VItem::Rule { height, .. } => *height,
            VItem::Anchor(_) => 0.0,
        }
    }

    fn is_discardable(&self) -> bool {
        matches!(
            self,
            VItem::Space {
                discardable: true,
                ..
            }
        )
    }
}

/// A page's content, measured from the top-left of the text block (y grows downwards).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageBody {
    pub lines: Vec<PlacedLine>,
    pub rules: Vec<PlacedRule>,
    /// Anchor key and the distance from the text block top to the top of what it marks.
    pub anchors: Vec<(String, f32)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLine {
    pub x: f32,
    pub baseline: f32,
    pub line: Line,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedRule {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub thickness: f32,
}

/// Tolerance for rounding when deciding whether a line still fits.
const FIT_EPSILON: f32 = 0.01;

/// Breaks `items` into pages of `block_height`: each page takes as much as fits, then backs
/// up to the last place a break is allowed. When there is none on the page (a very long
/// unbreakable stretch), it breaks where it must rather than overflow.
pub fn paginate(items: &[VItem], block_height: f32) -> Vec<PageBody> {
    let mut pages = Vec::new();
    let mut i = 0;
    let n = items.len();
    while i < n {
        while i < n && items[i].is_discardable() {
            i += 1;
        }
        if i >= n {
            break;
        }
        let mut y = 0.0;
        let mut first = true;
        let mut j = i;
        let mut last_good = None;
        while j < n {
            let h = items[j].height(first);
            if y + h > block_height + FIT_EPSILON
                && j > i
                && !matches!(items[j], VItem::Space { .. })
            {
                break;
            }
            y += h;
            if matches!(items[j], VItem::Line { .. } | VItem::Rule { .. }) {
                first = false;
            }
            if items[j].break_after() {
                last_good = Some(j + 1);
            }
            j += 1;
        }
        let end = if j >= n {
            n
        } else {
            match last_good {
                Some(g) if g > i => g,
                _ => j.max(i + 1),
            }
        };
        pages.push(place(&items[i..end]));
        i = end;
    }
    if pages.is_empty() {
        pages.push(PageBody::default());
    }
    pages
}

fn place(items: &[VItem]) -> PageBody {
    let mut page = PageBody::default();
    let mut y = 0.0;
    let mut first = true;
    let mut pending: Vec<String> = Vec::new();
    for item in items {
        let h = item.height(first);
        match item {
            VItem::Line { x, line, .. } => {
                y += h;
                for key in pending.drain(..) {
                    page.anchors.push((key, y - line.ascent));
                }
                page.lines.push(PlacedLine {
                    x: *x,
                    baseline: y,
                    line: line.clone(),
                });
                first = false;
            }
            VItem::Space { .. } => y += h,
            VItem::Rule {
                x,
                width,
                thickness,
                ..
            } => {
                page.rules.push(PlacedRule {
                    x: *x,
                    y: y + h / 2.0,
                    width: *width,
                    thickness: *thickness,
                });
                y += h;
                first = false;
            }
            VItem::Anchor(key) => pending.push(key.clone()),
        }
    }
    for key in pending {
        page.anchors.push((key, y));
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(break_after: bool) -> VItem {
        VItem::Line {
            x: 0.0,
            line: Line {
                ascent: 8.0,
                ..Line::default()
            },
            advance: 12.0,
            break_after,
        }
    }

    #[test]
    fn pages_back_up_to_an_allowed_break() {
        // 10 lines fit (8 + 9 * 12 = 116 <= 120); the break after line 10 is forbidden.
        let mut items: Vec<VItem> = (0..20).map(|_| line(true)).collect();
        if let VItem::Line { break_after, .. } = &mut items[9] {
            *break_after = false;
        }
        let pages = paginate(&items, 120.0);
        assert_eq!(pages[0].lines.len(), 9);
        assert_eq!(pages[1].lines.len(), 11 - 1);
        assert_eq!(pages.iter().map(|p| p.lines.len()).sum::<usize>(), 20);
    }

    #[test]
    fn unbreakable_material_is_split_rather_than_lost() {
        let items: Vec<VItem> = (0..30).map(|_| line(false)).collect();
        let pages = paginate(&items, 120.0);
        assert_eq!(pages.iter().map(|p| p.lines.len()).sum::<usize>(), 30);
        assert!(pages
            .iter()
            .all(|p| p.lines.last().is_none_or(|l| l.baseline <= 120.01)));
    }

    #[test]
    fn spaces_are_dropped_at_the_top_of_a_page() {
        let mut items: Vec<VItem> = (0..10).map(|_| line(true)).collect();
        items.push(VItem::Space {
            height: 30.0,
            discardable: true,
            break_after: true,
        });
        items.push(line(true));
        let pages = paginate(&items, 116.0);
        assert_eq!(pages[1].lines[0].baseline, 8.0);
    }
}
