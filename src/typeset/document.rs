//! The typesetter's result: pages of positioned glyphs, ready to be written by `pdf`.
//!
//! This is the contract between `typeset` and `pdf`. Everything is already decided here:
//! which glyph, where, at what size; the PDF writer only encodes it. Coordinates are PDF
//! points with the origin at the bottom-left corner of the trimmed page, y growing upwards.

use crate::fonts::{FaceId, Fonts};

/// A typeset book.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Trimmed page size in points.
    pub width: f32,
    pub height: f32,
    pub pages: Vec<Page>,
    /// Nested bookmarks (chapters, then their sections).
    pub outline: Vec<OutlineEntry>,
    /// How pages are numbered; each range runs until the next one starts. Sorted by
    /// `first_page`, and the first range starts at page 0.
    pub page_labels: Vec<PageLabelRange>,
    /// What the typesetter decided, line by line, for proofing (the PDF writer ignores it).
    pub layout: Layout,
    /// Things the author should know (e.g. no hyphenation patterns for the book's language),
    /// each pointing at the setting or the text that caused it.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
    /// The font files the runs' faces stand for.
    pub fonts: Fonts,
    /// The images the pages show, decoded (`Item::Image::key` indexes it).
    pub art: crate::artwork::Gallery,
}

/// A machine-readable account of the layout: every text line of every page with what it is,
/// so that tests (and people) can check widows, orphans, hyphens and flush margins without
/// parsing the drawing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// One per page, in order.
    pub pages: Vec<PageLayout>,
    /// The contents as printed: which chapter each entry points at and the number shown.
    pub toc: Vec<TocInfo>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageLayout {
    /// Lines of the text block, top to bottom (not the running head or folio).
    pub lines: Vec<LineInfo>,
    /// Ids of the chapters that start on this page.
    pub chapter_starts: Vec<String>,
    /// The page's folio as printed, if it has one.
    pub folio: Option<String>,
    /// The running head as printed, if any.
    pub head: Option<String>,
    /// The page's number (`iii`, `12`), whether printed on it or not.
    pub number: String,
    /// Where in the book the page begins (a blank page: where it stands between the others).
    pub start: Option<crate::model::pages::PagePlace>,
}

/// One line of the text block, in page coordinates (PDF points, y up).
#[derive(Debug, Clone, PartialEq)]
pub struct LineInfo {
    pub baseline: f32,
    /// Left edge of the measure the line was set to, and where that measure ends.
    pub left: f32,
    pub right: f32,
    /// Where the set text ends (indent included).
    pub end: f32,
    pub kind: LineKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineKind {
    /// A line of a paragraph. `paragraph` counts the paragraphs of a chapter.
    Body {
        paragraph: u32,
        first: bool,
        last: bool,
        /// Stretched or shrunk to fill the measure exactly.
        justified: bool,
        /// Ends in a hyphen, inserted or the author's.
        hyphenated: bool,
    },
    /// A heading line; chapter titles are level 1.
    Heading { level: u8 },
    /// A scene-break ornament.
    Ornament,
    /// A line of a footnote, set at the foot of the page below the rule.
    Note {
        /// Stretched or shrunk to fill the measure exactly.
        justified: bool,
        /// Ends in a hyphen, inserted or the author's.
        hyphenated: bool,
    },
    /// Anything else: front matter, code, tables, contents entries.
    #[default]
    Other,
}

impl Document {
    /// Where each page begins, for writers that mark the print edition's pages (the EPUB's
    /// page list); `edition` names the edition.
    pub fn page_map(&self, edition: String) -> crate::model::pages::PageMap {
        use crate::model::pages::{PageMap, PrintedPage};
        PageMap {
            pages: (self.layout.pages.iter())
                .filter_map(|p| {
                    Some(PrintedPage {
                        label: p.number.clone(),
                        place: p.start.clone()?,
                    })
                })
                .collect(),
            edition,
        }
    }
}

/// One entry of the printed contents.
#[derive(Debug, Clone, PartialEq)]
pub struct TocInfo {
    pub chapter: String,
    /// The page number printed for it.
    pub number: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub items: Vec<Item>,
    pub links: Vec<Link>,
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(GlyphRun),
    /// A horizontal rule (footnote separator, table rule).
    Rule {
        x: f32,
        y: f32,
        width: f32,
        thickness: f32,
    },
    /// An image (`key` into `Document::art`) drawn to fill `rect`, with its alt text.
    Image {
        key: usize,
        rect: Rect,
        alt: String,
    },
}

/// Glyphs of one face and size on one baseline, placed one after another.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    pub face: FaceId,
    /// Font size in points.
    pub size: f32,
    /// Pen position of the first glyph.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    pub glyphs: Vec<Glyph>,
    /// Fill colour; `None` is black (highlighted code is the only coloured text).
    pub colour: Option<Rgb>,
}

/// An sRGB colour, 0-255 per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Rgb {
    pub const BLACK: Rgb = Rgb { r: 0, g: 0, b: 0 };
}

/// One shaped glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the original (unsubsetted) font.
    pub id: u16,
    /// How far the pen moves after this glyph, in points: the shaped advance (with kerning)
    /// plus any justification stretch. The next glyph starts exactly there.
    pub advance: f32,
    /// The text this glyph stands for, for copy and search: `"fi"` for a ligature, `" "` for a
    /// space, empty for the second glyph of a cluster that maps to several glyphs.
    pub text: GlyphText,
}

pub use super::glyph_text::GlyphText;

/// A clickable area.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub rect: Rect,
    pub target: LinkTarget,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// Shared with the lines it was set on (see `Target`).
    Uri(std::sync::Arc<str>),
    Position(Position),
}

/// A place in the document: a page and a height on it (the top of the thing pointed at).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    /// 0-based page index.
    pub page: usize,
    pub y: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub title: String,
    pub position: Position,
    pub children: Vec<OutlineEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// i, ii, iii: front matter.
    LowerRoman,
    /// 1, 2, 3: the body.
    Arabic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLabelRange {
    /// 0-based index of the first page in the range.
    pub first_page: usize,
    pub numbering: Numbering,
    /// The number shown on `first_page`.
    pub start: u32,
}
