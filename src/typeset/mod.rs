//! Typesetting: model -> shaped, broken, paginated pages.
//!
//! The pipeline, as in typst: each chapter is set on its own (`blocks` collects its blocks,
//! `paragraph` shapes and breaks them into lines, `paginate` cuts the vertical list into
//! pages) as a pure function of the chapter and the shared read-only [`Context`]; then
//! `book` places the chapters, the front matter and the furniture (folios, running heads)
//! on numbered pages and resolves links.

pub mod blocks;
mod book;
pub mod document;
pub mod fonts;
pub mod frontmatter;
pub mod hyphenate;
pub mod linebreak;
pub mod paginate;
pub mod paragraph;
pub mod shape;

use crate::model::Book;
use crate::settings::Settings;

pub use book::Context;

#[derive(Debug, thiserror::Error)]
pub enum TypesetError {
    #[error("the bundled font `{0}` could not be read")]
    Font(&'static str),
    #[error("the page is too small for its margins ({width} x {height} pt)")]
    PageTooSmall { width: f32, height: f32 },
}

/// Sets a whole book into pages.
pub fn typeset(book: &Book, settings: &Settings) -> Result<document::Document, TypesetError> {
    let ctx = Context::new(book, settings)?;
    Ok(ctx.typeset(book))
}
