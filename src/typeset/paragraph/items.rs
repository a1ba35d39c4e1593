//! Items: styled text -> shaped words as box/glue/penalty items for the line breaker, with
//! what each item draws.

use std::collections::HashMap;

use crate::fonts::FaceId;

use super::super::document::Glyph;
use super::super::figure::{fit, INLINE_DROP, INLINE_HEIGHT, INLINE_MAX_HEIGHT, INLINE_MAX_WIDTH};
use super::super::linebreak::{Item, FIL, FORCED_BREAK, LAST_RESORT_HYPHEN};
use super::super::shape::{Features, Piece};
use super::bidi::Dir;
use super::line::LineImage;
use super::style::{alt_text, Target, TextStyle, Tok};
use super::{ParaSpec, Setter};
use crate::model::ImageSize;

/// Interword stretch as a fraction of the space (Bringhurst/TeX: about half).
const SPACE_STRETCH: f32 = 0.5;
/// Interword shrink as a fraction of the space (about a third).
const SPACE_SHRINK: f32 = 1.0 / 3.0;
/// Cost of a break at a hyphenation point (TeX's `\hyphenpenalty` is 50). Measured on P&P
/// (tests/print_quality.rs): 100 hyphenated 7.5% of the lines, 200 5.8%, 300 5.2% (with the
/// breaker's tolerance at 200); with the tolerance at 400, 300 gives 4.5%, 400 3.7% and 500
/// 3.5%. The margins' protrusion pays for part of the extra spacing.
const HYPHEN_PENALTY: f32 = 400.0;
/// Cost of a hyphenation break in a word that starts with a capital (a name: "Eliza-beth"):
/// a last resort, taken only when the paragraph cannot be set without it.
const CAPITALISED_HYPHEN_PENALTY: f32 = LAST_RESORT_HYPHEN;
/// Cost of a break after a hyphen or dash already in the text (TeX's `\exhyphenpenalty`).
const EXPLICIT_HYPHEN_PENALTY: f32 = 50.0;
/// Cost of breaking a word wider than the measure between two letters: a last resort.
const LETTER_BREAK_PENALTY: f32 = 1_000.0;

/// Glyphs of a paragraph: a range of its [`Prepared::glyphs`]. A box points at its glyphs
/// rather than owning them: a word broken at each letter (a 2.5-million-letter "word") is
/// millions of boxes, and a vector each was most of a build's memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Glyphs `from..to` of this span.
    fn cut(self, from: usize, to: usize) -> Span {
        let len = self.end - self.start;
        Span {
            start: self.start + glyph_index(from).min(len),
            end: self.start + glyph_index(to).min(len),
        }
    }
}

/// What an item draws (kept small: there is one per item).
#[derive(Debug, Clone)]
pub(super) enum Content {
    Glyphs {
        style: usize,
        glyphs: Span,
        dir: Dir,
        /// Where in the block's text the word these glyphs belong to starts.
        source: Option<u32>,
    },
    Space {
        style: usize,
        glyph: Glyph,
    },
    Hyphen {
        style: usize,
        glyphs: Span,
    },
    Image(Box<LineImage>),
    Empty,
}

/// A paragraph as items for the breaker, with what each item draws.
pub(super) struct Prepared {
    pub(super) items: Vec<Item>,
    pub(super) contents: Vec<Content>,
    /// Every glyph of the paragraph's words and hyphens, which contents point into.
    glyphs: Vec<Glyph>,
    pub(super) styles: Vec<TextStyle>,
    /// Where each style is in `styles`: a paragraph of 20,000 note references has as many
    /// styles (each links somewhere else), and a search of the list for each was quadratic.
    style_index: HashMap<StyleKey, usize>,
    /// The style interned last: the next box nearly always has it, and a key that holds an
    /// 80 KB URL costs 80 KB to hash and compare.
    last_style: Option<usize>,
    /// The last [`Tok::Mark`], and the characters of text read since.
    mark: Option<usize>,
    since_mark: usize,
}

impl Prepared {
    /// The glyphs `span` points at.
    pub(super) fn glyphs(&self, span: Span) -> &[Glyph] {
        self.glyphs.get(span.range()).unwrap_or(&[])
    }

    /// Adds `glyphs` to the paragraph's glyphs; where they are.
    fn add_glyphs(&mut self, glyphs: impl IntoIterator<Item = Glyph>) -> Span {
        let start = self.glyphs.len();
        self.glyphs.extend(glyphs);
        Span {
            start: glyph_index(start),
            end: glyph_index(self.glyphs.len()),
        }
    }

    /// Where the next character of text comes from.
    fn source(&self) -> Option<usize> {
        self.mark.map(|at| at + self.since_mark)
    }
}

impl Setter<'_> {
    pub(super) fn prepare(&mut self, toks: &[Tok], spec: &ParaSpec) -> Prepared {
        let mut p = Prepared {
            items: Vec::new(),
            contents: Vec::new(),
            glyphs: Vec::new(),
            styles: Vec::new(),
            style_index: HashMap::new(),
            last_style: None,
            mark: None,
            since_mark: 0,
        };
        // A negative indent pulls the first line back (a verse line with hanging turnovers).
        if spec.indent != 0.0 {
            p.items.push(Item::Box { width: spec.indent });
            p.contents.push(Content::Empty);
        }
        for tok in toks {
            match tok {
                Tok::LineBreak => {
                    trim_glue(&mut p);
                    push_end(&mut p);
                }
                Tok::Text(text, style) => self.push_text(&mut p, text, style, spec),
                &Tok::Mark { at } => {
                    p.mark = Some(at);
                    p.since_mark = 0;
                }
                Tok::Image {
                    src,
                    alt,
                    size,
                    style,
                } => match self.inline_image(src, alt, size, style) {
                    Some(image) => {
                        p.items.push(Item::Box { width: image.width });
                        p.contents.push(Content::Image(Box::new(image)));
                    }
                    None => {
                        let (text, style) = alt_text(alt, style);
                        self.push_text(&mut p, &text, &style, spec);
                    }
                },
            }
        }
        trim_glue(&mut p);
        let ends_forced = matches!(
            p.items.last(),
            Some(Item::Penalty { cost, .. }) if *cost <= FORCED_BREAK
        );
        let only_indent = p.items.len() == 1 && spec.indent > 0.0;
        if only_indent || p.items.is_empty() {
            p.items.clear();
            p.contents.clear();
        } else if !ends_forced {
            push_end(&mut p);
        }
        p
    }

    /// An image of the text at the size asked for, else sized to the line
    /// ([`INLINE_HEIGHT`] ems of its type), within the bounds of a line, if the book has it.
    fn inline_image(
        &self,
        src: &str,
        alt: &str,
        size: &ImageSize,
        style: &TextStyle,
    ) -> Option<LineImage> {
        let art = self.art?;
        let (key, w, h) = art.lookup(src)?;
        let natural_line = (
            w * style.size * INLINE_HEIGHT / h,
            style.size * INLINE_HEIGHT,
        );
        let (width, height) = if size.is_natural() {
            natural_line
        } else {
            size.resolve((w, h), art.measure, art.block_height, style.size)
        };
        let (width, height) = fit(
            (width, height),
            style.size * INLINE_MAX_WIDTH,
            style.size * INLINE_MAX_HEIGHT,
        );
        Some(LineImage {
            key,
            x: 0.0,
            width,
            height,
            drop: (style.size * INLINE_DROP).min(height / 2.0) - style.rise,
            alt: alt.to_string(),
        })
    }

    /// Words of `text` as boxes, with glue for the spaces between them.
    fn push_text(&mut self, p: &mut Prepared, text: &str, style: &TextStyle, spec: &ParaSpec) {
        let s = intern(p, style);
        let mut word = String::new();
        // Where the word being read starts in the block's text.
        let mut source = None;
        for c in text.chars() {
            let here = p.source();
            p.since_mark += 1;
            if c.is_whitespace() && !is_no_break_space(c) {
                self.push_word(p, &mut word, Some(s), spec, source.take());
                self.push_space(p, s);
            } else if c == ZERO_WIDTH_SPACE {
                // A place to break, with nothing drawn.
                self.push_word(p, &mut word, Some(s), spec, source.take());
                p.items.push(Item::Penalty {
                    width: 0.0,
                    cost: 0.0,
                    flagged: false,
                });
                p.contents.push(Content::Empty);
            } else if !c.is_control() {
                if word.is_empty() {
                    source = here;
                }
                word.push(c);
            }
        }
        self.push_word(p, &mut word, Some(s), spec, source);
    }

    fn push_space(&mut self, p: &mut Prepared, style: usize) {
        let starts_line = match p.items.last() {
            None => true,
            Some(Item::Glue { .. }) => true,
            Some(Item::Penalty { cost, .. }) => *cost <= FORCED_BREAK,
            _ => false,
        };
        if starts_line {
            return;
        }
        let st = p.styles[style].clone();
        let mut glyphs = self.glyphs(" ", &st);
        let Some(glyph) = glyphs.pop() else {
            return;
        };
        let width = glyph.advance;
        p.items.push(Item::Glue {
            width,
            stretch: width * SPACE_STRETCH,
            shrink: width * SPACE_SHRINK,
        });
        p.contents.push(Content::Space { style, glyph });
    }

    /// Emits the word collected so far as boxes, with penalties at its break points: one run
    /// of boxes per face that draws part of it (see `Shaper::shape_pieces`).
    fn push_word(
        &mut self,
        p: &mut Prepared,
        word: &mut String,
        style: Option<usize>,
        spec: &ParaSpec,
        source: Option<usize>,
    ) {
        let (Some(s), false) = (style, word.is_empty()) else {
            word.clear();
            return;
        };
        let raw = std::mem::take(word);
        // Soft hyphens are break points the author chose and word joiners (and a byte-order
        // mark, the old word joiner) forbid one: neither is drawn.
        let mut marks = Marks::default();
        let mut text = String::with_capacity(raw.len());
        for c in raw.chars() {
            match c {
                SOFT_HYPHEN => marks.soft.push(text.len()),
                WORD_JOINER | BYTE_ORDER_MARK => marks.joined.push(text.len()),
                _ => text.push(c),
            }
        }
        if text.is_empty() {
            return;
        }
        let st = p.styles[s].clone();
        let pieces = self.shaper.shape_pieces(st.face, st.features, &text);
        // Where each piece starts in the text (the author's invisible marks aside).
        let mut before = CharsBefore::new(&text);
        for piece in pieces {
            let ps = if piece.face == st.face {
                s
            } else {
                let mut piece_style = st.clone();
                piece_style.face = piece.face;
                intern(p, &piece_style)
            };
            let range = piece.range.clone();
            let within = |offsets: &[usize]| -> Vec<usize> {
                offsets
                    .iter()
                    .filter(|&&o| o > range.start && o < range.end)
                    .map(|o| o - range.start)
                    .collect()
            };
            let here = Marks {
                soft: within(&marks.soft),
                joined: within(&marks.joined),
            };
            let source = source.map(|s| s + before.at(range.start));
            let piece_text = &text[range.clone()];
            self.push_piece(p, ps, piece_text, &piece, &here, spec, source);
        }
    }

    /// One face's part of a word as boxes, with penalties at its break points.
    // Each argument is a different view of the same piece (its text, shape, marks, place).
    #[allow(clippy::too_many_arguments)]
    fn push_piece(
        &mut self,
        p: &mut Prepared,
        s: usize,
        text: &str,
        piece: &Piece,
        marks: &Marks,
        spec: &ParaSpec,
        source: Option<usize>,
    ) {
        // Where the box starting at glyph `from` starts in the text: past an explicit hyphen
        // or dash, a page may begin there.
        let mut before = CharsBefore::new(text);
        let mut box_source = |from: usize| {
            let byte = shaped_cluster(&piece.glyphs, from).min(text.len());
            source.map(|s| s + before.at(byte))
        };
        let st = p.styles[s].clone();
        let shaped = &piece.glyphs;
        let glyphs = p.add_glyphs(self.scale(shaped, &st));
        let dir = Dir::of(text, piece.rtl);
        if piece.rtl {
            // Glyphs in visual order cannot be cut at logical offsets; Hebrew is not hyphenated.
            push_box(p, s, glyphs, dir, source);
            return;
        }
        let hyphenate = spec.hyphenate && matches!(st.face, FaceId::Serif(_)) && st.rise == 0.0;
        let points = self.hyphens.break_points(text, marks, hyphenate);
        let hyphen = if points.iter().any(|p| !p.1) {
            self.glyphs("-", &st)
        } else {
            Vec::new()
        };
        let hyphen_width: f32 = hyphen.iter().map(|g| g.advance).sum();
        let hyphen = p.add_glyphs(hyphen);
        // The author's soft hyphens cost what any hyphen does, in a name too.
        let capitalised = marks.soft.is_empty()
            && text
                .chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase);
        let hyphen_cost = if capitalised {
            CAPITALISED_HYPHEN_PENALTY
        } else {
            HYPHEN_PENALTY
        };
        let mut from = 0;
        for (offset, explicit) in points {
            // Only at a cluster boundary: never inside a ligature.
            let Some(at) = shaped
                .iter()
                .position(|g| g.cluster as usize == offset && !g.text.is_empty())
            else {
                continue;
            };
            if at <= from {
                continue;
            }
            push_box(p, s, glyphs.cut(from, at), dir, box_source(from));
            if explicit {
                p.items.push(Item::Penalty {
                    width: 0.0,
                    cost: EXPLICIT_HYPHEN_PENALTY,
                    flagged: true,
                });
                p.contents.push(Content::Empty);
            } else {
                p.items.push(Item::Penalty {
                    width: hyphen_width,
                    cost: hyphen_cost,
                    flagged: true,
                });
                p.contents.push(Content::Hyphen {
                    style: s,
                    glyphs: hyphen,
                });
            }
            from = at;
        }
        if from == 0 {
            push_box(p, s, glyphs, dir, source);
        } else {
            let end = glyphs.range().len();
            push_box(p, s, glyphs.cut(from, end), dir, box_source(from));
        }
    }
}

/// The byte offset (in the piece's text) of the cluster glyph `k` belongs to.
fn shaped_cluster(glyphs: &[super::super::shape::ShapedGlyph], k: usize) -> usize {
    glyphs.get(k).map_or(usize::MAX, |g| g.cluster as usize)
}

/// Characters before a byte offset of a text, counted on from the last offset asked for:
/// offsets asked in order cost one pass over the text, not one each (an 80 KB URL is
/// thousands of boxes).
struct CharsBefore<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharsBefore<'t> {
    fn new(text: &'t str) -> Self {
        CharsBefore {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// Characters before `byte` (0 when it is not at a character's start).
    fn at(&mut self, byte: usize) -> usize {
        if !self.text.is_char_boundary(byte) {
            return 0;
        }
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// A style as a map key (sizes by their bits).
type StyleKey = (FaceId, u32, u32, Features, Option<Target>);

/// A style's key but its link (sizes by their bits).
fn looks(style: &TextStyle) -> (FaceId, u32, u32, Features) {
    (
        style.face,
        style.size.to_bits(),
        style.rise.to_bits(),
        style.features,
    )
}

fn intern(p: &mut Prepared, style: &TextStyle) -> usize {
    if let Some(last) = p.last_style {
        let s = &p.styles[last];
        let same_link = match (&s.link, &style.link) {
            (None, None) => true,
            (Some(a), Some(b)) => a.is(b),
            _ => false,
        };
        if same_link && looks(s) == looks(style) {
            return last;
        }
    }
    let (face, size, rise, features) = looks(style);
    let key = (face, size, rise, features, style.link.clone());
    let styles = &mut p.styles;
    let index = *p.style_index.entry(key).or_insert_with(|| {
        styles.push(style.clone());
        styles.len() - 1
    });
    p.last_style = Some(index);
    index
}

fn push_box(p: &mut Prepared, style: usize, glyphs: Span, dir: Dir, source: Option<usize>) {
    if glyphs.start == glyphs.end {
        return;
    }
    let width = p.glyphs(glyphs).iter().map(|g| g.advance).sum();
    p.items.push(Item::Box { width });
    p.contents.push(Content::Glyphs {
        style,
        glyphs,
        dir,
        source: source.and_then(|s| u32::try_from(s).ok()),
    });
}

/// A glyph's index in its paragraph as a [`Span`] holds it: four billion glyphs would be
/// some 48 GB of them, far past any memory.
fn glyph_index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The characters that join words without a break (they are drawn, at their fixed width).
fn is_no_break_space(c: char) -> bool {
    matches!(c, '\u{00A0}' | '\u{2007}' | '\u{202F}')
}

const SOFT_HYPHEN: char = '\u{00AD}';
const WORD_JOINER: char = '\u{2060}';
const BYTE_ORDER_MARK: char = '\u{FEFF}';
const ZERO_WIDTH_SPACE: char = '\u{200B}';

/// Invisible marks taken out of a word: byte offsets (in the word without them) of soft
/// hyphens and of word joiners.
#[derive(Default)]
pub(super) struct Marks {
    pub(super) soft: Vec<usize>,
    pub(super) joined: Vec<usize>,
}

fn trim_glue(p: &mut Prepared) {
    while matches!(p.items.last(), Some(Item::Glue { .. })) {
        p.items.pop();
        p.contents.pop();
    }
}

/// Ends a line for good: "fil" glue so that it may end short, then a forced break.
fn push_end(p: &mut Prepared) {
    p.items.push(Item::Glue {
        width: 0.0,
        stretch: FIL,
        shrink: 0.0,
    });
    p.contents.push(Content::Empty);
    p.items.push(Item::Penalty {
        width: 0.0,
        cost: FORCED_BREAK,
        flagged: false,
    });
    p.contents.push(Content::Empty);
}

/// A box wider than the measure could only overflow: split it between clusters, with a
/// costly break allowed at each split.
pub(super) fn split_wide_boxes(p: &mut Prepared, measure: f32) {
    let wide = |item: &Item| matches!(*item, Item::Box { width } if width > measure);
    if !p.items.iter().any(wide) {
        return;
    }
    // Rebuilt in one pass (splicing each wide box in place moved the rest of the paragraph
    // once per box), sized first (doubling a vector of millions of items holds the old and
    // the new at once).
    let size: usize = p
        .items
        .iter()
        .zip(&p.contents)
        .map(|(item, content)| match content {
            Content::Glyphs { glyphs, .. } if wide(item) => {
                (2 * clusters(&p.glyphs, *glyphs).count()).saturating_sub(1)
            }
            _ => 1,
        })
        .sum();
    let items = std::mem::replace(&mut p.items, Vec::with_capacity(size));
    let contents = std::mem::replace(&mut p.contents, Vec::with_capacity(size));
    for (item, content) in items.into_iter().zip(contents) {
        let (
            true,
            Content::Glyphs {
                style,
                glyphs,
                dir,
                source,
            },
        ) = (wide(&item), &content)
        else {
            p.items.push(item);
            p.contents.push(content);
            continue;
        };
        let (style, dir, source) = (*style, *dir, *source);
        for cluster in clusters(&p.glyphs, *glyphs) {
            if cluster.start > glyphs.start {
                p.items.push(Item::Penalty {
                    width: 0.0,
                    cost: LETTER_BREAK_PENALTY,
                    flagged: false,
                });
                p.contents.push(Content::Empty);
            }
            let width = p.glyphs(cluster).iter().map(|g| g.advance).sum();
            p.items.push(Item::Box { width });
            p.contents.push(Content::Glyphs {
                style,
                glyphs: cluster,
                dir,
                source,
            });
        }
    }
}

/// The clusters of `span` in `glyphs`: a glyph with text starts one; empty-text glyphs
/// belong to the one before.
fn clusters(glyphs: &[Glyph], span: Span) -> impl Iterator<Item = Span> + '_ {
    let mut start = span.start;
    (span.start..span.end).filter_map(move |k| {
        let next = k + 1;
        let ends = next == span.end
            || glyphs
                .get(next as usize)
                .is_some_and(|g| !g.text.is_empty());
        if !ends {
            return None;
        }
        let cluster = Span { start, end: next };
        start = next;
        Some(cluster)
    })
}
