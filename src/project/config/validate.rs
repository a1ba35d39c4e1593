//! The one validator of the configuration, whichever format it was written in: the keys a
//! [`Table`] holds are matched against the format's names ([`TOML_KEYS`], [`YAML_KEYS`]), every
//! unknown key is a warning at its line, and every value is checked and turned into the
//! [`Config`], with the place of each key kept in [`Origins`].
//!
//! Adding a setting: a [`Setting`] variant, its names in the tables below, and its reading in
//! [`build`].

use std::collections::BTreeMap;
use std::path::Path;

use super::{Config, Entry, Key, Node, RawMetadata, Table, Value};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::project::ProjectError;
use crate::settings::{Gutter, Origins, PrintSettings, Setting, Settings, TrimSize};

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
    ("manuscript", "dialect", Setting::Dialect),
    ("pdf", "trim-size", Setting::TrimSize),
    ("pdf", "font-size", Setting::FontSize),
    ("pdf", "leading", Setting::Leading),
    ("pdf", "hyphenate", Setting::Hyphenate),
    ("pdf", "opening", Setting::Opening),
    ("pdf", "gutter", Setting::Gutter),
    ("pdf", "chapter-level", Setting::ChapterLevel),
    ("toc", "depth", Setting::TocDepth),
    ("epub", "embed-fonts", Setting::EmbedFonts),
    ("fonts", "regular", Setting::FontRegular),
    ("fonts", "italic", Setting::FontItalic),
    ("fonts", "bold", Setting::FontBold),
    ("fonts", "bold-italic", Setting::FontBoldItalic),
    ("fonts", "mono", Setting::FontMono),
];

/// The tables of [`TOML_KEYS`], in book.toml order.
const TOML_TABLES: &[&str] = &[
    "book",
    "metadata",
    "manuscript",
    "pdf",
    "toc",
    "epub",
    "fonts",
];

/// Of those, the ones YAML metadata may hold as maps (the others are pandoc's top-level keys).
const YAML_TABLES: &[&str] = &["manuscript", "pdf", "toc", "epub", "fonts"];

/// pandoc's metadata names at the top level of the YAML (several names may mean one setting:
/// the first one written is used), and quire's settings a pandoc author writes there.
const YAML_KEYS: &[(&str, Setting)] = &[
    ("title", Setting::Title),
    ("subtitle", Setting::Subtitle),
    ("author", Setting::Authors),
    ("authors", Setting::Authors),
    ("creator", Setting::Authors),
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
    let config = build(format, path, &given)?;
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
            collect_table(Format::Toml, name, table, given, warnings);
        } else if MDBOOK_TABLES.contains(&name) {
            if name == "output" {
                if let Value::Table(outputs) = &entry.node.value {
                    mdbook_html(outputs, warnings);
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
    for entry in entries {
        let name = entry.key.name.as_str();
        match TOML_KEYS.iter().find(|(t, k, _)| *t == table && *k == name) {
            Some(&(_, _, setting)) => give(given, setting, entry),
            None if table == "book" && MDBOOK_BOOK_KEYS.contains(&name) => {}
            None => warnings.push(unknown(format, table, &entry.key, &entry.node)),
        }
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
}

/// The configuration the keys given make, every value checked.
fn build(format: Format, path: &Path, given: &Given<'_>) -> Result<Config, ProjectError> {
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
        print.font_size = size;
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
    let toc_depth = r
        .level(Setting::TocDepth, 2)
        .map_err(|_| invalid(&at(Setting::TocDepth), "[toc] depth must be 1 to 6"))?;
    let split_level = r.level(Setting::SplitLevel, 1)?;
    let embed_fonts = r.flag(Setting::EmbedFonts)?.unwrap_or(true);
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
    let metadata = RawMetadata {
        title: r.text(Setting::Title)?,
        subtitle: r.text(Setting::Subtitle)?,
        authors: r.authors()?,
        language: r.text(Setting::Language)?,
        identifier: r.text(Setting::Identifier)?,
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
        chapters: r.texts(Setting::Chapters)?,
        split_level,
        image_path: r.texts(Setting::ImagePath)?.unwrap_or_default(),
        link_base,
        dialect,
        settings: Settings {
            print,
            toc_depth,
            fonts,
            embed_fonts,
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
