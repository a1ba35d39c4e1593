//! Stable, unique ids for chapters and headings.

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

/// The id mdBook (and GitHub) would give a heading, so that links written for them resolve:
/// letters and digits lower-cased, `-` and `_` kept, each space a hyphen, everything else
/// dropped (`Eve’s Path` -> `eves-path`, `A—B` -> `ab`). Two departures, for XML and file
/// names: accented Latin letters fold to ASCII and other non-ASCII characters are dropped, and
/// an id that would start with a digit gets an `s-` prefix. Empty when nothing is left.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            out.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "s-");
    }
    if out.chars().all(|c| c == '-' || c == '_') {
        out.clear();
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
    taken: crate::names::Unique,
}

impl Default for IdSet {
    fn default() -> Self {
        let mut taken = crate::names::Unique::default();
        for id in RESERVED {
            taken.reserve(id);
        }
        IdSet { taken }
    }
}

impl IdSet {
    /// `base` if free, else `base-2`, `base-3`, ...; `fallback` when `base` is empty.
    pub fn claim(&mut self, base: &str, fallback: &str) -> String {
        let base = if base.is_empty() { fallback } else { base };
        self.taken.claim(base, |b, n| format!("{b}-{n}"))
    }

    /// Takes `id` as it is (an id of raw HTML the author wrote): headings then avoid it.
    pub fn reserve(&mut self, id: &str) {
        self.taken.reserve(id);
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
            "expectationsand-emotions"
        );
        assert_eq!(slugify("The Stack and the Heap"), "the-stack-and-the-heap");
        assert_eq!(slugify("Using `Box<T>` to Point"), "using-boxt-to-point");
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
