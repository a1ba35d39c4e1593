//! Raw HTML from the manuscript, reduced to what is safe in XHTML.
//!
//! Raw HTML copied verbatim breaks XML (`<br>`, `&nbsp;`), so until a real HTML parser is wired
//! in, it is reduced to its text: comments, tags and the content of `script`/`style` are dropped,
//! common entities decoded. The result is plain text for the caller to escape.

/// Elements whose content is not text for a reader.
const NON_TEXT_ELEMENTS: &[&str] = &["script", "style", "template", "head", "title"];

/// Elements that separate words: a space stands in for them so `a<br>b` does not read `ab`.
const BREAKING_ELEMENTS: &[&str] = &[
    "br",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "figure",
    "figcaption",
    "hr",
    "dd",
    "dt",
    "dl",
    "pre",
];

/// Whether an inline raw HTML fragment is a lone line break (`<br>`, `<br/>`, `<BR />`).
pub fn is_line_break(html: &str) -> bool {
    let inner = html.trim();
    let Some(inner) = inner.strip_prefix('<').and_then(|s| s.strip_suffix('>')) else {
        return false;
    };
    let inner = inner.trim_end_matches('/').trim();
    inner.eq_ignore_ascii_case("br")
}

/// The text content of an HTML fragment, whitespace collapsed (leading and trailing spaces are
/// kept as one space, since inline fragments sit between words).
pub fn text_content(html: &str) -> String {
    let mut raw = String::new();
    let mut rest = html;
    while let Some(pos) = rest.find(['<', '&']) {
        raw.push_str(&rest[..pos]);
        rest = &rest[pos..];
        rest = if rest.starts_with('<') {
            skip_markup(rest, &mut raw)
        } else {
            decode_entity(rest, &mut raw)
        };
    }
    raw.push_str(rest);
    collapse_whitespace(&raw)
}

/// Consumes one piece of markup at the start of `s` (a comment, a tag, or a non-text element with
/// its content) and returns the rest; a `<` that starts no markup is kept as text.
fn skip_markup<'a>(s: &'a str, out: &mut String) -> &'a str {
    if let Some(after) = s.strip_prefix("<!--") {
        return after.find("-->").map_or("", |end| &after[end + 3..]);
    }
    let after_lt = &s[1..];
    let starts_tag = after_lt
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
    if !starts_tag {
        out.push('<');
        return after_lt;
    }
    let Some(end) = tag_end(after_lt) else {
        return "";
    };
    let tag = &after_lt[..end];
    let rest = &after_lt[end + 1..];
    let name = tag_name(tag);
    if BREAKING_ELEMENTS.contains(&name.as_str()) {
        out.push(' ');
    }
    let is_open = !tag.starts_with('/') && !tag.ends_with('/');
    if is_open && NON_TEXT_ELEMENTS.contains(&name.as_str()) {
        return skip_element_content(rest, &name);
    }
    rest
}

/// Index of the `>` closing a tag, ignoring any inside quoted attribute values.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Skips to after `</name ...>` (case-insensitive), or to the end.
fn skip_element_content<'a>(s: &'a str, name: &str) -> &'a str {
    let lower = s.to_ascii_lowercase();
    let closing = format!("</{name}");
    match lower.find(&closing) {
        Some(pos) => {
            let after = &s[pos + closing.len()..];
            after.find('>').map_or("", |end| &after[end + 1..])
        }
        None => "",
    }
}

/// Decodes one entity at the start of `s` (which starts with `&`); unknown ones stay literal.
fn decode_entity<'a>(s: &'a str, out: &mut String) -> &'a str {
    let body_end = s[1..]
        .char_indices()
        .take(32)
        .find(|&(_, c)| c == ';')
        .map(|(i, _)| i + 1);
    let decoded = body_end.and_then(|end| entity_char(&s[1..end]).map(|c| (c, end)));
    match decoded {
        Some((c, end)) => {
            out.push(c);
            &s[end + 1..]
        }
        None => {
            out.push('&');
            &s[1..]
        }
    }
}

fn entity_char(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "shy" => '\u{AD}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "copy" => '©',
        "thinsp" => '\u{2009}',
        _ => return None,
    })
}

/// Collapses runs of ASCII whitespace to one space (no-break spaces are kept: they are meant).
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_ascii_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_leave_nothing() {
        assert_eq!(text_content("<!-- a note to self -->"), "");
        assert_eq!(text_content("<!-- unterminated"), "");
    }

    #[test]
    fn tags_are_dropped_and_text_kept() {
        assert_eq!(text_content("<span class=\"x>y\">small</span>"), "small");
        assert_eq!(
            text_content("<div>\n  Hello <b>world</b>\n</div>"),
            " Hello world "
        );
        assert_eq!(text_content("a<br>b"), "a b");
    }

    #[test]
    fn scripts_and_styles_are_dropped() {
        assert_eq!(text_content("<script>alert('<b>')</script>ok"), "ok");
        assert_eq!(text_content("<STYLE>p{}</STYLE>"), "");
    }

    #[test]
    fn entities_are_decoded_or_kept_literal() {
        assert_eq!(
            text_content("a&nbsp;b &amp; &#x41;&#66; &bogus; &"),
            "a\u{A0}b & AB &bogus; &"
        );
    }

    #[test]
    fn stray_less_than_is_text() {
        assert_eq!(text_content("1 < 2"), "1 < 2");
    }

    #[test]
    fn recognises_line_breaks() {
        for br in ["<br>", "<br/>", "<BR />", " <br /> "] {
            assert!(is_line_break(br), "{br}");
        }
        assert!(!is_line_break("<bro>"));
        assert!(!is_line_break("<span>"));
    }
}
