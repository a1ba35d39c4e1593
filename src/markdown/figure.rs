//! Which images are figures, and their captions: one rule, decided here for every writer.
//!
//! - An image alone in its paragraph (Markdown `![alt](src)`, or one raw `<img>` with nothing
//!   but tags and white space around it), or a raw HTML block holding one image and no text
//!   outside a `<figcaption>` (`<figure><img ...><figcaption>...</figcaption></figure>`), is a
//!   figure.
//! - Its caption is the Markdown image's title, else the block's `<figcaption>`, else the
//!   paragraph that follows when it is entirely emphasis (`*Figure 2: The harbour.*`) or, as
//!   mdBook books write them, one `<span class="caption">`; that paragraph then becomes the
//!   caption and is not set again as text.
//!
//! An image inside running text stays an inline image.

use super::attrs::html_image_size;
use super::html::{Element, Node};
use crate::model::html::ids;
use crate::model::visit::{self, VisitMut};
use crate::model::{Block, Figure, ImageSize, Inline};

/// Turns the figures of `blocks` (and of every list of blocks inside them) into
/// `Block::Figure`.
pub fn find(blocks: &mut Vec<Block>) {
    Figures.visit_blocks_mut(blocks)
}

struct Figures;

impl VisitMut for Figures {
    fn visit_blocks_mut(&mut self, blocks: &mut Vec<Block>) {
        visit::visit_blocks_mut(self, blocks);
        let mut out = Vec::with_capacity(blocks.len());
        let mut rest = std::mem::take(blocks).into_iter().peekable();
        while let Some(b) = rest.next() {
            match figure_of(&b) {
                Some(mut f) => {
                    if f.caption.is_none() {
                        if let Some(caption) = rest.peek().and_then(caption_of) {
                            f.caption = Some(caption);
                            rest.next();
                        }
                    }
                    out.push(Block::Figure(f));
                }
                None => out.push(b),
            }
        }
        *blocks = out;
    }

    fn visit_nodes_mut(&mut self, nodes: &mut Vec<Node>) {
        visit::visit_nodes_mut(self, nodes);
        // Markdown blocks inside raw HTML: a lone image among them is a figure too.
        for k in 0..nodes.len() {
            let Node::Block(b) = &nodes[k] else { continue };
            let Some(mut f) = figure_of(b).filter(|_| matches!(b, Block::Paragraph(_))) else {
                continue;
            };
            if f.caption.is_none() {
                let next = (k + 1..nodes.len()).find(|&j| !nodes[j].is_blank());
                if let Some(j) = next {
                    if let Node::Block(c) = &nodes[j] {
                        if let Some(caption) = caption_of(c) {
                            f.caption = Some(caption);
                            nodes[j] = Node::Text(String::new());
                        }
                    }
                }
            }
            nodes[k] = Node::Block(Block::Figure(f));
        }
    }
}

/// The figure a block is, if it is one (its caption only when the block itself gives it).
fn figure_of(block: &Block) -> Option<Figure> {
    match block {
        Block::Paragraph(inlines) => {
            let mut found = None;
            if !lone(inlines, &mut found) {
                return None;
            }
            found.map(Picture::into_figure)
        }
        Block::Html { tree, .. } => {
            let mut found = None;
            let mut caption = None;
            if !lone_in_nodes(tree, &mut found, &mut caption) {
                return None;
            }
            let mut f = found?.into_figure();
            f.caption = f.caption.or(caption);
            f.ids = ids(tree);
            Some(f)
        }
        _ => None,
    }
}

/// An image found while looking for a lone one.
enum Picture {
    Markdown {
        src: String,
        alt: String,
        title: Option<String>,
        size: ImageSize,
    },
    Raw(Element),
}

impl Picture {
    fn into_figure(self) -> Figure {
        match self {
            Picture::Markdown {
                src,
                alt,
                title,
                size,
            } => Figure {
                caption: title
                    .clone()
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| vec![Inline::Text(t)]),
                src,
                alt,
                title,
                element: None,
                size,
                classes: Vec::new(),
                ids: Vec::new(),
            },
            Picture::Raw(e) => Figure {
                src: e.attr("src").unwrap_or_default().trim().to_string(),
                alt: e.attr("alt").unwrap_or_default().to_string(),
                title: None,
                size: html_image_size(&e),
                classes: Vec::new(),
                element: Some(e),
                caption: None,
                ids: Vec::new(),
            },
        }
    }
}

/// Whether `inlines` hold nothing but white space, line breaks and at most one image (put in
/// `found`); `false` as soon as there is anything else or a second image.
fn lone(inlines: &[Inline], found: &mut Option<Picture>) -> bool {
    for i in inlines {
        match i {
            Inline::Image {
                src,
                alt,
                title,
                size,
            } => {
                if found.is_some() {
                    return false;
                }
                *found = Some(Picture::Markdown {
                    src: src.clone(),
                    alt: alt.clone(),
                    title: title.clone(),
                    size: *size,
                });
            }
            Inline::RawHtml { tree, .. } => {
                let mut caption = None;
                if !lone_in_nodes(tree, found, &mut caption) || caption.is_some() {
                    return false;
                }
            }
            Inline::SoftBreak | Inline::LineBreak => {}
            Inline::Text(t) if t.trim().is_empty() => {}
            _ => return false,
        }
    }
    true
}

/// [`lone`] for raw HTML; the text of a `<figcaption>` does not count, it goes to `caption`.
fn lone_in_nodes(
    nodes: &[Node],
    found: &mut Option<Picture>,
    caption: &mut Option<Vec<Inline>>,
) -> bool {
    for n in nodes {
        match n {
            Node::Text(t) if t.trim().is_empty() => {}
            Node::Text(_) => return false,
            Node::Element(e) if e.name == "img" && e.attr("src").is_some() => {
                if found.is_some() {
                    return false;
                }
                *found = Some(Picture::Raw(Element {
                    children: Vec::new(),
                    ..e.clone()
                }));
            }
            Node::Element(e) if e.name == "figcaption" => {
                if caption.is_some() {
                    return false;
                }
                *caption =
                    Some(trimmed(super::raw::inlines(&e.children))).filter(|c| !c.is_empty());
            }
            Node::Element(e) if crate::model::html::UNSHOWN.contains(&e.name.as_str()) => {}
            Node::Element(e) => {
                if !lone_in_nodes(&e.children, found, caption) {
                    return false;
                }
            }
            Node::Inline(i) => {
                if !lone(std::slice::from_ref(i), found) {
                    return false;
                }
            }
            Node::Block(Block::Paragraph(inl)) => {
                if !lone(inl, found) {
                    return false;
                }
            }
            Node::Block(_) => return false,
        }
    }
    true
}

/// The caption a block makes for the figure just before it, if it is one: the content of a
/// paragraph that is entirely emphasis, or of one `<span class="caption">`.
fn caption_of(block: &Block) -> Option<Vec<Inline>> {
    let Block::Paragraph(inlines) = block else {
        return None;
    };
    let content: Vec<&Inline> = inlines
        .iter()
        .filter(|i| !matches!(i, Inline::Text(t) if t.trim().is_empty()))
        .collect();
    match content.as_slice() {
        [Inline::Emphasis(inner)] => Some(inner.clone()),
        [Inline::RawHtml { tree, .. }] => {
            let mut elements = tree.iter().filter(|n| !n.is_blank());
            match (elements.next(), elements.next()) {
                (Some(Node::Element(span)), None)
                    if span.name == "span" && span.has_class("caption") =>
                {
                    Some(span_content(&span.children))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The inside of a caption span: Markdown inlines and text as written, raw elements lowered.
pub(super) fn span_content(nodes: &[Node]) -> Vec<Inline> {
    let mut out = Vec::new();
    for n in nodes {
        match n {
            Node::Text(t) => out.push(Inline::Text(t.clone())),
            Node::Inline(i) => out.push(i.clone()),
            other => out.extend(super::raw::inlines(std::slice::from_ref(other))),
        }
    }
    out
}

/// Inlines without white space at either end.
fn trimmed(mut inlines: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text(t)) = inlines.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text(t)) = inlines.last_mut() {
        *t = t.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    inlines
}
