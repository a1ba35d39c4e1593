//! The copyright page's words, as a press prints them: the full title, the author line,
//! the editors, translators and illustrators, "First published 1813", the publisher, the
//! rights (as their Markdown says them) or "© 2026 A. Author", the ISBN, the colophon.
//! What is unknown is left out: never a placeholder ("Author unknown") or a machine
//! identifier (a `urn:uuid`). Both writers set these same lines, each in its own way.

use chrono::Datelike;

use crate::model::{Edition, Inline, Metadata};
use crate::strings::Strings;

/// What a line of the copyright page is, for the writer's style (EPUB class names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Author,
    Credit,
    Published,
    Rights,
    Isbn,
    Colophon,
}

impl LineKind {
    /// The class an HTML writer gives the line.
    pub fn class(self) -> &'static str {
        match self {
            LineKind::Title => "book-title",
            LineKind::Author => "book-author",
            LineKind::Credit => "credit",
            LineKind::Published => "published",
            LineKind::Rights => "rights",
            LineKind::Isbn => "isbn",
            LineKind::Colophon => "colophon",
        }
    }

    /// Lines that start a new group (a little space above them).
    pub fn opens_group(self) -> bool {
        matches!(
            self,
            LineKind::Published | LineKind::Rights | LineKind::Colophon
        )
    }
}

/// One line (or paragraph) of the copyright page.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub kind: LineKind,
    pub content: Vec<Inline>,
}

/// The year a date such as `1813`, `2025-05` or `2025-05-12` names.
fn year(date: &str) -> Option<&str> {
    let y = date.trim().get(..4)?;
    y.chars().all(|c| c.is_ascii_digit()).then_some(y)
}

/// The copyright page of `meta`, in the words of `strings`.
pub fn copyright_lines(meta: &Metadata, strings: &Strings) -> Vec<Line> {
    let text = |kind, s: String| Line {
        kind,
        content: vec![Inline::Text(s)],
    };
    let mut out = Vec::new();
    let mut title = vec![Inline::Text(meta.title.clone())];
    if let Some(sub) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        title.push(Inline::Text(format!(": {sub}")));
    }
    out.push(Line {
        kind: LineKind::Title,
        content: vec![Inline::Emphasis(title)],
    });
    if let Some(authors) = strings.list(&meta.authors) {
        out.push(text(LineKind::Author, authors));
    }
    for (role, key) in [
        ("edt", "edited-by"),
        ("trl", "translated-by"),
        ("ill", "illustrated-by"),
    ] {
        let names: Vec<String> = meta
            .contributors
            .iter()
            .filter(|c| c.role == role)
            .map(|c| c.name.clone())
            .collect();
        if let Some(names) = strings.list(&names) {
            out.push(text(LineKind::Credit, strings.with(key, &names)));
        }
    }
    if let Some(y) = meta.date.as_deref().and_then(year) {
        out.push(text(
            LineKind::Published,
            strings.with("first-published", y),
        ));
    }
    if let Some(p) = meta.publisher.as_deref().filter(|p| !p.trim().is_empty()) {
        out.push(text(LineKind::Published, strings.with("published-by", p)));
    }
    if !meta.rights_inlines.is_empty() {
        out.push(Line {
            kind: LineKind::Rights,
            content: meta.rights_inlines.clone(),
        });
    } else if let Some(rights) = meta.rights.as_deref().filter(|r| !r.trim().is_empty()) {
        out.push(text(LineKind::Rights, rights.to_string()));
    } else if let Some(holder) = strings.list(&meta.authors) {
        // No rights statement: the author holds the copyright of this edition, made in the
        // year it was last changed.
        out.push(text(
            LineKind::Rights,
            format!("© {} {holder}", meta.modified.year()),
        ));
    }
    for (edition, isbn) in meta.isbns.listed() {
        let line = match edition {
            None => format!("ISBN {isbn}"),
            Some(Edition::Print) => format!("ISBN {isbn} ({})", strings.get("print-edition")),
            Some(Edition::Ebook) => format!("ISBN {isbn} ({})", strings.get("ebook-edition")),
        };
        out.push(text(LineKind::Isbn, line));
    }
    out.push(text(
        LineKind::Colophon,
        strings.get("colophon").to_string(),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{plain_text, Contributor};
    use std::collections::BTreeMap;

    fn lines(meta: &Metadata, lang: &str) -> Vec<String> {
        copyright_lines(meta, &Strings::new(lang, &BTreeMap::new()))
            .iter()
            .map(|l| plain_text(&l.content))
            .collect()
    }

    #[test]
    fn a_press_would_print_these_words() {
        let meta = Metadata {
            title: "Pride and Prejudice".into(),
            authors: vec!["Jane Austen".into()],
            identifier: "urn:uuid:6f1c2d0e-3b7a-5c9e-9a41-2f8d5e7b1c30".into(),
            date: Some("1813-01-28".into()),
            modified: chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap(),
            ..Metadata::default()
        };
        assert_eq!(
            lines(&meta, "en"),
            [
                "Pride and Prejudice",
                "Jane Austen",
                "First published 1813",
                "© 2026 Jane Austen",
                "Made with quire"
            ]
        );
        let none = Metadata {
            title: "T".into(),
            ..Metadata::default()
        };
        // Nothing unknown is made up.
        assert_eq!(lines(&none, "en"), ["T", "Made with quire"]);
    }

    #[test]
    fn credits_isbn_and_publisher_in_the_books_language() {
        let meta = Metadata {
            title: "Der Titel".into(),
            authors: vec!["A. Autorin".into()],
            contributors: vec![
                Contributor {
                    name: "A. Autorin".into(),
                    role: "aut".into(),
                    file_as: None,
                },
                Contributor {
                    name: "Ü. Setzer".into(),
                    role: "trl".into(),
                    file_as: None,
                },
            ],
            publisher: Some("Verlag X".into()),
            rights: Some("Alle Rechte vorbehalten".into()),
            isbns: crate::model::Isbns {
                print: Some("9783161484100".into()),
                ebook: Some("9783161484100".into()),
            },
            ..Metadata::default()
        };
        assert_eq!(
            lines(&meta, "de-AT"),
            [
                "Der Titel",
                "A. Autorin",
                "Übersetzt von Ü. Setzer",
                "Erschienen bei Verlag X",
                "Alle Rechte vorbehalten",
                "ISBN 9783161484100",
                "Erstellt mit quire"
            ]
        );
    }

    #[test]
    fn each_edition_lists_its_own_isbn() {
        let meta = Metadata {
            title: "T".into(),
            isbns: crate::model::Isbns {
                print: Some("9783161484100".into()),
                ebook: Some("9780141439518".into()),
            },
            ..Metadata::default()
        };
        let got = lines(&meta, "de");
        assert!(
            got.contains(&"ISBN 9783161484100 (Druckausgabe)".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"ISBN 9780141439518 (E-Book)".to_string()),
            "{got:?}"
        );
        let only_ebook = Metadata {
            isbns: crate::model::Isbns {
                print: None,
                ebook: Some("9780141439518".into()),
            },
            ..meta
        };
        let got = lines(&only_ebook, "en");
        assert!(
            got.contains(&"ISBN 9780141439518 (ebook)".to_string()),
            "{got:?}"
        );
        assert!(!got.iter().any(|l| l.contains("9783161484100")), "{got:?}");
    }
}
