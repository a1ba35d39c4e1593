//! Typographic quotes by the book's language. pulldown-cmark's smart punctuation curls the
//! author's straight quotes the English way (“…” ‘…’); for a German book they become „…“
//! and ‚…‘, for a French one « … » and ‹ … › with narrow no-break spaces inside, as pandoc
//! writes them. Only quotes pulldown-cmark made from `"` and `'` are changed (the converter
//! checks the source): quotes the author typed are never touched, and an apostrophe stays
//! an apostrophe.

/// The quotes of a language: (open double, close double, open single, close single).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotes {
    open2: &'static str,
    close2: &'static str,
    open1: &'static str,
    close1: &'static str,
}

impl Quotes {
    /// The quotes of BCP 47 `language`, or `None` for English ones (pulldown-cmark's).
    pub fn for_language(language: &str) -> Option<Quotes> {
        let primary = language
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let region = language.to_ascii_lowercase();
        match primary.as_str() {
            // Swiss German uses guillemets.
            "de" if region.ends_with("-ch") => Some(Quotes {
                open2: "«",
                close2: "»",
                open1: "‹",
                close1: "›",
            }),
            "de" | "cs" | "sk" | "sl" | "hr" | "bg" | "lt" | "et" | "is" => Some(Quotes {
                open2: "„",
                close2: "“",
                open1: "‚",
                close1: "‘",
            }),
            "fr" => Some(Quotes {
                open2: "«\u{202f}",
                close2: "\u{202f}»",
                open1: "‹\u{202f}",
                close1: "\u{202f}›",
            }),
            _ => None,
        }
    }
}

/// Rewrites the quotes one paragraph's smart punctuation made, in order.
#[derive(Debug)]
pub struct Requote {
    quotes: Quotes,
    /// Single quotes opened and not yet closed (a `’` then closes one; else it is an
    /// apostrophe).
    open_singles: usize,
}

impl Requote {
    pub fn new(quotes: Quotes) -> Requote {
        Requote {
            quotes,
            open_singles: 0,
        }
    }

    /// The text for a quote pulldown-cmark made (`made`, from the source `typed`), or
    /// `None` to keep it.
    pub fn map(&mut self, made: &str, typed: &str) -> Option<&'static str> {
        let q = self.quotes;
        match (made, typed) {
            ("“", "\"") => Some(q.open2),
            ("”", "\"") => Some(q.close2),
            ("‘", "'") => {
                self.open_singles += 1;
                Some(q.open1)
            }
            ("’", "'") if self.open_singles > 0 => {
                self.open_singles -= 1;
                Some(q.close1)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_and_french_quotes() {
        let de = Quotes::for_language("de-DE").unwrap();
        let mut r = Requote::new(de);
        assert_eq!(r.map("“", "\""), Some("„"));
        assert_eq!(r.map("”", "\""), Some("“"));
        assert_eq!(r.map("’", "'"), None, "an apostrophe");
        assert_eq!(r.map("‘", "'"), Some("‚"));
        assert_eq!(r.map("’", "'"), Some("‘"));
        assert_eq!(r.map("“", "“"), None, "typed quotes are kept");
        let fr = Quotes::for_language("fr").unwrap();
        assert_eq!(Requote::new(fr).map("“", "\""), Some("«\u{202f}"));
        assert_eq!(Quotes::for_language("en-GB"), None);
        assert_eq!(Quotes::for_language("de-CH").unwrap().open2, "«");
    }
}
