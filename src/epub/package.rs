//! Package metadata (the OPF `<metadata>`): bibliographic and accessibility.

use epub_builder::{EpubBuilder, MetadataOpfV3, ZipLibrary};
use uuid::Uuid;

use crate::model::visit::{visit_block, visit_element, Visit};
use crate::model::{Block, Book, Metadata};
use crate::strings::Strings;

use super::xhtml::ImageStats;
use super::xml::{escape, strip_invalid};
use super::EpubError;

/// Name written as the generator and in the accessibility claims.
pub const GENERATOR: &str = "quire";

/// A stable UUID for the book: the author's own when the identifier is a `urn:uuid:`, else
/// one derived from the identifier, so the same identifier always gives the same package id.
pub fn book_uuid(identifier: &str) -> Uuid {
    identifier
        .trim()
        .strip_prefix("urn:uuid:")
        .and_then(|u| Uuid::parse_str(u).ok())
        .unwrap_or_else(|| Uuid::new_v5(&Uuid::NAMESPACE_URL, identifier.as_bytes()))
}

/// Whether the package's `urn:uuid:` identifier already is the author's identifier.
pub fn identifier_is_package_uuid(identifier: &str) -> bool {
    identifier
        .trim()
        .strip_prefix("urn:uuid:")
        .is_some_and(|u| Uuid::parse_str(u).is_ok())
}

/// Bibliographic metadata epub-builder knows how to write. The creators (with roles and sort
/// names), identifiers and series are written by `finish`: epub-builder gives every author
/// the `aut` role and knows no `file-as`.
pub fn set_bibliographic(
    builder: &mut EpubBuilder<ZipLibrary>,
    meta: &Metadata,
    strings: &Strings,
) -> Result<(), EpubError> {
    builder.metadata("title", strip_invalid(&meta.title))?;
    builder.metadata("lang", meta.language.as_str())?;
    builder.metadata("generator", GENERATOR)?;
    builder.metadata("toc_name", strip_invalid(strings.get("contents")))?;
    // Plain text: the package stores text (the Markdown was rendered by the reader).
    if let Some(description) = non_empty(&meta.description) {
        builder.metadata("description", strip_invalid(description))?;
    }
    if let Some(rights) = non_empty(&meta.rights) {
        builder.metadata("license", strip_invalid(rights))?;
    }
    for subject in meta.subjects.iter().filter(|s| !s.trim().is_empty()) {
        builder.metadata("subject", strip_invalid(subject))?;
    }
    builder.set_uuid(book_uuid(&meta.ebook_identifier()));
    builder.set_modified_date(meta.modified);
    Ok(())
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

/// A `<meta property>`; epub-builder does not escape the content, so it is escaped here.
fn meta(property: &str, content: &str) -> Box<MetadataOpfV3> {
    Box::new(MetadataOpfV3::new(property.to_string(), escape(content)))
}

/// What the book holds, for its accessibility metadata: counted on the model (and, for
/// images, on the documents written), never assumed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Contents {
    pub images: ImageStats,
    pub chapters: usize,
    /// Headings below the chapter titles.
    pub sections: usize,
    pub notes: usize,
    pub tables: usize,
    pub code_blocks: usize,
}

impl Contents {
    pub fn of(book: &Book, images: ImageStats) -> Contents {
        struct Count(Contents);
        impl<'a> Visit<'a> for Count {
            fn visit_block(&mut self, b: &'a Block) {
                match b {
                    Block::Table(_) => self.0.tables += 1,
                    Block::CodeBlock { .. } => self.0.code_blocks += 1,
                    Block::Heading(_) => self.0.sections += 1,
                    _ => {}
                }
                visit_block(self, b)
            }
            fn visit_element(&mut self, e: &'a crate::model::html::Element) {
                if e.name.eq_ignore_ascii_case("table") {
                    self.0.tables += 1;
                }
                visit_element(self, e)
            }
        }
        let mut counter = Count(Contents {
            images,
            chapters: book.chapters.len(),
            ..Contents::default()
        });
        for c in &book.chapters {
            counter.0.notes += c.notes.len();
            counter.visit_chapter(c);
        }
        counter.0
    }
}

/// `n thing`, `n things`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The accessibility summary: what a reader who cannot see the page needs to know, from
/// what the book really holds. (Written in English: it is read by stores and by the people
/// who check the claims, as the EPUB Accessibility guidelines' examples are.)
pub fn summary(c: &Contents) -> String {
    let images = match (c.images.shown, c.images.without_alt) {
        (0, _) => "This publication is text only".to_string(),
        (n, 0) => format!(
            "This publication is text with {}, {} a text description",
            count(n, "image", "images"),
            if n == 1 { "which has" } else { "all with" }
        ),
        (n, m) if m == n => format!(
            "This publication is text with {}, {} no text description, so it is not fully usable by text alone",
            count(n, "image", "images"),
            if n == 1 { "which has" } else { "none of which have" }
        ),
        (n, m) => format!(
            "This publication is text with {}, {} of which {} no text description, so it is not fully usable by text alone",
            count(n, "image", "images"),
            m,
            if m == 1 { "has" } else { "have" }
        ),
    };
    let mut has = vec![format!(
        "a table of contents of {}",
        count(c.chapters, "chapter", "chapters")
    )];
    if c.sections > 0 {
        has.push(if c.sections == 1 {
            "1 section heading that marks its structure".to_string()
        } else {
            format!("{} section headings that mark its structure", c.sections)
        });
    }
    if c.notes > 0 {
        has.push(format!(
            "{} linked to and from the text",
            count(c.notes, "footnote", "footnotes")
        ));
    }
    if c.tables > 0 {
        has.push(count(c.tables, "table", "tables"));
    }
    if c.code_blocks > 0 {
        has.push(format!(
            "{} set as preformatted text",
            count(c.code_blocks, "code listing", "code listings")
        ));
    }
    let last = has.pop().unwrap_or_default();
    let list = if has.is_empty() {
        last
    } else {
        format!("{} and {last}", has.join(", "))
    };
    format!(
        "{images}. It has {list}. Its reading order is the printed order, and readers can restyle and resize its text."
    )
}

/// EPUB Accessibility 1.1 metadata. A book with images is also visual; when every image has
/// a text description it declares `alternativeText` and is sufficient as text alone.
pub fn set_accessibility(builder: &mut EpubBuilder<ZipLibrary>, contents: &Contents) {
    let images = contents.images;
    let has_images = images.shown > 0;
    let all_described = images.without_alt == 0;
    let mut features = vec![
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ];
    if has_images && all_described {
        features.push("alternativeText");
    }
    builder.add_metadata_opf(meta("schema:accessMode", "textual"));
    if has_images {
        builder.add_metadata_opf(meta("schema:accessMode", "visual"));
        builder.add_metadata_opf(meta("schema:accessModeSufficient", "textual,visual"));
    }
    if all_described {
        builder.add_metadata_opf(meta("schema:accessModeSufficient", "textual"));
    }
    for feature in features {
        builder.add_metadata_opf(meta("schema:accessibilityFeature", feature));
    }
    builder.add_metadata_opf(meta("schema:accessibilityHazard", "none"));
    builder.add_metadata_opf(meta("schema:accessibilitySummary", &summary(contents)));
    builder.add_metadata_opf(meta(
        "dcterms:conformsTo",
        "EPUB Accessibility 1.1 - WCAG 2.1 Level AA",
    ));
    builder.add_metadata_opf(meta("a11y:certifiedBy", GENERATOR));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_what_the_book_holds() {
        let c = Contents {
            images: ImageStats {
                shown: 12,
                without_alt: 0,
            },
            chapters: 25,
            sections: 0,
            notes: 351,
            tables: 1,
            code_blocks: 0,
        };
        assert_eq!(
            summary(&c),
            "This publication is text with 12 images, all with a text description. It has a table of contents of 25 chapters, 351 footnotes linked to and from the text and 1 table. Its reading order is the printed order, and readers can restyle and resize its text."
        );
        let plain = Contents {
            chapters: 1,
            ..Contents::default()
        };
        assert!(summary(&plain).starts_with(
            "This publication is text only. It has a table of contents of 1 chapter."
        ));
        let some = Contents {
            images: ImageStats {
                shown: 3,
                without_alt: 1,
            },
            chapters: 2,
            ..Contents::default()
        };
        assert!(summary(&some).contains("3 images, 1 of which has no text description"));
    }

    #[test]
    fn uuid_is_stable_per_identifier() {
        assert_eq!(book_uuid("urn:isbn:1"), book_uuid("urn:isbn:1"));
        assert_ne!(book_uuid("urn:isbn:1"), book_uuid("urn:isbn:2"));
        let own = "urn:uuid:6f1c2d0e-3b7a-5c9e-9a41-2f8d5e7b1c30";
        assert_eq!(format!("urn:uuid:{}", book_uuid(own)), own);
        assert!(identifier_is_package_uuid(own));
        assert!(!identifier_is_package_uuid("urn:isbn:1"));
    }
}
