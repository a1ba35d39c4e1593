//! The print edition's pages as places in the book: where each printed page begins, said in
//! the model's own terms (chapters, blocks, characters), so that a writer that knows nothing
//! of pages (the EPUB) can mark them. The typesetter makes a [`PageMap`]; the EPUB writer reads
//! one; neither knows the other.

use super::{Block, Inline};

/// A place in a chapter's text: the block at `path`, and the `offset`-th character of its
/// text (see [`text_len`] for what counts).
///
/// `path[0]` indexes `Chapter::blocks`; a block quote's children follow with one more index,
/// a list's with two (the item, then the block in it). The path stops at any other block
/// (a table, a figure, a code block, raw HTML): a place inside one is its start. An empty
/// path is the chapter's opening (its title). Places order as the text reads: by path, a
/// container before what it holds, then by offset.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TextPosition {
    pub path: Vec<usize>,
    /// Characters of the block's text before the place; 0 for blocks without running text.
    pub offset: usize,
}

/// Where a printed page begins.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PagePlace {
    /// The title page, the copyright page and the contents, which the book adds around the
    /// manuscript.
    TitlePage,
    Copyright,
    Contents,
    /// A page of the contents after its first, beginning with the entry of
    /// `Book::chapters[i]` (or of the title page of `Book::parts[k]`).
    ContentsChapter(usize),
    ContentsPart(usize),
    /// The title page of `Book::parts[k]`.
    Part(usize),
    /// A place in the text of `Book::chapters[chapter]`.
    Text {
        chapter: usize,
        at: TextPosition,
    },
    /// After everything in the chapter (a blank verso after its last page).
    ChapterEnd(usize),
}

/// One printed page: the number it has in print (`iii`, `12`; printed on the page or not)
/// and where it begins.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PrintedPage {
    pub label: String,
    pub place: PagePlace,
}

/// Every page of the print edition, in order, and the edition they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PageMap {
    pub pages: Vec<PrintedPage>,
    /// The print edition, as its readers would cite it (title, format, page count).
    pub edition: String,
}

impl PageMap {
    /// The pages that begin in chapter `chapter`, in order, with where in it.
    pub fn in_chapter(&self, chapter: usize) -> Vec<(ChapterPlace, &str)> {
        self.pages
            .iter()
            .filter_map(|p| match &p.place {
                PagePlace::Text { chapter: c, at } if *c == chapter => {
                    Some((ChapterPlace::At(at.clone()), p.label.as_str()))
                }
                PagePlace::ChapterEnd(c) if *c == chapter => {
                    Some((ChapterPlace::End, p.label.as_str()))
                }
                _ => None,
            })
            .collect()
    }

    /// The labels of the pages that begin at `place`, in order.
    pub fn at(&self, place: &PagePlace) -> Vec<&str> {
        (self.pages.iter())
            .filter(|p| p.place == *place)
            .map(|p| p.label.as_str())
            .collect()
    }
}

/// A place in one chapter: in its text, or after all of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChapterPlace {
    At(TextPosition),
    End,
}

/// Characters of running text in `inlines`, as [`TextPosition::offset`] counts them: each
/// character of text and code, one for a line break (soft or hard); raw inline HTML counts
/// as what it says (its `content`, as the typesetter sets it), images and note references
/// count none.
pub fn text_len(inlines: &[Inline]) -> usize {
    inlines.iter().map(inline_len).sum()
}

/// [`text_len`] of one inline.
pub fn inline_len(inline: &Inline) -> usize {
    match inline {
        Inline::Text(t) | Inline::Code(t) => t.chars().count(),
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::Link { content: c, .. }
        | Inline::Span { content: c, .. }
        | Inline::RawHtml { content: c, .. } => text_len(c),
        Inline::SoftBreak | Inline::LineBreak => 1,
        Inline::Image { .. } | Inline::NoteRef { .. } | Inline::Html(_) => 0,
    }
}

/// Whether a place's path goes on into the children of `block` (a block quote's blocks, a
/// list's items): writers walking the blocks use it to follow the path.
pub fn has_children(block: &Block) -> bool {
    matches!(block, Block::BlockQuote(_) | Block::List(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_order_as_the_text_reads() {
        let p = |path: &[usize], offset| TextPosition {
            path: path.to_vec(),
            offset,
        };
        let mut places = vec![
            p(&[3, 0], 5),
            p(&[3], 0),
            p(&[], 0),
            p(&[2], 40),
            p(&[3, 0], 0),
        ];
        places.sort();
        assert_eq!(
            places,
            vec![
                p(&[], 0),
                p(&[2], 40),
                p(&[3], 0),
                p(&[3, 0], 0),
                p(&[3, 0], 5)
            ]
        );
        assert!(ChapterPlace::At(p(&[9, 9], 9)) < ChapterPlace::End);
    }

    #[test]
    fn text_length_counts_what_is_read() {
        let inl = vec![
            Inline::Text("Caf\u{e9} ".into()),
            Inline::Emphasis(vec![Inline::Text("au".into())]),
            Inline::SoftBreak,
            Inline::NoteRef { number: 12 },
            Inline::Code("lait".into()),
        ];
        assert_eq!(text_len(&inl), 5 + 2 + 1 + 4);
    }
}
