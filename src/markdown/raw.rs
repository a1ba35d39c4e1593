//! Raw HTML lowered into the model's own terms, for writers that do not write HTML (the PDF).
//!
//! The model keeps raw HTML as the reader parsed it (`Block::Html::tree`,
//! `Inline::RawHtml::tree`) for writers that write HTML, and beside it what it says as plain
//! model blocks and inlines (`content`), made here from the tree once every other pass is
//! done (so the Markdown inside has its ids, note numbers and links). The subset that keeps
//! its meaning:
//!
//! - `br` -> a line break; `em`, `i`, `cite`, `dfn`, `var` -> emphasis; `strong`, `b` ->
//!   strong; `sup`, `sub`; `s`, `del`, `strike` -> strikethrough; `code`, `kbd`, `samp`,
//!   `tt` -> code; `a href` -> a link (resolved like a Markdown link); `img` -> an image;
//!   `span`, `abbr`, `time`, `small`, `bdi`, `bdo`, `data` -> their text, which is all they
//!   show;
//! - `p`, `div` and the sectioning elements (`figure`, `figcaption`, `section`, `article`,
//!   `aside`, `header`, `footer`, `main`, `nav`, `center`, `address`) -> paragraphs;
//!   `blockquote` -> a block quote; `pre` -> a code block (language from a `language-x`
//!   class); `hr` -> a scene break.
//!
//! `script`, `style`, `template` and document-head elements are left out with their content,
//! as the EPUB leaves them out. Any other HTML element (`video`, `table`, `ul`, `details`,
//! ...) falls back to its text, and [`unsupported`] names it so that the reader can warn;
//! elements that are not HTML at all (mdBook's `<Listing>`) are unwrapped silently, as in
//! the EPUB.

use super::html::{Element, Node};
use crate::model::html::UNSHOWN as DROPPED;
use crate::model::visit::{self, VisitMut};
use crate::model::{plain_text, Block, Inline, LinkTarget};

/// Blocks: each starts a paragraph of its own (or a quote, code block or scene break).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "figure",
    "figcaption",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "nav",
    "center",
    "address",
    "blockquote",
    "pre",
    "hr",
];

/// HTML elements whose meaning is lost: their text is kept, and the reader warns. Their
/// blocks still start paragraphs of their own.
const FALLBACK_BLOCKS: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "menu", "table",
    "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "details", "summary", "dialog", "form",
    "fieldset", "legend", "hgroup", "video", "audio", "iframe", "object", "embed", "canvas",
    "picture", "frameset", "frame", "applet", "marquee",
];
const FALLBACK_INLINES: &[&str] = &[
    "u", "mark", "ins", "q", "big", "ruby", "rt", "rp", "label", "input", "button", "select",
    "option", "optgroup", "textarea", "datalist", "output", "progress", "meter", "map", "area",
    "svg", "math", "col", "colgroup", "slot", "portal", "font",
];

/// The HTML elements of raw HTML that the model keeps only the text of, in order of
/// appearance (each once; the parts of one, such as a table's rows, go with it).
pub fn unsupported(nodes: &[Node]) -> Vec<String> {
    fn find(nodes: &[Node], out: &mut Vec<String>) {
        for n in nodes {
            if let Node::Element(e) = n {
                let name = &e.name;
                let known = FALLBACK_BLOCKS.contains(&name.as_str())
                    || FALLBACK_INLINES.contains(&name.as_str());
                if !known {
                    find(&e.children, out);
                } else if !out.contains(name) {
                    out.push(name.clone());
                }
            }
        }
    }
    let mut out = Vec::new();
    find(nodes, &mut out);
    out
}

/// Raw HTML of inline runs as plain inlines (`x`, superscript `2`).
pub fn inlines(tree: &[Node]) -> Vec<Inline> {
    let mut out = Vec::new();
    Reader.inlines(tree, &mut out, false);
    out
}

/// Raw HTML blocks as plain blocks.
pub fn blocks(tree: &[Node]) -> Vec<Block> {
    let mut out = Vec::new();
    Reader.blocks(tree, &mut out);
    out
}

/// Fills the `content` of every raw HTML block and run of `chapter`, inner ones first, and
/// resolves the links read from raw HTML with `resolve`: quietly, as the EPUB keeps a raw
/// link only when it leads somewhere (one that does not resolve becomes its text).
pub fn lower_chapter(
    chapter: &mut crate::model::Chapter,
    resolve: &mut dyn FnMut(&str) -> Option<LinkTarget>,
) {
    struct Lower<'r>(&'r mut dyn FnMut(&str) -> Option<LinkTarget>);
    impl VisitMut for Lower<'_> {
        fn visit_block_mut(&mut self, b: &mut Block) {
            visit::visit_block_mut(self, b);
            if let Block::Html { tree, content } = b {
                *content = blocks(tree);
                raw_block_links(content, self.0);
            }
        }
        fn visit_inline_mut(&mut self, i: &mut Inline) {
            visit::visit_inline_mut(self, i);
            if let Inline::RawHtml { tree, content } = i {
                *content = inlines(tree);
                quiet_links(content, self.0);
            }
        }
    }
    Lower(resolve).visit_chapter_mut(chapter)
}

/// Resolves the raw links of lowered blocks (Markdown blocks inside were resolved already).
fn raw_block_links(blocks: &mut [Block], resolve: &mut dyn FnMut(&str) -> Option<LinkTarget>) {
    for b in blocks {
        match b {
            Block::Paragraph(inlines) => quiet_links(inlines, resolve),
            Block::BlockQuote(inner) => raw_block_links(inner, resolve),
            _ => {}
        }
    }
}

fn quiet_links(inlines: &mut Vec<Inline>, resolve: &mut dyn FnMut(&str) -> Option<LinkTarget>) {
    let mut k = 0;
    while k < inlines.len() {
        match &mut inlines[k] {
            Inline::Link {
                target, content, ..
            } => {
                quiet_links(content, resolve);
                if let LinkTarget::Unresolved(raw) = target {
                    match resolve(raw) {
                        Some(t) => *target = t,
                        None => {
                            let text = std::mem::take(content);
                            inlines.splice(k..=k, text);
                            continue;
                        }
                    }
                }
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => quiet_links(c, resolve),
            _ => {}
        }
        k += 1;
    }
}

struct Reader;

impl Reader {
    fn blocks(&mut self, nodes: &[Node], out: &mut Vec<Block>) {
        let mut para: Vec<Inline> = Vec::new();
        for n in nodes {
            let e = match n {
                Node::Element(e) => e,
                Node::Block(b) => {
                    flush(&mut para, out);
                    out.push(b.clone());
                    continue;
                }
                Node::Text(_) | Node::Inline(_) => {
                    self.inlines(std::slice::from_ref(n), &mut para, false);
                    continue;
                }
            };
            let name = e.name.as_str();
            // An element around Markdown blocks (mdBook's `<Listing>`) holds blocks.
            let around_blocks = !DROPPED.contains(&name) && holds_blocks(&e.children);
            if !(BLOCKS.contains(&name) || FALLBACK_BLOCKS.contains(&name) || around_blocks) {
                self.inlines(std::slice::from_ref(n), &mut para, false);
                continue;
            }
            flush(&mut para, out);
            match name {
                "blockquote" => {
                    let mut inner = Vec::new();
                    self.blocks(&e.children, &mut inner);
                    if !inner.is_empty() {
                        out.push(Block::BlockQuote(inner));
                    }
                }
                "pre" => {
                    let mut text = text_of(&e.children);
                    if text.starts_with('\n') {
                        text.remove(0);
                    }
                    out.push(Block::CodeBlock {
                        language: code_language(&e.children),
                        text,
                        listing: Default::default(),
                    });
                }
                "hr" => out.push(Block::SceneBreak),
                _ => self.blocks(&e.children, out),
            }
        }
        flush(&mut para, out);
    }

    fn inlines(&mut self, nodes: &[Node], out: &mut Vec<Inline>, in_link: bool) {
        for n in nodes {
            let e = match n {
                Node::Text(t) => {
                    push_text(out, t);
                    continue;
                }
                // Markdown inside the run, in its place (its own raw HTML lowered already).
                Node::Inline(i) => {
                    out.push(i.clone());
                    continue;
                }
                // A Markdown block inside inline raw HTML: its text.
                Node::Block(b) => {
                    let mut v = Vec::new();
                    self.blocks(&[Node::Block(b.clone())], &mut v);
                    for b in v {
                        if let Block::Paragraph(inl) = b {
                            out.extend(inl);
                        }
                    }
                    continue;
                }
                Node::Element(e) => e,
            };
            let (name, children) = (e.name.as_str(), &e.children);
            if !e.html && name != "svg" && name != "math" {
                // Inside inline SVG or MathML: its text, reported with the element.
                self.inlines(children, out, in_link);
                continue;
            }
            let inner = |this: &mut Self, link: bool| {
                let mut v = Vec::new();
                this.inlines(children, &mut v, link);
                v
            };
            match name {
                _ if DROPPED.contains(&name) => {}
                "br" => out.push(Inline::LineBreak),
                "em" | "i" | "cite" | "dfn" | "var" => {
                    out.push(Inline::Emphasis(inner(self, in_link)))
                }
                "strong" | "b" => out.push(Inline::Strong(inner(self, in_link))),
                "sup" => out.push(Inline::Superscript(inner(self, in_link))),
                "sub" => out.push(Inline::Subscript(inner(self, in_link))),
                "s" | "del" | "strike" => out.push(Inline::Strikethrough(inner(self, in_link))),
                "code" | "kbd" | "samp" | "tt" => {
                    let text = plain_text(&inner(self, in_link));
                    if !text.is_empty() {
                        out.push(Inline::Code(text));
                    }
                }
                "a" => {
                    let content = inner(self, true);
                    match e.attr("href").map(str::trim).filter(|h| !h.is_empty()) {
                        Some(href) if !in_link => out.push(Inline::Link {
                            target: LinkTarget::Unresolved(href.to_string()),
                            title: e
                                .attr("title")
                                .map(str::to_string)
                                .filter(|t| !t.is_empty()),
                            content,
                        }),
                        _ => out.extend(content),
                    }
                }
                "img" => match image(e) {
                    Some(img) => out.push(img),
                    None => {
                        let alt = e.attr("alt").unwrap_or_default();
                        if !alt.trim().is_empty() {
                            push_text(out, alt)
                        }
                    }
                },
                _ => {
                    // Anything else shows its text (TRANSPARENT elements, unknown ones and
                    // the fallbacks the reader warns about).
                    self.inlines(children, out, in_link)
                }
            }
        }
    }
}

/// Whether raw HTML holds Markdown blocks (at any depth).
fn holds_blocks(nodes: &[Node]) -> bool {
    nodes.iter().any(|n| match n {
        Node::Block(_) => true,
        Node::Element(e) => holds_blocks(&e.children),
        _ => false,
    })
}

/// A raw `<img>` with a `src` as a model image.
pub fn image(e: &Element) -> Option<Inline> {
    let src = e.attr("src").map(str::trim).filter(|s| !s.is_empty())?;
    Some(Inline::Image {
        src: src.to_string(),
        alt: e.attr("alt").unwrap_or_default().to_string(),
        title: e
            .attr("title")
            .map(str::to_string)
            .filter(|t| !t.is_empty()),
        size: super::attrs::html_image_size(e),
    })
}

/// The language of `<pre><code class="language-rust">`.
fn code_language(children: &[Node]) -> Option<String> {
    children.iter().find_map(|c| {
        c.element()?
            .attr("class")?
            .split_whitespace()
            .find_map(|class| class.strip_prefix("language-"))
            .filter(|l| !l.is_empty())
            .map(str::to_string)
    })
}

/// The text of nodes as written (for `pre`: whitespace kept).
fn text_of(nodes: &[Node]) -> String {
    let mut out = String::new();
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                if e.name == "br" {
                    out.push('\n');
                } else if !DROPPED.contains(&e.name.as_str()) {
                    out.push_str(&text_of(&e.children));
                }
            }
            Node::Inline(i) => out.push_str(&plain_text(std::slice::from_ref(i))),
            Node::Block(_) => {}
        }
    }
    out
}

/// Adds text with HTML's white space rules: runs of spaces, tabs and line ends are one
/// space, and none is doubled across pieces.
fn push_text(out: &mut Vec<Inline>, text: &str) {
    let space = matches!(out.last(), Some(Inline::Text(t)) if t.ends_with(' '))
        || matches!(out.last(), Some(Inline::LineBreak));
    let collapsed = crate::model::html::collapse_spaces(text, space);
    if collapsed.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Text(last)) => last.push_str(&collapsed),
        _ => out.push(Inline::Text(collapsed)),
    }
}

/// Ends the paragraph being gathered, if it has anything to show.
fn flush(para: &mut Vec<Inline>, out: &mut Vec<Block>) {
    let mut inlines = std::mem::take(para);
    if let Some(Inline::Text(t)) = inlines.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text(t)) = inlines.last_mut() {
        *t = t.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    while matches!(inlines.last(), Some(Inline::LineBreak)) {
        inlines.pop();
    }
    if !inlines.is_empty() {
        out.push(Block::Paragraph(inlines));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    fn run(pieces: Vec<Inline>) -> Vec<Inline> {
        let mut run = pieces;
        crate::markdown::runs::read_inlines(&mut run);
        match run.as_slice() {
            [Inline::RawHtml { tree, .. }] => inlines(tree),
            other => other.to_vec(),
        }
    }

    fn parse(html: &str) -> Vec<Node> {
        crate::markdown::html::parse_fragment(html)
    }

    #[test]
    fn pieces_of_a_run_make_one_tree() {
        let pieces = vec![
            text("x"),
            Inline::Html("<sup>".into()),
            text("2"),
            Inline::Html("</sup>".into()),
            text(" a < b"),
            Inline::Html("<br>".into()),
            Inline::Emphasis(vec![text("md")]),
            Inline::Html("<b>".into()),
            Inline::Code("c".into()),
            Inline::Html("</b>".into()),
        ];
        assert_eq!(
            run(pieces),
            vec![
                text("x"),
                Inline::Superscript(vec![text("2")]),
                text(" a < b"),
                Inline::LineBreak,
                Inline::Emphasis(vec![text("md")]),
                Inline::Strong(vec![Inline::Code("c".into())]),
            ]
        );
    }

    #[test]
    fn links_images_and_fallbacks() {
        let pieces = vec![Inline::Html(
            "<a href=\" ch2.md#x \" title=\"t\"><i>go</i></a><img src=\"a.png\" alt=\"A\"><video>Old <u>player</u></video><script>x()</script><Listing>L</Listing>".into(),
        )];
        assert_eq!(
            run(pieces),
            vec![
                Inline::Link {
                    target: LinkTarget::Unresolved("ch2.md#x".into()),
                    title: Some("t".into()),
                    content: vec![Inline::Emphasis(vec![text("go")])],
                },
                Inline::Image {
                    src: "a.png".into(),
                    alt: "A".into(),
                    title: None,
                    size: Default::default(),
                },
                text("Old playerL"),
            ]
        );
        assert_eq!(
            unsupported(&parse(
                "<video>Old <u>p</u></video><u>again</u><Listing><table><tr><td>c"
            )),
            ["video", "u", "table"]
        );
        assert!(unsupported(&parse("<span>a</span><sup>2</sup><br>")).is_empty());
    }

    #[test]
    fn blocks_become_paragraphs_quotes_and_code() {
        let b = blocks(&parse(
            "<div class=\"aside\">\n  <p>One<br>two</p>\n  tail\n</div>\n<blockquote><p>q</p></blockquote><pre><code class=\"language-rust\">fn x() {}\n</code></pre><hr><ul><li>a</li><li>b</li></ul>",
        ));
        assert_eq!(
            b,
            vec![
                Block::Paragraph(vec![text("One"), Inline::LineBreak, text("two")]),
                Block::Paragraph(vec![text("tail")]),
                Block::BlockQuote(vec![Block::Paragraph(vec![text("q")])]),
                Block::CodeBlock {
                    language: Some("rust".into()),
                    text: "fn x() {}\n".into(),
                    listing: Default::default(),
                },
                Block::SceneBreak,
                Block::Paragraph(vec![text("a")]),
                Block::Paragraph(vec![text("b")]),
            ]
        );
        assert!(blocks(&parse("<a id=\"x\"></a>\n")).is_empty());
    }
}
