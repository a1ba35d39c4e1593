//! One walk over the model, in the style of `syn::visit`: [`Visit`] reads, [`VisitMut`]
//! changes. Each method's default recurses into everything its node holds (block quotes, list
//! items, table cells, figure captions, the Markdown inside raw HTML, a chapter's footnotes)
//! by calling the free function of the same name, so a pass overrides only the methods of the
//! nodes it cares about and calls the free function to keep going below them.
//!
//! The `content` beside raw HTML (`Block::Html`, `Inline::RawHtml`) is not walked: it is made
//! by the reader from the tree, after every other pass, and holds copies of the Markdown that
//! the tree holds, which would otherwise be seen twice.

use super::html::{Element, Node};
use super::{Block, Chapter, Figure, Footnote, Heading, Inline, List, Table};

/// A read-only walk.
pub trait Visit<'a> {
    fn visit_chapter(&mut self, c: &'a Chapter) {
        visit_chapter(self, c)
    }
    fn visit_blocks(&mut self, blocks: &'a [Block]) {
        visit_blocks(self, blocks)
    }
    fn visit_block(&mut self, b: &'a Block) {
        visit_block(self, b)
    }
    fn visit_heading(&mut self, h: &'a Heading) {
        visit_inlines(self, &h.content)
    }
    fn visit_list(&mut self, l: &'a List) {
        l.items.iter().for_each(|i| self.visit_blocks(&i.blocks))
    }
    fn visit_table(&mut self, t: &'a Table) {
        if let Some(c) = &t.caption {
            visit_inlines(self, c)
        }
        t.header
            .iter()
            .chain(t.rows.iter().flatten())
            .for_each(|cell| visit_inlines(self, cell))
    }
    fn visit_figure(&mut self, f: &'a Figure) {
        visit_figure(self, f)
    }
    fn visit_footnote(&mut self, n: &'a Footnote) {
        self.visit_blocks(&n.blocks)
    }
    fn visit_inline(&mut self, i: &'a Inline) {
        visit_inline(self, i)
    }
    /// A node of raw HTML (`Block::Html`, `Inline::RawHtml`).
    fn visit_node(&mut self, n: &'a Node) {
        visit_node(self, n)
    }
    fn visit_element(&mut self, e: &'a Element) {
        visit_element(self, e)
    }
    /// Text of raw HTML.
    fn visit_html_text(&mut self, _text: &'a str) {}
}

pub fn visit_chapter<'a, V: Visit<'a> + ?Sized>(v: &mut V, c: &'a Chapter) {
    if let Some(t) = &c.title {
        visit_inlines(v, t);
    }
    v.visit_blocks(&c.blocks);
    c.notes.iter().for_each(|n| v.visit_footnote(n));
}

pub fn visit_figure<'a, V: Visit<'a> + ?Sized>(v: &mut V, f: &'a Figure) {
    if let Some(c) = &f.caption {
        visit_inlines(v, c)
    }
}

pub fn visit_blocks<'a, V: Visit<'a> + ?Sized>(v: &mut V, blocks: &'a [Block]) {
    blocks.iter().for_each(|b| v.visit_block(b))
}

pub fn visit_block<'a, V: Visit<'a> + ?Sized>(v: &mut V, b: &'a Block) {
    match b {
        Block::Paragraph(inl) => visit_inlines(v, inl),
        Block::Heading(h) => v.visit_heading(h),
        Block::BlockQuote(inner) => v.visit_blocks(inner),
        Block::List(l) => v.visit_list(l),
        Block::Table(t) => v.visit_table(t),
        Block::Figure(f) => v.visit_figure(f),
        Block::Html { tree, .. } => tree.iter().for_each(|n| v.visit_node(n)),
        Block::Div(d) => v.visit_blocks(&d.blocks),
        Block::DefinitionList(items) => items.iter().for_each(|d| {
            visit_inlines(v, &d.term);
            d.definitions.iter().for_each(|b| v.visit_blocks(b));
        }),
        // A listing's caption is text of the book (its links, its characters).
        Block::CodeBlock { listing, .. } => {
            if let Some(caption) = &listing.caption {
                visit_inlines(v, caption);
            }
        }
        Block::SceneBreak => {}
    }
}

pub fn visit_inlines<'a, V: Visit<'a> + ?Sized>(v: &mut V, inlines: &'a [Inline]) {
    inlines.iter().for_each(|i| v.visit_inline(i))
}

pub fn visit_inline<'a, V: Visit<'a> + ?Sized>(v: &mut V, i: &'a Inline) {
    match i {
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::Link { content: c, .. }
        | Inline::Span { content: c, .. } => visit_inlines(v, c),
        Inline::RawHtml { tree, .. } => tree.iter().for_each(|n| v.visit_node(n)),
        Inline::Text(_)
        | Inline::Code(_)
        | Inline::Image { .. }
        | Inline::NoteRef { .. }
        | Inline::SoftBreak
        | Inline::LineBreak
        | Inline::Html(_) => {}
    }
}

pub fn visit_element<'a, V: Visit<'a> + ?Sized>(v: &mut V, e: &'a Element) {
    e.children.iter().for_each(|n| v.visit_node(n))
}

pub fn visit_node<'a, V: Visit<'a> + ?Sized>(v: &mut V, n: &'a Node) {
    match n {
        Node::Element(e) => v.visit_element(e),
        Node::Text(t) => v.visit_html_text(t),
        Node::Block(b) => v.visit_block(b),
        Node::Inline(i) => v.visit_inline(i),
    }
}

/// A walk that changes what it visits.
pub trait VisitMut {
    fn visit_chapter_mut(&mut self, c: &mut Chapter) {
        visit_chapter_mut(self, c)
    }
    /// A list of blocks (a chapter's, a quote's, an item's, a note's): passes that look at
    /// neighbours (figures and their captions) override this one.
    fn visit_blocks_mut(&mut self, blocks: &mut Vec<Block>) {
        visit_blocks_mut(self, blocks)
    }
    fn visit_block_mut(&mut self, b: &mut Block) {
        visit_block_mut(self, b)
    }
    fn visit_heading_mut(&mut self, h: &mut Heading) {
        visit_inlines_mut(self, &mut h.content)
    }
    fn visit_figure_mut(&mut self, f: &mut Figure) {
        if let Some(c) = &mut f.caption {
            visit_inlines_mut(self, c)
        }
    }
    fn visit_footnote_mut(&mut self, n: &mut Footnote) {
        self.visit_blocks_mut(&mut n.blocks)
    }
    /// A run of inlines (a paragraph, a heading, a cell, a span's content...).
    fn visit_inlines_mut(&mut self, inlines: &mut Vec<Inline>) {
        visit_inlines_mut(self, inlines)
    }
    fn visit_inline_mut(&mut self, i: &mut Inline) {
        visit_inline_mut(self, i)
    }
    /// The nodes of raw HTML, or an element's children.
    fn visit_nodes_mut(&mut self, nodes: &mut Vec<Node>) {
        visit_nodes_mut(self, nodes)
    }
    fn visit_element_mut(&mut self, e: &mut Element) {
        self.visit_nodes_mut(&mut e.children)
    }
}

pub fn visit_chapter_mut<V: VisitMut + ?Sized>(v: &mut V, c: &mut Chapter) {
    if let Some(t) = &mut c.title {
        v.visit_inlines_mut(t);
    }
    v.visit_blocks_mut(&mut c.blocks);
    c.notes.iter_mut().for_each(|n| v.visit_footnote_mut(n));
}

// A `Vec`, as the trait method it is the default of: overriders may add and remove.
#[allow(clippy::ptr_arg)]
pub fn visit_blocks_mut<V: VisitMut + ?Sized>(v: &mut V, blocks: &mut Vec<Block>) {
    blocks.iter_mut().for_each(|b| v.visit_block_mut(b))
}

pub fn visit_block_mut<V: VisitMut + ?Sized>(v: &mut V, b: &mut Block) {
    match b {
        Block::Paragraph(inl) => v.visit_inlines_mut(inl),
        Block::Heading(h) => v.visit_heading_mut(h),
        Block::BlockQuote(inner) => v.visit_blocks_mut(inner),
        Block::List(l) => l
            .items
            .iter_mut()
            .for_each(|i| v.visit_blocks_mut(&mut i.blocks)),
        Block::Table(t) => t
            .caption
            .iter_mut()
            .chain(t.header.iter_mut())
            .chain(t.rows.iter_mut().flatten())
            .for_each(|cell| v.visit_inlines_mut(cell)),
        Block::Figure(f) => v.visit_figure_mut(f),
        Block::Html { tree, .. } => v.visit_nodes_mut(tree),
        Block::Div(d) => v.visit_blocks_mut(&mut d.blocks),
        Block::DefinitionList(items) => items.iter_mut().for_each(|d| {
            v.visit_inlines_mut(&mut d.term);
            d.definitions.iter_mut().for_each(|b| v.visit_blocks_mut(b));
        }),
        Block::CodeBlock { listing, .. } => {
            if let Some(caption) = &mut listing.caption {
                v.visit_inlines_mut(caption);
            }
        }
        Block::SceneBreak => {}
    }
}

// A `Vec`, as the trait method it is the default of: overriders may add and remove.
#[allow(clippy::ptr_arg)]
pub fn visit_inlines_mut<V: VisitMut + ?Sized>(v: &mut V, inlines: &mut Vec<Inline>) {
    inlines.iter_mut().for_each(|i| v.visit_inline_mut(i))
}

pub fn visit_inline_mut<V: VisitMut + ?Sized>(v: &mut V, i: &mut Inline) {
    match i {
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::Link { content: c, .. }
        | Inline::Span { content: c, .. } => v.visit_inlines_mut(c),
        Inline::RawHtml { tree, .. } => v.visit_nodes_mut(tree),
        Inline::Text(_)
        | Inline::Code(_)
        | Inline::Image { .. }
        | Inline::NoteRef { .. }
        | Inline::SoftBreak
        | Inline::LineBreak
        | Inline::Html(_) => {}
    }
}

// A `Vec`, as the trait method it is the default of: overriders may add and remove.
#[allow(clippy::ptr_arg)]
pub fn visit_nodes_mut<V: VisitMut + ?Sized>(v: &mut V, nodes: &mut Vec<Node>) {
    for n in nodes.iter_mut() {
        match n {
            Node::Element(e) => v.visit_element_mut(e),
            Node::Text(_) => {}
            Node::Block(b) => v.visit_block_mut(b),
            Node::Inline(i) => v.visit_inline_mut(i),
        }
    }
}

/// Calls `f` on every inline of `chapter` (title, blocks, notes, the Markdown inside raw
/// HTML), containers before what they hold.
pub fn for_each_inline_mut(chapter: &mut Chapter, f: &mut dyn FnMut(&mut Inline)) {
    struct Each<'f>(&'f mut dyn FnMut(&mut Inline));
    impl VisitMut for Each<'_> {
        fn visit_inline_mut(&mut self, i: &mut Inline) {
            (self.0)(i);
            visit_inline_mut(self, i)
        }
    }
    Each(f).visit_chapter_mut(chapter)
}

/// Every heading of `blocks`, wherever it is (quotes, lists, raw HTML), in order.
pub fn headings(blocks: &[Block]) -> Vec<&Heading> {
    struct Headings<'a>(Vec<&'a Heading>);
    impl<'a> Visit<'a> for Headings<'a> {
        fn visit_heading(&mut self, h: &'a Heading) {
            self.0.push(h);
        }
    }
    let mut v = Headings(Vec::new());
    v.visit_blocks(blocks);
    v.0
}

/// The ids of the raw HTML elements in `blocks` (quotes, lists, tables, figures, inline raw
/// HTML too), in order.
pub fn raw_ids(blocks: &[Block]) -> Vec<String> {
    struct Ids(Vec<String>);
    impl<'a> Visit<'a> for Ids {
        fn visit_element(&mut self, e: &'a Element) {
            if let Some(id) = e.attr("id") {
                self.0.push(id.to_string());
            }
            visit_element(self, e)
        }
        fn visit_figure(&mut self, f: &'a Figure) {
            self.0.extend(f.ids.iter().cloned());
            visit_figure(self, f)
        }
        // The ids of pandoc's divs and spans (`::: {#id}`, `[x]{#id}`) are the author's too.
        fn visit_block(&mut self, b: &'a Block) {
            if let Block::Div(d) = b {
                if !d.attrs.id.is_empty() {
                    self.0.push(d.attrs.id.clone());
                }
            }
            visit_block(self, b)
        }
        fn visit_inline(&mut self, i: &'a Inline) {
            if let Inline::Span { attrs, .. } = i {
                if !attrs.id.is_empty() {
                    self.0.push(attrs.id.clone());
                }
            }
            visit_inline(self, i)
        }
    }
    let mut v = Ids(Vec::new());
    v.visit_blocks(blocks);
    v.0
}

/// The ids of raw HTML in a whole chapter, its notes included.
pub fn chapter_raw_ids(chapter: &Chapter) -> Vec<String> {
    let mut out = raw_ids(&chapter.blocks);
    for n in &chapter.notes {
        out.extend(raw_ids(&n.blocks));
    }
    out
}
