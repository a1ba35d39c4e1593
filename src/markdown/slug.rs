//! Stable, unique ids for chapters and headings.

use std::collections::HashSet;

/// Ids the writers use themselves; headings never take them.
const RESERVED: &[&str] = &[
    "toc",
    "nav",
    "landmarks",
    "titlepage",
    "copyright",
    "cover",
    "notes",
];

/// Lower-case ASCII letters and digits joined by single hyphens, starting with a letter (so it is
/// a valid XML id and file name). Empty when the text has no ASCII letters or digits.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() || matches!(c, '-' | '_' | '.' | '/' | ':' | '–' | '—') {
            pending_hyphen = true;
        }
        // Other punctuation (quotes, commas, ...) vanishes: "Eve’s Path" -> "eves-path".
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "s-");
    }
    out
}

/// Folds common accented Latin letters to ASCII so that "Café" gives "cafe", not "caf".
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        other => other,
    }
}

/// Whether an author's explicit id (`{#id}`) can be used as is in XHTML and PDF.
pub fn is_valid_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The ids taken so far in a book.
#[derive(Debug)]
pub struct IdSet {
    taken: HashSet<String>,
}

impl Default for IdSet {
    fn default() -> Self {
        IdSet {
            taken: RESERVED.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl IdSet {
    /// `base` if free, else `base-2`, `base-3`, ...; `fallback` when `base` is empty.
    pub fn claim(&mut self, base: &str, fallback: &str) -> String {
        let base = if base.is_empty() { fallback } else { base };
        let mut candidate = base.to_string();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }

    pub fn contains(&self, id: &str) -> bool {
        self.taken.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_hyphenated() {
        assert_eq!(
            slugify("More Than Just a Female John Wick: Eve’s Unique Path"),
            "more-than-just-a-female-john-wick-eves-unique-path"
        );
        assert_eq!(
            slugify("Expectations—and Emotions"),
            "expectations-and-emotions"
        );
        assert_eq!(slugify("Café au lait"), "cafe-au-lait");
        assert_eq!(slugify("1813"), "s-1813");
        assert_eq!(slugify("Ἀρχή"), "");
    }

    #[test]
    fn ids_are_unique() {
        let mut ids = IdSet::default();
        assert_eq!(ids.claim("chapter-1", "x"), "chapter-1");
        assert_eq!(ids.claim("chapter-1", "x"), "chapter-1-2");
        assert_eq!(ids.claim("", "section"), "section");
        assert_eq!(ids.claim("toc", "x"), "toc-2");
    }

    #[test]
    fn explicit_ids_are_checked() {
        assert!(is_valid_id("intro"));
        assert!(is_valid_id("ch-1.2"));
        assert!(!is_valid_id("1intro"));
        assert!(!is_valid_id("my id"));
    }
}
