//! Link resolution: every `Inline::Link` leaves here External, Internal or Unresolved (with a
//! warning naming the file and line).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::convert::Parsed;
use crate::diagnostic::{Location, Warning};
use crate::model::{Block, Book, Inline, LinkTarget};
use crate::project::order::percent_decode;
use crate::project::Project;

/// URI schemes never written into a book: they run code or smuggle content.
const FORBIDDEN_SCHEMES: &[&str] = &["javascript", "data", "vbscript", "file"];

/// Extensions a link to another chapter may carry (`ch02.md`, mdBook's `ch02.html`, ...).
const CHAPTER_EXTENSIONS: &[&str] = &["md", "markdown", "html", "htm", "xhtml"];

struct Index {
    /// Heading or chapter id -> chapter id.
    ids: HashMap<String, String>,
    /// Source path without extension -> id of the first chapter made from it.
    files: HashMap<PathBuf, String>,
    /// Chapter id -> key of its source file.
    chapter_file: HashMap<String, PathBuf>,
}

pub fn resolve(book: &mut Book, project: &Project, parsed: &[Parsed], warnings: &mut Vec<Warning>) {
    let mut index = Index {
        ids: HashMap::new(),
        files: HashMap::new(),
        chapter_file: HashMap::new(),
    };
    for c in &book.chapters {
        let key = file_key(&c.source);
        index
            .files
            .entry(key.clone())
            .or_insert_with(|| c.id.clone());
        index.chapter_file.insert(c.id.clone(), key);
        index.ids.insert(c.id.clone(), c.id.clone());
        for h in c.sections() {
            index.ids.insert(h.id.clone(), c.id.clone());
        }
    }
    // Lines of each link destination per source file, for diagnostics.
    let mut lines: HashMap<(PathBuf, &str), Vec<(usize, usize)>> = HashMap::new();
    for (source, p) in project.sources.iter().zip(parsed) {
        for (dest, line, column) in &p.links {
            lines
                .entry((source.path.clone(), dest.as_str()))
                .or_default()
                .push((*line, *column));
        }
    }

    let mut reported: std::collections::HashSet<(PathBuf, String)> = Default::default();
    for chapter in &mut book.chapters {
        let source = chapter.source.clone();
        let mut visit = |i: &mut Inline| {
            if let Inline::Link { target, .. } = i {
                if let LinkTarget::Unresolved(raw) = target {
                    match resolve_one(raw, &source, &index) {
                        Ok(t) => *target = t,
                        Err(why) => {
                            if reported.insert((source.clone(), raw.clone())) {
                                let at = lines
                                    .get(&(source.clone(), raw.as_str()))
                                    .cloned()
                                    .unwrap_or_default();
                                if at.is_empty() {
                                    warnings.push(Warning {
                                        location: Location::file(&source),
                                        message: why.clone(),
                                    });
                                }
                                for (line, column) in at {
                                    warnings.push(Warning {
                                        location: Location::at(&source, line, column),
                                        message: why.clone(),
                                    });
                                }
                            }
                        }
                    }
                }
            }
        };
        for b in chapter.blocks.iter_mut() {
            b.visit_inlines_mut(&mut visit);
        }
        for n in chapter.notes.iter_mut() {
            n.blocks
                .iter_mut()
                .for_each(|b: &mut Block| b.visit_inlines_mut(&mut visit));
        }
    }
}

fn resolve_one(raw: &str, source: &Path, index: &Index) -> Result<LinkTarget, String> {
    let raw = raw.trim();
    if let Some(scheme) = scheme(raw) {
        if FORBIDDEN_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
            return Err(format!(
                "`{scheme}:` links are not allowed in a book; the link is set as plain text"
            ));
        }
        return Ok(LinkTarget::External(raw.to_string()));
    }
    if raw.starts_with("//") {
        return Err(format!("link `{raw}` has no scheme: write `https:{raw}`"));
    }
    let (path, fragment) = match raw.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (raw, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let anchor = fragment.map(percent_decode).filter(|f| !f.is_empty());

    let chapter = if path.is_empty() {
        None
    } else {
        let target = normalize(
            &source
                .parent()
                .unwrap_or(Path::new(""))
                .join(percent_decode(path)),
        );
        let ext_ok = target
            .extension()
            .and_then(|e| e.to_str())
            .is_none_or(|e| CHAPTER_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        let found = if ext_ok {
            index.files.get(&file_key(&target))
        } else {
            None
        };
        match found {
            Some(c) => Some(c.clone()),
            None => return Err(format!("link to `{raw}`: no chapter file `{path}` in the book; the link is set as plain text")),
        }
    };

    match (chapter, anchor) {
        (Some(chapter), None) => Ok(LinkTarget::Internal {
            chapter,
            anchor: None,
        }),
        (chapter, Some(anchor)) => {
            let Some(owner) = index.ids.get(&anchor) else {
                return Err(format!("link to `{raw}`: there is no heading with the id `{anchor}`; the link is set as plain text"));
            };
            if let Some(ch) = &chapter {
                // In a split file several chapters share a source: accept any of them.
                if index.chapter_file.get(owner) != index.chapter_file.get(ch) {
                    return Err(format!(
                        "link to `{raw}`: `#{anchor}` is not in `{path}`; the link is set as plain text",
                        path = path
                    ));
                }
            }
            let anchor = if *owner == anchor { None } else { Some(anchor) };
            Ok(LinkTarget::Internal {
                chapter: owner.clone(),
                anchor,
            })
        }
        (None, None) => Err("empty link; the link is set as plain text".into()),
    }
}

/// The URI scheme of `s`, if it has one (`https`, `mailto`, ...).
fn scheme(s: &str) -> Option<&str> {
    let (scheme, _) = s.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && scheme.len() > 1
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// A path without its extension, `.` and `..` folded: the key chapter files are found by.
fn file_key(path: &Path) -> PathBuf {
    normalize(&path.with_extension(""))
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(scheme("https://x"), Some("https"));
        assert_eq!(scheme("mailto:a@b"), Some("mailto"));
        assert_eq!(scheme("ch01.md#x"), None);
        assert_eq!(scheme("c:/x"), None);
    }

    #[test]
    fn paths_normalize() {
        assert_eq!(
            file_key(Path::new("m/./src/../ch1.md")),
            PathBuf::from("m/ch1")
        );
    }
}
