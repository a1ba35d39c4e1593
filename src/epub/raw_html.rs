//! Raw HTML from the manuscript, made safe, well-formed XHTML.
//!
//! The reader parsed it once with a real HTML parser, so `<br>`, `&nbsp;`, unclosed tags and
//! comments containing `--` mean what they mean in a browser; the tree it left in the model
//! (`model::html`) is written here as XHTML: void elements self-closed, entities as
//! characters. Markdown inside it is written by the chapter writer, in its place. Only
//! elements and attributes EPUB 3 content documents allow are kept:
//!
//! - `script`, `style`, `iframe`, `object`, forms, media, inline SVG/MathML and the like are
//!   dropped with their content;
//! - elements quire does not know (mdBook's `<Listing>`, `<html>`, `<font>`...) are unwrapped:
//!   their content stays;
//! - event handlers (`onclick`), `javascript:` and other unsafe URLs, and unknown attributes are
//!   dropped; `href` and `src` are checked by the caller (the chapter writer knows which files
//!   and ids exist in the book).

use crate::model::html::Node;
use crate::model::{Block, Inline};

use super::xml::push_escaped;
use super::xml::safe_external_href;
use std::collections::HashSet;

/// Dropped with everything inside.
const DROPPED: &[&str] = &[
    "script", "style", "template", "head", "title", "meta", "link", "base", "iframe", "frame",
    "frameset", "object", "embed", "applet", "param", "noscript", "form", "button", "select",
    "textarea", "option", "optgroup", "datalist", "output", "audio", "video", "source", "track",
    "canvas", "map", "area", "dialog", "slot", "portal",
];

/// Kept as they are (with the allowed attributes).
const KEPT: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

const VOID: &[&str] = &["br", "hr", "img", "col", "wbr"];

/// Attributes kept on any element.
const GLOBAL_ATTRS: &[&str] = &["id", "class", "title", "lang", "dir", "style", "role"];

/// Attributes kept on some elements.
fn element_attr(element: &str, attr: &str) -> bool {
    matches!(
        (element, attr),
        ("a", "href")
            | ("img", "src" | "alt" | "width" | "height")
            | ("td" | "th", "colspan" | "rowspan" | "headers" | "scope")
            | ("col" | "colgroup", "span")
            | ("ol", "start" | "reversed" | "type")
            | ("li", "value")
            | ("blockquote" | "q" | "del" | "ins", "cite")
            | ("time" | "del" | "ins", "datetime")
            | ("abbr" | "dfn", "title")
            | ("details", "open")
    )
}

/// What the chapter writer decides for raw HTML: the URLs in it, its ids, and the Markdown
/// inside it.
pub trait Writer {
    /// Where the XHTML goes.
    fn out(&mut self) -> &mut String;
    /// The href to write for a link (`None`: drop the href, keep the text).
    fn href(&mut self, href: &str) -> Option<String>;
    /// The src to write for an image (`None`: the image is replaced by its alt text).
    fn image_src(&mut self, src: &str) -> Option<String>;
    /// Whether an id can be written (ids must be unique in the file).
    fn claim_id(&mut self, id: &str) -> bool;
    /// An image of the book was written (with alt text or not).
    fn image_shown(&mut self, _has_alt: bool) {}
    /// Text of the raw HTML (the chapter writer marks the print pages that begin in it).
    fn html_text(&mut self, text: &str) {
        push_escaped(self.out(), text);
    }
    /// Markdown inside the raw HTML (`in_link`: inside a raw `<a>`).
    fn block(&mut self, block: &Block);
    fn inline(&mut self, inline: &Inline, in_link: bool);
}

/// Writes raw HTML nodes as safe XHTML.
pub fn write_nodes(nodes: &[Node], w: &mut dyn Writer, in_link: bool) {
    for n in nodes {
        match n {
            Node::Text(t) => w.html_text(t),
            Node::Block(b) => w.block(b),
            Node::Inline(i) => w.inline(i, in_link),
            Node::Element(e) => {
                let name = e.name.as_str();
                if !e.html || DROPPED.contains(&name) {
                    continue;
                }
                let (attrs, children) = (&e.attrs, &e.children);
                let out = w.out();
                // The only input a book has: a task list's box, as quire writes it.
                if name == "input" {
                    if e.attr("type") == Some("checkbox") {
                        out.push_str(match e.attr("checked") {
                            Some(_) => "<input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" aria-label=\"Done\"/>",
                            None => "<input type=\"checkbox\" disabled=\"disabled\" aria-label=\"Not done\"/>",
                        });
                    }
                    continue;
                }
                // Links cannot nest; a link inside a link keeps its text only.
                if !KEPT.contains(&name) || (name == "a" && in_link) {
                    write_nodes(children, w, in_link);
                    continue;
                }
                let kept = kept_attrs(name, attrs, w);
                // A `<time>` without a `datetime` must hold a date itself: HTML's rule, which
                // text like "noon" breaks; as a `<span>` it says the same.
                let name = match name {
                    "time" if !kept.iter().any(|(k, _)| k == "datetime") => "span",
                    _ => name,
                };
                let out = w.out();
                if name == "img" {
                    let mut kept = kept;
                    let src = kept.iter().any(|(k, _)| k == "src");
                    if !src {
                        // No image to show: its description stands in for it.
                        if let Some(alt) = e.attr("alt").filter(|a| !a.trim().is_empty()) {
                            out.push_str("<span class=\"image-alt\">");
                            push_escaped(out, alt);
                            out.push_str("</span>");
                        }
                        continue;
                    }
                    if !kept.iter().any(|(k, _)| k == "alt") {
                        kept.push(("alt".into(), String::new()));
                    }
                    write_start(out, name, &kept);
                    out.push_str("/>");
                    w.image_shown(e.attr("alt").is_some_and(|a| !a.trim().is_empty()));
                    continue;
                }
                write_start(out, name, &kept);
                if VOID.contains(&name) {
                    out.push_str("/>");
                    continue;
                }
                out.push('>');
                write_nodes(children, w, in_link || name == "a");
                let out = w.out();
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
        }
    }
}

/// `<name a="v"` (not closed).
fn write_start(out: &mut String, name: &str, attrs: &[(String, String)]) {
    out.push('<');
    out.push_str(name);
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        push_escaped(out, v);
        out.push('"');
    }
}

/// The attributes of a raw element that may be written, with the URLs the writer decided.
pub fn kept_attrs(
    name: &str,
    attrs: &[(String, String)],
    w: &mut dyn Writer,
) -> Vec<(String, String)> {
    let mut kept: Vec<(String, String)> = Vec::new();
    for (k, v) in attrs {
        let k = k.as_str();
        let value = match k {
            "href" if element_attr(name, k) => match w.href(v) {
                Some(h) => h,
                None => continue,
            },
            "src" if element_attr(name, k) => match w.image_src(v) {
                Some(s) => s,
                None => continue,
            },
            "id" => {
                if !is_ncname(v) || !w.claim_id(v) {
                    continue;
                }
                v.clone()
            }
            "style" => match safe_style(v) {
                Some(style) => style,
                None => continue,
            },
            "epub:type" => v.clone(),
            "aria-label" => v.clone(),
            "aria-hidden" => match v.trim().to_ascii_lowercase().as_str() {
                b @ ("true" | "false") => b.to_string(),
                _ => continue,
            },
            // Other ARIA states name ids or take enumerated values the author's HTML rarely
            // gets right; an invalid one fails the book.
            _ if k.starts_with("aria-") => continue,
            _ if GLOBAL_ATTRS.contains(&k) || element_attr(name, k) => {
                match valid_value(name, k, v) {
                    Some(value) => value,
                    None => continue,
                }
            }
            _ => continue,
        };
        if !kept.iter().any(|(a, _)| a == k) {
            kept.push((k.to_string(), value));
        }
    }
    kept
}

/// `value` as attribute `attr` of element `name` may hold it, or `None` when HTML does not
/// allow it (a browser ignores such a value; EPUBCheck fails the book for it).
fn valid_value(name: &str, attr: &str, value: &str) -> Option<String> {
    let v = value.trim();
    let integer = |min: i64, max: i64| {
        let digits = v.strip_prefix('-').unwrap_or(v);
        (!digits.is_empty() && digits.len() <= 9 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| v.parse::<i64>().ok())
            .flatten()
            .filter(|n| (min..=max).contains(n))
            .map(|n| n.to_string())
    };
    let one_of = |allowed: &[&str]| {
        let lower = v.to_ascii_lowercase();
        allowed.contains(&lower.as_str()).then_some(lower)
    };
    match (name, attr) {
        ("img", "width" | "height") => integer(0, 100_000),
        (_, "colspan") => integer(1, 1000),
        (_, "rowspan") => integer(0, 65_534),
        (_, "span") => integer(1, 1000),
        ("ol", "start") | ("li", "value") => integer(-999_999_999, 999_999_999),
        ("ol", "type") => ["1", "a", "A", "i", "I"]
            .contains(&v)
            .then(|| v.to_string()),
        (_, "dir") => one_of(&["ltr", "rtl", "auto"]),
        (_, "scope") => one_of(&["row", "col", "rowgroup", "colgroup"]),
        // A boolean attribute holds its own name or nothing.
        (_, "reversed" | "open") => {
            (v.is_empty() || v.eq_ignore_ascii_case(attr)).then(|| attr.to_string())
        }
        (_, "datetime") => is_date_or_time(v).then(|| v.to_string()),
        (_, "lang") => is_language_tag(v).then(|| v.to_string()),
        (_, "cite") => safe_external_href(v),
        (_, "role") => {
            // Only where any role may stand, and only roles ARIA defines.
            (matches!(name, "div" | "span")
                && !v.is_empty()
                && v.split_ascii_whitespace().all(|r| ROLES.contains(&r)))
            .then(|| v.to_string())
        }
        // Which header cells a cell belongs to: ids quire cannot check across the table.
        (_, "headers") => None,
        _ => Some(value.to_string()),
    }
}

/// ARIA roles (and the DPUB roles of digital publishing) an author may give a `<div>` or
/// `<span>`.
const ROLES: &[&str] = &[
    "alert",
    "article",
    "banner",
    "complementary",
    "contentinfo",
    "definition",
    "directory",
    "document",
    "figure",
    "group",
    "heading",
    "img",
    "list",
    "listitem",
    "log",
    "main",
    "marquee",
    "math",
    "navigation",
    "note",
    "presentation",
    "none",
    "region",
    "search",
    "separator",
    "status",
    "term",
    "timer",
    "doc-abstract",
    "doc-acknowledgments",
    "doc-afterword",
    "doc-appendix",
    "doc-bibliography",
    "doc-chapter",
    "doc-colophon",
    "doc-conclusion",
    "doc-credit",
    "doc-credits",
    "doc-dedication",
    "doc-epigraph",
    "doc-epilogue",
    "doc-errata",
    "doc-example",
    "doc-foreword",
    "doc-glossary",
    "doc-index",
    "doc-introduction",
    "doc-notice",
    "doc-pagebreak",
    "doc-part",
    "doc-preface",
    "doc-prologue",
    "doc-pullquote",
    "doc-qna",
    "doc-subtitle",
    "doc-tip",
    "doc-toc",
];

/// A date, month, year, time or local or global date and time as HTML's `datetime` takes
/// them (`2024`, `2024-05`, `2024-05-01`, `12:30`, `2024-05-01T12:30:00Z`).
fn is_date_or_time(v: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let date = |s: &str| {
        let mut parts = s.split('-');
        let year = parts.next().is_some_and(|y| digits(y, 4));
        let rest: Vec<&str> = parts.collect();
        year && rest.len() <= 2
            && rest.iter().all(|p| digits(p, 2))
            && rest.first().is_none_or(|m| ("01"..="12").contains(m))
            && rest.get(1).is_none_or(|d| ("01"..="31").contains(d))
    };
    let time = |s: &str| {
        let s = s
            .strip_suffix('Z')
            .or_else(|| {
                let at = s.rfind(['+', '-'])?;
                let zone = &s[at + 1..];
                (zone.len() == 5 && zone.as_bytes()[2] == b':').then(|| &s[..at])
            })
            .unwrap_or(s);
        let (hm, seconds) = match s.len() {
            5 => (s, None),
            8 => (&s[..5], Some(&s[6..])),
            _ => return false,
        };
        hm.as_bytes()[2] == b':'
            && digits(&hm[..2], 2)
            && digits(&hm[3..], 2)
            && &hm[..2] < "24"
            && &hm[3..] < "60"
            && seconds.is_none_or(|sec| s.as_bytes()[5] == b':' && digits(sec, 2) && sec < "60")
    };
    match v.split_once('T').or_else(|| v.split_once(' ')) {
        Some((d, t)) => date(d) && d.len() == 10 && time(t),
        None => date(v) || time(v),
    }
}

/// A well-formed BCP 47 language tag (`en`, `de-AT`, `zh-Hant-TW`): letters first, then
/// subtags of 1 to 8 letters and digits.
fn is_language_tag(v: &str) -> bool {
    let mut subtags = v.split('-');
    subtags
        .next()
        .is_some_and(|l| (2..=8).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()))
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A `style` attribute that is plain declarations (no `url()`, no old `expression()`, no
/// braces or at-rules a CSS parser would choke on).
fn safe_style(v: &str) -> Option<String> {
    let lower = v.to_ascii_lowercase();
    let unsafe_ = lower.contains("url(")
        || lower.contains("expression")
        || v.contains(['{', '}', '@', '<', '\\', '"']);
    (!unsafe_).then(|| v.to_string())
}

/// Whether `id` is a valid XML id (an NCName: no spaces or colons, not starting with a digit).
pub fn is_ncname(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A plain policy: external links kept when safe, nothing else resolved; ids unique;
/// Markdown inside written as its text.
#[derive(Default)]
struct ExternalOnly {
    ids: HashSet<String>,
    out: String,
}

impl Writer for ExternalOnly {
    fn out(&mut self) -> &mut String {
        &mut self.out
    }
    fn href(&mut self, href: &str) -> Option<String> {
        safe_external_href(href)
    }
    fn image_src(&mut self, _src: &str) -> Option<String> {
        None
    }
    fn claim_id(&mut self, id: &str) -> bool {
        self.ids.insert(id.to_string())
    }
    fn block(&mut self, block: &Block) {
        if let Block::Paragraph(inl) = block {
            push_escaped(&mut self.out, &crate::model::plain_text(inl));
        }
    }
    fn inline(&mut self, inline: &Inline, _in_link: bool) {
        let text = crate::model::plain_text(std::slice::from_ref(inline));
        push_escaped(&mut self.out, &text);
    }
}

/// Raw HTML as the EPUB writes it, with no file or id of a book to point at: external links
/// only, images as their alt text. For tests of the sanitising (`tests/epub_raw_html.rs`).
#[doc(hidden)]
pub fn sanitised(nodes: &[Node]) -> String {
    let mut w = ExternalOnly::default();
    write_nodes(nodes, &mut w, false);
    w.out
}
