//! The command line: help, formats, exit codes, and no half-written or clobbered outputs.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn quire(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn manuscript(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("book.toml"), "[book]\ntitle = \"Small Book\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:small\"\n").unwrap();
    fs::write(
        dir.join("ch1.md"),
        "# One\n\nSome text for the first chapter.\n",
    )
    .unwrap();
    fs::write(dir.join("ch2.md"), "# Two\n\nMore text.\n").unwrap();
}

#[test]
fn help_explains_every_option() {
    let root = tempfile::tempdir().unwrap();
    let top = quire(&["--help"], root.path());
    assert!(top.status.success());
    let text = String::from_utf8_lossy(&top.stdout);
    assert!(
        text.contains("build") && text.contains("Exit status"),
        "{text}"
    );
    let build = quire(&["build", "--help"], root.path());
    let text = String::from_utf8_lossy(&build.stdout);
    for option in ["MANUSCRIPT", "--out", "--format", "epub", "pdf", "all"] {
        assert!(text.contains(option), "build --help lacks {option}: {text}");
    }
}

#[test]
fn defaults_and_format_choice() {
    let root = tempfile::tempdir().unwrap();
    manuscript(&root.path().join("manuscript"));
    let o = quire(&["build", "--format", "epub"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(root.path().join("build/small-book.epub").is_file());
    assert!(!root.path().join("build/small-book.pdf").exists());
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(stdout.lines().count(), 1);
    assert!(
        stdout.contains("build/small-book.epub") && stdout.contains(" s)"),
        "{stdout}"
    );
}

#[test]
fn usage_errors_exit_2_and_build_errors_exit_1() {
    let root = tempfile::tempdir().unwrap();
    let o = quire(&["build", "--format", "docx"], root.path());
    assert_eq!(o.status.code(), Some(2));
    let o = quire(&["build", "missing"], root.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: missing: manuscript not found"),
        "{err}"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_outputs_untouched() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    manuscript(&m);
    let o = quire(&["build", "m"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let epub = fs::read(root.path().join("build/small-book.epub")).unwrap();
    let pdf = fs::read(root.path().join("build/small-book.pdf")).unwrap();

    fs::write(m.join("ch2.md"), b"# Two\n\nnot \xff UTF-8\n").unwrap();
    let o = quire(&["build", "m"], root.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ch2.md:3:5"), "{}", stderr(&o));
    assert_eq!(
        fs::read(root.path().join("build/small-book.epub")).unwrap(),
        epub
    );
    assert_eq!(
        fs::read(root.path().join("build/small-book.pdf")).unwrap(),
        pdf
    );
    let leftovers: Vec<_> = fs::read_dir(root.path().join("build"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != ".quire-outputs")
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
}

#[test]
fn an_output_folder_that_is_a_file_is_refused() {
    let root = tempfile::tempdir().unwrap();
    manuscript(&root.path().join("manuscript"));
    fs::write(root.path().join("out"), "x").unwrap();
    let o = quire(&["build", "--out", "out"], root.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is a file"), "{}", stderr(&o));
    assert_eq!(fs::read(root.path().join("out")).unwrap(), b"x");
}

#[test]
fn warnings_show_the_source_line_and_deny_warnings_fails_without_writing() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("manuscript");
    manuscript(&m);
    fs::write(m.join("ch2.md"), "# Two\n\nSee [the end](#nowhere).\n").unwrap();

    let o = quire(&["build", "--deny", "warnings"], root.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(!root.path().join("build/small-book.epub").exists());
    assert!(!root.path().join("build/small-book.pdf").exists());

    let o = quire(&["build"], root.path());
    assert!(o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("warning[broken-link]: link to `#nowhere`"),
        "{err}"
    );
    assert!(err.contains("ch2.md:3:5"), "{err}");
    assert!(
        err.contains("3 | See [the end](#nowhere).") && err.contains("  |     ^"),
        "{err}"
    );
}

#[test]
fn an_output_path_that_is_a_folder_is_refused_and_left_alone() {
    let root = tempfile::tempdir().unwrap();
    manuscript(&root.path().join("manuscript"));
    let blocked = root.path().join("build").join("small-book.epub");
    fs::create_dir_all(&blocked).unwrap();
    fs::write(blocked.join("keep.txt"), "mine").unwrap();
    let o = quire(&["build"], root.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("small-book.epub"), "{err}");
    assert!(err.contains("a folder has this name"), "{err}");
    assert_eq!(fs::read(blocked.join("keep.txt")).unwrap(), b"mine");
    assert!(!root.path().join("build/small-book.pdf").exists());
}

#[test]
fn an_unwritable_output_folder_is_refused() {
    let root = tempfile::tempdir().unwrap();
    manuscript(&root.path().join("manuscript"));
    // Root may write anywhere on disk, but nobody may create folders in /proc.
    let o = quire(
        &["build", "--out", "/proc/quire-no-such-folder"],
        root.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("cannot create the output folder"), "{err}");
}

#[test]
fn the_manuscript_itself_is_refused_as_the_output() {
    let root = tempfile::tempdir().unwrap();
    let book = root.path().join("book.md");
    fs::write(&book, "---\ntitle: One File\n---\n# One\n\nText.\n").unwrap();
    let o = quire(&["build", "book.md", "--out", "book.md"], root.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the manuscript itself"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read_to_string(&book).unwrap(),
        "---\ntitle: One File\n---\n# One\n\nText.\n"
    );
}
