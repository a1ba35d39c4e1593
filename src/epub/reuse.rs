//! What one EPUB build keeps for the next (`quire watch`): each chapter's XHTML document with
//! everything it was made from. A chapter is rendered again only when one of these changed:
//! its model (text, ids, note numbers, resolved links), its label, the book's language, or an
//! answer the link index gives it (see [`LinkIndex::lookups`]).

use std::collections::HashMap;

use rayon::prelude::*;

use super::page_list::ChapterMarkers;
use super::xhtml::{ImageStats, LinkIndex};
use crate::model::Chapter;

#[derive(Debug, Default)]
pub struct Reuse {
    /// Chapter id -> the last document made for it.
    chapters: HashMap<String, Made>,
    /// Indices of the chapters the last build rendered afresh (the others were reused).
    rendered: Vec<usize>,
}

#[derive(Debug)]
struct Made {
    key: Key,
    html: String,
    stats: ImageStats,
}

/// Everything a chapter's document depends on.
#[derive(Debug, PartialEq)]
struct Key {
    chapter: Chapter,
    label: String,
    language: String,
    lookups: Vec<Option<String>>,
    /// The print edition's pages marked in it.
    pages: ChapterMarkers,
}

impl Reuse {
    /// Indices (in the book) of the chapters the last build rendered afresh.
    pub fn rendered(&self) -> &[usize] {
        &self.rendered
    }

    /// The document of every chapter, labelled `labels[i]`: reused when its key is unchanged,
    /// else made by `render` (in parallel). Afterwards the cache holds exactly these chapters.
    pub(super) fn documents(
        &mut self,
        chapters: &[Chapter],
        labels: &[String],
        pages: &[&ChapterMarkers],
        language: &str,
        index: &LinkIndex,
        render: impl Fn(&Chapter, &str, &ChapterMarkers) -> (String, ImageStats) + Sync,
    ) -> Vec<(String, ImageStats)> {
        let mut old = std::mem::take(&mut self.chapters);
        let work: Vec<(Key, Option<Made>)> = chapters
            .iter()
            .zip(labels)
            .zip(pages)
            .map(|((chapter, label), pages)| {
                let key = Key {
                    chapter: chapter.clone(),
                    label: label.clone(),
                    language: language.to_string(),
                    lookups: index.lookups(chapter),
                    pages: (*pages).clone(),
                };
                let kept = old.remove(&chapter.id).filter(|m| m.key == key);
                (key, kept)
            })
            .collect();
        self.rendered = work
            .iter()
            .enumerate()
            .filter(|(_, (_, kept))| kept.is_none())
            .map(|(i, _)| i)
            .collect();
        // Chapters are independent (highlighting and raw HTML parsing take the time).
        let made: Vec<Made> = work
            .into_par_iter()
            .map(|(key, kept)| {
                kept.unwrap_or_else(|| {
                    let (html, stats) = render(&key.chapter, &key.label, &key.pages);
                    Made { key, html, stats }
                })
            })
            .collect();
        let out = made.iter().map(|m| (m.html.clone(), m.stats)).collect();
        self.chapters = made
            .into_iter()
            .map(|m| (m.key.chapter.id.clone(), m))
            .collect();
        out
    }
}
