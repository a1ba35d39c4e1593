//! Raw HTML of the manuscript as a tree of plain data, parsed once by the reader.
//!
//! The reader (`markdown::html`) parses each run of raw HTML with a real HTML parser, the way
//! a browser would, and keeps the result here: elements with their attributes and children,
//! and text. Markdown written between raw tags (`<div>`, a blank line, a paragraph, `</div>`)
//! sits in the tree in its place as a model [`Block`] or [`Inline`]. Writers that write HTML
//! serialise the tree; the others read what the reader lowered it to (`content` beside each
//! tree in the model). Comments, doctypes and processing instructions are not kept.

use super::{Block, Inline};

/// One node of raw HTML.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(String),
    /// Markdown between raw tags: a block of the model, in its place in the tree.
    Block(Block),
    /// A Markdown inline inside a run of raw HTML (`<span>*a*</span>`), in its place.
    Inline(Inline),
}

/// An element as the HTML parser built it.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// Lower-case local name (`img`, `a`, ...).
    pub name: String,
    /// Whether the element is in the HTML namespace (not inline SVG or MathML).
    pub html: bool,
    /// Attributes in source order, names lower-cased.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    /// The value of attribute `key` (a lower-case name).
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the element's `class` holds `class`.
    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    }
}

impl Node {
    pub fn element(&self) -> Option<&Element> {
        match self {
            Node::Element(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the node is text of white space only.
    pub fn is_blank(&self) -> bool {
        matches!(self, Node::Text(t) if t.trim().is_empty())
    }
}

/// Elements a browser never shows, nor what is inside them.
pub const UNSHOWN: &[&str] = &[
    "script", "style", "template", "head", "title", "meta", "link", "base", "noscript", "param",
    "source", "track",
];

/// The text of raw HTML as a reader sees it (white space runs as one space, an image as its
/// alt text), for labels and ids.
/// HTML text as it reads: each run of ASCII white space one space, and none at the start when
/// what comes before already ends in one (`after_space`). The reader lowers raw HTML's text
/// so, and the EPUB writer counts it so, for the print pages that begin in it.
pub fn collapse_spaces(text: &str, after_space: bool) -> String {
    let mut collapsed = String::with_capacity(text.len());
    let mut space = after_space;
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !space {
                collapsed.push(' ');
            }
            space = true;
        } else {
            collapsed.push(c);
            space = false;
        }
    }
    collapsed
}

pub fn push_plain(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => {
                for c in t.chars() {
                    if c.is_ascii_whitespace() {
                        if !out.ends_with(' ') {
                            out.push(' ');
                        }
                    } else {
                        out.push(c);
                    }
                }
            }
            Node::Element(e) if UNSHOWN.contains(&e.name.as_str()) => {}
            Node::Element(e) if e.name == "img" => out.push_str(e.attr("alt").unwrap_or("")),
            Node::Element(e) if e.name == "br" => out.push(' '),
            Node::Element(e) => push_plain(&e.children, out),
            Node::Inline(i) => super::push_plain(std::slice::from_ref(i), out),
            Node::Block(_) => {}
        }
    }
}

/// Calls `f` on every element of `nodes`, depth first (not inside embedded Markdown).
pub fn walk<'a>(nodes: &'a [Node], f: &mut dyn FnMut(&'a Element)) {
    for n in nodes {
        if let Node::Element(e) = n {
            f(e);
            walk(&e.children, f);
        }
    }
}

/// The `id` attributes of the elements in `nodes`, in order (not inside embedded Markdown).
pub fn ids(nodes: &[Node]) -> Vec<String> {
    let mut out = Vec::new();
    walk(nodes, &mut |e| {
        if let Some(id) = e.attr("id") {
            out.push(id.to_string());
        }
    });
    out
}
