//! The pages quire adds around the manuscript: title page and copyright page.

use crate::model::Metadata;

use super::xhtml::document;
use super::xml::escape;

pub const COVER_FILE: &str = "cover.xhtml";
pub const COVER_LABEL: &str = "Cover";
pub const TITLE_PAGE_FILE: &str = "titlepage.xhtml";
pub const COPYRIGHT_FILE: &str = "copyright.xhtml";
pub const TITLE_PAGE_LABEL: &str = "Title Page";
pub const COPYRIGHT_LABEL: &str = "Copyright";

/// Authors as one phrase: `A`, `A and B`, `A, B and C`.
pub fn author_phrase(authors: &[String]) -> Option<String> {
    match authors {
        [] => None,
        [one] => Some(one.clone()),
        [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
    }
}

fn paragraph(class: &str, text: &str) -> String {
    format!("<p class=\"{class}\">{}</p>\n", escape(text))
}

/// The cover page: the cover image alone, described by the book's full title.
pub fn cover_page(meta: &Metadata, image_href: &str, css_href: &str) -> String {
    let alt = match meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(subtitle) => format!("{}: {subtitle}", meta.title),
        None => meta.title.clone(),
    };
    let body = format!(
        "<div class=\"cover-image\">\n<img role=\"doc-cover\" src=\"{}\" alt=\"{}\"/>\n</div>\n",
        escape(image_href),
        escape(&alt)
    );
    document(&meta.language, COVER_LABEL, css_href, "cover", &body)
}

/// Title, subtitle and authors; no author line when the author is unknown.
pub fn title_page(meta: &Metadata, css_href: &str) -> String {
    let mut body = String::from(
        "<section epub:type=\"titlepage\" class=\"titlepage\" aria-label=\"Title page\">\n",
    );
    body.push_str(&format!(
        "<h1 class=\"title\">{}</h1>\n",
        escape(&meta.title)
    ));
    if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        body.push_str(&paragraph("subtitle", subtitle));
    }
    if let Some(authors) = author_phrase(&meta.authors) {
        body.push_str(&paragraph("author", &authors));
    }
    if let Some(publisher) = meta.publisher.as_deref().filter(|s| !s.trim().is_empty()) {
        body.push_str(&paragraph("publisher", publisher));
    }
    body.push_str("</section>\n");
    document(&meta.language, &meta.title, css_href, "frontmatter", &body)
}

/// The bibliographic facts of this edition.
pub fn copyright_page(meta: &Metadata, css_href: &str) -> String {
    let mut body = String::from(
        "<section epub:type=\"copyright-page\" class=\"copyright\" aria-label=\"Copyright\">\n",
    );
    let full_title = match meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(subtitle) => format!("{}: {subtitle}", meta.title),
        None => meta.title.clone(),
    };
    body.push_str(&format!(
        "<p class=\"book-title\"><cite>{}</cite></p>\n",
        escape(&full_title)
    ));
    let author = author_phrase(&meta.authors).unwrap_or_else(|| "Author unknown".to_string());
    body.push_str(&paragraph("book-author", &author));
    let publisher = meta.publisher.as_deref().filter(|p| !p.trim().is_empty());
    let date = meta.date.as_deref().filter(|d| !d.trim().is_empty());
    let published = match (publisher, date) {
        (Some(p), Some(d)) => Some(format!("Published by {p}, {d}")),
        (Some(p), None) => Some(format!("Published by {p}")),
        (None, Some(d)) => Some(format!("Published {d}")),
        (None, None) => None,
    };
    let optional = [("published", published), ("rights", meta.rights.clone())];
    for (class, text) in optional {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            body.push_str(&paragraph(class, &text));
        }
    }
    if !meta.identifier.trim().is_empty() {
        let identifier = format!("Identifier: {}", meta.identifier.trim());
        body.push_str(&paragraph("identifier", &identifier));
    }
    body.push_str(&paragraph("colophon", "Made with quire."));
    body.push_str("</section>\n");
    document(
        &meta.language,
        COPYRIGHT_LABEL,
        css_href,
        "frontmatter",
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_phrases() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(author_phrase(&[]), None);
        assert_eq!(author_phrase(&names(&["A"])).as_deref(), Some("A"));
        assert_eq!(
            author_phrase(&names(&["A", "B"])).as_deref(),
            Some("A and B")
        );
        assert_eq!(
            author_phrase(&names(&["A", "B", "C"])).as_deref(),
            Some("A, B and C")
        );
    }
}
