//! Superscript and subscript inside a word, as pandoc reads them: `H~2~O`, `2^10^`.
//! pulldown-cmark reads `^x^` and `~x~` by its emphasis rules, which need a word boundary on
//! the outside, so it hands these over as text; pandoc's rule is only that the text between
//! the marks has no space (a space written `\ ` is kept) and is not empty.

use crate::model::Inline;

/// Reads `^...^` and `~...~` left in the text of `inlines` (one level; `spans::read` calls
/// it on every run).
pub fn read(inlines: &mut Vec<Inline>) {
    if !inlines
        .iter()
        .any(|i| matches!(i, Inline::Text(t) if t.contains(['^', '~'])))
    {
        return;
    }
    let mut out = Vec::with_capacity(inlines.len());
    for i in std::mem::take(inlines) {
        match i {
            Inline::Text(t) => split(&t, &mut out),
            other => out.push(other),
        }
    }
    *inlines = out;
}

fn split(text: &str, out: &mut Vec<Inline>) {
    let mut rest = text;
    let mut plain = String::new();
    while let Some(i) = rest.find(['^', '~']) {
        let mark = rest[i..].chars().next().unwrap_or('^');
        let after = &rest[i + 1..];
        match closing(after, mark) {
            Some(end) => {
                plain.push_str(&rest[..i]);
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                let inner = vec![Inline::Text(after[..end].replace("\\ ", " "))];
                out.push(if mark == '^' {
                    Inline::Superscript(inner)
                } else {
                    Inline::Subscript(inner)
                });
                rest = &after[end + 1..];
            }
            None => {
                plain.push_str(&rest[..i + 1]);
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
}

/// Where the mark that closes `^x` / `~x` is in `after`: text without spaces (but `\ `),
/// not empty, not the mark doubled (`~~` is strikethrough's).
fn closing(after: &str, mark: char) -> Option<usize> {
    let mut prev = '\0';
    for (i, c) in after.char_indices() {
        if c == mark {
            return (i > 0 && !after[i + 1..].starts_with(mark)).then_some(i);
        }
        if c.is_whitespace() && prev != '\\' {
            return None;
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn inside_words() {
        let mut v = vec![t("H~2~O and 2^10^ or 2^n and x~i\\ j~.")];
        read(&mut v);
        assert_eq!(
            v,
            [
                t("H"),
                Inline::Subscript(vec![t("2")]),
                t("O and 2"),
                Inline::Superscript(vec![t("10")]),
                t(" or 2^n and x"),
                Inline::Subscript(vec![t("i j")]),
                t("."),
            ]
        );
        let mut v = vec![t("a ^ b ^ c, x^^, ~ and ~, a~~b~~")];
        read(&mut v);
        assert_eq!(v, [t("a ^ b ^ c, x^^, ~ and ~, a~~b~~")]);
    }
}
