//! Which raw HTML is parsed together, and the one parse of it.
//!
//! pulldown-cmark hands raw HTML over in pieces: the lines of an HTML block, each inline tag of
//! a paragraph. An element may open in one piece and close in another, with Markdown between
//! (`<div class="note">`, a blank line, a paragraph, `</div>`), so pieces are parsed as runs:
//!
//! - the blocks of one list (a chapter's, a quote's, a list item's, a note's) between two
//!   headings are one run when any of them is raw HTML: each Markdown block stands in the
//!   run's HTML as an empty element of the tag it is written as (`<p>`, `<ul>`, `<pre>`...), so
//!   the parser builds around it as a browser would around the real one, and is put back in
//!   its place afterwards. A Markdown block the parser left at the top stays a block of the
//!   list; raw HTML between them becomes `Block::Html`, holding the blocks it wraps;
//! - the inlines of one paragraph, heading, cell or span are one run when any of them is raw
//!   HTML: it becomes one `Inline::RawHtml`, the Markdown inlines in their places. A lone
//!   `<br>` is a line break like Markdown's.
//!
//! Headings are never swallowed by raw HTML (they make the chapters and the contents).

use super::html::{parse_fragment, Element, Node};
use crate::model::{Block, Inline};

/// Marks a Markdown block in a run's HTML (its index in the run).
const BLOCK_MARK: &str = "quire-block";
/// Stands for a Markdown inline in a run's HTML.
const INLINE_MARK: &str = "quire-inline";

/// A raw HTML block as pulldown-cmark gives it, before its run is parsed: its source in
/// `tree` as one text node.
pub fn unparsed_block(html: String) -> Block {
    Block::Html {
        tree: vec![Node::Text(html)],
        content: Vec::new(),
    }
}

fn unparsed_source(block: &Block) -> Option<&str> {
    match block {
        Block::Html { tree, .. } => match tree.as_slice() {
            [Node::Text(t)] => Some(t),
            _ => Some(""),
        },
        _ => None,
    }
}

/// Parses the raw HTML of `blocks` and of everything inside them; `lines` (the first line of
/// each block, for a file's top level) is kept in step.
pub fn read_blocks(blocks: &mut Vec<Block>, lines: Option<&mut Vec<usize>>) {
    for b in blocks.iter_mut() {
        read_inside(b);
    }
    if !blocks.iter().any(|b| matches!(b, Block::Html { .. })) {
        return;
    }
    let old = std::mem::take(blocks);
    let old_lines = lines.as_deref().cloned().unwrap_or_default();
    let mut new_lines = Vec::new();
    let mut start = 0;
    let mut push = |out: &mut Vec<Block>, seg: Vec<Block>, seg_lines: &[usize]| {
        let (b, l) = read_segment(seg, seg_lines);
        out.extend(b);
        new_lines.extend(l);
    };
    let mut rest = old;
    let mut out = Vec::new();
    // Segments end at headings; a heading is a segment of its own.
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|b| matches!(b, Block::Heading(_)))
            .map_or(rest.len(), |h| h.max(1));
        let tail = rest.split_off(end);
        let seg_lines: Vec<usize> = (start..start + end)
            .map(|k| old_lines.get(k).copied().unwrap_or(0))
            .collect();
        push(&mut out, rest, &seg_lines);
        start += end;
        rest = tail;
    }
    *blocks = out;
    if let Some(lines) = lines {
        *lines = new_lines;
    }
}

/// The raw HTML inside one block (its inlines, or the blocks of a quote or list).
fn read_inside(block: &mut Block) {
    match block {
        Block::Paragraph(inl) => read_inlines(inl),
        Block::Heading(h) => read_inlines(&mut h.content),
        Block::BlockQuote(inner) => read_blocks(inner, None),
        Block::List(l) => l
            .items
            .iter_mut()
            .for_each(|i| read_blocks(&mut i.blocks, None)),
        Block::Table(t) => t
            .header
            .iter_mut()
            .chain(t.rows.iter_mut().flatten())
            .for_each(read_inlines),
        Block::Figure(f) => {
            if let Some(c) = &mut f.caption {
                read_inlines(c)
            }
        }
        Block::Div(d) => read_blocks(&mut d.blocks, None),
        Block::DefinitionList(items) => items.iter_mut().for_each(|d| {
            read_inlines(&mut d.term);
            d.definitions.iter_mut().for_each(|b| read_blocks(b, None));
        }),
        Block::Html { .. } | Block::CodeBlock { .. } | Block::SceneBreak => {}
    }
}

/// One run of blocks: parsed together when it holds raw HTML.
fn read_segment(seg: Vec<Block>, lines: &[usize]) -> (Vec<Block>, Vec<usize>) {
    if !seg.iter().any(|b| matches!(b, Block::Html { .. })) {
        return (seg, lines.to_vec());
    }
    let mut html = String::new();
    for (k, b) in seg.iter().enumerate() {
        match unparsed_source(b) {
            Some(source) => html.push_str(source),
            None => html.push_str(&stand_in(b, k)),
        }
        html.push('\n');
    }
    let is_html: Vec<bool> = seg
        .iter()
        .map(|b| matches!(b, Block::Html { .. }))
        .collect();
    // The Markdown blocks, to put back (raw HTML blocks are in the parse).
    let mut kept: Vec<Option<Block>> = seg
        .into_iter()
        .map(|b| (!matches!(b, Block::Html { .. })).then_some(b))
        .collect();
    let mut nodes = Vec::new();
    for n in parse_fragment(&html) {
        match n {
            Node::Element(mut e) => match mark(&e, BLOCK_MARK, kept.len()) {
                Some(k) => {
                    if let Some(b) = kept[k].take() {
                        nodes.push(Top::Block(k, b));
                    }
                    put_back_blocks(&mut e.children, &mut kept);
                    nodes.extend(e.children.into_iter().map(Top::Raw));
                }
                None => {
                    put_back_blocks(&mut e.children, &mut kept);
                    nodes.push(Top::Raw(Node::Element(e)));
                }
            },
            other => nodes.push(Top::Raw(other)),
        }
    }
    // Anything the parser moved out of its place is kept at the end rather than lost.
    for (k, b) in kept.iter_mut().enumerate() {
        if let Some(b) = b.take() {
            nodes.push(Top::Block(k, b));
        }
    }

    let line_of = |k: usize| lines.get(k).copied().unwrap_or(0);
    let mut out = Vec::new();
    let mut out_lines = Vec::new();
    let mut group: Vec<Node> = Vec::new();
    // The index of the source block the next raw node comes from, for its line.
    let mut next = 0;
    let mut after_block = false;
    let flush = |group: &mut Vec<Node>, out: &mut Vec<Block>, out_lines: &mut Vec<usize>, at| {
        if !group.is_empty() {
            out.push(Block::Html {
                tree: std::mem::take(group),
                content: Vec::new(),
            });
            out_lines.push(at);
        }
    };
    let raw_line = |next: usize| {
        let k = (next..is_html.len()).find(|&k| is_html[k]).unwrap_or(next);
        line_of(k)
    };
    for n in nodes {
        match n {
            Top::Block(k, b) => {
                flush(&mut group, &mut out, &mut out_lines, raw_line(next));
                out.push(b);
                out_lines.push(line_of(k));
                next = k + 1;
                after_block = true;
            }
            Top::Raw(mut n) => {
                // The line end after a Markdown block is the block's own.
                if after_block {
                    if let Node::Text(t) = &mut n {
                        if let Some(rest) = t.strip_prefix('\n') {
                            *t = rest.to_string();
                        }
                        if t.is_empty() {
                            continue;
                        }
                    }
                }
                after_block = false;
                group.push(n);
            }
        }
    }
    flush(&mut group, &mut out, &mut out_lines, raw_line(next));
    (out, out_lines)
}

/// The empty element a Markdown block stands in as in its run's HTML.
fn stand_in(block: &Block, k: usize) -> String {
    let tag = match block {
        Block::Paragraph(_) => "p",
        Block::Heading(h) => match h.level {
            1 => "h1",
            2 => "h2",
            3 => "h3",
            4 => "h4",
            5 => "h5",
            _ => "h6",
        },
        Block::BlockQuote(_) => "blockquote",
        Block::List(l) if l.start.is_some() => "ol",
        Block::List(_) => "ul",
        Block::CodeBlock { .. } => "pre",
        Block::Table(_) => "table",
        Block::Figure(_) => "figure",
        Block::SceneBreak => return format!("<hr {BLOCK_MARK}=\"{k}\">"),
        Block::Html { .. } | Block::Div(_) => "div",
        Block::DefinitionList(_) => "dl",
    };
    format!("<{tag} {BLOCK_MARK}=\"{k}\"></{tag}>")
}

/// A top-level node of a parsed run: a Markdown block back in its place, or raw HTML.
enum Top {
    Block(usize, Block),
    Raw(Node),
}

/// Replaces the stand-ins of a run's Markdown blocks by the blocks (taken from `kept`).
fn put_back_blocks(nodes: &mut Vec<Node>, kept: &mut [Option<Block>]) {
    let mut out = Vec::with_capacity(nodes.len());
    let mut after_block = false;
    for n in std::mem::take(nodes) {
        // The line end after a Markdown block is the block's own (its writer writes it).
        let n = match n {
            Node::Text(t) if std::mem::take(&mut after_block) => match t.strip_prefix('\n') {
                Some("") => continue,
                Some(rest) => Node::Text(rest.to_string()),
                None => Node::Text(t),
            },
            other => other,
        };
        after_block = false;
        match n {
            Node::Element(mut e) => match mark(&e, BLOCK_MARK, kept.len()) {
                Some(k) => {
                    if let Some(b) = kept[k].take() {
                        out.push(Node::Block(b));
                        after_block = e.children.is_empty();
                    }
                    // What the parser put inside a stand-in (formatting it carried over).
                    put_back_blocks(&mut e.children, kept);
                    out.extend(e.children);
                }
                None => {
                    put_back_blocks(&mut e.children, kept);
                    out.push(Node::Element(e));
                }
            },
            other => out.push(other),
        }
    }
    *nodes = out;
}

/// The index an element marks (`quire-block="3"`), if it is a stand-in.
fn mark(e: &Element, name: &str, len: usize) -> Option<usize> {
    let k: usize = e.attr(name)?.parse().ok()?;
    (k < len).then_some(k)
}

/// Parses the raw HTML of a run of inlines (and of the spans inside it).
pub fn read_inlines(inlines: &mut Vec<Inline>) {
    for i in inlines.iter_mut() {
        match i {
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Link { content: c, .. }
            | Inline::Span { content: c, .. } => read_inlines(c),
            Inline::Html(h) if is_line_break(h) => *i = Inline::LineBreak,
            _ => {}
        }
    }
    if !inlines.iter().any(|i| matches!(i, Inline::Html(_))) {
        return;
    }
    let mut html = String::new();
    let mut kept: Vec<Option<Inline>> = Vec::new();
    for i in std::mem::take(inlines) {
        match i {
            Inline::Html(h) => html.push_str(&h),
            Inline::Text(t) => escape_into(&mut html, &t),
            other => {
                html.push_str(&format!(
                    "<{INLINE_MARK} {INLINE_MARK}=\"{}\"></{INLINE_MARK}>",
                    kept.len()
                ));
                kept.push(Some(other));
            }
        }
    }
    let mut tree = parse_fragment(&html);
    put_back_inlines(&mut tree, &mut kept);
    tree.extend(kept.iter_mut().filter_map(Option::take).map(Node::Inline));
    inlines.push(Inline::RawHtml {
        tree,
        content: Vec::new(),
    });
}

fn put_back_inlines(nodes: &mut Vec<Node>, kept: &mut [Option<Inline>]) {
    let mut out = Vec::with_capacity(nodes.len());
    for n in std::mem::take(nodes) {
        match n {
            Node::Element(mut e) => {
                put_back_inlines(&mut e.children, kept);
                match (e.name == INLINE_MARK)
                    .then(|| mark(&e, INLINE_MARK, kept.len()))
                    .flatten()
                {
                    Some(k) => {
                        out.extend(kept[k].take().map(Node::Inline));
                        out.extend(e.children);
                    }
                    None => out.push(Node::Element(e)),
                }
            }
            other => out.push(other),
        }
    }
    *nodes = out;
}

/// Whether an inline raw HTML piece is a lone line break (`<br>`, `<br/>`, `<BR />`).
pub fn is_line_break(html: &str) -> bool {
    let inner = html.trim();
    let Some(inner) = inner.strip_prefix('<').and_then(|s| s.strip_suffix('>')) else {
        return false;
    };
    inner
        .trim_end_matches('/')
        .trim()
        .eq_ignore_ascii_case("br")
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// One raw HTML block read as the reader reads it (parsed, and its `content` made), for
/// models built by hand (tests, tools).
pub fn block(html: &str) -> Block {
    let tree = parse_fragment(html);
    let content = super::raw::blocks(&tree);
    Block::Html { tree, content }
}
