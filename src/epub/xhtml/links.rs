//! Where each chapter and image went, so links and image sources resolve from any chapter.

use std::collections::{HashMap, HashSet};

use crate::model::visit::{self, Visit};
use crate::model::{Block, Chapter, Inline, LinkTarget};

use super::super::xml::xml_id;
use super::IMAGE_DIR;

/// Where each chapter went and which anchors it holds, to resolve internal links.
#[derive(Debug, Default)]
pub struct LinkIndex {
    pub(super) chapters: HashMap<String, ChapterTargets>,
    /// (chapter source file, image `src` as written) -> file name in [`IMAGE_DIR`].
    images: HashMap<(std::path::PathBuf, String), String>,
    /// File names in [`IMAGE_DIR`].
    image_names: HashSet<String>,
}

#[derive(Debug)]
pub(super) struct ChapterTargets {
    pub(super) file_name: String,
    /// Anchors (as written in the model) that exist in the chapter's file.
    pub(super) anchors: HashSet<String>,
}

impl LinkIndex {
    /// Records a chapter written as `file_name` (relative to [`TEXT_DIR`]).
    pub fn add(&mut self, chapter: &Chapter, file_name: String) {
        let mut anchors: HashSet<String> =
            chapter.sections().iter().map(|h| h.id.clone()).collect();
        // Ids of the author's raw HTML (`<a id="old-name"></a>`), which links may target.
        anchors.extend(visit::chapter_raw_ids(chapter));
        if section_id(chapter).is_some() {
            anchors.insert(chapter.id.clone());
        }
        self.chapters
            .insert(chapter.id.clone(), ChapterTargets { file_name, anchors });
    }

    /// Records the book's images (written to [`IMAGE_DIR`] under their `name`).
    pub fn add_images(&mut self, resources: &[crate::model::Resource]) {
        for r in resources {
            self.image_names.insert(r.name.clone());
            for (file, src) in &r.uses {
                self.images
                    .insert((file.clone(), src.clone()), r.name.clone());
            }
        }
    }

    /// The src of an image as seen from a chapter file, if the book holds it.
    pub(super) fn image_src(&self, chapter: &Chapter, src: &str) -> Option<String> {
        let src = src.trim();
        if let Some(name) = src.strip_prefix(&format!("../{IMAGE_DIR}/")) {
            // Already an image of the book (written by quire, then parsed again).
            return self.image_names.contains(name).then(|| src.to_string());
        }
        self.images
            .get(&(chapter.source.clone(), src.to_string()))
            .map(|name| format!("../{IMAGE_DIR}/{name}"))
    }

    /// The href of an internal target as seen from `from_chapter`, or `None` if it does not exist.
    pub(super) fn href(
        &self,
        from_chapter: &str,
        chapter: &str,
        anchor: Option<&str>,
    ) -> Option<String> {
        let target = self.chapters.get(chapter)?;
        let fragment = anchor
            .filter(|a| target.anchors.contains(*a))
            .map(|a| format!("#{}", xml_id(a)));
        Some(match fragment {
            Some(fragment) if chapter == from_chapter => fragment,
            Some(fragment) => format!("{}{fragment}", target.file_name),
            None => target.file_name.clone(),
        })
    }
}

impl LinkIndex {
    /// Every answer this index gives when `chapter` is rendered: a chapter whose model and
    /// answers are unchanged renders to the same document (`super::reuse` relies on this, so
    /// a new kind of lookup must be added here). Raw HTML may link to any file and id of the
    /// book: a chapter with raw HTML depends on the whole index.
    pub fn lookups(&self, chapter: &Chapter) -> Vec<Option<String>> {
        struct Lookups<'i> {
            index: &'i LinkIndex,
            chapter: &'i Chapter,
            out: Vec<Option<String>>,
            raw_html: bool,
        }
        impl<'a> Visit<'a> for Lookups<'_> {
            fn visit_inline(&mut self, i: &'a Inline) {
                match i {
                    Inline::Link {
                        target:
                            LinkTarget::Internal {
                                chapter: to,
                                anchor,
                            },
                        ..
                    } => self
                        .out
                        .push(self.index.href(&self.chapter.id, to, anchor.as_deref())),
                    Inline::Image { src, .. } => {
                        self.out.push(self.index.image_src(self.chapter, src))
                    }
                    Inline::RawHtml { .. } => self.raw_html = true,
                    _ => {}
                }
                visit::visit_inline(self, i)
            }
            fn visit_block(&mut self, b: &'a Block) {
                match b {
                    Block::Html { .. } => self.raw_html = true,
                    Block::Figure(f) => {
                        self.out.push(self.index.image_src(self.chapter, &f.src));
                        self.raw_html |= f.element.is_some() || !f.ids.is_empty();
                    }
                    _ => {}
                }
                visit::visit_block(self, b)
            }
        }
        let mut v = Lookups {
            index: self,
            chapter,
            out: Vec::new(),
            raw_html: false,
        };
        v.visit_chapter(chapter);
        let mut out = v.out;
        if v.raw_html {
            out.push(Some(self.describe()));
        }
        out
    }

    /// The whole index as text, in a stable order.
    fn describe(&self) -> String {
        let mut chapters: Vec<_> = self.chapters.iter().collect();
        chapters.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::new();
        for (id, t) in chapters {
            let mut anchors: Vec<&String> = t.anchors.iter().collect();
            anchors.sort();
            out.push_str(&format!("{id} {} {anchors:?}\n", t.file_name));
        }
        let mut images: Vec<_> = self.images.iter().collect();
        images.sort();
        let mut names: Vec<_> = self.image_names.iter().collect();
        names.sort();
        out.push_str(&format!("{images:?}\n{names:?}"));
        out
    }
}

/// The id of a chapter's `<section>`: the chapter's own anchor, unless one of its headings
/// already uses that id (ids must be unique within a file).
pub fn section_id(chapter: &Chapter) -> Option<String> {
    let id = xml_id(&chapter.id);
    let raw = visit::raw_ids(&chapter.blocks);
    let taken = chapter.sections().iter().any(|h| xml_id(&h.id) == id) || raw.contains(&id);
    (!taken).then_some(id)
}
