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
}

/// Reads mdBook's SUMMARY.md: links before the first list are prefix chapters (front matter),
/// links in lists are numbered chapters (body), links after them are suffix chapters (back
/// matter). Draft chapters (`[Title]()`) and external links are skipped.
pub fn parse_summary(text: &str) -> Vec<SummaryEntry> {
    let mut entries = Vec::new();
    let mut list_depth = 0usize;
    let mut seen_list = false;
    let mut current: Option<(String, String, usize)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                seen_list = true;
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let line = text[..range.start].matches('\n').count() + 1;
                current = Some((dest_url.to_string(), String::new(), line));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title, _)) = current.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some((dest, title, line)) = current.take() {
                    let dest = dest.split('#').next().unwrap_or("").to_string();
                    if dest.is_empty() || dest.contains("://") {
                        continue;
                    }
                    let matter = if list_depth > 0 {
                        Matter::Body
                    } else if seen_list {
                        Matter::Back
                    } else {
                        Matter::Front
                    };
                    entries.push(SummaryEntry {
                        path: PathBuf::from(percent_decode(&dest)),
                        title,
                        matter,
                        line,
                    });
                }
            }
            _ => {}
        }
    }
    entries
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
    }
}
