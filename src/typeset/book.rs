//! The book: chapters placed on numbered pages after the front matter, each opening on a
//! recto; folios, running heads, page labels, outline and links.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::fonts::Style;
use crate::model::pages::PagePlace;
use crate::model::{Book, Chapter, Matter};
use crate::settings::Settings;

use super::blocks::{Body, ChapterBuilder};
use super::document::{
    Document, GlyphRun, Item, Layout, LineInfo, Link, LinkTarget, Numbering, OutlineEntry, Page,
    PageLabelRange, PageLayout, Position, Rect, TocInfo,
};
use super::figure::ArtRef;
use super::fonts::FontSet;
use super::frontmatter::{
    contents, copyright_page, half_title_page, part_page, title_page, TocEntry,
};
use super::hyphenate::Hyphenator;
use super::linebreak::{KnuthPlass, LineBreaker};
use super::paginate::{paginate, PageBody};
use super::paragraph::{chapter_anchor, heading_anchor, serif, Setter, Target, TextStyle};
use super::shape::Shaper;
use super::TypesetError;
use crate::artwork::Gallery;

/// Where the chapter title sits: this fraction of the text block is left empty above it.
const SINK: f32 = 0.22;
/// Folios and running heads, in body ems.
const FURNITURE_SCALE: f32 = 0.9;
/// Folio baseline below the text block, and running head baseline above it, in body lines.
const FOLIO_DROP: f32 = 2.0;
const HEAD_RISE: f32 = 1.5;
/// The half-title and its blank verso, the title and copyright pages come first; the
/// contents start on this page index.
const CONTENTS_START: usize = 4;
/// The contents are laid out again until their page count is stable (it always is at the
/// second pass, since numbers have reserved room; this bounds the loop anyway).
const MAX_CONTENTS_PASSES: usize = 3;

/// Everything shared, read-only, by the chapters: fonts, hyphenation, breaker, geometry.
pub struct Context {
    fonts: FontSet,
    hyphenator: Hyphenator,
    /// Behind the trait so that another breaker can be dropped in (see `with_breaker`).
    breaker: Box<dyn LineBreaker + Send + Sync>,
    body: Body,
    width: f32,
    height: f32,
    top: f32,
    bottom: f32,
    inner: f32,
    outer: f32,
    block_height: f32,
    toc_depth: u8,
    /// The deepest `Chapter::level` that opens on a recto (`[pdf] chapter-level`).
    chapter_level: u8,
    warnings: Vec<crate::diagnostic::Diagnostic>,
    /// What setting each chapter found, by chapter id, as it was last set (a context kept
    /// between rebuilds keeps those of the chapters it reuses, and forgets fixed ones).
    chapter_warnings: std::sync::Mutex<ChapterWarnings>,
    /// The book's images, decoded.
    art: Gallery,
    /// The words quire adds (contents, copyright page), in the book's language.
    strings: crate::strings::Strings,
}

type ChapterWarnings = std::collections::HashMap<String, Vec<crate::diagnostic::Diagnostic>>;

/// A page before it is numbered.
struct Sheet {
    body: PageBody,
    folio: bool,
    head: Option<String>,
    /// The chapter that opens on this page.
    opens: Option<String>,
    /// Where in the book the page begins (`None`: no text of its own, decided from the
    /// pages around it by [`resolve_places`]).
    place: Option<PagePlace>,
    /// The index of the chapter this is a page of.
    chapter: Option<usize>,
}

impl Sheet {
    fn blank() -> Sheet {
        Sheet {
            body: PageBody::default(),
            folio: false,
            head: None,
            opens: None,
            place: None,
            chapter: None,
        }
    }
}

/// Gives the pages without text of their own the place they stand at: a chapter's page
/// holding only notes continued from the page before, where the chapter's next page begins
/// (or its end); a blank page, the end of the chapter before it (or the part title before
/// it), else (in the front matter) where the next page begins.
fn resolve_places(sheets: &mut [Sheet]) {
    for i in 0..sheets.len() {
        if sheets[i].place.is_some() {
            continue;
        }
        let next = || sheets[i + 1..].iter().find_map(|s| s.place.clone());
        let place = match sheets[i].chapter {
            Some(c) => match next() {
                Some(p @ PagePlace::Text { chapter, .. }) if chapter == c => p,
                _ => PagePlace::ChapterEnd(c),
            },
            None => match i.checked_sub(1).and_then(|k| sheets[k].place.clone()) {
                Some(PagePlace::Text { chapter, .. } | PagePlace::ChapterEnd(chapter)) => {
                    PagePlace::ChapterEnd(chapter)
                }
                Some(PagePlace::Part(k)) => PagePlace::Part(k),
                _ => next().unwrap_or(PagePlace::Contents),
            },
        };
        sheets[i].place = Some(place);
    }
}

impl Context {
    pub fn new(book: &Book, settings: &Settings) -> Result<Context, TypesetError> {
        let p = &settings.print;
        let (width, height) = (p.trim.width, p.trim.height);
        let m = p.margins;
        let measure = width - m.inner - m.outer;
        let block_height = height - m.top - m.bottom;
        let size = p.font_size.max(1.0);
        if !(measure > size * 4.0 && block_height > p.leading * 4.0) {
            return Err(TypesetError::PageTooSmall { width, height });
        }
        let mut warnings = Vec::new();
        let hyphenator = if p.hyphenate {
            let h = Hyphenator::for_language(&book.metadata.language);
            if !h.has_patterns() {
                warnings.push(crate::diagnostic::Diagnostic::warning(
                    crate::diagnostic::Code::NoHyphenation,
                    settings.origins.of(crate::settings::Setting::Language),
                    format!(
                        "no hyphenation patterns for the language `{}`: the PDF is set without hyphenation",
                        book.metadata.language
                    ),
                ).with_help("set `hyphenate = false` under [pdf] to say so, or check the language tag"));
            }
            h
        } else {
            Hyphenator::none()
        };
        Ok(Context {
            fonts: FontSet::load_set(&settings.fonts)?,
            hyphenator,
            breaker: Box::new(KnuthPlass::new(size)),
            body: Body {
                size,
                leading: p.leading.max(size),
                measure,
                hyphenate: p.hyphenate,
                sink: block_height * SINK,
                opening: p.opening,
                code_size: p.code_size.max(1.0),
            },
            width,
            height,
            top: m.top,
            bottom: m.bottom,
            inner: m.inner,
            outer: m.outer,
            block_height,
            toc_depth: settings.toc_depth,
            chapter_level: p.chapter_level.max(1),
            warnings,
            chapter_warnings: Default::default(),
            art: Gallery::default(),
            strings: crate::strings::Strings::new(&book.metadata.language, &settings.strings),
        })
    }

    fn setter(&self) -> Setter<'_> {
        Setter::new(
            Shaper::new(&self.fonts),
            &self.hyphenator,
            self.breaker.as_ref(),
        )
    }

    /// The same context with another line breaker (Knuth-Plass by default).
    pub fn with_breaker(mut self, breaker: Box<dyn LineBreaker + Send + Sync>) -> Context {
        self.breaker = breaker;
        self
    }

    /// The same context with the book's images (without them, images are set as their alt
    /// text).
    pub fn with_art(mut self, art: Gallery) -> Context {
        (self.warnings).extend(art.too_costly().iter().map(crate::artwork::costly_warning));
        self.art = art;
        self
    }

    /// One chapter's pages: a pure function of the chapter and the context.
    pub fn chapter_pages(&self, chapter: &Chapter) -> Vec<PageBody> {
        self.chapter_pages_with(&mut self.setter(), chapter)
    }

    /// The same, with a setter whose caches (shaped words, hyphenation points, shape plans)
    /// may be warm from other chapters: they hold pure functions of their keys, so the pages
    /// do not depend on what was set before.
    fn chapter_pages_with<'c>(
        &'c self,
        setter: &mut Setter<'c>,
        chapter: &'c Chapter,
    ) -> Vec<PageBody> {
        setter.art = Some(ArtRef {
            gallery: &self.art,
            source: &chapter.source,
            block_height: self.block_height,
            measure: self.body.measure,
        });
        // A chapter nested deeper than `chapter-level` is a section of the one before it:
        // no sunk title, no opening words.
        let body = if self.opens_recto(chapter) {
            self.body
        } else {
            Body {
                sink: 0.0,
                opening: crate::settings::Opening::None,
                ..self.body
            }
        };
        let items = ChapterBuilder::new(setter, body, &chapter.id).chapter(chapter);
        let warnings = std::mem::take(&mut setter.warnings);
        if let Ok(mut all) = self.chapter_warnings.lock() {
            all.insert(chapter.id.clone(), warnings);
        }
        let pages = paginate(items, self.block_height, self.body.leading);
        crate::progress::chapter_set();
        pages
    }

    /// Whether `chapter` opens on a recto as a chapter (else it follows on the next page).
    fn opens_recto(&self, chapter: &Chapter) -> bool {
        chapter.level <= self.chapter_level
    }

    pub fn typeset(&self, book: &Book) -> Document {
        // One setter per batch of chapters a thread takes, not one per chapter: a novel's
        // chapters share most of their words.
        let chapters: Vec<Vec<PageBody>> = book
            .chapters
            .par_iter()
            .map_init(
                || self.setter(),
                |setter, c| self.chapter_pages_with(setter, c),
            )
            .collect();
        self.assemble(book, chapters)
    }

    /// The book around its chapters' pages (`chapters[i]` is what [`Context::chapter_pages`]
    /// made of `book.chapters[i]`): front matter, where each chapter starts, running heads,
    /// folios, links and outline.
    pub fn assemble(&self, book: &Book, chapters: Vec<Vec<PageBody>>) -> Document {
        let mut setter = self.setter();

        // Number the pages: the contents' length first (numbers have reserved room), then
        // where each chapter starts, then the contents again with the real numbers.
        let mut entries: Vec<TocEntry> = book
            .chapters
            .iter()
            .map(|c| TocEntry {
                label: c.label(),
                anchor: chapter_anchor(&c.id),
                number: None,
                depth: c.level.saturating_sub(1),
            })
            .collect();
        let mut part_entries: Vec<TocEntry> = book
            .parts
            .iter()
            .enumerate()
            .map(|(k, p)| TocEntry {
                label: p.title.clone(),
                anchor: part_anchor(k),
                number: None,
                depth: 0,
            })
            .collect();
        // `[toc] depth = 0`: no printed contents.
        let has_toc = !book.chapters.is_empty() && self.toc_depth > 0;
        let mut toc_pages = if has_toc {
            paginate(
                contents(
                    &mut setter,
                    self.body,
                    self.strings.get("contents"),
                    &with_parts(book, &entries, &part_entries),
                ),
                self.block_height,
                0.0,
            )
        } else {
            Vec::new()
        };
        let mut starts = Vec::new();
        let mut part_starts = Vec::new();
        let mut first_body = 0;
        for _ in 0..MAX_CONTENTS_PASSES {
            (starts, part_starts, first_body) =
                self.chapter_starts(book, &chapters, CONTENTS_START + toc_pages.len());
            for (e, &s) in entries.iter_mut().zip(&starts) {
                e.number = Some(page_label(s, first_body));
            }
            for (e, &s) in part_entries.iter_mut().zip(&part_starts) {
                e.number = Some(page_label(s, first_body));
            }
            let count = toc_pages.len();
            if has_toc {
                toc_pages = paginate(
                    contents(
                        &mut setter,
                        self.body,
                        self.strings.get("contents"),
                        &with_parts(book, &entries, &part_entries),
                    ),
                    self.block_height,
                    0.0,
                );
            }
            if toc_pages.len() == count {
                break;
            }
        }

        // Assemble the sheets.
        let mut sheets = vec![
            // Display pages, none with a folio, as presses print them: the half-title and
            // the blank behind it, the title page and the copyright page behind that.
            Sheet {
                body: half_title_page(&mut setter, book, &self.body, self.block_height),
                folio: false,
                head: None,
                opens: None,
                place: Some(PagePlace::TitlePage),
                chapter: None,
            },
            Sheet {
                place: Some(PagePlace::TitlePage),
                ..Sheet::blank()
            },
            Sheet {
                body: title_page(
                    &mut setter,
                    book,
                    &self.strings,
                    &self.body,
                    self.block_height,
                ),
                folio: false,
                head: None,
                opens: None,
                place: Some(PagePlace::TitlePage),
                chapter: None,
            },
            Sheet {
                body: copyright_page(
                    &mut setter,
                    book,
                    &self.strings,
                    &self.body,
                    self.block_height,
                ),
                folio: false,
                head: None,
                opens: None,
                place: Some(PagePlace::Copyright),
                chapter: None,
            },
        ];
        for (k, body) in toc_pages.into_iter().enumerate() {
            // A later page of the contents begins with an entry: the first one linked.
            let entry = (k > 0).then(|| contents_entry(book, &body)).flatten();
            sheets.push(Sheet {
                body,
                folio: true,
                head: (k > 0).then(|| self.strings.get("contents").to_string()),
                opens: None,
                place: Some(entry.unwrap_or(PagePlace::Contents)),
                chapter: None,
            });
        }
        for (i, ((chapter, pages), &start)) in
            book.chapters.iter().zip(chapters).zip(&starts).enumerate()
        {
            // A part's title page, alone on its recto (the verso behind it blank).
            if let Some(k) = book.parts.iter().position(|p| p.chapters.start == i) {
                let at = part_starts.get(k).copied().unwrap_or(sheets.len());
                while sheets.len() < at {
                    sheets.push(Sheet::blank());
                }
                sheets.push(Sheet {
                    body: part_page(
                        &mut setter,
                        &book.parts[k].title,
                        &part_anchor(k),
                        &self.body,
                        self.block_height,
                    ),
                    folio: false,
                    head: None,
                    opens: None,
                    place: Some(PagePlace::Part(k)),
                    chapter: None,
                });
            }
            while sheets.len() < start {
                sheets.push(Sheet::blank());
            }
            let label = chapter.label();
            for (k, body) in pages.into_iter().enumerate() {
                let index = sheets.len();
                let head = (k > 0).then(|| {
                    if index.is_multiple_of(2) {
                        label.clone()
                    } else {
                        book.metadata.title.clone()
                    }
                });
                let place = (body.start.clone()).map(|at| PagePlace::Text { chapter: i, at });
                sheets.push(Sheet {
                    body,
                    // A chapter's opening page is a display page: no folio.
                    folio: k > 0,
                    head,
                    opens: (k == 0).then(|| chapter.id.clone()),
                    place,
                    chapter: Some(i),
                });
            }
        }

        resolve_places(&mut sheets);

        // Anchors -> positions, then the pages themselves.
        let mut anchors: BTreeMap<String, Position> = BTreeMap::new();
        for (index, sheet) in sheets.iter().enumerate() {
            for (key, y) in &sheet.body.anchors {
                anchors.entry(key.clone()).or_insert(Position {
                    page: index,
                    y: self.height - self.top - y,
                });
            }
        }
        // The sheets are consumed: their glyphs move into the pages rather than being copied.
        let (pages, layout_pages): (Vec<Page>, Vec<PageLayout>) = sheets
            .into_iter()
            .enumerate()
            .map(|(index, sheet)| self.render(&mut setter, sheet, index, first_body, &anchors))
            .unzip();
        let toc = book
            .chapters
            .iter()
            .zip(&entries)
            .map(|(c, e)| TocInfo {
                chapter: c.id.clone(),
                number: e.number.clone().unwrap_or_default(),
            })
            .collect();

        let outline = self.book_outline(book, &anchors);
        let mut page_labels = vec![PageLabelRange {
            first_page: 0,
            numbering: Numbering::LowerRoman,
            start: 1,
        }];
        if first_body < pages.len() {
            let arabic = PageLabelRange {
                first_page: first_body,
                numbering: Numbering::Arabic,
                start: 1,
            };
            if first_body == 0 {
                page_labels[0] = arabic;
            } else {
                page_labels.push(arabic);
            }
        }
        Document {
            width: self.width,
            height: self.height,
            pages,
            outline,
            page_labels,
            layout: Layout {
                pages: layout_pages,
                toc,
            },
            warnings: self.all_warnings(book),
            fonts: self.fonts.fonts().clone(),
            art: self.art.clone(),
        }
    }

    /// The context's warnings, then the book's chapters' in source order, each once.
    fn all_warnings(&self, book: &Book) -> Vec<crate::diagnostic::Diagnostic> {
        let mut chapters: Vec<_> = match self.chapter_warnings.lock() {
            Ok(all) => (book.chapters.iter())
                .filter_map(|c| all.get(&c.id))
                .flatten()
                .cloned()
                .collect(),
            Err(_) => Vec::new(),
        };
        chapters.sort();
        chapters.dedup();
        let mut all = self.warnings.clone();
        all.extend(chapters);
        all
    }

    /// Left edge of the text block: the gutter (inner margin) is on the left of a recto.
    fn left(&self, index: usize) -> f32 {
        if index.is_multiple_of(2) {
            self.inner
        } else {
            self.outer
        }
    }

    fn render(
        &self,
        setter: &mut Setter,
        sheet: Sheet,
        index: usize,
        first_body: usize,
        anchors: &BTreeMap<String, Position>,
    ) -> (Page, PageLayout) {
        let left = self.left(index);
        let top = self.height - self.top;
        let mut page = Page::default();
        let mut layout = PageLayout {
            chapter_starts: sheet.opens.iter().cloned().collect(),
            head: sheet.head.clone(),
            folio: sheet.folio.then(|| page_label(index, first_body)),
            number: page_label(index, first_body),
            start: sheet.place.clone(),
            ..PageLayout::default()
        };
        for placed in sheet.body.lines {
            let baseline = top - placed.baseline;
            let x0 = left + placed.x;
            layout.lines.push(LineInfo {
                baseline,
                left: x0,
                right: x0 + placed.line.measure,
                end: x0 + placed.line.width,
                kind: placed.line.kind,
            });
            for run in placed.line.runs {
                if run.glyphs.is_empty() {
                    continue;
                }
                page.items.push(Item::Text(GlyphRun {
                    face: run.face,
                    size: run.size,
                    x: x0 + run.x,
                    y: baseline + run.rise,
                    glyphs: run.glyphs,
                    colour: run.colour,
                }));
            }
            for image in &placed.line.images {
                page.items.push(Item::Image {
                    key: image.key,
                    rect: Rect {
                        x: x0 + image.x,
                        y: baseline - image.drop,
                        width: image.width,
                        height: image.height,
                    },
                    alt: image.alt.clone(),
                });
            }
            for link in &placed.line.links {
                let target = match &link.target {
                    Target::Uri(u) => LinkTarget::Uri(u.clone()),
                    Target::Anchor(a) => match anchors.get(&**a) {
                        Some(p) => LinkTarget::Position(*p),
                        None => continue,
                    },
                    Target::AnchorOr(a, b) => match anchors.get(&**a).or_else(|| anchors.get(&**b))
                    {
                        Some(p) => LinkTarget::Position(*p),
                        None => continue,
                    },
                };
                page.links.push(Link {
                    rect: Rect {
                        x: x0 + link.x0,
                        y: baseline - placed.line.descent,
                        width: link.x1 - link.x0,
                        height: placed.line.ascent + placed.line.descent,
                    },
                    target,
                });
            }
        }
        for placed in &sheet.body.images {
            let image = &placed.image;
            page.items.push(Item::Image {
                key: image.key,
                rect: Rect {
                    x: left + placed.x,
                    y: top - placed.y - image.height,
                    width: image.width,
                    height: image.height,
                },
                alt: image.alt.clone(),
            });
        }
        for rule in &sheet.body.rules {
            page.items.push(Item::Rule {
                x: left + rule.x,
                y: top - rule.y,
                width: rule.width,
                thickness: rule.thickness,
            });
        }
        let size = self.body.size * FURNITURE_SCALE;
        if let Some(head) = &sheet.head {
            let y = top + self.body.leading * HEAD_RISE;
            // Small capitals from the font (`smcp`): capitals stay full size.
            let mut style = serif(Style::Regular, size);
            style.features.small_caps = true;
            self.centred(setter, &mut page, head, &style, left, y);
        }
        if sheet.folio {
            let y = (self.bottom - self.body.leading * FOLIO_DROP).max(size);
            let label = page_label(index, first_body);
            self.centred(
                setter,
                &mut page,
                &label,
                &serif(Style::Regular, size),
                left,
                y,
            );
        }
        (page, layout)
    }

    /// One line of furniture centred on the text block (clipped to the measure).
    fn centred(
        &self,
        setter: &mut Setter,
        page: &mut Page,
        text: &str,
        style: &TextStyle,
        left: f32,
        y: f32,
    ) {
        // Each run in the face that draws it (a title may need a fallback face).
        let mut runs = setter.runs(text, style);
        let width_of = |runs: &[super::paragraph::Run]| -> f32 {
            runs.iter().flat_map(|r| &r.glyphs).map(|g| g.advance).sum()
        };
        // Too wide for the measure (a long title as a running head): whole words are left
        // off its end, and an ellipsis says so; never a cut inside a word ("Eisen-Cy").
        let mut words: Vec<&str> = text.split_whitespace().collect();
        while width_of(&runs) > self.body.measure && words.len() > 1 {
            words.pop();
            let kept = words.join(" ");
            let kept = kept.trim_end_matches([',', ';', ':', '.', '-', '\u{2013}', '\u{2014}']);
            runs = setter.runs(&format!("{kept}\u{2026}"), style);
        }
        // One word still too wide: cut by glyphs, the least harm left.
        let mut width = width_of(&runs);
        while width > self.body.measure {
            match runs.last_mut() {
                Some(run) if run.glyphs.len() > 1 => {
                    run.glyphs.pop();
                }
                Some(_) => {
                    runs.pop();
                }
                None => break,
            }
            width = width_of(&runs);
        }
        let x0 = left + (self.body.measure - width) / 2.0;
        for run in runs {
            page.items.push(Item::Text(GlyphRun {
                face: run.face,
                size: run.size,
                x: x0 + run.x,
                y,
                glyphs: run.glyphs,
                colour: run.colour,
            }));
        }
    }

    /// The bookmarks: parts, their chapters, chapters nested as SUMMARY.md nests them, and
    /// each chapter's sections.
    fn book_outline(&self, book: &Book, anchors: &BTreeMap<String, Position>) -> Vec<OutlineEntry> {
        let mut items: Vec<(u8, OutlineEntry)> = Vec::new();
        for (i, chapter) in book.chapters.iter().enumerate() {
            if let Some(k) = book.parts.iter().position(|p| p.chapters.start == i) {
                if let Some(&position) = anchors.get(&part_anchor(k)) {
                    items.push((
                        1,
                        OutlineEntry {
                            title: book.parts[k].title.clone(),
                            position,
                            children: Vec::new(),
                        },
                    ));
                }
            }
            let in_part = book.parts.iter().any(|p| p.chapters.contains(&i));
            let depth = u8::from(in_part) + chapter.level.max(1);
            if let Some(entry) = self.outline(chapter, anchors) {
                items.push((depth, entry));
            }
        }
        outline_tree(items)
    }

    fn outline(
        &self,
        chapter: &Chapter,
        anchors: &BTreeMap<String, Position>,
    ) -> Option<OutlineEntry> {
        let position = *anchors.get(&chapter_anchor(&chapter.id))?;
        let sections: Vec<(u8, String, Position)> = chapter
            .sections()
            .into_iter()
            .filter(|h| h.level <= self.toc_depth)
            .filter_map(|h| {
                let p = anchors.get(&heading_anchor(&h.id))?;
                Some((h.level, crate::model::plain_text(&h.content), *p))
            })
            .collect();
        let mut i = 0;
        Some(OutlineEntry {
            title: chapter.label(),
            position,
            children: nest(&sections, &mut i, 0),
        })
    }
}

/// Sections (level, title, position) -> a tree: each takes the deeper ones that follow it.
fn nest(items: &[(u8, String, Position)], i: &mut usize, min_level: u8) -> Vec<OutlineEntry> {
    let mut out = Vec::new();
    while let Some((level, title, position)) = items.get(*i) {
        if *level < min_level {
            break;
        }
        *i += 1;
        let children = nest(items, i, level + 1);
        out.push(OutlineEntry {
            title: title.clone(),
            position: *position,
            children,
        });
    }
    out
}

impl Context {
    /// The page index each chapter starts on (even, a recto, for a chapter that opens as
    /// one; the next page for a nested one), the page index of each part's title page (a
    /// recto, with a blank verso behind it), and the index of the first page numbered in
    /// arabic (the first chapter or part not in the front matter).
    fn chapter_starts(
        &self,
        book: &Book,
        chapters: &[Vec<PageBody>],
        first: usize,
    ) -> (Vec<usize>, Vec<usize>, usize) {
        let mut index = first;
        let mut starts = Vec::with_capacity(chapters.len());
        let mut part_starts = Vec::with_capacity(book.parts.len());
        let mut first_body = None;
        for (i, (chapter, pages)) in book.chapters.iter().zip(chapters).enumerate() {
            if book.parts.iter().any(|p| p.chapters.start == i) {
                if index % 2 == 1 {
                    index += 1;
                }
                if chapter.matter != Matter::Front && first_body.is_none() {
                    first_body = Some(index);
                }
                part_starts.push(index);
                index += 2;
            }
            if self.opens_recto(chapter) && index % 2 == 1 {
                index += 1;
            }
            if chapter.matter != Matter::Front && first_body.is_none() {
                first_body = Some(index);
            }
            starts.push(index);
            index += pages.len().max(1);
        }
        (starts, part_starts, first_body.unwrap_or(index))
    }
}

/// The entry a page of the contents begins with: the chapter or part its first line links to.
fn contents_entry(book: &Book, body: &PageBody) -> Option<PagePlace> {
    let anchor = body.lines.iter().find_map(|l| {
        l.line.links.iter().find_map(|link| match &link.target {
            Target::Anchor(a) => Some(a.to_string()),
            _ => None,
        })
    })?;
    if let Some(i) = (book.chapters.iter()).position(|c| chapter_anchor(&c.id) == anchor) {
        return Some(PagePlace::ContentsChapter(i));
    }
    (0..book.parts.len())
        .find(|&k| part_anchor(k) == anchor)
        .map(PagePlace::ContentsPart)
}

/// The anchor of the `k`-th part's title page.
fn part_anchor(k: usize) -> String {
    format!("p:{}", k + 1)
}

/// The printed contents: each part's entry before its first chapter's.
fn with_parts(book: &Book, chapters: &[TocEntry], parts: &[TocEntry]) -> Vec<TocEntry> {
    let mut out = Vec::with_capacity(chapters.len() + parts.len());
    for (i, entry) in chapters.iter().enumerate() {
        if let Some(k) = book.parts.iter().position(|p| p.chapters.start == i) {
            out.extend(parts.get(k).cloned());
        }
        let mut entry = entry.clone();
        if book.parts.iter().any(|p| p.chapters.contains(&i)) {
            entry.depth += 1;
        }
        out.push(entry);
    }
    out
}

/// Entries with their depth (1 = top) -> a tree: each takes the deeper ones that follow it
/// as children, after the children it already has (a chapter's sections).
fn outline_tree(items: Vec<(u8, OutlineEntry)>) -> Vec<OutlineEntry> {
    fn close(stack: &mut Vec<(u8, OutlineEntry)>, roots: &mut Vec<OutlineEntry>) {
        if let Some((_, done)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(done),
                None => roots.push(done),
            }
        }
    }
    let mut stack: Vec<(u8, OutlineEntry)> = Vec::new();
    let mut roots = Vec::new();
    for (depth, entry) in items {
        while stack.last().is_some_and(|(d, _)| *d >= depth) {
            close(&mut stack, &mut roots);
        }
        stack.push((depth, entry));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    roots
}

/// The number printed on page `index`.
pub fn page_label(index: usize, first_body: usize) -> String {
    if index >= first_body {
        (index - first_body + 1).to_string()
    } else {
        roman(index + 1)
    }
}

fn roman(n: usize) -> String {
    crate::model::roman_numeral(n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "i");
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(14), "xiv");
        assert_eq!(page_label(3, 6), "iv");
        assert_eq!(page_label(6, 6), "1");
    }

    #[test]
    fn context_is_shareable_between_threads() {
        fn sync<T: Sync + Send>() {}
        sync::<Context>();
    }
}
