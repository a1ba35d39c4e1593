//! One build: manuscript in, EPUB and/or PDF out, written as a pair (see `crate::output`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
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
    /// The outputs' file name without extension (`--name`); `None`: `[output] name`, else
    /// the title's slug ([`output_stem`]).
    pub name: Option<String>,
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
    /// Outputs of this book's earlier names found in the output folder (removed, or kept
    /// because they changed since quire wrote them): see `crate::manifest`.
    pub stale: Vec<crate::manifest::Stale>,
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
        crate::epub::write_epub,
        crate::typeset::typeset,
    )
}

/// Makes and writes the outputs of a book that has been read, with `epub` and `typeset` making
/// the EPUB and the pages (a session's, which reuse earlier work).
pub(crate) fn write_outputs(
    options: &BuildOptions,
    book: &Book,
    settings: &Settings,
    mut warnings: Vec<Diagnostic>,
    epub: impl FnOnce(&Book, &Settings) -> Result<Vec<u8>, crate::epub::EpubError> + Send,
    typeset: impl FnOnce(&Book, &Settings) -> Result<Document, crate::typeset::TypesetError> + Send,
) -> Result<BuildReport, BuildError> {
    if options.deny_warnings && !warnings.is_empty() {
        return Err(BuildError::DeniedWarnings(warnings));
    }
    let slug = match options.name.as_ref().or(settings.output_name.as_ref()) {
        Some(name) => name.clone(),
        None => output_stem(book),
    };
    prepare_out_dir(&options.out_dir, &options.manuscript)?;

    crate::progress::making(
        book.chapters.len(),
        options.format.epub(),
        options.format.pdf(),
    );
    // The two writers share nothing but the book: make them side by side.
    let (epub, pdf) = rayon::join(
        || {
            options
                .format
                .epub()
                .then(|| timed(|| epub(book, settings).map_err(BuildError::from)))
        },
        || {
            options.format.pdf().then(|| {
                timed(|| {
                    let doc = typeset(book, settings)?;
                    Ok((crate::pdf::write_pdf(&doc, &book.metadata)?, doc.warnings))
                })
            })
        },
    );
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
    crate::progress::saving();
    // Both files or neither: see `crate::output`.
    let files: Vec<(PathBuf, &[u8])> = outputs
        .iter()
        .map(|(path, bytes, _)| (path.clone(), bytes.as_slice()))
        .collect();
    let stale = crate::output::write_book(&options.out_dir, &files, &options.manuscript)?;
    let written = outputs
        .into_iter()
        .map(|(path, bytes, elapsed)| Written {
            path,
            bytes: bytes.len() as u64,
            elapsed,
        })
        .collect();
    Ok(BuildReport {
        written,
        warnings,
        stale,
    })
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

/// Checks an output name (`--name`, `[output] name`): a plain file name without extension,
/// which every file system and store accepts. The error says what to write instead.
pub fn check_output_name(name: &str) -> Result<(), String> {
    let lower = name.to_ascii_lowercase();
    let problem = if name.trim().is_empty() {
        "is empty"
    } else if name.contains(['/', '\\']) {
        "has a `/` or `\\`: give a file name, and the folder with --out"
    } else if name.starts_with('.') {
        "starts with `.` (a hidden file)"
    } else if lower.ends_with(".epub") || lower.ends_with(".pdf") {
        "ends with `.epub` or `.pdf`: give the name without extension (quire adds them)"
    } else if name
        .chars()
        .any(|c| c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
    {
        "has a control character or one of `:*?\"<>|`, which some file systems refuse"
    } else if name.len() + ".epub".len() > 255 {
        "is longer than 250 bytes"
    } else if name.trim() != name {
        "starts or ends with a space"
    } else {
        return Ok(());
    };
    Err(format!("output name `{name}` {problem}"))
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
