//! Link resolution: every `Inline::Link` leaves here External, Internal or Unresolved (with a
//! warning naming the file and line).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::convert::Parsed;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::visit;
use crate::model::{plain_text, Block, Book, Inline, LinkTarget};
use crate::project::include::normalize;
use crate::project::order::percent_decode;
use crate::project::Project;

/// URI schemes never written into a book: they run code or smuggle content.
const FORBIDDEN_SCHEMES: &[&str] = &["javascript", "data", "vbscript", "file"];

/// The URI schemes reading systems are expected to know: EPUBCheck 5's list (its
/// `URISchemes`, IANA's permanent schemes of RFC 4395's time), which warns (HTM-025) about a
/// link of any other. A link of another scheme is most often a typo (`hhttps:`), and a
/// reader cannot follow it either way, so it is set as plain text with a warning.
const READER_SCHEMES: &[&str] = &[
    "aaa",
    "aaas",
    "acap",
    "afs",
    "cap",
    "cid",
    "crid",
    "dav",
    "dict",
    "dns",
    "dtn",
    "fax",
    "ftp",
    "go",
    "gopher",
    "h323",
    "http",
    "https",
    "iax",
    "icap",
    "im",
    "imap",
    "info",
    "ipp",
    "irc",
    "iris",
    "iris.beep",
    "iris.lwz",
    "iris.xpc",
    "iris.xpcs",
    "ldap",
    "mailserver",
    "mailto",
    "mid",
    "modem",
    "msrp",
    "msrps",
    "mtqp",
    "mupdate",
    "news",
    "nfs",
    "nntp",
    "opaquelocktoken",
    "pack",
    "pop",
    "pres",
    "prospero",
    "rtsp",
    "service",
    "shttp",
    "sip",
    "sips",
    "snews",
    "snmp",
    "soap.beep",
    "soap.beeps",
    "tag",
    "tel",
    "telnet",
    "tftp",
    "thismessage",
    "tip",
    "tn3270",
    "tv",
    "urn",
    "vemmi",
    "videotex",
    "wais",
    "xmlrpc.beep",
    "xmlrpc.beeps",
    "xmpp",
    "z39.50r",
    "z39.50s",
];

/// Extensions a link to another chapter may carry (`ch02.md`, mdBook's `ch02.html`, ...).
const CHAPTER_EXTENSIONS: &[&str] = &["md", "markdown", "html", "htm", "xhtml"];

/// A place a link can land on: a chapter, and an id in it (`None`: its top).
type Place = (String, Option<String>);

#[derive(Default)]
struct Index {
    /// Every id in the book (chapter, heading, raw HTML `id`) -> where it is; the first wins.
    ids: HashMap<String, Place>,
    /// Source path without extension -> id of the first chapter made from it.
    files: HashMap<PathBuf, String>,
    /// Per source file: every name an author may use for a place in it -> the place. Names are
    /// quire's ids, the ids mdBook gives headings (unique per page: `summary`, `summary-1`),
    /// and the ids of raw HTML elements (`<a id="old-name"></a>`, kept for old links).
    anchors: HashMap<PathBuf, HashMap<String, Place>>,
    /// Where relative links that leave the book point (`link-base`), and the folder chapter
    /// paths are relative to.
    link_base: Option<(String, PathBuf)>,
}

pub fn resolve(
    book: &mut Book,
    project: &Project,
    parsed: &[Parsed],
    warnings: &mut Vec<Diagnostic>,
) {
    let mut index = Index {
        ids: HashMap::new(),
        files: HashMap::new(),
        anchors: HashMap::new(),
        link_base: project.config.link_base.clone().map(|base| {
            // The folder of the chapter files: mdBook's `src`, named or found.
            let dir = match &project.config.src {
                Some(src) => project.root.join(src),
                None if project.root.join("src").join("SUMMARY.md").is_file() => {
                    project.root.join("src")
                }
                None => project.root.clone(),
            };
            (base, normalize(&dir))
        }),
    };
    // mdBook's per-page id counters, per source file.
    let mut mdbook_seen: HashMap<PathBuf, HashMap<String, usize>> = HashMap::new();
    for c in &book.chapters {
        let key = file_key(&c.source);
        index
            .files
            .entry(key.clone())
            .or_insert_with(|| c.id.clone());
        let anchors = index.anchors.entry(key.clone()).or_default();
        let seen = mdbook_seen.entry(key).or_default();
        let top: Place = (c.id.clone(), None);
        index.ids.entry(c.id.clone()).or_insert_with(|| top.clone());
        anchors.entry(c.id.clone()).or_insert_with(|| top.clone());
        if let Some(title) = &c.title {
            let slug = mdbook_id(&plain_text(title), seen);
            anchors.entry(slug).or_insert_with(|| top.clone());
        }
        let note_blocks: Vec<Block> = c.notes.iter().flat_map(|n| n.blocks.clone()).collect();
        for h in c
            .sections()
            .into_iter()
            .chain(visit::headings(&note_blocks))
        {
            let place: Place = (c.id.clone(), Some(h.id.clone()));
            index
                .ids
                .entry(h.id.clone())
                .or_insert_with(|| place.clone());
            anchors.insert(h.id.clone(), place.clone());
            let slug = mdbook_id(&plain_text(&h.content), seen);
            anchors.entry(slug).or_insert(place);
        }
        for id in visit::chapter_raw_ids(c) {
            let place: Place = (c.id.clone(), Some(id.clone()));
            index.ids.entry(id.clone()).or_insert_with(|| place.clone());
            anchors.entry(id).or_insert(place);
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
        let chapter_id = chapter.id.clone();
        let mut visit = |i: &mut Inline| {
            if let Inline::Link { target, .. } = i {
                if let LinkTarget::Unresolved(raw) = target {
                    match resolve_one(raw, &source, &index, &chapter_id) {
                        Ok(t) => *target = t,
                        Err(why) => {
                            if reported.insert((source.clone(), raw.clone())) {
                                let at = lines
                                    .get(&(source.clone(), raw.as_str()))
                                    .cloned()
                                    .unwrap_or_default();
                                if at.is_empty() {
                                    warnings.push(Diagnostic::warning(
                                        Code::BrokenLink,
                                        Location::file(&source),
                                        why.clone(),
                                    ));
                                }
                                for (line, column) in at {
                                    warnings.push(Diagnostic::warning(
                                        Code::BrokenLink,
                                        Location::at(&source, line, column),
                                        why.clone(),
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        };
        visit::for_each_inline_mut(chapter, &mut visit);
        // Raw HTML's own links are resolved as its `content` is made, from the tree.
        let mut quiet = |raw: &str| resolve_one(raw, &source, &index, &chapter_id).ok();
        super::raw::lower_chapter(chapter, &mut quiet);
    }
}

fn resolve_one(
    raw: &str,
    source: &Path,
    index: &Index,
    current: &str,
) -> Result<LinkTarget, String> {
    let raw = raw.trim();
    if let Some(scheme) = scheme(raw) {
        if FORBIDDEN_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
            return Err(format!(
                "`{scheme}:` links are not allowed in a book; the link is set as plain text"
            ));
        }
        let lower = scheme.to_ascii_lowercase();
        if !READER_SCHEMES.contains(&lower.as_str()) {
            let guess = ["https", "http", "mailto", "ftp", "tel"]
                .into_iter()
                .find(|known| strsim::levenshtein(&lower, known) <= 2)
                .map(|known| format!(" (did you mean `{known}:`?)"))
                .unwrap_or_default();
            return Err(format!(
                "`{scheme}:` is not a link scheme reading systems know{guess}; the link is set as plain text"
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
    let source_key = file_key(source);

    let file = if path.is_empty() {
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
        let key = file_key(&target);
        match index.files.get(&key) {
            Some(c) if ext_ok => Some((key, c.clone())),
            _ => {
                if let Some(url) = outside_link(index, &target, fragment) {
                    return Ok(LinkTarget::External(url));
                }
                let hint = if index.link_base.is_none() && path.starts_with("../") {
                    " (for links out of the book, set `link-base` under [manuscript] in book.toml)"
                } else {
                    ""
                };
                return Err(format!("link to `{raw}`: no chapter file `{path}` in the book; the link is set as plain text{hint}"));
            }
        }
    };

    let place = match (&file, &anchor) {
        (Some((_, chapter)), None) => return Ok(internal((chapter.clone(), None))),
        (None, None) => return Err("empty link; the link is set as plain text".into()),
        (Some((key, _)), Some(anchor)) => index.anchors.get(key).and_then(|a| a.get(anchor)),
        (None, Some(anchor)) => index
            .anchors
            .get(&source_key)
            .and_then(|a| a.get(anchor))
            .or_else(|| index.ids.get(anchor)),
    };
    match (place, anchor) {
        (Some(place), _) => Ok(internal(place.clone())),
        (None, Some(anchor)) => Err(match file {
            Some(_) => format!("link to `{raw}`: there is no heading or anchor `{anchor}` in `{path}`; the link is set as plain text"),
            None => format!("link to `{raw}`: there is no heading with the id `{anchor}` (from chapter `{current}`); the link is set as plain text"),
        }),
        (None, None) => Err("empty link; the link is set as plain text".into()),
    }
}

fn internal((chapter, anchor): Place) -> LinkTarget {
    LinkTarget::Internal { chapter, anchor }
}

/// A relative link to something not in the book (`../std/index.html` in an mdBook book), made
/// absolute under `link-base` when the manuscript sets one.
fn outside_link(index: &Index, target: &Path, fragment: Option<&str>) -> Option<String> {
    let (base, root) = index.link_base.as_ref()?;
    // The target relative to the chapters' root, `..` kept.
    let mut rel: Vec<String> = Vec::new();
    let root_parts: Vec<_> = root.components().collect();
    let target_parts: Vec<_> = target.components().collect();
    let common = root_parts
        .iter()
        .zip(&target_parts)
        .take_while(|(a, b)| a == b)
        .count();
    for _ in common..root_parts.len() {
        rel.push("..".into());
    }
    for p in &target_parts[common..] {
        rel.push(p.as_os_str().to_string_lossy().into_owned());
    }
    let mut url = join_url(base, &rel)?;
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(f);
    }
    Some(url)
}

/// `https://host/a/b/` + [`..`, `c`] -> `https://host/a/c`.
fn join_url(base: &str, rel: &[String]) -> Option<String> {
    let (scheme, rest) = base.split_once("://")?;
    let (host, path) = match rest.split_once('/') {
        Some((h, p)) => (h, p),
        None => (rest, ""),
    };
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if !base.ends_with('/') {
        segments.pop();
    }
    for r in rel {
        match r.as_str() {
            ".." => {
                segments.pop();
            }
            "." | "" => {}
            s => segments.push(s),
        }
    }
    Some(format!("{scheme}://{host}/{}", segments.join("/")))
}

/// The id mdBook gives a heading: its text with letters and digits lower-cased, `-` and `_`
/// kept, spaces as hyphens, everything else dropped; `-1`, `-2`... for repeats on one page.
fn mdbook_id(text: &str, seen: &mut HashMap<String, usize>) -> String {
    let base: String = text
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect();
    match seen.get_mut(&base) {
        Some(n) => {
            *n += 1;
            format!("{base}-{n}")
        }
        None => {
            seen.insert(base.clone(), 0);
            base
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_of_unknown_schemes_are_refused_with_a_guess() {
        let index = Index::default();
        let source = Path::new("c.md");
        let err = resolve_one("hhttps://x.org/", source, &index, "c").unwrap_err();
        assert!(err.contains("did you mean `https:`"), "{err}");
        assert!(resolve_one("HTTPS://x.org/", source, &index, "c").is_ok());
        assert!(resolve_one("mailto:a@b.org", source, &index, "c").is_ok());
        assert!(resolve_one("urn:isbn:9780141439518", source, &index, "c").is_ok());
        let err = resolve_one("zotero://select/x", source, &index, "c").unwrap_err();
        assert!(!err.contains("did you mean"), "{err}");
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("https://x"), Some("https"));
        assert_eq!(scheme("mailto:a@b"), Some("mailto"));
        assert_eq!(scheme("ch01.md#x"), None);
        assert_eq!(scheme("c:/x"), None);
    }

    #[test]
    fn mdbook_ids_count_repeats_per_page() {
        let mut seen = HashMap::new();
        assert_eq!(mdbook_id("Summary", &mut seen), "summary");
        assert_eq!(mdbook_id("Summary", &mut seen), "summary-1");
        assert_eq!(
            mdbook_id("A Shortcut: the ? Operator", &mut seen),
            "a-shortcut-the--operator"
        );
    }

    #[test]
    fn outside_links_join_the_base() {
        let rel = |s: &str| s.split('/').map(String::from).collect::<Vec<_>>();
        assert_eq!(
            join_url("https://doc.rust-lang.org/book/", &rel("../std/index.html")).unwrap(),
            "https://doc.rust-lang.org/std/index.html"
        );
        assert_eq!(
            join_url("https://example.com", &rel("a/b.html")).unwrap(),
            "https://example.com/a/b.html"
        );
    }

    #[test]
    fn paths_normalize() {
        assert_eq!(
            file_key(Path::new("m/./src/../ch1.md")),
            PathBuf::from("m/ch1")
        );
    }
}
