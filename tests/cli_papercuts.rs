//! The command line behaving like its neighbours (issue 19): `quire build` in a book's folder,
//! output names, the outputs of an old title, editors' temporary files under `watch`, `stats`
//! with a missing image, `check`'s noise, `[toc] depth = 0`, the man page and `watch --help`.
//! Each runs the real binary on a scratch manuscript and reads what it wrote.

#[path = "common/epubcheck.rs"]
mod epubcheck;
#[path = "common/pdftools.rs"]
mod pdftools;
#[path = "common/run.rs"]
mod run;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use run::{quire, stderr, stdout, wait_for};

/// A two-chapter manuscript in `dir` with `extra` appended to its book.toml.
fn book(dir: &Path, title: &str, extra: &str) {
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("book.toml"),
        format!("[book]\ntitle = \"{title}\"\nauthors = [\"A. Writer\"]\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:small\"\n{extra}"),
    )
    .unwrap();
    fs::write(
        dir.join("ch1.md"),
        "# One\n\nalpha beta gamma delta.\n\n## A section\n\nMore.\n",
    )
    .unwrap();
    fs::write(dir.join("ch2.md"), "# Two\n\nOne two three.\n").unwrap();
}

/// The EPUB's entries, and the title in its package document (the file is a real EPUB).
fn epub_entries(path: &Path) -> Vec<String> {
    let zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    zip.file_names().map(str::to_string).collect()
}

fn epub_text(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut f = zip.by_name(name).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut f, &mut s).unwrap();
    s
}

fn pdf_pages(path: &Path) -> usize {
    lopdf::Document::load(path).unwrap().get_pages().len()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn build_with_no_argument_builds_the_folder_it_is_run_in() {
    let root = tempfile::tempdir().unwrap();
    // A folder with a book.toml: built where it is (as `mdbook build`), into ./build.
    let m = root.path().join("mybook");
    book(&m, "My Book", "");
    let o = quire(&["build"], &m);
    assert!(o.status.success(), "{}", stderr(&o));
    let epub = m.join("build/my-book.epub");
    assert!(epub_entries(&epub).contains(&"OEBPS/content.opf".to_string()));
    assert!(pdf_pages(&m.join("build/my-book.pdf")) > 2);
    // `stats` and `check` find it the same way.
    let o = quire(&["stats"], &m);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("chapters         2"), "{}", stdout(&o));
    let o = quire(&["check"], &m);
    assert!(o.status.success(), "{}", stderr(&o));

    // A folder with only mdBook's src/SUMMARY.md.
    let md = root.path().join("mdbook");
    fs::create_dir_all(md.join("src")).unwrap();
    fs::write(
        md.join("src/SUMMARY.md"),
        "# My Guide\n\n- [Start](start.md)\n",
    )
    .unwrap();
    fs::write(md.join("src/start.md"), "# Start\n\nHello.\n").unwrap();
    let o = quire(&["build", "--format", "epub"], &md);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        md.join("build/my-guide.epub").is_file(),
        "{:?}",
        names(&md.join("build"))
    );

    // No book here: manuscript/, as before.
    let parent = root.path().join("parent");
    book(&parent.join("manuscript"), "Inner Book", "");
    let o = quire(&["build", "--format", "epub"], &parent);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(parent.join("build/inner-book.epub").is_file());

    // Neither: a clear error, exit 1, nothing written.
    let empty = root.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    let o = quire(&["build"], &empty);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("no manuscript here"), "{err}");
    assert!(err.contains("quire init"), "{err}");
    assert!(names(&empty).is_empty());
}

#[test]
fn name_and_output_name_choose_the_file_names() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    book(&m, "A Long Title", "[output]\nname = \"short\"\n");
    let o = quire(&["build", "m", "--out", "out"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = root.path().join("out");
    assert_eq!(names(&out), [".quire-outputs", "short.epub", "short.pdf"]);
    assert!(epub_text(&out.join("short.epub"), "OEBPS/content.opf").contains("A Long Title"));
    assert!(pdf_pages(&out.join("short.pdf")) > 2);

    // --name wins over book.toml (and the old `short` files go: see the next test).
    let o = quire(
        &["build", "m", "--out", "out", "--name", "Final Draft 2"],
        root.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        names(&out),
        [".quire-outputs", "Final Draft 2.epub", "Final Draft 2.pdf"]
    );

    // Names that are not plain file names are refused, before anything is written.
    for bad in ["a/b", "book.epub", ".hidden", ""] {
        let o = quire(&["build", "m", "--out", "bad", "--name", bad], root.path());
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("output name"), "{bad}: {}", stderr(&o));
    }
    assert!(!root.path().join("bad").exists());
    book(&m, "A Long Title", "[output]\nname = \"short.pdf\"\n");
    let o = quire(&["build", "m", "--out", "bad"], root.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("book.toml:8"), "{err}");
    assert!(err.contains("without extension"), "{err}");
    assert!(!root.path().join("bad").exists());
}

#[test]
fn a_change_of_title_removes_the_outputs_of_the_old_one() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    let out = root.path().join("build");
    book(&m, "mybook", "");
    let o = quire(&["build", "m"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    // Another book built into the same folder keeps its files.
    book(&root.path().join("other"), "Other", "");
    let o = quire(&["build", "other"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));

    book(&m, "My Book", "");
    let o = quire(&["build", "m"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(
        said.contains("removed build/mybook.epub") && said.contains("removed build/mybook.pdf"),
        "{said}"
    );
    assert_eq!(
        names(&out),
        [
            ".quire-outputs",
            "my-book.epub",
            "my-book.pdf",
            "other.epub",
            "other.pdf"
        ]
    );
    assert!(epub_text(&out.join("my-book.epub"), "OEBPS/content.opf").contains("My Book"));

    // An old output the author changed since is kept, and said so.
    fs::write(out.join("my-book.pdf"), "annotated by hand").unwrap();
    book(&m, "My Book Again", "");
    let o = quire(&["build", "m"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("removed build/my-book.epub"),
        "{}",
        stdout(&o)
    );
    let err = stderr(&o);
    assert!(
        err.contains("warning: build/my-book.pdf") && err.contains("kept"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(out.join("my-book.pdf")).unwrap(),
        "annotated by hand"
    );
    assert!(out.join("my-book-again.epub").is_file() && out.join("other.epub").is_file());
}

#[test]
fn watch_does_not_take_editors_temporary_files_for_changes() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    book(&m, "Small Book", "");
    let log_out = root.path().join("out.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["watch", "m", "--format", "epub", "--max-rebuilds", "1"])
        .current_dir(root.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&log_out).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let log = || fs::read_to_string(&log_out).unwrap_or_default();
    if !wait_for(Duration::from_secs(30), || {
        log().contains("built 2 chapters")
    }) {
        let _ = child.kill();
        panic!("no first build: {}", log());
    }
    // What `sed -i`, vim and Emacs make around a save; none of it is a change.
    for name in [
        "sed1SNTCd",
        ".ch1.md.swp",
        "4913",
        "#ch1.md#",
        "ch1.md~",
        ".#ch1.md",
    ] {
        fs::write(m.join(name), "x").unwrap();
    }
    std::thread::sleep(Duration::from_millis(800));
    fs::write(
        m.join("book.toml"),
        fs::read_to_string(m.join("book.toml")).unwrap() + "\n",
    )
    .unwrap();
    if !wait_for(Duration::from_secs(30), || {
        child.try_wait().unwrap().is_some()
    }) {
        let _ = child.kill();
        panic!("watch did not stop after one rebuild: {}", log());
    }
    let changes: Vec<String> = log()
        .lines()
        .filter(|l| l.starts_with("changed:"))
        .map(str::to_string)
        .collect();
    assert_eq!(changes, ["changed: book.toml"], "{}", log());
}

#[test]
fn stats_counts_a_book_whose_image_is_missing_and_says_so() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    book(&m, "Small Book", "");
    fs::write(
        m.join("ch2.md"),
        "# Two\n\nOne two three.\n\n![A harbour](images/harbour.png)\n\nFour five.\n",
    )
    .unwrap();
    let o = quire(&["stats", "m", "--format", "json"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // "One two three" and "Four five" with the title "Two"; ch1: 1 + 4 + 2 + 1 words.
    assert_eq!(json["per_chapter"][1]["words"], 6, "{json}");
    assert_eq!(json["words"], 14, "{json}");
    let err = stderr(&o);
    assert!(err.contains("warning[bad-image]"), "{err}");
    assert!(err.contains("m/ch2.md:5:1"), "{err}");
    assert!(err.contains("counted"), "{err}");
    // A build still refuses the book.
    let o = quire(&["build", "m"], root.path());
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn double_spaces_are_listed_only_with_verbose() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    book(&m, "Small Book", "");
    fs::write(
        m.join("ch2.md"),
        "# Two\n\nOne.  Two.  Three.\n\nA '90s song.\n",
    )
    .unwrap();
    let o = quire(&["check", "m"], root.path());
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("double-space"), "{err}");
    assert!(err.contains("warning[elision-quote]"), "{err}");
    assert!(
        err.contains(" (2 double spaces not shown: --verbose lists them)"),
        "{err}"
    );
    let o = quire(&["check", "m", "--verbose"], root.path());
    let err = stderr(&o);
    assert_eq!(err.matches("warning[double-space]").count(), 2, "{err}");
    assert!(err.contains("m/ch2.md:3:5"), "{err}");
    // The same in JSON: left out, and not counted (so --deny warnings is not tripped by
    // them), unless --verbose.
    let json = |args: &[&str]| -> serde_json::Value {
        let o = quire(args, root.path());
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let codes = |j: &serde_json::Value| -> Vec<String> {
        j["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    let quiet = json(&["check", "m", "--format", "json"]);
    let verbose = json(&["check", "m", "--verbose", "--format", "json"]);
    assert!(
        !codes(&quiet).contains(&"double-space".to_string()),
        "{quiet}"
    );
    assert_eq!(
        codes(&verbose)
            .iter()
            .filter(|c| *c == "double-space")
            .count(),
        2,
        "{verbose}"
    );
    assert_eq!(
        verbose["warnings"].as_u64().unwrap(),
        quiet["warnings"].as_u64().unwrap() + 2
    );
}

#[test]
fn toc_depth_zero_means_no_printed_contents() {
    let root = tempfile::tempdir().unwrap();
    let with = root.path().join("with");
    let without = root.path().join("without");
    book(&with, "Small Book", "");
    book(&without, "Small Book", "[toc]\ndepth = 0\n");
    for m in ["with", "without"] {
        let o = quire(&["build", m, "--out", &format!("out-{m}")], root.path());
        assert!(o.status.success(), "{m}: {}", stderr(&o));
    }
    let pdf = |m: &str| root.path().join(format!("out-{m}/small-book.pdf"));
    let epub = |m: &str| root.path().join(format!("out-{m}/small-book.epub"));
    // The contents page (and the verso after it) are gone from the PDF.
    assert!(
        pdf_pages(&pdf("without")) < pdf_pages(&pdf("with")),
        "{} pages with contents, {} without",
        pdf_pages(&pdf("with")),
        pdf_pages(&pdf("without"))
    );
    if let Some(text) = pdftools::pdftotext(&pdf("without"), &[]) {
        assert!(!text.stdout.contains("Contents"), "{}", text.stdout);
        assert!(text.stdout.contains("alpha beta gamma"));
        let with = pdftools::pdftotext(&pdf("with"), &[]).unwrap();
        assert!(with.stdout.contains("Contents"));
    }
    // The EPUB keeps its navigation document (reading systems need it) with the chapters
    // only, and has no contents page in its reading order.
    let opf = epub_text(&epub("without"), "OEBPS/content.opf");
    assert!(!opf.contains("toc.xhtml"), "{opf}");
    let nav = epub_text(&epub("without"), "OEBPS/nav.xhtml");
    assert!(nav.contains("One") && nav.contains("Two"), "{nav}");
    assert!(!nav.contains("A section"), "{nav}");
    if let Some(report) = epubcheck::epubcheck(&epub("without")) {
        assert!(report.is_clean(), "{report:?}");
    }
    // 7 is still out of range, and says what 0 means.
    book(&without, "Small Book", "[toc]\ndepth = 7\n");
    let o = quire(&["check", "without"], root.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("0 (no printed contents) to 6"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_man_page_and_help_describe_what_there_is() {
    let root = tempfile::tempdir().unwrap();
    let o = quire(&["man"], root.path());
    assert!(o.status.success());
    let man = stdout(&o);
    // No reference to per-command pages that are not installed.
    for command in [
        "build",
        "init",
        "check",
        "stats",
        "watch",
        "completions",
        "man",
    ] {
        assert!(!man.contains(&format!("quire\\-{command}(1)")), "{man}");
        let section = format!(".SH \"QUIRE {}\"", command.to_uppercase());
        assert!(man.contains(&section), "{command}");
    }
    assert!(man.contains("\\-\\-name"), "{man}");
    let o = quire(&["watch", "--help"], root.path());
    let help = stdout(&o);
    assert!(!help.contains("full build"), "{help}");
    assert!(help.contains("incremental"), "{help}");
    let o = quire(&["build", "--help"], root.path());
    let help = stdout(&o);
    assert!(help.contains("--name <NAME>"), "{help}");
    assert!(help.contains("SUMMARY.md"), "{help}");
}

/// `init`'s book.toml builds as it is, and every key it shows (uncommented) is one the reader
/// takes without a warning (the list itself is checked against the reader's in
/// `src/author/init.rs`).
#[test]
fn init_shows_output_name_and_every_pdf_key() {
    let root = tempfile::tempdir().unwrap();
    let o = quire(&["init", "novel"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let toml = fs::read_to_string(root.path().join("novel/book.toml")).unwrap();
    for key in [
        "opening =",
        "gutter =",
        "chapter-level =",
        "image-path =",
        "link-base =",
        "embed-fonts =",
        "name =",
    ] {
        assert!(toml.contains(key), "{key}");
    }
    let novel: PathBuf = root.path().join("novel");
    let o = quire(&["build"], &novel);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        novel.join("build/novel.epub").is_file(),
        "{:?}",
        names(&novel.join("build"))
    );
}
