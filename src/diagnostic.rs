//! Warnings and errors that point at a place in the manuscript: one [`Diagnostic`] type for the
//! reader, the configuration, the typesetter and `quire check`.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place in a source file; line and column are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }

    /// The location of byte `offset` in `text`.
    pub fn at_offset(file: &Path, text: &str, offset: usize) -> Self {
        let (line, column) = line_column(text, offset);
        Location::at(file, line, column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// Declares [`Code`] from one table: variant, stable name, how `quire check` rates it.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, $severity:ident;)*) => {
        /// What a diagnostic is about. The names are stable: tools read them (`quire check
        /// --format json` shows them as `"code"`), so a code is never renamed, only added.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of the README's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable kebab-case name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// How `quire check` rates it: an error when the book would be wrong for a reader
            /// (it cannot be read, a dead link, a missing image, a character printed as a box),
            /// else a warning. `build` stops only for what it cannot make: the rest are its
            /// warnings, whatever the code.
            pub fn severity_in_check(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

codes! {
    /// The manuscript path does not exist.
    ManuscriptNotFound = "manuscript-not-found", Error;
    /// A file of the manuscript cannot be read.
    UnreadableFile = "unreadable-file", Error;
    /// A file is not UTF-8 text.
    NotUtf8 = "not-utf8", Error;
    /// Book.toml or the YAML metadata cannot be used (syntax error, wrong type, value out of range, unusable font).
    InvalidConfig = "invalid-config", Error;
    /// The book has no title.
    MissingTitle = "missing-title", Error;
    /// No chapter files.
    NoChapters = "no-chapters", Error;
    /// A chapter file listed in SUMMARY.md or `chapters` does not exist.
    MissingChapter = "missing-chapter", Error;
    /// A chapter file lies outside the manuscript folder.
    ChapterOutsideManuscript = "chapter-outside-manuscript", Error;
    /// An mdBook `{{#include}}` (or `rustdoc_include`, `playground`) that cannot be expanded: a missing file, range or anchor, a path out of the book, nesting too deep.
    BadInclude = "bad-include", Error;
    /// Every chapter file is empty.
    EmptyManuscript = "empty-manuscript", Error;
    /// An image that does not exist, cannot be read, is not PNG/JPEG/GIF/SVG or lies outside the manuscript.
    BadImage = "bad-image", Error;
    /// A link to a chapter file or anchor that does not exist, or a link quire refuses (`javascript:`...); it is set as plain text.
    BrokenLink = "broken-link", Error;
    /// A character none of the book's fonts can draw (once per character).
    MissingGlyph = "missing-glyph", Error;
    /// A book.toml or YAML key quire does not read (with "did you mean").
    UnknownKey = "unknown-key", Warning;
    /// MdBook's older book.toml layout (`title` at the top level, no `[book]`).
    OldBookTomlLayout = "old-book-toml-layout", Warning;
    /// An mdBook `[output.html]` setting that changes the book, which quire does not use.
    UnusedMdbookSetting = "unused-mdbook-setting", Warning;
    /// No language given (`en` is used).
    MissingLanguage = "missing-language", Warning;
    /// A language that is not a BCP 47 tag (`en` is used).
    InvalidLanguage = "invalid-language", Warning;
    /// No identifier given (a UUID made from the title is used).
    MissingIdentifier = "missing-identifier", Warning;
    /// A publication date that is not a W3C date (it is left out).
    InvalidDate = "invalid-date", Warning;
    /// No hyphenation patterns for the book's language (the PDF is set without).
    NoHyphenation = "no-hyphenation", Warning;
    /// No author.
    NoAuthor = "no-author", Warning;
    /// No cover image (quire draws a placeholder), or `cover = false`.
    NoCover = "no-cover", Warning;
    /// A cover image under 1600 pixels on its long side, or far from the 1:1.6 of an ebook cover.
    CoverSize = "cover-size", Warning;
    /// An SVG too costly to draw in print (huge filter regions, piles of page-sized shapes): the PDF sets its alt text.
    CostlyDrawing = "costly-drawing", Warning;
    /// The print cover (`--format cover`): a description too long for the back, an interior too thin to bind.
    PrintCover = "print-cover", Warning;
    /// A SUMMARY.md entry that is not a chapter: a draft (`- [Draft]()`), a link out of the book, or a part with no chapters (left out).
    SkippedSummaryEntry = "skipped-summary-entry", Warning;
    /// The reading order from a Makefile or linked pages could not be read in full: a make function or unset variable on the pandoc line, a pattern that matches no file, a link to a page that does not exist, a page no link reaches (left out).
    ReadingOrder = "reading-order", Warning;
    /// An mdBook directive (`{{#name ...}}`) or template tag (`{{ tag }}`) quire does not read, or mdBook's old `{{#playpen}}` (printed as written).
    UnknownDirective = "unknown-directive", Warning;
    /// pandoc syntax quire does not read: an attribute block attached to nothing, a stray or unreadable div fence (printed as written, or left out when it is a fence).
    PandocSyntax = "pandoc-syntax", Warning;
    /// A raw block or inline for another format than HTML (`{=latex}`, `{=tex}`...): left out.
    RawFormatSkipped = "raw-format-skipped", Warning;
    /// An empty chapter file (left out).
    EmptyChapterFile = "empty-chapter-file", Warning;
    /// A chapter with a title and no text.
    EmptyChapter = "empty-chapter", Warning;
    /// Two chapters with the same title.
    DuplicateTitle = "duplicate-title", Warning;
    /// A heading level that jumps (`##` then `####`).
    HeadingLevelJump = "heading-level-jump", Warning;
    /// A `{#id}` that is not a usable id.
    InvalidId = "invalid-id", Warning;
    /// A `{#id}` used twice in the book.
    DuplicateId = "duplicate-id", Warning;
    /// A footnote that is never referenced (left out).
    UnreferencedNote = "unreferenced-note", Warning;
    /// An image without alt text.
    MissingAltText = "missing-alt-text", Warning;
    /// An SVG with what an ebook must not carry (scripts, event handlers, links to other files...), removed from the EPUB's copy.
    SanitisedSvg = "sanitised-svg", Warning;
    /// An image that is not a file of the manuscript (its alt text is shown).
    RemoteImage = "remote-image", Warning;
    /// An image `width` or `height` that is not a length (`50%`, `300px`, `3in`, `8cm`, `80mm`, `12pt`, `2em`): that side keeps its natural size.
    ImageSize = "image-size", Warning;
    /// Raw HTML the PDF prints only the text of (`<video>`, `<table>`...; once per element).
    HtmlTextOnlyInPdf = "html-text-only-in-pdf", Warning;
    /// A table too wide for the PDF's page at its columns' least widths (its longest words): set smaller.
    WideTable = "wide-table", Warning;
    /// Nesting deeper than 32 levels (flattened).
    DeepNesting = "deep-nesting", Warning;
    /// `'` opening an elision (`'90s`, `'tis`) becomes an opening quote.
    ElisionQuote = "elision-quote", Warning;
    /// `'` or `"` after a number (`6'2"`) becomes a closing quote.
    PrimeAsQuote = "prime-as-quote", Warning;
    /// `--` between words (an en dash, meant for ranges).
    EnDashInSentence = "en-dash-in-sentence", Warning;
    /// Four or more hyphens.
    HyphenRun = "hyphen-run", Warning;
    /// Two or more spaces between words.
    DoubleSpace = "double-space", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A finding about the manuscript: what it is (`code`), how bad, where, what is wrong and,
/// when the message does not already say it, what to do (`help`).
///
/// Fields are in this order so that sorting puts findings in file, line and column order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub location: Location,
    pub severity: Severity,
    pub message: String,
    pub code: Code,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn warning(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            location,
            severity: Severity::Warning,
            message: message.into(),
            code,
            help: None,
        }
    }

    pub fn error(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            ..Diagnostic::warning(code, location, message)
        }
    }

    /// The same diagnostic with what to do about it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Columns of positions on the lines of one text, each counted on from the last position asked
/// for when it is further along the same line: positions asked in order cost one pass over a
/// line, however long (issue 18: a 100 KB line of `*a **b` took 30 s to read).
#[derive(Debug)]
pub struct Columns {
    /// The last answer: its line start, byte offset and column.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            last: std::cell::Cell::new((usize::MAX, 0, 1)),
        }
    }
}

impl Columns {
    /// 1-based column (in characters) of byte `offset` of `text` on the line starting at
    /// byte `start`; an offset inside a character counts to that character's start.
    pub fn column(&self, text: &str, start: usize, offset: usize) -> usize {
        let (last_start, last_offset, last_column) = self.last.get();
        let (from, column) = if last_start == start && last_offset <= offset {
            (last_offset, last_column)
        } else {
            (start, 1)
        };
        let Some(between) = text.get(from..offset) else {
            return column;
        };
        let column = column + between.chars().count();
        self.last.set((start, offset, column));
        column
    }
}

/// Line and column look-ups in one text: the lines found once, the columns counted as
/// [`Columns`] does, so 20,000 diagnostics in one file cost 20,000 short counts, not 20,000
/// counts of the file (issue 18: 20k broken links took 24 s in `check`).
/// Byte offset of the start of each line of `text` (the first is 0).
pub fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts
}

pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of each line's start.
    starts: Vec<usize>,
    columns: Columns,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        LineIndex {
            text,
            starts: line_starts(text),
            columns: Columns::default(),
        }
    }

    /// 1-based line and column (in characters) of byte `offset`, as [`line_column`].
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let column = self
            .columns
            .column(self.text, self.starts[line - 1], offset);
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let name = code.name();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                    && !name.starts_with('-')
                    && !name.ends_with('-'),
                "{name}"
            );
        }
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\n“cd”\nx";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        let d = text.find('d').unwrap();
        assert_eq!(line_column(text, d), (2, 3));
        assert_eq!(line_column(text, text.len()), (3, 2));
        let index = LineIndex::new(text);
        for offset in [0, 3, d, text.len(), 3, 0, d] {
            assert_eq!(
                index.line_column(offset),
                line_column(text, offset),
                "{offset}"
            );
        }
    }
}
