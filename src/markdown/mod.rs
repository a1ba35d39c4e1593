//! Markdown -> model: parse each chapter file (its raw HTML once, `runs`; its figures,
//! `figure`), split into chapters, give every chapter and heading (wherever it is) a
//! book-unique id, number footnotes per chapter, resolve links and, last, lower raw HTML for
//! writers that do not write HTML (`raw`). Every pass walks the model with `model::visit`.

pub mod attrs;
pub mod convert;
pub mod figure;
pub mod glyphs;
pub mod html;
pub mod images;
pub mod links;
pub mod listing;
pub mod pandoc;
pub mod prose;
pub mod raw;
mod rawinfo;
pub mod runs;
pub mod rustdoc;
mod shown;
pub mod slug;
pub mod svg;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::visit::{self, VisitMut};
use crate::model::{Block, Book, Chapter, Footnote, Heading, Inline};
use crate::project::{Project, Source};
use convert::Parsed;
use slug::{is_valid_id, slugify, IdSet};

#[derive(Debug, thiserror::Error)]
pub enum MarkdownError {
    #[error("{}: the manuscript has no text: every chapter file is empty", .0.display())]
    Empty(std::path::PathBuf),
    /// Images that are missing, unreadable, outside the manuscript or of an unknown type.
    #[error("{}{}", .0[0], match .0.len() { 1 => String::new(), n => format!(" (and {} more image errors: `quire check` lists them all)", n - 1) })]
    Images(Vec<Diagnostic>),
}

/// Reads every chapter file of the project into a `Book`; a bad image is an error.
pub fn read_book(project: &Project) -> Result<(Book, Vec<Diagnostic>), MarkdownError> {
    strict(read_book_lenient(project))
}

/// [`read_book`], reusing `parses`.
pub fn read_book_strict(
    project: &Project,
    parses: &mut Parses,
) -> Result<(Book, Vec<Diagnostic>), MarkdownError> {
    strict(read_book_reusing(project, parses))
}

/// A lenient read's image errors as the error.
fn strict(
    read: Result<(Book, Vec<Diagnostic>, Vec<Diagnostic>), MarkdownError>,
) -> Result<(Book, Vec<Diagnostic>), MarkdownError> {
    let (book, warnings, errors) = read?;
    if !errors.is_empty() {
        return Err(MarkdownError::Images(errors));
    }
    Ok((book, warnings))
}

/// A chapter before ids and notes are settled.
struct Draft<'a> {
    source: &'a Source,
    parsed_index: usize,
    title: Option<Vec<Inline>>,
    /// The author's `{#id}` on the chapter heading.
    explicit_id: String,
    blocks: Vec<Block>,
    /// Line of the chapter heading (or of the file start), for diagnostics.
    line: usize,
}

/// Reads the book and reports bad images as errors beside it rather than failing (for
/// `quire check`): (book, warnings, errors). Images with errors are left out of the book.
pub fn read_book_lenient(
    project: &Project,
) -> Result<(Book, Vec<Diagnostic>, Vec<Diagnostic>), MarkdownError> {
    // A one-shot read keeps nothing for a next build.
    read_parsed(project, parse_fresh(project))
}

/// Every source parsed (in parallel: parsing is independent per file; `collect` keeps the
/// order).
fn parse_fresh(project: &Project) -> Vec<Parsed> {
    let how = convert::ReadOptions::of(project);
    project
        .sources
        .par_iter()
        .map(|s| {
            let parsed = convert::parse_as(&s.text, s.first_line, &how);
            crate::progress::file_read();
            parsed
        })
        .collect()
}

/// Parsed source files kept between builds (`quire watch`): parsing is a pure function of a
/// file's text and first line, so an unchanged file is not parsed again. Everything after
/// parsing (ids, notes, links) is book-wide and is always redone.
#[derive(Debug, Default)]
pub struct Parses {
    /// Source path -> (text, first line, what it parsed to).
    files: HashMap<PathBuf, (String, usize, Parsed)>,
    /// How they were read (a change of dialect or language reads every file again).
    how: convert::ReadOptions,
}

impl Parses {
    /// Every source parsed, from the cache when its text is unchanged; the cache then holds
    /// exactly these sources.
    fn parse_all(&mut self, sources: &[Source], how: &convert::ReadOptions) -> Vec<Parsed> {
        let mut old = std::mem::take(&mut self.files);
        if *how != self.how {
            old.clear();
            self.how = how.clone();
        }
        let kept: Vec<Option<Parsed>> = sources
            .iter()
            .map(|s| match old.remove(&s.path) {
                Some((text, line, parsed)) if text == s.text && line == s.first_line => {
                    Some(parsed)
                }
                _ => None,
            })
            .collect();
        // Parsing is independent per file: do it in parallel; order is kept by `collect`.
        let parsed: Vec<Parsed> = sources
            .par_iter()
            .zip(kept)
            .map(|(s, kept)| {
                let parsed = kept.unwrap_or_else(|| convert::parse_as(&s.text, s.first_line, how));
                crate::progress::file_read();
                parsed
            })
            .collect();
        for (s, p) in sources.iter().zip(&parsed) {
            self.files
                .insert(s.path.clone(), (s.text.clone(), s.first_line, p.clone()));
        }
        parsed
    }
}

/// [`read_book_lenient`], parsing only the files `parses` does not hold already.
pub fn read_book_reusing(
    project: &Project,
    parses: &mut Parses,
) -> Result<(Book, Vec<Diagnostic>, Vec<Diagnostic>), MarkdownError> {
    let how = convert::ReadOptions::of(project);
    read_parsed(project, parses.parse_all(&project.sources, &how))
}

/// The book made of the project's sources, `parsed[i]` being what `project.sources[i]` parsed
/// to.
fn read_parsed(
    project: &Project,
    parsed: Vec<Parsed>,
) -> Result<(Book, Vec<Diagnostic>, Vec<Diagnostic>), MarkdownError> {
    let mut warnings = Vec::new();

    // Raw HTML the PDF shows only the text of: once per element, where it is first used.
    let mut fallbacks = std::collections::HashSet::new();
    for (source, p) in project.sources.iter().zip(&parsed) {
        for (line, column, code, message) in &p.warnings {
            warnings.push(Diagnostic::warning(
                *code,
                Location::at(&source.path, *line, *column),
                message.clone(),
            ));
        }
        for (name, line, column) in &p.raw_unsupported {
            if fallbacks.insert(name.as_str()) {
                warnings.push(Diagnostic::warning(
                    Code::HtmlTextOnlyInPdf,
                    Location::at(&source.path, *line, *column),
                    format!("<{name}> is not supported in the PDF; its text is printed instead"),
                ));
            }
        }
    }
    let mut drafts = Vec::new();
    for (index, (source, p)) in project.sources.iter().zip(&parsed).enumerate() {
        let before = drafts.len();
        if project.single_file {
            split_at_headings(source, index, p, project.config.split_level, &mut drafts);
        } else {
            one_chapter(source, index, p, &mut drafts);
        }
        if drafts.len() == before {
            warnings.push(Diagnostic::warning(
                Code::EmptyChapterFile,
                Location::file(&source.path),
                "the chapter file is empty; it is left out",
            ));
        }
    }
    if drafts.is_empty() {
        return Err(MarkdownError::Empty(project.root.clone()));
    }

    let mut ids = IdSet::default();
    let mut chapters = Vec::with_capacity(drafts.len());
    for (n, d) in drafts.into_iter().enumerate() {
        let chapter = finish_chapter(d, n, &parsed, &mut ids, &mut warnings);
        chapters.push(chapter);
    }
    warn_unreferenced_notes(project, &parsed, &mut warnings);

    // The finished chapters decide which characters must be drawn and which images shown;
    // the parser's lists only say where each was first written.
    let shown = shown::Shown::of(&chapters);
    warnings.extend(glyphs::missing(project, &parsed, &shown.chars));
    let (resources, errors) = images::collect(project, &parsed, &shown.images, &mut warnings);
    let mut book = Book {
        metadata: {
            let mut m = project.metadata.clone();
            prose::render_metadata(&mut m);
            m
        },
        parts: project.book_parts(&chapters),
        chapters,
        resources,
    };
    links::resolve(&mut book, project, &parsed, &mut warnings);
    // Lines of text `{{#include}}` brought in are reported where they were written.
    let relocate = |w: &mut Diagnostic| w.location = project.locate(&w.location);
    warnings.iter_mut().for_each(relocate);
    let mut errors = errors;
    errors.iter_mut().for_each(relocate);
    Ok((book, warnings, errors))
}

/// A folder manuscript: each file is one chapter, titled by a heading that opens the file.
fn one_chapter<'a>(source: &'a Source, index: usize, p: &Parsed, out: &mut Vec<Draft<'a>>) {
    let top = p
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(h) => Some(h.level),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut blocks = p.blocks.clone();
    let (title, explicit_id) = match blocks.first() {
        Some(Block::Heading(h)) if h.level == top => match blocks.remove(0) {
            Block::Heading(h) => (Some(h.content), h.id),
            _ => (None, String::new()),
        },
        _ => (
            source.title.clone().map(|t| vec![Inline::Text(t)]),
            String::new(),
        ),
    };
    if title.is_none() && blocks.is_empty() {
        return;
    }
    relevel(&mut blocks, top);
    out.push(Draft {
        source,
        parsed_index: index,
        title,
        explicit_id,
        blocks,
        line: p.block_lines.first().copied().unwrap_or(source.first_line),
    });
}

/// A single-file manuscript: a chapter starts at every heading of level `split_level` or
/// above; text before the first one is an untitled opening chapter.
fn split_at_headings<'a>(
    source: &'a Source,
    index: usize,
    p: &Parsed,
    split_level: u8,
    out: &mut Vec<Draft<'a>>,
) {
    let mut current = Draft {
        source,
        parsed_index: index,
        title: None,
        explicit_id: String::new(),
        blocks: Vec::new(),
        line: source.first_line,
    };
    for (block, &line) in p.blocks.iter().zip(&p.block_lines) {
        match block {
            Block::Heading(h) if h.level <= split_level => {
                let next = Draft {
                    source,
                    parsed_index: index,
                    title: Some(h.content.clone()),
                    explicit_id: h.id.clone(),
                    blocks: Vec::new(),
                    line,
                };
                let done = std::mem::replace(&mut current, next);
                if done.title.is_some() || !done.blocks.is_empty() {
                    out.push(done);
                }
            }
            other => current.blocks.push(other.clone()),
        }
    }
    if current.title.is_some() || !current.blocks.is_empty() {
        out.push(current);
    }
    for d in out.iter_mut() {
        relevel(&mut d.blocks, split_level);
    }
}

/// Maps Markdown heading levels to section levels: the chapter level is 1, so sections
/// start at 2. Headings anywhere (quotes, lists, raw HTML) are relevelled alike.
fn relevel(blocks: &mut Vec<Block>, chapter_level: u8) {
    struct Relevel(u8);
    impl VisitMut for Relevel {
        fn visit_heading_mut(&mut self, h: &mut Heading) {
            h.level = (h.level.saturating_sub(self.0) + 1).clamp(2, 6);
        }
    }
    Relevel(chapter_level).visit_blocks_mut(blocks)
}

fn finish_chapter(
    d: Draft<'_>,
    n: usize,
    parsed: &[Parsed],
    ids: &mut IdSet,
    warnings: &mut Vec<Diagnostic>,
) -> Chapter {
    let location = Location::at(&d.source.path, d.line, 1);
    let mut blocks = d.blocks;
    let label_slug = match &d.title {
        Some(t) => slugify(&crate::model::plain_text(t)),
        None => stem_slug(&d.source.path),
    };
    let id = claim_id(
        ids,
        &d.explicit_id,
        &label_slug,
        &format!("chapter-{}", n + 1),
        &location,
        warnings,
    );
    // Footnotes: number per chapter in order of first reference (notes may cite notes).
    let p = &parsed[d.parsed_index];
    let mut local: BTreeMap<usize, usize> = BTreeMap::new();
    let mut notes: Vec<Footnote> = Vec::new();
    let renumber =
        |blocks: &mut Vec<Block>, local: &mut BTreeMap<usize, usize>, queue: &mut Vec<usize>| {
            let mut c = scratch(std::mem::take(blocks));
            visit::for_each_inline_mut(&mut c, &mut |i| {
                if let Inline::NoteRef { number } = i {
                    let next = local.len() + 1;
                    let n = *local.entry(*number).or_insert_with(|| {
                        queue.push(*number);
                        next
                    });
                    *number = n;
                }
            });
            *blocks = c.blocks;
        };
    let mut queue = Vec::new();
    renumber(&mut blocks, &mut local, &mut queue);
    let mut qi = 0;
    while qi < queue.len() {
        let global = queue[qi];
        qi += 1;
        let label = p.note_labels.get(global - 1).cloned().unwrap_or_default();
        let mut note_blocks = p.notes.get(&label).cloned().unwrap_or_default();
        renumber(&mut note_blocks, &mut local, &mut queue);
        notes.push(Footnote {
            label,
            number: notes.len() + 1,
            blocks: note_blocks,
        });
    }

    let mut chapter = Chapter {
        id,
        title: d.title,
        matter: d.source.matter,
        source: d.source.path.clone(),
        blocks,
        notes,
        level: d.source.level,
    };
    // Ids of raw HTML (`<a id="old-name"></a>`) stay as written: headings avoid them.
    visit::chapter_raw_ids(&chapter)
        .iter()
        .for_each(|id| ids.reserve(id));
    assign_heading_ids(&mut chapter, ids, &location, warnings);
    chapter
}

/// A chapter around `blocks`, to walk them with the chapter visitors.
fn scratch(blocks: Vec<Block>) -> Chapter {
    Chapter {
        id: String::new(),
        title: None,
        matter: Default::default(),
        source: PathBuf::new(),
        blocks,
        notes: Vec::new(),
        level: 1,
    }
}

/// Gives every heading of the chapter (in quotes, lists, raw HTML and notes too) an id
/// unique in the book: the author's `{#id}` when usable and free, else a slug of its text.
fn assign_heading_ids(
    chapter: &mut Chapter,
    ids: &mut IdSet,
    location: &Location,
    warnings: &mut Vec<Diagnostic>,
) {
    struct Ids<'a> {
        ids: &'a mut IdSet,
        location: &'a Location,
        warnings: &'a mut Vec<Diagnostic>,
    }
    impl VisitMut for Ids<'_> {
        fn visit_heading_mut(&mut self, h: &mut Heading) {
            let slug = slugify(&crate::model::plain_text(&h.content));
            let explicit = std::mem::take(&mut h.id);
            h.id = claim_id(
                self.ids,
                &explicit,
                &slug,
                "section",
                self.location,
                self.warnings,
            );
            visit::visit_inlines_mut(self, &mut h.content);
        }
    }
    Ids {
        ids,
        location,
        warnings,
    }
    .visit_chapter_mut(chapter)
}

/// Takes the author's id when it is usable and free, else a slug.
fn claim_id(
    ids: &mut IdSet,
    explicit: &str,
    slug: &str,
    fallback: &str,
    location: &Location,
    warnings: &mut Vec<Diagnostic>,
) -> String {
    if !explicit.is_empty() {
        if !is_valid_id(explicit) {
            warnings.push(Diagnostic::warning(
                Code::InvalidId,
                location.clone(),
                format!(
                    "`{{#{explicit}}}` is not a usable id (letters, digits, `-`, `_` and `.`, starting with a letter); using one made from the heading"
                ),
            ));
        } else if ids.contains(explicit) {
            warnings.push(Diagnostic::warning(
                Code::DuplicateId,
                location.clone(),
                format!(
                    "the id `{explicit}` is used twice in the book; this one gets a number added"
                ),
            ));
        } else {
            return ids.claim(explicit, fallback);
        }
    }
    ids.claim(slug, fallback)
}

/// `01-opening.md` -> `opening`.
fn stem_slug(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    slugify(
        stem.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | ' ')),
    )
}

fn warn_unreferenced_notes(project: &Project, parsed: &[Parsed], warnings: &mut Vec<Diagnostic>) {
    for (source, p) in project.sources.iter().zip(parsed) {
        let referenced: std::collections::HashSet<&String> = p.note_labels.iter().collect();
        for label in p.notes.keys() {
            if !referenced.contains(label) {
                warnings.push(Diagnostic::warning(
                    Code::UnreferencedNote,
                    Location::file(&source.path),
                    format!("footnote [^{label}] is never referenced; it is left out"),
                ));
            }
        }
    }
}
