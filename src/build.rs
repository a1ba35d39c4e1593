//! One build: manuscript in, EPUB and/or PDF out, written as a pair (see `crate::output`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::model::pages::PageMap;
use crate::model::Book;
use crate::settings::Settings;
use crate::typeset::document::Document;

/// Which outputs to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Epub,
    Pdf,
    All,
}

impl Format {
    pub fn epub(self) -> bool {
        matches!(self, Format::Epub | Format::All)
    }
    pub fn pdf(self) -> bool {
        matches!(self, Format::Pdf | Format::All)
    }
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub manuscript: PathBuf,
    pub out_dir: PathBuf,
    pub format: Format,
    /// Treat warnings as errors: nothing is written when there are any.
    pub deny_warnings: bool,
}

/// A file the build wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    /// Time spent making this output (the shared reading time is not included).
    pub elapsed: Duration,
}

#[derive(Debug)]
pub struct BuildReport {
    pub written: Vec<Written>,
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Read(#[from] crate::ReadError),
    #[error("EPUB: {0}")]
    Epub(#[from] crate::epub::EpubError),
    #[error("PDF layout: {0}")]
    Typeset(#[from] crate::typeset::TypesetError),
    #[error("PDF: {0}")]
    Pdf(#[from] crate::pdf::PdfError),
    #[error("{}: {message}", path.display())]
    Output { path: PathBuf, message: String },
    #[error("{} warning(s) and --deny warnings: nothing was written", .0.len())]
    DeniedWarnings(Vec<Diagnostic>),
}

/// Builds the requested outputs. Nothing is written unless every requested output was made:
/// a failure leaves earlier files in `out_dir` untouched.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    // One build, nothing kept for a next one: no parse, chapter document or page is copied
    // for reuse (`incremental::Session` does that for `quire watch`, with the same writers).
    let (book, settings, warnings) = crate::read_manuscript(&options.manuscript)?;
    write_outputs(
        options,
        &book,
        &settings,
        warnings,
        |book, settings, pages| match pages {
            Some(pages) => crate::epub::write_epub_with_pages(book, settings, pages),
            None => crate::epub::write_epub(book, settings),
        },
        crate::typeset::typeset,
    )
}

/// Makes and writes the outputs of a book that has been read, with `epub` and `typeset` making
/// the EPUB (with the print edition's pages, when given) and the pages (a session's, which
/// reuse earlier work).
pub(crate) fn write_outputs(
    options: &BuildOptions,
    book: &Book,
    settings: &Settings,
    mut warnings: Vec<Diagnostic>,
    epub: impl FnOnce(&Book, &Settings, Option<&PageMap>) -> Result<Vec<u8>, crate::epub::EpubError>
        + Send,
    typeset: impl FnOnce(&Book, &Settings) -> Result<Document, crate::typeset::TypesetError> + Send,
) -> Result<BuildReport, BuildError> {
    if options.deny_warnings && !warnings.is_empty() {
        return Err(BuildError::DeniedWarnings(warnings));
    }
    let slug = output_stem(book);
    prepare_out_dir(&options.out_dir, &options.manuscript)?;

    let (epub, pdf) = if options.format.epub() && settings.page_list {
        // The EPUB marks the print edition's pages: the book is typeset first (for the page
        // map alone when no PDF is asked for), then both are written side by side.
        let (doc, set_in) = timed(|| Ok(typeset(book, settings)?));
        let doc = doc?;
        let pages = doc.page_map(edition(book, &doc));
        let (epub, pdf) = rayon::join(
            || timed(|| epub(book, settings, Some(&pages)).map_err(BuildError::from)),
            || {
                options.format.pdf().then(|| {
                    timed(|| {
                        let pdf = crate::pdf::write_pdf(&doc, &book.metadata)?;
                        Ok((pdf, doc.warnings.clone()))
                    })
                })
            },
        );
        // Without a PDF the typesetting was the EPUB's; with one, the PDF's (as without a
        // page list).
        let (epub, pdf) = match pdf {
            Some((made, elapsed)) => (epub, Some((made, elapsed + set_in))),
            None => ((epub.0, epub.1 + set_in), None),
        };
        (Some(epub), pdf)
    } else {
        // The two writers share nothing but the book: make them side by side.
        rayon::join(
            || {
                options
                    .format
                    .epub()
                    .then(|| timed(|| epub(book, settings, None).map_err(BuildError::from)))
            },
            || {
                options.format.pdf().then(|| {
                    timed(|| {
                        let doc = typeset(book, settings)?;
                        Ok((crate::pdf::write_pdf(&doc, &book.metadata)?, doc.warnings))
                    })
                })
            },
        )
    };
    let mut outputs = Vec::new();
    if let Some((bytes, elapsed)) = epub {
        outputs.push((
            options.out_dir.join(format!("{slug}.epub")),
            bytes?,
            elapsed,
        ));
    }
    if let Some((made, elapsed)) = pdf {
        // The typesetter's warnings point at the setting or the text that caused them.
        let (bytes, new) = made?;
        if options.deny_warnings && !new.is_empty() {
            return Err(BuildError::DeniedWarnings(new));
        }
        warnings.extend(new);
        outputs.push((options.out_dir.join(format!("{slug}.pdf")), bytes, elapsed));
    }
    // Both files or neither: see `crate::output`.
    let files: Vec<(PathBuf, &[u8])> = outputs
        .iter()
        .map(|(path, bytes, _)| (path.clone(), bytes.as_slice()))
        .collect();
    crate::output::write_together(&options.out_dir, &files)?;
    let written = outputs
        .into_iter()
        .map(|(path, bytes, elapsed)| Written {
            path,
            bytes: bytes.len() as u64,
            elapsed,
        })
        .collect();
    Ok(BuildReport { written, warnings })
}

/// The print edition, as the EPUB names the source of its page numbers.
fn edition(book: &Book, doc: &Document) -> String {
    let inches = |points: f32| {
        let s = format!("{:.2}", points / crate::settings::POINTS_PER_INCH);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    format!(
        "{}, print edition ({} \u{d7} {} in, {} pages)",
        book.metadata.title.trim(),
        inches(doc.width),
        inches(doc.height),
        doc.pages.len()
    )
}

fn timed<T>(f: impl FnOnce() -> Result<T, BuildError>) -> (Result<T, BuildError>, Duration) {
    let start = Instant::now();
    let r = f();
    (r, start.elapsed())
}

/// The output file name: the title as a file name (`The Rust Book` -> `the-rust-book`,
/// `S-Town` -> `s-town`, `Война и мир` -> `voina-i-mir`), at most 255 bytes with its extension;
/// `book` when the title has no letter or digit.
pub fn output_stem(book: &Book) -> String {
    let slug = crate::names::slug(&book.metadata.title);
    if slug.is_empty() {
        "book".to_string()
    } else {
        crate::names::fit(&slug, ".epub".len())
    }
}

fn prepare_out_dir(out_dir: &Path, manuscript: &Path) -> Result<(), BuildError> {
    let err = |message: &str| BuildError::Output {
        path: out_dir.to_path_buf(),
        message: message.to_string(),
    };
    if manuscript.is_file() && out_dir.canonicalize().ok() == manuscript.canonicalize().ok() {
        return Err(err(
            "the output folder is the manuscript itself: give another folder with --out",
        ));
    }
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(err("the output folder is a file: give a folder with --out"));
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| err(&format!("cannot create the output folder: {e}")))
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place, so that `path`
/// is either the old file or the complete new one, never half-written.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    Ok(crate::output::write_atomically(path, bytes)?)
}

impl From<crate::output::OutputError> for BuildError {
    fn from(e: crate::output::OutputError) -> Self {
        BuildError::Output {
            path: e.path,
            message: e.message,
        }
    }
}
