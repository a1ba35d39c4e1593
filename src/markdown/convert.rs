//! pulldown-cmark events -> model blocks, for one source file.
//!
//! A stack machine: container tags push a frame, their end pops it and hands the finished
//! block or inline to the frame below. Headings keep their Markdown level and explicit id here;
//! `markdown::assemble` turns them into chapters and sections.

use std::collections::{BTreeMap, HashMap};

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::pandoc::{self, quotes, spans, Marker};
use crate::model::{
    Align, Attrs, Block, Div, Figure, Heading, Inline, LinkTarget, List, ListItem, Table,
};
use crate::project::dialect::Dialect;

/// How to read a file: its dialect and the book's language (for quotes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ReadOptions {
    pub dialect: Dialect,
    /// BCP 47 tag of the book's language.
    pub language: String,
}

impl ReadOptions {
    pub fn of(project: &crate::project::Project) -> ReadOptions {
        ReadOptions {
            dialect: project.dialect,
            language: project.metadata.language.clone(),
        }
    }
}

/// pulldown-cmark's options for `dialect`: [`options`], and for pandoc its definition lists.
pub fn dialect_options(dialect: Dialect) -> Options {
    match dialect {
        Dialect::Pandoc => options() | Options::ENABLE_DEFINITION_LIST,
        Dialect::CommonMark | Dialect::Gfm | Dialect::MdBook => options(),
    }
}

/// The Markdown dialect quire reads: CommonMark plus the extensions books need.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT
}

/// One source file as blocks, with what later stages need to finish it.
#[derive(Debug, Default, Clone)]
pub struct Parsed {
    /// Top-level blocks. `Block::Heading` levels are Markdown levels (1-6) and `id` is the
    /// author's `{#id}` or empty.
    pub blocks: Vec<Block>,
    /// For each top-level block, the 1-based source line it starts on.
    pub block_lines: Vec<usize>,
    /// Footnote definitions by label.
    pub notes: BTreeMap<String, Vec<Block>>,
    /// Footnote labels in order of first reference; `Inline::NoteRef { number }` is an index
    /// (1-based) into this list until `assemble` renumbers per chapter.
    pub note_labels: Vec<String>,
    /// Every link destination with the line and column it starts at, for diagnostics.
    pub links: Vec<(String, usize, usize)>,
    /// Every image `src` (Markdown images and raw HTML `<img>`) with the line and column it
    /// starts at, in order, and its alt text (`None` when it has none).
    pub images: Vec<ImageAt>,
    /// Problems found while converting: (line, column, code, message).
    pub warnings: Vec<(usize, usize, crate::diagnostic::Code, String)>,
    /// HTML elements of raw HTML whose text alone the model keeps (`video`, `table`...),
    /// with the line and column of the raw HTML they are in.
    pub raw_unsupported: Vec<(String, usize, usize)>,
    /// Each character beyond ASCII in the text (prose, code, alt text): where it first
    /// occurs and how often, for the check that some font draws it (`markdown::glyphs`).
    pub chars: BTreeMap<char, CharAt>,
}

/// Where a character first occurs in a file (1-based line and column) and how often it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharAt {
    pub line: usize,
    pub column: usize,
    pub count: usize,
}

/// An image as written in a source file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageAt {
    pub src: String,
    pub line: usize,
    pub column: usize,
    /// Whether it has alt text (known once the image is closed).
    pub has_alt: bool,
    /// Written as raw HTML `<img>` rather than Markdown.
    pub html: bool,
}

/// Block quotes and lists nested deeper than this are flattened into the level above, and
/// inline spans (emphasis, links) likewise: every later stage walks the tree recursively, and
/// no real book nests this deep, while a hostile or broken file could nest 10,000 levels.
pub const MAX_BLOCK_NESTING: usize = 32;
pub const MAX_INLINE_NESTING: usize = 32;

enum Frame {
    /// A container past the nesting limits: its content goes to the frame below.
    Transparent,
    Paragraph(Vec<Inline>),
    Heading {
        level: u8,
        id: String,
        content: Vec<Inline>,
    },
    BlockQuote(Vec<Block>),
    List {
        start: Option<u64>,
        numbering: crate::model::Numbering,
        loose: bool,
        items: Vec<ListItem>,
    },
    Item {
        task: Option<bool>,
        blocks: Vec<Block>,
        /// Text of a tight item, which comes without a paragraph tag.
        inlines: Vec<Inline>,
    },
    CodeBlock {
        language: Option<String>,
        /// `{=format}`: a raw block of that format (pandoc).
        raw: Option<String>,
        /// pandoc's `caption="..."` attribute.
        caption: Option<String>,
        text: String,
    },
    HtmlBlock(String),
    DefinitionList(Vec<crate::model::Definition>),
    DefinitionTitle(Vec<Inline>),
    /// One definition: like a list item, tight text comes without a paragraph.
    Definition {
        blocks: Vec<Block>,
        inlines: Vec<Inline>,
    },
    /// A fenced div (pandoc).
    Div {
        attrs: Attrs,
        blocks: Vec<Block>,
    },
    Table {
        line: usize,
        align: Vec<Align>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        in_head: bool,
    },
    Row(Vec<Vec<Inline>>),
    Cell(Vec<Inline>),
    FootnoteDefinition {
        label: String,
        blocks: Vec<Block>,
    },
    Span(SpanKind, Vec<Inline>),
    Link {
        dest: String,
        title: String,
        content: Vec<Inline>,
    },
    Image {
        dest: String,
        title: String,
        alt: Vec<Inline>,
    },
}

#[derive(Clone, Copy)]
enum SpanKind {
    Emphasis,
    Strong,
    Strikethrough,
    Superscript,
    Subscript,
}

/// Parses one file's Markdown (CommonMark, in English). `first_line` is the file line `text`
/// starts on.
pub fn parse(text: &str, first_line: usize) -> Parsed {
    parse_as(text, first_line, &ReadOptions::default())
}

/// Parses one file's Markdown as `how` says.
pub fn parse_as(text: &str, first_line: usize, how: &ReadOptions) -> Parsed {
    let prepared = (how.dialect == Dialect::Pandoc).then(|| pandoc::prepare(text));
    let text = prepared.as_ref().map_or(text, |p| p.text.as_str());
    let mut c = Converter {
        map: prepared.as_ref().map(|p| p.lines.clone()),
        pandoc: prepared.as_ref().map(|p| PandocState {
            divs: p.divs.clone(),
            captions: p.captions.clone(),
            list_numbering: p.list_numbering.clone(),
            ..PandocState::default()
        }),
        quotes: quotes::Quotes::for_language(&how.language),
        requote: None,
        stack: Vec::new(),
        out: Parsed::default(),
        line_starts: line_starts(text),
        first_line,
        current_line: first_line,
        current_column: 1,
        top_line: None,
        warned_nesting: false,
        raw_pieces: Vec::new(),
        note_lines: BTreeMap::new(),
        note_numbers: HashMap::new(),
        columns: Default::default(),
    };
    if let Some(p) = &prepared {
        for (line, column, code, message) in &p.warnings {
            c.out
                .warnings
                .push((first_line + line, *column, *code, message.clone()));
        }
    }
    for (event, range) in Parser::new_ext(text, dialect_options(how.dialect)).into_offset_iter() {
        (c.current_line, c.current_column) = c.position(text, range.start);
        let event = c.requote(event, text.get(range.clone()).unwrap_or(""));
        // Raw HTML too, attributes and comments included: `markdown::shown` keeps only the
        // characters the finished model still shows.
        if let Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) = &event {
            c.note_chars(t, text, range);
        }
        c.event(event);
    }
    // Unbalanced input cannot come from pulldown-cmark, but never lose text if it did.
    while let Some(frame) = c.stack.pop() {
        c.close(frame);
    }
    let mut out = c.out;
    // Raw HTML, parsed once (see `runs`), then what the reader learns from it.
    super::runs::read_blocks(&mut out.blocks, Some(&mut out.block_lines));
    for note in out.notes.values_mut() {
        super::runs::read_blocks(note, None);
    }
    super::rawinfo::record(&mut out, &c.raw_pieces, &c.note_lines);
    super::figure::find(&mut out.blocks);
    out.notes.values_mut().for_each(super::figure::find);
    super::listing::find(&mut out.blocks, Some(&mut out.block_lines));
    for note in out.notes.values_mut() {
        super::listing::find(note, None);
    }
    out
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// What reading pandoc's Markdown needs besides the stack.
#[derive(Default)]
struct PandocState {
    divs: Vec<Attrs>,
    captions: Vec<String>,
    list_numbering: std::collections::HashMap<usize, crate::model::Numbering>,
    /// The marker the HTML block being read is.
    marker: Option<Marker>,
    /// A caption written before its table.
    pending_caption: Option<Vec<Inline>>,
    /// The alt text of the image closed last, as inlines (a figure's caption).
    last_alt: Vec<Inline>,
}

struct Converter {
    /// For each line of the text read, the 0-based source line it stands for (pandoc's
    /// pre-pass moves lines); `None`: the lines are the source's.
    map: Option<Vec<usize>>,
    /// `Some` when reading pandoc's Markdown.
    pandoc: Option<PandocState>,
    /// The book's quotes, when they are not English ones.
    quotes: Option<quotes::Quotes>,
    /// The quotes of the paragraph being read.
    requote: Option<quotes::Requote>,
    stack: Vec<Frame>,
    out: Parsed,
    line_starts: Vec<usize>,
    first_line: usize,
    current_line: usize,
    current_column: usize,
    /// Line on which the current top-level block started.
    top_line: Option<usize>,
    /// Whether the nesting warning was given (once per file is enough).
    warned_nesting: bool,
    /// Every raw HTML piece with where it starts, in order (for `rawinfo`).
    raw_pieces: Vec<super::rawinfo::Piece>,
    /// The line each footnote definition starts on.
    note_lines: BTreeMap<String, usize>,
    /// The number of each label in `out.note_labels` (a map: a chapter may hold 100,000).
    note_numbers: HashMap<String, usize>,
    /// Columns of the positions `position` found.
    columns: crate::diagnostic::Columns,
}

impl Converter {
    /// 1-based file line and column (in characters) of byte `offset` of `text`.
    fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let idx = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.line_starts[idx];
        // Counted on from the last position asked for: a 100 KB line of inlines costs one
        // pass, not one per inline.
        let column = self.columns.column(text, start, offset);
        let line = match &self.map {
            Some(map) => map.get(idx).copied().unwrap_or(idx),
            None => idx,
        };
        (line + self.first_line, column)
    }

    /// A quote smart punctuation made, in the book's language (see `pandoc::quotes`).
    fn requote<'e>(&mut self, event: Event<'e>, source: &str) -> Event<'e> {
        let Some(q) = self.quotes else {
            return event;
        };
        match &event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell | Tag::Item) => {
                self.requote = Some(quotes::Requote::new(q))
            }
            Event::Text(t) => {
                let r = self.requote.get_or_insert_with(|| quotes::Requote::new(q));
                if let Some(new) = r.map(t, source) {
                    return Event::Text(new.into());
                }
            }
            _ => {}
        }
        event
    }

    /// Records the characters beyond ASCII of an event's text; `text[range]` is where it came
    /// from (to point at a character written literally rather than as an entity).
    fn note_chars(&mut self, decoded: &str, text: &str, range: std::ops::Range<usize>) {
        for ch in decoded.chars().filter(|c| !c.is_ascii()) {
            if let Some(at) = self.out.chars.get_mut(&ch) {
                at.count += 1;
                continue;
            }
            let raw = text.get(range.clone()).unwrap_or("");
            let offset = range.start + raw.find(ch).unwrap_or(0);
            let (line, column) = self.position(text, offset);
            self.out.chars.insert(
                ch,
                CharAt {
                    line,
                    column,
                    count: 1,
                },
            );
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(end) => self.end(end),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => self.inline(Inline::Code(t.to_string())),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            Event::Html(h) => {
                if let Some(m) = self.pandoc.as_ref().and_then(|_| pandoc::marker(&h)) {
                    if let Some(p) = &mut self.pandoc {
                        p.marker = Some(m);
                    }
                    return;
                }
                self.raw_piece(&h);
                if let Some(Frame::HtmlBlock(s)) = self.stack.last_mut() {
                    s.push_str(&h);
                } else {
                    self.block(super::runs::unparsed_block(h.to_string()));
                }
            }
            Event::InlineHtml(h) => {
                self.raw_piece(&h);
                self.inline(Inline::Html(h.to_string()))
            }
            Event::FootnoteReference(label) => {
                // A note referenced twice: pandoc sets it twice, under a number each, as its
                // readers see it; CommonMark readers (GitHub, mdBook) set it once, every
                // reference with its number.
                let again = self.note_numbers.get(label.as_ref()).copied();
                let number = match again.filter(|_| self.pandoc.is_none()) {
                    Some(n) => n,
                    None => {
                        self.out.note_labels.push(label.to_string());
                        let n = self.out.note_labels.len();
                        self.note_numbers.entry(label.to_string()).or_insert(n);
                        n
                    }
                };
                self.inline(Inline::NoteRef { number });
            }
            Event::SoftBreak => self.inline(Inline::SoftBreak),
            Event::HardBreak => self.inline(Inline::LineBreak),
            Event::Rule => self.block(Block::SceneBreak),
            Event::TaskListMarker(checked) => {
                // In a loose list the marker comes inside the item's paragraph.
                if let Some(Frame::Item { task, .. }) = self
                    .stack
                    .iter_mut()
                    .rev()
                    .find(|f| matches!(f, Frame::Item { .. }))
                {
                    *task = Some(checked);
                }
            }
        }
    }

    /// Whether `tag` would nest past the limits, in which case it is flattened.
    fn too_deep(&mut self, tag: &Tag<'_>) -> bool {
        let count = |stack: &[Frame], f: fn(&Frame) -> bool| stack.iter().filter(|x| f(x)).count();
        let deep = match tag {
            Tag::BlockQuote(_) | Tag::List(_) => {
                count(&self.stack, |f| {
                    matches!(f, Frame::BlockQuote(_) | Frame::List { .. })
                }) >= MAX_BLOCK_NESTING
            }
            // The items of a flattened list are flattened with it.
            Tag::Item => matches!(self.stack.last(), Some(Frame::Transparent)),
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. } => {
                count(&self.stack, |f| {
                    matches!(f, Frame::Span(..) | Frame::Link { .. })
                }) >= MAX_INLINE_NESTING
            }
            _ => false,
        };
        if deep && !self.warned_nesting && !matches!(tag, Tag::Item) {
            self.warned_nesting = true;
            self.out.warnings.push((
                self.current_line,
                self.current_column,
                crate::diagnostic::Code::DeepNesting,
                format!("nesting deeper than {MAX_BLOCK_NESTING} levels is flattened from here on"),
            ));
        }
        deep
    }

    fn start(&mut self, tag: Tag<'_>) {
        if self.too_deep(&tag) {
            self.stack.push(Frame::Transparent);
            return;
        }
        let frame = match tag {
            Tag::Paragraph => {
                if let Some(Frame::List { loose, .. }) = self.stack.iter_mut().rev().nth(1) {
                    // A paragraph directly inside an item makes the list loose.
                    *loose = true;
                }
                Frame::Paragraph(Vec::new())
            }
            Tag::Heading { level, id, .. } => Frame::Heading {
                level: heading_level(level),
                id: id.map(|s| s.to_string()).unwrap_or_default(),
                content: Vec::new(),
            },
            Tag::BlockQuote(_) => Frame::BlockQuote(Vec::new()),
            Tag::CodeBlock(kind) => {
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => info.trim(),
                    CodeBlockKind::Indented => "",
                };
                // pandoc: ```` ```{.rust .numberLines} ```` and raw ```` ```{=html} ````.
                let attrs = self
                    .pandoc
                    .as_ref()
                    .and_then(|_| super::attrs::parse_block(info));
                match attrs {
                    Some((super::attrs::AttrBlock::Raw(format), _)) => Frame::CodeBlock {
                        language: None,
                        raw: Some(format),
                        caption: None,
                        text: String::new(),
                    },
                    Some((super::attrs::AttrBlock::Attrs(a), _)) => Frame::CodeBlock {
                        language: a.classes.first().cloned(),
                        raw: None,
                        caption: a.get("caption").map(str::to_string),
                        text: String::new(),
                    },
                    None => Frame::CodeBlock {
                        language: info
                            .split(|c: char| c == ',' || c.is_whitespace())
                            .next()
                            .filter(|s| !s.is_empty())
                            .map(str::to_string),
                        raw: None,
                        caption: None,
                        text: String::new(),
                    },
                }
            }
            Tag::HtmlBlock => Frame::HtmlBlock(String::new()),
            Tag::List(start) => Frame::List {
                start,
                numbering: self
                    .pandoc
                    .as_ref()
                    .and_then(|p| {
                        let line = self.current_line.checked_sub(self.first_line)?;
                        p.list_numbering.get(&line).copied()
                    })
                    .unwrap_or_default(),
                loose: false,
                items: Vec::new(),
            },
            Tag::Item => Frame::Item {
                task: None,
                blocks: Vec::new(),
                inlines: Vec::new(),
            },
            Tag::FootnoteDefinition(label) => Frame::FootnoteDefinition {
                label: {
                    self.note_lines
                        .entry(label.to_string())
                        .or_insert(self.current_line);
                    label.to_string()
                },
                blocks: Vec::new(),
            },
            Tag::Table(aligns) => Frame::Table {
                line: self.current_line,
                align: aligns.iter().map(|a| align(*a)).collect(),
                header: Vec::new(),
                rows: Vec::new(),
                in_head: false,
            },
            Tag::TableHead => {
                if let Some(Frame::Table { in_head, .. }) = self.stack.last_mut() {
                    *in_head = true;
                }
                Frame::Row(Vec::new())
            }
            Tag::TableRow => Frame::Row(Vec::new()),
            Tag::TableCell => Frame::Cell(Vec::new()),
            Tag::Emphasis => Frame::Span(SpanKind::Emphasis, Vec::new()),
            Tag::Strong => Frame::Span(SpanKind::Strong, Vec::new()),
            Tag::Strikethrough => Frame::Span(SpanKind::Strikethrough, Vec::new()),
            Tag::Superscript => Frame::Span(SpanKind::Superscript, Vec::new()),
            Tag::Subscript => Frame::Span(SpanKind::Subscript, Vec::new()),
            Tag::Link {
                dest_url, title, ..
            } => {
                self.out
                    .links
                    .push((dest_url.to_string(), self.current_line, self.current_column));
                Frame::Link {
                    dest: dest_url.to_string(),
                    title: title.to_string(),
                    content: Vec::new(),
                }
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.out.images.push(ImageAt {
                    src: dest_url.to_string(),
                    line: self.current_line,
                    column: self.current_column,
                    has_alt: false,
                    html: false,
                });
                Frame::Image {
                    dest: dest_url.to_string(),
                    title: title.to_string(),
                    alt: Vec::new(),
                }
            }
            // Enabled for pandoc only.
            Tag::DefinitionList => Frame::DefinitionList(Vec::new()),
            Tag::DefinitionListTitle => Frame::DefinitionTitle(Vec::new()),
            Tag::DefinitionListDefinition => Frame::Definition {
                blocks: Vec::new(),
                inlines: Vec::new(),
            },
            Tag::MetadataBlock(_) => return,
        };
        if self.stack.is_empty() {
            self.top_line = Some(self.current_line);
        }
        self.stack.push(frame);
    }

    fn end(&mut self, end: TagEnd) {
        if end == TagEnd::HtmlBlock {
            if let Some(m) = self.pandoc.as_mut().and_then(|p| p.marker.take()) {
                self.stack.pop();
                self.marker(m);
                return;
            }
        }
        // A div left open inside a container closes with it.
        while matches!(self.stack.last(), Some(Frame::Div { .. })) {
            self.out.warnings.push((
                self.current_line,
                self.current_column,
                crate::diagnostic::Code::PandocSyntax,
                "a div (`:::`) is not closed inside the block it opened in: it is closed here"
                    .into(),
            ));
            if let Some(frame) = self.stack.pop() {
                self.close(frame);
            }
        }
        if matches!(end, TagEnd::MetadataBlock(_)) {
            return;
        }
        if let Some(frame) = self.stack.pop() {
            self.close(frame);
        }
    }

    /// The block just finished where blocks are being collected (a table, for a marker
    /// after it).
    fn last_block(&mut self) -> Option<&mut Block> {
        let target = self
            .stack
            .iter_mut()
            .rev()
            .find(|f| !matches!(f, Frame::Transparent));
        match target {
            Some(Frame::BlockQuote(v))
            | Some(Frame::FootnoteDefinition { blocks: v, .. })
            | Some(Frame::Div { blocks: v, .. })
            | Some(Frame::Item { blocks: v, .. }) => v.last_mut(),
            None => self.out.blocks.last_mut(),
            Some(_) => None,
        }
    }

    /// What a pandoc marker says: a div opens or closes, a table has a caption.
    fn marker(&mut self, m: Marker) {
        let Some(p) = &mut self.pandoc else { return };
        match m {
            Marker::Open(n) => {
                let attrs = p.divs.get(n).cloned().unwrap_or_default();
                if self.stack.is_empty() {
                    self.top_line = Some(self.current_line);
                }
                self.stack.push(Frame::Div {
                    attrs,
                    blocks: Vec::new(),
                });
            }
            Marker::Close => {
                if matches!(self.stack.last(), Some(Frame::Div { .. })) {
                    if let Some(frame) = self.stack.pop() {
                        self.close(frame);
                    }
                }
            }
            Marker::Headerless => {
                if let Some(Block::Table(t)) = self.last_block() {
                    t.header.clear();
                }
            }
            Marker::Caption(n) => {
                let source = p.captions.get(n).cloned().unwrap_or_default();
                let caption = match parse(&source, self.current_line).blocks.into_iter().next() {
                    Some(Block::Paragraph(inl)) => inl,
                    _ => vec![Inline::Text(source)],
                };
                // After its table, or before it.
                match self.last_block() {
                    Some(Block::Table(t)) if t.caption.is_none() => t.caption = Some(caption),
                    _ => {
                        if let Some(p) = &mut self.pandoc {
                            p.pending_caption = Some(caption);
                        }
                    }
                }
            }
        }
    }

    /// pandoc's inline attributes in a finished run of inlines (see `pandoc::spans`).
    fn read_spans(&mut self, inlines: &mut Vec<Inline>) {
        if self.pandoc.is_none() {
            return;
        }
        let mut found = spans::Found::default();
        spans::read(inlines, &mut found);
        for (code, message) in found.warnings {
            self.out
                .warnings
                .push((self.current_line, self.current_column, code, message));
        }
        for html in found.raw_html {
            self.raw_piece(&html);
        }
    }

    /// A pandoc paragraph that is an image alone: a figure whose caption is the alt text
    /// (pandoc's implicit figures; the title is only the image's tooltip).
    fn implicit_figure(&mut self, inl: &[Inline]) -> Option<Figure> {
        let p = self.pandoc.as_mut()?;
        let mut found = inl
            .iter()
            .filter(|i| !matches!(i, Inline::Text(t) if t.trim().is_empty()));
        let only = found.next()?;
        if found.next().is_some() {
            return None;
        }
        let (attrs, image) = match only {
            Inline::Image { .. } => (Attrs::default(), only),
            Inline::Span { attrs, content }
                if matches!(content.as_slice(), [Inline::Image { .. }]) =>
            {
                (attrs.clone(), &content[0])
            }
            _ => return None,
        };
        let Inline::Image {
            src,
            alt,
            title,
            size,
        } = image
        else {
            return None;
        };
        let caption = std::mem::take(&mut p.last_alt);
        Some(Figure {
            src: src.clone(),
            alt: alt.clone(),
            title: title.clone(),
            element: None,
            size: *size,
            classes: attrs.classes.clone(),
            caption: Some(caption).filter(|c| !crate::model::plain_text(c).trim().is_empty()),
            ids: Some(attrs.id)
                .filter(|id| !id.is_empty())
                .into_iter()
                .collect(),
        })
    }

    /// Finishes a frame and gives its result to the frame below.
    fn close(&mut self, frame: Frame) {
        match frame {
            Frame::Transparent => {}
            Frame::Paragraph(mut inl) => {
                self.read_spans(&mut inl);
                if let Some(f) = self.implicit_figure(&inl) {
                    self.block(Block::Figure(f));
                } else if !inl.is_empty() {
                    self.block(Block::Paragraph(inl));
                }
            }
            Frame::Heading {
                level,
                id,
                mut content,
            } => {
                self.read_spans(&mut content);
                self.block(Block::Heading(Heading { level, id, content }))
            }
            Frame::Div { attrs, blocks } => self.block(Block::Div(Div { attrs, blocks })),
            Frame::DefinitionList(items) => self.block(Block::DefinitionList(items)),
            Frame::DefinitionTitle(mut term) => {
                self.read_spans(&mut term);
                if let Some(Frame::DefinitionList(items)) = self.stack.last_mut() {
                    items.push(crate::model::Definition {
                        term,
                        definitions: Vec::new(),
                    });
                }
            }
            Frame::Definition {
                mut blocks,
                mut inlines,
            } => {
                self.read_spans(&mut inlines);
                if !inlines.is_empty() {
                    blocks.push(Block::Paragraph(inlines));
                }
                if let Some(Frame::DefinitionList(items)) = self.stack.last_mut() {
                    match items.last_mut() {
                        Some(d) => d.definitions.push(blocks),
                        None => items.push(crate::model::Definition {
                            term: Vec::new(),
                            definitions: vec![blocks],
                        }),
                    }
                }
            }
            Frame::BlockQuote(blocks) => self.block(Block::BlockQuote(blocks)),
            Frame::List {
                start,
                numbering,
                loose,
                items,
            } => self.block(Block::List(List {
                start,
                numbering,
                tight: !loose,
                items,
            })),
            Frame::Item {
                task,
                mut blocks,
                mut inlines,
            } => {
                self.read_spans(&mut inlines);
                if !inlines.is_empty() {
                    blocks.push(Block::Paragraph(inlines));
                }
                if let Some(Frame::List { items, .. }) = self.stack.last_mut() {
                    items.push(ListItem { task, blocks });
                }
            }
            Frame::CodeBlock {
                raw: Some(format),
                text,
                ..
            } => {
                if format == "html" || format == "html5" {
                    self.raw_piece(&text);
                    self.block(super::runs::unparsed_block(text));
                } else {
                    self.out.warnings.push((
                        self.current_line,
                        self.current_column,
                        crate::diagnostic::Code::RawFormatSkipped,
                        format!("a raw {format} block (```{{={format}}}) is left out: only raw HTML goes into a book (quire does not run {format})"),
                    ));
                }
            }
            Frame::CodeBlock {
                language,
                text,
                caption,
                ..
            } => {
                // Rust examples hide their `# ` lines, as rustdoc and mdBook do.
                let text = match language.as_deref() {
                    Some("rust") => super::rustdoc::visible_lines(&text),
                    _ => text,
                };
                let listing = crate::model::Listing {
                    caption: caption
                        .filter(|c| !c.trim().is_empty())
                        .map(|c| super::listing::code_spans(&c)),
                    file_name: None,
                };
                self.block(Block::CodeBlock {
                    language,
                    text,
                    listing,
                })
            }
            Frame::HtmlBlock(html) => self.block(super::runs::unparsed_block(html)),
            Frame::Table {
                line,
                align,
                header,
                rows,
                ..
            } => {
                let caption = self.pandoc.as_mut().and_then(|p| p.pending_caption.take());
                self.block(Block::Table(Table {
                    line,
                    caption,
                    align,
                    header,
                    rows,
                }))
            }
            Frame::Row(cells) => {
                if let Some(Frame::Table {
                    header,
                    rows,
                    in_head,
                    ..
                }) = self.stack.last_mut()
                {
                    if *in_head {
                        *header = cells;
                        *in_head = false;
                    } else {
                        rows.push(cells);
                    }
                }
            }
            Frame::Cell(mut inl) => {
                self.read_spans(&mut inl);
                if let Some(Frame::Row(cells)) = self.stack.last_mut() {
                    cells.push(inl);
                }
            }
            Frame::FootnoteDefinition { label, blocks } => {
                self.top_line = None;
                self.out.notes.entry(label).or_insert(blocks);
            }
            Frame::Span(kind, content) => self.inline(match kind {
                SpanKind::Emphasis => Inline::Emphasis(content),
                SpanKind::Strong => Inline::Strong(content),
                SpanKind::Strikethrough => Inline::Strikethrough(content),
                SpanKind::Superscript => Inline::Superscript(content),
                SpanKind::Subscript => Inline::Subscript(content),
            }),
            Frame::Link {
                dest,
                title,
                content,
            } => self.inline(Inline::Link {
                target: LinkTarget::Unresolved(dest),
                title: Some(title).filter(|t| !t.is_empty()),
                content,
            }),
            Frame::Image { dest, title, alt } => {
                if let Some(p) = &mut self.pandoc {
                    p.last_alt = alt.clone();
                }
                let alt = crate::model::plain_text(&alt);
                // The image is the last one opened that is not closed yet.
                if let Some(at) = self.out.images.iter_mut().rev().find(|i| i.src == dest) {
                    at.has_alt = !alt.trim().is_empty();
                }
                self.inline(Inline::Image {
                    src: dest,
                    alt,
                    title: Some(title).filter(|t| !t.is_empty()),
                    size: crate::model::ImageSize::default(),
                })
            }
        }
    }

    fn text(&mut self, t: &str) {
        match self.stack.last_mut() {
            Some(Frame::CodeBlock { text, .. }) => text.push_str(t),
            Some(Frame::HtmlBlock(s)) => s.push_str(t),
            _ => self.inline(Inline::Text(t.to_string())),
        }
    }

    /// The innermost frame that is not flattened.
    fn target(&mut self) -> Option<&mut Frame> {
        self.stack
            .iter_mut()
            .rev()
            .find(|f| !matches!(f, Frame::Transparent))
    }

    /// Notes a raw HTML piece (and holds a place in `images` for each `<img` in it, filled
    /// once the piece is parsed with its run).
    fn raw_piece(&mut self, html: &str) {
        let piece = super::rawinfo::Piece::new(html, self.current_line, self.current_column);
        for _ in 0..piece.images {
            self.out.images.push(ImageAt {
                src: String::new(),
                line: self.current_line,
                column: self.current_column,
                has_alt: false,
                html: true,
            });
        }
        self.raw_pieces.push(piece);
    }

    /// Adds an inline to the innermost frame that holds inlines.
    fn inline(&mut self, inline: Inline) {
        let at_top = self.target().is_none();
        let line = self.current_line;
        let blocks = match self.target() {
            Some(Frame::Paragraph(v))
            | Some(Frame::Heading { content: v, .. })
            | Some(Frame::Cell(v))
            | Some(Frame::Span(_, v))
            | Some(Frame::Link { content: v, .. })
            | Some(Frame::Image { alt: v, .. })
            | Some(Frame::Item { inlines: v, .. })
            | Some(Frame::DefinitionTitle(v))
            | Some(Frame::Definition { inlines: v, .. }) => return push_merged(v, inline),
            Some(Frame::BlockQuote(b))
            | Some(Frame::FootnoteDefinition { blocks: b, .. })
            | Some(Frame::Div { blocks: b, .. }) => b,
            // Text with no paragraph around it only comes from flattened containers: it
            // joins the last paragraph of the container it falls into.
            None => &mut self.out.blocks,
            Some(_) => return,
        };
        match blocks.last_mut() {
            Some(Block::Paragraph(v)) => push_merged(v, inline),
            _ => {
                blocks.push(Block::Paragraph(vec![inline]));
                if at_top {
                    let line = self.top_line.take().unwrap_or(line);
                    self.out.block_lines.push(line);
                }
            }
        }
    }

    /// Adds a block to the innermost frame that holds blocks.
    fn block(&mut self, block: Block) {
        let top_line = if self.target().is_none() {
            self.top_line.take().unwrap_or(self.current_line)
        } else {
            0
        };
        match self.target() {
            Some(Frame::BlockQuote(v))
            | Some(Frame::FootnoteDefinition { blocks: v, .. })
            | Some(Frame::Div { blocks: v, .. }) => v.push(block),
            Some(Frame::Item {
                blocks, inlines, ..
            })
            | Some(Frame::Definition { blocks, inlines }) => {
                if !inlines.is_empty() {
                    blocks.push(Block::Paragraph(std::mem::take(inlines)));
                }
                blocks.push(block);
            }
            None => {
                self.out.block_lines.push(top_line);
                self.out.blocks.push(block);
            }
            Some(_) => {
                // A block inside an inline container cannot come from pulldown-cmark; keep its
                // text rather than lose it.
                if let Block::Paragraph(inl) = block {
                    for i in inl {
                        self.inline(i);
                    }
                }
            }
        }
    }
}

/// Appends, merging adjacent text (pulldown-cmark splits text at every special character).
fn push_merged(v: &mut Vec<Inline>, inline: Inline) {
    if let (Some(Inline::Text(last)), Inline::Text(t)) = (v.last_mut(), &inline) {
        last.push_str(t);
        return;
    }
    v.push(inline);
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn align(a: Alignment) -> Align {
    match a {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(md: &str) -> Vec<Block> {
        parse(md, 1).blocks
    }

    #[test]
    fn smart_punctuation_and_emphasis() {
        let b = blocks("\"Hello,\" she said -- it's *fine*...\n");
        assert_eq!(
            b,
            vec![Block::Paragraph(vec![
                Inline::Text("“Hello,” she said – it’s ".into()),
                Inline::Emphasis(vec![Inline::Text("fine".into())]),
                Inline::Text("…".into()),
            ])]
        );
    }

    #[test]
    fn headings_keep_level_and_explicit_id() {
        let b = blocks("# One {#first}\n\n## Two\n");
        assert!(matches!(&b[0], Block::Heading(h) if h.level == 1 && h.id == "first"));
        assert!(matches!(&b[1], Block::Heading(h) if h.level == 2 && h.id.is_empty()));
    }

    #[test]
    fn tight_and_loose_lists_and_tasks() {
        let b = blocks("3. a\n4. b\n\n- [x] done\n\n- [ ] todo\n");
        match &b[0] {
            Block::List(l) => {
                assert_eq!(l.start, Some(3));
                assert!(l.tight);
                assert_eq!(l.items.len(), 2);
                assert_eq!(
                    l.items[0].blocks,
                    vec![Block::Paragraph(vec![Inline::Text("a".into())])]
                );
            }
            other => panic!("{other:?}"),
        }
        match &b[1] {
            Block::List(l) => {
                assert!(!l.tight);
                assert_eq!(l.items[0].task, Some(true));
                assert_eq!(l.items[1].task, Some(false));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn footnotes_are_collected() {
        let p = parse(
            "Text[^my note] and[^2].\n\n[^my note]: The note.\n[^2]: Two.\n",
            1,
        );
        assert_eq!(p.note_labels, ["my note", "2"]);
        assert_eq!(p.notes.len(), 2);
        assert_eq!(p.blocks.len(), 1);
        assert!(
            matches!(&p.blocks[0], Block::Paragraph(i) if i.contains(&Inline::NoteRef { number: 1 }))
        );
    }

    #[test]
    fn code_block_info_string_keeps_only_the_language() {
        let b = blocks("```rust,ignore\nfn main() {}\n```\n");
        assert_eq!(
            b,
            vec![Block::CodeBlock {
                language: Some("rust".into()),
                text: "fn main() {}\n".into(),
                listing: Default::default(),
            }]
        );
    }

    #[test]
    fn tables_have_header_rows_and_alignment() {
        let b = blocks("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        match &b[0] {
            Block::Table(t) => {
                assert_eq!(t.align, [Align::Left, Align::Right]);
                assert_eq!(t.header.len(), 2);
                assert_eq!(
                    t.rows,
                    vec![vec![
                        vec![Inline::Text("1".into())],
                        vec![Inline::Text("2".into())]
                    ]]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn links_record_their_lines() {
        let p = parse("a\n\nsee [x](other.md#y)\n", 10);
        assert_eq!(p.links, vec![("other.md#y".to_string(), 12, 5)]);
        assert_eq!(p.block_lines, vec![10, 12]);
    }

    #[test]
    fn deep_nesting_is_flattened_with_a_warning() {
        let p = parse(&format!("{} deep\n", ">".repeat(10_000)), 1);
        let mut depth = 0;
        let mut b = &p.blocks[0];
        while let Block::BlockQuote(inner) = b {
            depth += 1;
            b = &inner[0];
        }
        assert_eq!(depth, MAX_BLOCK_NESTING);
        assert_eq!(b, &Block::Paragraph(vec![Inline::Text("deep".into())]));
        assert_eq!(p.warnings.len(), 1);

        let list: String = (0..5000)
            .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
            .collect();
        let p = parse(&list, 1);
        assert_eq!(p.blocks.len(), 1);
        assert!(format!("{:?}", p.blocks).contains("item 4999"));

        let spans = format!("{}x{}", "*_".repeat(3000), "_*".repeat(3000));
        let p = parse(&spans, 1);
        assert!(format!("{:?}", p.blocks).contains('x'));
    }

    #[test]
    fn scene_breaks_and_hard_breaks() {
        let b = blocks("one  \ntwo\n\n***\n\nthree\n");
        assert_eq!(b[1], Block::SceneBreak);
        assert!(matches!(&b[0], Block::Paragraph(i) if i.contains(&Inline::LineBreak)));
    }
}
