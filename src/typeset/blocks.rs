//! A chapter -> its vertical list: blocks set into lines, with the spacing and the
//! keep-together rules that pagination honours. Pure: depends only on the chapter and the
//! shared, read-only fonts, so chapters can be set in parallel.
//!
//! One job per file: `openings` (sink, title, drop cap), `headings`, `notes`, `figures`,
//! `lists`, `code_blocks`, `tables`; this file dispatches the blocks and keeps the rules
//! every line goes through (spacing, widows and orphans, keeping with a heading).

mod code_blocks;
mod figures;
mod headings;
mod lists;
mod notes;
mod openings;
mod tables;
mod verse;

pub use code_blocks::MIN_CODE_SIZE;

use std::collections::HashMap;

use crate::fonts::Style;
use crate::model::{Block, Chapter, Footnote, Inline};

use super::document::LineKind;
use super::paginate::{Insert, VItem};
use super::paragraph::{
    chapter_anchor, flatten, heading_anchor, note_anchor, serif, Align, Line, LineLink, ParaSpec,
    Run, Setter, TextStyle, Tok,
};
use crate::settings::Opening;
use notes::note_ref_anchor;
use openings::small_caps_lead;

/// Space around displays (quotes, lists, code, tables), in body lines.
const AROUND_DISPLAY: f32 = 0.5;
/// Space between a table's caption and its top rule, in body lines.
const CAPTION_SPACE: f32 = 0.25;
/// Block quotes: indent on both sides (ems) and relative size.
const QUOTE_INDENT: f32 = 1.5;
const QUOTE_SCALE: f32 = 0.92;
/// The asterism of a scene break is small in Libertine: set it larger.
const ASTERISM_SCALE: f32 = 1.4;

/// Body type and measure, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct Body {
    pub size: f32,
    pub leading: f32,
    pub measure: f32,
    pub hyphenate: bool,
    /// Space above a chapter's title (the "sink").
    pub sink: f32,
    /// How a chapter's first paragraph opens.
    pub opening: Opening,
    /// Code blocks' size (`[pdf] code-size`) in body text; scaled with the text around them.
    pub code_size: f32,
}

/// Where and how big the current block is set (it changes inside quotes, lists, notes).
#[derive(Debug, Clone, Copy)]
struct Env {
    x: f32,
    measure: f32,
    size: f32,
    leading: f32,
}

pub struct ChapterBuilder<'s, 'a> {
    setter: &'s mut Setter<'a>,
    body: Body,
    chapter: String,
    items: Vec<VItem>,
    indent_next: bool,
    /// Lines still to keep with the heading above.
    keep: usize,
    /// Paragraphs set so far, to number them in the layout report.
    paragraphs: u32,
    /// The next block opens the chapter: if a paragraph, its first words go in small caps.
    opening_next: bool,
    /// The chapter's footnotes, by the anchor their references link to.
    notes: Vec<Footnote>,
    note_keys: HashMap<String, usize>,
    /// Notes already set (at their first reference).
    noted: Vec<bool>,
    /// While a note is set: the notes it cites, to set after it in the same insert.
    cited_in_note: Option<Vec<usize>>,
    /// Where in the chapter the block being set is (`model::pages::TextPosition::path`).
    path: Vec<usize>,
    /// The block being set has running text (a paragraph): its lines' places say where in
    /// it they start; the others' are its start.
    running_text: bool,
    /// Inside raw HTML: places stop at the first this many indices of `path`.
    path_stops: Option<usize>,
    /// The chapter's source file, for warnings.
    source: std::path::PathBuf,
}

impl<'s, 'a> ChapterBuilder<'s, 'a> {
    pub fn new(setter: &'s mut Setter<'a>, body: Body, chapter: &str) -> Self {
        ChapterBuilder {
            setter,
            body,
            chapter: chapter.to_string(),
            items: Vec::new(),
            indent_next: false,
            keep: 0,
            paragraphs: 0,
            opening_next: false,
            notes: Vec::new(),
            note_keys: HashMap::new(),
            noted: Vec::new(),
            cited_in_note: None,
            path: Vec::new(),
            running_text: false,
            path_stops: None,
            source: std::path::PathBuf::new(),
        }
    }

    fn env(&self) -> Env {
        Env {
            x: 0.0,
            measure: self.body.measure,
            size: self.body.size,
            leading: self.body.leading,
        }
    }

    /// The whole chapter: sink, title, blocks; each note goes with the line that first
    /// cites it, to be set at the foot of that line's page.
    pub fn chapter(mut self, chapter: &Chapter) -> Vec<VItem> {
        self.source.clone_from(&chapter.source);
        self.notes = chapter.notes.clone();
        self.note_keys = (self.notes.iter().enumerate())
            .map(|(k, n)| (note_anchor(&self.chapter, n.number), k))
            .collect();
        self.noted = vec![false; self.notes.len()];
        self.opening(
            chapter.title.as_deref(),
            &chapter_anchor(&chapter.id),
            self.body.sink,
        );
        let env = self.env();
        self.opening_next = self.body.opening != Opening::None;
        self.blocks(&chapter.blocks, env);
        // Notes no line cites (none, as the reader numbers them) still get printed.
        let unplaced: Vec<usize> = (0..self.notes.len()).filter(|&k| !self.noted[k]).collect();
        if !unplaced.is_empty() {
            unplaced.iter().for_each(|&k| self.noted[k] = true);
            let insert = self.insert(unplaced, true);
            self.items.push(insert);
        }
        self.items
    }

    /// Appends prepared items (the contents' entries).
    pub fn push(&mut self, item: VItem) {
        self.items.push(item);
    }

    pub fn finish(self) -> Vec<VItem> {
        self.items
    }

    fn blocks(&mut self, blocks: &[Block], env: Env) {
        for (k, b) in blocks.iter().enumerate() {
            self.path.push(k);
            self.block(b, env);
            self.path.pop();
        }
    }

    /// Where in the chapter a line of the current block starts, `source` being where in the
    /// block's text.
    fn place(&self, source: Option<usize>) -> crate::model::pages::TextPosition {
        let stops = self.path_stops.unwrap_or(self.path.len());
        let running = self.running_text && self.path_stops.is_none();
        crate::model::pages::TextPosition {
            path: self.path[..stops.min(self.path.len())].to_vec(),
            offset: if running { source.unwrap_or(0) } else { 0 },
        }
    }

    fn block(&mut self, block: &Block, env: Env) {
        let running_text =
            std::mem::replace(&mut self.running_text, matches!(block, Block::Paragraph(_)));
        let path_stops = self.path_stops;
        // Raw HTML's blocks are what it says, not the model's: places in it are its start.
        if matches!(block, Block::Html { .. }) {
            self.path_stops.get_or_insert(self.path.len());
        }
        self.set_block(block, env);
        self.running_text = running_text;
        self.path_stops = path_stops;
    }

    fn set_block(&mut self, block: &Block, env: Env) {
        self.raw_anchors(block);
        let opening = std::mem::take(&mut self.opening_next);
        match block {
            Block::Paragraph(inl) => {
                let mut toks = Vec::new();
                flatten(
                    inl,
                    &serif(Style::Regular, env.size),
                    &self.chapter,
                    &mut toks,
                );
                if opening && self.body.opening == Opening::DropCap && self.drop_cap(&toks, env) {
                    self.indent_next = true;
                    return;
                }
                if opening {
                    toks = small_caps_lead(toks);
                }
                let indent = self.indent_next;
                self.paragraph_toks(&toks, env, indent);
                self.indent_next = true;
            }
            Block::Heading(h) => self.heading(h, env),
            Block::BlockQuote(inner) => {
                let em = env.size;
                let quote = Env {
                    x: env.x + QUOTE_INDENT * em,
                    measure: (env.measure - 2.0 * QUOTE_INDENT * em).max(em * 4.0),
                    size: env.size * QUOTE_SCALE,
                    leading: env.leading * QUOTE_SCALE,
                };
                self.display(env, |b| {
                    b.indent_next = false;
                    b.blocks(inner, quote);
                });
            }
            Block::List(list) => self.display(env, |b| b.list(list, env)),
            Block::CodeBlock {
                text,
                language,
                listing,
            } => self.display(env, |b| b.code(text, language.as_deref(), listing, env)),
            // The caption above the table, never parted from its header.
            Block::Table(t) => self.display(env, |b| {
                if let Some(caption) = &t.caption {
                    let mut toks = Vec::new();
                    flatten(
                        caption,
                        &serif(Style::Italic, env.size),
                        &b.chapter,
                        &mut toks,
                    );
                    b.head_lines(&toks, env.x, env.measure, env.leading);
                    b.space(env.leading * CAPTION_SPACE);
                }
                b.table(t, env)
            }),
            Block::SceneBreak => self.scene_break(env),
            // A figure leaves the chapter's opening to the next paragraph.
            Block::Figure(f) => {
                self.opening_next = opening;
                self.figure(f, env);
            }
            // What raw HTML says, as the reader lowered it (`content`); an empty one (an
            // anchor) leaves the chapter's opening to the next block.
            Block::Html { content, .. } => {
                self.opening_next = opening;
                self.blocks(content, env);
            }
            // A definition list: each term in bold, its definitions indented below it.
            Block::DefinitionList(items) => self.display(env, |b| {
                for d in items {
                    let mut toks = Vec::new();
                    flatten(
                        &d.term,
                        &serif(Style::Bold, env.size),
                        &b.chapter,
                        &mut toks,
                    );
                    b.paragraph_toks(&toks, env, false);
                    let inner = Env {
                        x: env.x + QUOTE_INDENT * env.size,
                        measure: (env.measure - QUOTE_INDENT * env.size).max(env.size * 4.0),
                        ..env
                    };
                    for def in &d.definitions {
                        b.indent_next = false;
                        b.blocks(def, inner);
                    }
                }
            }),
            // A fenced div: its blocks, as if written without it (its classes are for
            // the EPUB's style sheet).
            Block::Div(div) => {
                self.opening_next = opening;
                if !div.attrs.id.is_empty() {
                    self.push(VItem::Anchor(heading_anchor(&div.attrs.id)));
                }
                if div.attrs.has_class("line-block") {
                    self.opening_next = false;
                    self.display(env, |b| {
                        for (k, block) in div.blocks.iter().enumerate() {
                            b.path.push(k);
                            match block {
                                Block::Paragraph(inlines) => b.verse(inlines, env),
                                other => b.block(other, env),
                            }
                            b.path.pop();
                        }
                    });
                } else {
                    self.blocks(&div.blocks, env);
                }
            }
        }
    }

    /// A display block: space around it, and no indent for the paragraph that follows.
    /// Ids of raw HTML elements in the block (`<a id="old-name"></a>`), which links may point
    /// at: marked at the top of the block. Only blocks holding raw HTML are looked into.
    fn raw_anchors(&mut self, block: &Block) {
        let holds_html = |inl: &[Inline]| inl.iter().any(|i| matches!(i, Inline::RawHtml { .. }));
        let raw = match block {
            Block::Html { .. } | Block::Figure(_) => true,
            Block::Paragraph(inl) => holds_html(inl),
            Block::Heading(h) => holds_html(&h.content),
            _ => false,
        };
        if raw {
            for id in crate::model::visit::raw_ids(std::slice::from_ref(block)) {
                self.push(VItem::Anchor(heading_anchor(&id)));
            }
        }
    }

    fn display(&mut self, env: Env, body: impl FnOnce(&mut Self)) {
        self.space(env.leading * AROUND_DISPLAY);
        body(self);
        self.space(env.leading * AROUND_DISPLAY);
        self.indent_next = false;
    }

    fn paragraph_toks(&mut self, toks: &[Tok], env: Env, indent: bool) {
        let spec = ParaSpec {
            indent: if indent { env.size } else { 0.0 },
            align: Align::Justify,
            hyphenate: self.body.hyphenate,
        };
        let lines = self.setter.set(toks, &spec, env.measure);
        self.lines(env.x, lines, env.leading);
    }

    /// Lines of one paragraph: no break after its first line or before its last (no orphans,
    /// no widows).
    fn lines(&mut self, x: f32, lines: Vec<Line>, leading: f32) {
        let n = lines.len();
        self.paragraphs += 1;
        for (k, mut line) in lines.into_iter().enumerate() {
            line.kind = LineKind::Body {
                paragraph: self.paragraphs,
                first: k == 0,
                last: k + 1 == n,
                justified: line.justified,
                hyphenated: line.hyphenated,
            };
            let k = k + 1;
            let ok = k == n || (k >= 2 && n - k >= 2);
            self.line(x, line, leading, ok);
        }
    }

    fn line(&mut self, x: f32, mut line: Line, leading: f32, break_after: bool) {
        line.place = Some(self.place(line.source));
        let mut break_after = break_after;
        if self.keep > 0 {
            self.keep -= 1;
            break_after = false;
        }
        let cited = self.first_cited(&line);
        if let (Some(queue), false) = (&mut self.cited_in_note, cited.is_empty()) {
            queue.extend(cited);
        } else if !cited.is_empty() {
            // The notes go right after their line, and the page may not end between them.
            for &k in &cited {
                let number = self.notes[k].number;
                self.items
                    .push(VItem::Anchor(note_ref_anchor(&self.chapter, number)));
            }
            self.items.push(VItem::Line {
                x,
                line,
                advance: leading,
                break_after: false,
            });
            let insert = self.insert(cited, break_after);
            self.items.push(insert);
            return;
        }
        self.items.push(VItem::Line {
            x,
            line,
            advance: leading,
            break_after,
        });
    }

    fn space(&mut self, height: f32) {
        let break_after = match self.items.last() {
            Some(VItem::Line { break_after, .. })
            | Some(VItem::Space { break_after, .. })
            | Some(VItem::Rule { break_after, .. })
            | Some(VItem::Image { break_after, .. })
            | Some(VItem::Insert(Insert { break_after, .. })) => *break_after,
            _ => false,
        };
        self.items.push(VItem::Space {
            height,
            discardable: true,
            break_after,
        });
    }

    fn width_of(&mut self, text: &str, style: &TextStyle) -> f32 {
        self.setter
            .glyphs(text, style)
            .iter()
            .map(|g| g.advance)
            .sum()
    }

    fn scene_break(&mut self, env: Env) {
        let style = serif(Style::Regular, env.size * ASTERISM_SCALE);
        let asterism = self.setter.glyphs("⁂", &style);
        let glyphs = if asterism.iter().all(|g| g.id != 0) {
            asterism
        } else {
            self.setter
                .glyphs("*\u{2003}*\u{2003}*", &serif(Style::Regular, env.size))
        };
        let width: f32 = glyphs.iter().map(|g| g.advance).sum();
        let line = Line {
            runs: vec![Run {
                face: style.face,
                size: style.size,
                x: ((env.measure - width) / 2.0).max(0.0),
                rise: 0.0,
                glyphs,
                colour: None,
            }],
            links: Vec::<LineLink>::new(),
            width,
            ascent: env.size * 0.7,
            kind: LineKind::Ornament,
            ..Line::default()
        };
        self.space(env.leading * 0.5);
        self.line(env.x, line, env.leading, true);
        self.space(env.leading * 0.5);
        self.indent_next = false;
    }
}
