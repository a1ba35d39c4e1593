//! Chapters as XHTML content documents.
//!
//! A small string writer: every piece of text goes through `xml::push_escaped`, every element is
//! closed where it is opened, so the output is well-formed whatever the manuscript contains.

use std::collections::{HashMap, HashSet};

use crate::model::html::Element;
use crate::model::visit::{self, Visit};
use crate::model::{Align, Block, Chapter, Figure, Inline, LinkTarget, List, Matter, Table};

use super::raw_html;
use super::xml::{class_token, escape, push_escaped, safe_external_href, xml_id};

/// Folder of the chapter files inside `OEBPS`.
pub const TEXT_DIR: &str = "text";

/// Where each chapter went and which anchors it holds, to resolve internal links.
#[derive(Debug, Default)]
pub struct LinkIndex {
    chapters: HashMap<String, ChapterTargets>,
    /// (chapter source file, image `src` as written) -> file name in [`IMAGE_DIR`].
    images: HashMap<(std::path::PathBuf, String), String>,
    /// File names in [`IMAGE_DIR`].
    image_names: HashSet<String>,
}

/// Folder of the images inside `OEBPS`.
pub const IMAGE_DIR: &str = "images";

/// What a chapter's images were like, for the accessibility metadata.
#[derive(Debug, Default, Clone, Copy)]
pub struct ImageStats {
    pub shown: usize,
    pub without_alt: usize,
}

#[derive(Debug)]
struct ChapterTargets {
    file_name: String,
    /// Anchors (as written in the model) that exist in the chapter's file.
    anchors: HashSet<String>,
}

impl LinkIndex {
    /// Records a chapter written as `file_name` (relative to [`TEXT_DIR`]).
    pub fn add(&mut self, chapter: &Chapter, file_name: String) {
        let mut anchors: HashSet<String> =
            chapter.sections().iter().map(|h| h.id.clone()).collect();
        // Ids of the author's raw HTML (`<a id="old-name"></a>`), which links may target.
        anchors.extend(visit::chapter_raw_ids(chapter));
        if section_id(chapter).is_some() {
            anchors.insert(chapter.id.clone());
        }
        self.chapters
            .insert(chapter.id.clone(), ChapterTargets { file_name, anchors });
    }

    /// Records the book's images (written to [`IMAGE_DIR`] under their `name`).
    pub fn add_images(&mut self, resources: &[crate::model::Resource]) {
        for r in resources {
            self.image_names.insert(r.name.clone());
            for (file, src) in &r.uses {
                self.images
                    .insert((file.clone(), src.clone()), r.name.clone());
            }
        }
    }

    /// The src of an image as seen from a chapter file, if the book holds it.
    fn image_src(&self, chapter: &Chapter, src: &str) -> Option<String> {
        let src = src.trim();
        if let Some(name) = src.strip_prefix(&format!("../{IMAGE_DIR}/")) {
            // Already an image of the book (written by quire, then parsed again).
            return self.image_names.contains(name).then(|| src.to_string());
        }
        self.images
            .get(&(chapter.source.clone(), src.to_string()))
            .map(|name| format!("../{IMAGE_DIR}/{name}"))
    }

    /// The href of an internal target as seen from `from_chapter`, or `None` if it does not exist.
    fn href(&self, from_chapter: &str, chapter: &str, anchor: Option<&str>) -> Option<String> {
        let target = self.chapters.get(chapter)?;
        let fragment = anchor
            .filter(|a| target.anchors.contains(*a))
            .map(|a| format!("#{}", xml_id(a)));
        Some(match fragment {
            Some(fragment) if chapter == from_chapter => fragment,
            Some(fragment) => format!("{}{fragment}", target.file_name),
            None => target.file_name.clone(),
        })
    }
}

impl LinkIndex {
    /// Every answer this index gives when `chapter` is rendered: a chapter whose model and
    /// answers are unchanged renders to the same document (`super::reuse` relies on this, so
    /// a new kind of lookup must be added here). Raw HTML may link to any file and id of the
    /// book: a chapter with raw HTML depends on the whole index.
    pub fn lookups(&self, chapter: &Chapter) -> Vec<Option<String>> {
        struct Lookups<'i> {
            index: &'i LinkIndex,
            chapter: &'i Chapter,
            out: Vec<Option<String>>,
            raw_html: bool,
        }
        impl<'a> Visit<'a> for Lookups<'_> {
            fn visit_inline(&mut self, i: &'a Inline) {
                match i {
                    Inline::Link {
                        target:
                            LinkTarget::Internal {
                                chapter: to,
                                anchor,
                            },
                        ..
                    } => self
                        .out
                        .push(self.index.href(&self.chapter.id, to, anchor.as_deref())),
                    Inline::Image { src, .. } => {
                        self.out.push(self.index.image_src(self.chapter, src))
                    }
                    Inline::RawHtml { .. } => self.raw_html = true,
                    _ => {}
                }
                visit::visit_inline(self, i)
            }
            fn visit_block(&mut self, b: &'a Block) {
                match b {
                    Block::Html { .. } => self.raw_html = true,
                    Block::Figure(f) => {
                        self.out.push(self.index.image_src(self.chapter, &f.src));
                        self.raw_html |= f.element.is_some() || !f.ids.is_empty();
                    }
                    _ => {}
                }
                visit::visit_block(self, b)
            }
        }
        let mut v = Lookups {
            index: self,
            chapter,
            out: Vec::new(),
            raw_html: false,
        };
        v.visit_chapter(chapter);
        let mut out = v.out;
        if v.raw_html {
            out.push(Some(self.describe()));
        }
        out
    }

    /// The whole index as text, in a stable order.
    fn describe(&self) -> String {
        let mut chapters: Vec<_> = self.chapters.iter().collect();
        chapters.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::new();
        for (id, t) in chapters {
            let mut anchors: Vec<&String> = t.anchors.iter().collect();
            anchors.sort();
            out.push_str(&format!("{id} {} {anchors:?}\n", t.file_name));
        }
        let mut images: Vec<_> = self.images.iter().collect();
        images.sort();
        let mut names: Vec<_> = self.image_names.iter().collect();
        names.sort();
        out.push_str(&format!("{images:?}\n{names:?}"));
        out
    }
}

/// The id of a chapter's `<section>`: the chapter's own anchor, unless one of its headings
/// already uses that id (ids must be unique within a file).
pub fn section_id(chapter: &Chapter) -> Option<String> {
    let id = xml_id(&chapter.id);
    let raw = visit::raw_ids(&chapter.blocks);
    let taken = chapter.sections().iter().any(|h| xml_id(&h.id) == id) || raw.contains(&id);
    (!taken).then_some(id)
}

/// A whole XHTML document around `body` (which must already be XHTML).
pub fn document(lang: &str, title: &str, css_href: &str, body_type: &str, body: &str) -> String {
    let lang = escape(lang);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         xml:lang=\"{lang}\" lang=\"{lang}\">\n\
         <head>\n\
         <meta charset=\"utf-8\"/>\n\
         <title>{title}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"{css}\"/>\n\
         </head>\n\
         <body epub:type=\"{body_type}\">\n{body}</body>\n\
         </html>\n",
        title = escape(title),
        css = escape(css_href),
        body_type = escape(body_type),
    )
}

/// The structural semantics of a chapter's `<body>`.
pub fn matter_type(matter: Matter) -> &'static str {
    match matter {
        Matter::Front => "frontmatter",
        Matter::Body => "bodymatter",
        Matter::Back => "backmatter",
    }
}

/// The complete XHTML document of one chapter, and what its images were like; `label` names
/// it (`<title>`, and the `aria-label` of an untitled chapter).
pub fn chapter_document_with_stats(
    chapter: &Chapter,
    label: &str,
    index: &LinkIndex,
    lang: &str,
    css_href: &str,
) -> (String, ImageStats) {
    let mut writer = ChapterWriter::new(chapter, index);
    let body = writer.render(label);
    let stats = writer.images;
    (
        document(lang, label, css_href, matter_type(chapter.matter), &body),
        stats,
    )
}

/// Renders one chapter's body; keeps the state footnote ids need.
pub struct ChapterWriter<'a> {
    chapter: &'a Chapter,
    index: &'a LinkIndex,
    /// Prefix of this chapter's footnote ids, so they are unique in the book.
    note_prefix: String,
    /// How many references to each note were written (an index per note).
    note_refs: Vec<usize>,
    /// Depth of `<a>` elements open: links cannot nest.
    link_depth: usize,
    /// Ids written by raw HTML so far (each may appear once in the file).
    raw_ids: HashSet<String>,
    images: ImageStats,
    out: String,
}

impl<'a> ChapterWriter<'a> {
    pub fn new(chapter: &'a Chapter, index: &'a LinkIndex) -> Self {
        ChapterWriter {
            chapter,
            index,
            note_prefix: xml_id(&chapter.id),
            note_refs: vec![0; chapter.notes.len()],
            link_depth: 0,
            raw_ids: HashSet::new(),
            images: ImageStats::default(),
            out: String::new(),
        }
    }

    /// The chapter's `<section>`, with its footnotes at the end.
    pub fn render(&mut self, label: &str) -> String {
        let chapter = self.chapter;
        self.out
            .push_str("<section epub:type=\"chapter\" role=\"doc-chapter\"");
        if let Some(id) = section_id(chapter) {
            self.attr("id", &id);
        }
        match &chapter.title {
            Some(title) => {
                self.out.push_str(">\n<h1>");
                self.inlines(title);
                self.out.push_str("</h1>\n");
            }
            None => {
                self.attr("aria-label", label);
                self.out.push_str(">\n");
            }
        }
        self.blocks(&chapter.blocks);
        self.footnotes();
        self.out.push_str("</section>\n");
        std::mem::take(&mut self.out)
    }

    fn attr(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        push_escaped(&mut self.out, value);
        self.out.push('"');
    }

    fn text(&mut self, text: &str) {
        push_escaped(&mut self.out, text);
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            self.block(b);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(inlines) => {
                self.out.push_str("<p>");
                self.inlines(inlines);
                self.out.push_str("</p>\n");
            }
            Block::Heading(heading) => {
                let level = heading.level.clamp(2, 6);
                self.out.push_str(&format!("<h{level}"));
                self.attr("id", &xml_id(&heading.id));
                self.out.push('>');
                self.inlines(&heading.content);
                self.out.push_str(&format!("</h{level}>\n"));
            }
            Block::BlockQuote(inner) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(inner);
                self.out.push_str("</blockquote>\n");
            }
            Block::List(list) => self.list(list),
            Block::CodeBlock { language, text } => self.code_block(language.as_deref(), text),
            Block::Table(table) => self.table(table),
            Block::SceneBreak => self.out.push_str("<hr class=\"scene-break\"/>\n"),
            Block::Figure(figure) => self.figure(figure),
            // Raw HTML as the reader parsed it, the Markdown inside in its place.
            Block::Html { tree, .. } => {
                raw_html::write_nodes(tree, self, false);
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
            }
            Block::DefinitionList(items) => {
                self.out.push_str("<dl>\n");
                for d in items {
                    self.out.push_str("<dt>");
                    self.inlines(&d.term);
                    self.out.push_str("</dt>\n");
                    for def in &d.definitions {
                        self.out.push_str("<dd>");
                        self.item_blocks(def, false, None);
                        self.out.push_str("</dd>\n");
                    }
                }
                self.out.push_str("</dl>\n");
            }
            Block::Div(div) => {
                self.open_with("div", &div.attrs);
                self.out.push('\n');
                self.blocks(&div.blocks);
                self.out.push_str("</div>\n");
            }
        }
    }

    /// `<tag id class data-key>` from pandoc attributes: the id when it is a usable XML id
    /// not yet taken in the file, the classes (a `custom-style` is one more), the other
    /// pairs as `data-` attributes, which EPUB allows on any element.
    fn open_with(&mut self, tag: &str, attrs: &crate::model::Attrs) {
        self.out.push('<');
        self.out.push_str(tag);
        if raw_html::is_ncname(&attrs.id) && self.raw_ids.insert(attrs.id.clone()) {
            self.attr("id", &attrs.id.clone());
        }
        let mut classes: Vec<String> = attrs.classes.iter().map(|c| class_token(c)).collect();
        for (key, value) in &attrs.pairs {
            if key == "custom-style" {
                classes.push(class_token(&value.replace(' ', "-")));
            }
        }
        classes.retain(|c| !c.is_empty());
        if !classes.is_empty() {
            self.attr("class", &classes.join(" "));
        }
        for (key, value) in &attrs.pairs {
            let key: String = key
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
                .to_ascii_lowercase();
            if !key.is_empty() && key != "custom-style" {
                self.attr(&format!("data-{key}"), value);
            }
        }
        self.out.push('>');
    }

    /// A figure: the image, and its caption below it.
    fn figure(&mut self, figure: &Figure) {
        self.out.push_str("<figure");
        let ids: Vec<&String> = (figure.ids.iter())
            .filter(|id| raw_html::is_ncname(id) && self.raw_ids.insert(id.to_string()))
            .collect();
        let mut ids = ids.into_iter();
        if let Some(id) = ids.next() {
            self.attr("id", id);
        }
        self.out.push_str(">\n");
        for id in ids {
            self.out.push_str("<span");
            self.attr("id", id);
            self.out.push_str("></span>");
        }
        match &figure.element {
            Some(img) => self.raw_image(img),
            None => self.image(&figure.src, &figure.alt, figure.title.as_deref()),
        }
        if let Some(caption) = &figure.caption {
            self.out.push_str("\n<figcaption>");
            self.inlines(caption);
            self.out.push_str("</figcaption>");
        }
        self.out.push_str("\n</figure>\n");
    }

    /// A raw `<img>` (with its class and style), as raw HTML is written.
    fn raw_image(&mut self, img: &Element) {
        let node = crate::model::html::Node::Element(img.clone());
        raw_html::write_nodes(std::slice::from_ref(&node), self, false);
    }

    fn list(&mut self, list: &List) {
        let tag = if list.start.is_some() { "ol" } else { "ul" };
        self.out.push('<');
        self.out.push_str(tag);
        if let Some(start) = list.start.filter(|&s| s != 1) {
            self.attr("start", &start.to_string());
        }
        if list.start.is_some() && list.numbering != crate::model::Numbering::Decimal {
            self.attr("type", list.numbering.html_type());
        }
        if list.items.iter().any(|i| i.task.is_some()) {
            self.attr("class", "tasks");
        }
        self.out.push_str(">\n");
        for item in &list.items {
            self.out.push_str("<li");
            if item.task.is_some() {
                self.attr("class", "task");
            }
            self.out.push('>');
            let checkbox = item.task.map(checkbox);
            self.item_blocks(&item.blocks, list.tight, checkbox);
            self.out.push_str("</li>\n");
        }
        self.out.push_str(&format!("</{tag}>\n"));
    }

    /// An item's content: in a tight list paragraphs are bare text; a task's checkbox goes
    /// inside the first paragraph so it sits on the same line.
    fn item_blocks(&mut self, blocks: &[Block], tight: bool, mut prefix: Option<&str>) {
        for block in blocks {
            match block {
                Block::Paragraph(inlines) if tight => {
                    self.out.push_str(prefix.take().unwrap_or(""));
                    self.inlines(inlines);
                }
                Block::Paragraph(inlines) => {
                    self.out.push_str("<p>");
                    self.out.push_str(prefix.take().unwrap_or(""));
                    self.inlines(inlines);
                    self.out.push_str("</p>\n");
                }
                other => {
                    if let Some(prefix) = prefix.take() {
                        self.out.push_str(prefix);
                    }
                    self.block(other);
                }
            }
        }
        if let Some(prefix) = prefix {
            self.out.push_str(prefix);
        }
    }

    fn code_block(&mut self, language: Option<&str>, text: &str) {
        self.out.push_str("<pre><code");
        if let Some(lang) = language.map(class_token).filter(|l| !l.is_empty()) {
            self.attr("class", &format!("language-{lang}"));
        }
        self.out.push('>');
        let text = text.strip_suffix('\n').unwrap_or(text);
        match language.and_then(|l| super::highlight::highlight(l, text)) {
            Some(spans) => self.out.push_str(&crate::epub::xml::strip_invalid(&spans)),
            None => self.text(text),
        }
        self.out.push_str("</code></pre>\n");
    }

    fn table(&mut self, table: &Table) {
        self.out.push_str("<table>\n");
        if let Some(caption) = &table.caption {
            self.out.push_str("<caption>");
            self.inlines(caption);
            self.out.push_str("</caption>\n");
        }
        if !table.header.is_empty() {
            self.out.push_str("<thead>\n");
            self.row(&table.header, &table.align, "th");
            self.out.push_str("</thead>\n");
        }
        if !table.rows.is_empty() {
            self.out.push_str("<tbody>\n");
            for row in &table.rows {
                self.row(row, &table.align, "td");
            }
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
    }

    fn row(&mut self, cells: &[Vec<Inline>], align: &[Align], tag: &str) {
        self.out.push_str("<tr>");
        for (i, cell) in cells.iter().enumerate() {
            self.out.push('<');
            self.out.push_str(tag);
            if tag == "th" {
                self.attr("scope", "col");
            }
            if let Some(class) = align.get(i).copied().and_then(align_class) {
                self.attr("class", class);
            }
            self.out.push('>');
            self.inlines(cell);
            self.out.push_str(&format!("</{tag}>"));
        }
        self.out.push_str("</tr>\n");
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn wrapped(&mut self, tag: &str, content: &[Inline]) {
        self.out.push_str(&format!("<{tag}>"));
        self.inlines(content);
        self.out.push_str(&format!("</{tag}>"));
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => self.text(text),
            Inline::Emphasis(c) => self.wrapped("em", c),
            Inline::Strong(c) => self.wrapped("strong", c),
            Inline::Strikethrough(c) => self.wrapped("del", c),
            Inline::Superscript(c) => self.wrapped("sup", c),
            Inline::Subscript(c) => self.wrapped("sub", c),
            Inline::Code(code) => {
                self.out.push_str("<code>");
                self.text(code);
                self.out.push_str("</code>");
            }
            Inline::Link {
                target,
                title,
                content,
            } => self.link(target, title.as_deref(), content),
            Inline::Image { src, alt, title } => self.image(src, alt, title.as_deref()),
            Inline::NoteRef { number } => self.note_ref(*number),
            Inline::SoftBreak => self.out.push('\n'),
            Inline::LineBreak => self.out.push_str("<br/>\n"),
            Inline::Span { attrs, content } => {
                self.open_with("span", attrs);
                self.inlines(content);
                self.out.push_str("</span>");
            }
            // Raw HTML as the reader parsed it (`content` is for other writers).
            Inline::RawHtml { tree, .. } => {
                let in_link = self.link_depth > 0;
                raw_html::write_nodes(tree, self, in_link)
            }
            // Never left in the model by the reader.
            Inline::Html(_) => {}
        }
    }

    fn link(&mut self, target: &LinkTarget, title: Option<&str>, content: &[Inline]) {
        let href = match target {
            LinkTarget::External(uri) => safe_external_href(uri),
            LinkTarget::Internal { chapter, anchor } => {
                self.index
                    .href(&self.chapter.id, chapter, anchor.as_deref())
            }
            LinkTarget::Unresolved(_) => None,
        };
        let Some(href) = href.filter(|_| self.link_depth == 0) else {
            self.inlines(content);
            return;
        };
        self.out.push_str("<a");
        self.attr("href", &href);
        if let Some(title) = title.filter(|t| !t.is_empty()) {
            self.attr("title", title);
        }
        self.out.push('>');
        self.link_depth += 1;
        self.inlines(content);
        self.link_depth -= 1;
        self.out.push_str("</a>");
    }

    /// An image the book holds; else (a remote image) its description stands in for it.
    fn image(&mut self, src: &str, alt: &str, title: Option<&str>) {
        let Some(src) = self.index.image_src(self.chapter, src) else {
            if !alt.trim().is_empty() {
                self.out.push_str("<span class=\"image-alt\">");
                self.text(alt);
                self.out.push_str("</span>");
            }
            return;
        };
        self.images.shown += 1;
        if alt.trim().is_empty() {
            self.images.without_alt += 1;
        }
        self.out.push_str("<img");
        self.attr("src", &src);
        self.attr("alt", alt.trim());
        if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
            self.attr("title", title);
        }
        self.out.push_str("/>");
    }

    fn note_id(&self, number: usize) -> String {
        format!("fn-{}-{number}", self.note_prefix)
    }

    fn note_ref_id(&self, number: usize, occurrence: usize) -> String {
        match occurrence {
            1 => format!("fnref-{}-{number}", self.note_prefix),
            n => format!("fnref-{}-{number}-{n}", self.note_prefix),
        }
    }

    /// A reference to a note: a link to it, unless the note does not exist or the reference
    /// sits inside a link (links cannot nest): then only the number.
    fn note_ref(&mut self, number: usize) {
        let exists = number >= 1 && number <= self.note_refs.len();
        if !exists || self.link_depth > 0 {
            self.out.push_str(&format!("<sup>{number}</sup>"));
            return;
        }
        self.note_refs[number - 1] += 1;
        let id = self.note_ref_id(number, self.note_refs[number - 1]);
        let href = format!("#{}", self.note_id(number));
        self.out
            .push_str("<a epub:type=\"noteref\" role=\"doc-noteref\"");
        self.attr("href", &href);
        self.attr("id", &id);
        self.out.push_str(&format!("><sup>{number}</sup></a>"));
    }

    /// The chapter's notes as footnote asides, each opening with a link back to its first
    /// reference (when there is one).
    fn footnotes(&mut self) {
        let notes = &self.chapter.notes;
        if notes.is_empty() {
            return;
        }
        self.out.push_str("<div class=\"footnotes\">\n");
        for (i, note) in notes.iter().enumerate() {
            let number = i + 1;
            self.out
                .push_str("<aside epub:type=\"footnote\" role=\"doc-footnote\"");
            self.attr("id", &self.note_id(number));
            self.out.push_str(">\n");
            let back = self.back_link(number);
            let (first, rest) = match note.blocks.split_first() {
                Some((Block::Paragraph(inlines), rest)) => (Some(inlines), rest),
                _ => (None, note.blocks.as_slice()),
            };
            self.out.push_str("<p>");
            self.out.push_str(&back);
            if let Some(inlines) = first {
                self.out.push(' ');
                self.inlines(inlines);
            }
            self.out.push_str("</p>\n");
            self.blocks(rest);
            self.out.push_str("</aside>\n");
        }
        self.out.push_str("</div>\n");
    }

    fn back_link(&self, number: usize) -> String {
        let label = format!("<span class=\"note-number\">{number}.</span>");
        if self.note_refs[number - 1] == 0 {
            return label;
        }
        format!(
            "<a class=\"note-back\" role=\"doc-backlink\" href=\"#{}\">{label}</a>",
            escape(&self.note_ref_id(number, 1))
        )
    }
}

/// What raw HTML may link to and show, as seen from this chapter; the Markdown inside it.
impl raw_html::Writer for ChapterWriter<'_> {
    fn out(&mut self) -> &mut String {
        &mut self.out
    }

    fn href(&mut self, href: &str) -> Option<String> {
        if let Some(url) = safe_external_href(href) {
            return Some(url);
        }
        // Relative: only what quire itself writes (a chapter file of the book, an id that
        // exists there, a footnote of this chapter) is kept.
        let (file, fragment) = href.split_once('#').unwrap_or((href, ""));
        let target = if file.is_empty() {
            self.index.chapters.get(&self.chapter.id)
        } else {
            self.index.chapters.values().find(|c| c.file_name == file)
        }?;
        let note = file.is_empty()
            && (fragment.starts_with(&format!("fn-{}-", self.note_prefix))
                || fragment.starts_with(&format!("fnref-{}-", self.note_prefix)));
        let ok =
            fragment.is_empty() || note || target.anchors.iter().any(|a| xml_id(a) == fragment);
        ok.then(|| href.to_string())
    }

    fn image_src(&mut self, src: &str) -> Option<String> {
        self.index.image_src(self.chapter, src)
    }

    fn claim_id(&mut self, id: &str) -> bool {
        self.raw_ids.insert(id.to_string())
    }

    fn image_shown(&mut self, has_alt: bool) {
        self.images.shown += 1;
        if !has_alt {
            self.images.without_alt += 1;
        }
    }

    fn block(&mut self, block: &Block) {
        ChapterWriter::block(self, block)
    }

    fn inline(&mut self, inline: &Inline, in_link: bool) {
        // Inside a raw `<a>`, Markdown links and note references keep their text only.
        let depth = self.link_depth;
        if in_link {
            self.link_depth = depth.max(1);
        }
        ChapterWriter::inline(self, inline);
        self.link_depth = depth;
    }
}

fn checkbox(checked: bool) -> &'static str {
    if checked {
        "<input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" aria-label=\"Done\"/> "
    } else {
        "<input type=\"checkbox\" disabled=\"disabled\" aria-label=\"Not done\"/> "
    }
}

fn align_class(align: Align) -> Option<&'static str> {
    match align {
        Align::None => None,
        Align::Left => Some("align-left"),
        Align::Center => Some("align-center"),
        Align::Right => Some("align-right"),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::model::{Footnote, Heading, ListItem};

    fn t(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    fn chapter(id: &str, blocks: Vec<Block>) -> Chapter {
        Chapter {
            id: id.to_string(),
            title: Some(vec![t("Title")]),
            matter: Matter::Body,
            source: PathBuf::from("c.md"),
            blocks,
            notes: vec![],
            level: 1,
        }
    }

    fn heading(id: &str) -> Block {
        Block::Heading(Heading {
            level: 2,
            id: id.to_string(),
            content: vec![t("H")],
        })
    }

    /// Renders `c`, with another chapter `other` (holding heading `there`) to link to.
    fn render_chapter(c: &Chapter) -> String {
        let other = chapter("other", vec![heading("there")]);
        let mut index = LinkIndex::default();
        index.add(c, format!("{}.xhtml", c.id));
        index.add(&other, "other.xhtml".to_string());
        ChapterWriter::new(c, &index).render("Label")
    }

    fn render_blocks(blocks: Vec<Block>) -> String {
        render_chapter(&chapter("c", blocks))
    }

    fn render_inlines(inlines: Vec<Inline>) -> String {
        let html = render_blocks(vec![Block::Paragraph(inlines)]);
        let start = html.find("<p>").expect("a paragraph") + 3;
        let end = html.rfind("</p>").expect("end of paragraph");
        html[start..end].to_string()
    }

    fn link(target: LinkTarget) -> Inline {
        Inline::Link {
            target,
            title: None,
            content: vec![t("x")],
        }
    }

    #[test]
    fn section_wraps_a_titled_chapter() {
        let html = render_blocks(vec![]);
        assert_eq!(
            html,
            "<section epub:type=\"chapter\" role=\"doc-chapter\" id=\"c\">\n<h1>Title</h1>\n</section>\n"
        );
    }

    #[test]
    fn untitled_chapter_has_a_label_and_no_h1() {
        let mut c = chapter("c", vec![Block::Paragraph(vec![t("words")])]);
        c.title = None;
        let html = render_chapter(&c);
        assert!(html.starts_with(
            "<section epub:type=\"chapter\" role=\"doc-chapter\" id=\"c\" aria-label=\"Label\">"
        ));
        assert!(!html.contains("<h1"));
    }

    #[test]
    fn section_id_yields_to_a_heading_with_the_same_id() {
        let html = render_blocks(vec![heading("c")]);
        assert!(html.starts_with("<section epub:type=\"chapter\" role=\"doc-chapter\">"));
        assert!(html.contains("<h2 id=\"c\">H</h2>"));
    }

    #[test]
    fn inline_markup() {
        let cases = [
            (Inline::Emphasis(vec![t("a")]), "<em>a</em>"),
            (Inline::Strong(vec![t("a")]), "<strong>a</strong>"),
            (Inline::Strikethrough(vec![t("a")]), "<del>a</del>"),
            (Inline::Superscript(vec![t("a")]), "<sup>a</sup>"),
            (Inline::Subscript(vec![t("a")]), "<sub>a</sub>"),
            (Inline::Code("<a&b>".into()), "<code>&lt;a&amp;b&gt;</code>"),
            (t("\"it's\" <b>"), "&quot;it&#39;s&quot; &lt;b&gt;"),
            (Inline::SoftBreak, "\n"),
            (Inline::LineBreak, "<br/>\n"),
        ];
        for (inline, expected) in cases {
            assert_eq!(render_inlines(vec![inline.clone()]), expected, "{inline:?}");
        }
    }

    #[test]
    fn images_become_their_description() {
        let image = |alt: &str| Inline::Image {
            src: "a.png".into(),
            alt: alt.into(),
            title: None,
        };
        assert_eq!(
            render_inlines(vec![image("a <map>")]),
            "<span class=\"image-alt\">a &lt;map&gt;</span>"
        );
        assert_eq!(render_inlines(vec![image(" ")]), "");
    }

    #[test]
    fn links_by_target() {
        let external = link(LinkTarget::External("https://e.com/?a=1&b=2".into()));
        assert_eq!(
            render_inlines(vec![external]),
            "<a href=\"https://e.com/?a=1&amp;b=2\">x</a>"
        );
        let script = link(LinkTarget::External("javascript:alert(1)".into()));
        assert_eq!(render_inlines(vec![script]), "x");
        let data = link(LinkTarget::External("data:text/html,hi".into()));
        assert_eq!(render_inlines(vec![data]), "x");
        let unresolved = link(LinkTarget::Unresolved("nowhere.md".into()));
        assert_eq!(render_inlines(vec![unresolved]), "x");
        let internal = |chapter: &str, anchor: Option<&str>| {
            render_inlines(vec![link(LinkTarget::Internal {
                chapter: chapter.into(),
                anchor: anchor.map(String::from),
            })])
        };
        assert_eq!(
            internal("other", Some("there")),
            "<a href=\"other.xhtml#there\">x</a>"
        );
        assert_eq!(internal("other", None), "<a href=\"other.xhtml\">x</a>");
        assert_eq!(
            internal("other", Some("missing")),
            "<a href=\"other.xhtml\">x</a>"
        );
        assert_eq!(internal("c", Some("c")), "<a href=\"#c\">x</a>");
        assert_eq!(internal("gone", Some("there")), "x");
    }

    #[test]
    fn link_titles_are_escaped() {
        let titled = Inline::Link {
            target: LinkTarget::External("https://e.com".into()),
            title: Some("a \"b\"".into()),
            content: vec![t("x")],
        };
        assert_eq!(
            render_inlines(vec![titled]),
            "<a href=\"https://e.com\" title=\"a &quot;b&quot;\">x</a>"
        );
    }

    #[test]
    fn blocks() {
        let cases = [
            (heading("1 a"), "<h2 id=\"id-1-a\">H</h2>\n"),
            (Block::SceneBreak, "<hr class=\"scene-break\"/>\n"),
            (
                Block::BlockQuote(vec![Block::Paragraph(vec![t("q")])]),
                "<blockquote>\n<p>q</p>\n</blockquote>\n",
            ),
            (
                Block::CodeBlock {
                    language: Some("rust\"x".into()),
                    text: "a < b\n".into(),
                },
                "<pre><code class=\"language-rustx\">a &lt; b</code></pre>\n",
            ),
            (
                Block::CodeBlock {
                    language: None,
                    text: "x".into(),
                },
                "<pre><code>x</code></pre>\n",
            ),
        ];
        for (block, expected) in cases {
            let html = render_blocks(vec![block.clone()]);
            let body = html
                .split_once("</h1>\n")
                .and_then(|(_, rest)| rest.strip_suffix("</section>\n"))
                .expect("section");
            assert_eq!(body, expected, "{block:?}");
        }
    }

    fn item(task: Option<bool>, text: &str) -> ListItem {
        ListItem {
            task,
            blocks: vec![Block::Paragraph(vec![t(text)])],
        }
    }

    #[test]
    fn lists_tight_loose_ordered_and_tasks() {
        let ordered = Block::List(List {
            numbering: Default::default(),
            start: Some(3),
            tight: true,
            items: vec![item(None, "a")],
        });
        assert!(render_blocks(vec![ordered]).contains("<ol start=\"3\">\n<li>a</li>\n</ol>\n"));
        let from_one = Block::List(List {
            numbering: Default::default(),
            start: Some(1),
            tight: false,
            items: vec![item(None, "a")],
        });
        assert!(render_blocks(vec![from_one]).contains("<ol>\n<li><p>a</p>\n</li>\n</ol>\n"));
        let tasks = Block::List(List {
            numbering: Default::default(),
            start: None,
            tight: true,
            items: vec![item(Some(true), "done"), item(Some(false), "open")],
        });
        let html = render_blocks(vec![tasks]);
        assert!(html.contains("<ul class=\"tasks\">"));
        assert!(html.contains(
            "<li class=\"task\"><input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" aria-label=\"Done\"/> done</li>"
        ));
        assert!(html.contains("aria-label=\"Not done\"/> open</li>"));
    }

    #[test]
    fn tables_have_header_cells_and_alignment() {
        let table = Block::Table(Table {
            caption: None,
            align: vec![Align::None, Align::Right],
            header: vec![vec![t("a")], vec![t("b")]],
            rows: vec![vec![vec![t("1")], vec![t("2")]]],
        });
        let html = render_blocks(vec![table]);
        assert!(html.contains(
            "<table>\n<thead>\n<tr><th scope=\"col\">a</th><th scope=\"col\" class=\"align-right\">b</th></tr>\n</thead>\n\
             <tbody>\n<tr><td>1</td><td class=\"align-right\">2</td></tr>\n</tbody>\n</table>\n"
        ));
    }

    #[test]
    fn footnotes_link_both_ways_with_unique_ids() {
        let mut c = chapter(
            "ch 1",
            vec![Block::Paragraph(vec![
                Inline::NoteRef { number: 1 },
                Inline::NoteRef { number: 1 },
                Inline::NoteRef { number: 2 },
                Inline::NoteRef { number: 9 },
            ])],
        );
        c.notes = vec![
            Footnote {
                label: "odd label".into(),
                number: 1,
                blocks: vec![Block::Paragraph(vec![t("one")])],
            },
            Footnote {
                label: "x".into(),
                number: 2,
                blocks: vec![Block::SceneBreak],
            },
            Footnote {
                label: "unused".into(),
                number: 3,
                blocks: vec![Block::Paragraph(vec![t("three")])],
            },
        ];
        let html = render_chapter(&c);
        let noteref = |n: &str, id: &str| {
            format!(
                "<a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-id-ch-1-{n}\" id=\"{id}\"><sup>{n}</sup></a>"
            )
        };
        assert!(html.contains(&noteref("1", "fnref-id-ch-1-1")));
        assert!(html.contains(&noteref("1", "fnref-id-ch-1-1-2")));
        assert!(html.contains(&noteref("2", "fnref-id-ch-1-2")));
        assert!(
            html.contains("<sup>9</sup>"),
            "a dangling reference keeps its number"
        );
        assert!(html.contains(
            "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-id-ch-1-1\">\n<p><a class=\"note-back\" role=\"doc-backlink\" href=\"#fnref-id-ch-1-1\"><span class=\"note-number\">1.</span></a> one</p>\n</aside>"
        ));
        assert!(html.contains("href=\"#fnref-id-ch-1-2\"><span class=\"note-number\">2.</span></a></p>\n<hr class=\"scene-break\"/>\n</aside>"));
        assert!(html
            .contains("id=\"fn-id-ch-1-3\">\n<p><span class=\"note-number\">3.</span> three</p>"));
        assert!(!html.contains("odd label"));
    }

    #[test]
    fn note_refs_inside_links_do_not_nest_anchors() {
        let mut c = chapter(
            "c",
            vec![Block::Paragraph(vec![Inline::Link {
                target: LinkTarget::External("https://e.com".into()),
                title: None,
                content: vec![t("x"), Inline::NoteRef { number: 1 }],
            }])],
        );
        c.notes = vec![Footnote {
            label: "n".into(),
            number: 1,
            blocks: vec![],
        }];
        let html = render_chapter(&c);
        assert!(html.contains("<a href=\"https://e.com\">x<sup>1</sup></a>"));
    }

    #[test]
    fn document_declares_language_title_and_stylesheet() {
        let doc = document("en-GB", "A & B", "../s.css", "bodymatter", "<p/>\n");
        assert!(doc.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"));
        assert!(doc.contains("xml:lang=\"en-GB\" lang=\"en-GB\""));
        assert!(doc.contains("<title>A &amp; B</title>"));
        assert!(doc.contains("<link rel=\"stylesheet\" type=\"text/css\" href=\"../s.css\"/>"));
        assert!(doc.contains("<body epub:type=\"bodymatter\">"));
    }
}
