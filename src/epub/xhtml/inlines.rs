//! Inline content: text, emphasis, code, links (never nested) and raw inline HTML.

use crate::model::{Inline, LinkTarget};

use super::super::raw_html;
use super::super::xml::safe_external_href;
use super::ChapterWriter;

impl ChapterWriter<'_> {
    pub(super) fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    pub(super) fn wrapped(&mut self, tag: &str, content: &[Inline]) {
        self.out.push_str(&format!("<{tag}>"));
        self.inlines(content);
        self.out.push_str(&format!("</{tag}>"));
    }

    pub(super) fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => return self.running_text(text),
            // Raw HTML counts as what it says (`model::pages::inline_len`: its `content`, as
            // print sets it): its text is running text, so a page that begins in it is marked
            // in it. The count is set to the content's afterwards, should the tree's text
            // differ from it (dropped elements), so later places are not shifted.
            Inline::RawHtml { .. } => {
                let at = self.text_at;
                self.inline_markup(inline);
                if let Some(at) = at {
                    self.text_at = Some(at + crate::model::pages::inline_len(inline));
                }
                return;
            }
            Inline::Emphasis(_)
            | Inline::Strong(_)
            | Inline::Strikethrough(_)
            | Inline::Superscript(_)
            | Inline::Subscript(_)
            | Inline::Link { .. }
            | Inline::Span { .. } => return self.inline_markup(inline),
            _ => {}
        }
        // Code: pages beginning in it are marked before it (breaks and images are no word
        // a page begins with: their pages are marked at the text after them).
        if let (Some(at), Inline::Code(code)) = (self.text_at, inline) {
            while self
                .pages
                .next_in(&self.path, at + code.chars().count())
                .is_some()
            {
                let mark = self.pages.take_next();
                self.out.push_str(&mark);
            }
        }
        self.inline_markup(inline);
        self.advance_text(inline);
    }

    pub(super) fn inline_markup(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => self.running_text(text),
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
            Inline::Image {
                src,
                alt,
                title,
                size,
            } => self.image(src, alt, title.as_deref(), size, &[]),
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

    pub(super) fn link(&mut self, target: &LinkTarget, title: Option<&str>, content: &[Inline]) {
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
}
