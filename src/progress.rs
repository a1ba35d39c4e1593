//! How far the build in progress is, for the command line's spinner: the stage, and how many
//! chapters each stage has done out of how many.
//!
//! The stages bump shared counters as they go (a relaxed atomic add per chapter or page, next
//! to work that takes milliseconds); the binary's spinner reads a [`snapshot`] ten times a
//! second. The counters belong to the process: they describe one build at a time, which is
//! what the binary runs (builds that overlap in one process, as tests do, mix their counts,
//! which only ever shows in a spinner).

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// What the build is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Nothing yet (no build has started).
    Idle,
    /// Reading and parsing the chapter files.
    Reading,
    /// Making the EPUB and setting the PDF's pages (side by side).
    Making,
    /// Writing the PDF's pages (content streams, fonts).
    WritingPdf,
    /// Writing the files into the output folder.
    Saving,
}

static STAGE: AtomicU8 = AtomicU8::new(0);
static FILES: AtomicUsize = AtomicUsize::new(0);
static READ: AtomicUsize = AtomicUsize::new(0);
static CHAPTERS: AtomicUsize = AtomicUsize::new(0);
static EPUB: AtomicUsize = AtomicUsize::new(0);
static SET: AtomicUsize = AtomicUsize::new(0);
static PAGES: AtomicUsize = AtomicUsize::new(0);
static PAGES_WRITTEN: AtomicUsize = AtomicUsize::new(0);
/// Bit 0: the EPUB is being made; bit 1: the PDF.
static OUTPUTS: AtomicU8 = AtomicU8::new(0);

const STAGES: [Stage; 5] = [
    Stage::Idle,
    Stage::Reading,
    Stage::Making,
    Stage::WritingPdf,
    Stage::Saving,
];

fn set_stage(stage: Stage) {
    let n = STAGES.iter().position(|s| *s == stage).unwrap_or(0);
    STAGE.store(n as u8, Ordering::Relaxed);
}

/// A build starts reading `files` chapter files.
pub fn reading(files: usize) {
    FILES.store(files, Ordering::Relaxed);
    READ.store(0, Ordering::Relaxed);
    set_stage(Stage::Reading);
}

/// One chapter file parsed (or found unchanged).
pub fn file_read() {
    READ.fetch_add(1, Ordering::Relaxed);
}

/// The book is read: its `chapters` go into the EPUB and/or the PDF.
pub fn making(chapters: usize, epub: bool, pdf: bool) {
    CHAPTERS.store(chapters, Ordering::Relaxed);
    EPUB.store(0, Ordering::Relaxed);
    SET.store(0, Ordering::Relaxed);
    PAGES_WRITTEN.store(0, Ordering::Relaxed);
    OUTPUTS.store(u8::from(epub) | (u8::from(pdf) << 1), Ordering::Relaxed);
    set_stage(Stage::Making);
}

/// One chapter's EPUB document made.
pub fn epub_chapter_done() {
    EPUB.fetch_add(1, Ordering::Relaxed);
}

/// One chapter's pages set.
pub fn chapter_set() {
    SET.fetch_add(1, Ordering::Relaxed);
}

/// The PDF's `pages` are being written.
pub fn writing_pdf(pages: usize) {
    PAGES.store(pages, Ordering::Relaxed);
    PAGES_WRITTEN.store(0, Ordering::Relaxed);
    set_stage(Stage::WritingPdf);
}

/// One PDF page written.
pub fn page_written() {
    PAGES_WRITTEN.fetch_add(1, Ordering::Relaxed);
}

/// The outputs are complete and being written to the output folder.
pub fn saving() {
    set_stage(Stage::Saving);
}

/// The counters at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub stage: Stage,
    pub files: usize,
    pub read: usize,
    pub chapters: usize,
    pub epub: Option<usize>,
    pub set: Option<usize>,
    pub pages: usize,
    pub pages_written: usize,
}

pub fn snapshot() -> Snapshot {
    let outputs = OUTPUTS.load(Ordering::Relaxed);
    let stage = STAGES
        .get(STAGE.load(Ordering::Relaxed) as usize)
        .copied()
        .unwrap_or(Stage::Idle);
    let chapters = CHAPTERS.load(Ordering::Relaxed);
    Snapshot {
        stage,
        files: FILES.load(Ordering::Relaxed),
        read: READ.load(Ordering::Relaxed),
        chapters,
        epub: (outputs & 1 != 0).then(|| EPUB.load(Ordering::Relaxed).min(chapters)),
        set: (outputs & 2 != 0).then(|| SET.load(Ordering::Relaxed).min(chapters)),
        pages: PAGES.load(Ordering::Relaxed),
        pages_written: PAGES_WRITTEN.load(Ordering::Relaxed),
    }
}

impl Snapshot {
    /// `reading 12 of 61 chapter files`, `EPUB 40 of 61 chapters, PDF 12 of 61 chapters set`,
    /// `writing the PDF: 120 of 380 pages`, `writing the files`.
    pub fn describe(&self) -> String {
        let plural = |n: usize, word: &str| format!("{word}{}", if n == 1 { "" } else { "s" });
        match self.stage {
            Stage::Idle => "starting".to_string(),
            Stage::Reading => format!(
                "reading {} of {} chapter {}",
                self.read.min(self.files),
                self.files,
                plural(self.files, "file")
            ),
            Stage::Making => {
                let n = self.chapters;
                let mut parts = Vec::new();
                if let Some(done) = self.epub {
                    parts.push(format!("EPUB {done} of {n} {}", plural(n, "chapter")));
                }
                match self.set {
                    Some(done) if done < n => {
                        parts.push(format!("PDF {done} of {n} {} set", plural(n, "chapter")))
                    }
                    Some(_) => parts.push("PDF: making up the pages".to_string()),
                    None => {}
                }
                parts.join(", ")
            }
            Stage::WritingPdf => format!(
                "writing the PDF: {} of {} {}",
                self.pages_written.min(self.pages),
                self.pages,
                plural(self.pages, "page")
            ),
            Stage::Saving => "writing the files".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stage_names_itself_and_its_count() {
        let mut s = Snapshot {
            stage: Stage::Reading,
            files: 61,
            read: 12,
            chapters: 0,
            epub: None,
            set: None,
            pages: 0,
            pages_written: 0,
        };
        assert_eq!(s.describe(), "reading 12 of 61 chapter files");
        s.stage = Stage::Making;
        s.chapters = 61;
        s.epub = Some(40);
        s.set = Some(12);
        assert_eq!(
            s.describe(),
            "EPUB 40 of 61 chapters, PDF 12 of 61 chapters set"
        );
        s.set = Some(61);
        assert!(s.describe().ends_with("PDF: making up the pages"));
        s.epub = None;
        s.stage = Stage::WritingPdf;
        s.pages = 380;
        s.pages_written = 120;
        assert_eq!(s.describe(), "writing the PDF: 120 of 380 pages");
    }
}
