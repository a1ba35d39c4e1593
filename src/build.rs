//! One build: manuscript in, EPUB and/or PDF out, written as a pair (see `crate::output`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::artwork::{ArtData, Artwork};
use crate::diagnostic::{Code, Diagnostic};
use crate::manifest::Role;
use crate::model::pages::PageMap;
use crate::model::Book;
use crate::settings::{Cover, Setting, Settings};
use crate::typeset::document::Document;

/// Which outputs to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Epub,
    Pdf,
    All,
    /// The print cover alone (`<slug>-cover.pdf`): back, spine and front for the printer.
    Cover,
}

impl Format {
    pub fn epub(self) -> bool {
        matches!(self, Format::Epub | Format::All)
    }
    pub fn pdf(self) -> bool {
        matches!(self, Format::Pdf | Format::All)
    }
    pub fn cover(self) -> bool {
        matches!(self, Format::Cover)
    }
    /// Whether the interior is set (for the PDF, or for the cover's trim and page count).
    fn typeset(self) -> bool {
        self.pdf() || self.cover()
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
    #[error("cover: {0}")]
    Cover(String),
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
    let format = options.format;
    if format.cover() && settings.cover == Cover::Off {
        return Err(BuildError::Cover(format!(
            "{}: `cover = false`, so there is no front to print: give the cover image (`cover = \"cover.jpg\"`), or remove the line for a placeholder",
            settings.origins.of(Setting::Cover)
        )));
    }
    let uses_cover = format.epub() || format.cover() || (format.pdf() && settings.pdf_cover);
    if uses_cover && settings.cover == Cover::Auto {
        warnings.push(placeholder_warning(settings));
    }
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
    let (epub, pdf) = if format.epub() && settings.page_list {
        // The EPUB marks the print edition's pages: the book is typeset first (for the page
        // map alone when no PDF is asked for), then both are written side by side.
        let (doc, set_in) = timed(|| Ok(typeset(book, settings)?));
        let doc = doc?;
        let pages = doc.page_map(edition(book, &doc));
        let (epub, pdf) = rayon::join(
            || timed(|| epub(book, settings, Some(&pages)).map_err(BuildError::from)),
            || {
                format
                    .typeset()
                    .then(|| timed(|| print_files(book, settings, format, &doc)))
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
                format
                    .epub()
                    .then(|| timed(|| epub(book, settings, None).map_err(BuildError::from)))
            },
            || {
                format.typeset().then(|| {
                    timed(|| {
                        let doc = typeset(book, settings)?;
                        print_files(book, settings, format, &doc)
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
            Role::Epub,
        ));
    }
    if let Some((made, elapsed)) = pdf {
        // The typesetter's warnings point at the setting or the text that caused them.
        let (interior, wrap, new) = made?;
        if options.deny_warnings && !new.is_empty() {
            return Err(BuildError::DeniedWarnings(new));
        }
        warnings.extend(new);
        if let Some(bytes) = interior {
            let path = options.out_dir.join(format!("{slug}.pdf"));
            outputs.push((path, bytes, elapsed, Role::Pdf));
        }
        if let Some(bytes) = wrap {
            let name = format!("{}-cover.pdf", crate::names::fit(&slug, "-cover.pdf".len()));
            outputs.push((options.out_dir.join(name), bytes, elapsed, Role::Cover));
        }
    }
    crate::progress::saving();
    // Both files or neither: see `crate::output`.
    let files: Vec<(PathBuf, &[u8], Role)> = outputs
        .iter()
        .map(|(path, bytes, _, role)| (path.clone(), bytes.as_slice(), *role))
        .collect();
    let stale = crate::output::write_book(&options.out_dir, &files, &options.manuscript)?;
    let written = outputs
        .into_iter()
        .map(|(path, bytes, elapsed, _)| Written {
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

/// The print-side files of a typeset book: the interior PDF (with the cover first when
/// `[pdf] cover` says so) and the print cover wrap, as `format` asks, and the typesetter's
/// warnings with the cover's.
#[allow(clippy::type_complexity)]
fn print_files(
    book: &Book,
    settings: &Settings,
    format: Format,
    doc: &Document,
) -> Result<(Option<Vec<u8>>, Option<Vec<u8>>, Vec<Diagnostic>), BuildError> {
    let mut warnings = doc.warnings.clone();
    let interior = if format.pdf() {
        let cover = match settings.pdf_cover {
            true => front_art(book, settings, doc.width, doc.height)?,
            false => None,
        };
        Some(crate::pdf::write_pdf_with_cover(
            doc,
            &book.metadata,
            cover.as_ref(),
        )?)
    } else {
        None
    };
    let wrap = if format.cover() {
        let (bytes, notes) = print_cover(book, settings, doc)?;
        warnings.extend(notes);
        Some(bytes)
    } else {
        None
    };
    Ok((interior, wrap, warnings))
}

/// The warning that the book has no cover of its own.
fn placeholder_warning(settings: &Settings) -> Diagnostic {
    Diagnostic::warning(
        Code::NoCover,
        settings.origins.of(Setting::Cover),
        "no cover image: quire drew a placeholder cover (title, subtitle and authors on a plain ground); stores want a designed one",
    )
    .with_help("set `cover = \"cover.jpg\"` under [book] (a JPEG or PNG of 1600 x 2560 pixels), or `cover = false` for none")
}

/// The front cover at `width` x `height` points: the author's image, or the placeholder drawn
/// at that size; `None` with `cover = false`.
fn front_art(
    book: &Book,
    settings: &Settings,
    width: f32,
    height: f32,
) -> Result<Option<Artwork>, BuildError> {
    match &settings.cover {
        Cover::Off => Ok(None),
        Cover::Image(path) => crate::artwork::load_file(path, "cover")
            .map(Some)
            .map_err(BuildError::Cover),
        Cover::Auto => {
            let svg = crate::cover::front_svg(&book.metadata, &settings.fonts, width, height);
            // A drawing: the PDF writer draws it as vector paths.
            Ok(Some(Artwork {
                name: "cover".into(),
                width: width.ceil() as u32,
                height: height.ceil() as u32,
                natural: (width, height),
                data: ArtData::Svg(std::sync::Arc::new(drawing(&svg, settings)?)),
            }))
        }
    }
}

/// A cover drawing, its text turned into outlines of the book's faces.
fn drawing(svg: &str, settings: &Settings) -> Result<resvg::usvg::Tree, BuildError> {
    crate::cover::parse(svg, &settings.fonts).map_err(|e| BuildError::Cover(e.to_string()))
}

/// The print cover of the interior `doc`: its trim, its page count on the book's paper, and
/// what the author should know about it.
fn print_cover(
    book: &Book,
    settings: &Settings,
    doc: &Document,
) -> Result<(Vec<u8>, Vec<Diagnostic>), BuildError> {
    use crate::cover::wrap::{self, Wrap};
    use crate::pdf::cover::{Area, Sheet};
    let trim = crate::settings::TrimSize {
        width: doc.width,
        height: doc.height,
    };
    let geometry = Wrap::new(trim, doc.pages.len(), settings.paper);
    let image = match &settings.cover {
        Cover::Image(path) => {
            Some(crate::artwork::load_file(path, "cover").map_err(BuildError::Cover)?)
        }
        _ => None,
    };
    let palette = crate::cover::palette(&book.metadata);
    let (svg, notes) = wrap::svg(
        &geometry,
        &book.metadata,
        &settings.fonts,
        palette,
        image.is_none(),
    );
    let tree = drawing(&svg, settings)?;
    // The front panel and its bleed, y up.
    let f = geometry.front_with_bleed();
    let front = Area {
        x: f.x,
        y: geometry.height() - f.y - f.height,
        width: f.width,
        height: f.height,
    };
    let sheet = Sheet {
        width: geometry.width(),
        height: geometry.height(),
        trim: Area {
            x: geometry.bleed,
            y: geometry.bleed,
            width: geometry.width() - 2.0 * geometry.bleed,
            height: trim.height,
        },
        drawing: Some(&tree),
        image: image.as_ref().map(|i| (i, front)),
    };
    let bytes = crate::pdf::cover::write_sheet(&sheet, &book.metadata)?;
    let mut warnings: Vec<Diagnostic> = notes
        .into_iter()
        .map(|n| {
            Diagnostic::warning(
                Code::PrintCover,
                settings.origins.of(Setting::Description),
                n,
            )
        })
        .collect();
    if doc.pages.len() < wrap::MIN_PAGES {
        warnings.push(Diagnostic::warning(
            Code::PrintCover,
            settings.origins.of(Setting::TrimSize),
            format!(
                "the interior has {} pages: KDP Print and IngramSpark bind paperbacks of {} pages or more",
                doc.pages.len(),
                wrap::MIN_PAGES
            ),
        ));
    }
    Ok((bytes, warnings))
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
