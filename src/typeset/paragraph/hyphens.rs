//! The hyphenation cache: where each word may break, looked up once per word.

use rustc_hash::FxHashMap;

use super::super::hyphenate::Hyphenator;
use super::items::Marks;

/// Hyphenation points per word: words repeat as often as they are shaped.
pub(super) struct Hyphens<'a> {
    hyphenator: &'a Hyphenator,
    points: FxHashMap<String, Vec<usize>>,
}

impl<'a> Hyphens<'a> {
    pub(super) fn new(hyphenator: &'a Hyphenator) -> Hyphens<'a> {
        Hyphens {
            hyphenator,
            points: FxHashMap::default(),
        }
    }

    /// Break points in one face's part of a word, in order: byte offsets, each marked
    /// explicit (after a dash) or not (a hyphenation point, where a hyphen is drawn).
    pub(super) fn break_points(
        &mut self,
        text: &str,
        marks: &Marks,
        hyphenate: bool,
    ) -> Vec<(usize, bool)> {
        let mut points: Vec<(usize, bool)> = Vec::new();
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            if matches!(c, '-' | '–' | '—') && end < text.len() && i > 0 {
                points.push((end, true));
            }
        }
        if !marks.soft.is_empty() {
            // As in TeX, a word with soft hyphens breaks only there, hyphenation on or off.
            points.extend(marks.soft.iter().map(|&b| (b, false)));
        } else if hyphenate {
            // Looked up before inserting: the word is copied only the first time it is seen.
            if !self.points.contains_key(text) {
                let found = self.hyphenator.points(text);
                self.points.insert(text.to_string(), found);
            }
            if let Some(found) = self.points.get(text) {
                points.extend(found.iter().map(|&b| (b, false)));
            }
        }
        points.retain(|pt| !marks.joined.contains(&pt.0));
        points.sort_unstable();
        points.dedup_by_key(|p| p.0);
        points
    }
}
