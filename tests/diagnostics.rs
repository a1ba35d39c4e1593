//! The one diagnostic type on real manuscripts: every finding has a code, and a location in a
//! file that exists (a setting's at the line that set it), from `check`, `build` and the
//! binary's JSON.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use quire::build::{build, BuildOptions, Format};
use quire::diagnostic::{Code, Diagnostic, Severity};

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// Every diagnostic `check` and `build` give for the manuscript at `m` (build errors aside).
fn all_diagnostics(m: &Path, out: &Path) -> Vec<Diagnostic> {
    let mut all = quire::author::check::check(m);
    let options = BuildOptions {
        manuscript: m.to_path_buf(),
        out_dir: out.to_path_buf(),
        format: Format::All,
        deny_warnings: false,
        name: None,
    };
    if let Ok(report) = build(&options) {
        all.extend(report.warnings);
    }
    all
}

fn assert_real_locations(all: &[Diagnostic]) {
    assert!(!all.is_empty());
    for d in all {
        assert!(
            d.location.file.exists(),
            "{} [{}] points at a file that does not exist",
            d,
            d.code
        );
        if let Some(line) = d.location.line {
            let text = fs::read_to_string(&d.location.file).unwrap();
            assert!(
                line >= 1 && line <= text.lines().count().max(1),
                "{d}: no line {line}"
            );
        }
    }
}

fn find(all: &[Diagnostic], code: Code) -> &Diagnostic {
    all.iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {all:#?}"))
}

#[test]
fn bad_manuscripts_point_only_at_files_that_exist() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");

    // A folder with no configuration file at all: no language, no identifier, no author.
    let bare = root.path().join("bare");
    write(
        &bare,
        &[
            ("SUMMARY.md", "# Bare Book\n\n- [One](one.md)\n"),
            ("one.md", "# One\n\nSee [there](#nowhere). ![](gone.png)\n"),
        ],
    );
    let all = all_diagnostics(&bare, &out);
    assert_real_locations(&all);
    assert_eq!(find(&all, Code::MissingLanguage).location.file, bare);
    assert!(!bare.join("book.toml").exists());

    // pandoc YAML metadata with a language the typesetter has no patterns for, an unknown key
    // and a bad date: each at its line of metadata.yaml.
    let pandoc = root.path().join("pandoc");
    write(
        &pandoc,
        &[
            (
                "metadata.yaml",
                "---\ntitle: Pandoc Book\nauthor: A. Writer\nlang: tlh\ndate: someday\nidentifer: urn:x:1\n...\n",
            ),
            ("one.md", "# One\n\nText.\n"),
        ],
    );
    let all = all_diagnostics(&pandoc, &out);
    assert_real_locations(&all);
    let yaml = pandoc.join("metadata.yaml");
    let hyphenation = find(&all, Code::NoHyphenation);
    assert_eq!(hyphenation.location.file, yaml);
    assert_eq!(hyphenation.location.line, Some(4), "{hyphenation}");
    assert_eq!(find(&all, Code::InvalidDate).location.line, Some(5));
    let unknown = find(&all, Code::UnknownKey);
    assert_eq!(unknown.location.line, Some(6));
    assert!(
        unknown.message.contains("did you mean `identifier`?"),
        "{unknown}"
    );

    // A single file whose front matter sets the language.
    let single = root.path().join("single.md");
    write(
        root.path(),
        &[(
            "single.md",
            "---\ntitle: Single\nlang: tlh\n---\n# One\n\nText with  two spaces.\n",
        )],
    );
    let all = all_diagnostics(&single, &out);
    assert_real_locations(&all);
    assert_eq!(find(&all, Code::NoHyphenation).location.line, Some(3));
    assert_eq!(find(&all, Code::DoubleSpace).location.line, Some(7));

    // book.toml in mdBook's older layout, with a language the typesetter cannot hyphenate.
    let legacy = root.path().join("legacy");
    write(
        &legacy,
        &[
            (
                "book.toml",
                "title = \"Old Layout\"\nauthors = [\"A. Writer\"]\nsource = \"text\"\n\n[output.html]\nadditional-css = [\"custom.css\"]\n",
            ),
            ("text/SUMMARY.md", "# Summary\n\n- [One](one.md)\n"),
            ("text/one.md", "# One\n\nText.\n"),
        ],
    );
    let all = all_diagnostics(&legacy, &out);
    assert_real_locations(&all);
    let layout = find(&all, Code::OldBookTomlLayout);
    assert_eq!(layout.location.line, Some(1));
    assert!(
        layout.help.as_deref().unwrap_or("").contains("[book]"),
        "{layout}"
    );
    assert_eq!(find(&all, Code::UnusedMdbookSetting).location.line, Some(6));
    // Severity is decided by code in `check`.
    for d in quire::author::check::check(&legacy) {
        assert_eq!(d.severity, d.code.severity_in_check(), "{d}");
    }

    // A manuscript that cannot be read at all: the error is at the key that set the folder.
    let broken = root.path().join("broken");
    write(
        &broken,
        &[
            ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"nowhere\"\n"),
            ("one.md", "# One\n"),
        ],
    );
    let all = quire::author::check::check(&broken);
    assert_real_locations(&all);
    let d = find(&all, Code::InvalidConfig);
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.location.line, Some(3));
}

#[test]
fn an_old_layout_book_toml_builds_as_mdbook_reads_it() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    write(
        &m,
        &[
            (
                "book.toml",
                "title = \"Old Layout\"\nauthors = [\"A. Writer\"]\ndescription = \"About it.\"\n\n[output.html]\ndestination = \"site\"\n",
            ),
            ("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n"),
            ("src/one.md", "# One\n\nText.\n"),
        ],
    );
    let (book, _, warnings) = quire::read_manuscript(&m).expect("reads, not fatal");
    assert_eq!(book.metadata.title, "Old Layout");
    assert_eq!(book.metadata.authors, ["A. Writer"]);
    assert_eq!(book.metadata.description.as_deref(), Some("About it."));
    let layout: Vec<_> = warnings
        .iter()
        .filter(|w| w.code == Code::OldBookTomlLayout)
        .collect();
    assert_eq!(layout.len(), 1, "{warnings:#?}");
    assert!(
        layout[0].to_string().contains("book.toml:1:1"),
        "{}",
        layout[0]
    );
    let out = root.path().join("out");
    let report = build(&BuildOptions {
        manuscript: m,
        out_dir: out.clone(),
        format: Format::Epub,
        deny_warnings: false,
        name: None,
    })
    .expect("builds");
    assert_eq!(report.written.len(), 1);
}

#[test]
fn check_json_gives_each_finding_a_code() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    write(
        &m,
        &[
            (
                "book.toml",
                "[book]\ntitle = \"Codes\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:1\"\n[pdf]\ntrim = \"6x9in\"\n",
            ),
            ("one.md", "# One\n\nSee [nowhere](#nowhere).\n"),
        ],
    );
    let o = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["check", "m", "--format", "json"])
        .current_dir(root.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let codes: Vec<(String, String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        codes.contains(&("broken-link".into(), "error".into(), 3)),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("unknown-key".into(), "warning".into(), 7)),
        "{codes:?}"
    );
    let unknown = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-key")
        .unwrap();
    assert_eq!(unknown["help"], "see README, \"book.toml\"");
    let names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
    for (code, _, _) in &codes {
        assert!(names.contains(&code.as_str()), "{code}");
    }
}

#[test]
fn the_readme_lists_every_code() {
    let readme =
        fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for code in Code::ALL {
        assert!(
            readme.contains(&format!("| `{}` |", code.name())),
            "README has no row for `{}`",
            code.name()
        );
    }
}
