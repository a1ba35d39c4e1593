//! The book's outline in the EPUB: part title pages (mdBook's `# Part` titles in SUMMARY.md)
//! and the nav level of each chapter, so that the contents nest as SUMMARY.md does.

use crate::model::{Book, Part};

use super::xhtml::document;
use super::xml::{escape, strip_invalid};

/// The path of the `index`-th part's page in the package: a folder of its own, beside
/// `text/`, so that it never clashes with a chapter file (named by the chapter's id).
pub fn part_path(index: usize) -> String {
    format!("parts/part-{}.xhtml", index + 1)
}

/// A part's title page: the title alone, as a printed part title page has it.
pub fn part_page(part: &Part, lang: &str, css_href: &str) -> String {
    let title = strip_invalid(&part.title);
    let body = format!(
        "<section epub:type=\"part\" role=\"doc-part\" class=\"part\" aria-label=\"{t}\">\n<h1 class=\"part-title\">{t}</h1>\n</section>\n",
        t = escape(&title)
    );
    document(lang, &title, css_href, "bodymatter", &body)
}

/// The part that opens at chapter `index`, with its position in `book.parts`.
pub fn part_opening_at(book: &Book, index: usize) -> Option<(usize, &Part)> {
    book.parts
        .iter()
        .enumerate()
        .find(|(_, p)| p.chapters.start == index)
}

/// The nav level of chapter `index`: 1 at the top, one deeper inside a part, and one deeper
/// for each level of SUMMARY.md nesting.
pub fn nav_level(book: &Book, index: usize) -> i32 {
    let in_part = book.parts.iter().any(|p| p.chapters.contains(&index));
    let nesting = book.chapters.get(index).map_or(1, |c| c.level.max(1));
    i32::from(in_part) + i32::from(nesting)
}
