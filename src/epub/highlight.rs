//! Syntax highlighting of code blocks as XHTML, with the grammars and theme of
//! `crate::highlight` (shared with the PDF, loaded once).
//!
//! Code is split into spans with classes named after syntect's scopes (`hl-keyword`,
//! `hl-string`...), and the stylesheet gets the colours of one light theme, `InspiredGitHub`:
//! dark, saturated colours on white, which read well on paper-white e-ink and in print-like
//! reading modes, and which a reading system can override (classes, not inline colours).
//! A language syntect does not know (`console`, `text`) is set as plain monospace text.

use syntect::highlighting::{Color, Theme};
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::util::LinesWithEndings;

use crate::highlight::{syntax, syntaxes, theme, Colour};

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

/// The page the light colours are made readable on: a sepia page, darker than white, so
/// what reads on it reads on white too.
const SEPIA: Colour = Colour {
    r: 0xf4,
    g: 0xec,
    b: 0xd8,
};
/// The page the night colours are made readable on: a grey night page, lighter than the
/// black or near-black ones most readers use, so what reads on it reads on those too.
const NIGHT: Colour = Colour {
    r: 0x33,
    g: 0x33,
    b: 0x33,
};

/// The stylesheet rules for the highlighting classes: the theme's colours, each moved to WCAG
/// AA contrast (4.5:1) with a light page, and in `prefers-color-scheme: dark` with a night
/// page. The theme's backgrounds are left out: the page's colour is the reader's.
pub fn css() -> String {
    let Some(theme) = theme() else {
        return String::new();
    };
    let light = css_for_theme_with_class_style(&readable(theme, SEPIA), STYLE).ok();
    let dark = css_for_theme_with_class_style(&readable(theme, NIGHT), STYLE).ok();
    match (light, dark) {
        (Some(light), Some(dark)) => {
            format!("{light}\n@media (prefers-color-scheme: dark) {{\n{dark}}}\n")
        }
        (light, _) => light.unwrap_or_default(),
    }
}

/// The theme with every colour readable on `page` and no backgrounds.
fn readable(theme: &Theme, page: Colour) -> Theme {
    let fix = |c: &mut Option<Color>| {
        if let Some(c) = c {
            let r = Colour {
                r: c.r,
                g: c.g,
                b: c.b,
            }
            .readable_on(page);
            *c = Color {
                r: r.r,
                g: r.g,
                b: r.b,
                a: 0xff,
            };
        }
    };
    let mut theme = theme.clone();
    fix(&mut theme.settings.foreground);
    theme.settings.background = None;
    for item in &mut theme.scopes {
        fix(&mut item.style.foreground);
        item.style.background = None;
    }
    theme
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::MIN_CONTRAST;

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

    /// Every colour the stylesheet sets, with whether it is in the night block.
    fn colours(css: &str) -> Vec<(bool, Colour)> {
        let night_from = css.find("prefers-color-scheme: dark").unwrap_or(css.len());
        let mut out = Vec::new();
        for (at, _) in css.match_indices("color: #") {
            let hex = &css[at + 8..at + 14];
            let v = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
            out.push((
                at > night_from,
                Colour {
                    r: v(0),
                    g: v(2),
                    b: v(4),
                },
            ));
        }
        out
    }

    #[test]
    fn every_colour_meets_wcag_aa_by_day_and_by_night() {
        let css = css();
        assert!(!css.contains("background-color"), "{css}");
        let all = colours(&css);
        assert!(all.iter().filter(|(night, _)| *night).count() > 10, "{css}");
        assert!(
            all.iter().filter(|(night, _)| !*night).count() > 10,
            "{css}"
        );
        for (night, c) in all {
            if night {
                assert!(c.contrast(Colour::BLACK) >= MIN_CONTRAST, "{c:?}");
                assert!(c.contrast(NIGHT) >= MIN_CONTRAST, "{c:?}");
            } else {
                assert!(c.contrast(Colour::WHITE) >= MIN_CONTRAST, "{c:?}");
                assert!(c.contrast(SEPIA) >= MIN_CONTRAST, "{c:?}");
            }
        }
    }
}
