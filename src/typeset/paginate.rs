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
    /// A figure's image, `height` tall: never split, it moves to the next page when it does
    /// not fit.
    Image {
        x: f32,
        image: FigureImage,
        break_after: bool,
    },
}

/// An image set as a figure: key into the book's `Gallery`, size in points, alt text.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureImage {
    pub key: usize,
    pub width: f32,
    pub height: f32,
    pub alt: String,
}

impl VItem {
    fn break_after(&self) -> bool {
        match self {
            VItem::Line { break_after, .. }
            | VItem::Space { break_after, .. }
            | VItem::Rule { break_after, .. }
            | VItem::Image { break_after, .. } => *break_after,
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
            VItem::Image { image, .. } => image.height,
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
    pub images: Vec<PlacedImage>,
}

/// A figure's image on a page; `y` is the distance from the text block top to its top.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedImage {
    pub x: f32,
    pub y: f32,
    pub image: FigureImage,
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
///
/// The first page is a recto (a chapter opening); after it pages come in facing pairs. When
/// `line` is positive, a pair that would end unevenly (one page backed up to avoid a widow or
/// orphan) is run one line short or one line long together, as books do, rather than
/// leaving the two page feet at different heights.
pub fn paginate(items: &[VItem], block_height: f32, line: f32) -> Vec<PageBody> {
    let mut pages = Vec::new();
    let n = items.len();
    let mut i = skip_discardable(items, 0);
    while i < n {
        let verso = pages.len() % 2 == 1;
        let mut chosen = None;
        if verso && line > 0.0 {
            // The first height that ends both pages evenly, preferring one where neither
            // page ends in a hyphen (a reader turning the page should not carry half a word).
            let mut even_with_hyphen = None;
            for h in [block_height, block_height - line, block_height + line] {
                let first = fill(items, i, h);
                let second_start = skip_discardable(items, first.end);
                let second = fill(items, second_start, h);
                let even = |f: &Fill| f.end >= n || h - f.used < line;
                if even(&first) && (second_start >= n || even(&second)) {
                    let hyphen = ends_hyphenated(items, first.end)
                        || (second_start < n && ends_hyphenated(items, second.end));
                    if !hyphen {
                        chosen = Some(h);
                        break;
                    }
                    even_with_hyphen.get_or_insert(h);
                }
            }
            chosen = chosen.or(even_with_hyphen);
        } else if pages.is_empty() && line > 0.0 {
            // The opening page faces the end of the previous chapter (or a blank): it may run
            // a line short rather than end in a hyphen.
            let full = fill(items, i, block_height);
            if full.end < n && ends_hyphenated(items, full.end) {
                let short = fill(items, i, block_height - line);
                if short.end > i && !ends_hyphenated(items, short.end) {
                    pages.push(place(&items[i..short.end]));
                    i = skip_discardable(items, short.end);
                    continue;
                }
            }
        }
        let h = chosen.unwrap_or(block_height);
        let count = if chosen.is_some() { 2 } else { 1 };
        for _ in 0..count {
            if i >= n {
                break;
            }
            let f = fill(items, i, h);
            pages.push(place(&items[i..f.end]));
            i = skip_discardable(items, f.end);
        }
    }
    if pages.is_empty() {
        pages.push(PageBody::default());
    }
    pages
}

/// Whether the last line before item `end` ends with an inserted hyphen.
fn ends_hyphenated(items: &[VItem], end: usize) -> bool {
    items[..end.min(items.len())]
        .iter()
        .rev()
        .find_map(|item| match item {
            VItem::Line { line, .. } => Some(line.hyphenated),
            _ => None,
        })
        .unwrap_or(false)
}

fn skip_discardable(items: &[VItem], mut i: usize) -> usize {
    while i < items.len() && items[i].is_discardable() {
        i += 1;
    }
    i
}

/// Where a page that starts at item `start` ends, and the height it uses.
struct Fill {
    end: usize,
    used: f32,
}

fn fill(items: &[VItem], start: usize, block_height: f32) -> Fill {
    let n = items.len();
    let mut y = 0.0;
    let mut first = true;
    let mut j = start;
    // (end, height used) at the last allowed break.
    let mut last_good: Option<(usize, f32)> = None;
    let mut content_y = 0.0;
    while j < n {
        let h = items[j].height(first);
        let is_space = matches!(items[j], VItem::Space { .. });
        if y + h > block_height + FIT_EPSILON && j > start && !is_space {
            break;
        }
        y += h;
        if !is_space {
            content_y = y;
        }
        if matches!(
            items[j],
            VItem::Line { .. } | VItem::Rule { .. } | VItem::Image { .. }
        ) {
            first = false;
        }
        if items[j].break_after() {
            last_good = Some((j + 1, content_y));
        }
        j += 1;
    }
    if j >= n {
        return Fill {
            end: n,
            used: content_y,
        };
    }
    match last_good {
        Some((end, used)) if end > start => Fill { end, used },
        _ => Fill {
            end: j.max(start + 1),
            used: content_y,
        },
    }
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
            VItem::Image { x, image, .. } => {
                for key in pending.drain(..) {
                    page.anchors.push((key, y));
                }
                page.images.push(PlacedImage {
                    x: *x,
                    y,
                    image: image.clone(),
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
        let pages = paginate(&items, 120.0, 0.0);
        assert_eq!(pages[0].lines.len(), 9);
        assert_eq!(pages[1].lines.len(), 11 - 1);
        assert_eq!(pages.iter().map(|p| p.lines.len()).sum::<usize>(), 20);
    }

    #[test]
    fn unbreakable_material_is_split_rather_than_lost() {
        let items: Vec<VItem> = (0..30).map(|_| line(false)).collect();
        let pages = paginate(&items, 120.0, 0.0);
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
        let pages = paginate(&items, 116.0, 0.0);
        assert_eq!(pages[1].lines[0].baseline, 8.0);
    }

    #[test]
    fn facing_pages_end_at_the_same_height() {
        // Page 0 (recto) then a spread. 10 lines fit a page. Paragraph lengths force the
        // verso to back up one line; the recto must then run short too.
        let mut items = Vec::new();
        for len in [10usize, 9, 4, 30] {
            for k in 1..=len {
                items.push(line(k == len || (k >= 2 && len - k >= 2)));
            }
        }
        let foot = |p: &PageBody| p.lines.last().map_or(0.0, |l| l.baseline);
        let ragged = paginate(&items, 116.0, 0.0);
        assert_ne!(
            foot(&ragged[1]),
            foot(&ragged[2]),
            "the case needs balancing"
        );
        let pages = paginate(&items, 116.0, 12.0);
        assert_eq!(
            foot(&pages[1]),
            foot(&pages[2]),
            "{:?}",
            pages.iter().map(|p| p.lines.len()).collect::<Vec<_>>()
        );
        assert_eq!(pages.iter().map(|p| p.lines.len()).sum::<usize>(), 53);
    }
}
