//! Document-level structure printpdf cannot write, added to its lopdf document: the nested
//! outline, page labels, `/Lang`, viewer preferences, the Info dictionary and a stable `/ID`.

use std::collections::HashSet;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

use super::hash::Fnv;
use super::PdfError;
use crate::model::Metadata;
use crate::typeset::document::{Document, Numbering, OutlineEntry};

/// Finishes printpdf's document in place.
pub(crate) fn finish(
    pdf: &mut lopdf::Document,
    doc: &Document,
    metadata: &Metadata,
) -> Result<(), PdfError> {
    // /Lang and /DisplayDocTitle are PDF 1.4, /FontFile3 /OpenType 1.6; printpdf says 1.3.
    pdf.version = "1.7".into();
    let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    if pages.len() != doc.pages.len() {
        return Err(PdfError::Internal(format!(
            "printpdf wrote {} pages, expected {}",
            pages.len(),
            doc.pages.len()
        )));
    }

    let outlines = write_outline(pdf, &doc.outline, &pages)?;
    let labels = page_labels(doc);

    let catalog = pdf.catalog_mut()?;
    match outlines {
        Some(id) => {
            catalog.set("Outlines", Object::Reference(id));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => {
            catalog.remove(b"Outlines");
            catalog.set("PageMode", Object::Name(b"UseNone".to_vec()));
        }
    }
    if let Some(labels) = labels {
        catalog.set("PageLabels", labels);
    }
    if !metadata.language.is_empty() {
        catalog.set("Lang", text_string(&metadata.language));
    }
    catalog.set(
        "ViewerPreferences",
        Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))]),
    );

    // A fresh Info dictionary: printpdf's carries an empty /GTS_PDFXVersion (pdfinfo then
    // reports PDF/X) and 1970 dates.
    // Replaced in place, so the old one does not linger as an orphan object.
    match pdf.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => pdf.set_object(id, info_dict(metadata)),
        Err(_) => {
            let id = pdf.add_object(info_dict(metadata));
            pdf.trailer.set("Info", Object::Reference(id));
        }
    }
    prune(pdf);
    let id = file_id(pdf, metadata);
    pdf.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    Ok(())
}

/// Removes the objects nothing reaches from the trailer. lopdf's `prune_objects` does this
/// with a list searched for each reference, quadratic in the objects: 40,000 headings are
/// 40,000 outline entries, and it took most of the build.
fn prune(pdf: &mut lopdf::Document) {
    fn walk(object: &Object, seen: &mut HashSet<ObjectId>, todo: &mut Vec<ObjectId>) {
        match object {
            Object::Reference(id) if seen.insert(*id) => todo.push(*id),
            Object::Array(items) => items.iter().for_each(|o| walk(o, seen, todo)),
            Object::Dictionary(dict) => dict.iter().for_each(|(_, o)| walk(o, seen, todo)),
            Object::Stream(stream) => stream.dict.iter().for_each(|(_, o)| walk(o, seen, todo)),
            _ => {}
        }
    }
    let mut seen = HashSet::new();
    let mut todo = Vec::new();
    pdf.trailer
        .iter()
        .for_each(|(_, o)| walk(o, &mut seen, &mut todo));
    while let Some(id) = todo.pop() {
        if let Some(object) = pdf.objects.get(&id) {
            walk(object, &mut seen, &mut todo);
        }
    }
    pdf.objects.retain(|id, _| seen.contains(id));
}

/// Finishes a cover sheet (one page, no outline or labels): version, `/Lang`, Info, `/ID`.
pub(crate) fn finish_sheet(pdf: &mut lopdf::Document, metadata: &Metadata) -> Result<(), PdfError> {
    pdf.version = "1.7".into();
    if !metadata.language.is_empty() {
        pdf.catalog_mut()?
            .set("Lang", text_string(&metadata.language));
    }
    let info = pdf.add_object(info_dict(metadata));
    pdf.trailer.set("Info", Object::Reference(info));
    prune(pdf);
    let id = file_id(pdf, metadata);
    pdf.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    Ok(())
}

fn info_dict(m: &Metadata) -> Dictionary {
    let mut title = m.title.clone();
    if let Some(sub) = m.subtitle.as_deref().filter(|s| !s.is_empty()) {
        title = format!("{title}: {sub}");
    }
    let date = Object::String(
        m.modified
            .format("D:%Y%m%d%H%M%SZ")
            .to_string()
            .into_bytes(),
        StringFormat::Literal,
    );
    let mut info = Dictionary::new();
    info.set("Title", text_string(&title));
    if !m.authors.is_empty() {
        info.set("Author", text_string(&m.authors.join(", ")));
    }
    if let Some(desc) = m.description.as_deref().filter(|s| !s.is_empty()) {
        info.set("Subject", text_string(desc));
    }
    info.set("Creator", text_string("quire"));
    info.set(
        "Producer",
        text_string(&format!(
            "quire {} (printpdf, lopdf)",
            env!("CARGO_PKG_VERSION")
        )),
    );
    info.set("CreationDate", date.clone());
    info.set("ModDate", date);
    info
}

/// The outline tree; `None` when there is nothing to show.
fn write_outline(
    pdf: &mut lopdf::Document,
    entries: &[OutlineEntry],
    pages: &[ObjectId],
) -> Result<Option<ObjectId>, PdfError> {
    if entries.is_empty() {
        return Ok(None);
    }
    let root = pdf.new_object_id();
    let (first, last) = write_level(pdf, entries, root, pages)?;
    pdf.set_object(
        root,
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Outlines".to_vec())),
            ("First", Object::Reference(first)),
            ("Last", Object::Reference(last)),
            // Top-level entries are visible; their children start closed.
            ("Count", Object::Integer(entries.len() as i64)),
        ]),
    );
    Ok(Some(root))
}

/// Writes one level of siblings under `parent`; returns the first and last item ids.
fn write_level(
    pdf: &mut lopdf::Document,
    entries: &[OutlineEntry],
    parent: ObjectId,
    pages: &[ObjectId],
) -> Result<(ObjectId, ObjectId), PdfError> {
    let ids: Vec<ObjectId> = entries.iter().map(|_| pdf.new_object_id()).collect();
    for (i, entry) in entries.iter().enumerate() {
        let page = *pages
            .get(entry.position.page)
            .ok_or_else(|| PdfError::BadTarget {
                what: format!("outline entry {:?}", entry.title),
                page: entry.position.page,
                pages: pages.len(),
            })?;
        let mut item = Dictionary::from_iter(vec![
            ("Title", text_string(&entry.title)),
            ("Parent", Object::Reference(parent)),
            (
                "Dest",
                Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Integer(0),
                    Object::Real(entry.position.y),
                    Object::Null,
                ]),
            ),
        ]);
        if i > 0 {
            item.set("Prev", Object::Reference(ids[i - 1]));
        }
        if let Some(next) = ids.get(i + 1) {
            item.set("Next", Object::Reference(*next));
        }
        if !entry.children.is_empty() {
            let (first, last) = write_level(pdf, &entry.children, ids[i], pages)?;
            item.set("First", Object::Reference(first));
            item.set("Last", Object::Reference(last));
            // Negative: closed, with this many direct children when opened.
            item.set("Count", Object::Integer(-(entry.children.len() as i64)));
        }
        pdf.set_object(ids[i], item);
    }
    Ok((ids[0], ids[ids.len() - 1]))
}

/// `/PageLabels` number tree (a single flat `/Nums` array).
fn page_labels(doc: &Document) -> Option<Dictionary> {
    if doc.page_labels.is_empty() {
        return None;
    }
    let mut nums = Vec::new();
    for range in doc
        .page_labels
        .iter()
        .filter(|r| r.first_page < doc.pages.len())
    {
        let style: &[u8] = match range.numbering {
            Numbering::LowerRoman => b"r",
            Numbering::Arabic => b"D",
        };
        nums.push(Object::Integer(range.first_page as i64));
        nums.push(Object::Dictionary(Dictionary::from_iter(vec![
            ("S", Object::Name(style.to_vec())),
            ("St", Object::Integer(i64::from(range.start.max(1)))),
        ])));
    }
    Some(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]))
}

/// A PDF text string: plain when ASCII, otherwise UTF-16BE with a byte-order mark.
pub(crate) fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xfe, 0xff];
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// A file identifier derived from the book's identifier and every stream (page contents and
/// fonts), so it changes with the content and never with the clock.
fn file_id(pdf: &lopdf::Document, m: &Metadata) -> Vec<u8> {
    let mut a = Fnv::new();
    let mut b = Fnv::with_seed(0x0071_7569_7265);
    for h in [&mut a, &mut b] {
        h.write(m.identifier.as_bytes());
        h.write(&[0]);
    }
    // `objects` is a BTreeMap: a fixed order.
    for obj in pdf.objects.values() {
        if let Object::Stream(s) = obj {
            a.write(&s.content);
            b.write(&s.content);
        }
    }
    [a.finish(), b.finish()]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::document::PageLabelRange;

    #[test]
    fn text_strings_are_literal_or_utf16() {
        assert_eq!(
            text_string("Plain"),
            Object::String(b"Plain".to_vec(), StringFormat::Literal)
        );
        assert_eq!(
            text_string("é"),
            Object::String(vec![0xfe, 0xff, 0x00, 0xe9], StringFormat::Hexadecimal)
        );
    }

    #[test]
    fn labels_skip_ranges_past_the_end() {
        let doc = Document {
            width: 100.0,
            height: 100.0,
            pages: vec![Default::default(); 2],
            outline: vec![],
            page_labels: vec![
                PageLabelRange {
                    first_page: 0,
                    numbering: Numbering::LowerRoman,
                    start: 1,
                },
                PageLabelRange {
                    first_page: 5,
                    numbering: Numbering::Arabic,
                    start: 1,
                },
            ],
            ..Default::default()
        };
        let labels = page_labels(&doc).expect("labels");
        let nums = labels
            .get(b"Nums")
            .and_then(Object::as_array)
            .expect("Nums");
        assert_eq!(nums.len(), 2);
    }
}
