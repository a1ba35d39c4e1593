//! Metadata and settings: `book.toml` (mdBook's layout plus quire's own tables), or pandoc-style
//! YAML (`metadata.yaml` beside the chapters, or front matter at the top of a single file).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ProjectError;
use crate::diagnostic::{Location, Warning};
use crate::settings::{PrintSettings, Settings, TrimSize};

/// Metadata as the author wrote it, before defaults are filled in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawMetadata {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
    pub identifier: Option<String>,
    pub date: Option<String>,
    pub modified: Option<String>,
    pub publisher: Option<String>,
    pub rights: Option<String>,
    pub description: Option<String>,
}

/// Everything read from the configuration file, whichever format it came in.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file it came from, if any (for diagnostics).
    pub file: Option<PathBuf>,
    pub metadata: RawMetadata,
    /// Folder of chapter files, relative to the manuscript folder (mdBook's `src`).
    pub src: Option<String>,
    /// Explicit chapter order (`[manuscript] chapters`).
    pub chapters: Option<Vec<String>>,
    /// Heading level that starts a chapter when one file holds the whole book.
    pub split_level: u8,
    /// Folders (relative to the manuscript folder) searched for an image not found beside the
    /// chapter that uses it (`[manuscript] image-path`).
    pub image_path: Vec<String>,
    /// Base URL for relative links that leave the book (`[manuscript] link-base`): an mdBook
    /// book's `../std/index.html` becomes `https://doc.rust-lang.org/std/index.html` with
    /// `link-base = "https://doc.rust-lang.org/book/"`.
    pub link_base: Option<String>,
    pub settings: Settings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            file: None,
            metadata: RawMetadata::default(),
            src: None,
            chapters: None,
            split_level: 1,
            image_path: Vec::new(),
            link_base: None,
            settings: Settings::default(),
        }
    }
}

type Extra = BTreeMap<String, toml::Value>;

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct BookToml {
    #[serde(default)]
    book: BookTable,
    #[serde(default)]
    metadata: MetadataTable,
    #[serde(default)]
    manuscript: ManuscriptTable,
    #[serde(default)]
    pdf: PdfTable,
    #[serde(default)]
    toc: TocTable,
    #[serde(default)]
    fonts: FontsTable,
    #[serde(flatten)]
    other: Extra,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct FontsTable {
    regular: Option<String>,
    italic: Option<String>,
    bold: Option<String>,
    bold_italic: Option<String>,
    mono: Option<String>,
    #[serde(flatten)]
    other: Extra,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct BookTable {
    title: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    language: Option<String>,
    description: Option<String>,
    src: Option<String>,
    #[serde(flatten)]
    other: Extra,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct MetadataTable {
    subtitle: Option<String>,
    identifier: Option<String>,
    date: Option<toml::Value>,
    modified: Option<toml::Value>,
    publisher: Option<String>,
    rights: Option<String>,
    #[serde(flatten)]
    other: Extra,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct ManuscriptTable {
    chapters: Option<Vec<String>>,
    split_level: Option<u8>,
    image_path: Option<Vec<String>>,
    link_base: Option<String>,
    #[serde(flatten)]
    other: Extra,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct PdfTable {
    trim_size: Option<String>,
    font_size: Option<f32>,
    leading: Option<f32>,
    hyphenate: Option<bool>,
    opening: Option<String>,
    gutter: Option<String>,
    chapter_level: Option<u8>,
    #[serde(flatten)]
    other: Extra,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct TocTable {
    depth: Option<u8>,
    #[serde(flatten)]
    other: Extra,
}

/// Top-level tables mdBook (or its plugins) use: an mdBook project is a quire manuscript, so
/// these are accepted silently.
const MDBOOK_TABLES: &[&str] = &["build", "output", "preprocessor", "rust"];
/// Keys of mdBook's `[book]` quire does not use.
const MDBOOK_BOOK_KEYS: &[&str] = &["multilingual", "text-direction"];

/// Reads `book.toml`.
pub fn read_book_toml(path: &Path, text: &str) -> Result<(Config, Vec<Warning>), ProjectError> {
    let parsed: BookToml = toml::from_str(text).map_err(|e| {
        let location = match e.span() {
            Some(span) => Location::at_offset(path, text, span.start),
            None => Location::file(path),
        };
        ProjectError::Config {
            location,
            message: e.message().trim().to_string(),
        }
    })?;
    let mut warnings = Vec::new();
    let mut unknown = |table: &str, extra: &Extra, allowed: &[&str]| {
        for key in extra.keys().filter(|k| !allowed.contains(&k.as_str())) {
            let name = if table.is_empty() {
                format!("[{key}]")
            } else {
                format!("`{key}` in [{table}]")
            };
            warnings.push(Warning {
                location: Location::at_offset(path, text, key_offset(text, key)),
                message: format!(
                    "unknown key {name}: quire ignores it{} (see README, \"book.toml\")",
                    did_you_mean(table, key)
                ),
            });
        }
    };
    unknown("", &parsed.other, MDBOOK_TABLES);
    unknown("book", &parsed.book.other, MDBOOK_BOOK_KEYS);
    unknown("metadata", &parsed.metadata.other, &[]);
    unknown("manuscript", &parsed.manuscript.other, &[]);
    unknown("pdf", &parsed.pdf.other, &[]);
    unknown("toc", &parsed.toc.other, &[]);
    unknown("fonts", &parsed.fonts.other, &[]);

    let config_error = |key: &str, message: String| ProjectError::Config {
        location: Location::at_offset(path, text, key_offset(text, key)),
        message,
    };

    let date_string = |key: &str, v: Option<toml::Value>| -> Result<Option<String>, ProjectError> {
        match v {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s)),
            Some(toml::Value::Datetime(d)) => Ok(Some(d.to_string())),
            Some(toml::Value::Integer(y)) => Ok(Some(y.to_string())),
            Some(_) => Err(config_error(
                key,
                format!("`{key}` must be a date such as \"2025-05-06\""),
            )),
        }
    };

    let mut print = match &parsed.pdf.trim_size {
        Some(s) => {
            let trim: TrimSize = s.parse().map_err(|e: crate::settings::TrimSizeError| {
                config_error("trim-size", e.to_string())
            })?;
            PrintSettings::for_trim(trim)
        }
        None => PrintSettings::default(),
    };
    if let Some(size) = parsed.pdf.font_size {
        if !(5.0..=30.0).contains(&size) {
            return Err(config_error(
                "font-size",
                format!("font-size {size} is out of range: use 5 to 30 (points)"),
            ));
        }
        print.leading = (size * 1.3 * 2.0).round() / 2.0;
        print.font_size = size;
    }
    if let Some(leading) = parsed.pdf.leading {
        if !(print.font_size..=print.font_size * 3.0).contains(&leading) {
            return Err(config_error(
                "leading",
                format!(
                    "leading {leading} is out of range: use {} to {} (points, at least the font size)",
                    print.font_size,
                    print.font_size * 3.0
                ),
            ));
        }
        print.leading = leading;
    }
    if let Some(h) = parsed.pdf.hyphenate {
        print.hyphenate = h;
    }
    if let Some(o) = &parsed.pdf.opening {
        print.opening = o.parse().map_err(|m| config_error("opening", m))?;
    }
    if let Some(g) = &parsed.pdf.gutter {
        print.gutter = parse_gutter(g).ok_or_else(|| {
            config_error(
                "gutter",
                format!("gutter `{g}`: use \"auto\" or a length from 0.25in to 2in, such as \"0.75in\", \"20mm\" or \"54pt\""),
            )
        })?;
    }
    if let Some(level) = parsed.pdf.chapter_level {
        if !(1..=6).contains(&level) {
            return Err(config_error(
                "chapter-level",
                "chapter-level must be 1 to 6 (the SUMMARY.md level that opens a chapter on a recto)".into(),
            ));
        }
        print.chapter_level = level;
    }
    let toc_depth = parsed.toc.depth.unwrap_or(2);
    if !(1..=6).contains(&toc_depth) {
        return Err(config_error("depth", "[toc] depth must be 1 to 6".into()));
    }
    let split_level = parsed.manuscript.split_level.unwrap_or(1);
    if !(1..=6).contains(&split_level) {
        return Err(config_error(
            "split-level",
            "split-level must be 1 to 6".into(),
        ));
    }

    let fonts = read_fonts(path, text, parsed.fonts)?;

    let metadata = RawMetadata {
        title: parsed.book.title,
        subtitle: parsed.metadata.subtitle,
        authors: parsed.book.authors,
        language: parsed.book.language,
        identifier: parsed.metadata.identifier,
        date: date_string("date", parsed.metadata.date)?,
        modified: date_string("modified", parsed.metadata.modified)?,
        publisher: parsed.metadata.publisher,
        rights: parsed.metadata.rights,
        description: parsed.book.description,
    };
    let config = Config {
        file: Some(path.to_path_buf()),
        metadata,
        src: parsed.book.src,
        chapters: parsed.manuscript.chapters,
        split_level,
        image_path: parsed.manuscript.image_path.unwrap_or_default(),
        link_base: check_link_base(parsed.manuscript.link_base)
            .map_err(|m| config_error("link-base", m))?,
        settings: Settings {
            print,
            toc_depth,
            fonts,
        },
    };
    Ok((config, warnings))
}

/// The keys quire reads, per table (`""`: the top-level tables), for "did you mean".
const KNOWN_KEYS: &[(&str, &[&str])] = &[
    (
        "",
        &["book", "metadata", "manuscript", "pdf", "toc", "fonts"],
    ),
    (
        "book",
        &["title", "authors", "language", "description", "src"],
    ),
    (
        "metadata",
        &[
            "subtitle",
            "identifier",
            "date",
            "modified",
            "publisher",
            "rights",
        ],
    ),
    (
        "manuscript",
        &["chapters", "split-level", "image-path", "link-base"],
    ),
    (
        "pdf",
        &[
            "trim-size",
            "font-size",
            "leading",
            "hyphenate",
            "opening",
            "gutter",
            "chapter-level",
        ],
    ),
    ("toc", &["depth"]),
    (
        "fonts",
        &["regular", "italic", "bold", "bold-italic", "mono"],
    ),
];

/// `: did you mean `trim-size`?` for a key close to one of the table's keys (by edit distance,
/// or as a prefix: `trim`, `lang`), or `: `trim-size` belongs in [pdf]` for a key of another
/// table; empty when nothing is close.
fn did_you_mean(table: &str, key: &str) -> String {
    let norm = key.to_ascii_lowercase().replace('_', "-");
    let own = KNOWN_KEYS
        .iter()
        .find(|(t, _)| *t == table)
        .map_or(&[][..], |(_, keys)| *keys);
    let close = |known: &str| {
        let distance = strsim::levenshtein(&norm, known);
        distance <= (norm.len() / 3).max(2)
            || (norm.len() >= 3 && (known.starts_with(&norm) || norm.starts_with(known)))
    };
    let best = own
        .iter()
        .filter(|k| close(k))
        .min_by_key(|k| strsim::levenshtein(&norm, k));
    if let Some(k) = best {
        return format!("; did you mean `{k}`?");
    }
    if !table.is_empty() {
        if let Some((other, _)) = KNOWN_KEYS
            .iter()
            .find(|(t, keys)| !t.is_empty() && keys.contains(&norm.as_str()))
        {
            return format!("; `{norm}` belongs in [{other}]");
        }
    }
    String::new()
}

/// Byte offset of the line that sets `key`, for pointing at it; 0 when not found.
fn key_offset(text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return offset + (line.len() - trimmed.len());
            }
        }
        if trimmed.starts_with('[')
            && trimmed
                .trim_matches(|c| c == '[' || c == ']' || c == '\n')
                .trim()
                == key
        {
            return offset;
        }
        offset += line.len();
    }
    0
}

/// The faces `[fonts]` names, read from the manuscript folder (book.toml's folder); an error
/// points at the key.
fn read_fonts(
    path: &Path,
    text: &str,
    table: FontsTable,
) -> Result<crate::fonts::Fonts, ProjectError> {
    let paths = super::fonts::FontPaths {
        regular: table.regular,
        italic: table.italic,
        bold: table.bold,
        bold_italic: table.bold_italic,
        mono: table.mono,
    };
    if paths == super::fonts::FontPaths::default() {
        return Ok(crate::fonts::Fonts::default());
    }
    let root = path.parent().unwrap_or(Path::new("."));
    let choice = super::fonts::load(root, &paths).map_err(|e| ProjectError::Config {
        location: Location::at_offset(path, text, key_offset(text, e.key)),
        message: e.message,
    })?;
    Ok(crate::fonts::Fonts::with(choice))
}

/// `link-base` must be an absolute `http(s)` URL.
fn check_link_base(base: Option<String>) -> Result<Option<String>, String> {
    match base {
        Some(b) if b.starts_with("https://") || b.starts_with("http://") => Ok(Some(b)),
        Some(b) => Err(format!(
            "link-base `{b}` must be an absolute http(s) URL, such as \"https://example.com/book/\""
        )),
        None => Ok(None),
    }
}

/// Reads pandoc-style YAML metadata (a `metadata.yaml` file, or the front matter of a file whose
/// YAML starts on line `first_line`).
pub fn read_yaml(
    path: &Path,
    yaml: &str,
    first_line: usize,
) -> Result<(Config, Vec<Warning>), ProjectError> {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(|e| {
        let line = e
            .location()
            .map(|l| (l.line() + first_line - 1, l.column()));
        ProjectError::Config {
            location: match line {
                Some((l, c)) => Location::at(path, l, c),
                None => Location::file(path),
            },
            message: e.to_string(),
        }
    })?;
    let map = match value {
        serde_yaml::Value::Mapping(m) => m,
        serde_yaml::Value::Null => serde_yaml::Mapping::new(),
        _ => {
            return Err(ProjectError::Config {
                location: Location::at(path, first_line, 1),
                message: "the YAML metadata must be a map of keys (`title: ...`), not a list or a single value".into(),
            })
        }
    };
    let get = |key: &str| map.get(key);
    let text = |key: &str| get(key).and_then(yaml_text);
    let mut authors = Vec::new();
    if let Some(author) = get("author")
        .or_else(|| get("authors"))
        .or_else(|| get("creator"))
    {
        collect_names(author, &mut authors);
    }
    let split_level = match get("split-level").and_then(|v| v.as_u64()) {
        Some(l) if (1..=6).contains(&l) => l as u8,
        Some(_) => {
            return Err(ProjectError::Config {
                location: Location::file(path),
                message: "split-level must be 1 to 6".into(),
            })
        }
        None => 1,
    };
    let mut settings = Settings::default();
    if let Some(trim) = text("trim-size") {
        let trim: TrimSize =
            trim.parse()
                .map_err(|e: crate::settings::TrimSizeError| ProjectError::Config {
                    location: Location::file(path),
                    message: e.to_string(),
                })?;
        settings.print = PrintSettings::for_trim(trim);
    }
    let metadata = RawMetadata {
        title: text("title"),
        subtitle: text("subtitle"),
        authors,
        language: text("lang").or_else(|| text("language")),
        identifier: get("identifier").and_then(identifier_text),
        date: text("date"),
        modified: text("modified"),
        publisher: text("publisher"),
        rights: text("rights"),
        description: text("description").or_else(|| text("abstract")),
    };
    Ok((
        Config {
            file: Some(path.to_path_buf()),
            metadata,
            split_level,
            settings,
            image_path: match get("image-path") {
                Some(serde_yaml::Value::Sequence(items)) => {
                    items.iter().filter_map(yaml_text).collect()
                }
                Some(v) => yaml_text(v).into_iter().collect(),
                None => Vec::new(),
            },
            link_base: check_link_base(text("link-base")).map_err(|message| {
                ProjectError::Config {
                    location: Location::file(path),
                    message,
                }
            })?,
            ..Config::default()
        },
        Vec::new(),
    ))
}

fn yaml_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        // pandoc allows `title: [{type: main, text: ...}]` and `{text: ...}` forms.
        serde_yaml::Value::Mapping(m) => m.get("text").and_then(yaml_text),
        serde_yaml::Value::Sequence(items) => items.first().and_then(yaml_text),
        _ => None,
    }
}

fn identifier_text(v: &serde_yaml::Value) -> Option<String> {
    yaml_text(v)
}

fn collect_names(v: &serde_yaml::Value, out: &mut Vec<String>) {
    match v {
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|i| collect_names(i, out)),
        serde_yaml::Value::Mapping(m) => {
            if let Some(name) = m.get("name").or_else(|| m.get("text")).and_then(yaml_text) {
                out.push(name);
            }
        }
        other => {
            if let Some(name) = yaml_text(other) {
                out.push(name);
            }
        }
    }
}

/// Splits YAML front matter (`---` ... `---` or `...`) off the top of a Markdown file.
/// Returns the YAML, the line it starts on and the rest of the text.
pub fn split_front_matter(text: &str) -> Option<(&str, usize, &str)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let t = line.trim_end();
        if offset > 0 && (t == "---" || t == "...") {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((yaml, 2, body));
        }
        if offset == 0 && (t == "---" || t == "...") {
            return Some(("", 2, &rest[line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// `auto`, or a length from 0.25 in to 2 in with a unit (in, mm, pt).
fn parse_gutter(text: &str) -> Option<crate::settings::Gutter> {
    use crate::settings::{Gutter, POINTS_PER_INCH, POINTS_PER_MM};
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdbook_book_toml_is_read() {
        let text = r#"
[book]
title = "T"
authors = ["A", "B"]
language = "de"
src = "src"
multilingual = false

[output.html]
theme = "x"

[pdf]
trim-size = "6x9in"
font-size = 10

[manuscript]
split-level = 2
"#;
        let (c, w) = read_book_toml(Path::new("book.toml"), text).unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c.metadata.title.as_deref(), Some("T"));
        assert_eq!(c.metadata.authors, ["A", "B"]);
        assert_eq!(c.src.as_deref(), Some("src"));
        assert_eq!(c.split_level, 2);
        assert_eq!(c.settings.print.trim, TrimSize::inches(6.0, 9.0));
        assert_eq!(c.settings.print.font_size, 10.0);
    }

    #[test]
    fn unknown_keys_are_warned_about_with_their_line() {
        let text = "[book]\ntitle = \"T\"\n\n[pdf]\ntrim = \"6x9in\"\n";
        let (_, w) = read_book_toml(Path::new("book.toml"), text).unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].location.line, Some(5));
        assert!(w[0].message.contains("trim"));
        assert!(
            w[0].message.contains("did you mean `trim-size`?"),
            "{}",
            w[0].message
        );
    }

    #[test]
    fn unknown_keys_get_a_suggestion_when_one_is_close() {
        assert_eq!(
            did_you_mean("pdf", "fontsize"),
            "; did you mean `font-size`?"
        );
        assert_eq!(did_you_mean("book", "author"), "; did you mean `authors`?");
        assert_eq!(did_you_mean("book", "lang"), "; did you mean `language`?");
        assert_eq!(did_you_mean("", "mtadata"), "; did you mean `metadata`?");
        assert_eq!(
            did_you_mean("book", "trim-size"),
            "; `trim-size` belongs in [pdf]"
        );
        assert_eq!(did_you_mean("pdf", "colour"), "");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let text = "[book]\ntitle = \"T\n";
        let err = read_book_toml(Path::new("book.toml"), text).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("book.toml:2:"), "{msg}");
    }

    #[test]
    fn opening_and_gutter_are_read() {
        use crate::settings::{Gutter, Opening};
        let text = "[book]\ntitle = \"T\"\n[pdf]\nopening = \"none\"\ngutter = \"0.8in\"\n";
        let (c, _) = read_book_toml(Path::new("book.toml"), text).unwrap();
        assert_eq!(c.settings.print.opening, Opening::None);
        assert_eq!(c.settings.print.gutter, Gutter::Fixed(0.8 * 72.0));
        let text = "[book]\ntitle = \"T\"\n[pdf]\ngutter = \"auto\"\n";
        let (c, _) = read_book_toml(Path::new("book.toml"), text).unwrap();
        assert_eq!(c.settings.print.gutter, Gutter::Auto);
        assert_eq!(c.settings.print.opening, Opening::SmallCaps);
        for bad in [
            "opening = \"drop\"",
            "gutter = \"5in\"",
            "gutter = \"wide\"",
        ] {
            let text = format!("[book]\ntitle = \"T\"\n[pdf]\n{bad}\n");
            let msg = read_book_toml(Path::new("book.toml"), &text)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(msg.contains("book.toml:4"), "{bad}: {msg}");
        }
    }

    #[test]
    fn bad_trim_size_is_an_error() {
        let text = "[book]\ntitle = \"T\"\n[pdf]\ntrim-size = \"huge\"\n";
        let msg = read_book_toml(Path::new("book.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("book.toml:4") && msg.contains("6x9in"),
            "{msg}"
        );
    }

    #[test]
    fn pandoc_yaml_is_read() {
        let yaml = "title: Pride and Prejudice\nauthor: Jane Austen\nlang: en-GB\ndate: \"1813\"\nidentifier: urn:x:1\n";
        let (c, _) = read_yaml(Path::new("metadata.yaml"), yaml, 1).unwrap();
        assert_eq!(c.metadata.title.as_deref(), Some("Pride and Prejudice"));
        assert_eq!(c.metadata.authors, ["Jane Austen"]);
        assert_eq!(c.metadata.language.as_deref(), Some("en-GB"));
        assert_eq!(c.metadata.date.as_deref(), Some("1813"));
        assert_eq!(c.metadata.identifier.as_deref(), Some("urn:x:1"));
    }

    #[test]
    fn yaml_that_is_not_a_map_is_an_error() {
        let err = read_yaml(Path::new("m.yaml"), "- a\n- b\n", 1).unwrap_err();
        assert!(err.to_string().contains("must be a map"));
    }

    #[test]
    fn front_matter_is_split_off() {
        let (yaml, line, body) = split_front_matter("---\ntitle: X\n---\n# One\n").unwrap();
        assert_eq!(yaml, "title: X\n");
        assert_eq!(line, 2);
        assert_eq!(body, "# One\n");
        assert!(split_front_matter("# No front matter\n").is_none());
    }
}
