//! Which code blocks are listings, and what they are called: one rule, decided here for every
//! writer (both set the caption and file name above the code).
//!
//! - mdBook books write the file name as a paragraph just before the block, `Filename:
//!   src/main.rs` (plain, or one `<span class="filename">`), and the caption as one
//!   `<span class="caption">` paragraph just after it; both paragraphs then go into the
//!   block's [`Listing`] and are not set again as text.
//! - The Rust book's newer `<Listing number="2-1" file-name="src/main.rs" caption="...">`
//!   wrapper around one code block becomes that block, its caption `Listing 2-1: ...`.
//! - pandoc's ```` ```{.rust caption="..."} ```` is read with the block (`convert`).
//!
//! A table takes the `<span class="caption">` paragraph just before it as its caption, as
//! the Rust book writes `Table B-1: Operators`.

use super::html::{Element, Node};
use crate::model::visit::{self, VisitMut};
use crate::model::{plain_text, Block, Inline, Listing};

/// Finds the listings of `blocks` and of every list of blocks inside them. `lines` (the
/// source line of each of `blocks`) loses the entries of the paragraphs taken in.
pub fn find(blocks: &mut Vec<Block>, lines: Option<&mut Vec<usize>>) {
    visit::visit_blocks_mut(&mut Listings, blocks);
    let keep = join(blocks);
    if let Some(lines) = lines.filter(|l| l.len() == keep.len()) {
        let mut k = 0;
        lines.retain(|_| {
            k += 1;
            keep[k - 1]
        });
    }
}

struct Listings;

impl VisitMut for Listings {
    fn visit_blocks_mut(&mut self, blocks: &mut Vec<Block>) {
        visit::visit_blocks_mut(self, blocks);
        join(blocks);
    }
}

/// Takes file names and captions into the code blocks they belong to; which blocks are kept.
fn join(blocks: &mut Vec<Block>) -> Vec<bool> {
    for b in blocks.iter_mut() {
        if let Some(code) = unwrapped(b) {
            *b = code;
        }
    }
    let n = blocks.len();
    let mut keep = vec![true; n];
    for k in 0..n {
        // The file name may stand above a comment (an empty raw block) before the code.
        let above = (0..k)
            .rev()
            .find(|&j| !is_empty_html(&blocks[j]))
            .filter(|&j| keep[j]);
        let before = above.and_then(|j| Some((j, file_name_of(&blocks[j])?)));
        let after = blocks.get(k + 1).and_then(|b| span_of(b, "caption"));
        // A table's caption comes before it (`Table B-1: Operators`).
        if let (Block::Table(t), Some(j)) = (&blocks[k], above) {
            if t.caption.is_none() {
                if let Some(caption) = span_of(&blocks[j], "caption") {
                    if let Block::Table(t) = &mut blocks[k] {
                        t.caption = Some(caption);
                    }
                    keep[j] = false;
                }
            }
            continue;
        }
        let Block::CodeBlock { listing, .. } = &mut blocks[k] else {
            continue;
        };
        if let (Some((j, name)), None) = (before, &listing.file_name) {
            listing.file_name = Some(name);
            keep[j] = false;
        }
        if let (Some(caption), None) = (after, &listing.caption) {
            listing.caption = Some(caption);
            keep[k + 1] = false;
        }
    }
    let mut k = 0;
    blocks.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    keep
}

/// Raw HTML that shows nothing (a comment).
fn is_empty_html(block: &Block) -> bool {
    matches!(block, Block::Html { tree, .. } if tree.iter().all(Node::is_blank))
}

/// The file name a paragraph gives the code block after it: `Filename: src/main.rs`.
fn file_name_of(block: &Block) -> Option<String> {
    let text = match span_of(block, "filename") {
        Some(content) => plain_text(&content),
        None => match block {
            Block::Paragraph(inl) => plain_text(inl),
            _ => return None,
        },
    };
    let name = text.trim().strip_prefix("Filename:")?.trim();
    (!name.is_empty() && !name.contains(char::is_whitespace)).then(|| name.to_string())
}

/// The content of a paragraph that is one `<span class="{class}">`.
fn span_of(block: &Block, class: &str) -> Option<Vec<Inline>> {
    let Block::Paragraph(inlines) = block else {
        return None;
    };
    let mut content = inlines
        .iter()
        .filter(|i| !matches!(i, Inline::Text(t) if t.trim().is_empty()));
    let (Some(Inline::RawHtml { tree, .. }), None) = (content.next(), content.next()) else {
        return None;
    };
    let mut elements = tree.iter().filter(|n| !n.is_blank());
    match (elements.next(), elements.next()) {
        (Some(Node::Element(span)), None) if span.name == "span" && span.has_class(class) => {
            Some(super::figure::span_content(&span.children)).filter(|c| !c.is_empty())
        }
        _ => None,
    }
}

/// The code block a `<Listing>` wrapper holds, with the wrapper's caption and file name.
fn unwrapped(block: &Block) -> Option<Block> {
    let Block::Html { tree, .. } = block else {
        return None;
    };
    let mut nodes = tree.iter().filter(|n| !n.is_blank());
    let (Some(Node::Element(wrapper)), None) = (nodes.next(), nodes.next()) else {
        return None;
    };
    if wrapper.name != "listing" {
        return None;
    }
    let mut code = None;
    for child in &wrapper.children {
        match child {
            Node::Block(b @ Block::CodeBlock { .. }) if code.is_none() => code = Some(b.clone()),
            n if n.is_blank() => {}
            // A comment between the tags leaves an empty raw block.
            Node::Block(Block::Html { tree, .. }) if tree.iter().all(Node::is_blank) => {}
            _ => return None,
        }
    }
    let mut code = code?;
    if let Block::CodeBlock { listing, .. } = &mut code {
        *listing = listing_of(wrapper);
    }
    Some(code)
}

/// `number`, `caption` and `file-name` of a `<Listing>`; the caption is Markdown, of which
/// code spans are kept.
fn listing_of(wrapper: &Element) -> Listing {
    let number = wrapper
        .attr("number")
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let caption = wrapper
        .attr("caption")
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let caption = match (number, caption) {
        (Some(n), Some(c)) => Some(format!("Listing {n}: {c}")),
        (Some(n), None) => Some(format!("Listing {n}")),
        (None, Some(c)) => Some(c.to_string()),
        (None, None) => None,
    };
    Listing {
        caption: caption.map(|c| code_spans(&c)),
        file_name: wrapper
            .attr("file-name")
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_string),
    }
}

/// Text with its `` `code` `` spans.
pub(super) fn code_spans(text: &str) -> Vec<Inline> {
    text.split('`')
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
        .map(|(k, t)| {
            if k % 2 == 1 {
                Inline::Code(t.to_string())
            } else {
                Inline::Text(t.to_string())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::model::{Block, Inline, Listing};

    fn read(md: &str) -> Vec<Block> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
        std::fs::write(dir.path().join("a.md"), md).unwrap();
        let (book, _, _) = crate::read_manuscript(dir.path()).unwrap();
        book.chapters.into_iter().flat_map(|c| c.blocks).collect()
    }

    fn listing(blocks: &[Block]) -> Listing {
        blocks
            .iter()
            .find_map(|b| match b {
                Block::CodeBlock { listing, .. } => Some(listing.clone()),
                _ => None,
            })
            .expect("a code block")
    }

    #[test]
    fn mdbook_file_names_and_caption_spans() {
        let blocks = read(
            "# A\n\n<span class=\"filename\">Filename: src/main.rs</span>\n\n```rust\nfn main() {}\n```\n\n<span class=\"caption\">Listing 1-1: A `main` function</span>\n\nAfter.\n",
        );
        assert_eq!(blocks.len(), 2, "{blocks:#?}");
        let l = listing(&blocks);
        assert_eq!(l.file_name.as_deref(), Some("src/main.rs"));
        let caption = l.caption.unwrap();
        assert_eq!(
            crate::model::plain_text(&caption),
            "Listing 1-1: A main function"
        );
        assert!(caption
            .iter()
            .any(|i| matches!(i, Inline::Code(c) if c == "main")));
        // A plain `Filename:` paragraph does too; one not before code stays text.
        let blocks = read("# A\n\nFilename: Cargo.toml\n\n<!-- a comment -->\n\n```toml\n[package]\n```\n\nFilename: x\n");
        assert_eq!(listing(&blocks).file_name.as_deref(), Some("Cargo.toml"));
        assert_eq!(blocks.len(), 3, "{blocks:#?}");
    }

    #[test]
    fn a_caption_span_before_a_table_is_its_caption() {
        let blocks = read("# A\n\n<span class=\"caption\">Table 1: Kinds</span>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert_eq!(blocks.len(), 1, "{blocks:#?}");
        let Block::Table(t) = &blocks[0] else {
            panic!("{blocks:#?}")
        };
        assert_eq!(
            t.caption
                .as_deref()
                .map(crate::model::plain_text)
                .as_deref(),
            Some("Table 1: Kinds")
        );
    }

    #[test]
    fn pandoc_caption_attributes() {
        let dir = tempfile::tempdir().unwrap();
        // (A backtick fence's info string cannot hold a backtick: a tilde fence can.)
        let md = "---\ntitle: T\n---\n\n# A\n\n~~~{.rust caption=\"The `main` function\"}\nfn main() {}\n~~~\n";
        std::fs::write(dir.path().join("a.md"), md).unwrap();
        let (book, _, _) = crate::read_manuscript(&dir.path().join("a.md")).unwrap();
        let blocks: Vec<Block> = book.chapters.into_iter().flat_map(|c| c.blocks).collect();
        let caption = listing(&blocks).caption.expect("a caption");
        assert_eq!(
            caption,
            vec![
                Inline::Text("The ".into()),
                Inline::Code("main".into()),
                Inline::Text(" function".into())
            ]
        );
    }

    #[test]
    fn rust_book_listing_wrappers() {
        let blocks = read(
            "# A\n\n> <Listing number=\"5-2\" file-name=\"src/main.rs\" caption=\"Creating an instance of `User`\">\n>\n> <!-- a comment -->\n>\n> ```rust\n> fn main() {}\n> ```\n>\n> </Listing>\n",
        );
        let Block::BlockQuote(inner) = &blocks[0] else {
            panic!("{blocks:#?}")
        };
        assert_eq!(inner.len(), 1, "{inner:#?}");
        let l = listing(inner);
        assert_eq!(l.file_name.as_deref(), Some("src/main.rs"));
        assert_eq!(
            crate::model::plain_text(&l.caption.unwrap()),
            "Listing 5-2: Creating an instance of User"
        );
    }
}
