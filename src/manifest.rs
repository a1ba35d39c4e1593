//! `.quire-outputs`: which files each book wrote into an output folder, so that a build after
//! a change of name (a new title, `--name`, `[output] name`) removes the files of the old name
//! instead of leaving `old-title.epub` beside `new-title.epub`.
//!
//! The manifest is JSON, one entry per manuscript (its canonical path), each listing the files
//! its last builds wrote with their size and modification time. A file of the old name is
//! removed only when it is still exactly what quire wrote (same size, same modification time):
//! one the author edited, replaced or touched since is kept and reported. Files quire never
//! recorded (from a build before the manifest existed, or someone else's) are never touched.
//! The manifest is read and written by the holder of the folder's lock (`crate::output`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The manifest's name in the output folder (`.quire-` files are never a change for `quire
/// watch`, and never a temporary file the next build removes).
pub const MANIFEST_FILE: &str = ".quire-outputs";

/// An output of an earlier name of the same book, found by a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub path: PathBuf,
    /// Removed (it was still what quire wrote); else kept because it changed since.
    pub removed: bool,
}

/// What an output is to its book. A build replaces the files of the roles it writes and keeps
/// the others' records (a `--format cover` build keeps the interior PDF, though both end in
/// `.pdf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Epub,
    Pdf,
    /// The print cover wrap, `<slug>-cover.pdf`.
    Cover,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Epub => "epub",
            Role::Pdf => "pdf",
            Role::Cover => "cover",
        }
    }

    fn from_name(name: &str) -> Option<Role> {
        [Role::Epub, Role::Pdf, Role::Cover]
            .into_iter()
            .find(|r| r.name() == name)
    }

    /// The role of an entry written before roles were recorded, from its file name (those
    /// builds named the cover wrap `<slug>-cover.pdf`).
    fn guess(file: &str) -> Option<Role> {
        let lower = file.to_ascii_lowercase();
        if lower.ends_with(".epub") {
            Some(Role::Epub)
        } else if lower.ends_with("-cover.pdf") {
            Some(Role::Cover)
        } else if lower.ends_with(".pdf") {
            Some(Role::Pdf)
        } else {
            None
        }
    }
}

/// One recorded output: its file name in the folder, role, size and modification time (ns).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Recorded {
    file: String,
    role: Role,
    bytes: u64,
    modified: u128,
}

type Books = BTreeMap<String, Vec<Recorded>>;

/// After `written` (paths in `dir`, each with its role) were renamed into place for the book
/// `key`: removes the files of the book's earlier names in the same roles, records the new
/// ones, and says what it found. Errors reading or writing the manifest only lose the record
/// (the outputs are in place already).
pub(crate) fn update(dir: &Path, key: &str, written: &[(PathBuf, Role)]) -> Vec<Stale> {
    let path = dir.join(MANIFEST_FILE);
    let mut books = fs::read_to_string(&path)
        .ok()
        .map(|t| parse(&t))
        .unwrap_or_default();
    let written: Vec<(&PathBuf, String, Role)> = written
        .iter()
        .filter_map(|(p, role)| Some((p, p.file_name()?.to_string_lossy().to_string(), *role)))
        .collect();
    let names: Vec<&str> = written.iter().map(|(_, n, _)| n.as_str()).collect();
    let mut stale = Vec::new();
    let mut kept = Vec::new();
    for old in books.remove(key).unwrap_or_default() {
        let replaced = written.iter().any(|(_, _, role)| *role == old.role);
        if !replaced || names.contains(&old.file.as_str()) {
            // Another format (a `--format epub` build keeps the PDF's record), or the same
            // name written again.
            if !replaced {
                kept.push(old);
            }
            continue;
        }
        // A file name from the manifest is only ever a plain name in this folder.
        if old.file.contains(['/', '\\']) || old.file.starts_with('.') {
            continue;
        }
        let file = dir.join(&old.file);
        let Some((bytes, modified)) = stamp(&file) else {
            continue;
        };
        let unchanged = bytes == old.bytes && modified == old.modified;
        let removed = unchanged && fs::remove_file(&file).is_ok();
        stale.push(Stale {
            path: file,
            removed,
        });
    }
    for (path, file, role) in written {
        if let Some((bytes, modified)) = stamp(path) {
            kept.push(Recorded {
                file,
                role,
                bytes,
                modified,
            });
        }
    }
    books.insert(key.to_string(), kept);
    let _ = crate::output::replace_file(&path, render(&books).as_bytes());
    stale
}

/// Size and modification time of a regular file.
fn stamp(path: &Path) -> Option<(u64, u128)> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((meta.len(), modified.as_nanos()))
}

fn parse(text: &str) -> Books {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Books::new();
    };
    let Some(books) = json.get("books").and_then(|b| b.as_object()) else {
        return Books::new();
    };
    books
        .iter()
        .map(|(key, files)| {
            let files = files
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|f| {
                            let file = f.get("file")?.as_str()?.to_string();
                            let role = match f.get("role") {
                                Some(role) => Role::from_name(role.as_str()?)?,
                                None => Role::guess(&file)?,
                            };
                            Some(Recorded {
                                file,
                                role,
                                bytes: f.get("bytes")?.as_u64()?,
                                // Nanoseconds do not fit JSON's safe integers: kept as text.
                                modified: f.get("modified")?.as_str()?.parse().ok()?,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            (key.clone(), files)
        })
        .collect()
}

fn render(books: &Books) -> String {
    let books: serde_json::Map<String, serde_json::Value> = books
        .iter()
        .map(|(key, files)| {
            let files = files
                .iter()
                .map(|f| {
                    serde_json::json!({
                        "file": f.file,
                        "role": f.role.name(),
                        "bytes": f.bytes,
                        "modified": f.modified.to_string(),
                    })
                })
                .collect();
            (key.clone(), serde_json::Value::Array(files))
        })
        .collect();
    let json = serde_json::json!({
        "about": "the files quire wrote here, by manuscript: a build after a change of name removes the old ones",
        "books": books,
    });
    format!("{json:#}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> (PathBuf, Role) {
        let p = dir.join(name);
        fs::write(&p, text).unwrap();
        let role = Role::guess(name).unwrap();
        (p, role)
    }

    #[test]
    fn an_old_name_is_removed_only_while_it_is_what_quire_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let old = [write(d, "old.epub", "e"), write(d, "old.pdf", "p")];
        assert!(update(d, "/m", &old).is_empty());
        // Another book's outputs in the same folder are its own business.
        let other = write(d, "other.epub", "o");
        assert!(update(d, "/n", std::slice::from_ref(&other)).is_empty());

        // Renamed: both old files go.
        let new = [write(d, "new.epub", "e"), write(d, "new.pdf", "p")];
        let stale = update(d, "/m", &new);
        assert_eq!(stale.len(), 2, "{stale:?}");
        assert!(stale.iter().all(|s| s.removed));
        assert!(!old[0].0.exists() && !old[1].0.exists() && other.0.exists());

        // An EPUB-only build under a third name: the PDF's record stays; an old file the
        // author changed is reported, not removed.
        write(d, "new.epub", "edited by hand");
        let third = [write(d, "third.epub", "e")];
        let stale = update(d, "/m", &third);
        assert_eq!(
            stale,
            vec![Stale {
                path: d.join("new.epub"),
                removed: false
            }]
        );
        assert!(d.join("new.epub").exists() && d.join("new.pdf").exists());
        let books = parse(&fs::read_to_string(d.join(MANIFEST_FILE)).unwrap());
        let names: Vec<&str> = books["/m"].iter().map(|r| r.file.as_str()).collect();
        assert_eq!(names, ["new.pdf", "third.epub"]);

        // A cover wrap is a PDF too, but not the interior: writing it keeps the interior.
        let cover = [write(d, "new-cover.pdf", "c")];
        assert!(update(d, "/m", &cover).is_empty());
        assert!(d.join("new.pdf").exists());
        // And a renamed interior replaces the interior, not the wrap.
        let pdf = [write(d, "fourth.pdf", "p")];
        let stale = update(d, "/m", &pdf);
        assert_eq!(stale.len(), 1, "{stale:?}");
        assert!(!d.join("new.pdf").exists() && d.join("new-cover.pdf").exists());
    }

    #[test]
    fn entries_without_a_role_are_read_by_their_names() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let text = r#"{"books": {"/m": [
            {"file": "a.pdf", "bytes": 1, "modified": "5"},
            {"file": "a-cover.pdf", "bytes": 1, "modified": "5"},
            {"file": "a.epub", "bytes": 1, "modified": "5"},
            {"file": "a.txt", "bytes": 1, "modified": "5"}]}}"#;
        let roles: Vec<Role> = parse(text)["/m"].iter().map(|r| r.role).collect();
        assert_eq!(roles, [Role::Pdf, Role::Cover, Role::Epub]);
        fs::write(d.join(MANIFEST_FILE), text).unwrap();
        let written = [write(d, "b.pdf", "p")];
        update(d, "/m", &written);
        let again = parse(&fs::read_to_string(d.join(MANIFEST_FILE)).unwrap());
        let roles: Vec<Role> = again["/m"].iter().map(|r| r.role).collect();
        assert_eq!(roles, [Role::Cover, Role::Epub, Role::Pdf]);
    }

    #[test]
    fn a_damaged_manifest_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MANIFEST_FILE), "{not json").unwrap();
        let out = [write(dir.path(), "a.epub", "e")];
        assert!(update(dir.path(), "/m", &out).is_empty());
        assert_eq!(parse(&render(&parse("{}"))), Books::new());
    }
}
