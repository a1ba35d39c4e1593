//! Inlines -> styled text -> box/glue/penalty items -> broken, justified lines.
//!
//! A paragraph is laid out independently of where it will land on a page: its lines have
//! x positions relative to the start of the measure and no y yet.

use rustc_hash::FxHashMap;

use crate::fonts::{FaceId, Style};
use crate::model::{Inline, LinkTarget};

use super::document::{Glyph, LineKind, Rgb};
use super::figure::{ArtRef, INLINE_DROP, INLINE_HEIGHT};
use super::hyphenate::Hyphenator;
use super::linebreak::{
    adjustment_ratio, line_start_after, Hang, Item, LineBreaker, FIL, FORCED_BREAK,
};
use super::shape::{Features, Piece, ShapedGlyph, Shaper};

/// Interword stretch as a fraction of the space (Bringhurst/TeX: about half).
const SPACE_STRETCH: f32 = 0.5;
/// Interword shrink as a fraction of the space (about a third).
const SPACE_SHRINK: f32 = 1.0 / 3.0;
/// Cost of a break at a hyphenation point (TeX's `\hyphenpenalty` is 50; twice that here, as
/// many book designers set it: on the narrow measures of trade trims 50 hyphenated one line in
/// nine, 100 one in eleven, with no line looser than the tolerance allows).
const HYPHEN_PENALTY: f32 = 100.0;
/// Cost of a break after a hyphen or dash already in the text (TeX's `\exhyphenpenalty`).
const EXPLICIT_HYPHEN_PENALTY: f32 = 50.0;
/// Cost of breaking a word wider than the measure between two letters: a last resort.
const LETTER_BREAK_PENALTY: f32 = 1_000.0;
/// Inline code is set smaller so that the monospace face matches the serif's x-height.
pub const CODE_SCALE: f32 = 0.9;
/// Superscripts and note references.
const SUPERSCRIPT_SCALE: f32 = 0.65;
const SUPERSCRIPT_RISE: f32 = 0.38;
const SUBSCRIPT_DROP: f32 = 0.15;

/// Where a link goes, before pages exist: a URI, or an anchor resolved after pagination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Uri(String),
    Anchor(String),
    /// An anchor in a chapter, or the chapter itself if the anchor is not found.
    AnchorOr(String, String),
}

/// Anchor keys, one namespace per kind so that a heading id never collides with a chapter id.
pub fn chapter_anchor(chapter: &str) -> String {
    format!("c:{chapter}")
}
pub fn heading_anchor(id: &str) -> String {
    format!("h:{id}")
}
pub fn note_anchor(chapter: &str, number: usize) -> String {
    format!("n:{chapter}:{number}")
}

/// How a run of text looks.
#[derive(Debug, Clone, PartialEq)]
pub struct TextStyle {
    pub face: FaceId,
    pub size: f32,
    /// Baseline shift, points (superscripts).
    pub rise: f32,
    pub features: Features,
    pub link: Option<Target>,
}

impl TextStyle {
    pub fn new(face: FaceId, size: f32) -> TextStyle {
        TextStyle {
            face,
            size,
            rise: 0.0,
            features: Features::default(),
            link: None,
        }
    }
}

/// Inline content flattened to styled text.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Text(String, TextStyle),
    /// A forced line end.
    LineBreak,
    /// An image in the text: drawn in the line when the book has it, else its alt text.
    Image {
        src: String,
        alt: String,
        style: TextStyle,
    },
}

/// Flattens inlines under `style`; `chapter` is needed for note anchors.
pub fn flatten(inlines: &[Inline], style: &TextStyle, chapter: &str, out: &mut Vec<Tok>) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => out.push(Tok::Text(t.clone(), style.clone())),
            Inline::Emphasis(c) => {
                let mut s = style.clone();
                if let FaceId::Serif(st) = s.face {
                    s.face = FaceId::Serif(st.with_italic(!st.is_italic()));
                }
                flatten(c, &s, chapter, out);
            }
            Inline::Strong(c) => {
                let mut s = style.clone();
                if let FaceId::Serif(st) = s.face {
                    s.face = FaceId::Serif(st.with_bold());
                }
                flatten(c, &s, chapter, out);
            }
            Inline::Strikethrough(c) => flatten(c, style, chapter, out),
            Inline::Superscript(c) => flatten(c, &superscript(style), chapter, out),
            Inline::Subscript(c) => {
                let mut s = style.clone();
                s.size *= SUPERSCRIPT_SCALE;
                s.rise -= style.size * SUBSCRIPT_DROP;
                flatten(c, &s, chapter, out);
            }
            Inline::Code(t) => {
                let mut s = style.clone();
                s.face = FaceId::Mono;
                s.size *= CODE_SCALE;
                out.push(Tok::Text(t.clone(), s));
            }
            Inline::Link {
                target, content, ..
            } => {
                let mut s = style.clone();
                s.link = match target {
                    LinkTarget::External(uri) => Some(Target::Uri(uri.clone())),
                    LinkTarget::Internal { chapter, anchor } => Some(match anchor {
                        Some(a) => Target::AnchorOr(heading_anchor(a), chapter_anchor(chapter)),
                        None => Target::Anchor(chapter_anchor(chapter)),
                    }),
                    LinkTarget::Unresolved(_) => s.link,
                };
                flatten(content, &s, chapter, out);
            }
            Inline::Image { src, alt, .. } => out.push(Tok::Image {
                src: src.clone(),
                alt: alt.clone(),
                style: style.clone(),
            }),
            Inline::NoteRef { number } => {
                let mut s = superscript(style);
                s.link = Some(Target::Anchor(note_anchor(chapter, *number)));
                out.push(Tok::Text(number.to_string(), s));
            }
            Inline::SoftBreak => out.push(Tok::Text(" ".into(), style.clone())),
            Inline::LineBreak => out.push(Tok::LineBreak),
            // Raw HTML as the reader read it; a lone piece is never outside `source`.
            Inline::RawHtml { content, .. } => flatten(content, style, chapter, out),
            Inline::Html(_) => {}
        }
    }
}

/// An image's alt text as set in place of the image: `[alt]`, in italic.
fn alt_text(alt: &str, style: &TextStyle) -> (String, TextStyle) {
    let mut s = style.clone();
    if let FaceId::Serif(st) = s.face {
        s.face = FaceId::Serif(st.with_italic(true));
    }
    (format!("[{alt}]"), s)
}

fn superscript(style: &TextStyle) -> TextStyle {
    let mut s = style.clone();
    s.size *= SUPERSCRIPT_SCALE;
    s.rise += style.size * SUPERSCRIPT_RISE;
    s
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    Center,
}

#[derive(Debug, Clone, Copy)]
pub struct ParaSpec {
    /// First-line indent, points.
    pub indent: f32,
    pub align: Align,
    pub hyphenate: bool,
}

/// What an item draws.
#[derive(Debug, Clone)]
enum Content {
    Glyphs {
        style: usize,
        glyphs: Vec<Glyph>,
        dir: Dir,
    },
    Space {
        style: usize,
        glyph: Glyph,
    },
    Hyphen {
        style: usize,
        glyphs: Vec<Glyph>,
    },
    Image(LineImage),
    Empty,
}

/// The direction of a box of glyphs, for ordering a line's words (see `visual_order`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Ltr,
    /// A right-to-left word (Hebrew): its glyphs are already in visual order.
    Rtl,
    /// No letters (numbers, punctuation): takes the direction of the words around it.
    Neutral,
}

impl Dir {
    fn of(text: &str, rtl: bool) -> Dir {
        if rtl {
            Dir::Rtl
        } else if text.chars().any(char::is_alphabetic) {
            Dir::Ltr
        } else {
            Dir::Neutral
        }
    }
}

/// A paragraph as items for the breaker, with what each item draws.
struct Prepared {
    items: Vec<Item>,
    contents: Vec<Content>,
    styles: Vec<TextStyle>,
}

/// A set line: runs of glyphs and link spans, x relative to the start of the measure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub runs: Vec<Run>,
    pub links: Vec<LineLink>,
    /// Width actually set (the measure for a justified line).
    pub width: f32,
    /// Height above the baseline of the tallest glyphs.
    pub ascent: f32,
    pub descent: f32,
    /// Stretched or shrunk to fill the measure (a justified line that is not a last line).
    pub justified: bool,
    /// Ends at a hyphenation point, with an inserted hyphen.
    pub hyphenated: bool,
    /// What the line is, for the layout report (set by the block builder).
    pub kind: LineKind,
    /// The measure it was set to (0 when not set by the paragraph setter).
    pub measure: f32,
    /// Images drawn in the line.
    pub images: Vec<LineImage>,
}

/// An image in a line of text, x relative to the start of the measure.
#[derive(Debug, Clone, PartialEq)]
pub struct LineImage {
    /// Key into the book's `Gallery`.
    pub key: usize,
    pub x: f32,
    pub width: f32,
    pub height: f32,
    /// How far its bottom is below the baseline.
    pub drop: f32,
    pub alt: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub face: FaceId,
    pub size: f32,
    pub x: f32,
    pub rise: f32,
    pub glyphs: Vec<Glyph>,
    /// Fill colour; `None` is black.
    pub colour: Option<Rgb>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineLink {
    pub x0: f32,
    pub x1: f32,
    pub target: Target,
}

impl Line {
    /// Moves every run and link right by `dx`.
    pub fn shift(&mut self, dx: f32) {
        for r in &mut self.runs {
            r.x += dx;
        }
        for l in &mut self.links {
            l.x0 += dx;
            l.x1 += dx;
        }
        for i in &mut self.images {
            i.x += dx;
        }
    }
}

/// The tools a paragraph needs: a shaper (with its cache), hyphenation and a line breaker.
pub struct Setter<'a> {
    pub shaper: Shaper<'a>,
    hyphenator: &'a Hyphenator,
    breaker: &'a dyn LineBreaker,
    /// Hyphenation points per word: words repeat as often as they are shaped.
    points: FxHashMap<String, Vec<usize>>,
    /// The chapter's images; without it images are set as their alt text.
    pub art: Option<ArtRef<'a>>,
}

impl<'a> Setter<'a> {
    pub fn new(
        shaper: Shaper<'a>,
        hyphenator: &'a Hyphenator,
        breaker: &'a dyn LineBreaker,
    ) -> Setter<'a> {
        Setter {
            shaper,
            hyphenator,
            breaker,
            points: FxHashMap::default(),
            art: None,
        }
    }

    /// Sets `toks` into lines of `measure` points.
    pub fn set(&mut self, toks: &[Tok], spec: &ParaSpec, measure: f32) -> Vec<Line> {
        self.set_hanging(toks, spec, measure, Hang::default())
    }

    /// Sets `toks` with the first `hang.lines` lines `hang.width` narrower, pushed right (the
    /// room for a drop cap, which the caller adds).
    pub fn set_hanging(
        &mut self,
        toks: &[Tok],
        spec: &ParaSpec,
        measure: f32,
        hang: Hang,
    ) -> Vec<Line> {
        let measure = measure.max(1.0);
        let mut p = self.prepare(toks, spec);
        if p.items.is_empty() {
            return Vec::new();
        }
        split_wide_boxes(&mut p, (measure - hang.width).max(1.0));
        let breaks = if hang.lines > 0 {
            self.breaker.break_hanging(&p.items, measure, hang)
        } else {
            self.breaker.break_lines(&p.items, measure)
        };
        self.render(&mut p, &breaks, measure, spec.align, hang)
    }

    /// Natural width of `toks` on one line (no breaking).
    pub fn natural_width(&mut self, toks: &[Tok]) -> f32 {
        let spec = ParaSpec {
            indent: 0.0,
            align: Align::Left,
            hyphenate: false,
        };
        let p = self.prepare(toks, &spec);
        p.items
            .iter()
            .map(|i| match *i {
                Item::Box { width } | Item::Glue { width, .. } => width,
                Item::Penalty { .. } => 0.0,
            })
            .sum()
    }

    /// Shapes `text` in `style` as runs from x = 0, each in the face that draws its
    /// characters (the style's face, or a fallback), one after another.
    pub fn runs(&mut self, text: &str, style: &TextStyle) -> Vec<Run> {
        let pieces = self.shaper.shape_pieces(style.face, style.features, text);
        let mut x = 0.0;
        let mut runs = Vec::with_capacity(pieces.len());
        for piece in pieces {
            let mut st = style.clone();
            st.face = piece.face;
            let glyphs = self.scale(&piece.glyphs, &st);
            let width: f32 = glyphs.iter().map(|g| g.advance).sum();
            runs.push(Run {
                face: piece.face,
                size: style.size,
                x,
                rise: style.rise,
                glyphs,
                colour: None,
            });
            x += width;
        }
        runs
    }

    /// Shapes `text` in `style` as glyphs sized in points (all in the style's face: for text
    /// the face may lack, use `runs`).
    pub fn glyphs(&mut self, text: &str, style: &TextStyle) -> Vec<Glyph> {
        let shaped = self.shaper.shape(style.face, style.features, text);
        self.scale(&shaped, style)
    }

    fn scale(&self, shaped: &[ShapedGlyph], style: &TextStyle) -> Vec<Glyph> {
        let face = self.shaper.fonts().get(style.face);
        shaped
            .iter()
            .map(|g| Glyph {
                id: g.id,
                advance: face.scale(g.advance, style.size),
                // Shared, not copied: see `GlyphText`.
                text: g.text.clone(),
            })
            .collect()
    }

    fn prepare(&mut self, toks: &[Tok], spec: &ParaSpec) -> Prepared {
        let mut p = Prepared {
            items: Vec::new(),
            contents: Vec::new(),
            styles: Vec::new(),
        };
        if spec.indent > 0.0 {
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
                Tok::Image { src, alt, style } => match self.inline_image(src, alt, style) {
                    Some(image) => {
                        p.items.push(Item::Box { width: image.width });
                        p.contents.push(Content::Image(image));
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

    /// An image of the text sized to the line ([`INLINE_HEIGHT`] ems of its type, at most as
    /// wide as the measure allows), if the book has it.
    fn inline_image(&self, src: &str, alt: &str, style: &TextStyle) -> Option<LineImage> {
        let (key, w, h) = self.art?.lookup(src)?;
        let mut height = style.size * INLINE_HEIGHT;
        let mut width = w * height / h;
        // Never more than a few ems wide: a panorama in the text would overflow any measure.
        let widest = style.size * 20.0;
        if width > widest {
            height *= widest / width;
            width = widest;
        }
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
        let s = intern(&mut p.styles, style);
        let mut word = String::new();
        for c in text.chars() {
            if c.is_whitespace() && !is_no_break_space(c) {
                self.push_word(p, &mut word, Some(s), spec);
                self.push_space(p, s);
            } else if c == ZERO_WIDTH_SPACE {
                // A place to break, with nothing drawn.
                self.push_word(p, &mut word, Some(s), spec);
                p.items.push(Item::Penalty {
                    width: 0.0,
                    cost: 0.0,
                    flagged: false,
                });
                p.contents.push(Content::Empty);
            } else if !c.is_control() {
                word.push(c);
            }
        }
        self.push_word(p, &mut word, Some(s), spec);
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
        for piece in pieces {
            let ps = if piece.face == st.face {
                s
            } else {
                let mut piece_style = st.clone();
                piece_style.face = piece.face;
                intern(&mut p.styles, &piece_style)
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
            self.push_piece(p, ps, &text[range.clone()], &piece, &here, spec);
        }
    }

    /// One face's part of a word as boxes, with penalties at its break points.
    fn push_piece(
        &mut self,
        p: &mut Prepared,
        s: usize,
        text: &str,
        piece: &Piece,
        marks: &Marks,
        spec: &ParaSpec,
    ) {
        let st = p.styles[s].clone();
        let shaped = &piece.glyphs;
        let glyphs = self.scale(shaped, &st);
        let dir = Dir::of(text, piece.rtl);
        if piece.rtl {
            // Glyphs in visual order cannot be cut at logical offsets; Hebrew is not hyphenated.
            push_box(p, s, glyphs, dir);
            return;
        }
        // Break points: byte offsets, each marked explicit (after a dash) or hyphenation.
        let mut points: Vec<(usize, bool)> = Vec::new();
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            if matches!(c, '-' | '–' | '—') && end < text.len() && i > 0 {
                points.push((end, true));
            }
        }
        if !marks.soft.is_empty() {
            // As in TeX, a word with soft hyphens breaks only there, hyphenation on or off.
            points.extend(marks.soft.iter().map(|&b| (b, false)));
        } else if spec.hyphenate && matches!(st.face, FaceId::Serif(_)) && st.rise == 0.0 {
            // Looked up before inserting: the word is copied only the first time it is seen.
            if !self.points.contains_key(text) {
                let found = self.hyphenator.points(text);
                self.points.insert(text.to_string(), found);
            }
            if let Some(found) = self.points.get(text) {
                points.extend(found.iter().map(|&b| (b, false)));
            }
        }
        points.retain(|pt| !marks.joined.contains(&pt.0));
        points.sort_unstable();
        points.dedup_by_key(|p| p.0);
        let hyphen = if points.iter().any(|p| !p.1) {
            self.glyphs("-", &st)
        } else {
            Vec::new()
        };
        let hyphen_width: f32 = hyphen.iter().map(|g| g.advance).sum();
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
            push_box(p, s, glyphs[from..at].to_vec(), dir);
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
                    cost: HYPHEN_PENALTY,
                    flagged: true,
                });
                p.contents.push(Content::Hyphen {
                    style: s,
                    glyphs: hyphen.clone(),
                });
            }
            from = at;
        }
        if from == 0 {
            push_box(p, s, glyphs, dir);
        } else {
            push_box(p, s, glyphs[from..].to_vec(), dir);
        }
    }

    /// Lines from the breaks; the glyphs are moved out of `p`, each item being on one line.
    fn render(
        &self,
        p: &mut Prepared,
        breaks: &[usize],
        full_measure: f32,
        align: Align,
        hang: Hang,
    ) -> Vec<Line> {
        let mut lines = Vec::with_capacity(breaks.len());
        let mut start = 0;
        for (k, &b) in breaks.iter().enumerate() {
            let hung = if k < hang.lines { hang.width } else { 0.0 };
            let measure = full_measure - hung;
            let forced =
                matches!(p.items.get(b), Some(Item::Penalty { cost, .. }) if *cost <= FORCED_BREAK);
            // Justified lines fill the measure; a paragraph's last line (and any line that
            // ends short) keeps its natural spaces, but shrinks them if the breaker chose so.
            let mut r = adjustment_ratio(&p.items, start, b, measure);
            let justified = align == Align::Justify && !forced && r.is_finite();
            if !r.is_finite() || (r > 0.0 && (forced || align != Align::Justify)) {
                r = 0.0;
            }
            let r = r.max(-1.0) as f32;
            let mut line = Line::default();
            let mut x = 0.0;
            for j in visual_order(p, start..b.min(p.items.len())) {
                match (&p.items[j], &mut p.contents[j]) {
                    (Item::Box { width }, Content::Glyphs { style, glyphs, .. }) => {
                        self.append(&mut line, &p.styles[*style], x, std::mem::take(glyphs));
                        x += width;
                    }
                    (Item::Box { width }, Content::Image(image)) => {
                        line.ascent = line.ascent.max(image.height - image.drop);
                        line.descent = line.descent.max(image.drop);
                        line.images.push(LineImage { x, ..image.clone() });
                        x += width;
                    }
                    (Item::Box { width }, _) => x += width,
                    (
                        Item::Glue {
                            width,
                            stretch,
                            shrink,
                        },
                        content,
                    ) => {
                        let adv = if *stretch >= FIL {
                            *width
                        } else if r > 0.0 {
                            width + r * stretch
                        } else {
                            width + r * shrink
                        };
                        if let Content::Space { style, glyph } = content {
                            let mut g = glyph.clone();
                            g.advance = adv;
                            self.append(&mut line, &p.styles[*style], x, [g]);
                        }
                        x += adv;
                    }
                    _ => {}
                }
            }
            if let (Some(Item::Penalty { width, .. }), Some(Content::Hyphen { style, glyphs })) =
                (p.items.get(b), p.contents.get_mut(b))
            {
                self.append(&mut line, &p.styles[*style], x, std::mem::take(glyphs));
                x += width;
            }
            line.width = x + hung;
            line.justified = justified;
            line.measure = full_measure;
            line.hyphenated = matches!(p.contents.get(b), Some(Content::Hyphen { .. }));
            let dx = hung
                + match align {
                    Align::Center => ((measure - x) / 2.0).max(0.0),
                    _ => 0.0,
                };
            line.shift(dx);
            if line.ascent == 0.0 {
                // An empty line still takes the height of the text around it.
                if let Some(s) = p.styles.first() {
                    let f = self.shaper.fonts().get(s.face);
                    line.ascent = f.ascender * s.size;
                    line.descent = f.descender * s.size;
                }
            }
            lines.push(line);
            start = line_start_after(&p.items, b);
        }
        lines
    }

    /// Adds glyphs at `x` to the line, extending the last run when the style matches.
    fn append(
        &self,
        line: &mut Line,
        style: &TextStyle,
        x: f32,
        glyphs: impl IntoIterator<Item = Glyph>,
    ) {
        let face = self.shaper.fonts().get(style.face);
        line.ascent = line.ascent.max(face.ascender * style.size + style.rise);
        line.descent = line.descent.max(face.descender * style.size - style.rise);
        let same = line.runs.last().is_some_and(|r| {
            r.face == style.face && r.size == style.size && r.rise == style.rise && {
                let end: f32 = r.x + r.glyphs.iter().map(|g| g.advance).sum::<f32>();
                (end - x).abs() < 0.001
            }
        });
        if !same {
            line.runs.push(Run {
                face: style.face,
                size: style.size,
                x,
                rise: style.rise,
                glyphs: Vec::new(),
                colour: None,
            });
        }
        let Some(run) = line.runs.last_mut() else {
            return;
        };
        let before = run.glyphs.len();
        run.glyphs.extend(glyphs);
        let width: f32 = run.glyphs[before..].iter().map(|g| g.advance).sum();
        if let Some(target) = &style.link {
            match line.links.last_mut() {
                Some(l) if l.target == *target && (l.x1 - x).abs() < 0.001 => l.x1 = x + width,
                _ => line.links.push(LineLink {
                    x0: x,
                    x1: x + width,
                    target: target.clone(),
                }),
            }
        }
    }
}

fn intern(styles: &mut Vec<TextStyle>, style: &TextStyle) -> usize {
    if let Some(i) = styles.iter().position(|s| s == style) {
        return i;
    }
    styles.push(style.clone());
    styles.len() - 1
}

fn push_box(p: &mut Prepared, style: usize, glyphs: Vec<Glyph>, dir: Dir) {
    if glyphs.is_empty() {
        return;
    }
    let width = glyphs.iter().map(|g| g.advance).sum();
    p.items.push(Item::Box { width });
    p.contents.push(Content::Glyphs { style, glyphs, dir });
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
struct Marks {
    soft: Vec<usize>,
    joined: Vec<usize>,
}

/// The order in which a line's items are drawn, left to right: logical order, except that a
/// run of right-to-left words (with the spaces, numbers and punctuation between them) is
/// reversed, as the Unicode bidirectional algorithm orders them in a left-to-right paragraph.
fn visual_order(p: &Prepared, range: std::ops::Range<usize>) -> Vec<usize> {
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
fn split_wide_boxes(p: &mut Prepared, measure: f32) {
    let mut i = 0;
    while i < p.items.len() {
        let wide = matches!(p.items[i], Item::Box { width } if width > measure);
        if let (true, Content::Glyphs { style, glyphs, dir }) = (wide, &p.contents[i]) {
            let (style, dir) = (*style, *dir);
            // Clusters: a glyph with text starts one; empty-text glyphs belong to it.
            let mut clusters: Vec<Vec<Glyph>> = Vec::new();
            for g in glyphs {
                match clusters.last_mut() {
                    Some(c) if g.text.is_empty() => c.push(g.clone()),
                    _ => clusters.push(vec![g.clone()]),
                }
            }
            let mut items = Vec::new();
            let mut contents = Vec::new();
            for (k, c) in clusters.into_iter().enumerate() {
                if k > 0 {
                    items.push(Item::Penalty {
                        width: 0.0,
                        cost: LETTER_BREAK_PENALTY,
                        flagged: false,
                    });
                    contents.push(Content::Empty);
                }
                let width = c.iter().map(|g| g.advance).sum();
                items.push(Item::Box { width });
                contents.push(Content::Glyphs {
                    style,
                    glyphs: c,
                    dir,
                });
            }
            let n = items.len();
            p.items.splice(i..=i, items);
            p.contents.splice(i..=i, contents);
            i += n;
        } else {
            i += 1;
        }
    }
}

/// The style for a face of the serif family.
pub fn serif(style: Style, size: f32) -> TextStyle {
    TextStyle::new(FaceId::Serif(style), size)
}

#[cfg(test)]
mod tests {
    use super::super::fonts::FontSet;
    use super::super::linebreak::KnuthPlass;
    use super::*;

    const TEXT: &str = "It is a truth universally acknowledged, that a single man in possession \
        of a good fortune, must be in want of a wife. However little known the feelings or views \
        of such a man may be on his first entering a neighbourhood, this truth is so well fixed \
        in the minds of the surrounding families, that he is considered the rightful property \
        of some one or other of their daughters.";

    fn set(text: &str, measure: f32, align: Align) -> Vec<Line> {
        let fonts = FontSet::load().expect("fonts");
        let hyph = Hyphenator::for_language("en");
        let kp = KnuthPlass::new(11.0);
        let mut setter = Setter::new(Shaper::new(&fonts), &hyph, &kp);
        let toks = vec![Tok::Text(text.into(), serif(Style::Regular, 11.0))];
        let spec = ParaSpec {
            indent: 11.0,
            align,
            hyphenate: true,
        };
        setter.set(&toks, &spec, measure)
    }

    fn width(line: &Line) -> f32 {
        let last = line.runs.last().map_or(0.0, |r| {
            r.x + r.glyphs.iter().map(|g| g.advance).sum::<f32>()
        });
        last
    }

    #[test]
    fn justified_lines_fill_the_measure_exactly() {
        for measure in [150.0, 220.0, 300.0] {
            let lines = set(TEXT, measure, Align::Justify);
            assert!(lines.len() > 2);
            for (i, l) in lines.iter().enumerate() {
                let w = width(l);
                assert!(w <= measure + 0.01, "line {i} too wide: {w}");
                if i + 1 < lines.len() {
                    assert!((w - measure).abs() < 0.01, "line {i}: {w} vs {measure}");
                }
            }
        }
    }

    #[test]
    fn text_survives_with_spaces_and_hyphens() {
        let lines = set(TEXT, 150.0, Align::Justify);
        let text: String = lines
            .iter()
            .map(|l| {
                l.runs
                    .iter()
                    .flat_map(|r| r.glyphs.iter().map(|g| g.text.as_str()))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ");
        let joined = text.replace("- ", "");
        assert_eq!(
            joined.split_whitespace().collect::<Vec<_>>(),
            TEXT.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_word_wider_than_the_measure_is_broken_by_letters() {
        let word = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(3);
        let lines = set(&format!("a {word} b"), 100.0, Align::Justify);
        for l in &lines {
            assert!(width(l) <= 100.01, "{}", width(l));
        }
    }

    #[test]
    fn empty_paragraphs_have_no_lines() {
        assert!(set("", 100.0, Align::Justify).is_empty());
        assert!(set("   ", 100.0, Align::Justify).is_empty());
    }
}
