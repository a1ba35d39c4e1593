//! PDF writer: typeset pages -> printpdf (+ lopdf for outlines, labels, /Lang).
//!
//! - `fonts`: subset each used face with `subsetter` and register it with printpdf;
//! - `content`: glyph runs written as content streams; rules, images and links as printpdf
//!   operations;
//! - `images`: image XObjects, each image once;
//! - `structure`: what printpdf cannot do, added to its lopdf document (outline, page labels,
//!   `/Lang`, Info, `/ID`).

mod content;
pub mod cover;
mod fonts;
mod hash;
mod images;
mod structure;

use crate::model::Metadata;
use crate::typeset::document::Document;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the document has no pages")]
    NoPages,
    #[error("font {file}: {reason}")]
    Font { file: String, reason: String },
    #[error("invalid glyph run: {0}")]
    InvalidRun(String),
    #[error("{what} points to page {page}, but the document has {pages} pages")]
    BadTarget {
        what: String,
        page: usize,
        pages: usize,
    },
    #[error("PDF structure: {0}")]
    Lopdf(#[from] lopdf::Error),
    #[error("writing a content stream: {0}")]
    Write(#[from] std::io::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Writes `doc` as a PDF and returns its bytes (the same bytes for the same input).
pub fn write_pdf(doc: &Document, metadata: &Metadata) -> Result<Vec<u8>, PdfError> {
    write_pdf_with_cover(doc, metadata, None)
}

/// [`write_pdf`], with `cover` (an image, or a drawing) as a first page before the book's own
/// (`[pdf] cover = true`), labelled "Cover".
pub fn write_pdf_with_cover(
    doc: &Document,
    metadata: &Metadata,
    cover: Option<&crate::artwork::Artwork>,
) -> Result<Vec<u8>, PdfError> {
    if doc.pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    let mut pdf = printpdf::PdfDocument::new(&metadata.title);
    let faces = fonts::embed_fonts(doc, &mut pdf)?;
    let images = images::embed_images(doc, &mut pdf)?;
    pdf.pages = content::pages(doc, &faces, &images)?;

    let mut warnings = Vec::new();
    let opts = printpdf::PdfSaveOptions {
        optimize: false,
        // printpdf cannot subset without `text_layout`; `fonts` already did.
        subset_fonts: false,
        secure: false,
        image_optimization: None,
    };
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    if let Some(w) = warnings
        .iter()
        .find(|w| matches!(w.severity, printpdf::PdfParseErrorSeverity::Error))
    {
        return Err(PdfError::Internal(format!("printpdf: {}", w.msg)));
    }
    content::install_text(&mut lo, doc, &faces)?;
    structure::finish(&mut lo, doc, metadata)?;
    if let Some(cover) = cover {
        cover::prepend_page(&mut lo, doc.width, doc.height, cover)?;
    }
    lo.compress();

    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| PdfError::Internal(format!("save: {e}")))?;
    Ok(out)
}
