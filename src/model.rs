//! The document model: the one language every stage shares.
//!
//! Readers build it, writers read it. It knows nothing of EPUB or PDF: no file names of output
//! parts, no units, no fonts. Everything here is plain data so that a whole `Book` can be
//! inspected in tests (and, later, cached between builds).

pub mod html;
pub mod pages;
pub mod size;
pub mod visit;

pub use size::{ImageSize, Length, Unit};

use std::path::{Path, PathBuf};

/// A whole book: its metadata and its chapters in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    pub metadata: Metadata,
    pub chapters: Vec<Chapter>,
    /// The files the book shows (images), each once however often it is used; the reader has
    /// checked that each exists, is inside the manuscript and is of a known type.
    pub resources: Vec<Resource>,
    /// Parts (mdBook's `# Part` titles in SUMMARY.md), in order; chapters outside them (front
    /// and back matter, chapters before the first part) belong to none.
    pub parts: Vec<Part>,
}

impl Book {
    /// The resource an image `src` (as written in the chapter made from `chapter_source`,
    /// in Markdown or raw HTML) stands for; `None` for an image the reader did not take
    /// (a remote one).
    pub fn resource(&self, chapter_source: &Path, src: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| {
            r.uses
                .iter()
                .any(|(file, s)| file == chapter_source && s == src)
        })
    }
}

/// A file the book shows, such as an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The file on disk.
    pub path: PathBuf,
    pub media_type: MediaType,
    /// A file name unique in the book (`trpl04-01.svg`, `figure-2.png`), for writers that copy
    /// the file.
    pub name: String,
    /// Every (chapter source file, `src` as written) that refers to this file.
    pub uses: Vec<(PathBuf, String)>,
    /// Where the file is first referred to, for messages about the file itself (a damaged
    /// image is reported at its first use).
    pub first_use: crate::diagnostic::Location,
    /// What the EPUB carries instead of the file: an SVG with its scripts and references to
    /// other files removed. `None`: the file as it is.
    pub sanitised: Option<std::sync::Arc<[u8]>>,
}

/// The kinds of image a book may show, known by their first bytes (never by the file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    Png,
    Jpeg,
    Gif,
    Svg,
}

impl MediaType {
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Gif => "image/gif",
            MediaType::Svg => "image/svg+xml",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
            MediaType::Gif => "gif",
            MediaType::Svg => "svg",
        }
    }

    /// The type of a file from its first bytes: PNG, JPEG and GIF by their signatures, SVG as
    /// XML text (after an optional BOM, XML declaration, comments and doctype) whose first
    /// element is `<svg`.
    pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
        if bytes.starts_with(b"\x89PNG") {
            return Some(MediaType::Png);
        }
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(MediaType::Jpeg);
        }
        if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            return Some(MediaType::Gif);
        }
        let head = &bytes[..bytes.len().min(4096)];
        let text = String::from_utf8_lossy(head);
        let mut rest = text.trim_start_matches('\u{feff}').trim_start();
        loop {
            if let Some(r) = rest.strip_prefix("<?") {
                rest = r.split_once("?>")?.1.trim_start();
            } else if let Some(r) = rest.strip_prefix("<!--") {
                rest = r.split_once("-->")?.1.trim_start();
            } else if let Some(r) = rest.strip_prefix("<!") {
                // A doctype, perhaps with an internal subset.
                let end = match (r.find('['), r.find('>')) {
                    (Some(b), Some(g)) if b < g => r.find("]>").map(|i| i + 2)?,
                    (_, Some(g)) => g + 1,
                    _ => return None,
                };
                rest = r[end..].trim_start();
            } else {
                break;
            }
        }
        let svg = rest.strip_prefix("<svg")?;
        svg.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .then_some(MediaType::Svg)
    }
}

/// Bibliographic metadata, as a publisher fills it in.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    pub title: String,
    pub subtitle: Option<String>,
    /// Empty when the author is unknown; writers then say so rather than invent one.
    pub authors: Vec<String>,
    /// BCP 47 language tag, e.g. `en`, `en-GB`.
    pub language: String,
    /// A stable identifier (a URN, ISBN or URL); the same for every build of the book.
    pub identifier: String,
    /// Publication date as written by the author (`2025`, `2025-05-12`, ...).
    pub date: Option<String>,
    pub publisher: Option<String>,
    pub rights: Option<String>,
    pub description: Option<String>,
    /// Last-modified instant, used for `dcterms:modified` and PDF dates. Never the wall clock
    /// unless the author asks for it, never the publication date: see `project` for where it
    /// comes from.
    pub modified: chrono::DateTime<chrono::Utc>,
    /// Everyone credited, in order, with their role: the authors (`authors` holds their
    /// names, for the author line) and the editors, translators, illustrators...
    pub contributors: Vec<Contributor>,
    /// The ISBN-13s (digits only, checksum checked) of the print edition and the ebook: one
    /// number for both, or each its own (`[edition] print-isbn` / `ebook-isbn`).
    pub isbns: Isbns,
    /// Identifiers beside `identifier` (a DOI, a publisher's own number), with their scheme.
    pub other_identifiers: Vec<Identifier>,
    pub series: Option<Series>,
    /// Subject words or codes (pandoc's `subject`, book.toml's `subjects`).
    pub subjects: Vec<String>,
    /// `rights` and `description` as the Markdown they were written in says them (the
    /// `String` fields above hold their plain text, as the package stores them). Empty when
    /// not given.
    pub rights_inlines: Vec<Inline>,
    pub description_inlines: Vec<Inline>,
}

impl Default for Metadata {
    /// An untitled English book with nothing else known (a starting point for tests and
    /// tools; the project always fills in title, language and identifier).
    fn default() -> Self {
        Metadata {
            title: String::new(),
            subtitle: None,
            authors: Vec::new(),
            language: "en".to_string(),
            identifier: String::new(),
            date: None,
            publisher: None,
            rights: None,
            description: None,
            modified: chrono::DateTime::<chrono::Utc>::default(),
            contributors: Vec::new(),
            isbns: Isbns::default(),
            other_identifiers: Vec::new(),
            series: None,
            subjects: Vec::new(),
            rights_inlines: Vec::new(),
            description_inlines: Vec::new(),
        }
    }
}

/// A person (or body) credited for the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contributor {
    pub name: String,
    /// A MARC relator code: `aut`, `edt`, `trl`, `ill`, ...
    pub role: String,
    /// The name as sorted (`Austen, Jane`), when given.
    pub file_as: Option<String>,
}

impl Contributor {
    pub fn is_author(&self) -> bool {
        self.role == "aut"
    }
}

/// The ISBN-13 of each edition, when it has one. A paperback and its ebook are different
/// products to the ISBN agency and the stores, so each file carries its own; a book given a
/// single ISBN has the same one in both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Isbns {
    pub print: Option<String>,
    pub ebook: Option<String>,
}

impl Isbns {
    /// The numbers to print on the copyright page: one, unqualified, when both editions
    /// share it; else each edition's with what it is for.
    pub fn listed(&self) -> Vec<(Option<Edition>, &str)> {
        match (self.print.as_deref(), self.ebook.as_deref()) {
            (Some(p), Some(e)) if p == e => vec![(None, p)],
            (p, e) => p
                .map(|p| (Some(Edition::Print), p))
                .into_iter()
                .chain(e.map(|e| (Some(Edition::Ebook), e)))
                .collect(),
        }
    }
}

/// Which edition a file is: the PDF is the print edition, the EPUB the ebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    Print,
    Ebook,
}

impl Metadata {
    /// The identifier the ebook's package carries: its own ISBN when it has one (stores and
    /// calibre read `urn:isbn:` as the ISBN), else the book's identifier.
    pub fn ebook_identifier(&self) -> String {
        match &self.isbns.ebook {
            Some(isbn) => format!("urn:isbn:{isbn}"),
            None => self.identifier.clone(),
        }
    }
}

/// An identifier with the scheme it belongs to (`DOI`, `URN`, a publisher's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identifier {
    pub scheme: Option<String>,
    pub value: String,
}

/// The series a book belongs to and its place in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// `1`, `2`, `1.5`, as written.
    pub position: Option<String>,
}

/// Which part of the book a chapter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Matter {
    /// Preface, foreword, dedication: numbered in roman in print.
    Front,
    #[default]
    Body,
    /// Appendices, notes, afterword.
    Back,
}

/// One chapter: in print it opens on a recto, in the EPUB it is one XHTML file.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// A slug unique in the book; the chapter's anchor and the stem of its output file.
    pub id: String,
    /// The chapter heading, or `None` for an untitled opening (text before the first heading).
    pub title: Option<Vec<Inline>>,
    pub matter: Matter,
    /// The source file the chapter came from, for diagnostics and link resolution.
    pub source: PathBuf,
    pub blocks: Vec<Block>,
    /// Footnotes in order of first reference; `Inline::NoteRef` points into this list.
    pub notes: Vec<Footnote>,
    /// Nesting in the book's outline (mdBook's SUMMARY.md): 1 for a chapter, 2 for a chapter
    /// nested under the one before it, and so on. In print only chapters down to
    /// `[pdf] chapter-level` open on a recto; the EPUB nav nests by it.
    pub level: u8,
}

impl Chapter {
    /// The title as plain text; an untitled chapter is labelled by its first words so that a
    /// table of contents never shows an empty entry.
    pub fn label(&self) -> String {
        match &self.title {
            Some(title) => plain_text(title),
            None => {
                let text = self.blocks.iter().find_map(|b| match b {
                    Block::Paragraph(inl) => Some(plain_text(inl)),
                    _ => None,
                });
                first_words(text.as_deref().unwrap_or(""), 6)
            }
        }
    }

    /// Headings inside the chapter (level 2 and below), in order, wherever they are (block
    /// quotes, list items, raw HTML); not those of footnotes.
    pub fn sections(&self) -> Vec<&Heading> {
        visit::headings(&self.blocks)
    }
}

/// A heading inside a chapter. Level 1 is the chapter title itself and never appears here.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 2..=6.
    pub level: u8,
    /// A slug unique in the whole book.
    pub id: String,
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    /// The label as written in the source (`[^my note]`); display only, never an id.
    pub label: String,
    /// 1-based number within the chapter.
    pub number: usize,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    Heading(Heading),
    BlockQuote(Vec<Block>),
    List(List),
    CodeBlock {
        /// First word of the info string only (`rust,ignore` -> `rust`).
        language: Option<String>,
        text: String,
        /// Its caption and file name when the manuscript gives them (`markdown::listing`).
        listing: Listing,
    },
    Table(Table),
    /// A thematic break: in a book, a scene break.
    SceneBreak,
    /// An image shown on its own, with its caption.
    Figure(Figure),
    /// Raw HTML: `tree` as the HTML parser read it (with any Markdown written between its
    /// tags in place), for writers that write HTML; `content` what it says as plain blocks
    /// (made from the tree by `markdown::raw`, last: paragraphs, emphasis, links, images;
    /// other elements as their text), for the others.
    Html {
        tree: Vec<html::Node>,
        content: Vec<Block>,
    },
    /// A definition list (pandoc's `Term` / `:   Definition`).
    DefinitionList(Vec<Definition>),
    /// A fenced div (pandoc's `::: {#id .class}`): blocks grouped under the author's id and
    /// classes, which the EPUB keeps; print sets the blocks as they are.
    Div(Div),
}

/// What a code block says of itself as a listing: both set above the code in print and in
/// the EPUB's `<figcaption>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    /// `Listing 2-1: Code that ...` (mdBook's `<span class="caption">`, rust-book's
    /// `<Listing number caption>`, pandoc's `caption=` attribute).
    pub caption: Option<Vec<Inline>>,
    /// The file the code goes in (`src/main.rs`): mdBook's `Filename:` line, rust-book's
    /// `file-name`.
    pub file_name: Option<String>,
}

impl Listing {
    pub fn is_empty(&self) -> bool {
        self.caption.is_none() && self.file_name.is_none()
    }
}

/// pandoc's attributes (`{#id .class key=value}`), as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attrs {
    /// Empty when none was given.
    pub id: String,
    pub classes: Vec<String>,
    /// Other `key=value` pairs, in order.
    pub pairs: Vec<(String, String)>,
}

impl Attrs {
    pub fn has_class(&self, class: &str) -> bool {
        self.classes.iter().any(|c| c == class)
    }

    /// The value of `key=value`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A term of a definition list and its definitions (each a list of blocks).
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub term: Vec<Inline>,
    pub definitions: Vec<Vec<Block>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Div {
    pub attrs: Attrs,
    pub blocks: Vec<Block>,
}

/// An image set on its own, as the reader finds them (`markdown::figure`): an image alone in
/// its paragraph (Markdown or a raw `<img>`), a raw `<figure>`, with the caption given by the
/// image title, a `<figcaption>`, or the paragraph after it when that is all emphasis or an
/// mdBook `<span class="caption">`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The image `src` as written (see [`Book::resource`]).
    pub src: String,
    pub alt: String,
    /// The title of a Markdown image (`![a](x.png "Title")`).
    pub title: Option<String>,
    /// The raw `<img>` element when the author wrote one (its class and style), for writers
    /// that write HTML.
    pub element: Option<html::Element>,
    /// The size the author asked for (`{width=50%}`, `<img height="120">`).
    pub size: ImageSize,
    /// The classes given to the image (`{.wide}`), for writers that write HTML.
    pub classes: Vec<String>,
    pub caption: Option<Vec<Inline>>,
    /// Ids of the raw HTML around the image (`<figure id="f1">`), which links may target.
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// `Some(start)` for an ordered list.
    pub start: Option<u64>,
    /// How an ordered list's items are numbered (pandoc's `a.`, `iv.`).
    pub numbering: Numbering,
    /// Tight lists have no paragraph spacing between items.
    pub tight: bool,
    pub items: Vec<ListItem>,
}

/// The numbers of an ordered list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Numbering {
    #[default]
    Decimal,
    LowerAlpha,
    UpperAlpha,
    LowerRoman,
    UpperRoman,
}

impl Numbering {
    /// Item number `n` (1-based) as this numbering writes it.
    pub fn label(self, n: u64) -> String {
        fn alpha(mut n: u64) -> String {
            let mut out = Vec::new();
            while n > 0 {
                n -= 1;
                out.push(b'a' + (n % 26) as u8);
                n /= 26;
            }
            out.reverse();
            String::from_utf8(out).unwrap_or_default()
        }
        match self {
            Numbering::Decimal => n.to_string(),
            Numbering::LowerAlpha => alpha(n),
            Numbering::UpperAlpha => alpha(n).to_uppercase(),
            Numbering::LowerRoman => roman_numeral(n),
            Numbering::UpperRoman => roman_numeral(n).to_uppercase(),
        }
    }

    /// HTML's `type` of `<ol>` for it.
    pub fn html_type(self) -> &'static str {
        match self {
            Numbering::Decimal => "1",
            Numbering::LowerAlpha => "a",
            Numbering::UpperAlpha => "A",
            Numbering::LowerRoman => "i",
            Numbering::UpperRoman => "I",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// `Some(checked)` for a task list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The line of its source file the table starts on (0: not known), for messages about
    /// how it could be set.
    pub line: usize,
    /// The caption (pandoc's `Table: ...`), if any.
    pub caption: Option<Vec<Inline>>,
    pub align: Vec<Align>,
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    Superscript(Vec<Inline>),
    Subscript(Vec<Inline>),
    Code(String),
    Link {
        target: LinkTarget,
        title: Option<String>,
        content: Vec<Inline>,
    },
    Image {
        src: String,
        alt: String,
        title: Option<String>,
        /// The size the author asked for; by default an image in running text is one line
        /// of type high.
        size: ImageSize,
    },
    /// A reference to `Chapter::notes[number - 1]` of the chapter it appears in.
    NoteRef {
        number: usize,
    },
    /// A soft line break in the source: a space in running text.
    SoftBreak,
    /// A hard line break (two trailing spaces or a backslash): poetry keeps its lines.
    LineBreak,
    /// A bracketed span (pandoc's `[text]{.smallcaps}`): its text under the author's id and
    /// classes; `smallcaps` is set in small capitals and `underline` underlined in both
    /// outputs.
    Span {
        attrs: Attrs,
        content: Vec<Inline>,
    },
    /// A piece of inline raw HTML as written (`<sup>`), only while the reader reads a
    /// paragraph: it then turns every run holding pieces into one `Inline::RawHtml`, so
    /// writers never meet one.
    Html(String),
    /// A run of inlines holding raw HTML (a paragraph's, a heading's, a span's content).
    /// `tree` is the run as the HTML parser read it, the Markdown inlines in their places,
    /// for writers that write HTML; `content` what it says as plain inlines (made from the
    /// tree by `markdown::raw`, last: `x<sup>2</sup>` is `x` and a superscript `2`), for the
    /// others.
    RawHtml {
        tree: Vec<html::Node>,
        content: Vec<Inline>,
    },
}

/// Where a link goes, resolved by the reader so that writers need no knowledge of source files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// An absolute URI (`https:`, `mailto:`, ...).
    External(String),
    /// A place in this book: a chapter, and optionally an anchor (heading id) in it.
    Internal {
        chapter: String,
        anchor: Option<String>,
    },
    /// A link that could not be resolved (already reported): writers render its text only.
    Unresolved(String),
}

/// Concatenated text of inlines, without markup (for labels, bookmarks, metadata).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

pub(crate) fn push_plain(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Link { content: c, .. }
            | Inline::Span { content: c, .. } => push_plain(c, out),
            Inline::RawHtml { tree, .. } => html::push_plain(tree, out),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::SoftBreak | Inline::LineBreak => out.push(' '),
            Inline::NoteRef { .. } | Inline::Html(_) => {}
        }
    }
}

fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{}…", words[..n].join(" "))
    }
}

/// A part of the book: a title page in print, a level of the EPUB's contents, heading the
/// chapters `chapters` (indexes into `Book::chapters`, never empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub title: String,
    pub chapters: std::ops::Range<usize>,
}

/// `n` in lower-case roman numerals (front-matter folios, `ii.` lists); empty for 0.
pub fn roman_numeral(mut n: u64) -> String {
    const DIGITS: &[(u64, &str)] = &[
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for &(value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(title: Option<Vec<Inline>>, blocks: Vec<Block>) -> Chapter {
        Chapter {
            id: "c".into(),
            title,
            matter: Matter::Body,
            source: PathBuf::from("c.md"),
            blocks,
            notes: vec![],
            level: 1,
        }
    }

    #[test]
    fn media_types_are_known_by_their_bytes() {
        assert_eq!(MediaType::sniff(b"\x89PNG\r\n\x1a\n"), Some(MediaType::Png));
        assert_eq!(
            MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(MediaType::sniff(b"GIF89a..."), Some(MediaType::Gif));
        assert_eq!(
            MediaType::sniff(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE svg PUBLIC \"x\" \"y\">\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some(MediaType::Svg)
        );
        assert_eq!(MediaType::sniff(b"<svgx>"), None);
        assert_eq!(MediaType::sniff(b"hello"), None);
        assert_eq!(MediaType::sniff(b""), None);
    }

    #[test]
    fn label_of_untitled_chapter_is_its_first_words() {
        let c = chapter(
            None,
            vec![Block::Paragraph(vec![Inline::Text(
                "one two three four five six seven".into(),
            )])],
        );
        assert_eq!(c.label(), "one two three four five six…");
    }

    #[test]
    fn label_of_titled_chapter_drops_markup() {
        let c = chapter(
            Some(vec![
                Inline::Text("A ".into()),
                Inline::Emphasis(vec![Inline::Text("b".into())]),
            ]),
            vec![],
        );
        assert_eq!(c.label(), "A b");
    }
}
