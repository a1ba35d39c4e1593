//! quire: a Markdown manuscript in, an EPUB 3 ebook and a print-quality PDF out.
//!
//! The pipeline flows one way:
//! `project` (book.toml, chapter files) -> `markdown` (events -> model; raw HTML parsed
//! here, once; figures, ids, notes, links) -> `model` (walked with `model::visit`)
//! -> `epub` (XHTML + CSS -> epub-builder) and `typeset` (pages) -> `pdf` (printpdf).
//! The writers read only the model. Only the binary (`main.rs`) prints.

pub mod artwork;
pub mod author;
pub mod build;
pub mod cover;
pub mod diagnostic;
pub mod epub;
pub mod fonts;
pub mod highlight;
pub mod imprint;
pub mod incremental;
pub mod manifest;
pub mod markdown;
pub mod model;
pub mod names;
pub mod output;
pub mod pdf;
pub mod progress;
pub mod project;
pub mod settings;
pub mod strings;
pub mod typeset;

use std::path::Path;

/// Why a manuscript could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Project(#[from] project::ProjectError),
    #[error(transparent)]
    Markdown(#[from] markdown::MarkdownError),
}

/// What a read gives: the book, the output settings and every warning found on the way.
pub type Read = (model::Book, settings::Settings, Vec<diagnostic::Diagnostic>);

/// Reads a manuscript (folder or single file) into the model, with the output settings from
/// its configuration and every warning found on the way. Writes nothing, keeps nothing.
pub fn read_manuscript(path: &Path) -> Result<Read, ReadError> {
    read_with(path, markdown::read_book)
}

/// [`read_manuscript`], parsing only the chapter files `parses` does not hold already (and
/// keeping this read's parses in it).
pub fn read_manuscript_reusing(
    path: &Path,
    parses: &mut markdown::Parses,
) -> Result<Read, ReadError> {
    read_with(path, |project| markdown::read_book_strict(project, parses))
}

fn read_with(
    path: &Path,
    read: impl FnOnce(
        &project::Project,
    )
        -> Result<(model::Book, Vec<diagnostic::Diagnostic>), markdown::MarkdownError>,
) -> Result<Read, ReadError> {
    let project = project::Project::load(path)?;
    progress::reading(project.sources.len());
    let (book, mut warnings) = read(&project)?;
    let mut all = project.warnings;
    all.append(&mut warnings);
    Ok((book, project.config.settings, all))
}
