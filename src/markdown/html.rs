//! Raw HTML in the manuscript, read with a real HTML parser (html5ever, the parser of Servo),
//! once: this is the only place the book's raw HTML is parsed.
//!
//! A fragment is parsed as the HTML standard says a browser parses it inside `<body>` (so `<br>`,
//! `&nbsp;`, unclosed `<p>` and comments containing `--` are all understood), then turned into
//! the model's tree of plain data (`model::html`), which the reader (ids, images, figures) and
//! the writers walk. Comments, processing instructions and doctypes are dropped here.
//! `markdown::runs` decides what is parsed together.

use html5ever::tendril::TendrilSink;
use html5ever::{ns, ParseOpts, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

pub use crate::model::html::{Element, Node};

/// Raw HTML nested deeper than this (a hostile or broken file: no book nests 256 elements)
/// is read as its text only: the HTML parser's time grows with the square of the depth.
const MAX_SOURCE_DEPTH: usize = 256;

/// Parses an HTML fragment as the content of a `<body>`.
pub fn parse_fragment(html: &str) -> Vec<Node> {
    if source_depth(html) > MAX_SOURCE_DEPTH {
        return parse_tree(&strip_tags(html));
    }
    parse_tree(html)
}

/// An estimate of the deepest element nesting in `html`, from its tags alone.
fn source_depth(html: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if let Some(name) = tag.strip_prefix('/') {
            if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                depth = depth.saturating_sub(1);
            }
        } else if tag.starts_with(|c: char| c.is_ascii_alphabetic()) && !tag.ends_with('/') {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if !matches!(
                name.as_str(),
                "br" | "hr"
                    | "img"
                    | "col"
                    | "wbr"
                    | "input"
                    | "meta"
                    | "link"
                    | "area"
                    | "base"
                    | "embed"
                    | "source"
                    | "track"
                    | "param"
            ) {
                depth += 1;
                max = max.max(depth);
            }
        }
    }
    max
}

/// `html` without its tags (entities are left for the parser to decode).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!') {
            rest = after.find('>').map_or("", |e| &after[e + 1..]);
        } else {
            out.push_str("&lt;");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn parse_tree(html: &str) -> Vec<Node> {
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
        NodeData::Text { contents } => push_text(out, &contents.borrow()),
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
                // Too deep: keep the text of the whole subtree, without recursion.
                let mut stack: Vec<Handle> = kids.into_iter().rev().collect();
                while let Some(h) = stack.pop() {
                    match &h.data {
                        NodeData::Text { contents } => push_text(out, &contents.borrow()),
                        NodeData::Element { .. } => {
                            stack.extend(h.children.borrow().iter().rev().cloned())
                        }
                        _ => {}
                    }
                }
                return;
            }
            for c in &kids {
                convert(c, &mut children, depth + 1);
            }
            out.push(Node::Element(Element {
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
            }));
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

fn push_text(out: &mut Vec<Node>, text: &str) {
    if let Some(Node::Text(prev)) = out.last_mut() {
        prev.push_str(text);
    } else {
        out.push(Node::Text(text.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_parse_like_a_browser() {
        let nodes = parse_fragment("a<br>b&nbsp;c<!-- x -- y --><p>one<p>two");
        assert_eq!(nodes[0], Node::Text("a".into()));
        assert!(matches!(&nodes[1], Node::Element(e) if e.name == "br"));
        assert_eq!(nodes[2], Node::Text("b\u{a0}c".into()));
        assert_eq!(nodes.len(), 5, "{nodes:?}");
    }

    #[test]
    fn deep_nesting_is_flattened_without_recursion() {
        // Past the parser's limit (64 levels kept, the rest flattened to text).
        let html = format!("{}deep{}", "<div><b>".repeat(100), "</b></div>".repeat(100));
        let nodes = parse_fragment(&html);
        let mut depth = 0;
        let mut n = &nodes[0];
        while let Node::Element(e) = n {
            depth += 1;
            match e.children.first() {
                Some(c) => n = c,
                None => break,
            }
        }
        assert!(depth <= MAX_DEPTH + 1, "{depth}");
        assert_eq!(n, &Node::Text("deep".into()));
    }

    #[test]
    fn very_deep_sources_are_read_as_text() {
        let html = format!(
            "{}a &amp; b{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let start = std::time::Instant::now();
        assert_eq!(parse_fragment(&html), [Node::Text("a & b".into())]);
        assert!(start.elapsed().as_secs() < 5);
        assert_eq!(source_depth("<p><br><img src=x><b>x</b></p>"), 2);
    }

    #[test]
    fn ids_and_attributes() {
        let nodes = parse_fragment("<a id=\"x\"></a><span ID='y'><IMG src=\" a.svg \"></span>");
        assert_eq!(crate::model::html::ids(&nodes), ["x", "y"]);
        let mut srcs = Vec::new();
        crate::model::html::walk(&nodes, &mut |e| srcs.extend(e.attr("src")));
        assert_eq!(srcs, [" a.svg "]);
    }
}
