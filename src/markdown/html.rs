//! Raw HTML in the manuscript, read with a real HTML parser (html5ever, the parser of Servo).
//!
//! A fragment is parsed as the HTML standard says a browser parses it inside `<body>` (so `<br>`,
//! `&nbsp;`, unclosed `<p>` and comments containing `--` are all understood), then turned into a
//! small tree of plain data that the reader (ids, images) and the EPUB writer (re-serialising as
//! XHTML) walk. Comments, processing instructions and doctypes are dropped here.

use html5ever::tendril::TendrilSink;
use html5ever::{ns, ParseOpts, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// One node of a parsed fragment.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element {
        /// Lower-case local name (`img`, `a`, ...).
        name: String,
        /// Whether the element is in the HTML namespace (not inline SVG or MathML).
        html: bool,
        /// Attributes in source order, names lower-cased.
        attrs: Vec<(String, String)>,
        children: Vec<Node>,
    },
    Text(String),
}

impl Node {
    pub fn attr(&self, key: &str) -> Option<&str> {
        match self {
            Node::Element { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            Node::Text(_) => None,
        }
    }
}

/// Parses an HTML fragment as the content of a `<body>`.
pub fn parse_fragment(html: &str) -> Vec<Node> {
    let context = QualName::new(None, ns!(html), "body".into());
    let dom = html5ever::parse_fragment(
        RcDom::default(),
        ParseOpts::default(),
        context,
        vec![],
        false,
    )
    .one(html);
    // The fragment's nodes are the children of the synthetic <html> element under the document.
    let root = dom.document.children.borrow().first().cloned();
    let mut out = Vec::new();
    if let Some(root) = root {
        for child in root.children.borrow().iter() {
            convert(child, &mut out, 0);
        }
    }
    out
}

/// Deeper than this, element nesting is flattened (hostile input cannot overflow the stack).
const MAX_DEPTH: usize = 64;

fn convert(handle: &Handle, out: &mut Vec<Node>, depth: usize) {
    match &handle.data {
        NodeData::Text { contents } => {
            let text = contents.borrow().to_string();
            if let Some(Node::Text(prev)) = out.last_mut() {
                prev.push_str(&text);
            } else {
                out.push(Node::Text(text));
            }
        }
        NodeData::Element {
            name,
            attrs,
            template_contents,
            ..
        } => {
            let mut children = Vec::new();
            let kids = match template_contents.borrow().as_ref() {
                Some(t) => t.children.borrow().clone(),
                None => handle.children.borrow().clone(),
            };
            if depth >= MAX_DEPTH {
                for c in &kids {
                    convert(c, out, depth);
                }
                return;
            }
            for c in &kids {
                convert(c, &mut children, depth + 1);
            }
            out.push(Node::Element {
                name: name.local.to_ascii_lowercase().to_string(),
                html: name.ns == ns!(html),
                attrs: attrs
                    .borrow()
                    .iter()
                    .map(|a| {
                        (
                            a.name.local.to_ascii_lowercase().to_string(),
                            a.value.to_string(),
                        )
                    })
                    .collect(),
                children,
            });
        }
        NodeData::Document => {
            for c in handle.children.borrow().iter() {
                convert(c, out, depth);
            }
        }
        NodeData::Comment { .. }
        | NodeData::Doctype { .. }
        | NodeData::ProcessingInstruction { .. } => {}
    }
}

/// Calls `f` on every element of `nodes`, depth first.
pub fn walk(nodes: &[Node], f: &mut dyn FnMut(&Node)) {
    for n in nodes {
        if let Node::Element { children, .. } = n {
            f(n);
            walk(children, f);
        }
    }
}

/// The `id` attributes in a fragment, in order.
pub fn ids(html: &str) -> Vec<String> {
    if !html.contains("id") {
        return Vec::new();
    }
    let mut out = Vec::new();
    walk(&parse_fragment(html), &mut |n| {
        if let Some(id) = n.attr("id") {
            out.push(id.to_string());
        }
    });
    out
}

/// The `src` of every `<img>` in a fragment, in order.
pub fn image_sources(html: &str) -> Vec<String> {
    if !html.to_ascii_lowercase().contains("<img") {
        return Vec::new();
    }
    let mut out = Vec::new();
    walk(&parse_fragment(html), &mut |n| {
        if let Node::Element { name, .. } = n {
            if name == "img" {
                if let Some(src) = n.attr("src") {
                    out.push(src.trim().to_string());
                }
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_parse_like_a_browser() {
        let nodes = parse_fragment("a<br>b&nbsp;c<!-- x -- y --><p>one<p>two");
        assert_eq!(nodes[0], Node::Text("a".into()));
        assert!(matches!(&nodes[1], Node::Element { name, .. } if name == "br"));
        assert_eq!(nodes[2], Node::Text("b\u{a0}c".into()));
        assert_eq!(nodes.len(), 5, "{nodes:?}");
    }

    #[test]
    fn ids_and_images() {
        assert_eq!(ids("<a id=\"x\"></a><span ID='y'>"), ["x", "y"]);
        assert_eq!(
            image_sources("<figure><IMG src=\" img/a.svg \" alt=a></figure>"),
            ["img/a.svg"]
        );
    }
}
