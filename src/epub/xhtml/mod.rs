//! Chapters as XHTML content documents, one kind of content per file: links and image sources
//! (`links`), inlines, lists, tables, figures, notes, and what raw HTML may reach (`raw`).
//!
//! A small string writer: every piece of text goes through `xml::push_escaped`, every element is
//! closed where it is opened, so the output is well-formed whatever the manuscript contains.

mod figures;
mod inlines;
mod links;
mod lists;
mod notes;
mod raw;
mod tables;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

use crate::model::pages::{ChapterPlace, TextPosition};
use crate::model::{Block, Chapter, Inline, Matter};

use super::page_list::{ChapterMarkers, Pending};
use super::raw_html;
use super::xml::{class_token, escape, push_escaped, xml_id};

pub use links::{section_id, LinkIndex};

/// Folder of the chapter files inside `OEBPS`.
pub const TEXT_DIR: &str = "text";

/// Folder of the images inside `OEBPS`.
pub const IMAGE_DIR: &str = "images";

/// What a chapter's images were like, for the accessibility metadata.
#[derive(Debug, Default, Clone, Copy)]
pub struct ImageStats {
    pub shown: usize,
    pub without_alt: usize,
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
    pages: &ChapterMarkers,
) -> (String, ImageStats) {
    let mut writer = ChapterWriter::new(chapter, index);
    writer.pages = Pending::new(pages);
    let body = writer.render(label);
    let body = super::content_model::enforce(&body);
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
    /// The print edition's page breaks still to mark (see `page_list`).
    pages: Pending,
    /// Where the writer is in the chapter (`TextPosition::path`), and, in a paragraph's
    /// running text, how many of its characters are written.
    path: Vec<usize>,
    text_at: Option<usize>,
    /// The level of the last heading written (the chapter title is 1): a heading is written
    /// at most one level deeper, since screen readers navigate by level and a jump (`#` then
    /// `####`) hides the levels between; it keeps its own level's look by a class.
    heading_level: u8,
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
            pages: Pending::default(),
            path: Vec::new(),
            text_at: None,
            heading_level: 1,
        }
    }

    /// Marks the pages that begin before the block `k` of the current blocks (and at it,
    /// unless it is a paragraph: those go inside it, where sibling selectors cannot see them)
    /// and enters it.
    fn enter_block(&mut self, k: usize, block: &Block) {
        self.path.push(k);
        let place = ChapterPlace::At(TextPosition {
            path: self.path.clone(),
            offset: 0,
        });
        let marks = (self.pages).take_until(&place, !matches!(block, Block::Paragraph(_)));
        self.out.push_str(&marks);
    }

    fn leave_block(&mut self) {
        self.path.pop();
    }

    /// A paragraph's running text starts: the pages that begin at its start are marked.
    fn start_text(&mut self) {
        let place = ChapterPlace::At(TextPosition {
            path: self.path.clone(),
            offset: 0,
        });
        let marks = self.pages.take_until(&place, true);
        self.out.push_str(&marks);
        self.text_at = Some(0);
    }

    /// A paragraph's running text ends: pages said to begin in it that it did not reach are
    /// marked at its end, inside it.
    fn end_text(&mut self) {
        let place = ChapterPlace::At(TextPosition {
            path: self.path.clone(),
            offset: usize::MAX,
        });
        let marks = self.pages.take_until(&place, true);
        self.out.push_str(&marks);
        self.text_at = None;
    }

    /// Running text: written with the markers of the pages that begin in it, each before
    /// the word the page begins with.
    fn running_text(&mut self, text: &str) {
        let Some(at) = self.text_at else {
            return self.text(text);
        };
        let len = text.chars().count();
        // Characters and bytes written so far, both kept: finding the byte of a character
        // count from the start for each page mark was quadratic in a long text.
        let mut written = 0;
        let mut from = 0;
        while let Some(offset) = self.pages.next_in(&self.path, at + len) {
            let split = from
                + super::page_list::word_start(&text[from..], offset.saturating_sub(at + written));
            self.text(&text[from..split]);
            written += text[from..split].chars().count();
            from = split;
            let mark = self.pages.take_next();
            self.out.push_str(&mark);
        }
        self.text(&text[from..]);
        self.text_at = Some(at + len);
    }

    /// Counts characters of the running text written other than by [`Self::running_text`].
    fn advance_text(&mut self, inline: &Inline) {
        if let Some(at) = &mut self.text_at {
            *at += crate::model::pages::inline_len(inline);
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
        // The opening's pages (the chapter title's) before the title.
        let opening = ChapterPlace::At(TextPosition {
            path: vec![0],
            offset: 0,
        });
        let opening_marks = self.pages.take_until(&opening, false);
        match &chapter.title {
            Some(title) => {
                self.out.push_str(">\n");
                self.out.push_str(&opening_marks);
                self.out.push_str("<h1>");
                self.inlines(title);
                self.out.push_str("</h1>\n");
            }
            None => {
                self.attr("aria-label", label);
                self.out.push_str(">\n");
                self.out.push_str(&opening_marks);
            }
        }
        self.blocks(&chapter.blocks);
        // Pages that begin after the text (blank versos), and any the text did not reach.
        let rest = self.pages.take_until(&ChapterPlace::End, true);
        if !rest.is_empty() {
            self.out.push_str(&rest);
            self.out.push('\n');
        }
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
        for (k, b) in blocks.iter().enumerate() {
            self.enter_block(k, b);
            self.block(b);
            self.leave_block();
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(inlines) => {
                self.out.push_str("<p>");
                self.start_text();
                self.inlines(inlines);
                self.end_text();
                self.out.push_str("</p>\n");
            }
            Block::Heading(heading) => {
                let wanted = heading.level.clamp(2, 6);
                let level = wanted.min(self.heading_level + 1);
                self.heading_level = level;
                self.out.push_str(&format!("<h{level}"));
                self.attr("id", &xml_id(&heading.id));
                if level != wanted {
                    self.attr("class", &format!("h{wanted}"));
                }
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
            Block::CodeBlock {
                language,
                text,
                listing,
            } => self.listing(language.as_deref(), text, listing),
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

    /// A code block; a listing (with a caption or a file name) as a figure whose caption,
    /// above the code as in print, holds both.
    fn listing(&mut self, language: Option<&str>, text: &str, listing: &crate::model::Listing) {
        if listing.is_empty() {
            return self.code_block(language, text);
        }
        self.out
            .push_str("<figure class=\"listing\">\n<figcaption>");
        if let Some(caption) = &listing.caption {
            self.out.push_str("<span class=\"listing-caption\">");
            self.inlines(caption);
            self.out.push_str("</span>");
        }
        if let Some(name) = &listing.file_name {
            if listing.caption.is_some() {
                self.out.push_str("<br/>");
            }
            self.out.push_str("<code class=\"listing-file\">");
            self.text(name);
            self.out.push_str("</code>");
        }
        self.out.push_str("</figcaption>\n");
        self.code_block(language, text);
        self.out.push_str("</figure>\n");
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
}
