//! The pages quire adds around the manuscript: title page and copyright page, in the book's
//! language (`strings`).

use crate::model::{plain_text, Inline, LinkTarget, Metadata};
use crate::strings::Strings;

use super::xhtml::document;
use super::xml::escape;

pub const COVER_FILE: &str = "cover.xhtml";
pub const TITLE_PAGE_FILE: &str = "titlepage.xhtml";
pub const COPYRIGHT_FILE: &str = "copyright.xhtml";
/// Inlines of metadata (rights written as Markdown) as XHTML: emphasis, links to the web,
/// line breaks; anything else as its text.
fn inline_html(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Code(t) => out.push_str(&format!("<code>{}</code>", escape(t))),
            Inline::Emphasis(c) => wrap("em", c, out),
            Inline::Strong(c) => wrap("strong", c, out),
            Inline::Strikethrough(c) => wrap("s", c, out),
            Inline::Superscript(c) => wrap("sup", c, out),
            Inline::Subscript(c) => wrap("sub", c, out),
            Inline::Link {
                target: LinkTarget::External(url),
                content,
                ..
            } => {
                out.push_str(&format!("<a href=\"{}\">", escape(url)));
                inline_html(content, out);
                out.push_str("</a>");
            }
            Inline::Link { content, .. } => inline_html(content, out),
            Inline::RawHtml { content, .. } => inline_html(content, out),
            Inline::SoftBreak => out.push(' '),
            Inline::LineBreak => out.push_str("<br/>"),
            // Images, note references, raw pieces: what they say as text, if anything.
            other => out.push_str(&escape(&plain_text(std::slice::from_ref(other)))),
        }
    }
}

fn wrap(tag: &str, content: &[Inline], out: &mut String) {
    out.push_str(&format!("<{tag}>"));
    inline_html(content, out);
    out.push_str(&format!("</{tag}>"));
}

fn paragraph(class: &str, text: &str) -> String {
    format!("<p class=\"{class}\">{}</p>\n", escape(text))
}

/// The cover page: the cover image alone, described by the book's full title.
pub fn cover_page(meta: &Metadata, strings: &Strings, image_href: &str, css_href: &str) -> String {
    let alt = match meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(subtitle) => format!("{}: {subtitle}", meta.title),
        None => meta.title.clone(),
    };
    let body = format!(
        "<div class=\"cover-image\">\n<img role=\"doc-cover\" src=\"{}\" alt=\"{}\"/>\n</div>\n",
        escape(image_href),
        escape(&alt)
    );
    document(
        &meta.language,
        strings.get("cover"),
        css_href,
        "cover",
        &body,
    )
}

/// Title, subtitle and authors; no author line when the author is unknown.
pub fn title_page(meta: &Metadata, strings: &Strings, css_href: &str) -> String {
    let mut body = format!(
        "<section epub:type=\"titlepage\" class=\"titlepage\" aria-label=\"{}\">\n",
        escape(strings.get("title-page"))
    );
    body.push_str(&format!(
        "<h1 class=\"title\">{}</h1>\n",
        escape(&meta.title)
    ));
    if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        body.push_str(&paragraph("subtitle", subtitle));
    }
    if let Some(authors) = strings.list(&meta.authors) {
        body.push_str(&paragraph("author", &authors));
    }
    if let Some(publisher) = meta.publisher.as_deref().filter(|s| !s.trim().is_empty()) {
        body.push_str(&paragraph("publisher", publisher));
    }
    body.push_str("</section>\n");
    document(&meta.language, &meta.title, css_href, "frontmatter", &body)
}

/// The bibliographic facts of this edition, in words (see `imprint`).
pub fn copyright_page(meta: &Metadata, strings: &Strings, css_href: &str) -> String {
    let label = strings.get("copyright");
    let mut body = format!(
        "<section epub:type=\"copyright-page\" class=\"copyright\" aria-label=\"{}\">\n",
        escape(label)
    );
    for line in crate::imprint::copyright_lines(meta, strings) {
        body.push_str(&format!("<p class=\"{}\">", line.kind.class()));
        inline_html(&line.content, &mut body);
        body.push_str("</p>\n");
    }
    body.push_str("</section>\n");
    document(&meta.language, label, css_href, "frontmatter", &body)
}
