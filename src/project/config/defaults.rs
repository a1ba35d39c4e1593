//! A pandoc defaults file (`defaults.yaml`, or the file `[manuscript] pandoc-defaults`
//! names): the options a pandoc author keeps beside the book instead of on the command line.
//! quire reads what decides the book itself; the others (output format, PDF engine,
//! templates...) are reported as ignored, never silently dropped.

use std::path::{Path, PathBuf};

use super::{yaml, Entry, Key, Node, Table, Value};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::project::ProjectError;

/// What a defaults file says about the book.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    /// Metadata and settings in pandoc's metadata names (`input-files`, `resource-path`,
    /// `toc-depth`, `cover-image`, `lang`, and the `metadata:` map), read before any other
    /// metadata: pandoc's `metadata:` in a defaults file is `--metadata`, which wins over the
    /// document's.
    pub table: Table,
    /// `metadata-file(s)`, in the order pandoc prefers them (the last one given first).
    pub metadata_files: Vec<(PathBuf, Location)>,
}

/// Options that shape the book and how they map onto pandoc's metadata names.
const READ: &[(&str, &str)] = &[
    ("input-files", "input-files"),
    ("input-file", "input-files"),
    ("resource-path", "resource-path"),
    ("toc-depth", "toc-depth"),
    ("epub-cover-image", "cover-image"),
    ("lang", "lang"),
];

/// Reads the defaults file at `path` (its text `text`).
pub fn read_defaults(path: &Path, text: &str) -> Result<(Defaults, Vec<Diagnostic>), ProjectError> {
    let root = yaml::read(path, text, 1)?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut out = Defaults::default();
    let mut warnings = Vec::new();
    for entry in root {
        let name = entry.key.name.as_str();
        if let Some(&(_, as_name)) = READ.iter().find(|(k, _)| *k == name) {
            out.table.push(Entry {
                key: Key {
                    name: as_name.to_string(),
                    at: entry.key.at.clone(),
                },
                node: substitute(entry.node, dir),
            });
        } else if name == "metadata" {
            match entry.node.value {
                Value::Table(t) => out.table.extend(t),
                Value::Null => {}
                _ => {
                    return Err(ProjectError::Config {
                        location: entry.key.at,
                        message: "`metadata` in a defaults file must be a map of keys".into(),
                    })
                }
            }
        } else if name == "metadata-file" || name == "metadata-files" {
            let items = match entry.node.value {
                Value::List(items) => items,
                _ => vec![entry.node],
            };
            for item in items {
                match &item.value {
                    Value::Text(t) => out.metadata_files.push((
                        dir.join(t.replace("${.}/", "").replace("${.}", "")),
                        item.at.clone(),
                    )),
                    _ => {
                        return Err(ProjectError::Config {
                            location: item.at,
                            message: "`metadata-files` must be a list of file names".into(),
                        })
                    }
                }
            }
        } else if name == "variables" {
            // Template variables: only the language changes the book quire makes.
            if let Value::Table(t) = entry.node.value {
                out.table
                    .extend(t.into_iter().filter(|e| e.key.name == "lang"));
            }
        } else {
            warnings.push(
                Diagnostic::warning(
                    Code::UnknownKey,
                    entry.key.at.clone(),
                    format!(
                        "pandoc option `{name}` in the defaults file: quire ignores it (it reads input-files, metadata, metadata-files, resource-path, toc-depth, epub-cover-image and lang)"
                    ),
                )
                .with_help("see README, \"A pandoc defaults file\""),
            );
        }
    }
    // pandoc prefers the later metadata file: read it first, so that it wins.
    out.metadata_files.reverse();
    Ok((out, warnings))
}

/// pandoc's `${.}` (the defaults file's folder) in paths: quire reads paths relative to the
/// manuscript folder, which is that folder.
fn substitute(node: Node, dir: &Path) -> Node {
    let value = match node.value {
        Value::Text(t) => Value::Text(strip_here(&t, dir)),
        Value::List(items) => Value::List(items.into_iter().map(|i| substitute(i, dir)).collect()),
        other => other,
    };
    Node { value, at: node.at }
}

fn strip_here(t: &str, _dir: &Path) -> String {
    t.strip_prefix("${.}/")
        .or_else(|| t.strip_prefix("${.}"))
        .unwrap_or(t)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_defaults_file_is_read_as_pandoc_reads_it() {
        let text = "from: markdown\ninput-files:\n  - ch1.md\n  - ch2.md\nresource-path: [\"${.}/images\"]\nmetadata-files: [a.yaml, b.yaml]\nmetadata:\n  title: T\nepub-cover-image: cover.jpg\n";
        let (d, w) = read_defaults(Path::new("book/defaults.yaml"), text).unwrap();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].location.line, Some(1));
        let names: Vec<&str> = d.table.iter().map(|e| e.key.name.as_str()).collect();
        assert_eq!(
            names,
            ["input-files", "resource-path", "title", "cover-image"]
        );
        let files: Vec<&Path> = d.metadata_files.iter().map(|(p, _)| p.as_path()).collect();
        assert_eq!(files, [Path::new("book/b.yaml"), Path::new("book/a.yaml")]);
        let Value::List(paths) = &d.table[1].node.value else {
            panic!()
        };
        assert_eq!(paths[0].value, Value::Text("images".into()));
    }
}
