//! EPUB writer: model -> XHTML + CSS -> epub-builder.
//!
//! Layout of the package (inside `OEBPS/`): `titlepage.xhtml`, `copyright.xhtml`, `toc.xhtml`
//! (a visible contents page, which gives the `toc` landmark), `nav.xhtml`, `text/<id>.xhtml`
//! per chapter, `stylesheet.css`, `fonts/<file>`. epub-builder assembles the package; `finish`
//! then patches what its fixed templates cannot say (see there). Output is deterministic: the
//! package UUID derives from the book identifier, dates from `metadata.modified`, zip times are
//! fixed.

mod content_model;
mod finish;
mod fonts;
mod highlight;
mod package;
mod page_list;
mod pages;
mod parts;
mod raw_html;
mod reuse;
mod xhtml;
mod xml;

use std::collections::HashMap;

use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};
use rayon::prelude::*;

use crate::fonts::{Face, FaceId, Fonts};
use crate::model::pages::PageMap;
use crate::model::{Book, Chapter, Matter};
use crate::settings::Settings;
pub use content_model::enforce as enforce_content_model;
use page_list::{ChapterMarkers, PageMarkers};
pub use raw_html::sanitised as sanitised_raw_html;
pub use reuse::Reuse;

/// Why an EPUB could not be written.
#[derive(Debug, thiserror::Error)]
pub enum EpubError {
    #[error("image {}: {source}", .path.display())]
    Image {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("the book has no title")]
    MissingTitle,
    #[error("the book language `{0}` is not a language tag (e.g. `en`, `en-GB`)")]
    InvalidLanguage(String),
    #[error("the book has no chapters")]
    NoChapters,
    #[error("chapters `{first}` and `{second}` would both be written to `{file}`")]
    DuplicateChapterFile {
        first: String,
        second: String,
        file: String,
    },
    #[error("could not assemble the EPUB: {0}")]
    Builder(#[from] epub_builder::Error),
    #[error("cover: {0}")]
    Cover(String),
    #[error("could not finish the EPUB: {0}")]
    Finishing(String),
    #[error("could not rewrite the EPUB archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("could not rewrite the EPUB archive: {0}")]
    Io(#[from] std::io::Error),
}

/// The stylesheet's path seen from a chapter file and from a page at the package root.
const CSS_FROM_TEXT: &str = "../stylesheet.css";
const CSS_FROM_ROOT: &str = "stylesheet.css";

/// Writes `book` as an EPUB 3 and returns the file's bytes.
pub fn write_epub(book: &Book, settings: &Settings) -> Result<Vec<u8>, EpubError> {
    write(book, settings, None, None)
}

/// [`write_epub`] with the print edition's page numbers: a page break marker where each page
/// of `pages` begins, and the page list (see `page_list`).
pub fn write_epub_with_pages(
    book: &Book,
    settings: &Settings,
    pages: &PageMap,
) -> Result<Vec<u8>, EpubError> {
    write(book, settings, None, Some(pages))
}

/// [`write_epub`], reusing the chapter documents of an earlier build that `reuse` holds (and
/// keeping this build's for the next). The bytes are those of a fresh build.
pub fn write_epub_reusing(
    book: &Book,
    settings: &Settings,
    reuse: &mut Reuse,
    pages: Option<&PageMap>,
) -> Result<Vec<u8>, EpubError> {
    write(book, settings, Some(reuse), pages)
}

/// The EPUB, its chapter documents made afresh, or with `reuse` when it is given.
fn write(
    book: &Book,
    settings: &Settings,
    reuse: Option<&mut Reuse>,
    pages: Option<&PageMap>,
) -> Result<Vec<u8>, EpubError> {
    validate(book)?;
    let files = chapter_files(&book.chapters)?;
    let paths: Vec<String> = (files.iter())
        .map(|f| format!("{}/{f}", xhtml::TEXT_DIR))
        .collect();
    let marks = pages
        .map(|map| PageMarkers::new(map, &book.chapters, &paths, book.parts.len()))
        .unwrap_or_default();
    let no_marks = Vec::new();
    let chapter_marks = |i: usize| marks.chapters.get(i).unwrap_or(&no_marks);
    let mut index = xhtml::LinkIndex::default();
    for (chapter, file) in book.chapters.iter().zip(&files) {
        index.add(chapter, file.clone());
    }
    index.add_images(&book.resources);

    // Chapters first: the accessibility metadata depends on what their images are like.
    let meta = &book.metadata;
    let strings = crate::strings::Strings::new(&meta.language, &settings.strings);
    let labels: Vec<String> = book
        .chapters
        .iter()
        .enumerate()
        .map(|(i, chapter)| xml::strip_invalid(&toc_label(chapter, i, &strings)))
        .collect();
    let render = |chapter: &Chapter, label: &str, marks: &ChapterMarkers| {
        let made = xhtml::chapter_document_with_stats(
            chapter,
            label,
            &index,
            &meta.language,
            CSS_FROM_TEXT,
            marks,
        );
        crate::progress::epub_chapter_done();
        made
    };
    let rendered = match reuse {
        Some(reuse) => {
            let marks: Vec<&ChapterMarkers> = (0..book.chapters.len()).map(chapter_marks).collect();
            reuse.documents(
                &book.chapters,
                &labels,
                &marks,
                &meta.language,
                &index,
                render,
            )
        }
        // Chapters are independent (highlighting and raw HTML parsing take the time).
        None => book
            .chapters
            .par_iter()
            .zip(&labels)
            .enumerate()
            .map(|(i, (chapter, label))| render(chapter, label, chapter_marks(i)))
            .collect(),
    };
    let cover = cover_image(book, settings)?;
    let mut images = xhtml::ImageStats::default();
    // The cover is an image the reader sees, described by the title.
    images.shown += usize::from(cover.is_some());
    let mut documents = Vec::with_capacity(rendered.len());
    for (label, (html, stats)) in labels.into_iter().zip(rendered) {
        images.shown += stats.shown;
        images.without_alt += stats.without_alt;
        documents.push((label, html));
    }

    let title_page = page_list::mark_page(
        pages::title_page(meta, &strings, CSS_FROM_ROOT),
        &marks.title_page,
    );
    let copyright = page_list::mark_page(
        pages::copyright_page(meta, &strings, CSS_FROM_ROOT),
        &marks.copyright,
    );
    let embedded = if settings.embed_fonts {
        let mut usage = fonts::Usage::default();
        for (label, html) in &documents {
            usage.add_document(html)?;
            usage.add_plain(label);
        }
        usage.add_document(&title_page)?;
        usage.add_document(&copyright)?;
        usage.add_plain(strings.get("contents"));
        for chapter in &book.chapters {
            for h in chapter.sections() {
                usage.add_plain(&crate::model::plain_text(&h.content));
            }
        }
        fonts::embed(&settings.fonts, &usage)
    } else {
        Vec::new()
    };

    let mut builder = EpubBuilder::new(ZipLibrary::new()?)?;
    builder.epub_version(EpubVersion::V33);
    package::set_bibliographic(&mut builder, meta, &strings)?;
    package::set_accessibility(&mut builder, &package::Contents::of(book, images));
    if !marks.is_empty() {
        for feature in PageMarkers::features() {
            builder.add_metadata_opf(Box::new(epub_builder::MetadataOpfV3::new(
                "schema:accessibilityFeature".to_string(),
                feature.to_string(),
            )));
        }
    }
    builder.stylesheet(stylesheet(&settings.fonts, &embedded).as_bytes())?;
    for font in &embedded {
        builder.add_resource(
            font_path(font.face),
            font.data.as_slice(),
            font.face.media_type,
        )?;
    }
    // Each image once, however many chapters show it.
    for r in &book.resources {
        let data = match &r.sanitised {
            Some(bytes) => bytes.to_vec(),
            None => std::fs::read(&r.path).map_err(|e| EpubError::Image {
                path: r.path.clone(),
                source: e,
            })?,
        };
        builder.add_resource(
            format!("{}/{}", xhtml::IMAGE_DIR, r.name),
            data.as_slice(),
            r.media_type.mime(),
        )?;
    }

    if let Some(cover) = &cover {
        let href = format!("{}/{}", xhtml::IMAGE_DIR, cover.name);
        builder.add_cover_image(&href, cover.data.as_slice(), cover.media_type)?;
        let page = pages::cover_page(meta, &strings, &href, CSS_FROM_ROOT);
        // First in the spine, with the `cover` landmark and guide reference.
        builder.add_content(
            EpubContent::new(pages::COVER_FILE, page.as_bytes())
                .title(strings.get("cover"))
                .reftype(ReferenceType::Cover),
        )?;
    }
    builder.add_content(
        EpubContent::new(pages::TITLE_PAGE_FILE, title_page.as_bytes())
            .title(strings.get("title-page"))
            .reftype(ReferenceType::TitlePage),
    )?;
    builder.add_content(
        EpubContent::new(pages::COPYRIGHT_FILE, copyright.as_bytes())
            .title(strings.get("copyright"))
            .reftype(ReferenceType::Copyright),
    )?;
    // epub-builder writes a `toc` landmark only for a content file: its visible contents page.
    // `[toc] depth = 0` asks for no printed contents: the navigation document stays.
    if settings.toc_depth > 0 {
        builder.inline_toc();
    }

    let start = start_chapter(&book.chapters);
    for (i, ((chapter, file), (label, html))) in
        book.chapters.iter().zip(&files).zip(documents).enumerate()
    {
        if let Some((k, part)) = parts::part_opening_at(book, i) {
            let page = page_list::mark_page(
                parts::part_page(part, &meta.language, CSS_FROM_TEXT),
                marks.parts.get(k).map_or(&[][..], Vec::as_slice),
            );
            builder.add_content(
                EpubContent::new(parts::part_path(k), page.as_bytes())
                    .title(xml::strip_invalid(&part.title))
                    .level(1),
            )?;
        }
        let path = format!("{}/{file}", xhtml::TEXT_DIR);
        let level = parts::nav_level(book, i);
        let mut content = EpubContent::new(path.clone(), html.as_bytes())
            .title(label)
            .level(level);
        for entry in section_entries(chapter, &path, settings.toc_depth) {
            let entry_level = entry.level + level - 1;
            content.toc.add(entry.level(entry_level));
        }
        if Some(i) == start {
            content = content.reftype(ReferenceType::Text);
        }
        builder.add_content(content)?;
    }

    let mut out = Vec::new();
    builder.generate(&mut out)?;
    let page_list = (!marks.is_empty()).then_some(&marks);
    finish::finish(&out, meta, &strings, !embedded.is_empty(), page_list)
}

/// The cover image the EPUB carries.
struct CoverImage {
    /// Its file name in the image folder, unique among the book's images.
    name: String,
    data: Vec<u8>,
    media_type: &'static str,
}

/// The author's cover (`cover` in [book]), the placeholder quire draws when none is given, or
/// none (`cover = false`).
fn cover_image(book: &Book, settings: &Settings) -> Result<Option<CoverImage>, EpubError> {
    use crate::model::MediaType;
    use crate::settings::Cover;
    let (data, media_type) = match &settings.cover {
        Cover::Off => return Ok(None),
        Cover::Auto => (
            crate::cover::placeholder_png(&book.metadata, &settings.fonts)
                .map_err(|e| EpubError::Cover(e.to_string()))?,
            MediaType::Png,
        ),
        Cover::Image(path) => {
            let data = std::fs::read(path).map_err(|e| EpubError::Image {
                path: path.clone(),
                source: e,
            })?;
            let media_type = MediaType::sniff(&data).ok_or_else(|| {
                EpubError::Cover(format!("{} is not a JPEG or PNG image", path.display()))
            })?;
            (data, media_type)
        }
    };
    let ext = media_type.extension();
    let taken = |name: &str| book.resources.iter().any(|r| r.name == name);
    let mut name = format!("cover.{ext}");
    let mut n = 2;
    while taken(&name) {
        name = format!("cover-{n}.{ext}");
        n += 1;
    }
    Ok(Some(CoverImage {
        name,
        data,
        media_type: media_type.mime(),
    }))
}

/// Catches what would make the package invalid whatever we do.
fn validate(book: &Book) -> Result<(), EpubError> {
    let meta = &book.metadata;
    if meta.title.trim().is_empty() {
        return Err(EpubError::MissingTitle);
    }
    let lang = &meta.language;
    let well_formed = !lang.is_empty()
        && lang.split('-').all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if !well_formed {
        return Err(EpubError::InvalidLanguage(lang.clone()));
    }
    if book.chapters.is_empty() {
        return Err(EpubError::NoChapters);
    }
    Ok(())
}

/// The file name of each chapter (inside `text/`), checked to be distinct.
fn chapter_files(chapters: &[Chapter]) -> Result<Vec<String>, EpubError> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut files = Vec::with_capacity(chapters.len());
    for chapter in chapters {
        let file = format!("{}.xhtml", xml::file_stem(&chapter.id));
        // Zip entry names compare case-sensitively, but some file systems readers unpack to
        // do not.
        if let Some(first) = seen.insert(file.to_ascii_lowercase(), &chapter.id) {
            return Err(EpubError::DuplicateChapterFile {
                first: first.to_string(),
                second: chapter.id.clone(),
                file,
            });
        }
        files.push(file);
    }
    Ok(files)
}

/// Where reading starts (the `bodymatter` landmark): the first body chapter, else the first.
fn start_chapter(chapters: &[Chapter]) -> Option<usize> {
    chapters
        .iter()
        .position(|c| c.matter == Matter::Body)
        .or((!chapters.is_empty()).then_some(0))
}

/// The chapter's entry in the contents; never empty, or epub-builder would leave it out.
fn toc_label(chapter: &Chapter, index: usize, strings: &crate::strings::Strings) -> String {
    let label = chapter.label();
    if label.trim().is_empty() {
        format!("{} {}", strings.get("chapter"), index + 1)
    } else {
        label
    }
}

/// Contents entries for the chapter's headings down to `toc_depth` (1 = the chapter itself).
fn section_entries(chapter: &Chapter, path: &str, toc_depth: u8) -> Vec<TocElement> {
    chapter
        .sections()
        .into_iter()
        .filter(|h| h.level <= toc_depth)
        .filter_map(|h| {
            let label = crate::model::plain_text(&h.content);
            let label = label.trim();
            (!label.is_empty()).then(|| {
                TocElement::new(
                    format!("{path}#{}", xml::xml_id(&h.id)),
                    xml::strip_invalid(label),
                )
                .level(i32::from(h.level))
            })
        })
        .collect()
}

fn font_path(face: &Face) -> String {
    format!("fonts/{}", face.file_name)
}

/// The families of `style.css`'s body and code rules, replaced by the book's.
const SERIF_STACK: &str = "\"Linux Libertine O\", Georgia, serif";
const MONO_STACK: &str = "\"DejaVu Sans Mono\", monospace";

/// A `font-family` list: the face's family, then the family of every other face in its
/// fallback order (a reading system takes each character from the first that has it), then
/// `generic`.
fn family_stack(fonts: &Fonts, id: FaceId, generic: &str) -> String {
    let mut families: Vec<&str> = Vec::new();
    for f in fonts.chain(id) {
        let family = fonts.face(f).family.as_str();
        if !families.contains(&family) {
            families.push(family);
        }
    }
    let mut stack: Vec<String> = families.iter().map(|f| format!("\"{f}\"")).collect();
    stack.push(generic.to_string());
    stack.join(", ")
}

/// `@font-face` rules for the font files the EPUB carries, then the book stylesheet with the
/// book's families (a family it does not carry is still named: a reading system may have it).
fn stylesheet(fonts: &Fonts, embedded: &[fonts::Embedded]) -> String {
    // @namespace must precede every rule but @charset and @import, or it is ignored.
    let mut css = String::from("@namespace epub \"http://www.idpf.org/2007/ops\";\n\n");
    for face in embedded.iter().map(|e| e.face) {
        css.push_str(&format!(
            "@font-face {{\n  font-family: \"{family}\";\n  font-weight: {weight};\n  \
             font-style: {style};\n  src: url(\"{path}\");\n}}\n",
            family = face.family,
            weight = if face.style.is_bold() {
                "bold"
            } else {
                "normal"
            },
            style = if face.style.is_italic() {
                "italic"
            } else {
                "normal"
            },
            path = font_path(face),
        ));
    }
    css.push('\n');
    css.push_str(
        &include_str!("style.css")
            .replace(
                SERIF_STACK,
                &family_stack(fonts, FaceId::Serif(crate::fonts::Style::Regular), "serif"),
            )
            .replace(MONO_STACK, &family_stack(fonts, FaceId::Mono, "monospace")),
    );
    css.push_str("\n/* Code highlighting (src/epub/highlight.rs) */\n");
    css.push_str(&highlight::css());
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_names_the_fallback_families_after_the_book_face() {
        let css = stylesheet(Fonts::bundled(), &[]);
        assert!(!css.contains(SERIF_STACK) && !css.contains(MONO_STACK));
        assert!(
            css.contains("font-family: \"Linux Libertine O\", \"Noto Serif Hebrew\""),
            "{css}"
        );
        assert!(css.contains("font-family: \"DejaVu Sans Mono\", \"Linux Libertine O\""));
        assert_eq!(css.matches("@font-face").count(), 0);
    }
}
