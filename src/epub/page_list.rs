//! The print edition's page numbers in the EPUB (EPUB 3.3 §7.4.1.3, EPUB Accessibility 1.1):
//! a `pagebreak` marker where each printed page begins, the `page-list` nav that lists them,
//! and the metadata that says which edition they come from, all from a [`PageMap`] the build
//! made of the typeset pages. Without one the EPUB has none of these.

use std::collections::{HashSet, VecDeque};

use crate::model::pages::{ChapterPlace, PageMap, PagePlace};
use crate::model::Chapter;

use super::xml::{escape, xml_id};

/// The visible contents page epub-builder writes (`inline_toc`).
pub const CONTENTS_FILE: &str = "toc.xhtml";

/// One page's marker: its number and the id it has in its file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Marker {
    pub label: String,
    pub id: String,
}

impl Marker {
    /// The marker as XHTML: an empty, labelled page break (readers show nothing).
    pub fn xhtml(&self) -> String {
        format!(
            "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{}\" aria-label=\"{}\"/>",
            escape(&self.id),
            escape(&self.label)
        )
    }
}

/// The markers of one chapter, in reading order, each with where it goes.
pub type ChapterMarkers = Vec<(ChapterPlace, Marker)>;

/// Every marker of the book, by the file it goes in, and the page list.
#[derive(Debug, Default)]
pub struct PageMarkers {
    /// `chapters[i]`: the markers of `Book::chapters[i]`.
    pub chapters: Vec<ChapterMarkers>,
    pub title_page: Vec<Marker>,
    pub copyright: Vec<Marker>,
    /// With the href of the entry they stand before (`None`: the contents' start).
    pub contents: Vec<(Option<String>, Marker)>,
    /// `parts[k]`: the markers of the title page of `Book::parts[k]`.
    pub parts: Vec<Vec<Marker>>,
    /// (href from the package root, label) of every page, in order.
    entries: Vec<(String, String)>,
    edition: String,
}

impl PageMarkers {
    /// The markers for `map`: ids `page-N`, made unique in each file (a heading may already
    /// be called `page-12`). `chapter_files[i]` is the path of chapter `i` in the package.
    pub fn new(
        map: &PageMap,
        chapters: &[Chapter],
        chapter_files: &[String],
        parts: usize,
    ) -> PageMarkers {
        let mut out = PageMarkers {
            chapters: vec![Vec::new(); chapters.len()],
            parts: vec![Vec::new(); parts],
            edition: map.edition.clone(),
            ..PageMarkers::default()
        };
        // Ids already used, per file: a chapter's headings, raw HTML and section.
        let mut taken: Vec<HashSet<String>> = chapters.iter().map(chapter_ids).collect();
        let mut taken_elsewhere: std::collections::HashMap<String, HashSet<String>> =
            Default::default();
        for page in &map.pages {
            let base = format!("page-{}", xml_id_part(&page.label));
            let (file, ids) = match &page.place {
                PagePlace::Text { chapter, .. } | PagePlace::ChapterEnd(chapter) => {
                    match (chapter_files.get(*chapter), taken.get_mut(*chapter)) {
                        (Some(file), Some(ids)) => (file.clone(), ids),
                        _ => continue,
                    }
                }
                other => {
                    let file = match other {
                        PagePlace::TitlePage => super::pages::TITLE_PAGE_FILE.to_string(),
                        PagePlace::Copyright => super::pages::COPYRIGHT_FILE.to_string(),
                        PagePlace::Contents
                        | PagePlace::ContentsChapter(_)
                        | PagePlace::ContentsPart(_) => CONTENTS_FILE.to_string(),
                        PagePlace::Part(k) if *k < parts => super::parts::part_path(*k),
                        _ => continue,
                    };
                    (file.clone(), taken_elsewhere.entry(file).or_default())
                }
            };
            let mut id = base.clone();
            let mut n = 1;
            while !ids.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            let marker = Marker {
                label: page.label.clone(),
                id,
            };
            out.entries
                .push((format!("{file}#{}", marker.id), page.label.clone()));
            match &page.place {
                PagePlace::Text { chapter, at } => {
                    out.chapters[*chapter].push((ChapterPlace::At(at.clone()), marker))
                }
                PagePlace::ChapterEnd(chapter) => {
                    out.chapters[*chapter].push((ChapterPlace::End, marker))
                }
                PagePlace::TitlePage => out.title_page.push(marker),
                PagePlace::Copyright => out.copyright.push(marker),
                PagePlace::Contents => out.contents.push((None, marker)),
                PagePlace::ContentsChapter(c) => {
                    let href = chapter_files.get(*c).cloned();
                    out.contents.push((href, marker))
                }
                PagePlace::ContentsPart(k) => out
                    .contents
                    .push((Some(super::parts::part_path(*k)), marker)),
                PagePlace::Part(k) => out.parts[*k].push(marker),
            }
        }
        // In reading order within each chapter; pages that begin at one place keep theirs.
        for markers in &mut out.chapters {
            markers.sort_by(|a, b| a.0.cmp(&b.0));
        }
        out
    }

    /// The `page-list` nav, for the navigation document; `label` names it for assistive
    /// technology (it is not shown).
    pub fn nav(&self, label: &str) -> String {
        let mut nav = format!(
            "<nav epub:type=\"page-list\" role=\"doc-pagelist\" aria-label=\"{}\" hidden=\"hidden\">\n<ol>\n",
            super::xml::escape(label)
        );
        for (href, label) in &self.entries {
            nav.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>\n",
                escape(href),
                escape(label)
            ));
        }
        nav.push_str("</ol>\n</nav>\n");
        nav
    }

    /// The package metadata: which edition the page numbers are from (EPUBCheck 5.3 knows
    /// `pageBreakSource`; Ace and older reading systems read `dc:source`).
    pub fn package_metadata(&self) -> String {
        let edition = escape(&self.edition);
        format!(
            "<dc:source id=\"print-source\">{edition}</dc:source>\n    \
             <meta property=\"pageBreakSource\">{edition}</meta>\n    "
        )
    }

    /// The accessibility features the page list gives.
    pub fn features() -> &'static [&'static str] {
        &["printPageNumbers", "pageBreakMarkers", "pageNavigation"]
    }

    /// Whether the book has any page to list.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Puts `markers` at the start of the first `<section>` of a page quire writes (title page,
/// copyright page, part title page).
pub fn mark_page(page: String, markers: &[Marker]) -> String {
    if markers.is_empty() {
        return page;
    }
    let at = page
        .find("<section")
        .and_then(|s| page[s..].find('>').map(|e| s + e + 1))
        .or_else(|| {
            page.find("<body")
                .and_then(|s| page[s..].find('>').map(|e| s + e + 1))
        });
    let Some(at) = at else {
        return page;
    };
    let marks: String = markers.iter().map(Marker::xhtml).collect();
    format!("{}\n{marks}{}", &page[..at], &page[at..])
}

/// The label as it may stand in an id (`12`, `iv`; anything else reduced to letters and
/// digits).
fn xml_id_part(label: &str) -> String {
    let s: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if s.is_empty() {
        "x".into()
    } else {
        s
    }
}

/// The ids a chapter's document holds before any marker: its section, headings, raw HTML.
fn chapter_ids(chapter: &Chapter) -> HashSet<String> {
    let mut ids: HashSet<String> = chapter.sections().iter().map(|h| xml_id(&h.id)).collect();
    ids.extend(crate::model::visit::chapter_raw_ids(chapter));
    ids.insert(xml_id(&chapter.id));
    ids
}

/// The markers still to write in a chapter, taken in reading order as the writer reaches
/// their places.
#[derive(Debug, Default)]
pub struct Pending {
    markers: VecDeque<(ChapterPlace, Marker)>,
}

impl Pending {
    pub fn new(markers: &[(ChapterPlace, Marker)]) -> Pending {
        Pending {
            markers: markers.iter().cloned().collect(),
        }
    }

    /// The markers before `place` (and at it, when `inclusive`), taken out, as XHTML.
    pub fn take_until(&mut self, place: &ChapterPlace, inclusive: bool) -> String {
        let mut out = String::new();
        while let Some((p, m)) = self.markers.front() {
            let due = if inclusive { p <= place } else { p < place };
            if !due {
                break;
            }
            out.push_str(&m.xhtml());
            self.markers.pop_front();
        }
        out
    }

    /// The offset of the next marker, if it stands in the running text of the block at
    /// `path` before character `end`.
    pub fn next_in(&self, path: &[usize], end: usize) -> Option<usize> {
        match self.markers.front() {
            Some((ChapterPlace::At(at), _)) if at.path == path && at.offset < end => {
                Some(at.offset)
            }
            _ => None,
        }
    }

    /// The next marker, taken out, as XHTML.
    pub fn take_next(&mut self) -> String {
        self.markers
            .pop_front()
            .map(|(_, m)| m.xhtml())
            .unwrap_or_default()
    }
}

/// Where in `text` (a piece of a block's running text) a marker for character `k` goes, in
/// bytes: at the start of the word that holds it (a page may begin inside a word its last
/// line hyphenated) or after the hyphen or dash in it the page begins after, or at the next
/// word when `k` is a space.
pub fn word_start(text: &str, k: usize) -> usize {
    let mut at = text.char_indices().nth(k).map_or(text.len(), |c| c.0);
    while let Some(c) = text[at..].chars().next().filter(|c| c.is_whitespace()) {
        at += c.len_utf8();
    }
    let breaks_after =
        |c: char| c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2013}' | '\u{2014}');
    let mut start = at;
    for (looked, (i, c)) in text[..at].char_indices().rev().enumerate() {
        if breaks_after(c) {
            return start;
        }
        if looked == LONGEST_WORD {
            return at;
        }
        start = i;
    }
    start
}

/// How far back a marker looks for the start of its word: a page that begins inside a longer
/// run (a URL, a word of thousands of letters) is marked where it begins, so that a marker
/// costs what a page holds, not what the run does.
const LONGEST_WORD: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_go_at_the_start_of_words() {
        assert_eq!(word_start("It is a truth", 6), 6);
        assert_eq!(word_start("It is a truth", 9), 8);
        assert_eq!(word_start("It is a truth", 5), 6);
        assert_eq!(word_start("It is a truth", 0), 0);
        assert_eq!(word_start("wonderful", 3), 0);
        assert_eq!(word_start("caf\u{e9} noir", 6), 6);
        assert_eq!(word_start("end ", 3), 4);
        let run = "x".repeat(1000);
        assert_eq!(word_start(&run, 500), 500);
        assert_eq!(word_start(&run, 40), 0);
        assert_eq!(word_start("well-known", 5), 5);
        assert_eq!(word_start("said\u{2014}and", 7), 7);
        assert_eq!(word_start("well-known", 7), 5);
    }

    fn marker(label: &str) -> Marker {
        Marker {
            label: label.into(),
            id: format!("page-{label}"),
        }
    }

    fn at(path: &[usize], offset: usize) -> ChapterPlace {
        ChapterPlace::At(crate::model::pages::TextPosition {
            path: path.to_vec(),
            offset,
        })
    }

    #[test]
    fn chapter_markers_stand_where_their_pages_begin() {
        use crate::model::{Block, Heading, Inline, Matter};
        let t = |s: &str| Inline::Text(s.into());
        let chapter = Chapter {
            id: "c".into(),
            title: Some(vec![t("Title")]),
            matter: Matter::Body,
            source: "c.md".into(),
            blocks: vec![
                Block::Paragraph(vec![
                    t("It is a "),
                    Inline::Emphasis(vec![t("truth")]),
                    Inline::SoftBreak,
                    t("universally well-known"),
                ]),
                Block::Heading(Heading {
                    level: 2,
                    id: "h".into(),
                    content: vec![t("Head")],
                }),
                Block::BlockQuote(vec![Block::Paragraph(vec![t("quoted words")])]),
            ],
            notes: vec![],
            level: 1,
        };
        let markers = vec![
            (at(&[], 0), marker("1")),
            (at(&[0], 10), marker("2")),
            (at(&[0], 16), marker("3")),
            (at(&[0], 31), marker("4")),
            (at(&[1], 0), marker("5")),
            (at(&[2, 0], 7), marker("6")),
            (ChapterPlace::End, marker("7")),
        ];
        let mut index = super::super::xhtml::LinkIndex::default();
        index.add(&chapter, "c.xhtml".into());
        let (html, _) = super::super::xhtml::chapter_document_with_stats(
            &chapter, "Title", &index, "en", "s.css", &markers,
        );
        let m = |l: &str| marker(l).xhtml();
        for expected in [
            format!("{}<h1>Title</h1>", m("1")),
            format!("<p>It is a <em>{}truth</em>", m("2")),
            format!("\n{}universally", m("3")),
            format!("well-{}known</p>", m("4")),
            format!("{}<h2 id=\"h\">Head</h2>", m("5")),
            format!("<p>quoted {}words</p>", m("6")),
            format!("</blockquote>\n{}\n</section>", m("7")),
        ] {
            assert!(html.contains(&expected), "{expected}\nin\n{html}");
        }
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        roxmltree::Document::parse_with_options(&html, options).expect("well-formed");
    }

    #[test]
    fn pages_of_quire_get_their_markers_first_in_the_section() {
        let page = "<body>\n<section class=\"x\">\n<h1>T</h1>".to_string();
        let m = Marker {
            label: "i".into(),
            id: "page-i".into(),
        };
        assert_eq!(
            mark_page(page, &[m]),
            "<body>\n<section class=\"x\">\n<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-i\" aria-label=\"i\"/>\n<h1>T</h1>"
        );
    }
}
