//! `quire stats`: words, characters, chapters, estimated print pages and reading time.
//!
//! **Words** are Unicode words (UAX #29: `don't` is one word, `1990–2000` two) of everything a
//! reader reads: chapter titles, text, lists, tables, code and footnotes. **Characters** are the
//! characters of that text with the spaces between words ("characters with spaces").
//!
//! **Pages** are estimated from the PDF settings (`[pdf]` in book.toml):
//!
//! ```text
//! lines per page  = floor(text height / leading)          text height = trim height - top - bottom margins
//! chars per line  = text width / (0.5 × font size)        text width  = trim width - inner - outer margins
//! words per page  = lines × chars per line / 6 × 0.9
//! ```
//!
//! A book face's average character is about half an em wide, an English word with its space is
//! about 6 characters, and 10% of the lines are lost to short paragraph ends and headings. Each
//! chapter takes `ceil(words / words per page)` pages (at least one), and every chapter but the
//! last is rounded up to an even count because the next one opens on a recto. Front matter
//! (title page, contents) is not counted. At the default 5.5×8.5 in, 11 pt on 14.5 pt, that is
//! about 280 words a page, in line with trade paperbacks.
//!
//! **Reading time** is words / 250 per minute, rounded up.

use unicode_segmentation::UnicodeSegmentation;

use crate::model::{plain_text, Block, Book, Chapter};
use crate::settings::{PrintSettings, Settings, POINTS_PER_INCH};

/// Reads the manuscript at `path` for counting: as a build reads it, except that an image that
/// cannot be used (missing, unreadable, of another type) does not stop it. The book comes
/// without those images, with a warning for each (at its file:line:column, with the reader's
/// reason) saying its words are counted anyway.
pub fn read_for_stats(
    path: &std::path::Path,
) -> Result<(Book, Settings, Vec<crate::diagnostic::Diagnostic>), crate::ReadError> {
    let project = crate::project::Project::load(path)?;
    let (book, _, image_errors) = crate::markdown::read_book_lenient(&project)?;
    let warnings = image_errors
        .into_iter()
        .map(|mut d| {
            d.severity = crate::diagnostic::Severity::Warning;
            d.message
                .push_str(" (the words around it are counted all the same)");
            d
        })
        .collect();
    Ok((book, project.config.settings, warnings))
}

/// Silent reading speed of an adult, words per minute.
pub const WORDS_PER_MINUTE: usize = 250;

#[derive(Debug, Clone, PartialEq)]
pub struct ChapterStats {
    pub title: String,
    pub words: usize,
    pub characters: usize,
    pub pages: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub chapters: Vec<ChapterStats>,
    pub words: usize,
    pub characters: usize,
    pub words_per_page: usize,
    pub pages: usize,
    pub reading_minutes: usize,
    /// The trim the estimate is for, e.g. `5.5x8.5in`.
    pub trim: String,
}

/// Words a full page holds at these settings (see the module documentation).
pub fn words_per_page(print: &PrintSettings) -> usize {
    let m = &print.margins;
    let height = print.trim.height - m.top - m.bottom;
    let width = print.trim.width - m.inner - m.outer;
    let lines = (height / print.leading).floor().max(1.0);
    let chars_per_line = width / (0.5 * print.font_size);
    ((lines * chars_per_line / 6.0 * 0.9).round() as usize).max(1)
}

pub fn stats(book: &Book, settings: &Settings) -> Stats {
    let wpp = words_per_page(&settings.print);
    let count = book.chapters.len();
    let chapters: Vec<ChapterStats> = book
        .chapters
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let texts = chapter_texts(c);
            let words: usize = texts.iter().map(|t| t.unicode_words().count()).sum();
            let characters: usize = texts.iter().map(|t| t.chars().count()).sum();
            let mut pages = words.div_ceil(wpp).max(1);
            if n + 1 < count && pages % 2 == 1 {
                pages += 1;
            }
            ChapterStats {
                title: c.label(),
                words,
                characters,
                pages,
            }
        })
        .collect();
    let words: usize = chapters.iter().map(|c| c.words).sum();
    Stats {
        words,
        characters: chapters.iter().map(|c| c.characters).sum(),
        pages: chapters.iter().map(|c| c.pages).sum(),
        words_per_page: wpp,
        reading_minutes: words.div_ceil(WORDS_PER_MINUTE),
        trim: trim_name(settings),
        chapters,
    }
}

fn trim_name(settings: &Settings) -> String {
    let t = settings.print.trim;
    let r = |v: f32| ((v / POINTS_PER_INCH) * 100.0).round() / 100.0;
    format!("{}x{}in", r(t.width), r(t.height))
}

/// The text of a chapter, one string per block (whitespace inside collapsed to single spaces).
fn chapter_texts(c: &Chapter) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = &c.title {
        out.push(plain_text(t));
    }
    collect(&c.blocks, &mut out);
    for note in &c.notes {
        collect(&note.blocks, &mut out);
    }
    out.into_iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect()
}

fn collect(blocks: &[Block], out: &mut Vec<String>) {
    use crate::model::visit::{self, Visit};
    struct Texts<'o>(&'o mut Vec<String>);
    impl<'a> Visit<'a> for Texts<'_> {
        fn visit_block(&mut self, b: &'a Block) {
            match b {
                Block::Paragraph(inl) => self.0.push(plain_text(inl)),
                Block::Heading(h) => self.0.push(plain_text(&h.content)),
                Block::CodeBlock { text, .. } => self.0.push(text.clone()),
                Block::Table(t) => t
                    .header
                    .iter()
                    .chain(t.rows.iter().flatten())
                    .for_each(|cell| self.0.push(plain_text(cell))),
                Block::Figure(f) => {
                    if let Some(c) = &f.caption {
                        self.0.push(plain_text(c))
                    }
                }
                // A term is text the reader reads.
                Block::DefinitionList(items) => {
                    for d in items {
                        self.0.push(plain_text(&d.term));
                        d.definitions.iter().for_each(|b| self.visit_blocks(b));
                    }
                }
                Block::SceneBreak => {}
                // Only the Markdown inside raw HTML is counted (its own text is markup,
                // anchors and the like).
                Block::BlockQuote(_) | Block::List(_) | Block::Html { .. } | Block::Div(_) => {
                    visit::visit_block(self, b)
                }
            }
        }
    }
    Texts(out).visit_blocks(blocks)
}

/// `1 h 05 min`, `12 min`.
pub fn reading_time(minutes: usize) -> String {
    if minutes >= 60 {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    } else {
        format!("{minutes} min")
    }
}

/// The human report: totals, then a table of chapters.
pub fn render(s: &Stats) -> String {
    let mut out = String::new();
    out.push_str(&format!("words            {}\n", s.words));
    out.push_str(&format!("characters       {}\n", s.characters));
    out.push_str(&format!("chapters         {}\n", s.chapters.len()));
    out.push_str(&format!(
        "pages (est.)     {} at {}, ~{} words a page\n",
        s.pages, s.trim, s.words_per_page
    ));
    out.push_str(&format!(
        "reading time     {} at {} words a minute\n\n",
        reading_time(s.reading_minutes),
        WORDS_PER_MINUTE
    ));
    let width = s
        .chapters
        .iter()
        .map(|c| c.title.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(7, 48);
    out.push_str(&format!(
        "{:>3}  {:<width$}  {:>7}  {:>5}\n",
        "#", "chapter", "words", "pages"
    ));
    for (n, c) in s.chapters.iter().enumerate() {
        let mut title: String = c.title.chars().take(width).collect();
        if c.title.chars().count() > width {
            title.pop();
            title.push('…');
        }
        out.push_str(&format!(
            "{:>3}  {:<width$}  {:>7}  {:>5}\n",
            n + 1,
            title,
            c.words,
            c.pages
        ));
    }
    out
}

pub fn to_json(s: &Stats) -> serde_json::Value {
    serde_json::json!({
        "words": s.words,
        "characters": s.characters,
        "chapters": s.chapters.len(),
        "pages": s.pages,
        "words_per_page": s.words_per_page,
        "trim": s.trim,
        "reading_minutes": s.reading_minutes,
        "per_chapter": s.chapters.iter().map(|c| serde_json::json!({
            "title": c.title, "words": c.words, "characters": c.characters, "pages": c.pages,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::TrimSize;

    #[test]
    fn words_per_page_at_the_default_trim() {
        // 5.5x8.5in, 11/14.5: 500.4 pt / 14.5 = 34 lines; 298.8 pt / 5.5 = 54.3 chars.
        assert_eq!(words_per_page(&PrintSettings::default()), 277);
        let big = PrintSettings::for_trim(TrimSize::inches(8.5, 11.0));
        assert!(words_per_page(&big) > 400);
    }

    #[test]
    fn reading_time_reads_well() {
        assert_eq!(reading_time(5), "5 min");
        assert_eq!(reading_time(65), "1 h 05 min");
    }
}
