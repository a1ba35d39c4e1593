//! Typesetting: model -> shaped, broken, paginated pages.
//!
//! The pipeline, as in typst: each chapter is set on its own (`blocks` collects its blocks,
//! `paragraph` shapes and breaks them into lines, `paginate` cuts the vertical list into
//! pages) as a pure function of the chapter and the shared read-only [`Context`]; then
//! `book` places the chapters, the front matter and the furniture (folios, running heads)
//! on numbered pages and resolves links.

pub mod blocks;
mod book;
pub mod code;
pub mod document;
pub mod figure;
pub mod fonts;
pub mod frontmatter;
mod glyph_text;
pub mod hyphenate;
pub mod linebreak;
pub mod paginate;
pub mod paragraph;
pub mod shape;

use crate::model::{plain_text, Block, Book};
use crate::settings::{auto_gutter, Gutter, PrintSettings, Settings};

pub use book::Context;

#[derive(Debug, thiserror::Error)]
pub enum TypesetError {
    #[error("the font `{0}` could not be read")]
    Font(String),
    #[error("the page is too small for its margins ({width} x {height} pt)")]
    PageTooSmall { width: f32, height: f32 },
    #[error(transparent)]
    Image(#[from] Box<crate::artwork::ArtError>),
}

/// How much of each image the book's pages can print: no image is drawn larger than the
/// trimmed page.
pub fn need(settings: &Settings) -> crate::artwork::Need {
    let trim = settings.print.trim;
    crate::artwork::Need::for_page(trim.width, trim.height)
}

/// Sets a whole book into pages.
///
/// With `gutter = "auto"` the inner margin depends on the page count, which depends on the
/// inner margin: the book is set with the gutter for an estimated page count, and set again
/// (at most [`GUTTER_PASSES`] times in all) only if the count it came out at belongs to
/// another gutter class. The estimate is from the body's length at about
/// [`CHARS_PER_PAGE_ESTIMATE`] characters per page of body text, so most books are set once.
pub fn typeset(book: &Book, settings: &Settings) -> Result<document::Document, TypesetError> {
    // Images are decoded once, whatever the number of passes.
    let art = crate::artwork::Gallery::load(book, need(settings))?;
    typeset_with(book, settings, |settings| {
        Ok(Context::new(book, settings)?
            .with_art(art.clone())
            .typeset(book))
    })
}

/// [`typeset`] with `set` setting the whole book for settings whose margins are final (the
/// gutter decided): `crate::incremental` passes one that reuses the chapters it set before.
pub fn typeset_with(
    book: &Book,
    settings: &Settings,
    mut set: impl FnMut(&Settings) -> Result<document::Document, TypesetError>,
) -> Result<document::Document, TypesetError> {
    let Gutter::Auto = settings.print.gutter else {
        let mut settings = settings.clone();
        if let Gutter::Fixed(inner) = settings.print.gutter {
            settings.print.margins.inner = inner;
        }
        return set(&settings);
    };
    let mut settings = settings.clone();
    let mut pages = estimate_pages(book, &settings);
    let mut tried = Vec::new();
    loop {
        let inner = auto_gutter(pages);
        settings.print.margins.inner = inner;
        let doc = set(&settings)?;
        tried.push(inner);
        pages = doc.pages.len();
        let wanted = auto_gutter(pages);
        if wanted == inner || tried.contains(&wanted) || tried.len() >= GUTTER_PASSES {
            return Ok(doc);
        }
    }
}

/// Most times a book is set to find its gutter (the count could oscillate at a class edge).
pub const GUTTER_PASSES: usize = 3;
/// Characters of body text on a page, for a first guess at the page count: measured on the
/// sample books at 11 pt on 5.5 x 8.5 in, scaled by the text area for other settings.
pub const CHARS_PER_PAGE_ESTIMATE: f32 = 1_750.0;

fn estimate_pages(book: &Book, settings: &Settings) -> usize {
    let p = &settings.print;
    let m = p.margins;
    let area = (p.trim.width - m.inner - m.outer) * (p.trim.height - m.top - m.bottom);
    // The reference: 11 pt type on 13.5 pt leading on 5.5 x 8.5 in with the default margins.
    let reference = PrintSettings::default();
    let rm = reference.margins;
    let reference_area =
        (reference.trim.width - rm.inner - rm.outer) * (reference.trim.height - rm.top - rm.bottom);
    // Characters per line go as width / size, lines per page as height / leading.
    let density = (area / reference_area)
        * (reference.font_size / p.font_size.max(1.0))
        * (reference.leading / p.leading.max(1.0));
    let chars: usize = book.chapters.iter().map(|c| chars_of(&c.blocks)).sum();
    let per_page = (CHARS_PER_PAGE_ESTIMATE * density).max(100.0);
    // Front matter, and a blank verso before about half the chapters.
    4 + book.chapters.len() * 3 / 2 + (chars as f32 / per_page).ceil() as usize
}

/// Characters of text in `blocks`, roughly (for the page estimate).
fn chars_of(blocks: &[Block]) -> usize {
    use crate::model::visit::{self, Visit};
    struct Count(usize);
    impl<'a> Visit<'a> for Count {
        fn visit_block(&mut self, b: &'a Block) {
            self.0 += match b {
                Block::Paragraph(inl) => plain_text(inl).chars().count(),
                Block::Heading(h) => plain_text(&h.content).chars().count() * 3,
                Block::CodeBlock { text, .. } => text.len(),
                Block::Table(t) => t.rows.len() * 80,
                Block::SceneBreak => 120,
                Block::Figure(_) => 400,
                Block::BlockQuote(_)
                | Block::List(_)
                | Block::Html { .. }
                | Block::Div(_)
                | Block::DefinitionList(_) => 0,
            };
            // Raw HTML counts as what the PDF sets of it.
            match b {
                Block::Html { content, .. } => self.visit_blocks(content),
                Block::BlockQuote(_)
                | Block::List(_)
                | Block::Div(_)
                | Block::DefinitionList(_) => visit::visit_block(self, b),
                _ => {}
            }
        }
    }
    let mut c = Count(0);
    c.visit_blocks(blocks);
    c.0
}
