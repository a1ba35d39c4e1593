//! pandoc's attribute blocks: `{#id .class key=value key="a value"}`, and the raw-format
//! marker `{=html}`.
//!
//! pulldown-cmark reads them on headings only (and without quoted values), so the pandoc
//! reader reads them everywhere else itself: after a div fence, a bracketed span, an image,
//! a link, inline code and a fenced code block's opening line. Written by hand: no crate
//! reads this small syntax, and it must accept the curly quotes smart punctuation has
//! already made of the author's `"` by the time the inline pass sees them.

use crate::model::html::Element;
use crate::model::{Attrs, ImageSize, Length, Unit};

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

/// Takes `width=` and `height=` out of an image's attributes as the size the author asked
/// for; a value that is not a length pandoc reads is left out, with a message for each.
pub fn take_image_size(attrs: &mut Attrs) -> (ImageSize, Vec<String>) {
    let mut size = ImageSize::default();
    let mut bad = Vec::new();
    attrs.pairs.retain(|(key, value)| {
        let slot = match key.as_str() {
            "width" => &mut size.width,
            "height" => &mut size.height,
            _ => return true,
        };
        match length(value) {
            Some(l) => *slot = Some(l),
            None => bad.push(format!(
                "image {key} `{value}` is not a length quire reads (50%, 300px or a bare number of pixels, 3in, 8cm, 80mm, 12pt, 2pc, 2em): the image keeps its natural {key}"
            )),
        }
        false
    });
    (size, bad)
}

/// The size a raw `<img>` asks for: its `width`/`height` attributes (a bare number is
/// pixels) or the `width`/`height` of its `style`, which win as they do in a browser.
/// Values a book cannot use (`auto`, `calc()`, `vw`) leave that side natural, as a
/// browser's `max-width: 100%` would make it anyway.
pub fn html_image_size(img: &Element) -> ImageSize {
    let style = |name: &str| {
        img.attr("style").and_then(|style| {
            style.split(';').find_map(|decl| {
                let (key, value) = decl.split_once(':')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_string())
            })
        })
    };
    let side = |name: &str| {
        style(name)
            .as_deref()
            .and_then(length)
            .or_else(|| img.attr(name).and_then(length))
    };
    ImageSize {
        width: side("width"),
        height: side("height"),
    }
}

/// A length as pandoc reads one (`Text.Pandoc.ImageSize.lengthToDim`): a number and one of
/// `%`, `px` (or none), `pt`, `pc`, `in`/`inch`, `cm`, `mm`, `em`. Zero, negative and
/// non-finite lengths are none.
pub fn length(s: &str) -> Option<Length> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let value: f32 = number.parse().ok()?;
    let unit = match unit.trim().to_ascii_lowercase().as_str() {
        "%" => Unit::Percent,
        "" | "px" => Unit::Px,
        "pt" => Unit::Pt,
        "pc" => Unit::Pc,
        "in" | "inch" => Unit::In,
        "cm" => Unit::Cm,
        "mm" => Unit::Mm,
        "em" => Unit::Em,
        _ => return None,
    };
    (value > 0.0 && value.is_finite()).then_some(Length { value, unit })
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
        let mut a = a;
        let (size, bad) = take_image_size(&mut a);
        assert_eq!(
            size.width,
            Some(Length {
                value: 50.0,
                unit: Unit::Percent
            })
        );
        assert!(bad.is_empty() && a.get("width").is_none() && a.get("x").is_some());
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

    #[test]
    fn lengths_as_pandoc_reads_them() {
        let l = |v: f32, unit| Some(Length { value: v, unit });
        assert_eq!(length("50%"), l(50.0, Unit::Percent));
        assert_eq!(length("300"), l(300.0, Unit::Px));
        assert_eq!(length("300px"), l(300.0, Unit::Px));
        assert_eq!(length("2.5cm"), l(2.5, Unit::Cm));
        assert_eq!(length("3inch"), l(3.0, Unit::In));
        assert_eq!(length(" 12pt "), l(12.0, Unit::Pt));
        assert_eq!(length("2em"), l(2.0, Unit::Em));
        for bad in ["", "auto", "0", "-3cm", "3vw", "1e9", "calc(50%)", "50 %%"] {
            assert_eq!(length(bad), None, "{bad}");
        }
        let mut a = Attrs::default();
        a.pairs.push(("height".into(), "huge".into()));
        let (size, bad) = take_image_size(&mut a);
        assert!(size.is_natural() && a.pairs.is_empty());
        assert!(bad[0].contains("height `huge`"), "{bad:?}");
    }

    #[test]
    fn html_sizes_prefer_the_style() {
        let img = Element {
            name: "img".into(),
            html: true,
            attrs: vec![
                ("width".into(), "640".into()),
                ("height".into(), "auto".into()),
                ("style".into(), "border: 0; width: 50%".into()),
            ],
            children: Vec::new(),
        };
        let size = html_image_size(&img);
        assert_eq!(
            size.width,
            Some(Length {
                value: 50.0,
                unit: Unit::Percent
            })
        );
        assert_eq!(size.height, None);
    }
}
