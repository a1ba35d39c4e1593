//! Which Markdown a manuscript is written in: `[manuscript] dialect` in book.toml (or
//! `manuscript: {dialect: ...}` in YAML metadata) says so; else it is guessed from what the
//! manuscript holds, the way its author's tool would be recognised:
//!
//! - `pandoc` when there is pandoc-style metadata: a `metadata.yaml` / `metadata.yml`
//!   beside the chapters, or YAML front matter (`---` ... `---`) in a chapter file;
//! - `mdbook` when there is a `SUMMARY.md`;
//! - else `commonmark` (CommonMark with the extensions books need: tables, footnotes,
//!   strikethrough, task lists, smart punctuation, heading attributes, `^sup^`, `~sub~`).

use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Dialect {
    #[default]
    CommonMark,
    /// GitHub Flavored Markdown: CommonMark with its extensions (quire reads it as
    /// `commonmark`, which has them all, plus GitHub's `> [!NOTE]` alerts).
    Gfm,
    /// pandoc's Markdown as pandoc 3 reads it by default (see `markdown::pandoc`).
    Pandoc,
    /// mdBook's CommonMark, with `{{#include}}` and SUMMARY.md.
    MdBook,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::CommonMark => "commonmark",
            Dialect::Gfm => "gfm",
            Dialect::Pandoc => "pandoc",
            Dialect::MdBook => "mdbook",
        }
    }

    /// The guess for a manuscript with no `dialect` setting (see the module doc).
    pub fn guess(pandoc_metadata: bool, front_matter: bool, summary: bool) -> Dialect {
        if pandoc_metadata || front_matter {
            Dialect::Pandoc
        } else if summary {
            Dialect::MdBook
        } else {
            Dialect::CommonMark
        }
    }
}

impl FromStr for Dialect {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "commonmark" | "markdown_strict" => Ok(Dialect::CommonMark),
            "gfm" | "github" => Ok(Dialect::Gfm),
            "pandoc" | "markdown" => Ok(Dialect::Pandoc),
            "mdbook" => Ok(Dialect::MdBook),
            other => Err(format!(
                "dialect `{other}`: use \"commonmark\", \"gfm\", \"pandoc\" or \"mdbook\""
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_guess() {
        for d in [
            Dialect::CommonMark,
            Dialect::Gfm,
            Dialect::Pandoc,
            Dialect::MdBook,
        ] {
            assert_eq!(d.name().parse::<Dialect>(), Ok(d));
        }
        assert!("latex".parse::<Dialect>().is_err());
        assert_eq!(Dialect::guess(true, false, true), Dialect::Pandoc);
        assert_eq!(Dialect::guess(false, true, false), Dialect::Pandoc);
        assert_eq!(Dialect::guess(false, false, true), Dialect::MdBook);
        assert_eq!(Dialect::guess(false, false, false), Dialect::CommonMark);
    }
}
