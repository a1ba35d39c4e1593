//! Syntax highlighting of code blocks, shared by both writers: syntect's grammars and the
//! `InspiredGitHub` theme, each loaded once (loading takes a noticeable moment) and only when a
//! book has code to highlight.
//!
//! syntect is pure Rust here (its `fancy-regex` engine, no Oniguruma). A language is the info
//! string's first word as the reader keeps it (`rust,ignore` -> `rust`); a language syntect
//! does not know (`console`, `text`) is not highlighted.

use std::sync::OnceLock;

use syntect::easy::HighlightLines;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The theme both writers take their colours from: dark, saturated colours on white, made for
/// light backgrounds (paper, e-ink), with grey comments.
pub const THEME: &str = "InspiredGitHub";

/// The grammars, loaded on first use.
pub fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The theme, loaded on first use (`None` only if syntect stopped shipping it).
pub fn theme() -> Option<&'static Theme> {
    static THEME_LOADED: OnceLock<Option<Theme>> = OnceLock::new();
    THEME_LOADED
        .get_or_init(|| ThemeSet::load_defaults().themes.remove(THEME))
        .as_ref()
}

/// The grammar for a language, or `None` when syntect does not know it (plain text included).
pub fn syntax(language: &str) -> Option<&'static SyntaxReference> {
    let syntax = syntaxes().find_syntax_by_token(language)?;
    (syntax.name != "Plain Text").then_some(syntax)
}

/// A colour as the theme gives it, 0-255 per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colour {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

/// WCAG 2's level AA contrast for body text, which every code colour meets against the
/// background it is read on (paper in the PDF; the page and the night page in the EPUB).
pub const MIN_CONTRAST: f32 = 4.5;

impl Colour {
    pub const BLACK: Colour = Colour { r: 0, g: 0, b: 0 };
    pub const WHITE: Colour = Colour {
        r: 0xff,
        g: 0xff,
        b: 0xff,
    };

    /// WCAG relative luminance (0 for black, 1 for white).
    pub fn luminance(self) -> f32 {
        let linear = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// WCAG contrast ratio of two colours (1 to 21).
    pub fn contrast(self, other: Colour) -> f32 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// This colour, keeping its hue, moved away from `background` (darker on a light page,
    /// lighter on a dark one) in small steps until it has [`MIN_CONTRAST`] with it; unchanged
    /// when it already has. A background too close to mid-grey for any colour ends at black
    /// or white, the most there is.
    pub fn readable_on(self, background: Colour) -> Colour {
        let darken = background.luminance() > 0.18;
        let mut c = self;
        let mut k = 0.0f32;
        while c.contrast(background) < MIN_CONTRAST && k < 1.0 {
            k = (k + 0.02).min(1.0);
            let step = |v: u8| {
                let v = f32::from(v);
                let to = if darken { 0.0 } else { 255.0 };
                (v + (to - v) * k).round() as u8
            };
            c = Colour {
                r: step(self.r),
                g: step(self.g),
                b: step(self.b),
            };
        }
        c
    }
}

/// A piece of highlighted code: its text (within one source line) and its colour. (The
/// theme's italic and bold are not kept: the bundled monospaced face has neither.)
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub text: String,
    pub colour: Colour,
}

/// The code's lines (without their line ends), each as tokens in order, or `None` when the
/// language is unknown. The tokens of a line joined give the line back exactly.
pub fn tokens(language: &str, code: &str) -> Option<Vec<Vec<Token>>> {
    let syntax = syntax(language)?;
    let mut lines = HighlightLines::new(syntax, theme()?);
    let mut out = Vec::new();
    for line in LinesWithEndings::from(code) {
        let spans = lines.highlight_line(line, syntaxes()).ok()?;
        let mut tokens: Vec<Token> = Vec::new();
        for (style, text) in spans {
            let text = text.trim_end_matches(['\n', '\r']);
            if text.is_empty() {
                continue;
            }
            let c = style.foreground;
            let token = Token {
                text: text.to_string(),
                colour: Colour {
                    r: c.r,
                    g: c.g,
                    b: c.b,
                },
            };
            match tokens.last_mut() {
                Some(last) if last.colour == token.colour => last.text.push_str(&token.text),
                _ => tokens.push(token),
            }
        }
        out.push(tokens);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_keywords_and_comments_differ_from_plain_text() {
        let lines = tokens("rust", "fn main() { // hi\n    let a = \"s\";\n}\n").unwrap();
        assert_eq!(lines.len(), 3);
        let joined: String = lines[1].iter().map(|t| t.text.as_str()).collect();
        assert_eq!(joined, "    let a = \"s\";");
        let colour = |line: usize, text: &str| {
            lines[line]
                .iter()
                .find(|t| t.text.contains(text))
                .map(|t| t.colour)
                .unwrap()
        };
        assert_ne!(colour(0, "fn"), colour(0, "main"));
        assert_ne!(colour(0, "// hi"), colour(0, "fn"));
        assert_ne!(colour(1, "\"s\""), colour(1, "let"));
    }

    #[test]
    fn readable_colours_meet_wcag_aa_on_light_and_dark_pages() {
        let grey = Colour {
            r: 0x96,
            g: 0x98,
            b: 0x96,
        };
        assert!(grey.contrast(Colour::WHITE) < 3.0);
        let night = Colour {
            r: 0x30,
            g: 0x30,
            b: 0x30,
        };
        for bg in [Colour::WHITE, night, Colour::BLACK] {
            let c = grey.readable_on(bg);
            assert!(c.contrast(bg) >= MIN_CONTRAST, "{c:?} on {bg:?}");
        }
        // Already readable: unchanged.
        assert_eq!(Colour::BLACK.readable_on(Colour::WHITE), Colour::BLACK);
        assert!((Colour::BLACK.contrast(Colour::WHITE) - 21.0).abs() < 0.01);
    }

    #[test]
    fn unknown_languages_are_not_highlighted() {
        assert!(tokens("no-such-language", "x").is_none());
        assert!(tokens("text", "x").is_none());
        assert!(syntax("rust").is_some());
        assert!(theme().is_some());
    }
}
