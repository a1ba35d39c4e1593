//! File names the build makes (outputs, EPUB entries, image resources): ASCII, and never longer
//! than file systems and unzip tools accept.

/// The longest file name (one path component) ext4, APFS, NTFS and unzip accept, in bytes.
pub const MAX_FILE_NAME: usize = 255;

/// Length of the hash suffix a cut name gets (`-` and 8 hex digits).
const HASH_SUFFIX: usize = 9;

/// `stem`, cut so that `stem` + a suffix of `suffix_len` bytes (`.xhtml`) fits in
/// [`MAX_FILE_NAME`]. A cut stem ends at a character boundary, with `-` and a hash of the whole
/// stem, so two long names that share their beginning stay different.
pub fn fit(stem: &str, suffix_len: usize) -> String {
    let max = MAX_FILE_NAME.saturating_sub(suffix_len);
    if stem.len() <= max {
        return stem.to_string();
    }
    let mut cut = max.saturating_sub(HASH_SUFFIX);
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    // A stable hash (SHA-1 through uuid's v5): the same title gives the same name every build.
    let hash = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, stem.as_bytes()).simple();
    let head = stem[..cut].trim_end_matches('-');
    format!("{head}-{}", &hash.to_string()[..HASH_SUFFIX - 1])
}

/// A file name from a title: transliterated to ASCII (`Война и мир` -> `voina-i-mir`,
/// `Café` -> `cafe`), letters and digits lower-cased, words joined by single hyphens, other
/// punctuation dropped (`Eve’s Path` -> `eves-path`). Empty when no letter or digit is left.
pub fn slug(title: &str) -> String {
    let ascii = deunicode::deunicode(title);
    let mut out = String::with_capacity(ascii.len());
    let mut gap = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() || c == '-' {
            gap = true;
        }
    }
    out
}

/// Names taken so far, each free one handed out once: `base`, else `base-2`, `base-3`...
///
/// The next number to try is kept per base, so a thousand repeats of one heading cost a
/// thousand look-ups, not half a million (issue 18: 20k `## Same` took 35 s).
#[derive(Debug, Default)]
pub struct Unique {
    taken: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl Unique {
    /// The first free name of `base`, `base-2`, `base-3`... as `make(base, n)` writes the
    /// numbered ones; taken from now on.
    pub fn claim(&mut self, base: &str, make: impl Fn(&str, usize) -> String) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let candidate = make(base, *n);
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// Takes `name` as it is (from now on no claim returns it).
    pub fn reserve(&mut self, name: &str) -> bool {
        self.taken.insert(name.to_string())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_number_repeats_and_skip_names_taken_as_they_are() {
        let mut u = Unique::default();
        let dash = |b: &str, n: usize| format!("{b}-{n}");
        assert!(u.reserve("same-2"));
        assert_eq!(u.claim("same", dash), "same");
        assert_eq!(u.claim("same", dash), "same-3");
        assert_eq!(u.claim("same", dash), "same-4");
        assert_eq!(u.claim("same-3", dash), "same-3-2");
        assert!(u.contains("same-4") && !u.reserve("same-4"));
    }

    #[test]
    fn short_names_are_kept_and_long_ones_cut_with_a_hash() {
        assert_eq!(fit("chapter-1", 6), "chapter-1");
        let long = "a".repeat(300);
        let cut = fit(&long, 6);
        assert_eq!(cut.len(), 255 - 6);
        assert_ne!(fit(&format!("{long}b"), 6), cut);
        assert_eq!(fit(&long, 6), cut, "stable");
        // Cut at a character boundary: 2-byte letters.
        let cyrillic = "ж".repeat(200);
        let cut = fit(&cyrillic, 5);
        assert!(cut.len() <= 250 && cut.is_char_boundary(cut.len()), "{cut}");
    }

    #[test]
    fn slugs_keep_single_letters_and_transliterate() {
        assert_eq!(slug("S Is for Silence"), "s-is-for-silence");
        assert_eq!(slug("S-Town"), "s-town");
        assert_eq!(
            slug("The Rust Programming Language"),
            "the-rust-programming-language"
        );
        assert_eq!(slug("Война и мир"), "voina-i-mir");
        assert_eq!(slug("Café au lait"), "cafe-au-lait");
        assert_eq!(slug("Eve’s Path"), "eves-path");
        assert_eq!(slug("A - B"), "a-b");
        assert_eq!(slug("1984"), "1984");
        assert_eq!(slug("  ...  "), "");
    }
}
