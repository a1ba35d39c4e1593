//! Metadata and settings: `book.toml` (mdBook's layout plus quire's own tables), or pandoc-style
//! YAML (`metadata.yaml` beside the chapters, or front matter at the top of a single file).
//!
//! One job per file: `toml` and `yaml` read their format into the same [`Table`] (every key
//! and value with its place); `validate` is the one validator that matches the keys, warns
//! about unknown ones and checks every value into a [`Config`].

mod defaults;
mod isbn;
mod toml;
mod validate;
mod yaml;

use std::path::{Path, PathBuf};

use super::ProjectError;
use crate::diagnostic::{Diagnostic, Location};
use crate::settings::Settings;
use validate::Format;

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
    /// Everyone credited with a role, authors first (their names are `authors` too).
    pub contributors: Vec<crate::model::Contributor>,
    /// The ISBN-13, checked (`identifier` is then its `urn:isbn:`).
    pub isbn: Option<String>,
    /// `[edition]`'s ISBNs, checked: each edition's own, in place of `isbn` for that edition.
    pub print_isbn: Option<String>,
    pub ebook_isbn: Option<String>,
    /// Identifiers given besides the first one.
    pub other_identifiers: Vec<crate::model::Identifier>,
    pub series: Option<crate::model::Series>,
    pub subjects: Vec<String>,
}

impl RawMetadata {
    /// Fills what `self` leaves unset from `other` (a defaults file read beside book.toml).
    pub fn fill_from(&mut self, other: RawMetadata) {
        fn fill<T>(a: &mut Option<T>, b: Option<T>) {
            if a.is_none() {
                *a = b;
            }
        }
        fill(&mut self.title, other.title);
        fill(&mut self.subtitle, other.subtitle);
        fill(&mut self.language, other.language);
        fill(&mut self.identifier, other.identifier);
        fill(&mut self.date, other.date);
        fill(&mut self.modified, other.modified);
        fill(&mut self.publisher, other.publisher);
        fill(&mut self.rights, other.rights);
        fill(&mut self.description, other.description);
        fill(&mut self.isbn, other.isbn);
        fill(&mut self.print_isbn, other.print_isbn);
        fill(&mut self.ebook_isbn, other.ebook_isbn);
        fill(&mut self.series, other.series);
        if self.authors.is_empty() && self.contributors.is_empty() {
            self.authors = other.authors;
            self.contributors = other.contributors;
        }
        if self.subjects.is_empty() {
            self.subjects = other.subjects;
        }
        if self.other_identifiers.is_empty() {
            self.other_identifiers = other.other_identifiers;
        }
    }
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
    /// A pandoc defaults file to read beside book.toml (`[manuscript] pandoc-defaults`),
    /// relative to the manuscript folder.
    pub pandoc_defaults: Option<String>,
    /// `[manuscript] dialect`; `None`: guessed (see `project::dialect`).
    pub dialect: Option<super::dialect::Dialect>,
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
            pandoc_defaults: None,
            dialect: None,
            settings: Settings::default(),
        }
    }
}

impl Config {
    /// The defaults, for a manuscript with no configuration file: diagnostics about its
    /// settings point at `manuscript` (its folder, or its one file).
    pub fn without_file(manuscript: &Path) -> Config {
        let mut config = Config::default();
        config.settings.origins = crate::settings::Origins::new(manuscript);
        config
    }
}

/// A configuration file as written, in either format: its keys in file order.
pub type Table = Vec<Entry>;

/// One `key = value` (or `key: value`).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Key,
    pub node: Node,
}

/// A key and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub at: Location,
}

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub at: Location,
}

/// The values both formats have (a TOML date is kept as written).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    Date(String),
    List(Vec<Node>),
    Table(Table),
    /// YAML's empty value (`date:`): as if the key were not there.
    Null,
}

/// Every (table, key) book.toml may hold for quire, in book.toml order (`quire init` shows
/// them all; a test keeps the two the same).
pub fn book_toml_keys() -> impl Iterator<Item = (&'static str, &'static str)> {
    validate::toml_keys()
}

/// Reads `book.toml` (the text of `path`).
pub fn read_book_toml(path: &Path, text: &str) -> Result<(Config, Vec<Diagnostic>), ProjectError> {
    let table = toml::read(path, text)?;
    validate::validate(Format::Toml, path, &table)
}

/// Reads pandoc-style YAML metadata (a `metadata.yaml` file, or the front matter of a file whose
/// YAML starts on line `first_line`).
pub fn read_yaml(
    path: &Path,
    yaml: &str,
    first_line: usize,
) -> Result<(Config, Vec<Diagnostic>), ProjectError> {
    let table = yaml::read(path, yaml, first_line)?;
    validate::validate(Format::Yaml, path, &table)
}

/// One piece of pandoc-style YAML metadata: the file, its YAML and the line it starts on.
#[derive(Debug, Clone)]
pub struct YamlSource {
    pub path: PathBuf,
    pub yaml: String,
    pub first_line: usize,
}

/// Reads several pieces of YAML metadata as pandoc merges them: the first piece that sets a
/// key wins (pandoc: "the value from the first block is taken"; lists too are taken whole
/// from the first). `extra` is a table made elsewhere (a defaults file's), read first.
/// Diagnostics point at the file each key is in; settings left at their default point at
/// `main`.
pub fn read_yaml_merged(
    main: &Path,
    extra: Table,
    pieces: &[YamlSource],
) -> Result<(Config, Vec<Diagnostic>), ProjectError> {
    let mut table = extra;
    for p in pieces {
        table.extend(yaml::read(&p.path, &p.yaml, p.first_line)?);
    }
    validate::validate(Format::Yaml, main, &table)
}

pub use defaults::{read_defaults, Defaults};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::settings::{Setting, TrimSize};

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
        // mdBook's tables are accepted; of [output.html], only what changes the book is named.
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].code, Code::UnusedMdbookSetting);
        assert_eq!(w[0].location.line, Some(10));
        assert_eq!(c.metadata.title.as_deref(), Some("T"));
        assert_eq!(c.metadata.authors, ["A", "B"]);
        assert_eq!(c.src.as_deref(), Some("src"));
        assert_eq!(c.split_level, 2);
        assert_eq!(c.settings.print.trim, TrimSize::inches(6.0, 9.0));
        assert_eq!(c.settings.print.font_size, 10.0);
        // The code size follows the body's unless given.
        assert_eq!(c.settings.print.code_size, 8.0);
        let text = "[book]\ntitle = \"T\"\n[pdf]\ncode-size = 9.5\n";
        let (c, _) = read_book_toml(Path::new("book.toml"), text).unwrap();
        assert_eq!(c.settings.print.code_size, 9.5);
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
            validate::did_you_mean(Format::Toml, "pdf", "fontsize"),
            "; did you mean `font-size`?"
        );
        assert_eq!(
            validate::did_you_mean(Format::Toml, "book", "author"),
            "; did you mean `authors`?"
        );
        assert_eq!(
            validate::did_you_mean(Format::Toml, "book", "lang"),
            "; did you mean `language`?"
        );
        assert_eq!(
            validate::did_you_mean(Format::Toml, "", "mtadata"),
            "; did you mean `metadata`?"
        );
        assert_eq!(
            validate::did_you_mean(Format::Toml, "book", "trim-size"),
            "; `trim-size` belongs in [pdf]"
        );
        assert_eq!(validate::did_you_mean(Format::Toml, "pdf", "colour"), "");
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

    #[test]
    fn each_key_keeps_its_line_in_the_settings() {
        let text = "[book]\ntitle = \"T\"\n\n  language = \"de\"\n[pdf]\ntrim-size = \"6x9in\"\n";
        let (c, _) = read_book_toml(Path::new("book.toml"), text).unwrap();
        let origins = &c.settings.origins;
        assert_eq!(
            origins.get(Setting::Language),
            Some(&Location::at("book.toml", 4, 3))
        );
        assert_eq!(origins.of(Setting::TrimSize).line, Some(6));
        // Not given: the file, without a line.
        assert_eq!(origins.of(Setting::Gutter), Location::file("book.toml"));
    }

    #[test]
    fn an_unknown_key_is_found_in_its_own_table() {
        // `title` is also a key of [book], on an earlier line: the warning is at line 4.
        let text = "[book]\ntitle = \"T\"\n[pdf]\ntitle = \"x\"\n";
        let (_, w) = read_book_toml(Path::new("book.toml"), text).unwrap();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].code, Code::UnknownKey);
        assert_eq!(w[0].location.line, Some(4));
        assert!(
            w[0].message.contains("`title` belongs in [book]"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn wrong_types_are_errors_at_their_key() {
        for (bad, line) in [
            ("[pdf]\nfont-size = \"big\"", 4),
            ("[pdf]\nhyphenate = \"yes\"", 4),
            ("[pdf]\ncode-size = 3", 4),
            ("[pdf]\nfont-size = 10\ncode-size = 16", 5),
            ("[manuscript]\nchapters = [1, 2]", 4),
            ("[toc]\ndepth = 9", 4),
            ("[manuscript]\nlink-base = \"example.com\"", 4),
            ("[metadata]\nsubtitle = 42", 4),
            ("authors = [\"A\", 2]", 3),
        ] {
            let text = format!("[book]\ntitle = \"T\"\n{bad}\n");
            let err = read_book_toml(Path::new("book.toml"), &text).unwrap_err();
            assert!(
                err.to_string().starts_with(&format!("book.toml:{line}:")),
                "{bad}: {err}"
            );
        }
        let err =
            read_book_toml(Path::new("book.toml"), "pdf = 3\n[book]\ntitle = \"T\"\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("book.toml:1:1: `pdf` must be a table"),
            "{err}"
        );
    }

    #[test]
    fn yaml_warns_about_unknown_keys_with_their_line() {
        let yaml = "title: T\nauthor:\n  - A\n  - name: B\ntitel: X\npdf:\n  trim-size: 6x9in\n  colour: red\n";
        let (c, w) = read_yaml(Path::new("metadata.yaml"), yaml, 2).unwrap();
        assert_eq!(c.metadata.authors, ["A", "B"]);
        assert_eq!(c.settings.print.trim, TrimSize::inches(6.0, 9.0));
        let found: Vec<(Option<usize>, &str)> = w
            .iter()
            .map(|d| (d.location.line, d.message.as_str()))
            .collect();
        assert_eq!(w.len(), 2, "{found:?}");
        assert_eq!(w[0].location.line, Some(6));
        assert!(w[0].message.contains("did you mean `title`?"), "{}", w[0]);
        assert_eq!(w[1].location.line, Some(9));
        assert!(w[1].message.contains("`colour` in `pdf:`"), "{}", w[1]);
        assert_eq!(
            c.settings.origins.get(Setting::TrimSize),
            Some(&Location::at("metadata.yaml", 8, 3))
        );
    }

    #[test]
    fn yaml_values_are_checked_at_their_line() {
        let err = read_yaml(Path::new("m.yaml"), "title: T\ntrim-size: huge\n", 1).unwrap_err();
        assert!(
            err.to_string().starts_with("m.yaml:2:1: unknown trim size"),
            "{err}"
        );
        let err = read_yaml(Path::new("m.yaml"), "title: T\nsplit-level: 9\n", 1).unwrap_err();
        assert!(err.to_string().starts_with("m.yaml:2:1:"), "{err}");
        let err = read_yaml(Path::new("m.yaml"), "title: [T\n", 1).unwrap_err();
        assert!(err.to_string().starts_with("m.yaml:"), "{err}");
    }

    #[test]
    fn the_old_mdbook_layout_is_read_with_a_warning() {
        let text = "title = \"Old\"\nauthors = [\"A\"]\nsource = \"text\"\ndescription = \"D\"\n\n[output.html]\ndestination = \"site\"\nadditional-css = [\"x.css\"]\nmathjax-support = true\ngit-repository-url = \"https://example.com\"\n";
        let (c, w) = read_book_toml(Path::new("book.toml"), text).unwrap();
        assert_eq!(c.metadata.title.as_deref(), Some("Old"));
        assert_eq!(c.metadata.authors, ["A"]);
        assert_eq!(c.src.as_deref(), Some("text"));
        assert_eq!(c.metadata.description.as_deref(), Some("D"));
        let codes: Vec<(Code, Option<usize>)> =
            w.iter().map(|d| (d.code, d.location.line)).collect();
        assert_eq!(
            codes,
            [
                (Code::OldBookTomlLayout, Some(1)),
                (Code::UnusedMdbookSetting, Some(8)),
                (Code::UnusedMdbookSetting, Some(9)),
            ],
            "{w:#?}"
        );
        assert!(w[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`source` becomes `src`"));
        // With a [book] table, top-level keys are unknown ones.
        let text = "title = \"Old\"\n[book]\ntitle = \"New\"\n";
        let (c, w) = read_book_toml(Path::new("book.toml"), text).unwrap();
        assert_eq!(c.metadata.title.as_deref(), Some("New"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, Code::UnknownKey);
        assert!(
            w[0].message.contains("`title` belongs in [book]"),
            "{}",
            w[0]
        );
    }
    #[test]
    fn pandoc_roles_identifiers_and_series_are_read() {
        let yaml = "title: T\ncreator:\n  - role: author\n    text: A. Writer\n    file-as: Writer, A.\n  - role: translator\n    text: T. Lator\ncontributor: C. Helper\nidentifier:\n  - scheme: DOI\n    text: 10.1/x\n  - scheme: ISBN-13\n    text: 978-3-16-148410-0\nbelongs-to-collection: S\ngroup-position: 2\nsubject: [a, b]\nresource-path: images:figures\ntoc-title: Inhalt\nstrings:\n  colophon: Von Hand\n";
        let (c, w) = read_yaml(Path::new("m.yaml"), yaml, 1).unwrap();
        assert!(w.is_empty(), "{w:?}");
        let m = &c.metadata;
        assert_eq!(m.authors, ["A. Writer"]);
        let roles: Vec<(&str, &str, Option<&str>)> = m
            .contributors
            .iter()
            .map(|c| (c.name.as_str(), c.role.as_str(), c.file_as.as_deref()))
            .collect();
        assert_eq!(
            roles,
            [
                ("A. Writer", "aut", Some("Writer, A.")),
                ("T. Lator", "trl", None),
                ("C. Helper", "ctb", None)
            ]
        );
        assert_eq!(m.isbn.as_deref(), Some("9783161484100"));
        assert_eq!(m.identifier.as_deref(), Some("urn:isbn:9783161484100"));
        assert_eq!(m.other_identifiers.len(), 1);
        assert_eq!(m.other_identifiers[0].scheme.as_deref(), Some("DOI"));
        let series = m.series.as_ref().unwrap();
        assert_eq!(
            (series.name.as_str(), series.position.as_deref()),
            ("S", Some("2"))
        );
        assert_eq!(m.subjects, ["a", "b"]);
        assert_eq!(c.image_path, ["images", "figures"]);
        assert_eq!(c.settings.strings["contents"], "Inhalt");
        assert_eq!(c.settings.strings["colophon"], "Von Hand");
    }

    #[test]
    fn a_bad_role_or_isbn_is_an_error_at_its_line() {
        let err = read_yaml(
            Path::new("m.yaml"),
            "title: T\ncreator:\n  - role: boss\n    text: X\n",
            1,
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("m.yaml:3:"), "{err}");
        let err = read_yaml(
            Path::new("m.yaml"),
            "title: T\nidentifier: urn:isbn:9783161484101\n",
            1,
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("m.yaml:2:"), "{err}");
        assert!(err.to_string().contains("check digit"), "{err}");
    }

    #[test]
    fn book_toml_has_the_same_keys() {
        let text = "[book]\ntitle = \"T\"\nauthors = [\"A\"]\nisbn = \"0-14-143951-3\"\nseries = \"S\"\nseries-index = 1.5\nsubjects = [\"x\"]\n\n[[book.contributor]]\nname = \"E\"\nrole = \"edt\"\nfile-as = \"E, X\"\n\n[strings]\ncontents = \"Table\"\ncontnets = \"typo\"\n";
        let (c, w) = read_book_toml(Path::new("book.toml"), text).unwrap();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].location.line, Some(16));
        assert!(
            w[0].message.contains("did you mean `contents`?"),
            "{}",
            w[0]
        );
        let m = &c.metadata;
        assert_eq!(m.isbn.as_deref(), Some("9780141439518"));
        assert_eq!(m.authors, ["A"]);
        assert_eq!(m.contributors.len(), 2);
        assert_eq!(m.contributors[1].role, "edt");
        assert_eq!(m.contributors[1].file_as.as_deref(), Some("E, X"));
        assert_eq!(m.series.as_ref().unwrap().position.as_deref(), Some("1.5"));
        assert_eq!(c.settings.strings["contents"], "Table");
    }

    #[test]
    fn yaml_pieces_merge_first_wins() {
        let pieces = [
            YamlSource {
                path: "ch1.md".into(),
                yaml: "title: From the chapter\n".into(),
                first_line: 2,
            },
            YamlSource {
                path: "metadata.yaml".into(),
                yaml: "title: From the file\nauthor: A\nlang: de\n".into(),
                first_line: 1,
            },
        ];
        let (c, _) = read_yaml_merged(Path::new("metadata.yaml"), Table::new(), &pieces).unwrap();
        assert_eq!(c.metadata.title.as_deref(), Some("From the chapter"));
        assert_eq!(c.metadata.authors, ["A"]);
        assert_eq!(
            c.settings.origins.get(Setting::Title),
            Some(&Location::at("ch1.md", 2, 1))
        );
        assert_eq!(
            c.settings.origins.get(Setting::Language).unwrap().file,
            Path::new("metadata.yaml")
        );
    }
}
