//! Helpers for the Markdown tests (`tests/md_*.rs`): build a manuscript into an EPUB in
//! memory, unpack it, and check its XHTML as XML.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::Path;

pub const XHTML: &str = "http://www.w3.org/1999/xhtml";
pub const OPS: &str = "http://www.idpf.org/2007/ops";
pub const OPF: &str = "http://www.idpf.org/2007/opf";

/// Parses XHTML as XML (the `<!DOCTYPE html>` allowed).
pub fn parse(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("not XML: {e}"))
}

/// An unpacked EPUB: entry name -> bytes.
pub struct Epub {
    pub bytes: Vec<u8>,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Epub {
    pub fn build(manuscript: &Path) -> (Epub, Vec<String>) {
        let (book, settings, warnings) = quire::read_manuscript(manuscript).expect("reads");
        let bytes = quire::epub::write_epub(&book, &settings).expect("writes");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let mut files = BTreeMap::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            files.insert(entry.name().to_string(), data);
        }
        let warnings = warnings.iter().map(|w| w.to_string()).collect();
        (Epub { bytes, files }, warnings)
    }

    pub fn text(&self, name: &str) -> &str {
        std::str::from_utf8(self.files.get(name).unwrap_or_else(|| panic!("no {name}"))).unwrap()
    }

    /// Manifest items: href (relative to OEBPS) -> media type.
    pub fn manifest(&self) -> BTreeMap<String, String> {
        let opf = roxmltree::Document::parse(self.text("OEBPS/content.opf")).unwrap();
        opf.descendants()
            .filter(|n| n.has_tag_name((OPF, "item")))
            .map(|n| {
                (
                    n.attribute("href").unwrap().to_string(),
                    n.attribute("media-type").unwrap().to_string(),
                )
            })
            .collect()
    }

    /// The chapter documents (entry names under OEBPS/text/).
    pub fn chapters(&self) -> Vec<String> {
        self.files
            .keys()
            .filter(|k| k.starts_with("OEBPS/text/") && k.ends_with(".xhtml"))
            .cloned()
            .collect()
    }

    /// Ids of each XHTML document of the package.
    pub fn ids(&self) -> BTreeMap<String, HashSet<String>> {
        self.files
            .keys()
            .filter(|k| k.ends_with(".xhtml"))
            .map(|k| {
                let doc = parse(self.text(k));
                let ids = doc
                    .descendants()
                    .filter_map(|n| n.attribute("id"))
                    .map(String::from)
                    .collect();
                (k.clone(), ids)
            })
            .collect()
    }
}

/// `../images/a.png` seen from `OEBPS/text/x.xhtml` -> `OEBPS/images/a.png`.
pub fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for p in href.split('/') {
        match p {
            ".." => {
                parts.pop();
            }
            "." => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Every internal link of every document points at an existing file and id.
pub fn assert_links_resolve(epub: &Epub) -> usize {
    let ids = epub.ids();
    let mut checked = 0;
    for name in epub.chapters() {
        let doc = parse(epub.text(&name));
        for a in doc.descendants().filter(|n| n.has_tag_name((XHTML, "a"))) {
            let Some(href) = a.attribute("href") else {
                continue;
            };
            if href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = href.split_once('#').unwrap_or((href, ""));
            let target = if file.is_empty() {
                name.clone()
            } else {
                resolve(&name, file)
            };
            let target_ids = ids
                .get(&target)
                .unwrap_or_else(|| panic!("{name}: link to missing file {href}"));
            assert!(
                fragment.is_empty() || target_ids.contains(fragment),
                "{name}: link {href}: no id `{fragment}` in {target}"
            );
            checked += 1;
        }
    }
    checked
}
