//! The words quire itself puts in a book (contents, title page, copyright, "published by",
//! list joiners, the colophon...), in the book's language.
//!
//! They live in one data file, `strings.toml`, so that a translator edits words, not code.
//! The language is the book's (`de-AT` falls back to `de`, an unknown one to English); an
//! author replaces any word per key in book.toml's `[strings]` table. Both writers take their
//! words from here, so the EPUB and the PDF always say the same.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("strings.toml");

/// Every key of the table, as written in `[strings]`.
pub const KEYS: &[&str] = &[
    "contents",
    "title-page",
    "copyright",
    "cover",
    "pages",
    "notes",
    "part",
    "chapter",
    "published-by",
    "first-published",
    "and",
    "figure",
    "listing",
    "colophon",
    "landmarks",
    "edited-by",
    "translated-by",
    "illustrated-by",
    "print-edition",
    "ebook-edition",
];

type Languages = BTreeMap<String, BTreeMap<String, String>>;

fn languages() -> &'static Languages {
    static TABLES: OnceLock<Languages> = OnceLock::new();
    TABLES.get_or_init(|| {
        // The file is part of the program and checked by the tests below: it parses.
        let table: toml::Table = TABLE.parse().unwrap_or_default();
        table
            .into_iter()
            .map(|(lang, words)| {
                let words = words
                    .as_table()
                    .map(|t| {
                        t.iter()
                            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                            .collect()
                    })
                    .unwrap_or_default();
                (lang, words)
            })
            .collect()
    })
}

/// The languages the table has words for.
pub fn languages_known() -> Vec<&'static str> {
    languages().keys().map(String::as_str).collect()
}

/// The words for one book.
#[derive(Debug, Clone, PartialEq)]
pub struct Strings {
    /// The table's language used (`de` for a `de-AT` book, `en` when none fits).
    pub language: String,
    words: BTreeMap<String, String>,
}

impl Strings {
    /// The words for a book in `language` (a BCP 47 tag), with the author's `overrides`.
    pub fn new(language: &str, overrides: &BTreeMap<String, String>) -> Strings {
        let all = languages();
        let lower = language.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or("en");
        // Norwegian: `no` and `nn` read Bokmål's words (close enough for these few words).
        let primary = match primary {
            "no" | "nn" => "nb",
            p => p,
        };
        let chosen = [lower.as_str(), primary]
            .into_iter()
            .find(|l| all.contains_key(*l))
            .unwrap_or("en");
        let mut words = all.get("en").cloned().unwrap_or_default();
        if let Some(own) = all.get(chosen) {
            words.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        words.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        Strings {
            language: chosen.to_string(),
            words,
        }
    }

    /// The word for `key` (one of [`KEYS`]).
    /// An unknown key (a typo in the code) reads as nothing rather than as a wrong word.
    pub fn get(&self, key: &str) -> &str {
        self.words.get(key).map_or("", String::as_str)
    }

    /// `key`'s words with `value` in the place of `{}` (or after them).
    pub fn with(&self, key: &str, value: &str) -> String {
        let words = self.get(key);
        if words.contains("{}") {
            words.replacen("{}", value, 1)
        } else {
            format!("{words} {value}")
        }
    }

    /// Names as one phrase: `A`, `A and B`, `A, B and C` in the book's language (Chinese
    /// and Japanese join with `、` and no spaces).
    pub fn list(&self, names: &[String]) -> Option<String> {
        let cjk = matches!(self.language.as_str(), "ja" | "zh");
        let sep = if cjk { "、" } else { ", " };
        let and = self.get("and");
        let and = if cjk {
            and.to_string()
        } else {
            format!(" {and} ")
        };
        match names {
            [] => None,
            [one] => Some(one.clone()),
            [init @ .., last] => Some(format!("{}{and}{last}", init.join(sep))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key_and_no_other() {
        let all = languages();
        for lang in [
            "en", "de", "fr", "es", "it", "nl", "pt", "sv", "da", "nb", "fi", "pl", "cs", "ru",
            "tr", "ja", "zh",
        ] {
            let words = all.get(lang).unwrap_or_else(|| panic!("{lang} missing"));
            for key in KEYS {
                assert!(
                    words.get(*key).is_some_and(|w| !w.trim().is_empty()),
                    "{lang}: {key}"
                );
            }
            for key in words.keys() {
                assert!(KEYS.contains(&key.as_str()), "{lang}: unknown {key}");
            }
            for key in [
                "published-by",
                "first-published",
                "edited-by",
                "translated-by",
                "illustrated-by",
            ] {
                assert!(words[key].contains("{}"), "{lang}: {key}");
            }
        }
        // Translated, not copied: the words for the contents differ from English.
        for lang in all.keys().filter(|l| *l != "en") {
            assert_ne!(all[lang]["contents"], "Contents", "{lang}");
        }
    }

    #[test]
    fn the_language_falls_back_by_region_then_to_english() {
        let none = BTreeMap::new();
        assert_eq!(Strings::new("de-AT", &none).get("contents"), "Inhalt");
        assert_eq!(Strings::new("fr-CA", &none).get("and"), "et");
        assert_eq!(Strings::new("no", &none).language, "nb");
        assert_eq!(Strings::new("xx", &none).get("contents"), "Contents");
        let own = BTreeMap::from([("contents".to_string(), "Sommaire".to_string())]);
        let fr = Strings::new("fr", &own);
        assert_eq!(fr.get("contents"), "Sommaire");
        assert_eq!(fr.get("notes"), "Notes");
    }

    #[test]
    fn lists_and_values_read_in_the_language() {
        let none = BTreeMap::new();
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let de = Strings::new("de", &none);
        assert_eq!(de.list(&names(&["A", "B", "C"])).unwrap(), "A, B und C");
        assert_eq!(
            de.with("published-by", "Verlag X"),
            "Erschienen bei Verlag X"
        );
        let ja = Strings::new("ja", &none);
        assert_eq!(ja.list(&names(&["甲", "乙"])).unwrap(), "甲、乙");
        assert_eq!(Strings::new("en", &none).list(&names(&["A"])).unwrap(), "A");
        let custom = BTreeMap::from([("colophon".to_string(), "Set by hand".to_string())]);
        assert_eq!(Strings::new("en", &custom).get("colophon"), "Set by hand");
    }
}
