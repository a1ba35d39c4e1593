//! The reading order of a pandoc manuscript kept as linked pages: a root `readme.md` (or
//! `index.md`) whose links lead to the other pages, as lecture notes and wiki-like books are
//! kept and built by a crawler (e.g. pandoc-lecture-zen's `crawl.lua`).
//!
//! The crawler's rule, which quire follows: pages are found breadth-first from the root
//! document through its Markdown links `[..](page.md)` (local `.md` targets only; the first
//! link to a page counts), and each page reached also brings in the `readme.md` of every
//! folder on its path. The pages are then put in a tree of folders, each folder's children in
//! the order they were first reached, and read depth-first: a folder's readme first, then its
//! pages, then its subfolders. A link to a page that does not exist is a warning at the link,
//! and the page is no chapter.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::config;
use super::order::percent_decode;
use crate::diagnostic::{Code, Diagnostic, Location};

/// A folder's readme, in the crawler's order of preference.
const README_NAMES: &[&str] = &["readme.md", "README.md", "Readme.md"];
/// The root document: a readme, else an index page.
const ROOT_NAMES: &[&str] = &["readme.md", "README.md", "Readme.md", "index.md"];

/// The root document of the folder `root`, if it has one.
pub fn root_document(root: &Path) -> Option<String> {
    ROOT_NAMES
        .iter()
        .find(|n| root.join(n).is_file())
        .map(|n| n.to_string())
}

/// The pages reached from `start` (relative to `root`), in reading order, with `/` between
/// folders; and the warnings for links to pages that do not exist.
pub fn crawl(root: &Path, start: &str) -> (Vec<String>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut tree = Tree::new(start);
    let mut queue: VecDeque<String> = VecDeque::new();
    let mut seen: HashSet<String> = HashSet::new();
    // Where each page was first linked from, for the warning if it is missing.
    let mut linked_at: HashMap<String, Location> = HashMap::new();
    queue.push_back(start.to_string());
    seen.insert(start.to_string());
    while let Some(page) = queue.pop_front() {
        let file = root.join(&page);
        let Ok(text) = std::fs::read_to_string(&file) else {
            let at = linked_at
                .get(&page)
                .cloned()
                .unwrap_or_else(|| Location::file(&file));
            warnings.push(
                Diagnostic::warning(
                    Code::ReadingOrder,
                    at,
                    format!("the link leads to `{page}`, which does not exist (or cannot be read): it is no chapter of the book"),
                )
                .with_help("add the page, or remove the link"),
            );
            continue;
        };
        let chain = tree.insert(&page, root);
        for readme in chain {
            if seen.insert(readme.clone()) {
                queue.push_back(readme);
            }
        }
        for (target, line) in page_links(&text) {
            let Some(target) = local_page(&page, &target) else {
                continue;
            };
            if seen.insert(target.clone()) {
                linked_at.insert(target.clone(), Location::at(&file, line, 1));
                queue.push_back(target);
            }
        }
    }
    (tree.order(), warnings)
}

/// The targets of a page's Markdown links and their lines (front matter skipped).
fn page_links(text: &str) -> Vec<(String, usize)> {
    let (body, first_line) = match config::split_front_matter(text) {
        Some((_, _, body)) => {
            let consumed = text.len() - body.len();
            (body, text[..consumed].matches('\n').count() + 1)
        }
        None => (text, 1),
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    Parser::new_ext(body, options)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some((
                dest_url.to_string(),
                first_line + body[..range.start].matches('\n').count(),
            )),
            _ => None,
        })
        .collect()
}

/// A link's target as a page path relative to the root, when it is a local `.md` file inside
/// the manuscript.
fn local_page(from: &str, target: &str) -> Option<String> {
    let target = target.split(['#', '?']).next().unwrap_or("");
    let is_remote = target
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.contains('/'));
    if target.is_empty()
        || is_remote
        || target.starts_with('/')
        || !target.to_ascii_lowercase().ends_with(".md")
    {
        return None;
    }
    let target = percent_decode(target);
    let base = from.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            // Out of the manuscript: not a page of it.
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Folders and pages in the order they were first reached.
struct Tree {
    dirs: Vec<Dir>,
}

struct Dir {
    path: String,
    readme: Option<String>,
    children: Vec<Child>,
}

#[derive(PartialEq)]
enum Child {
    Page(String),
    Dir(usize),
}

impl Tree {
    fn new(start: &str) -> Tree {
        Tree {
            dirs: vec![Dir {
                path: String::new(),
                readme: Some(start.to_string()),
                children: Vec::new(),
            }],
        }
    }

    /// Puts `page` into the tree; returns the readmes of the folders on its path.
    fn insert(&mut self, page: &str, root: &Path) -> Vec<String> {
        let mut dir = 0;
        let mut readmes = Vec::new();
        let mut parts: Vec<&str> = page.split('/').collect();
        parts.pop();
        let mut path = String::new();
        for part in parts {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(part);
            let found = self.dirs[dir].children.iter().find_map(|c| match c {
                Child::Dir(i) if self.dirs[*i].path == path => Some(*i),
                _ => None,
            });
            dir = match found {
                Some(i) => i,
                None => {
                    let readme = README_NAMES
                        .iter()
                        .map(|n| format!("{path}/{n}"))
                        .find(|p| root.join(p).is_file());
                    self.dirs.push(Dir {
                        path: path.clone(),
                        readme,
                        children: Vec::new(),
                    });
                    let i = self.dirs.len() - 1;
                    self.dirs[dir].children.push(Child::Dir(i));
                    i
                }
            };
            readmes.extend(self.dirs[dir].readme.clone());
        }
        let child = Child::Page(page.to_string());
        if !self.dirs[dir].children.contains(&child) {
            self.dirs[dir].children.push(child);
        }
        readmes
    }

    /// Depth-first: a folder's readme, its pages, then its folders.
    fn order(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(0, &mut out);
        out
    }

    fn walk(&self, dir: usize, out: &mut Vec<String>) {
        let d = &self.dirs[dir];
        out.extend(d.readme.clone());
        for c in &d.children {
            if let Child::Page(p) = c {
                if d.readme.as_ref() != Some(p) {
                    out.push(p.clone());
                }
            }
        }
        for c in &d.children {
            if let Child::Dir(i) = c {
                self.walk(*i, out);
            }
        }
    }
}

/// Every Markdown file under `root` (not in hidden folders), relative, with `/`.
pub fn all_pages(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().to_string();
            let path = e.path();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else if name.to_ascii_lowercase().ends_with(".md") {
                if let Ok(rel) = path.strip_prefix(root) {
                    let parts: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().to_string())
                        .collect();
                    out.push(parts.join("/"));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_in_the_crawlers_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |p: &str, text: &str| {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "readme.md",
            "---\ntitle: T\n---\n\n| [a2](lec/a/two.md) | [gone](lec/x/gone.md) |\n|--|--|\n| [a1](lec/a/one.md) | [hw](hw/h1.md) [b](lec/b/b1.md) |\n\n[web](https://example.com/x.md) [self](readme.md#top)\n",
        );
        write("lec/readme.md", "no links\n");
        write(
            "lec/a/readme.md",
            "[up](../../readme.md) [out](../../../x.md)\n",
        );
        write("lec/a/one.md", "");
        write("lec/a/two.md", "[see](one.md) [three](three.md)\n");
        write("lec/a/three.md", "");
        write("lec/b/b1.md", "");
        write("hw/h1.md", "");
        write("unlinked.md", "");
        let (order, w) = crawl(root, "readme.md");
        assert_eq!(
            order,
            [
                "readme.md",
                "lec/readme.md",
                "lec/a/readme.md",
                "lec/a/two.md",
                "lec/a/one.md",
                "lec/a/three.md",
                "lec/b/b1.md",
                "hw/h1.md",
            ]
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].location.line, Some(5));
        assert!(w[0].message.contains("lec/x/gone.md"));
        assert_eq!(all_pages(root).len(), 9);
    }

    #[test]
    fn link_targets() {
        assert_eq!(local_page("a/b.md", "../c.md#x").as_deref(), Some("c.md"));
        assert_eq!(
            local_page("a/b.md", "./d%20e.md").as_deref(),
            Some("a/d e.md")
        );
        assert_eq!(local_page("b.md", "../c.md"), None);
        assert_eq!(local_page("b.md", "http://x/c.md"), None);
        assert_eq!(local_page("b.md", "c.html"), None);
    }
}
