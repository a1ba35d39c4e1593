//! A last pass over the zip epub-builder wrote, for what its templates cannot express.
//!
//! epub-builder 0.8.2 (pinned) has no `dc:publisher`, subtitle or free-form `dc:date`, writes no
//! language on `<package>` or on the navigation documents, and no ARIA role on the toc `nav`
//! (accessibility checkers flag all of these). Its templates are fixed text, so each patch
//! replaces one known anchor; a missing anchor is an error, never a silently different book.
//! Every entry is rewritten with a fixed time so output stays reproducible whatever features of
//! the `zip` crate other dependencies turn on; entries that need no patch keep their compressed
//! bytes (only their header is rewritten).

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::model::{Contributor, Metadata};
use crate::strings::Strings;

use super::page_list::PageMarkers;
use super::xml::escape;
use super::EpubError;

const OPF: &str = "OEBPS/content.opf";
/// Apple's vocabulary for its reading system's own package metadata.
const IBOOKS_PREFIX: &str =
    "ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/";
const NAV_DOCUMENTS: &[&str] = &["OEBPS/nav.xhtml", "OEBPS/toc.xhtml"];

/// Rewrites the archive, patching the package document and the navigation documents.
/// `embeds_fonts`: the book carries fonts of its own, which Apple Books then uses
/// (`ibooks:specified-fonts`) instead of its own choice.
/// `pages`: the print edition's page list, its metadata and the contents' markers.
pub fn finish(
    epub: &[u8],
    meta: &Metadata,
    strings: &Strings,
    embeds_fonts: bool,
    pages: Option<&PageMarkers>,
) -> Result<Vec<u8>, EpubError> {
    let mut archive = ZipArchive::new(Cursor::new(epub))?;
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(epub.len())));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name().to_string();
        let patched = name == OPF || NAV_DOCUMENTS.contains(&name.as_str());
        if !patched && name != "mimetype" && entry.compression() == CompressionMethod::Deflated {
            // Unchanged and already compressed: copied as it is (fonts and chapters are most
            // of the book; compressing them again would double the EPUB's cost).
            writer.raw_copy_file_touch(entry, DateTime::default(), None)?;
            continue;
        }
        let mut data = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry.read_to_end(&mut data)?;
        drop(entry);
        let data = if name == OPF {
            let opf = patch_package(as_text(&name, data)?, meta, embeds_fonts)?;
            match pages {
                Some(pages) => replace_once(
                    &opf,
                    "<meta property=\"dcterms:modified\">",
                    &format!(
                        "{}<meta property=\"dcterms:modified\">",
                        pages.package_metadata()
                    ),
                )?,
                None => opf,
            }
            .into_bytes()
        } else if NAV_DOCUMENTS.contains(&name.as_str()) {
            let nav = patch_navigation(as_text(&name, data)?, &meta.language, strings)?;
            match pages {
                Some(pages) => patch_page_list(nav, &name, pages, strings)?,
                None => nav,
            }
            .into_bytes()
        } else {
            data
        };
        // The mimetype entry must stay first and uncompressed (OCF).
        let method = if name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(DateTime::default());
        writer.start_file(name, options)?;
        writer.write_all(&data)?;
    }
    Ok(writer.finish()?.into_inner())
}

fn as_text(name: &str, data: Vec<u8>) -> Result<String, EpubError> {
    String::from_utf8(data).map_err(|_| EpubError::Finishing(format!("{name} is not UTF-8")))
}

/// Replaces the first `anchor` in `text`, or fails naming what was expected.
fn replace_once(text: &str, anchor: &str, with: &str) -> Result<String, EpubError> {
    if !text.contains(anchor) {
        return Err(EpubError::Finishing(format!(
            "epub-builder output lacks `{anchor}`"
        )));
    }
    Ok(text.replacen(anchor, with, 1))
}

/// Language on `<package>`; titles typed as main/subtitle; publisher, date and the book's own
/// identifier (the package identifier is a UUID derived from it).
fn patch_package(opf: String, meta: &Metadata, embeds_fonts: bool) -> Result<String, EpubError> {
    let lang = escape(&meta.language);
    let prefix = if embeds_fonts {
        format!("prefix=\"{IBOOKS_PREFIX}\" ")
    } else {
        String::new()
    };
    let opf = replace_once(
        &opf,
        "<package version=\"3.0\" ",
        &format!("<package xml:lang=\"{lang}\" {prefix}version=\"3.0\" "),
    )?;
    let mut extra = String::new();
    if embeds_fonts {
        extra.push_str("<meta property=\"ibooks:specified-fonts\">true</meta>\n    ");
    }
    if let Some(subtitle) = non_empty(&meta.subtitle) {
        extra.push_str(&format!(
            "<meta refines=\"#title-main\" property=\"title-type\">main</meta>\n    \
             <dc:title id=\"title-sub\">{}</dc:title>\n    \
             <meta refines=\"#title-sub\" property=\"title-type\">subtitle</meta>\n    ",
            escape(subtitle)
        ));
    }
    if let Some(publisher) = non_empty(&meta.publisher) {
        extra.push_str(&format!(
            "<dc:publisher>{}</dc:publisher>\n    ",
            escape(publisher)
        ));
    }
    if let Some(date) = non_empty(&meta.date).filter(|d| is_w3c_date(d)) {
        extra.push_str(&format!("<dc:date>{}</dc:date>\n    ", escape(date)));
    }
    // A `urn:uuid:` identifier is the package id already; any other is listed beside it
    // (an ISBN as `urn:isbn:`, which stores and calibre read as the ISBN). The ebook's own
    // ISBN stands for it; a print ISBN never goes into the ebook.
    let own = meta.ebook_identifier();
    if !own.trim().is_empty() && !super::package::identifier_is_package_uuid(&own) {
        extra.push_str(&format!(
            "<dc:identifier id=\"source-id\">{}</dc:identifier>\n    ",
            escape(own.trim())
        ));
    }
    // The book's own identifier (a DOI, a publisher's number) when the ebook ISBN took its
    // place above.
    let work = meta.identifier.trim();
    let displaced = (own.trim() != work
        && !work.is_empty()
        && !work.to_ascii_lowercase().starts_with("urn:isbn:")
        && !super::package::identifier_is_package_uuid(work))
    .then(|| crate::model::Identifier {
        scheme: None,
        value: work.to_string(),
    });
    for (i, id) in displaced
        .iter()
        .chain(meta.other_identifiers.iter())
        .enumerate()
    {
        let n = i + 1;
        extra.push_str(&format!(
            "<dc:identifier id=\"identifier-{n}\">{}</dc:identifier>\n    ",
            escape(id.value.trim())
        ));
        if let Some(scheme) = id.scheme.as_deref().filter(|s| !s.trim().is_empty()) {
            extra.push_str(&format!(
                "<meta refines=\"#identifier-{n}\" property=\"identifier-type\">{}</meta>\n    ",
                escape(scheme.trim())
            ));
        }
    }
    extra.push_str(&creators(meta));
    if let Some(series) = &meta.series {
        let name = escape(series.name.trim());
        extra.push_str(&format!(
            "<meta property=\"belongs-to-collection\" id=\"series\">{name}</meta>\n    \
             <meta refines=\"#series\" property=\"collection-type\">series</meta>\n    "
        ));
        // calibre and Kobo read the EPUB 2 form.
        extra.push_str(&format!(
            "<meta name=\"calibre:series\" content=\"{name}\"/>\n    "
        ));
        if let Some(position) = series.position.as_deref().map(str::trim) {
            let position = escape(position);
            extra.push_str(&format!(
                "<meta refines=\"#series\" property=\"group-position\">{position}</meta>\n    \
                 <meta name=\"calibre:series_index\" content=\"{position}\"/>\n    "
            ));
        }
    }
    let title_id = if meta
        .subtitle
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty())
    {
        "<dc:title id=\"title-main\">"
    } else {
        "<dc:title>"
    };
    let opf = replace_once(&opf, "<dc:title>", title_id)?;
    replace_once(
        &opf,
        "<meta property=\"dcterms:modified\">",
        &format!("{extra}<meta property=\"dcterms:modified\">"),
    )
}

/// `dc:creator` for the authors and `dc:contributor` for everyone else credited, each with
/// its MARC role and, when given, its sort name (`refines`, as EPUB 3 has them).
fn creators(meta: &Metadata) -> String {
    let people: Vec<Contributor> = if meta.contributors.is_empty() {
        meta.authors
            .iter()
            .map(|name| Contributor {
                name: name.clone(),
                role: "aut".into(),
                file_as: None,
            })
            .collect()
    } else {
        meta.contributors.clone()
    };
    let mut out = String::new();
    for (i, person) in people
        .iter()
        .filter(|p| !p.name.trim().is_empty())
        .enumerate()
    {
        let id = format!("creator-{}", i + 1);
        let element = if person.is_author() {
            "dc:creator"
        } else {
            "dc:contributor"
        };
        out.push_str(&format!(
            "<{element} id=\"{id}\">{}</{element}>\n    \
             <meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">{}</meta>\n    ",
            escape(person.name.trim()),
            escape(&person.role),
        ));
        if let Some(sort) = person.file_as.as_deref().filter(|s| !s.trim().is_empty()) {
            out.push_str(&format!(
                "<meta refines=\"#{id}\" property=\"file-as\">{}</meta>\n    ",
                escape(sort.trim())
            ));
        }
    }
    out
}

/// Language on `<html>`, the `doc-toc` role the toc's `epub:type` implies, and a hidden,
/// landmarks list labelled in the book's language.
fn patch_navigation(nav: String, language: &str, strings: &Strings) -> Result<String, EpubError> {
    let lang = escape(language);
    let html =
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"";
    let nav = replace_once(
        &nav,
        html,
        &format!("{html} xml:lang=\"{lang}\" lang=\"{lang}\""),
    )?;
    // The cover page has a landmark (epub-builder gives one only to a titled page, which it
    // then lists in the contents too): it is no entry of the contents.
    let cover_entry = format!(
        "<li><a href=\"{}\">{}</a></li>",
        super::pages::COVER_FILE,
        escape(strings.get("cover"))
    );
    let nav = nav.replacen(&cover_entry, "", 1);
    let nav = replace_once(
        &nav,
        "<nav epub:type = \"toc\" id=\"toc\">",
        "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">",
    )?;
    replace_once(
        &nav,
        "<nav epub:type = \"landmarks\">",
        &format!(
            "<nav epub:type=\"landmarks\" aria-label=\"{}\" hidden=\"hidden\">",
            escape(strings.get("landmarks"))
        ),
    )
}

/// The page list in the navigation document; the contents' page markers in the contents page.
fn patch_page_list(
    nav: String,
    name: &str,
    pages: &PageMarkers,
    strings: &Strings,
) -> Result<String, EpubError> {
    if name == "OEBPS/nav.xhtml" {
        let list = pages.nav(strings.get("pages"));
        replace_once(&nav, "</body>", &format!("{list}</body>"))
    } else {
        // Each marker before the entry its page begins with, else at the start.
        let mut nav = nav;
        for (href, marker) in &pages.contents {
            let entry = href
                .as_ref()
                .and_then(|h| nav.find(&format!("<a href=\"{}\"", escape(h))));
            let at = match entry {
                Some(at) => at,
                None => nav
                    .find("<body")
                    .and_then(|s| nav[s..].find('>').map(|e| s + e + 1))
                    .ok_or_else(|| EpubError::Finishing(format!("{name} has no <body>")))?,
            };
            nav.insert_str(at, &marker.xhtml());
        }
        Ok(nav)
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the W3C date forms EPUBCheck accepts without a warning;
/// anything else is left out of the package rather than written wrongly).
fn is_w3c_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    let in_range = |s: &str, max: u32| s.parse::<u32>().is_ok_and(|v| (1..=max).contains(&v));
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && in_range(m, 12),
        [y, m, d] => {
            digits(y, 4) && digits(m, 2) && digits(d, 2) && in_range(m, 12) && in_range(d, 31)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w3c_dates() {
        for good in ["2025", "2025-05", "2025-05-12"] {
            assert!(is_w3c_date(good), "{good}");
        }
        for bad in [
            "25",
            "2025-13",
            "2025-5-1",
            "May 2025",
            "2025-05-12T10:00",
            "",
        ] {
            assert!(!is_w3c_date(bad), "{bad}");
        }
    }

    #[test]
    fn missing_anchor_is_an_error() {
        let strings = Strings::new("en", &Default::default());
        assert!(patch_navigation("<html>".to_string(), "en", &strings).is_err());
    }
}
