//! Hostile and broken input: every case either builds or fails with a clear message naming
//! the file (and line), and never panics or hangs. The binary is driven like a user would.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const BOOK_TOML: &str =
    "[book]\ntitle = \"Robust\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:robust\"\n";

fn quire(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// Builds a manuscript made of `files` (book.toml added unless given) and returns the output.
fn build(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m");
    fs::create_dir_all(&m).unwrap();
    if !files.iter().any(|(n, _)| *n == "book.toml") {
        fs::write(m.join("book.toml"), BOOK_TOML).unwrap();
    }
    for (name, bytes) in files {
        let path = m.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    let out = quire(&["build", "m", "--out", "out"], dir.path());
    (dir, out)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The build succeeded and wrote both files, or failed with exit 1 and a one-line error
/// naming `file`. A panic (exit 101) or a signal fails the test.
fn builds_or_explains(o: &Output, dir: &Path, file: &str) {
    match o.status.code() {
        Some(0) => {
            assert!(dir.join("out/robust.epub").is_file());
            assert!(dir.join("out/robust.pdf").is_file());
        }
        Some(1) => {
            let err = stderr(o);
            let last = err.lines().last().unwrap_or("");
            assert!(last.starts_with("error: ") && last.contains(file), "{err}");
        }
        other => panic!("exit {other:?}: {}", stderr(o)),
    }
}

fn md(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

#[test]
fn broken_configuration_is_explained() {
    let cases: [(&str, &str, &str); 4] = [
        ("book.toml", "[book\ntitle = 1\n", "book.toml:1"),
        ("book.toml", "[book]\ntitle = 42\n", "book.toml"),
        ("book.toml", "[book]\nlanguage = \"en\"\n", "no title"),
        (
            "book.toml",
            "[book]\ntitle = \"T\"\n[pdf]\ntrim-size = \"9x\"\n",
            "book.toml:4",
        ),
    ];
    for (name, text, expected) in cases {
        let (_dir, o) = build(&[(name, md(text)), ("a.md", md("# A\n\ntext\n"))]);
        assert_eq!(o.status.code(), Some(1), "{text}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{text}: {}", stderr(&o));
    }
}

#[test]
fn yaml_front_matter_that_is_not_a_map_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("book.md"),
        "---\n- one\n- two\n---\n# A\n\ntext\n",
    )
    .unwrap();
    let o = quire(&["build", "book.md", "--out", "out"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("book.md:2:1") && stderr(&o).contains("must be a map"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_text_files() {
    // Invalid UTF-8 names file, line and column.
    let (_d, o) = build(&[("a.md", b"# A\n\nfine\n\xc3\x28 broken\n".to_vec())]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("a.md:4:1"), "{}", stderr(&o));
    // A byte-order mark is dropped, empty and heading-only chapters build.
    let (dir, o) = build(&[
        ("a.md", b"\xef\xbb\xbf# With BOM\n\ntext\n".to_vec()),
        ("b.md", Vec::new()),
        ("c.md", md("# Only a heading\n")),
    ]);
    builds_or_explains(&o, dir.path(), "");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("b.md") && stderr(&o).contains("empty"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn deep_nesting_builds() {
    let quotes = format!("# A\n\n{} deep\n", ">".repeat(10_000));
    let list: String = (0..10_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let spans = format!("# C\n\n{}x{}\n", "*_".repeat(5_000), "_*".repeat(5_000));
    for text in [quotes, format!("# B\n\n{list}"), spans] {
        let (dir, o) = build(&[("a.md", md(&text))]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        builds_or_explains(&o, dir.path(), "a.md");
    }
}

#[test]
fn huge_paragraphs_lines_and_words_build() {
    // A 5 MB paragraph, a 100,000-character line without spaces, a word wider than the measure.
    let big = format!("# A\n\n{}\n", "word ".repeat(1_000_000));
    let line = format!("# B\n\n{}\n", "x".repeat(100_000));
    let word = format!(
        "# C\n\nshort {} end\n",
        "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(4)
    );
    for text in [big, line, word] {
        let (dir, o) = build(&[("a.md", md(&text))]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        builds_or_explains(&o, dir.path(), "a.md");
    }
}

#[test]
fn a_table_with_500_columns_builds() {
    let row = |c: &str| format!("|{}|\n", vec![c; 500].join("|"));
    let text = format!("# T\n\n{}{}{}", row("head"), row("-"), row("cell"));
    let (dir, o) = build(&[("a.md", md(&text))]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    builds_or_explains(&o, dir.path(), "a.md");
}

#[test]
fn chapters_outside_the_manuscript_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("secret.md"), "# Secret\n").unwrap();
    let m = dir.path().join("m");
    fs::create_dir_all(&m).unwrap();
    fs::write(m.join("book.toml"), BOOK_TOML).unwrap();
    fs::write(
        m.join("SUMMARY.md"),
        "- [Secret](../secret.md)\n- [Passwd](/etc/passwd)\n",
    )
    .unwrap();
    let o = quire(&["build", "m", "--out", "out"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("outside the manuscript folder"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("out").join("robust.epub").exists());
}
