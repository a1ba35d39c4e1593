//! Builds that reuse the work of the build before (`quire watch`).
//!
//! A [`Session`] builds a manuscript again and again. Reading is redone in full each time but
//! for parsing (ids, footnote numbers and links are book-wide, and cheap), so every chapter's
//! model is exactly what a fresh build would make. The expensive per-chapter work is kept and
//! reused while what it depends on is unchanged:
//!
//! - parsing a chapter file: its text (`markdown::Parses`);
//! - a chapter's EPUB document: its model, label, the book's language and the link targets it
//!   resolves (`epub::Reuse`);
//! - a chapter's typeset pages: its model and the typesetting context (settings, language,
//!   images), kept with the context (fonts and hyphenation patterns are loaded once).
//!
//! Book-level passes (page numbers, contents, running heads, outline, PDF, EPUB package) are
//! always redone from the parts. So a build reusing parts gives the bytes of a fresh build
//! (`build::build`, which keeps nothing: a one-shot build pays for no cache, `tests/incremental.rs`
//! compares the two).

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::build::{BuildError, BuildOptions, BuildReport};
use crate::model::{Book, Chapter, Resource};
use crate::settings::Settings;
use crate::typeset::document::Document;
use crate::typeset::paginate::PageBody;
use crate::typeset::{Context, TypesetError};

/// Successive builds of one manuscript into one folder.
pub struct Session {
    options: BuildOptions,
    parses: crate::markdown::Parses,
    epub: crate::epub::Reuse,
    print: PrintReuse,
}

/// One build of a session.
#[derive(Debug)]
pub struct Rebuild {
    pub report: BuildReport,
    /// Chapters in the book.
    pub chapters: usize,
    /// Source files of the chapters made afresh (for the EPUB, the PDF or both), in book order;
    /// the other chapters were reused.
    pub remade: Vec<PathBuf>,
    /// How many chapters were made afresh.
    pub remade_chapters: usize,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            parses: Default::default(),
            epub: Default::default(),
            print: Default::default(),
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Builds the requested outputs, reusing what earlier builds of this session made. As
    /// [`crate::build::build`]: nothing is written unless every output was made.
    pub fn build(&mut self) -> Result<Rebuild, BuildError> {
        let (book, settings, warnings) =
            crate::read_manuscript_reusing(&self.options.manuscript, &mut self.parses)?;
        let (epub, print) = (&mut self.epub, &mut self.print);
        let report = crate::build::write_outputs(
            &self.options,
            &book,
            &settings,
            warnings,
            |book, settings, pages| crate::epub::write_epub_reusing(book, settings, epub, pages),
            |book, settings| print.typeset(book, settings),
        )?;
        let epub = self.options.format.epub();
        let pdf = self.options.format.pdf();
        let remade: Vec<usize> = (0..book.chapters.len())
            .filter(|i| {
                (epub && self.epub.rendered().contains(i)) || (pdf && self.print.set.contains(i))
            })
            .collect();
        let mut files: Vec<PathBuf> = Vec::new();
        for &i in &remade {
            let source = &book.chapters[i].source;
            if !files.contains(source) {
                files.push(source.clone());
            }
        }
        Ok(Rebuild {
            report,
            chapters: book.chapters.len(),
            remade: files,
            remade_chapters: remade.len(),
        })
    }
}

/// The typesetting side of a session: contexts, and the pages each set of each chapter.
#[derive(Default)]
struct PrintReuse {
    contexts: Vec<Setting>,
    /// Indices of the chapters the last build set afresh.
    set: Vec<usize>,
}

/// A context and the chapters set with it.
struct Setting {
    key: ContextKey,
    context: Context,
    /// Chapter id -> the chapter and its pages.
    chapters: HashMap<String, (Chapter, Vec<PageBody>)>,
    used: bool,
}

/// What `Context::new` reads: the settings (margins final), the language (hyphenation) and the
/// book's images, with their bytes (the typesetter may measure them).
#[derive(Debug, PartialEq)]
struct ContextKey {
    settings: Settings,
    language: String,
    resources: Vec<(Resource, Option<Vec<u8>>)>,
}

impl ContextKey {
    fn new(book: &Book, settings: &Settings) -> ContextKey {
        ContextKey {
            settings: settings.clone(),
            language: book.metadata.language.clone(),
            resources: book
                .resources
                .iter()
                .map(|r| (r.clone(), std::fs::read(&r.path).ok()))
                .collect(),
        }
    }
}

impl PrintReuse {
    fn typeset(&mut self, book: &Book, settings: &Settings) -> Result<Document, TypesetError> {
        self.contexts.iter_mut().for_each(|c| c.used = false);
        self.set.clear();
        let doc =
            crate::typeset::typeset_with(book, settings, |settings| self.set_book(book, settings))?;
        // Contexts the book no longer needs (settings changed) are dropped.
        self.contexts.retain(|c| c.used);
        Ok(doc)
    }

    /// The whole book set with `settings`, reusing the chapters set before with the same
    /// context.
    fn set_book(&mut self, book: &Book, settings: &Settings) -> Result<Document, TypesetError> {
        let key = ContextKey::new(book, settings);
        let at = match self.contexts.iter().position(|c| c.key == key) {
            Some(at) => at,
            None => {
                self.contexts.push(Setting {
                    context: Context::new(book, settings)?.with_art(crate::artwork::Gallery::load(
                        book,
                        crate::typeset::need(settings),
                    )?),
                    key,
                    chapters: HashMap::new(),
                    used: false,
                });
                self.contexts.len() - 1
            }
        };
        let setting = &mut self.contexts[at];
        setting.used = true;
        let context = &setting.context;
        let mut old = std::mem::take(&mut setting.chapters);
        let kept: Vec<Option<Vec<PageBody>>> = book
            .chapters
            .iter()
            .map(|c| match old.remove(&c.id) {
                Some((chapter, pages)) if chapter == *c => Some(pages),
                _ => None,
            })
            .collect();
        let set_now: Vec<usize> = (0..kept.len()).filter(|&i| kept[i].is_none()).collect();
        let pages: Vec<Vec<PageBody>> = book
            .chapters
            .par_iter()
            .zip(kept)
            .map(|(c, kept)| kept.unwrap_or_else(|| context.chapter_pages(c)))
            .collect();
        setting.chapters = book
            .chapters
            .iter()
            .zip(&pages)
            .map(|(c, p)| (c.id.clone(), (c.clone(), p.clone())))
            .collect();
        for i in set_now {
            if !self.set.contains(&i) {
                self.set.push(i);
            }
        }
        self.set.sort_unstable();
        Ok(context.assemble(book, pages))
    }
}
