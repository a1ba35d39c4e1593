//! quire: a Markdown manuscript in, an EPUB 3 ebook and a print-quality PDF out.
//!
//! The pipeline flows one way:
//! `project` (book.toml, chapter files) -> `markdown` (events -> model) -> `model`
//! -> `epub` (XHTML + CSS -> epub-builder) and `typeset` (pages) -> `pdf` (printpdf).
//! Only the binary (`main.rs`) prints.

pub mod diagnostic;
pub mod epub;
pub mod fonts;
pub mod markdown;
pub mod model;
pub mod pdf;
pub mod project;
pub mod settings;
pub mod typeset;
