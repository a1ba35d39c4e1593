//! A chapter -> its vertical list: blocks set into lines, with the spacing and the
//! keep-together rules that pagination honours. Pure: depends only on the chapter and the
//! shared, read-only fonts, so chapters can be set in parallel.

use std::collections::HashMap;

use crate::fonts::{FaceId, Style};
use crate::model::{
    Align as ColumnAlign, Block, Chapter, Figure, Footnote, Heading, Inline, List, Table,
};

use super::code;
use super::document::LineKind;
use super::figure;
use super::linebreak::Hang;
use super::paginate::{FigureImage, Insert, VItem};
use super::paragraph::{
    chapter_anchor, flatten, heading_anchor, note_anchor, serif, Align, Line, LineLink, ParaSpec,
    Run, Setter, Target, TextStyle, Tok,
};
use crate::settings::Opening;

/// Chapter title size, in body ems.
const CHAPTER_TITLE_SCALE: f32 = 2.0;
/// Space between the chapter title and the text, in body lines.
const AFTER_CHAPTER_TITLE: f32 = 2.5;
/// Heading sizes (in body ems) and faces for levels 2..=6: one scale.
const HEADINGS: [(f32, Style); 5] = [
    (1.3, Style::Bold),
    (1.1, Style::Bold),
    (1.0, Style::BoldItalic),
    (1.0, Style::Italic),
    (0.9, Style::Italic),
];
/// Space above and below a heading, in body lines.
const BEFORE_HEADING: f32 = 1.5;
const AFTER_HEADING: f32 = 0.5;
/// Space around displays (quotes, lists, code, tables), in body lines.
const AROUND_DISPLAY: f32 = 0.5;
/// Block quotes: indent on both sides (ems) and relative size.
const QUOTE_INDENT: f32 = 1.5;
const QUOTE_SCALE: f32 = 0.92;
/// Code blocks: relative size (rows and colours: `code`).
const CODE_SCALE: f32 = 0.85;
/// Footnotes: relative size; room between the text and the notes (body lines, the rule
/// included); the rule's length (part of the measure, as LaTeX's 0.4\columnwidth) and
/// thickness (points).
const NOTE_SCALE: f32 = 0.85;
const NOTE_SKIP: f32 = 0.8;
const NOTE_RULE_WIDTH: f32 = 0.4;
const NOTE_RULE_THICKNESS: f32 = 0.4;
/// Tables: relative size, cell padding (ems), rule thicknesses (points).
const TABLE_SCALE: f32 = 0.9;
const CELL_PADDING: f32 = 0.6;
const HEAVY_RULE: f32 = 0.6;
const LIGHT_RULE: f32 = 0.4;
/// The asterism of a scene break is small in Libertine: set it larger.
const ASTERISM_SCALE: f32 = 1.4;
/// Lines a drop cap spans, its distance from the text (body ems), and the font's capital
/// height (Linux Libertine O: 658/1000) to size it so that it stands from the first line's
/// capital height to the last line's baseline.
const DROP_LINES: usize = 3;
const DROP_CAP_GAP: f32 = 0.25;
const CAP_HEIGHT: f32 = 0.658;
/// Words of a chapter's first paragraph set in small caps (fewer if a clause ends sooner).
const LEAD_WORDS: usize = 3;
/// Lines kept together with a heading.
const KEEP_WITH_HEADING: usize = 2;
/// Figures: space above and below (body lines), between the image and its caption (body
/// lines), and the caption's relative size.
const AROUND_FIGURE: f32 = 1.0;
const ABOVE_CAPTION: f32 = 0.5;
const CAPTION_SCALE: f32 = 0.9;

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

    /// The notes `cited` (with those they cite in turn) as an insert for the page foot.
    fn insert(&mut self, cited: Vec<usize>, break_after: bool) -> VItem {
        let saved_items = std::mem::take(&mut self.items);
        let saved_keep = std::mem::take(&mut self.keep);
        let saved_indent = self.indent_next;
        let env = self.env();
        let small = Env {
            size: env.size * NOTE_SCALE,
            leading: env.leading * NOTE_SCALE,
            ..env
        };
        let mut queue = std::collections::VecDeque::from(cited);
        while let Some(k) = queue.pop_front() {
            self.cited_in_note = Some(Vec::new());
            self.note(k, small);
            queue.extend(self.cited_in_note.take().unwrap_or_default());
        }
        let mut items = std::mem::replace(&mut self.items, saved_items);
        self.keep = saved_keep;
        self.indent_next = saved_indent;
        for item in &mut items {
            if let VItem::Line { line, .. } = item {
                let (justified, hyphenated) = match line.kind {
                    LineKind::Body {
                        justified,
                        hyphenated,
                        ..
                    } => (justified, hyphenated),
                    _ => (false, false),
                };
                line.kind = LineKind::Note {
                    justified,
                    hyphenated,
                };
            }
        }
        VItem::Insert(Insert {
            items,
            skip: self.body.leading * NOTE_SKIP,
            rule_width: self.body.measure * NOTE_RULE_WIDTH,
            rule_thickness: NOTE_RULE_THICKNESS,
            break_after,
        })
    }

    /// One note: its number (a link back to the reference) and its blocks.
    fn note(&mut self, k: usize, small: Env) {
        let Some(note) = self.notes.get(k).cloned() else {
            return;
        };
        self.items
            .push(VItem::Anchor(note_anchor(&self.chapter, note.number)));
        self.indent_next = false;
        let style = serif(Style::Regular, small.size);
        let mut number = style.clone();
        number.link = Some(Target::Anchor(note_ref_anchor(&self.chapter, note.number)));
        let mut prefix = vec![
            Tok::Text(format!("{}.", note.number), number),
            Tok::Text(" ".into(), style.clone()),
        ];
        let mut rest: &[Block] = &note.blocks;
        if let Some((Block::Paragraph(inl), tail)) = note.blocks.split_first() {
            flatten(inl, &style, &self.chapter, &mut prefix);
            rest = tail;
        }
        self.paragraph_toks(&prefix, small, false);
        self.indent_next = true;
        self.blocks(rest, small);
    }

    /// Notes first cited by `line` (marked as set).
    fn first_cited(&mut self, line: &Line) -> Vec<usize> {
        let mut cited = Vec::new();
        for link in &line.links {
            if let Target::Anchor(key) = &link.target {
                if let Some(&k) = self.note_keys.get(key) {
                    if !self.noted[k] {
                        self.noted[k] = true;
                        cited.push(k);
                    }
                }
            }
        }
        cited
    }

    /// Sink, anchor and (if any) a large title: the opening of a chapter or of the contents.
    pub fn opening(&mut self, title: Option<&[Inline]>, anchor: &str, sink: f32) {
        self.items.push(VItem::Space {
            height: sink,
            discardable: false,
            break_after: false,
        });
        self.items.push(VItem::Anchor(anchor.to_string()));
        if let Some(title) = title {
            let size = self.body.size * CHAPTER_TITLE_SCALE;
            let mut toks = Vec::new();
            flatten(
                title,
                &serif(Style::Regular, size),
                &self.chapter,
                &mut toks,
            );
            let spec = ParaSpec {
                indent: 0.0,
                align: Align::Center,
                hyphenate: false,
            };
            let lines = self.setter.set(&toks, &spec, self.body.measure);
            for mut line in lines {
                line.kind = LineKind::Heading { level: 1 };
                self.line(0.0, line, size * 1.2, false);
            }
            self.items.push(VItem::Space {
                height: self.body.leading * AFTER_CHAPTER_TITLE,
                discardable: false,
                break_after: false,
            });
        }
        self.keep = KEEP_WITH_HEADING;
        self.indent_next = false;
    }

    /// Appends prepared items (the contents' entries).
    pub fn push(&mut self, item: VItem) {
        self.items.push(item);
    }

    pub fn finish(self) -> Vec<VItem> {
        self.items
    }

    fn blocks(&mut self, blocks: &[Block], env: Env) {
        for b in blocks {
            self.block(b, env);
        }
    }

    /// A figure (which images are figures the reader decided): the image centred and scaled
    /// to fit the measure and, with its caption, the text block; the caption below it. An
    /// image the book does not hold (a remote one) is set as its paragraph and caption.
    fn figure(&mut self, figure: &Figure, env: Env) {
        let lookup = self
            .setter
            .art
            .and_then(|art| Some((art, art.lookup(&figure.src)?)));
        let Some((art, (key, natural_w, natural_h))) = lookup else {
            let image = Inline::Image {
                src: figure.src.clone(),
                alt: figure.alt.clone(),
                title: figure.title.clone(),
            };
            self.block(&Block::Paragraph(vec![image]), env);
            if let Some(c) = &figure.caption {
                self.block(&Block::Paragraph(vec![Inline::Emphasis(c.clone())]), env);
            }
            return;
        };
        let caption = &figure.caption;
        let size = env.size * CAPTION_SCALE;
        let leading = env.leading * CAPTION_SCALE;
        let lines = match &caption {
            Some(c) => {
                let mut toks = Vec::new();
                flatten(c, &serif(Style::Italic, size), &self.chapter, &mut toks);
                let spec = ParaSpec {
                    indent: 0.0,
                    align: Align::Center,
                    hyphenate: self.body.hyphenate,
                };
                self.setter.set(&toks, &spec, env.measure)
            }
            None => Vec::new(),
        };
        let gap = env.leading * ABOVE_CAPTION;
        let caption_height = if lines.is_empty() {
            0.0
        } else {
            gap + lines.len() as f32 * leading
        };
        let room = (art.block_height - caption_height).max(env.leading);
        let widest = env.measure * figure.share.unwrap_or(1.0);
        let (width, height) = figure::fit((natural_w, natural_h), widest, room);
        self.space(env.leading * AROUND_FIGURE);
        self.items.push(VItem::Image {
            x: env.x + (env.measure - width) / 2.0,
            image: FigureImage {
                key,
                width,
                height,
                alt: figure.alt.clone(),
            },
            break_after: lines.is_empty(),
        });
        if !lines.is_empty() {
            self.items.push(VItem::Space {
                height: gap,
                discardable: false,
                break_after: false,
            });
            let n = lines.len();
            for (k, line) in lines.into_iter().enumerate() {
                // The caption stays whole, with its image.
                self.line(env.x, line, leading, k + 1 == n);
            }
        }
        self.space(env.leading * AROUND_FIGURE);
        self.indent_next = false;
    }

    fn block(&mut self, block: &Block, env: Env) {
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
            Block::CodeBlock { text, language } => {
                self.display(env, |b| b.code(text, language.as_deref(), env))
            }
            Block::Table(t) => self.display(env, |b| b.table(t, env)),
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

    /// The first paragraph with a drop cap: its first letter (and any opening quote) set
    /// [`DROP_LINES`] lines deep beside the first lines, the rest of the first words in small
    /// caps. `false` (and nothing set) when the paragraph does not start with a letter or is
    /// too short to hold the cap.
    fn drop_cap(&mut self, toks: &[Tok], env: Env) -> bool {
        let Some((Tok::Text(first, style), rest)) = toks.split_first() else {
            return false;
        };
        if !matches!(style.face, FaceId::Serif(_)) || style.rise != 0.0 {
            return false;
        }
        let text = first.trim_start();
        let Some(end) = text
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric())
            .map(|(i, c)| i + c.len_utf8())
        else {
            return false;
        };
        if text[..end].chars().any(char::is_whitespace) || end > 8 {
            return false;
        }
        let (cap, after) = text.split_at(end);
        let lines_above = (DROP_LINES - 1) as f32;
        let cap_size = lines_above * env.leading / CAP_HEIGHT + env.size;
        let cap_style = serif(Style::Regular, cap_size);
        let glyphs = self.setter.glyphs(cap, &cap_style);
        let cap_width: f32 = glyphs.iter().map(|g| g.advance).sum();
        let hang = Hang {
            width: cap_width + DROP_CAP_GAP * env.size,
            lines: DROP_LINES,
        };
        let mut body = vec![Tok::Text(after.to_string(), style.clone())];
        body.extend(rest.iter().cloned());
        let spec = ParaSpec {
            indent: 0.0,
            align: Align::Justify,
            hyphenate: self.body.hyphenate,
        };
        let mut lines = self
            .setter
            .set_hanging(&small_caps_lead(body), &spec, env.measure, hang);
        if lines.len() < DROP_LINES {
            return false;
        }
        lines[0].runs.insert(
            0,
            Run {
                face: cap_style.face,
                size: cap_size,
                x: 0.0,
                rise: -lines_above * env.leading,
                glyphs,
                colour: None,
            },
        );
        self.lines(env.x, lines, env.leading);
        true
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

    fn line(&mut self, x: f32, line: Line, leading: f32, break_after: bool) {
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

    fn heading(&mut self, h: &Heading, env: Env) {
        self.space(self.body.leading * BEFORE_HEADING);
        self.heading_lines(&h.content, h.level, Some(&h.id), env);
    }

    fn heading_lines(&mut self, content: &[Inline], level: u8, id: Option<&str>, env: Env) {
        let (scale, style) = HEADINGS[usize::from(level.clamp(2, 6) - 2)];
        let size = self.body.size * scale;
        if let Some(id) = id {
            self.items.push(VItem::Anchor(heading_anchor(id)));
        }
        let mut toks = Vec::new();
        flatten(content, &serif(style, size), &self.chapter, &mut toks);
        let spec = ParaSpec {
            indent: 0.0,
            align: Align::Left,
            hyphenate: false,
        };
        let lines = self.setter.set(&toks, &spec, env.measure);
        let leading = (size * 1.2).max(env.leading);
        for mut line in lines {
            line.kind = LineKind::Heading { level };
            self.line(env.x, line, leading, false);
        }
        self.items.push(VItem::Space {
            height: self.body.leading * AFTER_HEADING,
            discardable: true,
            break_after: false,
        });
        self.keep = KEEP_WITH_HEADING;
        self.indent_next = false;
    }

    fn list(&mut self, list: &List, env: Env) {
        let style = serif(Style::Regular, env.size);
        let markers: Vec<String> = (0..list.items.len())
            .map(|i| match list.start {
                Some(start) => format!("{}.", start.saturating_add(i as u64)),
                None => "•".to_string(),
            })
            .collect();
        let widest = markers
            .iter()
            .map(|m| self.width_of(m, &style))
            .fold(0.0f32, f32::max);
        let gap = env.size * 0.5;
        let hang = (widest + gap).max(env.size * 1.5);
        let inner = Env {
            x: env.x + hang,
            measure: (env.measure - hang).max(env.size * 4.0),
            ..env
        };
        for (i, (item, marker)) in list.items.iter().zip(&markers).enumerate() {
            if i > 0 && !list.tight {
                self.space(env.leading * AROUND_DISPLAY);
            }
            let first = self.items.len();
            self.indent_next = false;
            let mut marker = marker.clone();
            if let Some(done) = item.task {
                marker = if done { "[x]".into() } else { "[ ]".into() };
            }
            self.blocks(&item.blocks, inner);
            let glyphs = self.setter.glyphs(&marker, &style);
            let w: f32 = glyphs.iter().map(|g| g.advance).sum();
            let run = Run {
                face: style.face,
                size: style.size,
                x: -gap - w,
                rise: 0.0,
                glyphs,
                colour: None,
            };
            let target = self.items[first..].iter_mut().find_map(|it| match it {
                VItem::Line { line, .. } => Some(line),
                _ => None,
            });
            match target {
                Some(line) => line.runs.insert(0, run),
                None => {
                    let mut line = Line::default();
                    line.runs.push(run);
                    line.ascent = env.size * 0.9;
                    self.line(inner.x, line, env.leading, true);
                }
            }
        }
    }

    fn width_of(&mut self, text: &str, style: &TextStyle) -> f32 {
        self.setter
            .glyphs(text, style)
            .iter()
            .map(|g| g.advance)
            .sum()
    }

    fn code(&mut self, text: &str, language: Option<&str>, env: Env) {
        let style = TextStyle::new(FaceId::Mono, env.size * CODE_SCALE);
        let leading = env.leading * CODE_SCALE;
        let x = env.x + env.size;
        let measure = env.measure - env.size;
        let cell = self.width_of("0", &style).max(0.1);
        let cols = (measure / cell).floor() as usize;
        let rows = code::rows(text, language, cols);
        let face = self.setter.shaper.fonts().get(FaceId::Mono);
        let (ascent, descent) = (face.ascender * style.size, face.descender * style.size);
        let n = rows.len();
        for (k, row) in rows.into_iter().enumerate() {
            let mut line = Line {
                ascent,
                descent,
                ..Line::default()
            };
            // One run per colour, each in the face that draws it (a character the monospace
            // face lacks comes from a fallback face); a monospaced face has no kerning, so
            // shaping the pieces apart sets them exactly as shaping the row whole would.
            for piece in row {
                let runs = self.setter.runs(&piece.text, &style);
                let width: f32 = runs.iter().flat_map(|r| &r.glyphs).map(|g| g.advance).sum();
                for mut run in runs.into_iter().filter(|r| !r.glyphs.is_empty()) {
                    run.x += line.width;
                    run.colour = piece.colour;
                    line.runs.push(run);
                }
                line.width += width;
            }
            let k = k + 1;
            let ok = k == n || (k >= 2 && n - k >= 2);
            self.line(x, line, leading, ok);
        }
    }

    fn table(&mut self, t: &Table, env: Env) {
        let size = env.size * TABLE_SCALE;
        let leading = env.leading * TABLE_SCALE;
        let pad = CELL_PADDING * size;
        let ncols = t
            .rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(t.header.len()))
            .max()
            .unwrap_or(0);
        if ncols == 0 {
            return;
        }
        let header_style = serif(Style::Bold, size);
        let body_style = serif(Style::Regular, size);
        let toks = |cell: &[Inline], style: &TextStyle, chapter: &str| {
            let mut out = Vec::new();
            flatten(cell, style, chapter, &mut out);
            out
        };
        // Natural column widths, then scaled down to fit the measure.
        let mut natural = vec![size * 2.0; ncols];
        let rows = std::iter::once((&t.header, &header_style))
            .chain(t.rows.iter().map(|r| (r, &body_style)));
        for (row, style) in rows.clone() {
            for (c, cell) in row.iter().enumerate() {
                // A little slack so that rounding never breaks a cell that fits.
                let w = self.setter.natural_width(&toks(cell, style, &self.chapter)) + pad + 0.5;
                natural[c] = natural[c].max(w);
            }
        }
        let total: f32 = natural.iter().sum();
        let widths: Vec<f32> = if total <= env.measure {
            natural
        } else {
            let even = env.measure / ncols as f32;
            // Columns narrower than an even share keep their width; the rest share what is left.
            let small: f32 = natural.iter().filter(|&&w| w <= even).sum();
            let big: f32 = natural.iter().filter(|&&w| w > even).sum();
            let room = env.measure - small;
            natural
                .iter()
                .map(|&w| {
                    if w <= even {
                        w
                    } else {
                        w * room / big.max(1.0)
                    }
                })
                .collect()
        };
        let table_width: f32 = widths.iter().sum();
        let rule = |b: &mut Self, thickness: f32, break_after: bool| {
            b.items.push(VItem::Rule {
                x: env.x,
                width: table_width,
                thickness,
                height: leading * 0.5,
                break_after,
            });
        };
        let head_start = self.items.len();
        rule(self, HEAVY_RULE, false);
        let nrows = t.rows.len();
        for (r, (row, style)) in rows.enumerate() {
            if r == 0 && row.is_empty() {
                continue;
            }
            let mut cells: Vec<Vec<Line>> = Vec::new();
            let mut x = 0.0;
            for (c, width) in widths.iter().enumerate() {
                let align = match t.align.get(c) {
                    Some(ColumnAlign::Center) => Align::Center,
                    _ => Align::Left,
                };
                let spec = ParaSpec {
                    indent: 0.0,
                    align,
                    hyphenate: self.body.hyphenate,
                };
                let cell = row.get(c).map(Vec::as_slice).unwrap_or(&[]);
                let mut lines =
                    self.setter
                        .set(&toks(cell, style, &self.chapter), &spec, width - pad);
                if matches!(t.align.get(c), Some(ColumnAlign::Right)) {
                    for l in &mut lines {
                        let dx = width - pad - l.width;
                        l.shift(dx.max(0.0));
                    }
                }
                for l in &mut lines {
                    l.shift(x + pad / 2.0);
                }
                cells.push(lines);
                x += width;
            }
            let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            for k in 0..height {
                let mut merged = Line {
                    ascent: size * 0.9,
                    descent: size * 0.25,
                    width: table_width,
                    ..Line::default()
                };
                for cell in &mut cells {
                    if let Some(l) = cell.get_mut(k) {
                        merged.runs.append(&mut l.runs);
                        merged.links.append(&mut l.links);
                        merged.images.append(&mut l.images);
                        merged.ascent = merged.ascent.max(l.ascent);
                    }
                }
                let last_of_row = k + 1 == height;
                // Keep the header with the first row, and the closing rule with the last.
                let ok = last_of_row && r > 0 && r < nrows;
                self.line(env.x, merged, leading, ok);
            }
            if r == 0 {
                rule(self, LIGHT_RULE, false);
                // A page the table continues on opens with the header again: its rules and
                // lines (not its anchors or notes, which belong where it was first set).
                let head = self.items[head_start..]
                    .iter()
                    .filter(|it| !matches!(it, VItem::Anchor(_) | VItem::Insert(_)))
                    .cloned()
                    .collect();
                self.items.push(VItem::TableHeader(head));
            } else if r == nrows {
                rule(self, HEAVY_RULE, true);
            }
        }
        if nrows == 0 {
            rule(self, HEAVY_RULE, true);
        }
        if self.items[head_start..]
            .iter()
            .any(|it| matches!(it, VItem::TableHeader(_)))
        {
            self.items.push(VItem::TableEnd);
        }
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

/// Where a note's number links back to: the line that first cites it.
fn note_ref_anchor(chapter: &str, number: usize) -> String {
    format!("r:{chapter}:{number}")
}

/// The first words of a chapter's first paragraph in small capitals (the font's `smcp`, so
/// capitals stay full size): up to [`LEAD_WORDS`] words, or to the end of the first clause.
fn small_caps_lead(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out = Vec::with_capacity(toks.len() + 1);
    let mut words = 0;
    let mut done = false;
    for tok in toks {
        match tok {
            Tok::Text(text, style) if !done && matches!(style.face, FaceId::Serif(_)) => {
                let mut in_word = false;
                let mut split = text.len();
                for (i, c) in text.char_indices() {
                    if c.is_whitespace() {
                        if in_word && words >= LEAD_WORDS {
                            split = i;
                            break;
                        }
                        in_word = false;
                    } else {
                        if !in_word {
                            words += 1;
                            in_word = true;
                        }
                        if matches!(c, ',' | ';' | ':' | '.' | '!' | '?' | '—' | '–') {
                            split = i;
                            break;
                        }
                    }
                }
                let (lead, rest) = text.split_at(split);
                if split < text.len() {
                    done = true;
                }
                if !lead.is_empty() {
                    let mut sc = style.clone();
                    sc.features.small_caps = true;
                    out.push(Tok::Text(lead.to_string(), sc));
                }
                if !rest.is_empty() {
                    out.push(Tok::Text(rest.to_string(), style));
                }
            }
            other => {
                done = true;
                out.push(other);
            }
        }
    }
    out
}
