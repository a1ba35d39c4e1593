//! Raw HTML read into the model's own terms, for writers that do not write HTML (the PDF).
//!
//! The model keeps raw HTML as written (`Block::Html::html`, `Inline::RawHtml::source`) for
//! writers that re-serialise it, and beside it what it says as plain model blocks and inlines
//! (`content`), read here with the same HTML parser. The subset that keeps its meaning:
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

use super::html::{parse_fragment, Node};
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

/// Left out with everything inside (never shown by a browser either).
const DROPPED: &[&str] = &[
    "script", "style", "template", "head", "title", "meta", "link", "base", "noscript", "param",
    "source", "track",
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

/// Stands for a Markdown inline inside a run of raw HTML while the run is parsed.
const PLACEHOLDER: &str = "quire-inline";

/// The HTML elements in a raw fragment that the model keeps only the text of, in order of
/// appearance (each once; the parts of one, such as a table's rows, go with it).
pub fn unsupported(html: &str) -> Vec<String> {
    fn find(nodes: &[Node], out: &mut Vec<String>) {
        for n in nodes {
            if let Node::Element { name, children, .. } = n {
                let known = FALLBACK_BLOCKS.contains(&name.as_str())
                    || FALLBACK_INLINES.contains(&name.as_str());
                if !known {
                    find(children, out);
                } else if !out.contains(name) {
                    out.push(name.clone());
                }
            }
        }
    }
    if !html.contains('<') {
        return Vec::new();
    }
    let mut out = Vec::new();
    find(&parse_fragment(html), &mut out);
    out
}

/// Whether a run of inlines (or the inlines inside them) holds raw HTML.
pub fn has_html(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::Html(_) => true,
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::Link { content: c, .. } => has_html(c),
        _ => false,
    })
}

/// A run of inlines with raw HTML pieces in it (`x`, `<sup>`, `2`, `</sup>`) as plain
/// inlines (`x`, superscript `2`). The Markdown inlines of the run keep their place.
pub fn inlines(run: &[Inline]) -> Vec<Inline> {
    let mut html = String::new();
    let mut kept: Vec<&Inline> = Vec::new();
    for i in run {
        match i {
            Inline::Html(h) => html.push_str(h),
            Inline::Text(t) => escape_into(&mut html, t),
            other => {
                html.push_str(&format!(
                    "<{PLACEHOLDER} n=\"{}\"></{PLACEHOLDER}>",
                    kept.len()
                ));
                kept.push(other);
            }
        }
    }
    let mut reader = Reader {
        kept: &kept,
        used: vec![false; kept.len()],
    };
    let mut out = Vec::new();
    reader.inlines(&parse_fragment(&html), &mut out, false);
    // Whatever the parser moved out of its place is kept at the end rather than lost.
    for (k, i) in kept.iter().enumerate() {
        if !reader.used[k] {
            out.push(lowered(i));
        }
    }
    out
}

/// A raw HTML block as plain blocks.
pub fn blocks(html: &str) -> Vec<Block> {
    let mut reader = Reader {
        kept: &[],
        used: Vec::new(),
    };
    let mut out = Vec::new();
    reader.blocks(&parse_fragment(html), &mut out);
    out
}

/// A Markdown inline with the raw HTML inside it read.
fn lowered(i: &Inline) -> Inline {
    let read = |c: &Vec<Inline>| if has_html(c) { inlines(c) } else { c.clone() };
    match i {
        Inline::Emphasis(c) => Inline::Emphasis(read(c)),
        Inline::Strong(c) => Inline::Strong(read(c)),
        Inline::Strikethrough(c) => Inline::Strikethrough(read(c)),
        Inline::Superscript(c) => Inline::Superscript(read(c)),
        Inline::Subscript(c) => Inline::Subscript(read(c)),
        Inline::Link {
            target,
            title,
            content,
        } => Inline::Link {
            target: target.clone(),
            title: title.clone(),
            content: read(content),
        },
        other => other.clone(),
    }
}

struct Reader<'a> {
    kept: &'a [&'a Inline],
    used: Vec<bool>,
}

impl Reader<'_> {
    fn blocks(&mut self, nodes: &[Node], out: &mut Vec<Block>) {
        let mut para: Vec<Inline> = Vec::new();
        for n in nodes {
            let Node::Element { name, children, .. } = n else {
                self.inlines(std::slice::from_ref(n), &mut para, false);
                continue;
            };
            let name = name.as_str();
            if !(BLOCKS.contains(&name) || FALLBACK_BLOCKS.contains(&name)) {
                self.inlines(std::slice::from_ref(n), &mut para, false);
                continue;
            }
            flush(&mut para, out);
            match name {
                "blockquote" => {
                    let mut inner = Vec::new();
                    self.blocks(children, &mut inner);
                    if !inner.is_empty() {
                        out.push(Block::BlockQuote(inner));
                    }
                }
                "pre" => {
                    let mut text = text_of(children);
                    if text.starts_with('\n') {
                        text.remove(0);
                    }
                    out.push(Block::CodeBlock {
                        language: code_language(children),
                        text,
                    });
                }
                "hr" => out.push(Block::SceneBreak),
                _ => self.blocks(children, out),
            }
        }
        flush(&mut para, out);
    }

    fn inlines(&mut self, nodes: &[Node], out: &mut Vec<Inline>, in_link: bool) {
        for n in nodes {
            let (name, html, children) = match n {
                Node::Text(t) => {
                    push_text(out, t);
                    continue;
                }
                Node::Element {
                    name,
                    html,
                    children,
                    ..
                } => (name.as_str(), *html, children),
            };
            if name == PLACEHOLDER {
                let k = n.attr("n").and_then(|k| k.parse::<usize>().ok());
                if let Some(k) = k.filter(|&k| k < self.kept.len() && !self.used[k]) {
                    self.used[k] = true;
                    out.push(lowered(self.kept[k]));
                }
                continue;
            }
            if !html && name != "svg" && name != "math" {
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
                    match n.attr("href").map(str::trim).filter(|h| !h.is_empty()) {
                        Some(href) if !in_link => out.push(Inline::Link {
                            target: LinkTarget::Unresolved(href.to_string()),
                            title: n
                                .attr("title")
                                .map(str::to_string)
                                .filter(|t| !t.is_empty()),
                            content,
                        }),
                        _ => out.extend(content),
                    }
                }
                "img" => {
                    let alt = n.attr("alt").unwrap_or_default().to_string();
                    match n.attr("src").map(str::trim).filter(|s| !s.is_empty()) {
                        Some(src) => out.push(Inline::Image {
                            src: src.to_string(),
                            alt,
                            title: n
                                .attr("title")
                                .map(str::to_string)
                                .filter(|t| !t.is_empty()),
                        }),
                        None if !alt.trim().is_empty() => push_text(out, &alt),
                        None => {}
                    }
                }
                _ => {
                    // Anything else shows its text (TRANSPARENT elements, unknown ones and
                    // the fallbacks the reader warns about).
                    self.inlines(children, out, in_link)
                }
            }
        }
    }
}

/// The language of `<pre><code class="language-rust">`.
fn code_language(children: &[Node]) -> Option<String> {
    children.iter().find_map(|c| {
        c.attr("class")?
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
            Node::Element { name, children, .. } => {
                if name == "br" {
                    out.push('\n');
                } else if !DROPPED.contains(&name.as_str()) {
                    out.push_str(&text_of(children));
                }
            }
        }
    }
    out
}

/// Adds text with HTML's white space rules: runs of spaces, tabs and line ends are one
/// space, and none is doubled across pieces.
fn push_text(out: &mut Vec<Inline>, text: &str) {
    let mut collapsed = String::with_capacity(text.len());
    let mut space = matches!(out.last(), Some(Inline::Text(t)) if t.ends_with(' '))
        || matches!(out.last(), Some(Inline::LineBreak));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn pieces_of_a_run_make_one_tree() {
        let run = vec![
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
            inlines(&run),
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
        let run = vec![Inline::Html(
            "<a href=\" ch2.md#x \" title=\"t\"><i>go</i></a><img src=\"a.png\" alt=\"A\"><video>Old <u>player</u></video><script>x()</script><Listing>L</Listing>".into(),
        )];
        assert_eq!(
            inlines(&run),
            vec![
                Inline::Link {
                    target: LinkTarget::Unresolved("ch2.md#x".into()),
                    title: Some("t".into()),
                    content: vec![Inline::Emphasis(vec![text("go")])],
                },
                Inline::Image {
                    src: "a.png".into(),
                    alt: "A".into(),
                    title: None
                },
                text("Old playerL"),
            ]
        );
        assert_eq!(
            unsupported("<video>Old <u>p</u></video><u>again</u><Listing><table><tr><td>c"),
            ["video", "u", "table"]
        );
        assert!(unsupported("<span>a</span><sup>2</sup><br>").is_empty());
    }

    #[test]
    fn blocks_become_paragraphs_quotes_and_code() {
        let b = blocks(
            "<div class=\"aside\">\n  <p>One<br>two</p>\n  tail\n</div>\n<blockquote><p>q</p></blockquote><pre><code class=\"language-rust\">fn x() {}\n</code></pre><hr><ul><li>a</li><li>b</li></ul>",
        );
        assert_eq!(
            b,
            vec![
                Block::Paragraph(vec![text("One"), Inline::LineBreak, text("two")]),
                Block::Paragraph(vec![text("tail")]),
                Block::BlockQuote(vec![Block::Paragraph(vec![text("q")])]),
                Block::CodeBlock {
                    language: Some("rust".into()),
                    text: "fn x() {}\n".into()
                },
                Block::SceneBreak,
                Block::Paragraph(vec![text("a")]),
                Block::Paragraph(vec![text("b")]),
            ]
        );
        assert!(blocks("<a id=\"x\"></a>\n").is_empty());
    }
}
