//! Chapter order: `SUMMARY.md` (mdBook's format), else a `chapters` list, else natural file order.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::model::Matter;

/// One chapter file named by `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryEntry {
    /// Relative to the folder that holds SUMMARY.md.
    pub path: PathBuf,
    /// The title SUMMARY.md gives it (used when the file has no heading of its own).
    pub title: String,
    pub matter: Matter,
    /// 1-based line in SUMMARY.md, for diagnostics.
    pub line: usize,
    /// Nesting in SUMMARY.md: 1 for a top-level item (and for prefix and suffix chapters),
    /// 2 for an item nested under it, and so on. Chapters nested under a draft take the
    /// draft's place (and level).
    pub level: u8,
    /// The part (`# Part title` heading) it belongs to: an index into [`Summary::parts`].
    pub part: Option<usize>,
}

/// A part title of SUMMARY.md (`# Part 1: guide`): it heads the numbered chapters after it.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryPart {
    pub title: String,
    /// 1-based line in SUMMARY.md.
    pub line: usize,
}

/// An item of SUMMARY.md that is not a chapter of the book: a draft (`[Title]()`), or a
/// link out of the book.
#[derive(Debug, Clone, PartialEq)]
pub struct SummarySkip {
    pub title: String,
    pub line: usize,
    pub external: Option<String>,
}

/// SUMMARY.md as mdBook reads it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    /// The heading that opens the file (`# Summary`), if any: never a part.
    pub title: Option<String>,
    pub entries: Vec<SummaryEntry>,
    pub parts: Vec<SummaryPart>,
    pub skipped: Vec<SummarySkip>,
}

/// Reads mdBook's SUMMARY.md: links before the first list are prefix chapters (front matter),
/// links in lists are numbered chapters (body), links after them are suffix chapters (back
/// matter). Draft chapters (`[Title]()`) and external links are skipped.
pub fn parse_summary(text: &str) -> Vec<SummaryEntry> {
    read_summary(text).entries
}

/// Reads SUMMARY.md with its structure: the title heading, part titles (`#` headings after
/// it), nesting, and the items that are not chapters (drafts, external links), as mdBook's
/// `summary.rs` does.
pub fn read_summary(text: &str) -> Summary {
    let mut summary = Summary::default();
    let mut list_depth = 0usize;
    let mut seen_list = false;
    let mut seen_anything = false;
    let mut current: Option<(String, String, usize)> = None;
    let mut heading: Option<(String, usize)> = None;
    // Levels (SUMMARY.md depth) of the chapters that may take nested ones: a stack, so that
    // a chapter nested under a draft nests under the nearest real chapter instead.
    let mut open: Vec<(usize, u8)> = Vec::new();
    let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                seen_list = true;
                seen_anything = true;
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Heading { level, .. }) => {
                heading = (level == pulldown_cmark::HeadingLevel::H1)
                    .then(|| (String::new(), line_of(range.start)));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((title, line)) = heading.take() {
                    let title = title.trim().to_string();
                    if !seen_anything && summary.title.is_none() {
                        summary.title = Some(title);
                    } else if list_depth == 0 {
                        // A part heads the numbered chapters that follow it.
                        summary.parts.push(SummaryPart { title, line });
                        seen_list = true;
                        open.clear();
                    }
                }
                seen_anything = true;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                seen_anything = true;
                current = Some((dest_url.to_string(), String::new(), line_of(range.start)));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title, _)) = current.as_mut() {
                    title.push_str(&t);
                } else if let Some((title, _)) = heading.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some((dest, title, line)) = current.take() {
                    let dest = dest.split('#').next().unwrap_or("").to_string();
                    if dest.is_empty() || dest.contains("://") {
                        // What is nested under it takes its place.
                        if list_depth > 0 {
                            let depth = list_depth;
                            while open.last().is_some_and(|&(d, _)| d >= depth) {
                                open.pop();
                            }
                            let parent = open.last().map_or(0, |&(_, l)| l);
                            open.push((depth, parent));
                        }
                        summary.skipped.push(SummarySkip {
                            title,
                            line,
                            external: (!dest.is_empty()).then_some(dest),
                        });
                        continue;
                    }
                    let depth = list_depth.max(1);
                    while open.last().is_some_and(|&(d, _)| d >= depth) {
                        open.pop();
                    }
                    let level = if list_depth == 0 {
                        1
                    } else {
                        open.last().map_or(1, |&(_, l)| l.saturating_add(1))
                    };
                    let matter = if list_depth > 0 {
                        Matter::Body
                    } else if seen_list {
                        Matter::Back
                    } else {
                        Matter::Front
                    };
                    if list_depth > 0 {
                        open.push((depth, level));
                    }
                    let part = match matter {
                        Matter::Body => summary.parts.len().checked_sub(1),
                        _ => None,
                    };
                    summary.entries.push(SummaryEntry {
                        path: PathBuf::from(percent_decode(&dest)),
                        title,
                        matter,
                        line,
                        level,
                        part,
                    });
                }
            }
            _ => {}
        }
    }
    summary
}

/// Decodes `%20`-style escapes in a link path (mdBook allows them).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Compares file names the way people count: `ch2` before `ch10`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut a = a.chars().peekable();
    let mut b = b.chars().peekable();
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let na = take_number(&mut a);
                let nb = take_number(&mut b);
                // Compare by value, then by length so that `07` and `7` order stably.
                let by_value = na
                    .trim_start_matches('0')
                    .len()
                    .cmp(&nb.trim_start_matches('0').len())
                    .then_with(|| na.trim_start_matches('0').cmp(nb.trim_start_matches('0')))
                    .then_with(|| na.len().cmp(&nb.len()));
                if by_value != Ordering::Equal {
                    return by_value;
                }
            }
            (Some(x), Some(y)) => {
                let ord = x.to_lowercase().cmp(y.to_lowercase()).then(x.cmp(&y));
                if ord != Ordering::Equal {
                    return ord;
                }
                a.next();
                b.next();
            }
        }
    }
}

fn take_number(it: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut s = String::new();
    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
        s.push(c);
        it.next();
    }
    s
}

/// Markdown chapter files in `dir`, in natural order. SUMMARY.md is an index, not a chapter.
/// Symbolic links to files count (the reader refuses those that lead out of the manuscript).
pub fn markdown_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let is_md = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        let name = entry.file_name().to_string_lossy().to_string();
        if is_md && path.is_file() && name != "SUMMARY.md" {
            files.push(path);
        }
    }
    files.sort_by(|a, b| natural_cmp(&a.to_string_lossy(), &b.to_string_lossy()));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_counts_numbers() {
        let mut names = vec!["ch10.md", "ch2.md", "ch1.md", "appendix.md", "ch02b.md"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["appendix.md", "ch1.md", "ch2.md", "ch02b.md", "ch10.md"]
        );
    }

    #[test]
    fn summary_gives_order_and_matter() {
        let text = "# Summary\n\n[Preface](preface.md)\n\n- [One](ch1.md)\n  - [One A](ch1a.md)\n- [Draft]()\n- [Two](ch%202.md)\n\n---\n\n[Notes](notes.md)\n";
        let e = parse_summary(text);
        let paths: Vec<_> = e
            .iter()
            .map(|e| e.path.to_string_lossy().to_string())
            .collect();
        assert_eq!(
            paths,
            ["preface.md", "ch1.md", "ch1a.md", "ch 2.md", "notes.md"]
        );
        assert_eq!(e[0].matter, Matter::Front);
        assert_eq!(e[1].matter, Matter::Body);
        assert_eq!(e[4].matter, Matter::Back);
        assert_eq!(e[1].title, "One");
        assert_eq!(e[1].line, 5);
        assert_eq!(
            e.iter().map(|e| e.level).collect::<Vec<_>>(),
            [1, 1, 2, 1, 1]
        );
    }

    #[test]
    fn summary_gives_parts_nesting_and_drafts() {
        let text = "# Table of Contents\n\n[Intro](intro.md)\n\n- [Nav](nav.md)\n  - [FAQ]()\n\n# Part 1: guide\n\n- [A](a.md)\n  - [A1](a1.md)\n    - [A1x](a1x.md)\n- [Draft]()\n  - [Orphan](orphan.md)\n\n# Part 2\n\n- [B](b.md)\n- [Out](https://example.com/)\n\n---\n\n[Thanks](thanks.md)\n";
        let s = read_summary(text);
        assert_eq!(s.title.as_deref(), Some("Table of Contents"));
        let titles: Vec<_> = s.parts.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["Part 1: guide", "Part 2"]);
        assert_eq!(s.parts[0].line, 8);
        let got: Vec<_> = s
            .entries
            .iter()
            .map(|e| (e.title.as_str(), e.level, e.part, e.matter))
            .collect();
        assert_eq!(
            got,
            [
                ("Intro", 1, None, Matter::Front),
                ("Nav", 1, None, Matter::Body),
                ("A", 1, Some(0), Matter::Body),
                ("A1", 2, Some(0), Matter::Body),
                ("A1x", 3, Some(0), Matter::Body),
                // Its parent is a draft: it takes the draft's place.
                ("Orphan", 1, Some(0), Matter::Body),
                ("B", 1, Some(1), Matter::Body),
                ("Thanks", 1, None, Matter::Back),
            ]
        );
        let skipped: Vec<_> = s
            .skipped
            .iter()
            .map(|k| (k.title.as_str(), k.line))
            .collect();
        assert_eq!(skipped, [("FAQ", 6), ("Draft", 13), ("Out", 19)]);
        assert_eq!(
            s.skipped[2].external.as_deref(),
            Some("https://example.com/")
        );
    }
}
