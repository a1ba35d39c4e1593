//! pandoc's inline attributes, read on each run of inlines once pulldown-cmark has made
//! them (it reads none of them): bracketed spans `[text]{#id .class}`, attributes right
//! after an image, a link, inline code or a span (`![a](x.png){width=50%}`,
//! `` `x`{.rust} ``), and raw inlines (`` `<b>`{=html} ``, `` `\pause`{=latex} ``).
//!
//! pulldown-cmark hands an unmatched `[text]` over as text, so a span is found from its
//! `]{...}`: back to the `[` that opens it, brackets counted in the text at this level of
//! nesting (emphasis, links and code between are carried into the span whole).

use super::super::attrs::{parse_block, take_image_size, AttrBlock};
use crate::diagnostic::Code;
use crate::model::{Attrs, Inline};

/// What the pass met besides what it read.
#[derive(Debug, Default)]
pub struct Found {
    /// Messages about pandoc syntax left as it was written (or left out).
    pub warnings: Vec<(Code, String)>,
    /// Raw HTML written as `{=html}` inlines, in order (the converter registers them).
    pub raw_html: Vec<String>,
}

/// Reads the attributes of `inlines` and of every run inside them.
pub fn read(inlines: &mut Vec<Inline>, found: &mut Found) {
    for i in inlines.iter_mut() {
        match i {
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Link { content: c, .. }
            | Inline::Span { content: c, .. } => read(c, found),
            _ => {}
        }
    }
    merge_text(inlines);
    spans(inlines);
    attached(inlines, found);
    super::scripts::read(inlines);
    leftovers(inlines, found);
}

/// Joins neighbouring text (the converter merges most of it already), and an attribute
/// block that runs over a line end (`]{.ex` / `href="..."}`) into one text.
fn merge_text(inlines: &mut Vec<Inline>) {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    let mut pending_break = false;
    for i in std::mem::take(inlines) {
        let open = matches!(out.last(), Some(Inline::Text(a)) if unclosed_brace(a));
        match (out.last_mut(), i) {
            (Some(Inline::Text(a)), Inline::Text(b)) => {
                if std::mem::take(&mut pending_break) {
                    a.push(' ');
                }
                a.push_str(&b)
            }
            (_, Inline::SoftBreak) if open && !pending_break => pending_break = true,
            (_, i) => {
                if std::mem::take(&mut pending_break) {
                    out.push(Inline::SoftBreak);
                }
                out.push(i)
            }
        }
    }
    if pending_break {
        out.push(Inline::SoftBreak);
    }
    *inlines = out;
}

/// Whether text ends inside an attribute block (`]{.ex`).
fn unclosed_brace(text: &str) -> bool {
    match text.rfind('{') {
        Some(i) => !text[i..].contains('}') && text[..i].ends_with([']', ')', '`']),
        None => false,
    }
}

/// Bracketed spans: `[` ... `]{attrs}`.
fn spans(inlines: &mut Vec<Inline>) {
    let mut k = 0;
    // Where in `inlines[k]` to look from.
    let mut from = 0;
    while k < inlines.len() {
        let Inline::Text(t) = &inlines[k] else {
            k += 1;
            from = 0;
            continue;
        };
        let Some(p) = t[from..].find("]{").map(|p| from + p) else {
            k += 1;
            from = 0;
            continue;
        };
        let attrs = match parse_block(&t[p + 1..]) {
            Some((AttrBlock::Attrs(a), len)) => (a, len),
            _ => {
                from = p + 1;
                continue;
            }
        };
        let Some((j, q)) = opening_bracket(inlines, k, p) else {
            from = p + 1;
            continue;
        };
        let (attrs, len) = attrs;
        // Split: before `[`, the content, after `]{...}`.
        let mut rest = inlines.split_off(k);
        let Some(Inline::Text(last)) = rest.first().cloned() else {
            inlines.append(&mut rest);
            return;
        };
        let after = last[p + 1 + len..].to_string();
        let tail: Vec<Inline> = rest.drain(1..).collect();
        let mut content: Vec<Inline>;
        if j == k {
            content = vec![Inline::Text(last[q + 1..p].to_string())];
            if q > 0 {
                inlines.push(Inline::Text(last[..q].to_string()));
            }
        } else {
            let mut middle = inlines.split_off(j);
            let Some(Inline::Text(first)) = middle.first().cloned() else {
                return;
            };
            middle.remove(0);
            if q > 0 {
                inlines.push(Inline::Text(first[..q].to_string()));
            }
            content = vec![Inline::Text(first[q + 1..].to_string())];
            content.extend(middle);
            content.push(Inline::Text(last[..p].to_string()));
        }
        content.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
        spans(&mut content);
        inlines.push(Inline::Span { attrs, content });
        let resume = inlines.len();
        if !after.is_empty() {
            inlines.push(Inline::Text(after));
        }
        inlines.extend(tail);
        k = resume;
        from = 0;
    }
}

/// The `[` that opens the span whose `]` is at byte `p` of `inlines[k]` (a text): (index,
/// byte offset).
fn opening_bracket(inlines: &[Inline], k: usize, p: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for j in (0..=k).rev() {
        let Inline::Text(t) = &inlines[j] else {
            continue;
        };
        let end = if j == k { p } else { t.len() };
        for (q, c) in t[..end].char_indices().rev() {
            match c {
                ']' => depth += 1,
                '[' if depth == 0 => {
                    // `![` is an image pulldown-cmark did not read; `^[` a note.
                    let before = t[..q].chars().next_back();
                    return (!matches!(before, Some('!'))).then_some((j, q));
                }
                '[' => depth -= 1,
                _ => {}
            }
        }
    }
    None
}

/// Attributes right after an image, link, code or span.
fn attached(inlines: &mut Vec<Inline>, found: &mut Found) {
    let mut k = 0;
    while k + 1 < inlines.len() {
        let target = matches!(
            inlines[k],
            Inline::Image { .. } | Inline::Link { .. } | Inline::Code(_) | Inline::Span { .. }
        );
        let parsed = match &inlines[k + 1] {
            Inline::Text(t) if target && t.starts_with('{') => parse_block(t),
            _ => None,
        };
        let Some((block, len)) = parsed else {
            k += 1;
            continue;
        };
        if let Inline::Text(t) = &mut inlines[k + 1] {
            t.replace_range(..len, "");
            if t.is_empty() {
                inlines.remove(k + 1);
            }
        }
        let inline = std::mem::replace(&mut inlines[k], Inline::SoftBreak);
        match (block, inline) {
            (AttrBlock::Raw(format), Inline::Code(code)) => {
                if format == "html" || format == "html5" {
                    found.raw_html.push(code.clone());
                    inlines[k] = Inline::Html(code);
                } else {
                    found.warnings.push((Code::RawFormatSkipped, format!(
                        "raw {format} `{code}`{{={format}}} is left out: only raw HTML goes into a book (quire does not run {format})"
                    )));
                    inlines.remove(k);
                    continue;
                }
            }
            (AttrBlock::Raw(format), other) => {
                found.warnings.push((
                    Code::PandocSyntax,
                    format!("`{{={format}}}` follows no inline code; it is left out"),
                ));
                inlines[k] = other;
            }
            // Code keeps its text; its language and classes are for highlighting, which
            // inline code does not get.
            (AttrBlock::Attrs(_), Inline::Code(code)) => inlines[k] = Inline::Code(code),
            (AttrBlock::Attrs(extra), Inline::Span { mut attrs, content }) => {
                merge(&mut attrs, extra);
                inlines[k] = Inline::Span { attrs, content };
            }
            // An image's size is the image's own; what else the block says (an id, a
            // class) stays around it as a span.
            (
                AttrBlock::Attrs(mut attrs),
                Inline::Image {
                    src, alt, title, ..
                },
            ) => {
                let (size, bad) = take_image_size(&mut attrs);
                found
                    .warnings
                    .extend(bad.into_iter().map(|m| (Code::ImageSize, m)));
                let image = Inline::Image {
                    src,
                    alt,
                    title,
                    size,
                };
                inlines[k] = if attrs == Attrs::default() {
                    image
                } else {
                    Inline::Span {
                        attrs,
                        content: vec![image],
                    }
                };
            }
            (AttrBlock::Attrs(attrs), other) => {
                inlines[k] = Inline::Span {
                    attrs,
                    content: vec![other],
                };
            }
        }
        k += 1;
    }
}

fn merge(into: &mut Attrs, extra: Attrs) {
    if into.id.is_empty() {
        into.id = extra.id;
    }
    into.classes.extend(extra.classes);
    into.pairs.extend(extra.pairs);
}

/// Attribute blocks still in the text: they follow nothing quire reads attributes of.
fn leftovers(inlines: &[Inline], found: &mut Found) {
    for i in inlines {
        let Inline::Text(t) = i else { continue };
        for (p, _) in t.match_indices('{') {
            let looks = t[p + 1..].starts_with(['#', '.', '=', '-']);
            if !looks {
                continue;
            }
            let len = match parse_block(&t[p..]) {
                Some((_, len)) => Some(len),
                // Attributes quire cannot read at all (`{.x y}`): said too.
                None if t[p + 1..].starts_with(['#', '.']) => {
                    Some(t[p..].find('}').map_or(t.len() - p, |e| e + 1))
                }
                None => None,
            };
            if let Some(len) = len {
                found.warnings.push((Code::PandocSyntax, format!(
                    "the attributes `{}` follow nothing that takes attributes (a span `[text]{{...}}`, an image, a link, code); they are printed as written",
                    &t[p..p + len]
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ImageSize, Length, Unit};

    fn t(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    fn class(c: &str) -> Attrs {
        Attrs {
            classes: vec![c.into()],
            ..Attrs::default()
        }
    }

    #[test]
    fn spans_across_inlines_and_nested() {
        let mut v = vec![
            t("a [Small "),
            Inline::Emphasis(vec![t("caps")]),
            t(" [in]{.x}]{.smallcaps} b [not a span] c"),
        ];
        let mut f = Found::default();
        read(&mut v, &mut f);
        assert_eq!(
            v,
            vec![
                t("a "),
                Inline::Span {
                    attrs: class("smallcaps"),
                    content: vec![
                        t("Small "),
                        Inline::Emphasis(vec![t("caps")]),
                        t(" "),
                        Inline::Span {
                            attrs: class("x"),
                            content: vec![t("in")]
                        },
                    ]
                },
                t(" b [not a span] c"),
            ]
        );
        assert!(f.warnings.is_empty());
    }

    #[test]
    fn attributes_over_a_line_end() {
        let mut v = vec![
            t("see [man 5]{.ex"),
            Inline::SoftBreak,
            t("href=“https://x.org/”} now"),
            Inline::SoftBreak,
            t("next"),
        ];
        read(&mut v, &mut Found::default());
        let mut attrs = class("ex");
        attrs.pairs.push(("href".into(), "https://x.org/".into()));
        assert_eq!(
            v,
            vec![
                t("see "),
                Inline::Span {
                    attrs,
                    content: vec![t("man 5")]
                },
                t(" now"),
                Inline::SoftBreak,
                t("next"),
            ]
        );
    }

    #[test]
    fn attributes_after_images_code_and_raw() {
        let img = Inline::Image {
            src: "x.png".into(),
            alt: "X".into(),
            title: None,
            size: ImageSize::default(),
        };
        let mut v = vec![
            img.clone(),
            t("{#f width=50%} and "),
            Inline::Code("fn".into()),
            t("{.rust} "),
            Inline::Code("<b>".into()),
            t("{=html}"),
            Inline::Code("\\pause".into()),
            t("{=latex} odd {.left}"),
        ];
        let mut f = Found::default();
        read(&mut v, &mut f);
        let attrs = Attrs {
            id: "f".into(),
            ..Attrs::default()
        };
        let sized = Inline::Image {
            src: "x.png".into(),
            alt: "X".into(),
            title: None,
            size: ImageSize {
                width: Some(Length {
                    value: 50.0,
                    unit: Unit::Percent,
                }),
                height: None,
            },
        };
        assert_eq!(
            v,
            vec![
                Inline::Span {
                    attrs,
                    content: vec![sized]
                },
                t(" and "),
                Inline::Code("fn".into()),
                t(" "),
                Inline::Html("<b>".into()),
                t(" odd {.left}"),
            ]
        );
        assert_eq!(f.raw_html, ["<b>"]);
        assert_eq!(f.warnings.len(), 2, "{:?}", f.warnings);
        assert!(f.warnings[0].1.contains("latex"));
        assert!(f.warnings[1].1.contains("{.left}"));
    }
}
