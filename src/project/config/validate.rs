//! The one validator of the configuration, whichever format it was written in: the keys a
//! [`Table`] holds are matched against the format's names ([`TOML_KEYS`], [`YAML_KEYS`]), every
//! unknown key is a warning at its line, and every value is checked and turned into the
//! [`Config`], with the place of each key kept in [`Origins`].
//!
//! Adding a setting: a [`Setting`] variant, its names in the tables below, and its reading in
//! [`build`].

use std::collections::BTreeMap;
use std::path::Path;

use super::{isbn, Config, Entry, Key, Node, RawMetadata, Table, Value};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::project::ProjectError;
use crate::settings::{Cover, Gutter, Origins, Paper, PrintSettings, Setting, Settings, TrimSize};

/// Which file the table came from: the names differ, the meaning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// book.toml: mdBook's `[book]` plus quire's own tables.
    Toml,
    /// pandoc's metadata (metadata.yaml or front matter): pandoc's names at the top level,
    /// quire's own tables (`pdf:`, `toc:`, `fonts:`, `manuscript:`) as maps.
    Yaml,
}

/// book.toml's keys: (table, key, setting). YAML reads quire's own tables with these too.
const TOML_KEYS: &[(&str, &str, Setting)] = &[
    ("book", "title", Setting::Title),
    ("book", "authors", Setting::Authors),
    ("book", "language", Setting::Language),
    ("book", "description", Setting::Description),
    ("book", "src", Setting::Src),
    ("book", "isbn", Setting::Isbn),
    ("book", "contributor", Setting::Contributors),
    ("book", "series", Setting::Series),
    ("book", "series-index", Setting::SeriesIndex),
    ("book", "subjects", Setting::Subjects),
    ("book", "cover", Setting::Cover),
    ("metadata", "subtitle", Setting::Subtitle),
    ("metadata", "identifier", Setting::Identifier),
    ("metadata", "date", Setting::Date),
    ("metadata", "modified", Setting::Modified),
    ("metadata", "publisher", Setting::Publisher),
    ("metadata", "rights", Setting::Rights),
    ("manuscript", "chapters", Setting::Chapters),
    ("manuscript", "split-level", Setting::SplitLevel),
    ("manuscript", "image-path", Setting::ImagePath),
    ("manuscript", "link-base", Setting::LinkBase),
    ("manuscript", "pandoc-defaults", Setting::PandocDefaults),
    ("manuscript", "dialect", Setting::Dialect),
    ("pdf", "trim-size", Setting::TrimSize),
    ("pdf", "font-size", Setting::FontSize),
    ("pdf", "leading", Setting::Leading),
    ("pdf", "code-size", Setting::CodeSize),
    ("pdf", "hyphenate", Setting::Hyphenate),
    ("pdf", "opening", Setting::Opening),
    ("pdf", "gutter", Setting::Gutter),
    ("pdf", "chapter-level", Setting::ChapterLevel),
    ("pdf", "cover", Setting::PdfCover),
    ("print", "paper", Setting::Paper),
    ("toc", "depth", Setting::TocDepth),
    ("epub", "embed-fonts", Setting::EmbedFonts),
    ("epub", "page-list", Setting::PageList),
    ("fonts", "regular", Setting::FontRegular),
    ("fonts", "italic", Setting::FontItalic),
    ("fonts", "bold", Setting::FontBold),
    ("fonts", "bold-italic", Setting::FontBoldItalic),
    ("fonts", "mono", Setting::FontMono),
    // Each edition its own ISBN: a store refuses an ebook under the paperback's number.
    ("edition", "print-isbn", Setting::PrintIsbn),
    ("edition", "ebook-isbn", Setting::EbookIsbn),
    // `[output]` is also mdBook's table of renderers (`[output.html]`): see `collect_toml`.
    ("output", "name", Setting::OutputName),
];

/// (table, key) of [`TOML_KEYS`].
pub(super) fn toml_keys() -> impl Iterator<Item = (&'static str, &'static str)> {
    TOML_KEYS.iter().map(|&(t, k, _)| (t, k))
}

/// The tables of [`TOML_KEYS`], in book.toml order.
const TOML_TABLES: &[&str] = &[
    "book",
    "metadata",
    "manuscript",
    "pdf",
    "toc",
    "epub",
    "fonts",
    "strings",
    "print",
    "edition",
];

/// Of those, the ones YAML metadata may hold as maps (the others are pandoc's top-level keys).
const YAML_TABLES: &[&str] = &[
    "manuscript",
    "pdf",
    "toc",
    "epub",
    "fonts",
    "strings",
    "print",
    "edition",
];

/// pandoc's metadata names at the top level of the YAML (several names may mean one setting:
/// the first one written is used), and quire's settings a pandoc author writes there.
const YAML_KEYS: &[(&str, Setting)] = &[
    ("title", Setting::Title),
    ("subtitle", Setting::Subtitle),
    ("author", Setting::Authors),
    ("authors", Setting::Authors),
    ("creator", Setting::Creators),
    ("contributor", Setting::Contributors),
    ("subject", Setting::Subjects),
    ("keywords", Setting::Subjects),
    ("cover-image", Setting::Cover),
    ("belongs-to-collection", Setting::Series),
    ("group-position", Setting::SeriesIndex),
    ("resource-path", Setting::ImagePath),
    ("toc-depth", Setting::TocDepth),
    ("toc-title", Setting::TocTitle),
    ("reference-section-title", Setting::NotesTitle),
    // A defaults file's `input-files` (see `config::defaults_table`).
    ("input-files", Setting::Chapters),
    ("lang", Setting::Language),
    ("language", Setting::Language),
    ("identifier", Setting::Identifier),
    ("date", Setting::Date),
    ("modified", Setting::Modified),
    ("publisher", Setting::Publisher),
    ("rights", Setting::Rights),
    ("description", Setting::Description),
    ("abstract", Setting::Description),
    ("split-level", Setting::SplitLevel),
    ("trim-size", Setting::TrimSize),
    ("image-path", Setting::ImagePath),
    ("link-base", Setting::LinkBase),
];

/// Top-level tables mdBook (or its plugins) use: an mdBook project is a quire manuscript, so
/// these are accepted (and `[output.html]` is looked into, see [`mdbook_html`]).
const MDBOOK_TABLES: &[&str] = &["build", "output", "preprocessor", "rust"];
/// Keys of mdBook's `[book]` quire does not use.
const MDBOOK_BOOK_KEYS: &[&str] = &["multilingual", "text-direction"];
/// mdBook's older layout: these keys at the top level, no `[book]` (mdBook's `from_legacy`
/// reads `source` as `src`).
const MDBOOK_LEGACY_KEYS: &[(&str, Setting)] = &[
    ("title", Setting::Title),
    ("authors", Setting::Authors),
    ("source", Setting::Src),
    ("description", Setting::Description),
];

/// The keys given, each with where it was written (the first one written wins).
type Given<'a> = BTreeMap<Setting, (&'a Key, &'a Node)>;

/// Checks `root` (read from `path`) and makes the [`Config`]; unknown keys and the like are the
/// returned warnings, a value that cannot be used is an error at its key.
pub(super) fn validate(
    format: Format,
    path: &Path,
    root: &Table,
) -> Result<(Config, Vec<Diagnostic>), ProjectError> {
    let mut warnings = Vec::new();
    let mut given = Given::new();
    match format {
        Format::Toml => collect_toml(root, &mut given, &mut warnings)?,
        Format::Yaml => collect_yaml(root, &mut given, &mut warnings)?,
    }
    let config = build(format, path, &given, &mut warnings)?;
    warnings.sort();
    Ok((config, warnings))
}

fn give<'a>(given: &mut Given<'a>, setting: Setting, entry: &'a Entry) {
    given.entry(setting).or_insert((&entry.key, &entry.node));
}

fn collect_toml<'a>(
    root: &'a Table,
    given: &mut Given<'a>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), ProjectError> {
    let has_book = root.iter().any(|e| e.key.name == "book");
    let mut legacy = Vec::new();
    for entry in root {
        let name = entry.key.name.as_str();
        if TOML_TABLES.contains(&name) {
            let table = as_table(entry)?;
            if name == "strings" {
                give(given, Setting::Strings, entry);
            }
            collect_table(Format::Toml, name, table, given, warnings);
        } else if MDBOOK_TABLES.contains(&name) {
            if name == "output" {
                if let Value::Table(outputs) = &entry.node.value {
                    mdbook_html(outputs, warnings);
                    // quire's own `name` beside mdBook's renderer tables.
                    for e in outputs {
                        if e.key.name == "name" {
                            give(given, Setting::OutputName, e);
                        }
                    }
                }
            }
        } else if let Some(&(_, setting)) = MDBOOK_LEGACY_KEYS
            .iter()
            .find(|(k, _)| !has_book && *k == name)
        {
            give(given, setting, entry);
            legacy.push(entry);
        } else {
            warnings.push(unknown(Format::Toml, "", &entry.key, &entry.node));
        }
    }
    if let Some(first) = legacy.first() {
        let keys: Vec<String> = legacy.iter().map(|e| format!("`{}`", e.key.name)).collect();
        let rename = if legacy.iter().any(|e| e.key.name == "source") {
            " (`source` becomes `src`)"
        } else {
            ""
        };
        warnings.push(
            Diagnostic::warning(
                Code::OldBookTomlLayout,
                first.key.at.clone(),
                format!(
                    "{} at the top level, with no [book] table: this is mdBook's older book.toml layout, read as mdBook reads it",
                    keys.join(", ")
                ),
            )
            .with_help(format!(
                "add a `[book]` line above them to use the current layout{rename}"
            )),
        );
    }
    Ok(())
}

fn collect_yaml<'a>(
    root: &'a Table,
    given: &mut Given<'a>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), ProjectError> {
    for entry in root {
        let name = entry.key.name.as_str();
        if let Some(&(_, setting)) = YAML_KEYS.iter().find(|(k, _)| *k == name) {
            give(given, setting, entry);
        } else if YAML_TABLES.contains(&name) {
            let table = as_table(entry)?;
            if name == "strings" {
                give(given, Setting::Strings, entry);
            }
            collect_table(Format::Yaml, name, table, given, warnings);
        } else {
            warnings.push(unknown(Format::Yaml, "", &entry.key, &entry.node));
        }
    }
    Ok(())
}

/// The keys of quire's table `table`.
fn collect_table<'a>(
    format: Format,
    table: &str,
    entries: &'a Table,
    given: &mut Given<'a>,
    warnings: &mut Vec<Diagnostic>,
) {
    if table == "strings" {
        collect_strings(format, entries, given, warnings);
        return;
    }
    for entry in entries {
        let name = entry.key.name.as_str();
        match TOML_KEYS.iter().find(|(t, k, _)| *t == table && *k == name) {
            Some(&(_, _, setting)) => give(given, setting, entry),
            None if table == "book" && MDBOOK_BOOK_KEYS.contains(&name) => {}
            None => warnings.push(unknown(format, table, &entry.key, &entry.node)),
        }
    }
}

/// `[strings]`: each key must be one of the book's strings (a typo would silently change
/// nothing), each value text.
fn collect_strings(
    format: Format,
    entries: &Table,
    _given: &mut Given<'_>,
    warnings: &mut Vec<Diagnostic>,
) {
    for entry in entries {
        let name = entry.key.name.as_str();
        if crate::strings::KEYS.contains(&name) {
            continue;
        }
        let close = crate::strings::KEYS
            .iter()
            .filter(|k| strsim::levenshtein(name, k) <= 2)
            .min_by_key(|k| strsim::levenshtein(name, k));
        let hint = close.map_or(String::new(), |k| format!("; did you mean `{k}`?"));
        let table = match format {
            Format::Toml => "[strings]",
            Format::Yaml => "`strings:`",
        };
        warnings.push(
            Diagnostic::warning(
                Code::UnknownKey,
                entry.key.at.clone(),
                format!("unknown key `{name}` in {table}: quire ignores it{hint}"),
            )
            .with_help(format!("the keys are: {}", crate::strings::KEYS.join(", "))),
        );
    }
}

fn as_table(entry: &Entry) -> Result<&Table, ProjectError> {
    match &entry.node.value {
        Value::Table(t) => Ok(t),
        _ => Err(ProjectError::Config {
            location: entry.key.at.clone(),
            message: format!(
                "`{}` must be a table of settings (`[{}]` and its keys on the lines below)",
                entry.key.name, entry.key.name
            ),
        }),
    }
}

/// `[output.html]` keys that change what a reader sees, which quire does not use; the rest of
/// mdBook's HTML settings (search, playground, site URL...) concern only its web pages.
fn mdbook_html(outputs: &Table, warnings: &mut Vec<Diagnostic>) {
    let Some(Value::Table(html)) = outputs
        .iter()
        .find(|e| e.key.name == "html")
        .map(|e| &e.node.value)
    else {
        return;
    };
    for entry in html {
        let why = match (entry.key.name.as_str(), &entry.node.value) {
            ("additional-css", _) => "quire does not add these stylesheets to the EPUB (they are written for mdBook's web pages): the EPUB and the PDF use quire's own design",
            ("additional-js", _) => "quire does not add these scripts to the book: whatever they draw on mdBook's pages (diagrams, widgets) is not in the EPUB or the PDF",
            ("theme", _) => "quire does not use mdBook themes: the EPUB and the PDF use quire's own design",
            ("mathjax-support", Value::Bool(true)) => "quire does not render TeX math: `\\\\( ... \\\\)` and `\\\\[ ... \\\\]` are printed as written",
            ("curly-quotes" | "smart-punctuation", Value::Bool(false)) => "quire always uses smart punctuation (curly quotes, dashes): straight quotes become curly ones",
            _ => continue,
        };
        warnings.push(Diagnostic::warning(
            Code::UnusedMdbookSetting,
            entry.key.at.clone(),
            format!("[output.html] {}: {why}", entry.key.name),
        ));
    }
}

/// The warning for a key quire does not read.
fn unknown(format: Format, table: &str, key: &Key, node: &Node) -> Diagnostic {
    let k = &key.name;
    let name = match (format, table, &node.value) {
        (Format::Toml, "", Value::Table(_)) => format!("table [{k}]"),
        (Format::Toml, "", _) => format!("key `{k}` at the top level"),
        (Format::Toml, t, _) => format!("key `{k}` in [{t}]"),
        (Format::Yaml, "", _) => format!("key `{k}`"),
        (Format::Yaml, t, _) => format!("key `{k}` in `{t}:`"),
    };
    let section = match format {
        Format::Toml => "book.toml",
        Format::Yaml => "pandoc-style YAML",
    };
    Diagnostic::warning(
        Code::UnknownKey,
        key.at.clone(),
        format!(
            "unknown {name}: quire ignores it{}",
            did_you_mean(format, table, k)
        ),
    )
    .with_help(format!("see README, \"{section}\""))
}

/// The names quire reads in `table` of `format` (`""`: the top level).
fn known(format: Format, table: &str) -> Vec<&'static str> {
    match (format, table) {
        (Format::Toml, "") => TOML_TABLES.to_vec(),
        (Format::Yaml, "") => YAML_KEYS
            .iter()
            .map(|(k, _)| *k)
            .chain(YAML_TABLES.iter().copied())
            .collect(),
        (_, t) => TOML_KEYS
            .iter()
            .filter(|(table, _, _)| *table == t)
            .map(|(_, k, _)| *k)
            .collect(),
    }
}

/// `; did you mean `trim-size`?` for a key close to one of the table's keys (by edit distance,
/// or as a prefix: `trim`, `lang`), or `; `trim-size` belongs in [pdf]` for a key of another
/// book.toml table; empty when nothing is close.
pub(super) fn did_you_mean(format: Format, table: &str, key: &str) -> String {
    let norm = key.to_ascii_lowercase().replace('_', "-");
    let close = |known: &str| {
        let distance = strsim::levenshtein(&norm, known);
        distance <= (norm.len() / 3).max(2)
            || (norm.len() >= 3 && (known.starts_with(&norm) || norm.starts_with(known)))
    };
    let best = known(format, table)
        .into_iter()
        .filter(|k| close(k))
        .min_by_key(|k| strsim::levenshtein(&norm, k));
    if let Some(k) = best {
        return format!("; did you mean `{k}`?");
    }
    if format == Format::Toml {
        if let Some((other, _, _)) = TOML_KEYS.iter().find(|(t, k, _)| *t != table && *k == norm) {
            return format!("; `{norm}` belongs in [{other}]");
        }
    }
    String::new()
}

/// A value that cannot be used, at the key that set it.
fn invalid(key: &Key, message: impl Into<String>) -> ProjectError {
    ProjectError::Config {
        location: key.at.clone(),
        message: message.into(),
    }
}

/// Text, as pandoc reads metadata: a string, a number or a date as written, a map's `text`
/// (`title: {type: main, text: ...}`) or a list's first item; blank text is no value.
fn text_of(node: &Node) -> Option<String> {
    match &node.value {
        Value::Text(s) | Value::Date(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Integer(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Table(t) => t
            .iter()
            .find(|e| e.key.name == "text")
            .and_then(|e| text_of(&e.node)),
        Value::List(items) => items.first().and_then(text_of),
        Value::Null => None,
    }
}

/// Names: one, a list, or pandoc's maps with `name` (or `text`).
fn names_of(node: &Node, out: &mut Vec<String>) {
    match &node.value {
        Value::List(items) => items.iter().for_each(|i| names_of(i, out)),
        Value::Table(t) => {
            if let Some(name) = t
                .iter()
                .find(|e| e.key.name == "name")
                .or_else(|| t.iter().find(|e| e.key.name == "text"))
                .and_then(|e| text_of(&e.node))
            {
                out.push(name);
            }
        }
        _ => out.extend(text_of(node)),
    }
}

/// What [`build`] reads from the keys given.
struct Reader<'g, 'a> {
    format: Format,
    given: &'g Given<'a>,
}

impl Reader<'_, '_> {
    fn get(&self, s: Setting) -> Option<(&Key, &Node)> {
        self.given.get(&s).map(|&(k, n)| (k, n))
    }

    fn text(&self, s: Setting) -> Result<Option<String>, ProjectError> {
        let Some((key, node)) = self.get(s) else {
            return Ok(None);
        };
        // TOML has types: `title = 42` is a mistake there. pandoc reads any scalar as text.
        if self.format == Format::Toml && !matches!(node.value, Value::Text(_)) {
            return Err(invalid(
                key,
                format!("`{}` must be text in quotes, such as \"...\"", key.name),
            ));
        }
        match text_of(node) {
            Some(text) => Ok(Some(text)),
            // Blank (`title = ""`, `date:`): as if not given.
            None if matches!(node.value, Value::Null | Value::Text(_)) => Ok(None),
            None => Err(invalid(
                key,
                format!("`{}` must be text, such as \"...\"", key.name),
            )),
        }
    }

    fn texts(&self, s: Setting) -> Result<Option<Vec<String>>, ProjectError> {
        let Some((key, node)) = self.get(s) else {
            return Ok(None);
        };
        let items: Vec<&Node> = match &node.value {
            Value::List(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            _ => vec![node],
        };
        items
            .into_iter()
            .map(|i| match &i.value {
                Value::Text(t) => Ok(t.clone()),
                _ => Err(invalid(
                    key,
                    format!(
                        "`{}` must be a list of paths in quotes, such as [\"a\", \"b\"]",
                        key.name
                    ),
                )),
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    fn number(&self, s: Setting) -> Result<Option<f32>, ProjectError> {
        let Some((key, node)) = self.get(s) else {
            return Ok(None);
        };
        match node.value {
            Value::Integer(i) => Ok(Some(i as f32)),
            Value::Float(f) if f.is_finite() => Ok(Some(f as f32)),
            _ => Err(invalid(
                key,
                format!("`{}` must be a number (points), such as 11", key.name),
            )),
        }
    }

    /// A whole number from 1 to 6 (heading levels).
    fn level(&self, s: Setting, default: u8) -> Result<u8, ProjectError> {
        let Some((key, node)) = self.get(s) else {
            return Ok(default);
        };
        match node.value {
            Value::Integer(i @ 1..=6) => Ok(i as u8),
            _ => Err(invalid(key, format!("{} must be 1 to 6", key.name))),
        }
    }

    fn flag(&self, s: Setting) -> Result<Option<bool>, ProjectError> {
        let Some((key, node)) = self.get(s) else {
            return Ok(None);
        };
        match node.value {
            Value::Bool(b) => Ok(Some(b)),
            _ => Err(invalid(
                key,
                format!("`{}` must be true or false", key.name),
            )),
        }
    }

    /// A date as text: a string, a TOML date or a year.
    fn date(&self, s: Setting) -> Result<Option<String>, ProjectError> {
        let Some((key, node)) = self.get(s) else {
            return Ok(None);
        };
        match &node.value {
            Value::Text(_) | Value::Date(_) | Value::Integer(_) | Value::Null => Ok(text_of(node)),
            _ => Err(invalid(
                key,
                format!("`{}` must be a date such as \"2025-05-06\"", key.name),
            )),
        }
    }

    /// Authors: in TOML a list of names in quotes (or one); in YAML as pandoc reads them.
    fn authors(&self) -> Result<Vec<String>, ProjectError> {
        let Some((key, node)) = self.get(Setting::Authors) else {
            return Ok(Vec::new());
        };
        if self.format == Format::Toml {
            let texts = |items: &[Node]| items.iter().all(|i| matches!(i.value, Value::Text(_)));
            let ok = match &node.value {
                Value::Text(_) => true,
                Value::List(items) => texts(items),
                _ => false,
            };
            if !ok {
                return Err(invalid(
                    key,
                    format!(
                        "`{}` must be a list of names in quotes, such as [\"A. Writer\"]",
                        key.name
                    ),
                ));
            }
        }
        let mut out = Vec::new();
        names_of(node, &mut out);
        Ok(out)
    }

    fn key(&self, s: Setting) -> Option<&Key> {
        self.get(s).map(|(k, _)| k)
    }

    /// People with roles: pandoc's `creator` / `contributor` (a name, a list, or maps with
    /// `text`/`name`, `role` and `file-as`), book.toml's `[[book.contributor]]` tables
    /// (`name`, `role`, `file-as`). `default_role` for those without one.
    fn people(
        &self,
        s: Setting,
        default_role: &str,
    ) -> Result<Vec<crate::model::Contributor>, ProjectError> {
        let Some((key, node)) = self.get(s) else {
            return Ok(Vec::new());
        };
        let items: Vec<&Node> = match &node.value {
            Value::List(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            _ => vec![node],
        };
        let mut out = Vec::new();
        for item in items {
            let field = |t: &Table, names: &[&str]| {
                names
                    .iter()
                    .find_map(|n| t.iter().find(|e| e.key.name == *n))
                    .and_then(|e| text_of(&e.node))
            };
            let (name, role, file_as) = match &item.value {
                Value::Table(t) => (
                    field(t, &["name", "text"]),
                    field(t, &["role"]),
                    field(t, &["file-as", "file_as"]),
                ),
                _ => (text_of(item), None, None),
            };
            let Some(name) = name else {
                return Err(invalid(
                    key,
                    format!(
                        "each `{}` needs a name (`name: ...`, or `text: ...` as pandoc writes it)",
                        key.name
                    ),
                ));
            };
            let role = match role {
                Some(r) => marc_role(&r).ok_or_else(|| ProjectError::Config {
                    location: item.at.clone(),
                    message: format!(
                        "role `{r}` of {name} is not a MARC relator code: use aut (author), edt (editor), trl (translator), ill (illustrator), aui (introduction), ctb (contributor), ..."
                    ),
                })?,
                None => default_role.to_string(),
            };
            out.push(crate::model::Contributor {
                name,
                role,
                file_as,
            });
        }
        Ok(out)
    }

    /// The identifiers given (`identifier`: text, a map with `scheme` and `text`, or a list
    /// of them; book.toml's `[book] isbn`), the ISBN checked: (first, ISBN-13, the others).
    fn identifiers(&self) -> Result<IdentifierSet, ProjectError> {
        let mut set = IdentifierSet::default();
        let checked = |setting| -> Result<Option<String>, ProjectError> {
            let Some((_, node)) = self.get(setting) else {
                return Ok(None);
            };
            let text = text_of(node).unwrap_or_default();
            isbn::normalise(&text)
                .map(Some)
                .map_err(|m| ProjectError::Config {
                    location: node.at.clone(),
                    message: m,
                })
        };
        set.isbn = checked(Setting::Isbn)?;
        set.print_isbn = checked(Setting::PrintIsbn)?;
        set.ebook_isbn = checked(Setting::EbookIsbn)?;
        if let (Some(print), Some(ebook), Some((key, _))) = (
            &set.print_isbn,
            &set.ebook_isbn,
            self.get(Setting::EbookIsbn),
        ) {
            if print == ebook {
                return Err(invalid(
                    key,
                    format!(
                        "`ebook-isbn` is the print edition's ISBN {print}: each edition needs an ISBN of its own (stores refuse an ebook under the paperback's number); give the ebook its own or leave `ebook-isbn` out"
                    ),
                ));
            }
        }
        self.identifier_list(set)
    }

    /// The rest of [`Reader::identifiers`]: `identifier`'s items, the ISBN among them checked.
    fn identifier_list(&self, mut set: IdentifierSet) -> Result<IdentifierSet, ProjectError> {
        let Some((key, node)) = self.get(Setting::Identifier) else {
            return Ok(set);
        };
        if self.format == Format::Toml && !matches!(node.value, Value::Text(_)) {
            return Err(invalid(
                key,
                format!("`{}` must be text in quotes, such as \"...\"", key.name),
            ));
        }
        let items: Vec<&Node> = match &node.value {
            Value::List(items) => items.iter().collect(),
            _ => vec![node],
        };
        for item in items {
            // The value's own place, for an error about it.
            let (scheme, value, at) = match &item.value {
                Value::Table(t) => {
                    let text = t.iter().find(|e| e.key.name == "text");
                    (
                        t.iter()
                            .find(|e| e.key.name == "scheme")
                            .and_then(|e| text_of(&e.node)),
                        text.and_then(|e| text_of(&e.node)),
                        text.map_or(&item.at, |e| &e.node.at),
                    )
                }
                _ => (None, text_of(item), &item.at),
            };
            let Some(value) = value else { continue };
            let lower = value.to_ascii_lowercase();
            let is_isbn = scheme.as_deref().is_some_and(|s| {
                matches!(
                    s.to_ascii_lowercase().as_str(),
                    "isbn" | "isbn-13" | "isbn-10" | "isbn13" | "isbn10"
                )
            }) || lower.starts_with("urn:isbn:")
                || lower.starts_with("isbn:");
            if is_isbn {
                let isbn = isbn::normalise(&value).map_err(|m| ProjectError::Config {
                    location: at.clone(),
                    message: m,
                })?;
                if set.isbn.is_none() {
                    set.isbn = Some(isbn);
                }
                continue;
            }
            let id = crate::model::Identifier { scheme, value };
            if set.first.is_none() {
                set.first = Some(id.value.clone());
            }
            set.others.push(id);
        }
        // The first non-ISBN identifier is the book's identifier when there is no ISBN; it is
        // not listed twice.
        if set.isbn.is_none() && !set.others.is_empty() {
            set.others.remove(0);
        }
        Ok(set)
    }

    /// Paths: a list, or one text (pandoc's `resource-path` may also be `a:b`, as on its
    /// command line).
    fn paths(&self, s: Setting) -> Result<Option<Vec<String>>, ProjectError> {
        let split = self.format == Format::Yaml
            && self
                .key(s)
                .is_some_and(|k| k.name == "resource-path" || k.name == "input-files");
        let list = self.texts(s)?;
        Ok(list.map(|l| {
            if split {
                l.iter()
                    .flat_map(|p| p.split(':').map(str::to_string).collect::<Vec<_>>())
                    .filter(|p| !p.trim().is_empty())
                    .collect()
            } else {
                l
            }
        }))
    }

    /// Subjects: one text or a list.
    fn subjects(&self) -> Result<Vec<String>, ProjectError> {
        let Some((key, node)) = self.get(Setting::Subjects) else {
            return Ok(Vec::new());
        };
        let items: Vec<&Node> = match &node.value {
            Value::List(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            _ => vec![node],
        };
        items
            .into_iter()
            .map(|i| {
                text_of(i).ok_or_else(|| {
                    invalid(
                        key,
                        format!("`{}` must be a word or a list of words", key.name),
                    )
                })
            })
            .collect()
    }

    /// `[strings]`: key -> text (the keys were checked when collected); pandoc's `toc-title`
    /// is the contents' heading.
    fn strings(&self) -> Result<BTreeMap<String, String>, ProjectError> {
        let mut out = BTreeMap::new();
        if let Some((_, node)) = self.get(Setting::Strings) {
            if let Value::Table(t) = &node.value {
                for e in t {
                    match &e.node.value {
                        Value::Text(v) => {
                            out.insert(e.key.name.clone(), v.clone());
                        }
                        _ => {
                            return Err(invalid(
                                &e.key,
                                format!("`{}` must be text in quotes", e.key.name),
                            ))
                        }
                    }
                }
            }
        }
        if let Some(title) = self.text(Setting::TocTitle)? {
            out.entry("contents".to_string()).or_insert(title);
        }
        if let Some(title) = self.text(Setting::NotesTitle)? {
            out.entry("notes".to_string()).or_insert(title);
        }
        Ok(out)
    }
}

/// What [`Reader::identifiers`] found.
#[derive(Debug, Default)]
struct IdentifierSet {
    first: Option<String>,
    isbn: Option<String>,
    print_isbn: Option<String>,
    ebook_isbn: Option<String>,
    others: Vec<crate::model::Identifier>,
}

/// A role as MARC relator code: the code itself, or the English word for the common ones
/// (pandoc passes the role through; authors write `editor` as often as `edt`).
fn marc_role(role: &str) -> Option<String> {
    const WORDS: &[(&str, &str)] = &[
        ("author", "aut"),
        ("editor", "edt"),
        ("translator", "trl"),
        ("illustrator", "ill"),
        ("contributor", "ctb"),
        ("photographer", "pht"),
        ("introduction", "aui"),
        ("foreword", "aui"),
        ("afterword", "aft"),
        ("narrator", "nrt"),
        ("designer", "dsr"),
        ("cover-designer", "cov"),
        ("compiler", "com"),
        ("publisher", "pbl"),
    ];
    let r = role.trim().to_ascii_lowercase();
    if let Some((_, code)) = WORDS.iter().find(|(w, _)| *w == r) {
        return Some((*code).to_string());
    }
    (r.len() == 3 && r.chars().all(|c| c.is_ascii_lowercase())).then_some(r)
}

/// The configuration the keys given make, every value checked.
fn build(
    format: Format,
    path: &Path,
    given: &Given<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Config, ProjectError> {
    let r = Reader { format, given };
    // The key of a setting, for an error about its value (only given values are checked, so
    // the file is never used).
    let at = |s: Setting| {
        r.key(s).cloned().unwrap_or_else(|| Key {
            name: String::new(),
            at: Location::file(path),
        })
    };

    let mut print = match r.text(Setting::TrimSize)? {
        Some(s) => {
            let trim: TrimSize = s.parse().map_err(|e: crate::settings::TrimSizeError| {
                invalid(&at(Setting::TrimSize), e.to_string())
            })?;
            PrintSettings::for_trim(trim)
        }
        None => PrintSettings::default(),
    };
    if let Some(size) = r.number(Setting::FontSize)? {
        if !(5.0..=30.0).contains(&size) {
            return Err(invalid(
                &at(Setting::FontSize),
                format!("font-size {size} is out of range: use 5 to 30 (points)"),
            ));
        }
        print.leading = (size * 1.3 * 2.0).round() / 2.0;
        print.code_size = crate::settings::default_code_size(size);
        print.font_size = size;
    }
    if let Some(size) = r.number(Setting::CodeSize)? {
        if !(5.0..=print.font_size * 1.5).contains(&size) {
            return Err(invalid(
                &at(Setting::CodeSize),
                format!(
                    "code-size {size} is out of range: use 5 to {} (points, up to 1.5 x font-size)",
                    print.font_size * 1.5
                ),
            ));
        }
        print.code_size = size;
    }
    if let Some(leading) = r.number(Setting::Leading)? {
        if !(print.font_size..=print.font_size * 3.0).contains(&leading) {
            return Err(invalid(
                &at(Setting::Leading),
                format!(
                    "leading {leading} is out of range: use {} to {} (points, at least the font size)",
                    print.font_size,
                    print.font_size * 3.0
                ),
            ));
        }
        print.leading = leading;
    }
    if let Some(h) = r.flag(Setting::Hyphenate)? {
        print.hyphenate = h;
    }
    if let Some(o) = r.text(Setting::Opening)? {
        print.opening = o
            .parse()
            .map_err(|m: String| invalid(&at(Setting::Opening), m))?;
    }
    if let Some(g) = r.text(Setting::Gutter)? {
        print.gutter = parse_gutter(&g).ok_or_else(|| {
            invalid(
                &at(Setting::Gutter),
                format!("gutter `{g}`: use \"auto\" or a length from 0.25in to 2in, such as \"0.75in\", \"20mm\" or \"54pt\""),
            )
        })?;
    }
    print.chapter_level = r.level(Setting::ChapterLevel, 1).map_err(|_| {
        invalid(
            &at(Setting::ChapterLevel),
            "chapter-level must be 1 to 6 (the SUMMARY.md level that opens a chapter on a recto)",
        )
    })?;
    // 0: no printed contents (the EPUB's navigation, which every reading system needs, and
    // the PDF's bookmarks then list the chapters only).
    let toc_depth = match r.get(Setting::TocDepth) {
        None => 2,
        Some((_, node)) if matches!(node.value, Value::Integer(0)) => 0,
        Some(_) => r.level(Setting::TocDepth, 2).map_err(|_| {
            invalid(
                &at(Setting::TocDepth),
                "[toc] depth must be 0 (no printed contents) to 6",
            )
        })?,
    };
    let output_name = r.text(Setting::OutputName)?;
    if let Some(name) = &output_name {
        crate::build::check_output_name(name)
            .map_err(|m| invalid(&at(Setting::OutputName), format!("[output] name: {m}")))?;
    }
    let split_level = r.level(Setting::SplitLevel, 1)?;
    let embed_fonts = r.flag(Setting::EmbedFonts)?.unwrap_or(true);
    let page_list = r.flag(Setting::PageList)?.unwrap_or(true);
    let link_base = match r.text(Setting::LinkBase)? {
        Some(b) if b.starts_with("https://") || b.starts_with("http://") => Some(b),
        Some(b) => {
            return Err(invalid(
                &at(Setting::LinkBase),
                format!("link-base `{b}` must be an absolute http(s) URL, such as \"https://example.com/book/\""),
            ))
        }
        None => None,
    };

    let dialect = match r.text(Setting::Dialect)? {
        Some(d) => Some(
            d.parse()
                .map_err(|m: String| invalid(&at(Setting::Dialect), m))?,
        ),
        None => None,
    };

    let mut origins = Origins::new(path);
    for (&setting, (key, _)) in given {
        origins.set(setting, key.at.clone());
    }
    let fonts = read_fonts(path, &r, &origins)?;
    // Authors first (`author`), then pandoc's creators (authors unless a role says otherwise),
    // then contributors; only authors make the author line.
    let mut contributors: Vec<crate::model::Contributor> = r
        .authors()?
        .into_iter()
        .map(|name| crate::model::Contributor {
            name,
            role: "aut".into(),
            file_as: None,
        })
        .collect();
    if let Some((_, node)) = r.get(Setting::Authors) {
        // pandoc's `author: [{name: ..., file-as: ...}]`.
        if let Value::List(items) = &node.value {
            let sorts: Vec<Option<String>> = items
                .iter()
                .map(|i| match &i.value {
                    Value::Table(t) => t
                        .iter()
                        .find(|e| e.key.name == "file-as")
                        .and_then(|e| text_of(&e.node)),
                    _ => None,
                })
                .collect();
            for (c, sort) in contributors.iter_mut().zip(sorts) {
                c.file_as = sort;
            }
        }
    }
    contributors.extend(r.people(Setting::Creators, "aut")?);
    let default_role = if format == Format::Toml { "aut" } else { "ctb" };
    contributors.extend(r.people(Setting::Contributors, default_role)?);
    let authors: Vec<String> = contributors
        .iter()
        .filter(|c| c.is_author())
        .map(|c| c.name.clone())
        .collect();
    let ids = r.identifiers()?;
    let series = match r.text(Setting::Series)? {
        Some(name) => Some(crate::model::Series {
            name,
            position: match r.get(Setting::SeriesIndex) {
                Some((key, node)) => match &node.value {
                    Value::Integer(_) | Value::Float(_) | Value::Text(_) => text_of(node),
                    _ => {
                        return Err(invalid(
                            key,
                            format!("`{}` must be a number such as 2", key.name),
                        ))
                    }
                },
                None => None,
            },
        }),
        None => None,
    };
    let cover = read_cover(path, &r, warnings)?;
    let pdf_cover = r.flag(Setting::PdfCover)?.unwrap_or(false);
    let paper = match r.text(Setting::Paper)? {
        Some(p) => p
            .parse()
            .map_err(|m: String| invalid(&at(Setting::Paper), m))?,
        None => Paper::default(),
    };
    let metadata = RawMetadata {
        title: r.text(Setting::Title)?,
        subtitle: r.text(Setting::Subtitle)?,
        authors,
        contributors,
        isbn: ids.isbn.clone(),
        print_isbn: ids.print_isbn,
        ebook_isbn: ids.ebook_isbn,
        other_identifiers: ids.others,
        series,
        subjects: r.subjects()?,
        language: r.text(Setting::Language)?,
        identifier: match ids.isbn {
            Some(isbn) => Some(format!("urn:isbn:{isbn}")),
            None => ids.first,
        },
        date: r.date(Setting::Date)?,
        modified: r.date(Setting::Modified)?,
        publisher: r.text(Setting::Publisher)?,
        rights: r.text(Setting::Rights)?,
        description: r.text(Setting::Description)?,
    };
    Ok(Config {
        file: Some(path.to_path_buf()),
        metadata,
        src: r.text(Setting::Src)?,
        chapters: r.paths(Setting::Chapters)?,
        split_level,
        image_path: r.paths(Setting::ImagePath)?.unwrap_or_default(),
        pandoc_defaults: r.text(Setting::PandocDefaults)?,
        link_base,
        dialect,
        settings: Settings {
            print,
            toc_depth,
            fonts,
            embed_fonts,
            output_name,
            strings: r.strings()?,
            cover,
            pdf_cover,
            paper,
            page_list,
            origins,
        },
    })
}

/// The faces `fonts` names, read from the configuration file's folder; an error points at the
/// key.
fn read_fonts(
    path: &Path,
    r: &Reader<'_, '_>,
    origins: &Origins,
) -> Result<crate::fonts::Fonts, ProjectError> {
    const FACES: &[(&str, Setting)] = &[
        ("regular", Setting::FontRegular),
        ("italic", Setting::FontItalic),
        ("bold", Setting::FontBold),
        ("bold-italic", Setting::FontBoldItalic),
        ("mono", Setting::FontMono),
    ];
    let paths = crate::project::fonts::FontPaths {
        regular: r.text(Setting::FontRegular)?,
        italic: r.text(Setting::FontItalic)?,
        bold: r.text(Setting::FontBold)?,
        bold_italic: r.text(Setting::FontBoldItalic)?,
        mono: r.text(Setting::FontMono)?,
    };
    if paths == crate::project::fonts::FontPaths::default() {
        return Ok(crate::fonts::Fonts::default());
    }
    let root = path.parent().unwrap_or(Path::new("."));
    let choice = crate::project::fonts::load(root, &paths).map_err(|e| {
        let setting = FACES.iter().find(|(k, _)| *k == e.key).map(|(_, s)| *s);
        ProjectError::Config {
            location: setting.map_or_else(|| Location::file(path), |s| origins.of(s)),
            message: e.message,
        }
    })?;
    Ok(crate::fonts::Fonts::with(choice))
}

/// `cover`: `false`, or a JPEG or PNG inside the manuscript (checked, with a warning at the key
/// when it is small or oddly shaped for a store).
fn read_cover(
    path: &Path,
    r: &Reader<'_, '_>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Cover, ProjectError> {
    let Some((key, node)) = r.get(Setting::Cover) else {
        return Ok(Cover::Auto);
    };
    let written = match &node.value {
        Value::Bool(false) => return Ok(Cover::Off),
        Value::Text(t) if !t.trim().is_empty() => t.trim(),
        _ => {
            return Err(invalid(
                key,
                format!(
                    "`{}` must be the cover image, such as \"cover.jpg\" (a JPEG or PNG in the manuscript folder), or false for no cover",
                    key.name
                ),
            ))
        }
    };
    let root = path.parent().unwrap_or(Path::new(""));
    let image = crate::project::cover::check(root, written)
        .map_err(|m| invalid(key, format!("{} = \"{written}\": {m}", key.name)))?;
    warnings.extend(image.advice().map(|m| {
        Diagnostic::warning(
            Code::CoverSize,
            key.at.clone(),
            format!("{} = \"{written}\": {m}", key.name),
        )
    }));
    Ok(Cover::Image(image.path))
}

/// `auto`, or a length from 0.25 in to 2 in with a unit (in, mm, pt).
fn parse_gutter(text: &str) -> Option<Gutter> {
    use crate::settings::{POINTS_PER_INCH, POINTS_PER_MM};
    let t = text.trim().to_ascii_lowercase();
    if t == "auto" {
        return Some(Gutter::Auto);
    }
    let (n, unit) = if let Some(n) = t.strip_suffix("in") {
        (n, POINTS_PER_INCH)
    } else if let Some(n) = t.strip_suffix("mm") {
        (n, POINTS_PER_MM)
    } else {
        (t.strip_suffix("pt")?, 1.0)
    };
    let points = n.trim().parse::<f32>().ok()? * unit;
    (18.0..=144.0)
        .contains(&points)
        .then_some(Gutter::Fixed(points))
}
