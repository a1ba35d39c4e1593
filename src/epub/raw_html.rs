//! Raw HTML from the manuscript, made safe, well-formed XHTML.
//!
//! The fragment is parsed with a real HTML parser (html5ever, in `markdown::html`), so `<br>`,
//! `&nbsp;`, unclosed tags and comments containing `--` mean what they mean in a browser; then
//! it is written back as XHTML: void elements self-closed, entities as characters, comments
//! dropped. Only elements and attributes EPUB 3 content documents allow are kept:
//!
//! - `script`, `style`, `iframe`, `object`, forms, media, inline SVG/MathML and the like are
//!   dropped with their content;
//! - elements quire does not know (mdBook's `<Listing>`, `<html>`, `<font>`...) are unwrapped:
//!   their content stays;
//! - event handlers (`onclick`), `javascript:` and other unsafe URLs, and unknown attributes are
//!   dropped; `href` and `src` are checked by the caller (the chapter writer knows which files
//!   and ids exist in the book).

use crate::markdown::html::{parse_fragment, Node};

use super::xml::push_escaped;
#[cfg(test)]
use super::xml::safe_external_href;
#[cfg(test)]
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

/// What the chapter writer decides for the URLs in raw HTML.
pub trait Urls {
    /// The href to write for a link (`None`: drop the href, keep the text).
    fn href(&mut self, href: &str) -> Option<String>;
    /// The src to write for an image (`None`: the image is replaced by its alt text).
    fn image_src(&mut self, src: &str) -> Option<String>;
    /// Whether an id can be written (ids must be unique in the file).
    fn claim_id(&mut self, id: &str) -> bool;
}

/// Writes `html` as safe XHTML into `out`.
pub fn write_xhtml(html: &str, urls: &mut dyn Urls, out: &mut String) {
    let nodes = parse_fragment(html);
    write_nodes(&nodes, urls, out, false);
}

fn write_nodes(nodes: &[Node], urls: &mut dyn Urls, out: &mut String, in_link: bool) {
    for n in nodes {
        match n {
            Node::Text(t) => push_escaped(out, t),
            Node::Element {
                name,
                html,
                attrs,
                children,
            } => {
                let name = name.as_str();
                if !*html || DROPPED.contains(&name) {
                    continue;
                }
                // The only input a book has: a task list's box, as quire writes it.
                if name == "input" {
                    if n.attr("type") == Some("checkbox") {
                        out.push_str(match n.attr("checked") {
                            Some(_) => "<input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" aria-label=\"Done\"/>",
                            None => "<input type=\"checkbox\" disabled=\"disabled\" aria-label=\"Not done\"/>",
                        });
                    }
                    continue;
                }
                // Links cannot nest; a link inside a link keeps its text only.
                if !KEPT.contains(&name) || (name == "a" && in_link) {
                    write_nodes(children, urls, out, in_link);
                    continue;
                }
                let mut kept: Vec<(String, String)> = Vec::new();
                for (k, v) in attrs {
                    let k = k.as_str();
                    let value = match k {
                        "href" if element_attr(name, k) => match urls.href(v) {
                            Some(h) => h,
                            None => continue,
                        },
                        "src" if element_attr(name, k) => match urls.image_src(v) {
                            Some(s) => s,
                            None => continue,
                        },
                        "id" => {
                            if !is_ncname(v) || !urls.claim_id(v) {
                                continue;
                            }
                            v.clone()
                        }
                        "style"
                            if v.to_ascii_lowercase().contains("url(")
                                || v.to_ascii_lowercase().contains("expression") =>
                        {
                            continue
                        }
                        "epub:type" => v.clone(),
                        _ if k.starts_with("aria-") => v.clone(),
                        _ if GLOBAL_ATTRS.contains(&k) || element_attr(name, k) => v.clone(),
                        _ => continue,
                    };
                    if !kept.iter().any(|(a, _)| a == k) {
                        kept.push((k.to_string(), value));
                    }
                }
                if name == "img" {
                    let src = kept.iter().any(|(k, _)| k == "src");
                    if !src {
                        // No image to show: its description stands in for it.
                        if let Some(alt) = n.attr("alt").filter(|a| !a.trim().is_empty()) {
                            out.push_str("<span class=\"image-alt\">");
                            push_escaped(out, alt);
                            out.push_str("</span>");
                        }
                        continue;
                    }
                    if !kept.iter().any(|(k, _)| k == "alt") {
                        kept.push(("alt".into(), String::new()));
                    }
                }
                out.push('<');
                out.push_str(name);
                for (k, v) in &kept {
                    out.push(' ');
                    out.push_str(k);
                    out.push_str("=\"");
                    push_escaped(out, v);
                    out.push('"');
                }
                if VOID.contains(&name) {
                    out.push_str("/>");
                    continue;
                }
                out.push('>');
                write_nodes(children, urls, out, in_link || name == "a");
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
        }
    }
}

/// Whether `id` is a valid XML id (an NCName: no spaces or colons, not starting with a digit).
fn is_ncname(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A plain policy: external links kept when safe, nothing else resolved; ids unique.
#[cfg(test)]
#[derive(Default)]
pub struct ExternalOnly {
    ids: HashSet<String>,
}

#[cfg(test)]
impl Urls for ExternalOnly {
    fn href(&mut self, href: &str) -> Option<String> {
        safe_external_href(href)
    }
    fn image_src(&mut self, _src: &str) -> Option<String> {
        None
    }
    fn claim_id(&mut self, id: &str) -> bool {
        self.ids.insert(id.to_string())
    }
}

/// Whether an inline raw HTML fragment is a lone line break (`<br>`, `<br/>`, `<BR />`).
pub fn is_line_break(html: &str) -> bool {
    let inner = html.trim();
    let Some(inner) = inner.strip_prefix('<').and_then(|s| s.strip_suffix('>')) else {
        return false;
    };
    let inner = inner.trim_end_matches('/').trim();
    inner.eq_ignore_ascii_case("br")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(html: &str) -> String {
        let mut out = String::new();
        write_xhtml(html, &mut ExternalOnly::default(), &mut out);
        out
    }

    #[test]
    fn void_elements_entities_and_comments() {
        assert_eq!(x("a<br>b&nbsp;c<!-- x -- y -->d"), "a<br/>b\u{a0}cd");
        assert_eq!(x("<p>one<p>two"), "<p>one</p><p>two</p>");
        assert_eq!(x("1 &lt; 2 &amp; <b>3"), "1 &lt; 2 &amp; <b>3</b>");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_dropped() {
        assert_eq!(
            x("<script>alert(1)</script><a href=\"javascript:alert(1)\" onclick=\"x()\">t</a>"),
            "<a>t</a>"
        );
        assert_eq!(
            x("<a href=\"https://e.com/?a=1&b=2\">e</a>"),
            "<a href=\"https://e.com/?a=1&amp;b=2\">e</a>"
        );
        assert_eq!(x("<svg><circle/></svg><style>p{}</style>k"), "k");
    }

    #[test]
    fn unknown_elements_are_unwrapped() {
        assert_eq!(
            x("<Listing number=\"1\"><span class=\"f\">F</span></Listing>"),
            "<span class=\"f\">F</span>"
        );
    }

    #[test]
    fn images_without_a_file_become_their_alt_text() {
        assert_eq!(
            x("<img src=\"nope.png\" alt=\"A & B\">"),
            "<span class=\"image-alt\">A &amp; B</span>"
        );
    }

    #[test]
    fn ids_are_unique_and_valid() {
        assert_eq!(
            x("<a id=\"a\"></a><a id=\"a\"></a><span id=\"1x\">s</span>"),
            "<a id=\"a\"></a><a></a><span>s</span>"
        );
    }

    #[test]
    fn recognises_line_breaks() {
        assert!(is_line_break("<br>"));
        assert!(is_line_break("<BR />"));
        assert!(!is_line_break("<brx>"));
    }
}
