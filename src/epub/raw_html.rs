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
    kept
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
