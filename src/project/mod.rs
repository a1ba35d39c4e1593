//! The manuscript on disk: where the metadata is, which chapter files there are, in what order.
//!
//! A manuscript is a folder (with `book.toml`, or `metadata.yaml`, or neither) of Markdown
//! chapter files, or one Markdown file that `markdown` splits into chapters at its headings.

pub mod config;
pub mod cover;
pub mod crawl;
pub mod dialect;
pub mod fonts;
pub mod include;
pub mod makefile;
mod metafiles;
pub mod order;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::{Matter, Metadata};
use crate::settings::Setting;
pub use config::Config;

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("{}: manuscript not found: give the folder that holds book.toml and the chapter files, or a single Markdown file", .0.display())]
    NotFound(PathBuf),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{location}: {message}")]
    Config { location: Location, message: String },
    #[error("{location}: the file is not UTF-8 text: save it as UTF-8 (this is where the first invalid byte is)")]
    NotUtf8 { location: Location },
    #[error("{}: no Markdown chapter files (*.md) here: add some, or list them in SUMMARY.md or `[manuscript] chapters` in book.toml", .0.display())]
    NoChapters(PathBuf),
    #[error("{location}: chapter file `{}` does not exist", path.display())]
    MissingChapter { location: Location, path: PathBuf },
    #[error("{location}: chapter file `{}` is outside the manuscript folder: chapters must live inside it", path.display())]
    OutsideManuscript { location: Location, path: PathBuf },
    /// An mdBook directive that cannot be expanded: a missing file, range or anchor, a path
    /// leading out of the book, includes nested too deep.
    #[error("{location}: {message}")]
    Include { location: Location, message: String },
    #[error("{location}: the book has no title: {hint}")]
    MissingTitle {
        location: Location,
        hint: &'static str,
    },
}

impl ProjectError {
    /// The diagnostic code of this error.
    pub fn code(&self) -> Code {
        match self {
            ProjectError::NotFound(_) => Code::ManuscriptNotFound,
            ProjectError::Io { .. } => Code::UnreadableFile,
            ProjectError::Config { .. } => Code::InvalidConfig,
            ProjectError::NotUtf8 { .. } => Code::NotUtf8,
            ProjectError::NoChapters(_) => Code::NoChapters,
            ProjectError::MissingChapter { .. } => Code::MissingChapter,
            ProjectError::OutsideManuscript { .. } => Code::ChapterOutsideManuscript,
            ProjectError::MissingTitle { .. } => Code::MissingTitle,
            ProjectError::Include { .. } => Code::BadInclude,
        }
    }
}

/// What makes a folder a manuscript `quire build` finds by itself (as mdBook builds the folder
/// it is run in): a configuration file or a SUMMARY.md.
pub const MANUSCRIPT_MARKERS: &[&str] = &[
    "book.toml",
    "metadata.yaml",
    "metadata.yml",
    "SUMMARY.md",
    "src/SUMMARY.md",
];

/// The manuscript of a command given none: the folder `cwd` when it holds one of
/// [`MANUSCRIPT_MARKERS`], else its `manuscript` folder (what `quire init` makes).
pub fn default_manuscript(cwd: &Path) -> PathBuf {
    if MANUSCRIPT_MARKERS.iter().any(|m| cwd.join(m).is_file()) {
        cwd.to_path_buf()
    } else if cwd == Path::new(".") {
        PathBuf::from("manuscript")
    } else {
        cwd.join("manuscript")
    }
}

/// One chapter file, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub path: PathBuf,
    /// The Markdown, without a byte-order mark or YAML front matter.
    pub text: String,
    /// Line of the file on which `text` starts (front matter shifts it), 1-based.
    pub first_line: usize,
    pub matter: Matter,
    /// A title given from outside the file (`{{#title}}`, else SUMMARY.md), used when the
    /// file has no heading.
    pub title: Option<String>,
    /// Where each line of `text` came from, when mdBook directives (`{{#include}}`) were
    /// expanded in it; `None` when `text` is the file's own.
    pub lines: Option<include::LineMap>,
    /// Nesting in SUMMARY.md: 1 for a top-level chapter (and for every chapter of a book
    /// without SUMMARY.md).
    pub level: u8,
    /// The SUMMARY.md part it belongs to: an index into `Project::parts`.
    pub part: Option<usize>,
}

/// A manuscript, read from disk and ready to be parsed.
#[derive(Debug, Clone)]
pub struct Project {
    /// The manuscript folder (the parent folder when a single file was given).
    pub root: PathBuf,
    pub config: Config,
    pub metadata: Metadata,
    pub sources: Vec<Source>,
    /// True when one file holds the whole book and must be split at its headings.
    pub single_file: bool,
    pub warnings: Vec<Diagnostic>,
    /// SUMMARY.md's part titles (`# Part 1`), in order; each heads the sources that name it.
    pub parts: Vec<String>,
    /// The Markdown the chapters are written in: `[manuscript] dialect`, else guessed.
    pub dialect: dialect::Dialect,
}

/// pandoc: a chapter file's own `title:` (in its YAML front matter) titles its chapter when
/// no heading opens the file, as pandoc authors' tools make it the chapter's heading. The
/// rest of a chapter's front matter is the author's tools' business: not reported here.
fn front_matter_titles(sources: &mut [Source], fronts: &[Option<(String, usize)>]) {
    for (source, front) in sources.iter_mut().zip(fronts) {
        let Some((yaml, line)) = front else { continue };
        if source.title.is_none() {
            if let Ok((c, _)) = config::read_yaml(&source.path, yaml, *line) {
                source.title = c.metadata.title;
            }
        }
    }
}

/// Whether the configuration is pandoc-style YAML metadata (`metadata.yaml`, front matter).
fn is_yaml(config: &Config) -> bool {
    config.file.as_ref().is_some_and(|f| {
        f.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
    })
}

impl Project {
    /// Reads the manuscript at `path`: a folder or a single Markdown file.
    pub fn load(path: &Path) -> Result<Project, ProjectError> {
        let meta =
            std::fs::metadata(path).map_err(|_| ProjectError::NotFound(path.to_path_buf()))?;
        let mut warnings = Vec::new();
        if meta.is_file() {
            let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let (mut source, front) = read_source(path, Matter::Body, None)?;
            let has_front = front.is_some();
            expand_includes(&mut source, &root, &mut warnings)?;
            let base = metafiles::read_base(&root, &mut warnings)?;
            let mut files = base.files(&root);
            files.push(path.to_path_buf());
            let fronts = front_sources(std::slice::from_ref(&source), vec![front]);
            // The file's own front matter is its metadata; a book.toml beside it is the
            // metadata only when the file has none.
            let config = match base {
                metafiles::Base::Toml(c) if fronts.is_empty() => *c,
                metafiles::Base::Toml(_) => {
                    metafiles::Base::None.finish(fronts, path, &mut warnings)?
                }
                base => base.finish(fronts, path, &mut warnings)?,
            };
            source.matter = Matter::Body;
            let metadata = finish_metadata(&config, newest(&files), &mut warnings)?;
            let dialect = config
                .dialect
                .unwrap_or_else(|| dialect::Dialect::guess(is_yaml(&config), has_front, false));
            return Ok(Project {
                root,
                config,
                metadata,
                sources: vec![source],
                single_file: true,
                warnings,
                parts: Vec::new(),
                dialect,
            });
        }

        let root = path.to_path_buf();
        let base = metafiles::read_base(&root, &mut warnings)?;
        let config = base.provisional()?;
        let src_dir = match config.as_ref().and_then(|c| c.src.as_deref()) {
            Some(src) => {
                let dir = root.join(src);
                if !dir.is_dir() {
                    return Err(ProjectError::Config {
                        location: config_origin(config.as_ref(), &root, Setting::Src),
                        message: format!("`src = \"{src}\"`: there is no folder {}", dir.display()),
                    });
                }
                dir
            }
            None if root.join("src").join("SUMMARY.md").is_file() => root.join("src"),
            None => root.clone(),
        };

        let summary_path = src_dir.join("SUMMARY.md");
        let mut listed: Vec<Listed> = Vec::new();
        let mut parts = Vec::new();
        // mdBook's SUMMARY.md may open with the book's title (`# The Rust Programming
        // Language`): the title when no configuration gives one (never the usual `# Summary`).
        let mut summary_title = None;
        let explicit = if summary_path.is_file() {
            let text = read_text(&summary_path)?;
            let summary = order::read_summary(&text);
            summary_title = summary
                .title
                .clone()
                .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("summary"));
            summary_notes(&summary, &summary_path, &mut warnings);
            parts = summary.parts.iter().map(|p| p.title.clone()).collect();
            for e in summary.entries {
                listed.push(Listed {
                    file: src_dir.join(&e.path),
                    matter: e.matter,
                    title: Some(e.title),
                    location: Location::at(&summary_path, e.line, 1),
                    level: e.level,
                    part: e.part,
                });
            }
            true
        } else if let Some(chapters) = config.as_ref().and_then(|c| c.chapters.as_ref()) {
            let at = config_origin(config.as_ref(), &root, Setting::Chapters);
            for c in chapters {
                listed.push(Listed::body(src_dir.join(c), at.clone()));
            }
            true
        } else if let Some(pages) =
            crawl_order(&src_dir, config.as_ref(), base.is_pandoc(), &mut warnings)
        {
            for page in pages {
                let file = src_dir.join(page);
                let loc = Location::file(&file);
                listed.push(Listed::body(file, loc));
            }
            true
        } else {
            let files = order::markdown_files(&src_dir).map_err(|source| ProjectError::Io {
                path: src_dir.clone(),
                source,
            })?;
            for f in files {
                let loc = Location::file(&f);
                listed.push(Listed::body(f, loc));
            }
            false
        };
        if listed.is_empty() {
            return Err(ProjectError::NoChapters(src_dir));
        }

        let canonical_root = root.canonicalize().map_err(|source| ProjectError::Io {
            path: root.clone(),
            source,
        })?;
        let mut sources = Vec::with_capacity(listed.len());
        let mut fronts = Vec::with_capacity(listed.len());
        for Listed {
            file,
            matter,
            title,
            location,
            level,
            part,
        } in listed
        {
            if !file.is_file() {
                return Err(ProjectError::MissingChapter {
                    location,
                    path: file,
                });
            }
            let inside = file
                .canonicalize()
                .map(|c| c.starts_with(&canonical_root))
                .unwrap_or(false);
            if !inside {
                return Err(ProjectError::OutsideManuscript {
                    location,
                    path: file,
                });
            }
            let (mut source, front) = read_source(&file, matter, title)?;
            source.level = level;
            source.part = part;
            expand_includes(&mut source, &root, &mut warnings)?;
            fronts.push(front);
            sources.push(source);
        }

        // The chapters' front matter is merged as pandoc merges it (see `metafiles`). A folder
        // with no book.toml or metadata.yaml and one chapter is that chapter's book, as the
        // file alone would be: what is missing is reported against that file, never a
        // book.toml that does not exist.
        drop(config);
        let mut files = base.files(&root);
        files.extend(sources.iter().map(|s| s.path.clone()));
        let has_front = fronts.iter().any(Option::is_some);
        let pandoc_base = base.is_pandoc();
        let raw_fronts = fronts.clone();
        let fronts = front_sources(&sources, fronts);
        let mut config = base.finish(fronts, &root, &mut warnings)?;
        if config.metadata.title.is_none() {
            config.metadata.title = summary_title;
        }
        let metadata = finish_metadata(&config, newest(&files), &mut warnings)?;
        let single_file = sources.len() == 1 && !explicit;
        let dialect = config.dialect.unwrap_or_else(|| {
            let yaml_beside = ["metadata.yaml", "metadata.yml"]
                .iter()
                .any(|n| root.join(n).is_file());
            dialect::Dialect::guess(
                yaml_beside || pandoc_base || is_yaml(&config),
                has_front,
                summary_path.is_file(),
            )
        });
        if dialect == dialect::Dialect::Pandoc {
            front_matter_titles(&mut sources, &raw_fronts);
        }
        Ok(Project {
            root,
            config,
            metadata,
            sources,
            single_file,
            warnings,
            parts,
            dialect,
        })
    }

    /// Where a place in a chapter's text (as the reader counts lines) is in the manuscript:
    /// the chapter file's own line, or the line of a file `{{#include}}` brought in.
    pub fn locate(&self, location: &Location) -> Location {
        let Some(line) = location.line else {
            return location.clone();
        };
        self.sources
            .iter()
            .find(|s| s.path == location.file)
            .and_then(|s| s.lines.as_ref())
            .and_then(|map| map.locate(line, location.column))
            .unwrap_or_else(|| location.clone())
    }

    /// The book's parts: each SUMMARY.md part title with the chapters (indexes into
    /// `chapters`, made from this project's sources) it heads. A part left with no chapter
    /// (all drafts) is left out.
    pub fn book_parts(&self, chapters: &[crate::model::Chapter]) -> Vec<crate::model::Part> {
        let mut out: Vec<crate::model::Part> = Vec::new();
        let mut last = None;
        for (index, chapter) in chapters.iter().enumerate() {
            let part = self
                .sources
                .iter()
                .find(|s| s.path == chapter.source)
                .and_then(|s| s.part);
            let Some(part) = part else { continue };
            match out.last_mut() {
                Some(p) if last == Some(part) => p.chapters.end = index + 1,
                _ => out.push(crate::model::Part {
                    title: self.parts.get(part).cloned().unwrap_or_default(),
                    chapters: index..index + 1,
                }),
            }
            last = Some(part);
        }
        out
    }
}

/// The reading order of linked pages (see `crawl`): for a pandoc-style manuscript (the
/// `pandoc` dialect set, or not set and the metadata pandoc's, or front matter in the root
/// document) whose root `readme.md` / `index.md` links to other pages of it, reaching at
/// least half of its `.md` files (else it is a readme, not a crawler's root). The pages no
/// link reaches are left out, each with a warning: the author's crawler leaves them out too
/// (they are a licence, credits, notes to oneself), and a page that belongs in the book is
/// one link away.
fn crawl_order(
    dir: &Path,
    config: Option<&Config>,
    pandoc_base: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Vec<String>> {
    let start = crawl::root_document(dir)?;
    let pandoc = match config.and_then(|c| c.dialect) {
        Some(d) => d == dialect::Dialect::Pandoc,
        None => {
            pandoc_base
                || std::fs::read_to_string(dir.join(&start))
                    .is_ok_and(|t| config::split_front_matter(&t).is_some())
        }
    };
    if !pandoc {
        return None;
    }
    let (pages, found) = crawl::crawl(dir, &start);
    let all = crawl::all_pages(dir);
    // A readme that links to a page or two of a folder of chapters (`see CONTRIBUTING.md`)
    // is no crawler's root: the links must reach most of the pages.
    if pages.len() < 2 || pages.len() * 2 < all.len() {
        return None;
    }
    warnings.extend(found);
    for page in all {
        if !pages.contains(&page) && page != "SUMMARY.md" {
            warnings.push(
                Diagnostic::warning(
                    Code::ReadingOrder,
                    Location::file(dir.join(&page)),
                    format!("no link from {start} reaches {page}: it is left out of the book"),
                )
                .with_help(format!(
                    "link to it from {start} or a page it links to, if it belongs in the book"
                )),
            );
        }
    }
    Some(pages)
}

/// A chapter file as SUMMARY.md, `chapters` or the folder lists it.
struct Listed {
    file: PathBuf,
    matter: Matter,
    title: Option<String>,
    location: Location,
    level: u8,
    part: Option<usize>,
}

impl Listed {
    fn body(file: PathBuf, location: Location) -> Listed {
        Listed {
            file,
            matter: Matter::Body,
            title: None,
            location,
            level: 1,
            part: None,
        }
    }
}

/// What SUMMARY.md names that does not become a chapter: said, never silently dropped.
fn summary_notes(summary: &order::Summary, path: &Path, warnings: &mut Vec<Diagnostic>) {
    for skip in &summary.skipped {
        let message = match &skip.external {
            Some(url) => format!(
                "`[{}]({url})` links out of the book: it is not a chapter and is left out",
                skip.title
            ),
            None => format!(
                "`[{}]()` is a draft chapter (it has no file): it is left out of the book, as mdBook leaves it out",
                skip.title
            ),
        };
        warnings.push(Diagnostic::warning(
            Code::SkippedSummaryEntry,
            Location::at(path, skip.line, 1),
            message,
        ));
    }
    for (i, part) in summary.parts.iter().enumerate() {
        if !summary.entries.iter().any(|e| e.part == Some(i)) {
            warnings.push(Diagnostic::warning(
                Code::SkippedSummaryEntry,
                Location::at(path, part.line, 1),
                format!(
                    "part `{}` has no chapters (only drafts, or none): it is left out",
                    part.title
                ),
            ));
        }
    }
}

/// Expands mdBook's directives in a chapter's text (see `include`).
fn expand_includes(
    source: &mut Source,
    root: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), ProjectError> {
    let expanded = include::expand(&source.path, &source.text, source.first_line, root)?;
    source.text = expanded.text;
    source.lines = expanded.lines;
    if expanded.title.is_some() {
        source.title = expanded.title;
    }
    warnings.extend(expanded.warnings);
    Ok(())
}

/// Where to point for `setting` before the configuration is complete: its key, else the
/// configuration file, else the manuscript folder.
fn config_origin(config: Option<&Config>, root: &Path, setting: Setting) -> Location {
    config.map_or_else(|| Location::file(root), |c| c.settings.origins.of(setting))
}

/// The front matter of each source that has one, in reading order.
fn front_sources(
    sources: &[Source],
    fronts: Vec<Option<(String, usize)>>,
) -> Vec<config::YamlSource> {
    sources
        .iter()
        .zip(fronts)
        .filter_map(|(s, f)| {
            f.map(|(yaml, first_line)| config::YamlSource {
                path: s.path.clone(),
                yaml,
                first_line,
            })
        })
        .collect()
}

/// The newest modification time of `files`: the book's last change, which the EPUB's
/// `dcterms:modified` and the PDF's dates record when nothing else says when it was made.
fn newest(files: &[PathBuf]) -> Option<DateTime<Utc>> {
    files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok()?.modified().ok())
        .max()
        .map(DateTime::<Utc>::from)
}

/// Reads a file as UTF-8 text, without a byte-order mark, with old Mac line ends (a CR alone)
/// made LF (every later stage splits lines at LF; the length, so every column, is unchanged).
pub fn read_text(path: &Path) -> Result<String, ProjectError> {
    let bytes = std::fs::read(path).map_err(|source| ProjectError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..'\u{feff}'.len_utf8());
            }
            Ok(lone_cr_to_lf(s))
        }
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            let (line, column) = crate::diagnostic::line_column(&prefix, prefix.len());
            Err(ProjectError::NotUtf8 {
                location: Location::at(path, line, column),
            })
        }
    }
}

/// `a\rb` -> `a\nb`; `\r\n` is kept.
fn lone_cr_to_lf(s: String) -> String {
    if !s.contains('\r') {
        return s;
    }
    let mut bytes = s.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // Only an ASCII byte was replaced by another.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Reads a chapter file, splitting off YAML front matter (returned with its first line).
fn read_source(
    path: &Path,
    matter: Matter,
    title: Option<String>,
) -> Result<(Source, Option<(String, usize)>), ProjectError> {
    let text = read_text(path)?;
    let (text, first_line, front) = match config::split_front_matter(&text) {
        Some((yaml, line, body)) => {
            let consumed = text.len() - body.len();
            let first = text[..consumed].matches('\n').count() + 1;
            (body.to_string(), first, Some((yaml.to_string(), line)))
        }
        None => (text, 1, None),
    };
    Ok((
        Source {
            path: path.to_path_buf(),
            text,
            first_line,
            matter,
            title,
            lines: None,
            level: 1,
            part: None,
        },
        front,
    ))
}

/// Fills in what the author left out, warning where a reader or store would notice.
fn finish_metadata(
    config: &Config,
    newest: Option<DateTime<Utc>>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Metadata, ProjectError> {
    let raw = &config.metadata;
    let origins = &config.settings.origins;
    let title = raw.title.clone().filter(|t| !t.trim().is_empty()).ok_or(ProjectError::MissingTitle {
        location: origins.of(Setting::Title),
        hint: "add `title = \"...\"` under [book] in book.toml (or `title:` in metadata.yaml or the front matter)",
    })?;
    let language = match raw.language.clone().filter(|l| is_language_tag(l)) {
        Some(l) => l,
        None => {
            warnings.push(match &raw.language {
                Some(l) => Diagnostic::warning(
                    Code::InvalidLanguage,
                    origins.of(Setting::Language),
                    format!("`{l}` is not a language tag such as `en` or `en-GB`; using `en`"),
                ),
                None => Diagnostic::warning(
                    Code::MissingLanguage,
                    origins.of(Setting::Language),
                    "no language given; using `en`: set `language` under [book]",
                ),
            });
            "en".to_string()
        }
    };
    // An edition's ISBN identifies the book when nothing else does (the print one: the
    // ebook's package takes its own, see `Metadata::ebook_identifier`).
    let edition_isbn = raw
        .print_isbn
        .as_ref()
        .or(raw.ebook_isbn.as_ref())
        .map(|i| format!("urn:isbn:{i}"));
    let identifier = match raw
        .identifier
        .clone()
        .filter(|i| !i.trim().is_empty())
        .or(edition_isbn)
    {
        Some(i) => i,
        None => {
            let id = uuid::Uuid::new_v5(
                &uuid::Uuid::NAMESPACE_URL,
                format!("quire:{}:{}", title, raw.authors.join(";")).as_bytes(),
            );
            warnings.push(Diagnostic::warning(
                Code::MissingIdentifier,
                origins.of(Setting::Identifier),
                format!(
                    "no identifier given; using urn:uuid:{id} (made from the title): set `identifier` under [metadata] so it stays the same if the title changes"
                ),
            ));
            format!("urn:uuid:{id}")
        }
    };
    let date = match &raw.date {
        Some(d) if parse_date(d).is_some() => Some(d.clone()),
        Some(d) => {
            warnings.push(Diagnostic::warning(
                Code::InvalidDate,
                origins.of(Setting::Date),
                format!(
                    "date `{d}` is not a date such as 2025, 2025-05 or 2025-05-06; it is left out"
                ),
            ));
            None
        }
        None => None,
    };
    let modified =
        modified_date(raw.modified.as_deref(), newest).map_err(|message| ProjectError::Config {
            location: origins.of(Setting::Modified),
            message,
        })?;
    Ok(Metadata {
        title,
        subtitle: raw.subtitle.clone(),
        authors: raw
            .authors
            .iter()
            .filter(|a| !a.trim().is_empty())
            .cloned()
            .collect(),
        language,
        identifier,
        date,
        publisher: raw.publisher.clone(),
        rights: raw.rights.clone(),
        description: raw.description.clone(),
        modified,
        contributors: raw
            .contributors
            .iter()
            .filter(|c| !c.name.trim().is_empty())
            .cloned()
            .collect(),
        isbns: crate::model::Isbns {
            print: raw.print_isbn.clone().or_else(|| raw.isbn.clone()),
            ebook: raw.ebook_isbn.clone().or_else(|| raw.isbn.clone()),
        },
        other_identifiers: raw.other_identifiers.clone(),
        series: raw.series.clone(),
        subjects: raw.subjects.clone(),
        // Rendered from their Markdown by the reader (`markdown::prose`).
        rights_inlines: Vec::new(),
        description_inlines: Vec::new(),
    })
}

/// The instant recorded as the book's last modification (`dcterms:modified`, the PDF's
/// CreationDate and ModDate). Never the clock unless the author writes `modified = "now"`:
/// the same manuscript must give the same bytes; never the publication date either (a book
/// first published in 1813 was not made in 1813). Order: `modified`, then
/// `SOURCE_DATE_EPOCH` (the reproducible-builds convention), then `newest`, the time the
/// manuscript's files were last changed, then 2000-01-01.
fn modified_date(
    modified: Option<&str>,
    newest: Option<DateTime<Utc>>,
) -> Result<DateTime<Utc>, String> {
    if let Some(m) = modified {
        if m.trim().eq_ignore_ascii_case("now") {
            return Ok(Utc::now().with_timezone(&Utc));
        }
        return parse_date(m).ok_or_else(|| {
            format!("modified `{m}` is not a date such as 2025-05-06T12:00:00Z, or \"now\"")
        });
    }
    // Set but empty is unset, as CI scripts that export it blank mean it.
    if let Some(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .filter(|e| !e.trim().is_empty())
    {
        let secs: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"))?;
        // EPUB dates have four-digit years.
        return Utc
            .timestamp_opt(secs, 0)
            .single()
            .filter(|d| (0..=9999).contains(&d.year()))
            .ok_or_else(|| {
                format!("SOURCE_DATE_EPOCH `{epoch}` is out of range: give a time between the years 0 and 9999 in seconds since 1970")
            });
    }
    // Whole seconds: EPUB's `dcterms:modified` has no fractions.
    if let Some(d) = newest.and_then(|d| Utc.timestamp_opt(d.timestamp(), 0).single()) {
        return Ok(d);
    }
    Ok(Utc
        .with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default())
}

/// Parses W3C dates (`2025`, `2025-05`, `2025-05-06`, RFC 3339).
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = match parts.as_slice() {
        [y] => (num(y, 4)?, 1, 1),
        [y, m] => (num(y, 4)?, num(m, 2)?, 1),
        [y, m, d] => (num(y, 4)?, num(m, 2)?, num(d, 2)?),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
    Some(Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0)?))
}

/// A loose BCP 47 check: letters, digits and hyphens, starting with a 2-3 letter language.
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_at_every_precision() {
        assert_eq!(
            parse_date("1813").unwrap().to_rfc3339(),
            "1813-01-01T00:00:00+00:00"
        );
        assert_eq!(
            parse_date("2025-05").unwrap().to_rfc3339(),
            "2025-05-01T00:00:00+00:00"
        );
        assert!(parse_date("2025-5-1").is_none());
        assert!(parse_date("May 2025").is_none());
        assert!(parse_date("2025-02-30").is_none());
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("en-GB"));
        assert!(!is_language_tag("English"));
        assert!(!is_language_tag(""));
    }
}
