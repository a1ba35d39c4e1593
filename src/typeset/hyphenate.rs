//! Where words may be hyphenated: Liang's patterns from the `hyphenation` crate.

use hyphenation::{Hyphenator as _, Language, Load, Standard};

/// Fewest letters before and after a hyphen in English: three and three, stricter than TeX's
/// 2 and 3 (the patterns' own minima), as book houses set it: a two-letter fragment ("be-",
/// "in-", "re-") reads as a word of its own and saves almost nothing on the line.
const ENGLISH_MINIMA: (usize, usize) = (3, 3);

/// A hyphenation dictionary for the book's language, or none.
pub struct Hyphenator {
    dict: Option<Standard>,
    /// Fewest letters (before, after) a break.
    minima: (usize, usize),
}

impl Hyphenator {
    /// The dictionary for a BCP 47 tag; unknown languages are not hyphenated.
    pub fn for_language(tag: &str) -> Hyphenator {
        let lang = language(tag);
        let dict = lang.and_then(|l| Standard::from_embedded(l).ok());
        Hyphenator {
            dict,
            minima: lang.map_or((0, 0), minima),
        }
    }

    pub fn none() -> Hyphenator {
        Hyphenator {
            dict: None,
            minima: (0, 0),
        }
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
                let (min_before, min_after) = self.minima;
                if letters >= min_before + min_after {
                    for b in dict.hyphenate(run).breaks {
                        let before = run.get(..b).map_or(0, |s| s.chars().count());
                        if before >= min_before && letters - before >= min_after {
                            out.push(start + b);
                        }
                    }
                }
            }
        }
        out
    }
}

/// The language's own minima (those its patterns were made for), and at least
/// [`ENGLISH_MINIMA`] in English.
fn minima(lang: Language) -> (usize, usize) {
    let (before, after) = lang.minima();
    match lang {
        Language::EnglishUS | Language::EnglishGB => {
            (before.max(ENGLISH_MINIMA.0), after.max(ENGLISH_MINIMA.1))
        }
        _ => (before, after),
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
        for word in [
            "hyphenation",
            "believe",
            "increase",
            "inhabitants",
            "really",
        ] {
            for p in h.points(word) {
                assert!(p >= 3 && word.len() - p >= 3, "{word} at {p}");
            }
        }
        assert!(!h.points("hyphenation").is_empty());
        // Other languages keep their patterns' minima: German breaks two letters from an end.
        assert_eq!(minima(Language::German1996), (2, 2));
        assert_eq!(minima(Language::EnglishGB), (3, 3));
    }

    #[test]
    fn punctuation_is_not_counted_as_letters() {
        let h = Hyphenator::for_language("en-US");
        for p in h.points("“characteristically,”") {
            let after: String = "“characteristically,”"[p..]
                .chars()
                .filter(|c| c.is_alphabetic())
                .collect();
            assert!(after.len() >= ENGLISH_MINIMA.1);
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
