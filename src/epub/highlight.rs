//! Syntax highlighting of code blocks as XHTML, with the grammars and theme of
//! `crate::highlight` (shared with the PDF, loaded once).
//!
//! Code is split into spans with classes named after syntect's scopes (`hl-keyword`,
//! `hl-string`...), and the stylesheet gets the colours of one light theme, `InspiredGitHub`:
//! dark, saturated colours on white, which read well on paper-white e-ink and in print-like
//! reading modes, and which a reading system can override (classes, not inline colours).
//! A language syntect does not know (`console`, `text`) is set as plain monospace text.

use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::util::LinesWithEndings;

use crate::highlight::{syntax, syntaxes, theme};

/// Prefix of every highlighting class.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The code as XHTML spans (text escaped), or `None` when the language is unknown.
pub fn highlight(language: &str, code: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = syntax(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet rules for the highlighting classes.
pub fn css() -> String {
    theme()
        .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_is_highlighted_and_escaped() {
        let html = highlight("rust", "fn main() { let a = 1 < 2; }\n").unwrap();
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
        assert!(!html.contains("1 < 2"), "{html}");
    }

    #[test]
    fn unknown_languages_are_plain() {
        assert_eq!(highlight("no-such-language", "x"), None);
        assert_eq!(highlight("text", "x"), None);
    }

    #[test]
    fn the_theme_exists() {
        assert!(css().contains(".hl-"));
    }
}
