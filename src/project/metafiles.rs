//! Where a folder manuscript's metadata is, and how the pieces are merged.
//!
//! Either `book.toml` (which may name a pandoc defaults file to read beside it), or pandoc's
//! way: a defaults file (`defaults.yaml`, else a `Makefile` whose recipe runs pandoc, read as
//! one), the metadata files it names, `metadata.yaml` (else the one YAML file beside the
//! chapters that holds pandoc metadata), and
//! the YAML front matter of the chapter files, merged as pandoc merges them: the first that
//! sets a key wins, in the order `--metadata` (a defaults file's `metadata:`), the documents'
//! own front matter (in reading order), then the metadata files (pandoc prefers the later
//! one given).

use std::path::{Path, PathBuf};

use super::config::{self, Config, Defaults, Table, YamlSource};
use super::{read_text, ProjectError};
use crate::diagnostic::{Code, Diagnostic};
use crate::settings::Setting;

/// The metadata found before the chapters are read.
pub(super) enum Base {
    Toml(Box<Config>),
    Yaml {
        /// The file settings left at their default point at.
        main: PathBuf,
        /// A defaults file's table, read first.
        extra: Table,
        /// Metadata files, in the order they are read.
        pieces: Vec<YamlSource>,
        /// The defaults file and its place, when there is one.
        files: Vec<PathBuf>,
    },
    None,
}

const DEFAULTS_NAMES: &[&str] = &["defaults.yaml", "defaults.yml"];
const METADATA_NAMES: &[&str] = &["metadata.yaml", "metadata.yml"];

/// Reads what the folder `root` holds besides the chapters.
pub(super) fn read_base(root: &Path, warnings: &mut Vec<Diagnostic>) -> Result<Base, ProjectError> {
    let toml_path = root.join("book.toml");
    if toml_path.is_file() {
        let text = read_text(&toml_path)?;
        let (mut c, w) = config::read_book_toml(&toml_path, &text)?;
        warnings.extend(w);
        if let Some(file) = c.pandoc_defaults.clone() {
            let path = root.join(&file);
            if !path.is_file() {
                return Err(ProjectError::Config {
                    location: c.settings.origins.of(Setting::PandocDefaults),
                    message: format!(
                        "pandoc-defaults = \"{file}\": there is no file {}",
                        path.display()
                    ),
                });
            }
            let (defaults, w) = read_defaults_file(&path)?;
            warnings.extend(w);
            let pieces = metadata_pieces(&defaults)?;
            let (other, w) = config::read_yaml_merged(&path, defaults.table, &pieces)?;
            warnings.extend(w);
            merge_under(&mut c, other);
        }
        return Ok(Base::Toml(Box::new(c)));
    }
    let defaults_path = DEFAULTS_NAMES
        .iter()
        .map(|n| root.join(n))
        .find(|p| p.is_file());
    // The pandoc options beside the book: a defaults file, else a Makefile that runs pandoc.
    let mut options_path = defaults_path.clone();
    let (extra, mut pieces, mut files) = match &defaults_path {
        Some(path) => {
            let (defaults, w) = read_defaults_file(path)?;
            warnings.extend(w);
            let pieces = metadata_pieces(&defaults)?;
            (defaults.table, pieces, vec![path.clone()])
        }
        None => match read_makefile(root, warnings)? {
            Some((path, defaults)) => {
                let pieces = existing_metadata_pieces(&defaults, warnings)?;
                options_path = Some(path.clone());
                (defaults.table, pieces, vec![path])
            }
            None => (Table::new(), Vec::new(), Vec::new()),
        },
    };
    let named = METADATA_NAMES
        .iter()
        .map(|n| root.join(n))
        .find(|p| p.is_file());
    // Without a metadata file by the usual name, nor one named elsewhere: the one YAML file
    // beside the chapters that holds pandoc metadata (an author's `pm.yaml`, which their
    // build passes with --metadata-file).
    let named = match named {
        None if pieces.is_empty() => lone_metadata_file(root),
        other => other,
    };
    if let Some(path) = named {
        if !pieces.iter().any(|p| same_file(&p.path, &path)) {
            pieces.push(yaml_file(&path)?);
        }
    }
    if pieces.is_empty() && options_path.is_none() {
        return Ok(Base::None);
    }
    files.extend(pieces.iter().map(|p| p.path.clone()));
    let main = pieces
        .first()
        .map(|p| p.path.clone())
        .or(options_path)
        .unwrap_or_else(|| root.to_path_buf());
    Ok(Base::Yaml {
        main,
        extra,
        pieces,
        files,
    })
}

impl Base {
    /// Whether the book is kept the pandoc way (YAML metadata, a defaults file, a Makefile
    /// that runs pandoc), for the dialect's guess.
    pub(super) fn is_pandoc(&self) -> bool {
        matches!(self, Base::Yaml { .. })
    }

    /// The configuration as far as it is known before the chapters are read (for where the
    /// chapters are and in what order); its warnings come again with [`Base::finish`].
    pub(super) fn provisional(&self) -> Result<Option<Config>, ProjectError> {
        match self {
            Base::Toml(c) => Ok(Some((**c).clone())),
            Base::Yaml {
                main,
                extra,
                pieces,
                ..
            } => Ok(Some(
                config::read_yaml_merged(main, extra.clone(), pieces)?.0,
            )),
            Base::None => Ok(None),
        }
    }

    /// The configuration files read (for the book's modification time).
    pub(super) fn files(&self, root: &Path) -> Vec<PathBuf> {
        match self {
            Base::Toml(c) => {
                let mut out = vec![root.join("book.toml")];
                out.extend(c.pandoc_defaults.as_ref().map(|d| root.join(d)));
                out
            }
            Base::Yaml { files, .. } => files.clone(),
            Base::None => Vec::new(),
        }
    }

    /// The whole configuration, the chapters' front matter (`fronts`, in reading order)
    /// merged in; `manuscript` is where settings left at their default point when there is
    /// no configuration at all.
    pub(super) fn finish(
        self,
        fronts: Vec<YamlSource>,
        manuscript: &Path,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Config, ProjectError> {
        match self {
            // book.toml is the whole configuration: front matter in chapters is not read
            // (as mdBook does not).
            Base::Toml(c) => Ok(*c),
            Base::Yaml {
                main,
                extra,
                pieces,
                ..
            } => {
                let mut all = fronts;
                all.extend(pieces);
                let (c, w) = config::read_yaml_merged(&main, extra, &all)?;
                warnings.extend(w);
                Ok(c)
            }
            Base::None if fronts.is_empty() => Ok(Config::without_file(manuscript)),
            Base::None => {
                let main = fronts[0].path.clone();
                let (c, w) = config::read_yaml_merged(&main, Table::new(), &fronts)?;
                warnings.extend(w);
                Ok(c)
            }
        }
    }
}

/// The pandoc build a Makefile beside the book holds (see `makefile`), when it has one.
fn read_makefile(
    root: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<(PathBuf, Defaults)>, ProjectError> {
    let Some(path) = super::makefile::find(root) else {
        return Ok(None);
    };
    let text = read_text(&path)?;
    let (defaults, w) = super::makefile::read(&path, &text);
    warnings.extend(w);
    Ok(defaults.map(|d| (path, d)))
}

/// The metadata files a Makefile names that exist; a missing one is a warning (the Makefile
/// may be older than the book's layout), not an error.
fn existing_metadata_pieces(
    defaults: &Defaults,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<YamlSource>, ProjectError> {
    let mut out = Vec::new();
    for (path, at) in &defaults.metadata_files {
        if path.is_file() {
            out.push(yaml_file(path)?);
        } else {
            warnings.push(Diagnostic::warning(
                Code::ReadingOrder,
                at.clone(),
                format!(
                    "--metadata-file={}: there is no such file; it is not read",
                    path.display()
                ),
            ));
        }
    }
    Ok(out)
}

/// Keys only pandoc metadata has at its top level, to tell a metadata file from other YAML.
const METADATA_KEYS: &[&str] = &["title", "lang", "language", "author", "creator"];

/// The only `.yaml`/`.yml` file in `root` (a defaults file aside), when its top level sets
/// one of [`METADATA_KEYS`].
fn lone_metadata_file(root: &Path) -> Option<PathBuf> {
    let yaml: Vec<PathBuf> = std::fs::read_dir(root)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|e| e == "yaml" || e == "yml")
                && !p
                    .file_name()
                    .is_some_and(|n| DEFAULTS_NAMES.iter().any(|d| n == *d))
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    let [only] = yaml.as_slice() else {
        return None;
    };
    let text = std::fs::read_to_string(only).ok()?;
    let sets_metadata = text.lines().any(|l| {
        l.split_once(':').is_some_and(|(key, _)| {
            !key.starts_with([' ', '\t', '#']) && METADATA_KEYS.contains(&key.trim())
        })
    });
    sets_metadata.then(|| only.clone())
}

fn read_defaults_file(path: &Path) -> Result<(Defaults, Vec<Diagnostic>), ProjectError> {
    let text = read_text(path)?;
    config::read_defaults(path, &text)
}

/// The metadata files a defaults file names, read.
fn metadata_pieces(defaults: &Defaults) -> Result<Vec<YamlSource>, ProjectError> {
    defaults
        .metadata_files
        .iter()
        .map(|(path, at)| {
            if !path.is_file() {
                return Err(ProjectError::Config {
                    location: at.clone(),
                    message: format!("metadata file {} does not exist", path.display()),
                });
            }
            yaml_file(path)
        })
        .collect()
}

/// A metadata file; it may be wrapped in `---` ... `...` like front matter.
fn yaml_file(path: &Path) -> Result<YamlSource, ProjectError> {
    let text = read_text(path)?;
    let (yaml, first_line) = match config::split_front_matter(&text) {
        Some((yaml, line, _)) => (yaml.to_string(), line),
        None => (text, 1),
    };
    Ok(YamlSource {
        path: path.to_path_buf(),
        yaml,
        first_line,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// book.toml wins; what it leaves unset comes from the defaults file read beside it.
fn merge_under(c: &mut Config, other: Config) {
    let given = |s: Setting| c.settings.origins.get(s).is_some();
    let toc_given = given(Setting::TocDepth);
    let cover_given = given(Setting::Cover);
    c.metadata.fill_from(other.metadata);
    if c.chapters.is_none() {
        c.chapters = other.chapters;
        if let Some(at) = other.settings.origins.get(Setting::Chapters) {
            c.settings.origins.set(Setting::Chapters, at.clone());
        }
    }
    c.image_path.extend(other.image_path);
    if !toc_given {
        c.settings.toc_depth = other.settings.toc_depth;
    }
    if !cover_given {
        c.settings.cover = other.settings.cover;
    }
    for (k, v) in other.settings.strings {
        c.settings.strings.entry(k).or_insert(v);
    }
    for s in [
        Setting::Title,
        Setting::Language,
        Setting::Identifier,
        Setting::Date,
    ] {
        if let Some(at) = other.settings.origins.get(s) {
            c.settings.origins.set(s, at.clone());
        }
    }
}
