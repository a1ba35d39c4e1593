//! Vertical lists -> pages: where each page ends, with widows, orphans and headings kept in
//! place by the `break_after` flags the block builder sets, footnotes at the foot of the page
//! that cites them (TeX's insertions), and a table's header repeated on each page it
//! continues on.

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
    /// Notes cited by the line just before: set at the foot of that line's page.
    Insert(Insert),
    /// A table's header (its rules and lines), set again at the top of every page that starts
    /// inside the table, up to the matching [`VItem::TableEnd`].
    TableHeader(Vec<VItem>),
    TableEnd,
    /// A figure's image, `height` tall: never split, it moves to the next page when it does
    /// not fit.
    Image {
        x: f32,
        image: FigureImage,
        break_after: bool,
    },
}

/// Footnotes as TeX inserts them: their own vertical list, placed below a short rule at the
/// foot of the page where the citing line lands. A note too long for the room left is split
/// where its `break_after` flags allow and continued at the foot of the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct Insert {
    /// The notes' lines (with their anchors and inner spaces), top to bottom.
    pub items: Vec<VItem>,
    /// Room between the last baseline of the text and the top of the notes, rule included.
    pub skip: f32,
    pub rule_width: f32,
    pub rule_thickness: f32,
    /// May the page end after the citing line (the line's own flag moves here, so that no
    /// page ever ends between a line and its notes).
    pub break_after: bool,
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
            VItem::Insert(insert) => insert.break_after,
            VItem::Anchor(_) | VItem::TableHeader(_) | VItem::TableEnd => false,
        }
    }

    /// Height this item takes when it is (`first`) or is not the first thing on its page.
    /// Inserts take no room in the text: their room is reserved at the foot.
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
            VItem::Anchor(_) | VItem::Insert(_) | VItem::TableHeader(_) | VItem::TableEnd => 0.0,
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

    /// Takes room on the page (a line or a rule, not a space or a marker).
    fn is_content(&self) -> bool {
        matches!(
            self,
            VItem::Line { .. } | VItem::Rule { .. } | VItem::Image { .. }
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
    /// Where in the chapter the page's text begins: its first line of the chapter's text (a
    /// repeated table header and the notes at its foot are not).
    pub start: Option<crate::model::pages::TextPosition>,
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
/// Most of a page that notes may fill while text still follows (the rest of a longer note
/// is continued on the next page), so that the text always moves on.
const MAX_NOTES: f32 = 0.6;
/// A table's header is repeated only when it is no taller than this part of the page.
const MAX_REPEATED_HEADER: f32 = 1.0 / 3.0;
/// What a hyphen at a verso's and at a recto's foot counts when a spread's depth is chosen.
const VERSO_FOOT_HYPHEN: u8 = 1;
const RECTO_FOOT_HYPHEN: u8 = 2;

/// Breaks `items` into pages of `block_height`: each page takes as much as fits, then backs
/// up to the last place a break is allowed. When there is none on the page (a very long
/// unbreakable stretch), it breaks where it must rather than overflow.
///
/// The first page is a recto (a chapter opening); after it pages come in facing pairs. When
/// `line` is positive, a pair that would end unevenly (one page backed up to avoid a widow or
/// orphan) is run one line short or one line long together, as books do, rather than
/// leaving the two page feet at different heights.
///
/// The pages are chosen first and placed after, each taking its lines out of `items`: a
/// chapter's glyphs are held once, not once in its items and again in its pages.
pub fn paginate(mut items: Vec<VItem>, block_height: f32, line: f32) -> Vec<PageBody> {
    let plan = plan_pages(&items, block_height, line);
    let mut pages: Vec<PageBody> = plan
        .iter()
        .map(|(page, fill)| place(&mut items, page, fill))
        .collect();
    if pages.is_empty() {
        pages.push(PageBody::default());
    }
    pages
}

/// Where each page starts and ends: [`paginate`] without placing anything.
fn plan_pages(items: &[VItem], block_height: f32, line: f32) -> Vec<(Page, Fill)> {
    let mut pages = Vec::new();
    let n = items.len();
    let headers = running_headers(items, block_height * MAX_REPEATED_HEADER);
    let header = |i: usize| -> Option<usize> {
        match (i.checked_sub(1).and_then(|k| headers[k]), items.get(i)) {
            (_, Some(VItem::TableEnd)) | (None, _) => None,
            (Some(k), _) => Some(k),
        }
    };
    let page = |start: usize, carry: Option<Cursor>, h: f32| Page {
        start,
        carry,
        header: header(start),
        height: h,
    };
    // The chapter is done when its text and the rest of its notes are placed.
    let last = |f: &Fill| f.end >= n && f.foot.carry.is_none();
    let mut i = skip_discardable(items, 0);
    let mut carry: Option<Cursor> = None;
    while i < n || carry.is_some() {
        let verso = pages.len() % 2 == 1;
        let mut chosen = None;
        if verso && line > 0.0 {
            // The first height that ends both pages evenly, preferring one where neither
            // page ends in a hyphen, and then one where the recto does not: the reader sees
            // a verso's foot and the next line together, a recto's foot is across the page
            // turn. Rather than a hyphen there, the spread is left uneven.
            let mut best: Option<(u8, f32)> = None;
            let mut plain_recto_hyphen = false;
            for h in [block_height, block_height - line, block_height + line] {
                let first = fill(items, &page(i, carry, h));
                let second_start = skip_discardable(items, first.end);
                let second = fill(items, &page(second_start, first.foot.carry, h));
                let recto_hyphen = !last(&first) && ends_hyphenated(items, second.end);
                if h == block_height {
                    plain_recto_hyphen = recto_hyphen;
                }
                let even = |f: &Fill| last(f) || h - f.used < line;
                if even(&first) && (last(&first) || even(&second)) {
                    let verso_hyphen = ends_hyphenated(items, first.end);
                    let cost = VERSO_FOOT_HYPHEN * u8::from(verso_hyphen)
                        + RECTO_FOOT_HYPHEN * u8::from(recto_hyphen);
                    if best.is_none_or(|(c, _)| cost < c) {
                        best = Some((cost, h));
                    }
                    if cost == 0 {
                        break;
                    }
                }
            }
            chosen = best
                .filter(|&(c, _)| c < RECTO_FOOT_HYPHEN || plain_recto_hyphen)
                .map(|(_, h)| h);
        } else if pages.is_empty() && line > 0.0 {
            // The opening page faces the end of the previous chapter (or a blank): it may run
            // a line short rather than end in a hyphen.
            let full = fill(items, &page(i, carry, block_height));
            if !last(&full) && ends_hyphenated(items, full.end) {
                let p = page(i, carry, block_height - line);
                let short = fill(items, &p);
                if short.end > i && !ends_hyphenated(items, short.end) {
                    carry = short.foot.carry;
                    i = skip_discardable(items, short.end);
                    pages.push((p, short));
                    continue;
                }
            }
        }
        let h = chosen.unwrap_or(block_height);
        let count = if chosen.is_some() { 2 } else { 1 };
        for _ in 0..count {
            if i >= n && carry.is_none() {
                break;
            }
            let p = page(i, carry, h);
            let f = fill(items, &p);
            carry = f.foot.carry;
            i = skip_discardable(items, f.end);
            pages.push((p, f));
        }
    }
    pages
}

/// The lines of the table header at `k` (a [`VItem::TableHeader`]).
fn header_items(items: &[VItem], k: Option<usize>) -> &[VItem] {
    match k.and_then(|k| items.get(k)) {
        Some(VItem::TableHeader(head)) => head,
        _ => &[],
    }
}

/// For each item, the table header (index of its [`VItem::TableHeader`]) in force after it.
/// Headers taller than `max` are not repeated.
fn running_headers(items: &[VItem], max: f32) -> Vec<Option<usize>> {
    let mut active = None;
    items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            match item {
                VItem::TableHeader(head) => {
                    active = (list_height(head, true) <= max).then_some(k);
                }
                VItem::TableEnd => active = None,
                _ => {}
            }
            active
        })
        .collect()
}

/// Whether the last line before item `end` ends in a hyphen (inserted or the author's).
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

/// Height of a stretch of a vertical list, not counting spaces at its end.
fn list_height(items: &[VItem], first: bool) -> f32 {
    let mut y = 0.0;
    let mut content = 0.0;
    let mut first = first;
    for item in items {
        y += item.height(first);
        if item.is_content() {
            content = y;
            first = false;
        }
    }
    content
}

/// A place in the notes of an insert: (index of the insert, index in its list).
type Cursor = (usize, usize);

/// A page to fill: where its text starts, the notes carried over from the page before, the
/// table header to repeat at its top, and its height.
struct Page {
    start: usize,
    carry: Option<Cursor>,
    /// The [`VItem::TableHeader`] to repeat.
    header: Option<usize>,
    height: f32,
}

/// The notes at a page's foot: pieces of inserts, top to bottom.
#[derive(Debug, Clone, Default)]
struct Foot {
    /// (insert, first item, end) of each piece.
    pieces: Vec<(usize, usize, usize)>,
    /// Height of the pieces.
    height: f32,
    /// Room between the text and the notes (that of the first insert on the page).
    skip: f32,
    /// Where the rest of a note split on this page continues.
    carry: Option<Cursor>,
}

impl Foot {
    /// Room the notes take from the text.
    fn reserve(&self) -> f32 {
        if self.pieces.is_empty() {
            0.0
        } else {
            self.skip + self.height
        }
    }

    /// Adds `insert.items[from..end]`; what is left of it becomes the carry.
    fn add(&mut self, index: usize, insert: &Insert, from: usize, end: usize) {
        if self.pieces.is_empty() {
            self.skip = insert.skip;
        }
        self.pieces.push((index, from, end));
        self.height += list_height(&insert.items[from..end], false);
        let rest = skip_discardable(&insert.items, end);
        self.carry = (rest < insert.items.len()).then_some((index, rest));
    }
}

/// The end of the longest piece of `notes` from `from` that fits `room` and ends where a
/// break is allowed (or at the end); `None` if not even the first piece fits.
fn split_notes(notes: &[VItem], from: usize, room: f32) -> Option<usize> {
    let mut best = None;
    let mut y = 0.0;
    let mut content = 0.0;
    for (k, item) in notes.iter().enumerate().skip(from) {
        y += item.height(false);
        if item.is_content() {
            content = y;
        }
        if content > room + FIT_EPSILON {
            break;
        }
        if content > 0.0 && (item.break_after() || k + 1 == notes.len()) {
            best = Some(k + 1);
        }
    }
    best
}

/// The end of the first piece of `notes` from `from` that may stand on a page.
fn first_piece(notes: &[VItem], from: usize) -> usize {
    let mut content = false;
    for (k, item) in notes.iter().enumerate().skip(from) {
        content |= item.is_content();
        if content && item.break_after() {
            return k + 1;
        }
    }
    notes.len()
}

/// Where a page ends, the height it uses (notes included) and the notes at its foot.
struct Fill {
    end: usize,
    used: f32,
    foot: Foot,
}

fn fill(items: &[VItem], page: &Page) -> Fill {
    let n = items.len();
    let (start, block_height) = (page.start, page.height);
    let mut foot = Foot::default();
    // A table continued from the page before: its header first.
    let mut y = list_height(header_items(items, page.header), true);
    let mut first = page.header.is_none();
    if let Some((index, from)) = page.carry {
        if let VItem::Insert(insert) = &items[index] {
            let from = skip_discardable(&insert.items, from);
            let cap = if start < n {
                block_height * MAX_NOTES
            } else {
                block_height
            };
            let end = split_notes(&insert.items, from, cap - insert.skip)
                .unwrap_or_else(|| first_piece(&insert.items, from));
            foot.add(index, insert, from, end);
        }
    }
    let mut j = start;
    // (end, height used, notes) at the last allowed break.
    let mut last_good: Option<(usize, f32, Foot)> = None;
    let mut content_y = y;
    while j < n {
        if let VItem::Insert(insert) = &items[j] {
            let skip = if foot.pieces.is_empty() {
                insert.skip
            } else {
                foot.skip
            };
            let room = (block_height - content_y - skip - foot.height)
                .min(block_height * MAX_NOTES - foot.height);
            // Notes start in the order they are cited: none after one continued overleaf.
            let fits = match foot.carry {
                Some(_) => None,
                None => split_notes(&insert.items, 0, room),
            };
            let opens_page = !items[start..j.saturating_sub(1)]
                .iter()
                .any(|it| matches!(it, VItem::Line { .. }));
            let end = match fits {
                Some(end) => end,
                // The citing line opens the page: its note must start here, whatever it takes.
                None if opens_page && foot.carry.is_none() => first_piece(&insert.items, 0),
                None => break,
            };
            foot.add(j, insert, 0, end);
        } else {
            let h = items[j].height(first);
            let is_space = matches!(items[j], VItem::Space { .. });
            if y + h + foot.reserve() > block_height + FIT_EPSILON && j > start && !is_space {
                break;
            }
            y += h;
            if !is_space {
                content_y = y;
            }
            if items[j].is_content() {
                first = false;
            }
        }
        if items[j].break_after() {
            last_good = Some((j + 1, content_y + foot.reserve(), foot.clone()));
        }
        j += 1;
    }
    if j >= n {
        return Fill {
            end: n,
            used: content_y + foot.reserve(),
            foot,
        };
    }
    match last_good {
        Some((end, used, foot)) if end > start => Fill { end, used, foot },
        _ => {
            // No allowed break: cut where it overflowed, but never between a line and its
            // notes (nor the anchors just before that line).
            let mut end = j.max(start + 1);
            if matches!(items[j], VItem::Insert(_)) {
                end = j - 1;
                while end > start && matches!(items[end - 1], VItem::Anchor(_)) {
                    end -= 1;
                }
                if end == start && foot.pieces.is_empty() {
                    end = start + 1;
                }
            }
            Fill {
                end,
                used: content_y + foot.reserve(),
                foot,
            }
        }
    }
}

/// Places the page, taking its lines out of `items` (each is placed once; a repeated table
/// header is copied).
fn place(items: &mut [VItem], page: &Page, fill: &Fill) -> PageBody {
    let mut out = PageBody {
        start: items[page.start..fill.end]
            .iter()
            .find_map(|item| match item {
                VItem::Line { line, .. } => line.place.clone(),
                _ => None,
            }),
        ..PageBody::default()
    };
    let mut y = 0.0;
    let mut first = true;
    let mut pending: Vec<String> = Vec::new();
    let mut header = header_items(items, page.header).to_vec();
    for item in header.iter_mut().chain(&mut items[page.start..fill.end]) {
        place_item(&mut out, item, &mut y, &mut first, &mut pending);
    }
    for key in pending.drain(..) {
        out.anchors.push((key, y));
    }
    // The notes: their last line on the page's last baseline, the rule above them (and
    // never over the text, should the text have overflowed).
    let foot = &fill.foot;
    let Some(&(index, _, _)) = foot.pieces.first() else {
        return out;
    };
    let VItem::Insert(insert) = &items[index] else {
        return out;
    };
    let top = (page.height - foot.height).max(y + foot.skip);
    out.rules.push(PlacedRule {
        x: 0.0,
        y: top,
        width: insert.rule_width,
        thickness: insert.rule_thickness,
    });
    let mut y = top;
    let mut first = false;
    for &(index, from, end) in &foot.pieces {
        if let VItem::Insert(insert) = &mut items[index] {
            let mut end = end;
            while end > from && insert.items[end - 1].is_discardable() {
                end -= 1;
            }
            for item in &mut insert.items[from..end] {
                place_item(&mut out, item, &mut y, &mut first, &mut pending);
            }
        }
    }
    for key in pending {
        out.anchors.push((key, y));
    }
    out
}

/// Places one item at `y` (the bottom of what is placed so far) and moves `y` down, taking
/// what it draws out of `item`.
fn place_item(
    page: &mut PageBody,
    item: &mut VItem,
    y: &mut f32,
    first: &mut bool,
    pending: &mut Vec<String>,
) {
    let h = item.height(*first);
    match item {
        VItem::Line { x, line, .. } => {
            *y += h;
            for key in pending.drain(..) {
                page.anchors.push((key, *y - line.ascent));
            }
            page.lines.push(PlacedLine {
                x: *x,
                baseline: *y,
                line: std::mem::take(line),
            });
            *first = false;
        }
        VItem::Space { .. } => *y += h,
        VItem::Rule {
            x,
            width,
            thickness,
            ..
        } => {
            page.rules.push(PlacedRule {
                x: *x,
                y: *y + h / 2.0,
                width: *width,
                thickness: *thickness,
            });
            *y += h;
            *first = false;
        }
        VItem::Image { x, image, .. } => {
            for key in pending.drain(..) {
                page.anchors.push((key, *y));
            }
            page.images.push(PlacedImage {
                x: *x,
                y: *y,
                image: image.clone(),
            });
            *y += h;
            *first = false;
        }
        VItem::Anchor(key) => pending.push(std::mem::take(key)),
        VItem::Insert(_) | VItem::TableHeader(_) | VItem::TableEnd => {}
    }
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
        let pages = paginate(items.clone(), 120.0, 0.0);
        assert_eq!(pages[0].lines.len(), 9);
        assert_eq!(pages[1].lines.len(), 11 - 1);
        assert_eq!(pages.iter().map(|p| p.lines.len()).sum::<usize>(), 20);
    }

    #[test]
    fn unbreakable_material_is_split_rather_than_lost() {
        let items: Vec<VItem> = (0..30).map(|_| line(false)).collect();
        let pages = paginate(items.clone(), 120.0, 0.0);
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
        let pages = paginate(items.clone(), 116.0, 0.0);
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
        let ragged = paginate(items.clone(), 116.0, 0.0);
        assert_ne!(
            foot(&ragged[1]),
            foot(&ragged[2]),
            "the case needs balancing"
        );
        let pages = paginate(items.clone(), 116.0, 12.0);
        assert_eq!(
            foot(&pages[1]),
            foot(&pages[2]),
            "{:?}",
            pages.iter().map(|p| p.lines.len()).collect::<Vec<_>>()
        );
        assert_eq!(pages.iter().map(|p| p.lines.len()).sum::<usize>(), 53);
    }

    /// A line numbered by its width, so that tests can follow it.
    fn numbered(id: usize, break_after: bool) -> VItem {
        VItem::Line {
            x: 0.0,
            line: Line {
                ascent: 8.0,
                width: id as f32,
                ..Line::default()
            },
            advance: 12.0,
            break_after,
        }
    }

    fn insert(first_id: usize, lines: usize, break_after: bool) -> VItem {
        VItem::Insert(Insert {
            items: (0..lines).map(|k| numbered(first_id + k, true)).collect(),
            skip: 6.0,
            rule_width: 40.0,
            rule_thickness: 0.4,
            break_after,
        })
    }

    fn ids(page: &PageBody) -> Vec<usize> {
        page.lines.iter().map(|l| l.line.width as usize).collect()
    }

    #[test]
    fn a_note_moves_with_its_line_when_it_does_not_fit() {
        // 10 lines fit a page of 116; line 9 (the 9th) cites a 3-line note (1000...): with the
        // rule's skip it cannot stay on page 1, so the line goes over with its note.
        let mut items: Vec<VItem> = (1..=8).map(|k| numbered(k, true)).collect();
        items.push(numbered(9, false));
        items.push(insert(1000, 3, true));
        items.extend((10..=20).map(|k| numbered(k, true)));
        let pages = paginate(items.clone(), 116.0, 0.0);
        let first = ids(&pages[0]);
        let second = ids(&pages[1]);
        assert!(!first.contains(&1000), "{first:?}");
        assert_eq!(&second[..1], &[9], "{second:?}");
        assert!(second.ends_with(&[1000, 1001, 1002]), "{second:?}");
        // The notes sit at the foot, their last baseline on the page's last one, below a rule.
        assert_eq!(pages[1].lines.last().map(|l| l.baseline), Some(116.0));
        assert_eq!(pages[1].rules.len(), 1);
        assert!(pages[1].rules[0].y < 116.0 - 2.0 * 12.0);
        let body_foot = pages[1].lines[second.len() - 4].baseline;
        assert!(body_foot + 6.0 <= pages[1].rules[0].y + 0.01);
    }

    #[test]
    fn a_long_note_is_split_and_continued_first_on_the_next_page() {
        let mut items = vec![numbered(1, false), insert(1000, 14, true)];
        items.extend((2..=12).map(|k| numbered(k, true)));
        items.push(numbered(13, false));
        items.push(insert(2000, 2, true));
        items.extend((14..=30).map(|k| numbered(k, true)));
        let pages = paginate(items.clone(), 236.0, 0.0);
        let all: Vec<usize> = pages.iter().flat_map(ids).collect();
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), all.len(), "nothing set twice");
        assert_eq!(all.len(), 30 + 14 + 2, "nothing lost");
        let first = ids(&pages[0]);
        assert!(first.contains(&1000) && !first.contains(&1013), "{first:?}");
        let second = ids(&pages[1]);
        let cont = second
            .iter()
            .position(|&i| i >= 1000)
            .expect("notes on page 2");
        assert!(second[cont] > 1000 && second[cont] < 2000, "{second:?}");
        // The second note, if on this page, comes after the continuation.
        if let Some(at) = second.iter().position(|&i| i == 2000) {
            assert!(at > cont && second.contains(&13), "{second:?}");
        }
        for p in &pages {
            let body_foot = p
                .lines
                .iter()
                .filter(|l| l.line.width < 1000.0)
                .map(|l| l.baseline)
                .fold(0.0, f32::max);
            for r in &p.rules {
                assert!(r.y >= body_foot, "rule above the text");
            }
            assert!(p.lines.iter().all(|l| l.baseline <= 236.01));
        }
    }

    #[test]
    fn a_table_header_opens_each_page_the_table_continues_on() {
        let head = vec![
            VItem::Rule {
                x: 0.0,
                width: 100.0,
                thickness: 0.6,
                height: 6.0,
                break_after: false,
            },
            numbered(500, false),
        ];
        let mut items: Vec<VItem> = (1..=5).map(|k| numbered(k, true)).collect();
        items.extend(head.iter().cloned());
        items.push(VItem::TableHeader(head));
        items.extend((100..140).map(|k| numbered(k, true)));
        items.push(VItem::TableEnd);
        items.extend((6..=20).map(|k| numbered(k, true)));
        let pages = paginate(items.clone(), 116.0, 0.0);
        let mut table_pages = 0;
        for p in &pages {
            let ids = ids(p);
            if ids.iter().any(|i| (100..140).contains(i)) {
                table_pages += 1;
                let at = ids.iter().position(|&i| i == 500).expect("a header");
                assert!(ids[..at].iter().all(|i| *i < 100), "{ids:?}");
                assert_eq!(p.rules.len(), 1);
            } else {
                assert!(!ids.contains(&500), "{ids:?}");
            }
        }
        assert!(table_pages >= 4);
    }
}
