//! XML text helpers: escaping, ids, file stems and safe hrefs.
//!
//! Everything written into an XHTML or OPF file goes through `escape`, so that any text from the
//! manuscript keeps the output well-formed.

/// Escapes text for XML content and attribute values (both quote styles), and drops characters
/// that XML 1.0 forbids anywhere (C0 controls other than tab, LF and CR; U+FFFE and U+FFFF).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends `text` escaped (see [`escape`]).
pub fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// `text` without the characters XML 1.0 forbids, for strings handed to epub-builder, which
/// escapes markup but not those.
pub fn strip_invalid(text: &str) -> String {
    text.chars().filter(|&c| is_xml_char(c)).collect()
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_alphanumeric() || matches!(c, '-' | '.')
}

/// An XML id (an NCName) for a slug. Slugs that already are NCNames are kept as they are, so ids
/// match what authors wrote; others (`1-intro`, `a:b`, `my note`) are mapped the same way
/// everywhere they are used (definition, nav, links).
pub fn xml_id(slug: &str) -> String {
    let mut chars = slug.chars();
    match chars.next() {
        Some(first) if is_name_start(first) && chars.all(is_name_char) => slug.to_string(),
        _ => {
            let body: String = slug
                .chars()
                .map(|c| if is_name_char(c) { c } else { '-' })
                .collect();
            format!("id-{body}")
        }
    }
}

/// A file stem safe in a zip path and an URL without escaping: ASCII letters, digits, `-`, `_`;
/// short enough for `<stem>.xhtml` to be a file name unzip can extract.
pub fn file_stem(slug: &str) -> String {
    let stem: String = slug
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if stem.is_empty() {
        "chapter".to_string()
    } else {
        crate::names::fit(&stem, ".xhtml".len())
    }
}

/// Schemes that run code or embed content when followed: never written as links.
const UNSAFE_SCHEMES: &[&str] = &["javascript", "vbscript", "data", "file", "blob"];

/// The href for an external link, or `None` when following it would be unsafe or it is not an
/// absolute URI. Browsers ignore ASCII tabs, newlines and leading controls inside a scheme
/// (`java\tscript:`), so the scheme is checked after removing them.
pub fn safe_external_href(uri: &str) -> Option<String> {
    let trimmed = uri.trim_matches(|c: char| c <= ' ');
    let colon = trimmed.find(':')?;
    let scheme: String = trimmed[..colon]
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let valid_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid_scheme || UNSAFE_SCHEMES.contains(&scheme.as_str()) {
        return None;
    }
    Some(percent_encode_unsafe(trimmed))
}

/// Percent-encodes the characters that make an URL invalid (spaces, controls, `"<>\^`{|}`).
fn percent_encode_unsafe(uri: &str) -> String {
    let mut out = String::with_capacity(uri.len());
    for c in uri.chars() {
        if c.is_ascii_control()
            || matches!(
                c,
                ' ' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'
            )
        {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A class token (`language-x`): no spaces or markup characters.
pub fn class_token(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"a & b < c > d " e ' f"#),
            "a &amp; b &lt; c &gt; d &quot; e &#39; f"
        );
    }

    #[test]
    fn drops_characters_xml_forbids() {
        assert_eq!(escape("a\u{0}b\u{B}c\td\u{FFFF}"), "abc\td");
        assert_eq!(strip_invalid("a\u{1}<b>\n"), "a<b>\n");
    }

    #[test]
    fn keeps_valid_ids_and_maps_others() {
        assert_eq!(xml_id("intro"), "intro");
        assert_eq!(xml_id("é-1.x_y"), "é-1.x_y");
        assert_eq!(xml_id("1-intro"), "id-1-intro");
        assert_eq!(xml_id("my note"), "id-my-note");
        assert_eq!(xml_id("a:b"), "id-a-b");
        assert_eq!(xml_id(""), "id-");
    }

    #[test]
    fn file_stems_are_plain_ascii() {
        assert_eq!(file_stem("ch-1_a"), "ch-1_a");
        assert_eq!(file_stem("../é x"), "-----x");
        assert_eq!(file_stem(""), "chapter");
    }

    #[test]
    fn rejects_script_and_data_links() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:x",
            "data:text/html,<b>",
            "vbscript:x",
            "no-scheme",
            "1http://x",
        ] {
            assert_eq!(safe_external_href(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn keeps_ordinary_links_and_encodes_spaces() {
        assert_eq!(
            safe_external_href("https://example.com/a b?q=\"x\"").as_deref(),
            Some("https://example.com/a%20b?q=%22x%22")
        );
        assert_eq!(
            safe_external_href("mailto:a@b.c").as_deref(),
            Some("mailto:a@b.c")
        );
    }
}
