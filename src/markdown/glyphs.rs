//! Characters no font of the book can draw: one warning per character per build, at its first
//! occurrence, rather than a blank or a box found in print.

use std::collections::{BTreeMap, HashSet};

use super::convert::Parsed;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::fonts::ignorable;
use crate::project::Project;

/// What the message says of the character.
pub const MISSING_GLYPH: &str = "is in none of the book's fonts";

/// A warning for each character the book shows (`shown`, from the model) that no face of the
/// book's fonts has, at the place the parser first saw it.
pub fn missing(project: &Project, parsed: &[Parsed], shown: &HashSet<char>) -> Vec<Diagnostic> {
    let fonts = &project.config.settings.fonts;
    // char -> ((file index, line, column) of the first use in reading order, count).
    let mut found: BTreeMap<char, ((usize, usize, usize), usize)> = BTreeMap::new();
    for (file, p) in parsed.iter().enumerate() {
        for (&c, at) in &p.chars {
            if !shown.contains(&c) || ignorable(c) || fonts.covers(c) {
                continue;
            }
            found
                .entry(c)
                .and_modify(|e| e.1 += at.count)
                .or_insert(((file, at.line, at.column), at.count));
        }
    }
    let mut first: Vec<(char, (usize, usize, usize), usize)> =
        found.into_iter().map(|(c, (at, n))| (c, at, n)).collect();
    first.sort_by_key(|f| f.1);
    first
        .into_iter()
        .map(|(c, (file, line, column), count)| {
            let location = Location::at(&project.sources[file].path, line, column);
            let times = match count {
                1 => String::new(),
                n => format!(" ({n} times)"),
            };
            Diagnostic::warning(
                Code::MissingGlyph,
                location,
                format!(
                    "character '{c}' (U+{:04X}) {MISSING_GLYPH}{times}: the PDF prints it as an empty box; replace it, leave it out, or set a font that has it under [fonts] in book.toml",
                    c as u32
                ),
            )
        })
        .collect()
}
