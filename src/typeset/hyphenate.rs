//! Where words may be hyphenated: Liang's patterns from the `hyphenation` crate.

use hyphenation::{Hyphenator as _, Language, Load, Standard};

/// Fewest letters left before a hyphen (TeX's English `\lefthyphenmin`).
const MIN_BEFORE: usize = 2;
/// Fewest letters carried over after a hyphen (TeX's English `\righthyphenmin`).
const MIN_AFTER: usize = 3;

/// A hyphenation dictionary for the book's language, or none.
pub struct Hyphenator {
    dict: Option<Standard>,
}

impl Hyphenator {
    /// The dictionary for a BCP 47 tag; unknown languages are not hyphenated.
    pub fn for_language(tag: &str) -> Hyphenator {
        let dict = language(tag).and_then(|l| Standard::from_embedded(l).ok());
        Hyphenator { dict }
    }

    pub fn none() -> Hyphenator {
        Hyphenator { dict: None }
    }

    /// Whether there are patterns to hyphenate with.
    pub fn has_patterns(&self) -> bool {
        self.dict.is_some()
    }

    /// Byte offsets in `word` where a hyphen may go. Only runs of letters are hyphenated, so
    /// punctuation around a word ("quickly,") is not counted as letters.
    pub fn points(&self, word: &str) -> Vec<usize> {
        let Some(dict) = &self.dict else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut run_start = None;
        for (i, c) in word
            .char_indices()
            .chain(std::iter::once((word.len(), ' ')))
        {
            if c.is_alphabetic() {
                run_start.get_or_insert(i);
            } else if let Some(start) = run_start.take() {
                let run = &word[start..i];
                let letters = run.chars().count();
                if letters >= MIN_BEFORE + MIN_AFTER {
                    for b in dict.hyphenate(run).breaks {
                        let before = run.get(..b).map_or(0, |s| s.chars().count());
                        if before >= MIN_BEFORE && letters - before >= MIN_AFTER {
                            out.push(start + b);
                        }
                    }
                }
            }
        }
        out
    }
}

fn language(tag: &str) -> Option<Language> {
    let tag = tag.trim().to_ascii_lowercase();
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    Some(match (primary, tag.as_str()) {
        (_, "en-gb" | "en-au" | "en-nz" | "en-ie" | "en-za" | "en-in") => Language::EnglishGB,
        ("en", _) => Language::EnglishUS,
        (_, "de-ch") => Language::GermanSwiss,
        ("de", _) => Language::German1996,
        ("fr", _) => Language::French,
        ("es", _) => Language::Spanish,
        ("it", _) => Language::Italian,
        ("pt", _) => Language::Portuguese,
        ("nl", _) => Language::Dutch,
        ("sv", _) => Language::Swedish,
        ("da", _) => Language::Danish,
        ("nb" | "no", _) => Language::NorwegianBokmal,
        ("nn", _) => Language::NorwegianNynorsk,
        ("fi", _) => Language::Finnish,
        ("pl", _) => Language::Polish,
        ("cs", _) => Language::Czech,
        ("sk", _) => Language::Slovak,
        ("hu", _) => Language::Hungarian,
        ("ru", _) => Language::Russian,
        ("uk", _) => Language::Ukrainian,
        ("la", _) => Language::Latin,
        ("ca", _) => Language::Catalan,
        ("tr", _) => Language::Turkish,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_get_points_and_keep_the_minimums() {
        let h = Hyphenator::for_language("en");
        let word = "hyphenation";
        let points = h.points(word);
        assert!(!points.is_empty());
        for p in points {
            assert!(p >= MIN_BEFORE && word.len() - p >= MIN_AFTER, "{p}");
        }
    }

    #[test]
    fn punctuation_is_not_counted_as_letters() {
        let h = Hyphenator::for_language("en-US");
        for p in h.points("“characteristically,”") {
            let after: String = "“characteristically,”"[p..]
                .chars()
                .filter(|c| c.is_alphabetic())
                .collect();
            assert!(after.len() >= MIN_AFTER);
        }
        assert!(h.points("a-bcd").is_empty());
    }

    #[test]
    fn the_main_languages_have_patterns_and_capitals_may_break() {
        for (tag, word) in [
            ("en-US", "Netherfield"),
            ("en-GB", "neighbourhood"),
            ("de-DE", "Silbentrennung"),
            ("fr", "anticonstitutionnellement"),
            ("es", "extraordinariamente"),
            ("it", "straordinariamente"),
        ] {
            let h = Hyphenator::for_language(tag);
            assert!(h.has_patterns(), "{tag}");
            assert!(!h.points(word).is_empty(), "{tag}: {word}");
        }
        assert_eq!(language("en-GB"), Some(Language::EnglishGB));
        assert_eq!(language("en"), Some(Language::EnglishUS));
    }

    #[test]
    fn unknown_language_does_not_hyphenate() {
        assert!(Hyphenator::for_language("xx")
            .points("hyphenation")
            .is_empty());
        assert!(!Hyphenator::for_language("de")
            .points("Silbentrennung")
            .is_empty());
        assert!(!Hyphenator::for_language("en-GB")
            .points("hyphenation")
            .is_empty());
    }
}
