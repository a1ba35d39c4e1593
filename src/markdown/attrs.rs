//! pandoc's attribute blocks: `{#id .class key=value key="a value"}`, and the raw-format
//! marker `{=html}`.
//!
//! pulldown-cmark reads them on headings only (and without quoted values), so the pandoc
//! reader reads them everywhere else itself: after a div fence, a bracketed span, an image,
//! a link, inline code and a fenced code block's opening line. Written by hand: no crate
//! reads this small syntax, and it must accept the curly quotes smart punctuation has
//! already made of the author's `"` by the time the inline pass sees them.

use crate::model::Attrs;

/// What an attribute block says.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrBlock {
    Attrs(Attrs),
    /// `{=format}`: the code before it is raw `format` (`html`, `latex`...).
    Raw(String),
}

/// Reads an attribute block at the start of `s` (which must start with `{`): what it says
/// and its length in bytes, or `None` when `s` does not start with one (then it is text).
pub fn parse_block(s: &str) -> Option<(AttrBlock, usize)> {
    let body = s.strip_prefix('{')?;
    let end = closing_brace(body)?;
    let inside = &body[..end];
    let parsed = parse_inside(inside)?;
    Some((parsed, end + 2))
}

/// The byte index in `body` of the `}` that closes the block, quotes respected.
fn closing_brace(body: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in body.char_indices() {
        match quote {
            Some(q) if closes(q, c) => quote = None,
            Some(_) => {}
            None if c == '}' => return Some(i),
            None if c == '{' || c == '\n' && body[..i].trim().is_empty() => return None,
            None if is_open_quote(c) => quote = Some(c),
            None => {}
        }
    }
    None
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '„' | '‚' | '«' | '‹')
}

/// Whether `c` closes a value opened with `open`: smart punctuation may have made either
/// curly quote of the book's language of the author's `"`, so any closes any of its kind.
fn closes(open: char, c: char) -> bool {
    match open {
        '“' | '„' | '«' => matches!(c, '”' | '“' | '»'),
        '‘' | '‚' | '‹' => matches!(c, '’' | '‘' | '›'),
        q => c == q,
    }
}

/// The words inside the braces; `None` when one is not an attribute (the braces are text).
fn parse_inside(inside: &str) -> Option<AttrBlock> {
    let inside = inside.trim();
    if let Some(format) = inside.strip_prefix('=') {
        let ok = !format.is_empty()
            && format
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'));
        return ok.then(|| AttrBlock::Raw(format.to_ascii_lowercase()));
    }
    let mut attrs = Attrs::default();
    for word in words(inside)? {
        if let Some(id) = word.strip_prefix('#') {
            if id.is_empty() {
                return None;
            }
            attrs.id = id.to_string();
        } else if let Some(class) = word.strip_prefix('.') {
            if class.is_empty() {
                return None;
            }
            attrs.classes.push(class.to_string());
        } else if word == "-" {
            attrs.classes.push("unnumbered".into());
        } else if let Some((key, value)) = word.split_once('=') {
            let key_ok = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
            if !key_ok {
                return None;
            }
            attrs.pairs.push((key.to_string(), unquote(value)));
        } else {
            return None;
        }
    }
    Some(AttrBlock::Attrs(attrs))
}

/// Splits at white space outside quotes.
fn words(s: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if closes(q, c) => quote = None,
            Some(_) => {}
            None if c.is_whitespace() => {
                if let Some(st) = start.take() {
                    out.push(&s[st..i]);
                }
            }
            None => {
                if start.is_none() {
                    start = Some(i);
                }
                if is_open_quote(c) && s[..i].ends_with('=') {
                    quote = Some(c);
                }
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    Some(out)
}

fn unquote(value: &str) -> String {
    let mut chars = value.chars();
    match (chars.next(), value.chars().last()) {
        (Some(open), Some(close))
            if is_open_quote(open) && closes(open, close) && value.len() > 1 =>
        {
            let inner = &value[open.len_utf8()..value.len() - close.len_utf8()];
            inner.to_string()
        }
        _ => value.to_string(),
    }
}

/// The share of the text width `width=50%` asks for, as a fraction (other units are for
/// screens: a print page has its own measure).
pub fn width_share(attrs: &Attrs) -> Option<f32> {
    let width = attrs.get("width")?;
    let percent: f32 = width.trim().strip_suffix('%')?.trim().parse().ok()?;
    (percent > 0.0 && percent.is_finite()).then(|| (percent / 100.0).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(s: &str) -> Attrs {
        match parse_block(s) {
            Some((AttrBlock::Attrs(a), _)) => a,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn ids_classes_and_pairs() {
        let a = attrs("{#fig-1 .wide .center width=50% title=\"A b\" x=„c d“} tail");
        assert_eq!(a.id, "fig-1");
        assert_eq!(a.classes, ["wide", "center"]);
        assert_eq!(
            a.pairs,
            [
                ("width".to_string(), "50%".to_string()),
                ("title".into(), "A b".into()),
                ("x".into(), "c d".into())
            ]
        );
        assert_eq!(width_share(&a), Some(0.5));
        assert_eq!(parse_block("{.a} tail").map(|(_, n)| n), Some(4));
        assert_eq!(attrs("{-}").classes, ["unnumbered"]);
        assert_eq!(
            parse_block("{=latex}").map(|(b, _)| b),
            Some(AttrBlock::Raw("latex".into()))
        );
    }

    #[test]
    fn text_in_braces_is_not_an_attribute_block() {
        for s in [
            "{x}",
            "{a b}",
            "{",
            "{.}",
            "{#}",
            "{x=\"open}",
            "{ {.a} }",
            "{=}",
        ] {
            assert_eq!(parse_block(s), None, "{s}");
        }
    }
}
