//! Package metadata (the OPF `<metadata>`): bibliographic and accessibility.

use epub_builder::{EpubBuilder, MetadataOpfV3, ZipLibrary};
use uuid::Uuid;

use crate::model::Metadata;

use super::xhtml::ImageStats;
use super::xml::{escape, strip_invalid};
use super::EpubError;

/// Name written as the generator and in the accessibility claims.
pub const GENERATOR: &str = "quire";

/// The title of the contents (the navigation document and the visible contents page).
pub const TOC_NAME: &str = "Contents";

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

/// Bibliographic metadata epub-builder knows how to write.
pub fn set_bibliographic(
    builder: &mut EpubBuilder<ZipLibrary>,
    meta: &Metadata,
) -> Result<(), EpubError> {
    builder.metadata("title", strip_invalid(&meta.title))?;
    builder.metadata("lang", meta.language.as_str())?;
    builder.metadata("generator", GENERATOR)?;
    builder.metadata("toc_name", TOC_NAME)?;
    for author in meta.authors.iter().filter(|a| !a.trim().is_empty()) {
        builder.metadata("author", strip_invalid(author))?;
    }
    if let Some(description) = non_empty(&meta.description) {
        builder.metadata("description", strip_invalid(description))?;
    }
    if let Some(rights) = non_empty(&meta.rights) {
        builder.metadata("license", strip_invalid(rights))?;
    }
    builder.set_uuid(book_uuid(&meta.identifier));
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

/// EPUB Accessibility 1.1 metadata. A book with images is also visual; when every image has
/// a text description it declares `alternativeText` and is sufficient as text alone.
pub fn set_accessibility(builder: &mut EpubBuilder<ZipLibrary>, images: ImageStats) {
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
    let summary = match (has_images, all_described) {
        (false, _) => {
            "This publication is text only. It has a table of contents, headings that \
             mark its structure, footnotes linked both ways, and text that readers can restyle \
             and resize."
        }
        (true, true) => {
            "This publication is text with images, and every image has a text \
             description. It has a table of contents, headings that mark its structure, \
             footnotes linked both ways, and text that readers can restyle and resize."
        }
        (true, false) => {
            "This publication is text with images, some of which have no text \
             description. It has a table of contents, headings that mark its structure, \
             footnotes linked both ways, and text that readers can restyle and resize."
        }
    };
    builder.add_metadata_opf(meta("schema:accessibilitySummary", summary));
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
    fn uuid_is_stable_per_identifier() {
        assert_eq!(book_uuid("urn:isbn:1"), book_uuid("urn:isbn:1"));
        assert_ne!(book_uuid("urn:isbn:1"), book_uuid("urn:isbn:2"));
        let own = "urn:uuid:6f1c2d0e-3b7a-5c9e-9a41-2f8d5e7b1c30";
        assert_eq!(format!("urn:uuid:{}", book_uuid(own)), own);
        assert!(identifier_is_package_uuid(own));
        assert!(!identifier_is_package_uuid("urn:isbn:1"));
    }
}
